/**
 * The recovery checklist of an invoked plan: who did which step when, which steps were skipped and
 * why, and whether the remaining steps still fit in the RTO. Pure: every function returns a new
 * Invocation (with a timeline entry) or throws a ContinuityError naming the field at fault.
 *
 * The checklist runs on the steps the invocation started with (its plan snapshot), so an edit to the
 * plan page during the incident never moves a step under a responder's hands; `adoptPlanSteps` takes
 * the edited steps on request, keeping every tick whose step is still there.
 *
 * Refusals, checked in this order:
 *   - the step is not in the plan                       → NOT_FOUND, field 'stepId'. NOT_FOUND rather than
 *     INVALID_INPUT because the usual cause is a plan page edited in Confluence while the panel was
 *     open: the request was well formed, the step is gone; the panel should refresh, not blame the user.
 *   - a skip reason that is missing, or not 3–500 characters once trimmed → INVALID_INPUT, field 'reason'
 *   - the invocation is not open (recovered or stood down) → CONFLICT, field 'state'
 *   - the step is already done/skipped (or, to reopen, is not) → CONFLICT, field 'stepId'
 */
import { addMinutes } from 'date-fns';
import type { PlanSnapshot, RecoveryStep } from './catalogue';
import { conflict, notFound } from './errors';
import type { Actor, Invocation, StepRecord } from './invocation';
import { parseReason, requireActor } from './text';
import { appendTimeline } from './timeline';

export type { StepRecord } from './invocation';

/** The step records of an invocation (older stored invocations have none). */
export function stepRecords(invocation: Invocation): Readonly<Record<string, StepRecord>> {
  return invocation.steps ?? {};
}

/** The record of one step, if it was done or skipped. Own properties only, so any step id is safe. */
export function stepRecord(invocation: Invocation, stepId: string): StepRecord | undefined {
  const records = stepRecords(invocation);
  return Object.prototype.hasOwnProperty.call(records, stepId) ? records[stepId] : undefined;
}

function requireStep(invocation: Invocation, stepId: string): RecoveryStep {
  const step = invocation.plan.steps.find((s) => s.id === stepId);
  if (!step) throw notFound(`Step ${JSON.stringify(stepId)} of plan "${invocation.plan.title}"`, 'stepId');
  return step;
}

function record(status: StepRecord['status'], actor: Actor, now: number, reason?: string): StepRecord {
  const out: StepRecord = { status, by: actor.accountId, at: now };
  if (actor.displayName) out.byName = actor.displayName;
  if (reason !== undefined) out.reason = reason;
  return out;
}

function requireOpen(invocation: Invocation, action: string): void {
  if (invocation.state !== 'open') {
    throw conflict(`Cannot ${action}: the invocation is ${invocation.state}; reopen it first.`, 'state');
  }
}

function withStep(invocation: Invocation, stepId: string, record: StepRecord | undefined): Invocation {
  const { [stepId]: _previous, ...others } = stepRecords(invocation);
  return { ...invocation, steps: record ? { ...others, [stepId]: record } : others };
}

export function markStepDone(invocation: Invocation, stepId: string, actor: Actor, now: number): Invocation {
  const step = requireStep(invocation, stepId);
  requireActor(actor.accountId);
  requireOpen(invocation, `mark "${step.title}" done`);
  const existing = stepRecord(invocation, stepId);
  if (existing) throw conflict(`Step "${step.title}" is already ${existing.status}.`, 'stepId');
  const next = withStep(invocation, stepId, record('done', actor, now));
  return appendTimeline(next, { actor, kind: 'step-done', detail: `Step "${step.title}" done.` }, now);
}

export function skipStep(invocation: Invocation, stepId: string, reason: string, actor: Actor, now: number): Invocation {
  const step = requireStep(invocation, stepId);
  const why = parseReason(reason, 'reason');
  requireActor(actor.accountId);
  requireOpen(invocation, `skip "${step.title}"`);
  const existing = stepRecord(invocation, stepId);
  if (existing) throw conflict(`Step "${step.title}" is already ${existing.status}.`, 'stepId');
  const next = withStep(invocation, stepId, record('skipped', actor, now, why));
  return appendTimeline(next, { actor, kind: 'step-skipped', detail: `Step "${step.title}" skipped: ${why}` }, now);
}

