/** Input schemas of every resolver, typed against the shared contract so the two cannot drift. */
import { z } from 'zod';
import type { PostCommsInput, ReopenInput, SkipStepInput, StandDownInput, StepInput, InvocationInput } from '../../contract/issue-panel';
import { invalidInput } from '../../domain/errors';

const id = z.string().trim().min(1, 'is required').max(200, 'is too long');
const reason = z.string().trim().min(3, 'must be at least 3 characters').max(500, 'must be at most 500 characters');

export const stepInput: z.ZodType<StepInput> = z.object({ invocationId: id, stepId: id });
export const skipStepInput: z.ZodType<SkipStepInput> = z.object({ invocationId: id, stepId: id, reason });
export const invocationInput: z.ZodType<InvocationInput> = z.object({ invocationId: id });
export const standDownInput: z.ZodType<StandDownInput> = z.object({ invocationId: id, reason });
export const reopenInput: z.ZodType<ReopenInput> = z.object({ invocationId: id, reason: z.string().trim().max(500).optional() });
export const postCommsInput: z.ZodType<PostCommsInput> = z.object({
  invocationId: id,
  templateId: id,
  audience: z.enum(['internal', 'public']),
  impact: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
});

/** Parses or throws INVALID_INPUT naming the first field at fault. */
export function parseInput<T>(schema: z.ZodType<T>, payload: unknown): T {
  const result = schema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.') || 'payload';
  throw invalidInput(`${field} ${issue.message}`, field);
}
