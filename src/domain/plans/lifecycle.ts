/**
 * A plan's lifecycle: draft → in review → approved → retired, each move recorded with who and when.
 * Pure. Approval is the plan owner's or a Service Continuity Manager's; every other move is a
 * Service Continuity Manager's (changing the lifecycle is the manager's job). A plan in any status
 * but retired is invoked on incidents (a draft at 3 a.m. beats nothing; it is marked DRAFT).
 */
import type { ContinuityPlan, PlanStatus, StatusChange } from '../catalogue';
import { conflict, forbidden, invalidInput } from '../errors';
import { NEXT_STATUSES, PLAN_STATUSES, STATUS_WORDS } from './statuses';

export { NEXT_STATUSES, PLAN_STATUSES, STATUS_WORDS } from './statuses';

/** The history keeps this many moves (the newest). */
export const MAX_STATUS_HISTORY = 50;

export interface Actor {
  accountId: string;
  /** A Service Continuity Manager (Jira admin or a member of a manager group). */
  manager: boolean;
}

export function isPlanStatus(value: unknown): value is PlanStatus {
  return typeof value === 'string' && (PLAN_STATUSES as readonly string[]).includes(value);
}

/** Whether `actor` may move `plan` to `to`; the reason in words when not. */
export function mayMove(plan: Pick<ContinuityPlan, 'ownerAccountId'>, to: PlanStatus, actor: Actor): { ok: true } | { ok: false; reason: string } {
  if (actor.manager) return { ok: true };
  if (to === 'approved' && plan.ownerAccountId && plan.ownerAccountId === actor.accountId) return { ok: true };
  return to === 'approved'
    ? { ok: false, reason: 'Only the plan owner or a Service Continuity Manager can approve a plan.' }
    : { ok: false, reason: `Only a Service Continuity Manager can move a plan to ${STATUS_WORDS[to].toLowerCase()}.` };
}

/**
 * The plan moved to `to` by `actor` at `at`, with the move in its history. Throws INVALID_INPUT for a
 * move the lifecycle does not allow, FORBIDDEN when the actor may not make it, and CONFLICT when the
 * plan is no longer in `expected` (someone moved it meanwhile). Moving to the status it is in
 * changes nothing (the same object), so a repeated request is harmless.
 */
export function moveStatus(plan: ContinuityPlan, to: PlanStatus, actor: Actor, at: number, expected?: PlanStatus): ContinuityPlan {
  if (!isPlanStatus(to)) throw invalidInput('Status must be draft, in-review, approved or retired.', 'status');
  if (plan.status === to) return plan;
  if (expected !== undefined && plan.status !== expected) {
    throw conflict(`The plan is ${STATUS_WORDS[plan.status].toLowerCase()} now (someone moved it meanwhile); reload and try again.`, 'status');
  }
  if (!NEXT_STATUSES[plan.status].includes(to)) {
    const allowed = NEXT_STATUSES[plan.status].map((s) => STATUS_WORDS[s].toLowerCase()).join(' or ');
    throw invalidInput(`A plan that is ${STATUS_WORDS[plan.status].toLowerCase()} can move to ${allowed}, not to ${STATUS_WORDS[to].toLowerCase()}.`, 'status');
  }
  const allowed = mayMove(plan, to, actor);
  if (!allowed.ok) throw forbidden(allowed.reason);
  const change: StatusChange = { status: to, by: actor.accountId, at };
  return { ...plan, status: to, statusHistory: [...(plan.statusHistory ?? []), change].slice(-MAX_STATUS_HISTORY) };
}

/** The first entry of a new plan's history (published or adopted as `status`). */
export function initialHistory(status: PlanStatus, by: string, at: number): StatusChange[] {
  return [{ status, by, at }];
}