/** Undoes a done or skipped step (a mis-click, or a step that must be run again); the timeline keeps both. */
export function reopenStep(invocation: Invocation, stepId: string, actor: Actor, now: number): Invocation {
  const step = requireStep(invocation, stepId);
  requireActor(actor.accountId);
  requireOpen(invocation, `reopen "${step.title}"`);
  const existing = stepRecord(invocation, stepId);
  if (!existing) throw conflict(`Step "${step.title}" is not done or skipped.`, 'stepId');
  const next = withStep(invocation, stepId, undefined);
  return appendTimeline(next, { actor, kind: 'step-reopened', detail: `Step "${step.title}" reopened (was ${existing.status}).` }, now);
}

export interface ChecklistStep extends RecoveryStep {
  record?: StepRecord;
}

export interface ChecklistProgress {
  total: number;
  done: number;
  skipped: number;
  remaining: number;
  /** Share of steps resolved (done or skipped), rounded down: 100 only when nothing remains; 0 for a plan without steps. */
  percent: number;
  /** Expected minutes of the steps neither done nor skipped. */
  remainingMinutes: number;
  /** now + remainingMinutes. */
  projectedRecoveryAt: number;
  projectedWithinRto: boolean;
  /** The plan's steps in plan order, each with its record if resolved. */
  steps: ChecklistStep[];
}

/**
 * Where the checklist stands and whether the rest still fits in the RTO. Records of steps no longer
 * in the plan (the page was edited) are ignored; steps added to the plan count as remaining.
 */
export function checklistProgress(invocation: Invocation, now: number): ChecklistProgress {
  const { plan } = invocation;
  let done = 0;
  let skipped = 0;
  let remainingMinutes = 0;
  const steps = plan.steps.map((step): ChecklistStep => {
    const record = stepRecord(invocation, step.id);
    if (record?.status === 'done') done += 1;
    else if (record?.status === 'skipped') skipped += 1;
    else remainingMinutes += Number.isFinite(step.expectedMinutes) && step.expectedMinutes > 0 ? step.expectedMinutes : 0;
    return record ? { ...step, record: { ...record } } : { ...step };
  });
  const total = plan.steps.length;
  const projectedRecoveryAt = addMinutes(now, remainingMinutes).getTime();
  return {
    total,
    done,
    skipped,
    remaining: total - done - skipped,
    percent: total === 0 ? 0 : Math.floor(((done + skipped) * 100) / total),
    remainingMinutes,
    projectedRecoveryAt,
    projectedWithinRto: projectedRecoveryAt <= invocation.rtoDueAt,
    steps,
  };
}

/**
 * Takes the plan's current steps into a running invocation (the page was edited during the incident and
 * a responder chose the new steps). Ticks on steps that are still there (same id) are kept; ticks on
 * steps that were removed stay in the timeline but leave the checklist. Returns the same object when
 * the steps are unchanged.
 */
export function adoptPlanSteps(invocation: Invocation, plan: PlanSnapshot, actor: Actor, now: number): Invocation {
  requireActor(actor.accountId);
  if (plan.id !== invocation.planId) throw notFound(`Plan ${plan.id} of invocation ${invocation.id}`, 'planId');
  if (sameSteps(invocation.plan.steps, plan.steps)) return invocation;
  const kept = Object.fromEntries(Object.entries(stepRecords(invocation)).filter(([id]) => plan.steps.some((s) => s.id === id)));
  const next: Invocation = { ...invocation, plan: { ...invocation.plan, steps: plan.steps, commsTemplates: plan.commsTemplates }, steps: kept };
  return appendTimeline(next, { actor, kind: 'plan-updated', detail: `Checklist updated to the plan page's current ${plan.steps.length} steps.` }, now);
}

/** Whether two step lists are the same steps in the same order with the same wording. */
export function sameSteps(a: readonly RecoveryStep[], b: readonly RecoveryStep[]): boolean {
  return a.length === b.length && a.every((s, i) => s.id === b[i].id && s.title === b[i].title && s.role === b[i].role && s.expectedMinutes === b[i].expectedMinutes);
}
