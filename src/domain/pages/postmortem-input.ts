/**
 * What a postmortem is built from (a plain data shape the service assembles from the incident, its
 * invocations, the plans and people's names), and the arithmetic the postmortem and its findings share:
 * RTO achieved against target, and each step's actual duration against its expected one.
 */
import type { Tier } from '../catalogue';
import { invalidInput } from '../errors';
import type { InvocationState } from '../invocation';

export interface PostmortemStepRecord {
  status: 'done' | 'skipped';
  /** The person's display name (not an account id). */
  byName: string;
  at: number;
  /** Why it was skipped (skips only). */
  reason?: string;
}

export interface PostmortemStep {
  id: string;
  title: string;
  role: string;
  expectedMinutes: number;
  /** Absent: the step was neither done nor skipped. */
  record?: PostmortemStepRecord;
}

export interface PostmortemTimelineEntry {
  at: number;
  actorName: string;
  detail: string;
}

export interface PostmortemCommsSent {
  at: number;
  templateName: string;
  audience: 'internal' | 'public';
  byName: string;
}

/** One plan invoked for the incident (an incident can invoke several). */
export interface PostmortemInvocation {
  planId: string;
  plan: { title: string; url?: string };
  service: { name: string; tier: Tier };
  state: InvocationState;
  /** The effective RTO the clock ran against. */
  rtoMinutes: number;
  /** The service's own RTO, when dependencies made the effective one longer. */
  ownRtoMinutes?: number;
  rpoMinutes: number;
  /** When the RTO clock started (the incident's creation). */
  startedAt: number;
  recoveredAt?: number;
  achievedMinutes?: number;
  rtoMet?: boolean;
  standDownReason?: string;
  /** Data lost, in minutes of writes, when someone measured it after recovery. */
  dataLossMinutes?: number;
  /** The plan's steps in plan order, each with its record if it was done or skipped. */
  steps: readonly PostmortemStep[];
  timeline: readonly PostmortemTimelineEntry[];
  commsSent: readonly PostmortemCommsSent[];
}

/** A follow-up action that became a Jira issue (created from the panel). */
export interface PostmortemFollowUp {
  key: string;
  url?: string;
  summary: string;
  byName?: string;
}

export interface PostmortemInput {
  incident: { key: string; summary: string; url?: string; createdAt: number; impact?: string };
  /** Follow-up actions created as Jira issues; listed by the app in "Follow-up issues" when there are any. */
  followUps?: readonly PostmortemFollowUp[];
  /** A drill (exercise) rather than a real incident. */
  drill: boolean;
  /** When the app publishes this version (for "written on" and for open invocations' elapsed time). */
  publishedAt: number;
  invocations: readonly PostmortemInvocation[];
}

function requireTime(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidInput(`${field} must be a time (epoch milliseconds).`, field);
}

/** Refuses an input the postmortem cannot be built from; names the field at fault. */
export function requirePostmortemInput(input: PostmortemInput): PostmortemInput {
  requireTime(input.incident?.createdAt, 'incident.createdAt');
  requireTime(input.publishedAt, 'publishedAt');
  if (!Array.isArray(input.invocations) || input.invocations.length === 0) throw invalidInput('A postmortem covers at least one invocation.', 'invocations');
  input.invocations.forEach((inv, i) => {
    requireTime(inv.startedAt, `invocations[${i}].startedAt`);
    if (inv.recoveredAt !== undefined) requireTime(inv.recoveredAt, `invocations[${i}].recoveredAt`);
    if (!Number.isFinite(inv.rtoMinutes) || inv.rtoMinutes < 0) throw invalidInput('rtoMinutes must be a number of minutes.', `invocations[${i}].rtoMinutes`);
    for (const entry of inv.timeline) requireTime(entry.at, `invocations[${i}].timeline.at`);
    for (const sent of inv.commsSent) requireTime(sent.at, `invocations[${i}].commsSent.at`);
    for (const step of inv.steps) if (step.record) requireTime(step.record.at, `invocations[${i}].steps.record.at`);
  });
  return input;
}

