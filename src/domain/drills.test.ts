/** Drills' pure rules: the mark read from Jira, the run claim, cancelling, and the result from the invocations. */
import { cancelDrill, claimRun, drillOutcome, newDrill, readDrillMark, releaseRun, requireDrillDate, RUN_CLAIM_TTL_MS, startRun, type Drill } from './drills';
import type { Invocation } from './invocation';

const NOW = Date.UTC(2026, 2, 1, 9, 0);
const MIN = 60_000;
const plan = { id: 'plan-pay', title: 'Payments failover', serviceId: 'svc-pay' };
const drill = (): Drill => newDrill('drill-1', { planId: plan.id, kind: 'fail-over', scheduledFor: NOW + 60 * MIN, participants: ['a-1'], notes: undefined }, plan, 'Payments', 'manager-1', NOW);

describe('the drill mark', () => {
  it('reads only a well-formed mark; an unknown kind reads as a simulation', () => {
    expect(readDrillMark({ drillId: 'd', planId: 'p', kind: 'tabletop' })).toEqual({ drillId: 'd', planId: 'p', kind: 'tabletop' });
    expect(readDrillMark({ drillId: 'd', planId: 'p', kind: 'chaos' })).toEqual({ drillId: 'd', planId: 'p', kind: 'simulation' });
    for (const bad of [undefined, null, 'drill', {}, { drillId: '', planId: 'p' }, { drillId: 'd' }, { drillId: 1, planId: 'p' }]) expect(readDrillMark(bad)).toBeUndefined();
  });
});

describe('scheduling and running', () => {
  it('refuses a date more than a day back or more than two years ahead', () => {
    expect(() => requireDrillDate(NOW - 2 * 24 * 60 * MIN, NOW)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'scheduledFor' }));
    expect(() => requireDrillDate(NOW + 3 * 366 * 24 * 60 * MIN, NOW)).toThrow(expect.objectContaining({ field: 'scheduledFor' }));
    expect(requireDrillDate(NOW - 60 * MIN, NOW)).toBe(NOW - 60 * MIN);
  });

  it('one claim runs it: another runner is refused until the claim is abandoned', () => {
    const claimed = claimRun(drill(), 'token-a', 'Alex', NOW);
    expect(() => claimRun(claimed, 'token-b', 'Casey', NOW + 1_000)).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'Alex is starting this drill right now.' }));
    expect(claimRun(claimed, 'token-b', 'Casey', NOW + RUN_CLAIM_TTL_MS + 1).run?.claim?.token).toBe('token-b');
    const running = startRun(claimed, { id: '10001', key: 'OPS-9' }, 'a-1', NOW);
    expect(running).toMatchObject({ state: 'running', listing: 'upcoming', run: { issueKey: 'OPS-9' } });
    expect(() => claimRun(running, 'token-c', 'Casey', NOW)).toThrow(expect.objectContaining({ message: 'This drill is already running as OPS-9.' }));
    expect(releaseRun(running, 'token-a')).toBeNull();
    expect(releaseRun(claimed, 'token-a')!.run).toBeUndefined();
  });

  it('is cancelled only while scheduled and not being started; a cancelled drill is past', () => {
    expect(cancelDrill(drill(), 'manager-1', NOW, 'Moved')).toMatchObject({ state: 'cancelled', listing: 'past', cancelled: { reason: 'Moved' } });
    expect(() => cancelDrill(claimRun(drill(), 't', 'Alex', NOW), 'manager-1', NOW)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});

describe('the result', () => {
  const inv = (over: Partial<Invocation>): Invocation => ({ state: 'recovered', rtoMinutes: 60, achievedMinutes: 50, rtoMet: true, recoveredAt: NOW + 50 * MIN, ...over }) as Invocation;
  it('is unknown while an invocation is open', () => {
    expect(drillOutcome([inv({ state: 'open' })], NOW)).toBeUndefined();
    expect(drillOutcome([], NOW)).toBeUndefined();
  });
  it('met, missed (the longest time against the tightest RTO), or stood down', () => {
    expect(drillOutcome([inv({})], NOW)).toEqual({ completedAt: NOW + 50 * MIN, outcome: 'met', rtoMinutes: 60, achievedMinutes: 50 });
    expect(drillOutcome([inv({}), inv({ rtoMinutes: 30, achievedMinutes: 70, rtoMet: false, recoveredAt: NOW + 70 * MIN })], NOW)).toEqual({ completedAt: NOW + 70 * MIN, outcome: 'missed', rtoMinutes: 30, achievedMinutes: 70 });
    expect(drillOutcome([inv({ state: 'stood-down' })], NOW)).toEqual({ completedAt: NOW, outcome: 'stood-down', rtoMinutes: 60 });
  });
});
