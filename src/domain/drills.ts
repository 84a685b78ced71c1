/**
 * Drills (exercises): a continuity plan tested on purpose. A drill is scheduled for a plan (tabletop,
 * simulation or fail-over, a date, participants), then run: the run creates an exercise issue marked as
 * a drill from its creation (an issue property set in the create request), and invokes the plan on it
 * through the same record and outbox as a real incident. Everything the app writes for it says DRILL,
 * and nothing about it counts as an outage: it never qualifies by the settings, the watch's sweep leaves
 * it alone, and its invocations carry `isDrill` for the indicators.
 *
 * Pure: the drill's states and their transitions, its result from the invocations it ran, its listing.
 */
import { z } from 'zod';
import { conflict, invalidInput } from './errors';
import type { Invocation } from './invocation';
import { personText } from './text';

import { DRILL_KINDS, DRILL_KIND_NAMES, type DrillKind } from './drill-kinds';

export { DRILL_KINDS, DRILL_KIND_NAMES, type DrillKind } from './drill-kinds';

/** The issue property that marks an exercise issue as a drill, set in the issue's create request. */
export const DRILL_PROPERTY_KEY = 'service-continuity-drill';

/** What the drill property holds (and what a drill's incident record keeps). */
export interface DrillMark {
  drillId: string;
  planId: string;
  kind: DrillKind;
}

/** The drill property as Jira holds it, checked: anything else is not a drill mark. */
export function readDrillMark(value: unknown): DrillMark | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { drillId, planId, kind } = value as Record<string, unknown>;
  if (typeof drillId !== 'string' || drillId === '' || typeof planId !== 'string' || planId === '') return undefined;
  return { drillId, planId, kind: DRILL_KINDS.includes(kind as DrillKind) ? (kind as DrillKind) : 'simulation' };
}

export type DrillState = 'scheduled' | 'running' | 'completed' | 'cancelled';

/** Upcoming drills are scheduled or running; past ones completed or cancelled (the storage index's partition). */
export type DrillListing = 'upcoming' | 'past';

export interface DrillResult {
  completedAt: number;
  /** met / missed: recovered within the RTO or not; stood-down: the exercise was called off, nothing measured. */
  outcome: 'met' | 'missed' | 'stood-down';
  rtoMinutes: number;
  achievedMinutes?: number;
  /** Findings fed back to the plan page (0 when none, undefined until the report was published). */
  findings?: number;
  report?: { url: string; title: string };
}

export interface Drill {
  id: string;
  /** Storage version, for guarded writes. */
  version: number;
  planId: string;
  planTitle: string;
  serviceId: string;
  serviceName: string;
  kind: DrillKind;
  scheduledFor: number;
  /** Account ids of the people taking part. */
  participants: string[];
  notes?: string;
  createdBy: string;
  createdAt: number;
  state: DrillState;
  /** Index attribute (see DrillListing). */
  listing: DrillListing;
  /** Running it: a runner's claim while it creates the issue, then the exercise issue. */
  run?: { claim?: { token: string; at: number; by: string }; issueId?: string; issueKey?: string; startedAt?: number; startedBy?: string };
  result?: DrillResult;
  cancelled?: { by: string; at: number; reason?: string };
  updatedAt: number;
}

export const DRILL_LIMITS = { participants: 30, notes: 2_000 } as const;
/** A drill is scheduled at most this far ahead, and at most this far back (recording one held earlier today). */
const MAX_AHEAD_MS = 2 * 366 * 24 * 60 * 60_000;
const MAX_BEHIND_MS = 24 * 60 * 60_000;
/** Longer than a resolver runs: a run claim older than this was abandoned. */
export const RUN_CLAIM_TTL_MS = 60_000;

const accountId = z
  .string({ error: 'A participant must be an account id.' })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9:_-]{0,127}$/, { error: 'A participant must be an Atlassian account id.' });

export const drillInputSchema = z.object({
  planId: z.string({ error: 'Choose the plan to exercise.' }).trim().min(1, { error: 'Choose the plan to exercise.' }).max(200),
  kind: z.enum(DRILL_KINDS, { error: 'The kind is tabletop, simulation or fail-over.' }),
  scheduledFor: z.number({ error: 'The date must be a time.' }).int({ error: 'The date must be a time.' }),
  participants: z
    .array(accountId, { error: 'Participants must be a list.' })
    .max(DRILL_LIMITS.participants, { error: `At most ${DRILL_LIMITS.participants} participants.` })
    .default([])
    .transform((ids) => [...new Set(ids)]),
  notes: personText('The notes', 0, DRILL_LIMITS.notes)
    .optional()
    .transform((s) => (s === '' ? undefined : s)),
});

export type DrillInput = z.output<typeof drillInputSchema>;

