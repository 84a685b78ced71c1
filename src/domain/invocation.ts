/**
 * An invocation: one continuity plan invoked for one incident. It carries the RTO clock and an
 * append-only timeline that the postmortem is built from.
 */
import type { ContinuityPlan, Service } from './catalogue';
import type { IncidentFacts } from './incident';
import { rtoDueAt, type EffectiveRto, type RtoInversion } from './rto';

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
  | 'reopened';

/** Who resolved a recovery step, when, and (for a skip) why. Keyed by step id on the invocation. */
export interface StepRecord {
  status: 'done' | 'skipped';
  /** Account id of whoever marked it. */
  by: string;
  at: number;
  /** Why the step was skipped (skips only). */
  reason?: string;
}

/** The scheduled RTO warnings, in the order they fall due (see warnings.ts). */
export type WarningThreshold = 'rto-75' | 'rto-breached';

/** A runner's claim on a warning it is about to send; older than the TTL it is presumed abandoned. */
export interface WarningClaim {
  token: string;
  at: number;
}

export interface TimelineEntry {
  at: number;
  /** An Atlassian account id, or 'app' for the app's own actions. */
  actor: string;
  kind: TimelineKind;
  detail: string;
}

/** A comment the app posts at most once per invocation and kind (see services/post-once). */
export interface CommentWrite {
  id?: string;
  /** Who is posting it right now; a claim older than a minute is presumed abandoned. */
  claim?: { token: string; at: number };
}

export interface JiraWrites {
  remoteLinkId?: string;
  /** Keyed by comment kind: 'invoked', 'rto-75', 'rto-breached', 'comms:<template>:<n>'. */
  comments: Record<string, CommentWrite>;
}

export interface Invocation {
  id: string;
  issueId: string;
  issueKey: string;
  planId: string;
  serviceId: string;
  state: InvocationState;
  /** The RTO clock starts when the incident was created. */
  startedAt: number;
  rtoMinutes: number;
  ownRtoMinutes: number;
  rpoMinutes: number;
  rtoDueAt: number;
  inversions: RtoInversion[];
  jiraWrites: JiraWrites;
  timeline: TimelineEntry[];
  /** The recovery checklist, keyed by step id; absent means no step resolved yet (see checklist.ts). */
  steps?: Record<string, StepRecord>;
  /** RTO warnings already sent (recorded once, never repeated; see warnings.ts). */
  warningsSent?: WarningThreshold[];
  /** Warnings a runner has claimed and is sending right now (see warnings.claimWarning). */
  warningClaims?: Partial<Record<WarningThreshold, WarningClaim>>;
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
  /** Optimistic-concurrency counter: every stored change increments it. */
  version: number;
  updatedAt: number;
}

/**
 * The invocation's id is derived from the incident and the plan, so every path that invokes the same
 * plan for the same incident (create event, update event, retry, automation) converges on one record.
 */
export function invocationId(issueId: string, planId: string): string {
  return `${issueId}.${planId}`;
}

/** A stable remote-link globalId, so posting the link again updates it instead of adding another. */
export function remoteLinkGlobalId(invocation: Pick<Invocation, 'issueId' | 'planId'>): string {
  return `service-continuity:plan=${invocation.planId}:issue=${invocation.issueId}`;
}

export function newInvocation(incident: IncidentFacts, service: Service, plan: ContinuityPlan, rto: EffectiveRto, now: number, forced = false): Invocation {
  const detail = forced
    ? `Invoked by an automation rule; plan "${plan.title}" invoked for ${service.name}.`
    : `Incident qualified; plan "${plan.title}" invoked for ${service.name}.`;
  return {
    id: invocationId(incident.issueId, plan.id),
    issueId: incident.issueId,
    issueKey: incident.issueKey,
    planId: plan.id,
    serviceId: service.id,
    state: 'open',
    startedAt: incident.createdAt,
    rtoMinutes: rto.effectiveMinutes,
    ownRtoMinutes: rto.ownMinutes,
    rpoMinutes: service.rpoMinutes,
    rtoDueAt: rtoDueAt(incident.createdAt, rto.effectiveMinutes),
    inversions: rto.inversions,
    jiraWrites: { comments: {} },
    timeline: [{ at: now, actor: 'app', kind: 'qualified', detail }],
    version: 1,
    updatedAt: now,
    ...(forced ? { forced: true } : {}),
  };
}

/**
 * Appends to the timeline without mutating the input. Entries stay ordered by time: an entry stamped
 * earlier than the last one (a concurrent run with an older clock reading) takes the last one's time.
 */
export function withTimeline(invocation: Invocation, entry: TimelineEntry): Invocation {
  const last = invocation.timeline[invocation.timeline.length - 1];
  const at = last && entry.at < last.at ? last.at : entry.at;
  return { ...invocation, timeline: [...invocation.timeline, { ...entry, at }], updatedAt: Math.max(invocation.updatedAt, at) };
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