const MINUTE = 60_000;

export type RtoOutcome =
  | { kind: 'met'; rtoMinutes: number; achievedMinutes: number; spareMinutes: number }
  | { kind: 'missed'; rtoMinutes: number; achievedMinutes: number; overMinutes: number }
  /** Not recovered when the postmortem was published; overMinutes > 0 once the RTO has passed. */
  | { kind: 'open'; rtoMinutes: number; elapsedMinutes: number; overMinutes: number }
  | { kind: 'stood-down'; rtoMinutes: number; reason?: string };

/**
 * RTO achieved against target. Achieved minutes are the invocation's own (recovery.ts rounds them) or,
 * when absent, recoveredAt − startedAt rounded; met is the invocation's verdict when recorded, else
 * achieved ≤ target.
 */
export function rtoOutcome(inv: PostmortemInvocation, now: number): RtoOutcome {
  const rto = inv.rtoMinutes;
  if (inv.state === 'stood-down') return { kind: 'stood-down', rtoMinutes: rto, ...(inv.standDownReason ? { reason: inv.standDownReason } : {}) };
  if (inv.state === 'open' || inv.recoveredAt === undefined) {
    const elapsed = Math.max(0, Math.round((now - inv.startedAt) / MINUTE));
    return { kind: 'open', rtoMinutes: rto, elapsedMinutes: elapsed, overMinutes: Math.max(0, elapsed - rto) };
  }
  const achieved = inv.achievedMinutes ?? Math.max(0, Math.round((inv.recoveredAt - inv.startedAt) / MINUTE));
  const met = inv.rtoMet ?? achieved <= rto;
  return met ? { kind: 'met', rtoMinutes: rto, achievedMinutes: achieved, spareMinutes: Math.max(0, rto - achieved) } : { kind: 'missed', rtoMinutes: rto, achievedMinutes: achieved, overMinutes: Math.max(0, achieved - rto) };
}

export interface StepOutcome {
  step: PostmortemStep;
  /** 1-based position in the plan. */
  number: number;
  status: 'done' | 'skipped' | 'not-done';
  /** Done steps only: minutes from the previous resolution (or the incident start) to this one. */
  actualMinutes?: number;
  /** actual − expected (negative: quicker than expected). */
  differenceMinutes?: number;
}

/**
 * Each step's outcome. A step's actual duration is the time between the previous step's completion and
 * its own, where "previous" is the step resolved (done or skipped) just before it in time, not in plan
 * order, and the first one counts from the incident's start (the RTO clock). That is the only duration
 * the records support: the app knows when a step was finished, not when someone started it. Steps worked
 * in parallel therefore show less than they took, and waiting between steps counts toward the next one;
 * a skip also ends an interval (the team moved on). Records stamped before the start count as 0 min.
 */
export function stepOutcomes(inv: PostmortemInvocation): StepOutcome[] {
  const resolved = inv.steps
    .map((step, index) => ({ step, index }))
    .filter((s) => s.step.record !== undefined)
    .sort((a, b) => a.step.record!.at - b.step.record!.at || a.index - b.index);
  const actual = new Map<number, number>();
  let previous = inv.startedAt;
  for (const { step, index } of resolved) {
    const at = step.record!.at;
    if (step.record!.status === 'done') actual.set(index, Math.max(0, Math.round((at - previous) / MINUTE)));
    previous = Math.max(previous, at);
  }
  return inv.steps.map((step, index) => {
    const status = step.record?.status ?? 'not-done';
    const minutes = actual.get(index);
    return {
      step,
      number: index + 1,
      status,
      ...(minutes !== undefined ? { actualMinutes: minutes, differenceMinutes: minutes - step.expectedMinutes } : {}),
    };
  });
}
