import type { ContinuityPlan } from '../catalogue';
import { DAY_MS, flagForChange, markReviewed, overduePeriod, reviewDueAt, reviewDueText, reviewState, withReminder } from './review';

const T0 = Date.UTC(2026, 0, 1);
const plan: ContinuityPlan = { id: 'p', serviceId: 's', title: 'P', pageId: '1', pageUrl: '', status: 'approved', steps: [], commsTemplates: [], lastReviewedAt: T0 };

describe('review periods', () => {
  it('falls due a tier\'s cadence after the last review (defaults 90/180/365 days, or the settings)', () => {
    expect(reviewDueAt(plan, 1)).toBe(T0 + 90 * DAY_MS);
    expect(reviewDueAt(plan, 3)).toBe(T0 + 365 * DAY_MS);
    expect(reviewDueAt(plan, 2, { 1: 30, 2: 60, 3: 90 })).toBe(T0 + 60 * DAY_MS);
  });

  it('counts from the first status when never reviewed, and not at all without either', () => {
    const fresh = { ...plan, lastReviewedAt: undefined, statusHistory: [{ status: 'draft' as const, by: 'x', at: T0 + DAY_MS }] };
    expect(reviewDueAt(fresh, 1)).toBe(T0 + 91 * DAY_MS);
    expect(reviewDueAt({ ...plan, lastReviewedAt: undefined }, 1)).toBeUndefined();
    expect(overduePeriod({ ...plan, lastReviewedAt: undefined }, 1, T0 + 1000 * DAY_MS)).toBeUndefined();
  });

  it('names one period per cadence once overdue, the same name throughout a period', () => {
    expect(overduePeriod(plan, 1, T0 + 89 * DAY_MS)).toBeUndefined();
    const first = overduePeriod(plan, 1, T0 + 90 * DAY_MS)!;
    expect(first).toEqual({ key: `${T0}:1`, number: 1, startsAt: T0 + 90 * DAY_MS, dueAt: T0 + 90 * DAY_MS });
    expect(overduePeriod(plan, 1, T0 + 179 * DAY_MS)!.key).toBe(first.key);
    expect(overduePeriod(plan, 1, T0 + 180 * DAY_MS)!).toMatchObject({ key: `${T0}:2`, number: 2, startsAt: T0 + 180 * DAY_MS });
    expect(overduePeriod({ ...plan, status: 'retired' }, 1, T0 + 500 * DAY_MS)).toBeUndefined();
  });

  it('starts again after a review, which also clears a change flag', () => {
    const flagged = flagForChange(plan, 'CHG-1', T0 + DAY_MS);
    const reviewed = markReviewed(flagged, 'owner', T0 + 200 * DAY_MS);
    expect(reviewed.reviewDue).toBeUndefined();
    expect(reviewed.lastReviewedBy).toBe('owner');
    expect(overduePeriod(reviewed, 1, T0 + 250 * DAY_MS)).toBeUndefined();
    expect(overduePeriod(reviewed, 1, T0 + 290 * DAY_MS)!.key).toBe(`${T0 + 200 * DAY_MS}:1`);
  });

  it('records a reminder once per period', () => {
    const once = withReminder(plan, { period: 'a', dueAt: 1, postedAt: 2 });
    expect(withReminder(once, { period: 'a', dueAt: 1, postedAt: 3 })).toBe(once);
    expect(withReminder(once, { period: 'b', dueAt: 1, postedAt: 3 }).reminders).toHaveLength(2);
  });
});

describe('change flags', () => {
  it('names each change request once, oldest first, and never flags a retired plan', () => {
    const a = flagForChange(plan, 'CHG-1', 10);
    const b = flagForChange(a, 'CHG-2', 20);
    expect(flagForChange(b, 'CHG-1', 30)).toBe(b);
    expect(b.reviewDue).toEqual({ changeKeys: ['CHG-1', 'CHG-2'], since: 10 });
    expect(reviewDueText(b.reviewDue!)).toBe('Review due: changed by CHG-1, CHG-2');
    expect(flagForChange({ ...plan, status: 'retired' }, 'CHG-1', 10).reviewDue).toBeUndefined();
  });

  it('puts a change flag before the cadence in the review state', () => {
    expect(reviewState(flagForChange(plan, 'CHG-9', 1), 1, T0).kind).toBe('changed');
    expect(reviewState(plan, 1, T0 + 100 * DAY_MS)).toMatchObject({ kind: 'overdue', text: 'Review overdue since 2026-04-01.' });
    expect(reviewState(plan, 1, T0)).toMatchObject({ kind: 'due', text: 'Next review due 2026-04-01.' });
  });
});
