/**
 * An invocation: one continuity plan invoked for one incident. It carries the RTO clock, the plan's
 * steps as they were when it started, and an append-only timeline that the postmortem is built from.
 * Invocations live inside their incident's record (see incident-record.ts); the id is never a storage key.
 */
import type { PlanSnapshot, ServiceMatch, ServiceSnapshot } from './catalogue';
import type { IncidentFacts } from './incident';
import { rtoDueAt, type RtoInversion } from './rto';

export type InvocationState = 'open' | 'recovered' | 'stood-down';

export type TimelineKind =
  | 'qualified'
  | 'linked'
  | 'comment-posted'
  | 'step-done'
  | 'step-skipped'
  /** A done or skipped checklist step was undone (see checklist.reopenStep). */
  | 'step-reopened'
  | 'warning'
  | 'recovered'
  | 'stood-down'
  | 'reopened'
  /** The checklist took the plan page's edited steps during the incident (see checklist.adoptPlanSteps). */
  | 'plan-updated';

/** Who resolved a recovery step, when, and (for a skip) why. Keyed by step id on the invocation. */
export interface StepRecord {
  status: 'done' | 'skipped';
  /** Account id of whoever marked it. */
  by: string;
  /** Their display name when they marked it, so reading the checklist needs no user lookups. */
  byName?: string;
  at: number;
  /** Why the step was skipped (skips only). */
  reason?: string;
}

/** The scheduled RTO warnings, in the order they fall due (see warnings.ts). */
export type WarningThreshold = 'rto-75' | 'rto-breached';

export interface TimelineEntry {
  at: number;
  /** An Atlassian account id, or 'app' for the app's own actions. */
  actor: string;
  /** The actor's display name when the entry was written. */
  actorName?: string;
  kind: TimelineKind;
  detail: string;
}

/** Who is acting: an account id and the display name to record beside it. */
export interface Actor {
  accountId: string;
  displayName?: string;
}

export const APP_ACTOR: Actor = { accountId: 'app', displayName: 'Service Continuity' };

export interface Invocation {
  id: string;
  issueId: string;
  issueKey: string;
  planId: string;
  serviceId: string;
  /** The plan as it was when invoked: the checklist runs on these steps. */
  plan: PlanSnapshot;
  service: ServiceSnapshot;
  state: InvocationState;
  /** The RTO clock starts when the incident was created. */
  startedAt: number;
  rtoMinutes: number;
  ownRtoMinutes: number;
  rpoMinutes: number;
  rtoDueAt: number;
  inversions: RtoInversion[];
  timeline: TimelineEntry[];
  /** The recovery checklist, keyed by step id; absent means no step resolved yet (see checklist.ts). */
  steps?: Record<string, StepRecord>;
  /** RTO warnings already posted (recorded once, never repeated; see warnings.ts). */
  warningsSent?: WarningThreshold[];
  /** Set while state is 'recovered' (see recovery.ts); cleared on reopen. */
  recoveredAt?: number;
  /** Minutes from the incident's creation to recovery, rounded; ≤ rtoMinutes exactly when rtoMet. */
  achievedMinutes?: number;
  /** Whether recovery came at or before rtoDueAt. */
  rtoMet?: boolean;
  /** Set while state is 'stood-down'; cleared on reopen. */
  stoodDownAt?: number;
  standDownReason?: string;
  /** Who stood it down: 'app' when the incident stopped qualifying, else the person's account id. */
  stoodDownBy?: string;
  /**
   * Invoked by an automation rule regardless of the qualification settings: the rule decided, so the
   * app never stands it down on its own when the incident does not qualify by the settings.
   */
  forced?: boolean;
  /**
   * A drill's invocation (an exercise run on the incident pipeline): the indicators count it among
   * drills, never among real incidents (see indicator-facts.ts).
   */
  drill?: boolean;
  updatedAt: number;
}

/**
 * The invocation's id is derived from the incident and the plan, so every path that invokes the same
 * plan for the same incident (create event, update event, retry, automation, the watch) converges on one.
 */
export function invocationId(issueId: string, planId: string): string {
  return `${issueId}.${planId}`;
}

/** A stable remote-link globalId, so posting the link again updates it instead of adding another. */
export function remoteLinkGlobalId(invocation: Pick<Invocation, 'issueId' | 'planId'>): string {
  return `service-continuity:plan=${invocation.planId}:issue=${invocation.issueId}`;
}

/** A new open invocation of a matched service's plan; the caller has checked that the match has a plan. */
export function newInvocation(incident: IncidentFacts, match: ServiceMatch & { plan: PlanSnapshot }, now: number, forced = false): Invocation {
  const { plan, service } = match;
  const detail = forced
    ? `Invoked by an automation rule; plan "${plan.title}" invoked for ${service.name}.`
    : `Incident qualified; plan "${plan.title}" invoked for ${service.name}.`;
  return {
    id: invocationId(incident.issueId, plan.id),
    issueId: incident.issueId,
    issueKey: incident.issueKey,
    planId: plan.id,
    serviceId: service.id,
    plan,
    service,
    state: 'open',
    startedAt: incident.createdAt,
    rtoMinutes: match.effectiveRtoMinutes,
    ownRtoMinutes: service.rtoMinutes,
    rpoMinutes: service.rpoMinutes,
    rtoDueAt: rtoDueAt(incident.createdAt, match.effectiveRtoMinutes),
    inversions: match.inversions,
    timeline: [{ at: now, actor: APP_ACTOR.accountId, actorName: APP_ACTOR.displayName, kind: 'qualified', detail }],
    updatedAt: now,
    ...(forced ? { forced: true } : {}),
  };
}

/** The summary written to the issue property `service-continuity`, indexed for JQL. */
export interface IssueContinuityProperty {
  openInvocations: number;
  nextRtoDueAt: string | null;
  planIds: string[];
  /** Plans with an open invocation: JQL `continuityOpenPlan = plan-x` finds incidents still running plan x. */
  openPlanIds: string[];
  states: string[];
  invocations: Array<{ id: string; planId: string; serviceId: string; state: InvocationState; rtoDueAt: string; rtoMinutes: number }>;
}

export function issueProperty(invocations: readonly Invocation[]): IssueContinuityProperty {
  const open = invocations.filter((i) => i.state === 'open');
  const nextDue = open.length > 0 ? Math.min(...open.map((i) => i.rtoDueAt)) : null;
  return {
    openInvocations: open.length,
    nextRtoDueAt: nextDue === null ? null : new Date(nextDue).toISOString(),
    planIds: [...new Set(invocations.map((i) => i.planId))],
    openPlanIds: [...new Set(open.map((i) => i.planId))],
    states: [...new Set(invocations.map((i) => i.state))],
    invocations: invocations.map((i) => ({
      id: i.id,
      planId: i.planId,
      serviceId: i.serviceId,
      state: i.state,
      rtoDueAt: new Date(i.rtoDueAt).toISOString(),
      rtoMinutes: i.rtoMinutes,
    })),
  };
}
