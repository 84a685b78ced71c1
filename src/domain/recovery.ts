/**
 * The invocation's life cycle: open → recovered (service back) or stood-down (false alarm), and back to
 * open when either was premature. Pure; every transition appends to the timeline and returns a new
 * Invocation. A transition from the wrong state is a CONFLICT on field 'state'; a bad reason is
 * INVALID_INPUT on field 'reason'.
 */
import { differenceInMinutes } from 'date-fns';
import { formatMinutes } from './adf';
import { conflict } from './errors';
import { APP_ACTOR, type Actor, type Invocation } from './invocation';
import { parseReason, requireActor, stripControl, REASON_MAX } from './text';
import { appendTimeline } from './timeline';

/** The fields that only mean something while recovered or stood down; reopening removes them. */
function withoutOutcome(invocation: Invocation): Invocation {
  const { recoveredAt: _r, achievedMinutes: _a, rtoMet: _m, stoodDownAt: _s, standDownReason: _why, stoodDownBy: _by, ...rest } = invocation;
  return rest;
}

function requireOpen(invocation: Invocation, action: string): void {
  if (invocation.state !== 'open') throw conflict(`Cannot ${action}: the invocation is already ${invocation.state}.`, 'state');
}

/** Declares the service recovered; measures the time achieved against the RTO. */
export function declareRecovered(invocation: Invocation, actor: Actor, now: number): Invocation {
  requireActor(actor.accountId);
  requireOpen(invocation, 'declare recovery');
  const rtoMet = now <= invocation.rtoDueAt;
  // Rounded to the nearest minute, which for a met RTO is never above it; a missed RTO is never shown
  // within it, so the figure and the verdict agree: 60 min 20 s against a 60 min RTO is 61 min, missed.
  const rounded = Math.max(0, differenceInMinutes(now, invocation.startedAt, { roundingMethod: 'round' }));
  const achievedMinutes = rtoMet ? rounded : Math.max(rounded, invocation.rtoMinutes + 1);
  const rto = formatMinutes(invocation.rtoMinutes);
  const verdict = rtoMet
    ? `RTO of ${rto} met`
    : `RTO of ${rto} missed by ${formatMinutes(Math.max(1, differenceInMinutes(now, invocation.rtoDueAt, { roundingMethod: 'ceil' })))}`;
  const next: Invocation = { ...withoutOutcome(invocation), state: 'recovered', recoveredAt: now, achievedMinutes, rtoMet };
  return appendTimeline(next, { actor, kind: 'recovered', detail: `Recovered in ${formatMinutes(achievedMinutes)}; ${verdict}.` }, now);
}

/** Stands the invocation down: it was a false alarm, or continuity is not needed after all. */
export function standDown(invocation: Invocation, reason: string, actor: Actor, now: number): Invocation {
  const why = parseReason(reason, 'reason');
  requireActor(actor.accountId);
  requireOpen(invocation, 'stand down');
  const next: Invocation = { ...withoutOutcome(invocation), state: 'stood-down', stoodDownAt: now, standDownReason: why, stoodDownBy: actor.accountId };
  return appendTimeline(next, { actor, kind: 'stood-down', detail: `Stood down: ${why}` }, now);
}

/**
 * Undoes a recovery or stand-down declared too early. The RTO clock keeps running from the incident's
 * creation, step records and warnings already sent stay; only the outcome fields are cleared. `why` is
 * optional; when given it must be a valid reason (3–500 characters once trimmed; blank counts as absent).
 */
export function reopen(invocation: Invocation, actor: Actor, now: number, why?: string): Invocation {
  const reason = why === undefined || stripControl(why).trim() === '' ? undefined : parseReason(why, 'reason');
  requireActor(actor.accountId);
  if (invocation.state === 'open') throw conflict('Cannot reopen: the invocation is already open.', 'state');
  const was = invocation.state;
  const next: Invocation = { ...withoutOutcome(invocation), state: 'open' };
  const detail = `Reopened (was ${was})${reason ? `: ${reason}` : '.'}`;
  return appendTimeline(next, { actor, kind: 'reopened', detail }, now);
}

const NO_LONGER_QUALIFIES = 'The incident no longer qualifies for continuity.';

/**
 * The app's own stand-down, when an incident stops qualifying (its priority was lowered, the major
 * incident flag removed). Never throws on its input, because it runs in a trigger that Forge would
 * retry forever: a blank reason gets a default, a long one is cut to 500 characters. Returns the same
 * object when the invocation is not open, so callers can tell nothing changed and skip the write.
 */
export function standDownBecauseNotQualifying(invocation: Invocation, reason: string, now: number): Invocation {
  if (invocation.state !== 'open') return invocation;
  const cleaned = stripControl(typeof reason === 'string' ? reason : '').trim();
  const why = cleaned.length >= 3 ? cleaned.slice(0, REASON_MAX) : NO_LONGER_QUALIFIES;
  const next: Invocation = { ...withoutOutcome(invocation), state: 'stood-down', stoodDownAt: now, standDownReason: why, stoodDownBy: APP_ACTOR.accountId };
  return appendTimeline(next, { actor: APP_ACTOR, kind: 'stood-down', detail: `Stood down automatically: ${why}` }, now);
}

/**
 * The incident qualifies again after the app stood its invocation down (P1 → P3 → P1): the same
 * invocation reopens, its RTO clock still running from the incident's creation. A stand-down a person
 * declared (a false alarm) is their decision and stays. Returns the same object when nothing changes.
 */
export function reopenBecauseQualifiesAgain(invocation: Invocation, why: string, now: number): Invocation {
  if (invocation.state !== 'stood-down' || invocation.stoodDownBy !== 'app') return invocation;
  return reopen(invocation, APP_ACTOR, now, why);
}
