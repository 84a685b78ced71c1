/**
 * Scheduled RTO warnings: one when 75 % of the RTO has elapsed, one when it is breached, each posted at
 * most once per invocation. Which warnings are due is derived from the clock and `warningsSent`; the
 * outbox posts them (see incident-record.pendingWrites) and the post-once protocol there guarantees a
 * single comment however many runs overlap.
 */
import { formatMinutes } from './adf';
import { invalidInput } from './errors';
import { formatInstant } from './format';
import type { Invocation, WarningThreshold } from './invocation';
import { APP_ACTOR } from './invocation';
import { appendTimeline } from './timeline';

export type { WarningThreshold } from './invocation';

export const WARNING_THRESHOLDS: readonly WarningThreshold[] = ['rto-75', 'rto-breached'];

function requireThreshold(threshold: unknown): WarningThreshold {
  if (!WARNING_THRESHOLDS.includes(threshold as WarningThreshold)) {
    throw invalidInput(`Unknown warning ${JSON.stringify(threshold)}; expected one of ${WARNING_THRESHOLDS.join(', ')}.`, 'threshold');
  }
  return threshold as WarningThreshold;
}

/** Thresholds already sent (recorded). */
export function warningsSent(invocation: Invocation): readonly WarningThreshold[] {
  return invocation.warningsSent ?? [];
}

/**
 * The thresholds crossed by `now`, whatever has been sent: 'rto-breached' when now >= rtoDueAt, else
 * 'rto-75' when at least 75 % of (rtoDueAt − startedAt) has elapsed. Once breached, 'rto-75' is
 * superseded: a "75 % elapsed, due at …" warning arriving after the breach would mislead, so a run that
 * finds both crossed at once (the scheduler was late) sends only the breach.
 */
export function crossedThresholds(invocation: Invocation, now: number): WarningThreshold[] {
  if (now >= invocation.rtoDueAt) return ['rto-breached'];
  const span = invocation.rtoDueAt - invocation.startedAt;
  // Integer arithmetic: elapsed / span >= 3/4 without floating-point surprises at exactly 75 %.
  if (4 * (now - invocation.startedAt) >= 3 * span) return ['rto-75'];
  return [];
}

/** The crossed thresholds of an open invocation that are not yet posted; empty unless it is open. */
export function dueWarnings(invocation: Invocation, now: number): WarningThreshold[] {
  if (invocation.state !== 'open') return [];
  const sent = warningsSent(invocation);
  return crossedThresholds(invocation, now).filter((t) => !sent.includes(t));
}

function warningDetail(invocation: Invocation, threshold: WarningThreshold): string {
  const rto = formatMinutes(invocation.rtoMinutes);
  const due = formatInstant(invocation.rtoDueAt);
  return threshold === 'rto-75' ? `Warning sent: 75 % of the RTO of ${rto} has elapsed; recover by ${due}.` : `Warning sent: the RTO of ${rto} was breached at ${due}.`;
}

/**
 * Records that the warning for `threshold` was posted: it joins `warningsSent` and a 'warning' entry
 * (by the app) is appended. Idempotent: when already recorded it returns the input
 * itself (same reference), so a caller can tell nothing changed and skip the write.
 */
export function recordWarning(invocation: Invocation, threshold: WarningThreshold, now: number): Invocation {
  const t = requireThreshold(threshold);
  const sent = warningsSent(invocation);
  if (sent.includes(t)) return invocation;
  const next: Invocation = { ...invocation, warningsSent: [...sent, t] };
  return appendTimeline(next, { actor: APP_ACTOR, kind: 'warning', detail: warningDetail(invocation, t) }, now);
}