/** Checks a drill's date against now: not more than a day back, not more than two years ahead. */
export function requireDrillDate(scheduledFor: number, now: number): number {
  if (scheduledFor < now - MAX_BEHIND_MS) throw invalidInput('The date has passed: schedule the drill for today or later.', 'scheduledFor');
  if (scheduledFor > now + MAX_AHEAD_MS) throw invalidInput('Schedule the drill within the next two years.', 'scheduledFor');
  return scheduledFor;
}

export function listingOf(state: DrillState): DrillListing {
  return state === 'scheduled' || state === 'running' ? 'upcoming' : 'past';
}

export function newDrill(id: string, input: DrillInput, plan: { id: string; title: string; serviceId: string }, serviceName: string, by: string, now: number): Drill {
  return {
    id,
    version: 0,
    planId: plan.id,
    planTitle: plan.title,
    serviceId: plan.serviceId,
    serviceName,
    kind: input.kind,
    scheduledFor: requireDrillDate(input.scheduledFor, now),
    participants: input.participants,
    ...(input.notes ? { notes: input.notes } : {}),
    createdBy: by,
    createdAt: now,
    state: 'scheduled',
    listing: 'upcoming',
    updatedAt: now,
  };
}

/**
 * Claims the run of a scheduled drill for `token`: refused when it ran already, was cancelled, or
 * someone else is starting it right now (an abandoned claim is taken over).
 */
export function claimRun(drill: Drill, token: string, by: string, now: number): Drill {
  if (drill.state === 'cancelled') throw conflict('This drill was cancelled.', 'drillId');
  if (drill.state !== 'scheduled' || drill.run?.issueKey) throw conflict(`This drill is already running${drill.run?.issueKey ? ` as ${drill.run.issueKey}` : ''}.`, 'drillId');
  const claim = drill.run?.claim;
  if (claim && claim.token !== token && now - claim.at < RUN_CLAIM_TTL_MS) throw conflict(`${claim.by} is starting this drill right now.`, 'drillId');
  return { ...drill, run: { claim: { token, at: now, by } }, updatedAt: now };
}

/** The exercise issue exists: the drill is running. */
export function startRun(drill: Drill, issue: { id: string; key: string }, by: string, now: number): Drill {
  return { ...drill, state: 'running', listing: 'upcoming', run: { issueId: issue.id, issueKey: issue.key, startedAt: now, startedBy: by }, updatedAt: now };
}

/** The issue could not be created: the claim is given back so the drill can be run again. */
export function releaseRun(drill: Drill, token: string): Drill | null {
  if (drill.run?.claim?.token !== token || drill.run.issueKey) return null;
  const { run: _run, ...rest } = drill;
  return rest;
}

export function cancelDrill(drill: Drill, by: string, now: number, reason?: string): Drill {
  if (drill.state !== 'scheduled') throw conflict(drill.state === 'cancelled' ? 'This drill is already cancelled.' : 'A drill that ran cannot be cancelled: stand its invocation down on the exercise issue instead.', 'drillId');
  if (drill.run?.claim) throw conflict('This drill is being started right now.', 'drillId');
  return { ...drill, state: 'cancelled', listing: 'past', cancelled: { by, at: now, ...(reason ? { reason } : {}) }, updatedAt: now };
}

/**
 * The drill's result from its invocations, once none is open: recovered within the RTO or not (the
 * longest achieved time against the tightest RTO when it invoked several), or stood down. Undefined
 * while an invocation is still open.
 */
export function drillOutcome(invocations: readonly Invocation[], now: number): Omit<DrillResult, 'findings' | 'report'> | undefined {
  if (invocations.length === 0 || invocations.some((i) => i.state === 'open')) return undefined;
  const recovered = invocations.filter((i) => i.state === 'recovered');
  const rtoMinutes = Math.min(...invocations.map((i) => i.rtoMinutes));
  if (recovered.length === 0) return { completedAt: now, outcome: 'stood-down', rtoMinutes };
  const achievedMinutes = Math.max(...recovered.map((i) => i.achievedMinutes ?? 0));
  const met = recovered.every((i) => i.rtoMet === true);
  const completedAt = Math.max(...recovered.map((i) => i.recoveredAt ?? now));
  return { completedAt, outcome: met ? 'met' : 'missed', rtoMinutes, achievedMinutes };
}

/** Records the drill's result (again, when the report or findings arrive later): it is then past. */
export function completeDrill(drill: Drill, result: DrillResult, now: number): Drill {
  return { ...drill, state: 'completed', listing: 'past', result, updatedAt: now };
}

/** The exercise issue's summary: says DRILL first, so nobody reading a list of issues mistakes it for an outage. */
export function drillIssueSummary(drill: Pick<Drill, 'kind' | 'planTitle'>): string {
  return `DRILL: ${DRILL_KIND_NAMES[drill.kind]} of ${drill.planTitle}`.slice(0, 255);
}
