/**
 * Atlassian Automation action "Invoke continuity plan". A rule passes the issue key (and optionally a
 * plan or service); the action runs the same path as the trigger, forced (the rule decided the incident
 * qualifies), and answers the invocation's id, plan and RTO due time as outputs. The Jira writes follow
 * through the outbox.
 */
import { z } from 'zod';
import { linkIncident } from '../../services/link-incident';
import { ContinuityError, invalidInput } from '../../domain/errors';
import { appDeps } from '../deps';
import { parseInput } from '../resolvers/schemas';

const inputs = z.object({
  issueKey: z.string({ error: 'issueKey is required: pass {{issue.key}}.' }).trim().regex(/^[A-Z][A-Z0-9_]{0,9}-\d{1,9}$/, 'issueKey must be an issue key such as OPS-123.'),
  plan: z.string().trim().min(1).max(200, 'plan must be at most 200 characters.').optional(),
  service: z.string().trim().min(1).max(200, 'service must be at most 200 characters.').optional(),
});

export interface InvokePlanOutput {
  invocationId: string;
  planId: string;
  planTitle: string;
  rtoDueAt: string;
  invocationCount: number;
}

export async function invokePlanAction(payload: unknown): Promise<InvokePlanOutput> {
  try {
    const { issueKey, plan, service } = parseInput(inputs, emptyToUndefined(payload));
    if (plan && service) throw invalidInput('Give a plan or a service, not both.', 'plan');
    const outcome = await linkIncident(issueKey, appDeps(), { force: true, plan, service });
    if (outcome.kind !== 'linked' || outcome.invocations.length === 0) {
      throw new ContinuityError('NOT_FOUND', `No continuity plan to invoke for ${issueKey}: ${'reason' in outcome ? outcome.reason : 'its affected services have no plan.'}`, 'service');
    }
    const first = outcome.invocations[0];
    return {
      invocationId: first.id,
      planId: first.planId,
      planTitle: first.plan.title,
      rtoDueAt: new Date(first.rtoDueAt).toISOString(),
      invocationCount: outcome.invocations.length,
    };
  } catch (error) {
    // Automation shows a failed action's message in the rule's audit log: make it say what is wrong.
    if (error instanceof ContinuityError) throw new Error(`${error.code}${error.field ? ` (${error.field})` : ''}: ${error.message}`);
    throw error;
  }
}

/** Automation sends empty smart values as empty strings; they mean "not given". */
function emptyToUndefined(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object') return payload;
  return Object.fromEntries(Object.entries(payload as Record<string, unknown>).map(([k, v]) => [k, v === '' ? undefined : v]));
}
