/** Input schemas of every resolver, typed against the shared contract so the two cannot drift. */
import { z } from 'zod';
import type { InvocationInput, PostCommsInput, ReopenInput, SkipStepInput, StandDownInput, StepInput } from '../../contract/issue-panel';
import { invalidInput } from '../../domain/errors';
import { IMPACT_MAX, personText, REASON_MAX, REASON_MIN } from '../../domain/text';

const id = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, `${what} is required.`).max(200, `${what} is too long.`);
const reason = personText('A reason', REASON_MIN, REASON_MAX);

export const stepInput: z.ZodType<StepInput, unknown> = z.object({ invocationId: id('The invocation'), stepId: id('The step') });
export const skipStepInput: z.ZodType<SkipStepInput, unknown> = z.object({ invocationId: id('The invocation'), stepId: id('The step'), reason });
export const invocationInput: z.ZodType<InvocationInput, unknown> = z.object({ invocationId: id('The invocation') });
export const standDownInput: z.ZodType<StandDownInput, unknown> = z.object({ invocationId: id('The invocation'), reason });
export const reopenInput: z.ZodType<ReopenInput, unknown> = z.object({
  invocationId: id('The invocation'),
  reason: personText('A reason', 0, REASON_MAX)
    .optional()
    .transform((s) => (s === '' ? undefined : s)),
});
export const postCommsInput: z.ZodType<PostCommsInput, unknown> = z.object({
  invocationId: id('The invocation'),
  templateId: id('The template'),
  audience: z.enum(['internal', 'public'], { error: 'The audience must be internal or public.' }),
  impact: personText('The impact', 0, IMPACT_MAX).optional(),
  seen: z.number({ error: 'The number of updates seen is required.' }).int().min(0).max(10_000),
});

/** Parses or throws INVALID_INPUT naming the first field at fault. */
export function parseInput<T>(schema: z.ZodType<T, unknown>, payload: unknown): T {
  const result = schema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.') || 'payload';
  throw invalidInput(inWords(issue, field, payload), field);
}

/** zod's own wording ("Invalid input: expected object, received string") said for a person; our schemas' messages as written. */
function inWords(issue: z.core.$ZodIssue, field: string, payload: unknown): string {
  if (!issue.message.startsWith('Invalid input') || issue.code !== 'invalid_type') return issue.message;
  const got = payload === null ? 'nothing' : Array.isArray(payload) ? 'a list' : `a ${typeof payload}`;
  if (field === 'payload') return `The request was not understood: it must be an object of named values, and it was ${got}.`;
  return `The value of ${field} is not of the right kind: ${issue.expected === 'object' ? 'a group of named values' : `a ${issue.expected}`} was expected.`;
}
