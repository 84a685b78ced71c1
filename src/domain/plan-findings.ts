/**
 * Findings waiting on a plan: each postmortem (or drill report) that fed findings back to the plan page
 * adds an entry, and the plan's registry row says "findings waiting since <date>" until the plan's
 * owner (or a Service Continuity Manager) marks them handled; the next review sees them. Pure.
 */
import { forbidden } from './errors';

export interface WaitingFindings {
  incidentKey: string;
  postmortemUrl?: string;
  drill: boolean;
  /** How many findings the comment listed. */
  count: number;
  postedAt: number;
  commentId?: string;
}

export interface PlanFindings {
  /** Oldest first; at most MAX_WAITING (the oldest are dropped, the date of the first kept). */
  waiting: WaitingFindings[];
  /** When the owner last marked them handled, and how many postmortems that covered. */
  lastHandled?: { by: string; at: number; postmortems: number };
}

export const MAX_WAITING = 20;

/** The plan's findings with one more postmortem's waiting (once per incident: feeding twice changes nothing). */
export function addWaiting(findings: PlanFindings | undefined, entry: WaitingFindings): PlanFindings | undefined {
  const current = findings ?? { waiting: [] };
  if (current.waiting.some((w) => w.incidentKey === entry.incidentKey)) return findings;
  return { ...current, waiting: [...current.waiting, entry].slice(-MAX_WAITING) };
}

/** Since when findings have waited (the oldest waiting postmortem), or undefined when none wait. */
export function waitingSince(findings: PlanFindings | undefined): number | undefined {
  const waiting = findings?.waiting ?? [];
  return waiting.length > 0 ? Math.min(...waiting.map((w) => w.postedAt)) : undefined;
}

/**
 * The owner marks the findings handled: none wait any more. Only the plan's owner or a Service
 * Continuity Manager may; answers undefined-safe findings (unchanged when none wait).
 */
export function markHandled(findings: PlanFindings | undefined, who: { accountId: string; isOwner: boolean; isManager: boolean }, now: number): PlanFindings | undefined {
  if (!who.isOwner && !who.isManager) throw forbidden('Only the plan owner or a Service Continuity Manager marks findings handled.');
  if (!findings || findings.waiting.length === 0) return findings;
  return { waiting: [], lastHandled: { by: who.accountId, at: now, postmortems: findings.waiting.length } };
}
