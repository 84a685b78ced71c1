/**
 * The review cycle of a plan. Pure.
 *
 * A plan is due for review a tier's cadence (settings, default Tier 1 every 90 days, Tier 2 180, Tier 3
 * 365) after its last review, or after it was first published or adopted when it was never reviewed.
 * A review is recorded explicitly ("Mark reviewed"); an edit of the page alone does not count.
 *
 * Overdue periods: the first starts when the review falls due and each lasts one cadence, so a plan
 * 100 days overdue on a 90-day cadence is in its second period. The scheduled reminder posts one
 * reminder per period; a period is named by the review it follows and its number, so a new review
 * starts the count again and the same period is never reminded twice.
 *
 * A change to the plan's service (a JSM change request) makes a review due at once, whatever the
 * cadence, until the next review.
 */
import type { ContinuityPlan, ReviewDue, ReviewReminder, Tier } from '../catalogue';
import { MINUTES_PER_DAY } from '../durations';
import { DEFAULT_REVIEW_CADENCE, type ReviewCadence } from '../tiers';

export const DAY_MS = MINUTES_PER_DAY * 60_000;
/** Reminders kept on the plan (the newest). */
export const MAX_REMINDERS = 10;
/** Change requests named on one flag (the oldest are kept: they say since when). */
export const MAX_CHANGE_KEYS = 20;

/** When the review cycle counts from: the last review, else the first time the plan got a status. */
export function reviewBase(plan: Pick<ContinuityPlan, 'lastReviewedAt' | 'statusHistory'>): number | undefined {
  return plan.lastReviewedAt ?? plan.statusHistory?.[0]?.at;
}

/** When the plan's next review is due (epoch ms); undefined when the plan has no date to count from. */
export function reviewDueAt(plan: Pick<ContinuityPlan, 'lastReviewedAt' | 'statusHistory'>, tier: Tier, cadence: ReviewCadence = DEFAULT_REVIEW_CADENCE): number | undefined {
  const base = reviewBase(plan);
  return base === undefined ? undefined : base + cadence[tier] * DAY_MS;
}

export interface OverduePeriod {
  /** `<base>:<n>`: the review the period follows (epoch ms) and its number, 1 for the first. */
  key: string;
  number: number;
  /** When this period started. */
  startsAt: number;
  /** When the review fell due (the start of period 1). */
  dueAt: number;
}

/**
 * The overdue period `now` falls in, or undefined when the plan is not overdue (or retired, or has no
 * date to count from).
 */
export function overduePeriod(plan: Pick<ContinuityPlan, 'status' | 'lastReviewedAt' | 'statusHistory'>, tier: Tier, now: number, cadence: ReviewCadence = DEFAULT_REVIEW_CADENCE): OverduePeriod | undefined {
  if (plan.status === 'retired') return undefined;
  const base = reviewBase(plan);
  if (base === undefined) return undefined;
  const length = cadence[tier] * DAY_MS;
  const dueAt = base + length;
  if (now < dueAt) return undefined;
  const number = Math.floor((now - dueAt) / length) + 1;
  return { key: `${base}:${number}`, number, startsAt: dueAt + (number - 1) * length, dueAt };
}

/** Whether the plan was already reminded for this period. */
export function reminded(plan: Pick<ContinuityPlan, 'reminders'>, period: string): boolean {
  return (plan.reminders ?? []).some((r) => r.period === period);
}

/** The plan with a reminder recorded (idempotent: a period already recorded changes nothing). */
export function withReminder(plan: ContinuityPlan, reminder: ReviewReminder): ContinuityPlan {
  if (reminded(plan, reminder.period)) return plan;
  return { ...plan, reminders: [...(plan.reminders ?? []), reminder].slice(-MAX_REMINDERS) };
}

/** The plan with a review recorded by `by` at `at`: the cycle starts again and any change flag is cleared. */
export function markReviewed(plan: ContinuityPlan, by: string, at: number): ContinuityPlan {
  const { reviewDue: _cleared, ...rest } = plan;
  return { ...rest, lastReviewedAt: at, lastReviewedBy: by };
}

/**
 * The plan flagged "review due" because change request `changeKey` touched its service (idempotent:
 * the same key twice changes nothing). A retired plan is not flagged.
 */
export function flagForChange(plan: ContinuityPlan, changeKey: string, at: number): ContinuityPlan {
  if (plan.status === 'retired') return plan;
  const current = plan.reviewDue;
  if (current?.changeKeys.includes(changeKey)) return plan;
  if (current && current.changeKeys.length >= MAX_CHANGE_KEYS) return plan;
  const reviewDue: ReviewDue = current ? { ...current, changeKeys: [...current.changeKeys, changeKey] } : { changeKeys: [changeKey], since: at };
  return { ...plan, reviewDue };
}

/** "Review due: changed by CHG-12" (", CHG-15" for more), as the registry, the page and the panel show it. */
export function reviewDueText(due: ReviewDue): string {
  const keys = due.changeKeys;
  const shown = keys.slice(0, 3).join(', ');
  const more = keys.length > 3 ? ` and ${keys.length - 3} more` : '';
  return `Review due: changed by ${shown}${more}`;
}

export type ReviewState =
  | { kind: 'changed'; text: string; dueAt?: number }
  | { kind: 'overdue'; dueAt: number; text: string }
  | { kind: 'due'; dueAt: number; text: string }
  | { kind: 'never-reviewed'; text: string };

/** The plan's review state in words (a change flag first: it is the most urgent). */
export function reviewState(plan: Pick<ContinuityPlan, 'status' | 'lastReviewedAt' | 'statusHistory' | 'reviewDue'>, tier: Tier, now: number, cadence: ReviewCadence = DEFAULT_REVIEW_CADENCE): ReviewState {
  const dueAt = reviewDueAt(plan, tier, cadence);
  if (plan.reviewDue) return { kind: 'changed', text: reviewDueText(plan.reviewDue), ...(dueAt !== undefined ? { dueAt } : {}) };
  if (dueAt === undefined) return { kind: 'never-reviewed', text: 'Never reviewed.' };
  const day = new Date(dueAt).toISOString().slice(0, 10);
  return now >= dueAt ? { kind: 'overdue', dueAt, text: `Review overdue since ${day}.` } : { kind: 'due', dueAt, text: `Next review due ${day}.` };
}
