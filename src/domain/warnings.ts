/**
 * Scheduled RTO warnings: one when 75 % of the RTO has elapsed, one when it is breached, each sent at
 * most once per invocation however often the scheduled trigger runs, however many runs overlap.
 *
 * How a caller sends a warning without ever sending it twice:
 *   1. `dueWarnings(inv, now)` lists what is due;
 *   2. for each, claim it with a conditional store write:
 *        stored = await store.updateInvocation(id, (cur) => { const n = claimWarning(cur, t, token, now); return n === cur ? null : n; })
 *      and go on only if `holdsWarningClaim(stored, t, token)`: of concurrent runs, exactly one holds it;
 *   3. post the comment (through post-once, whose comment marker catches a post whose response was lost);
 *   4. `recordWarning(cur, t, now)` in a second conditional write: the threshold joins `warningsSent`
 *      for good and the claim is dropped.
 * A claim older than `WARNING_CLAIM_TTL_MS` is presumed abandoned (the run crashed or timed out) and
 * may be taken over, so a crash delays a warning instead of losing it. The TTL must exceed the longest
 * time a run can take between claiming and posting (Forge functions time out well within a minute).
 */
import { formatMinutes } from './adf';
import { invalidInput } from './errors';
import { formatInstant } from './format';
import type { Invocation, WarningThreshold } from './invocation';
import { appendTimeline } from './timeline';

export type { WarningThreshold } from './invocation';

export const WARNING_THRESHOLDS: readonly WarningThreshold[] = ['rto-75', 'rto-breached'];
export const WARNING_CLAIM_TTL_MS = 60_000;

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

function liveClaim(invocation: Invocation, threshold: WarningThreshold, now: number, ttlMs: number) {
  const claim = invocation.warningClaims?.[threshold];
  return claim && now - claim.at < ttlMs ? claim : undefined;
}

/**
 * What a scheduled run should send now: for an open invocation, the crossed thresholds that are neither
 * sent nor claimed by a run still within the claim TTL. Empty for recovered or stood-down invocations.
 */
export function dueWarnings(invocation: Invocation, now: number, claimTtlMs = WARNING_CLAIM_TTL_MS): WarningThreshold[] {
  if (invocation.state !== 'open') return [];
  const sent = warningsSent(invocation);
  return crossedThresholds(invocation, now).filter((t) => !sent.includes(t) && !liveClaim(invocation, t, now, claimTtlMs));
}

/**
 * Claims a due threshold for the run identified by `token`. Returns the same object (nothing to write)
 * when the threshold is not due for this run: not crossed, already sent, the invocation not open, or
 * claimed by a run still within the TTL (including this run itself, which then still holds it).
 */
export function claimWarning(invocation: Invocation, threshold: WarningThreshold, token: string, now: number, claimTtlMs = WARNING_CLAIM_TTL_MS): Invocation {
  const t = requireThreshold(threshold);
  if (typeof token !== 'string' || token === '') throw invalidInput('A claim token is required.', 'token');
  if (!dueWarnings(invocation, now, claimTtlMs).includes(t)) return invocation;
  return { ...invocation, warningClaims: { ...invocation.warningClaims, [t]: { token, at: now } } };
}

/** Whether the run with `token` holds the claim on an unsent threshold (read it from the stored value). */
export function holdsWarningClaim(invocation: Invocation, threshold: WarningThreshold, token: string): boolean {
  return invocation.warningClaims?.[threshold]?.token === token && !warningsSent(invocation).includes(threshold);
}

function warningDetail(invocation: Invocation, threshold: WarningThreshold): string {
  const rto = formatMinutes(invocation.rtoMinutes);
  const due = formatInstant(invocation.rtoDueAt);
  return threshold === 'rto-75' ? `Warning sent: 75 % of the RTO of ${rto} has elapsed; recover by ${due}.` : `Warning sent: the RTO of ${rto} was breached at ${due}.`;
}

/**
 * Records that the warning for `threshold` was sent: it joins `warningsSent`, its claim is dropped and
 * a 'warning' entry (actor 'app') is appended. Idempotent: when already recorded it returns the input
 * itself (same reference), so a caller can tell nothing changed and skip the write.
 */
export function recordWarning(invocation: Invocation, threshold: WarningThreshold, now: number): Invocation {
  const t = requireThreshold(threshold);
  const sent = warningsSent(invocation);
  if (sent.includes(t)) return invocation;
  const { [t]: _claim, ...otherClaims } = invocation.warningClaims ?? {};
  const next: Invocation = { ...invocation, warningsSent: [...sent, t], warningClaims: otherClaims };
  return appendTimeline(next, { actor: 'app', kind: 'warning', detail: warningDetail(invocation, t) }, now);
}
