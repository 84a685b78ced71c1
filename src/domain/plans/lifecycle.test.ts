import type { ContinuityPlan } from '../catalogue';
import { ContinuityError } from '../errors';
import { initialHistory, moveStatus, mayMove } from './lifecycle';

const plan: ContinuityPlan = {
  id: 'p',
  serviceId: 's',
  title: 'Plan',
  pageId: '1',
  pageUrl: '',
  ownerAccountId: 'owner',
  status: 'draft',
  steps: [],
  commsTemplates: [],
  statusHistory: initialHistory('draft', 'casey', 100),
};
const manager = { accountId: 'casey', manager: true };
const owner = { accountId: 'owner', manager: false };
const stranger = { accountId: 'someone', manager: false };

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as ContinuityError).code;
  }
  return undefined;
}

describe('moveStatus', () => {
  it('walks draft → in review → approved → retired, recording who and when', () => {
    const inReview = moveStatus(plan, 'in-review', manager, 200);
    const approved = moveStatus(inReview, 'approved', owner, 300);
    const retired = moveStatus(approved, 'retired', manager, 400);
    expect(retired.status).toBe('retired');
    expect(retired.statusHistory).toEqual([
      { status: 'draft', by: 'casey', at: 100 },
      { status: 'in-review', by: 'casey', at: 200 },
      { status: 'approved', by: 'owner', at: 300 },
      { status: 'retired', by: 'casey', at: 400 },
    ]);
  });

  it('lets the owner approve but not move the plan otherwise; strangers neither', () => {
    const inReview = moveStatus(plan, 'in-review', manager, 200);
    expect(mayMove(inReview, 'approved', owner)).toEqual({ ok: true });
    expect(code(() => moveStatus(plan, 'in-review', owner, 200))).toBe('FORBIDDEN');
    expect(code(() => moveStatus(inReview, 'approved', stranger, 200))).toBe('FORBIDDEN');
  });

  it('refuses moves the lifecycle does not have, and a stale expectation', () => {
    expect(code(() => moveStatus(plan, 'approved', manager, 200))).toBe('INVALID_INPUT');
    expect(code(() => moveStatus(plan, 'bogus' as never, manager, 200))).toBe('INVALID_INPUT');
    expect(code(() => moveStatus(plan, 'in-review', manager, 200, 'approved'))).toBe('CONFLICT');
  });

  it('is idempotent: moving to the current status returns the same plan', () => {
    expect(moveStatus(plan, 'draft', stranger, 999)).toBe(plan);
  });
});
