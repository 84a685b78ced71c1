/** Findings waiting on a plan: added once per incident, since the oldest, handled by the owner or a manager. */
import { addWaiting, markHandled, MAX_WAITING, waitingSince, type WaitingFindings } from './plan-findings';

const entry = (incidentKey: string, postedAt: number): WaitingFindings => ({ incidentKey, drill: false, count: 2, postedAt });

it('adds a postmortem once, however often it is fed', () => {
  const once = addWaiting(undefined, entry('OPS-1', 10));
  expect(addWaiting(once, entry('OPS-1', 20))).toBe(once);
  expect(addWaiting(once, entry('OPS-2', 20))!.waiting.map((w) => w.incidentKey)).toEqual(['OPS-1', 'OPS-2']);
});

it('waits since the oldest postmortem; keeps the last MAX_WAITING', () => {
  let findings = undefined as ReturnType<typeof addWaiting>;
  for (let i = 0; i < MAX_WAITING + 3; i++) findings = addWaiting(findings, entry(`OPS-${i}`, 100 + i));
  expect(findings!.waiting).toHaveLength(MAX_WAITING);
  expect(waitingSince(findings)).toBe(103);
  expect(waitingSince(undefined)).toBeUndefined();
  expect(waitingSince({ waiting: [] })).toBeUndefined();
});

it('is marked handled by the owner or a manager only', () => {
  const findings = addWaiting(addWaiting(undefined, entry('OPS-1', 10)), entry('OPS-2', 20));
  expect(() => markHandled(findings, { accountId: 'x', isOwner: false, isManager: false }, 30)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  expect(markHandled(findings, { accountId: 'owner', isOwner: true, isManager: false }, 30)).toEqual({ waiting: [], lastHandled: { by: 'owner', at: 30, postmortems: 2 } });
  expect(markHandled(undefined, { accountId: 'm', isOwner: false, isManager: true }, 30)).toBeUndefined();
});
