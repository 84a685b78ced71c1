import type { Invocation, WarningThreshold } from './invocation';
import { declareRecovered } from './recovery';
import { crossedThresholds, dueWarnings, recordWarning } from './warnings';
import { anInvocation, deepFreeze, MINUTE, T0, thrown } from './testing';

// RTO 60 min from T0: 75 % is T0 + 45 min, the breach T0 + 60 min.
const AT_75 = T0 + 45 * MINUTE;
const DUE = T0 + 60 * MINUTE;

describe('dueWarnings', () => {
  it('is empty before 75 % of the RTO, even one millisecond before', () => {
    expect(dueWarnings(anInvocation(), T0)).toEqual([]);
    expect(dueWarnings(anInvocation(), AT_75 - 1)).toEqual([]);
  });

  it('is rto-75 at exactly 75 % and until the breach', () => {
    expect(dueWarnings(anInvocation(), AT_75)).toEqual(['rto-75']);
    expect(dueWarnings(anInvocation(), DUE - 1)).toEqual(['rto-75']);
  });

  it('is exact at 75 % for an RTO whose 75 % is not a whole number of milliseconds', () => {
    // 7 ms span: 75 % is 5.25 ms, so 5 ms is below and 6 ms above.
    const inv = anInvocation({ startedAt: 0, rtoDueAt: 7 });
    expect(dueWarnings(inv, 5)).toEqual([]);
    expect(dueWarnings(inv, 6)).toEqual(['rto-75']);
  });

  it('is rto-breached at exactly the due time', () => {
    expect(dueWarnings(anInvocation(), DUE)).toEqual(['rto-breached']);
  });

  it('sends only the breach when both thresholds were crossed at once (75 % is superseded)', () => {
    expect(crossedThresholds(anInvocation(), DUE + 10 * MINUTE)).toEqual(['rto-breached']);
    expect(dueWarnings(anInvocation(), DUE + 10 * MINUTE)).toEqual(['rto-breached']);
  });

  it('leaves out thresholds already warned', () => {
    expect(dueWarnings(anInvocation({ warningsSent: ['rto-75'] }), AT_75 + MINUTE)).toEqual([]);
    expect(dueWarnings(anInvocation({ warningsSent: ['rto-75'] }), DUE)).toEqual(['rto-breached']);
    expect(dueWarnings(anInvocation({ warningsSent: ['rto-75', 'rto-breached'] }), DUE + MINUTE)).toEqual([]);
  });

  it.each(['recovered', 'stood-down'] as const)('is empty for a %s invocation', (state) => {
    expect(dueWarnings(anInvocation({ state }), DUE + MINUTE)).toEqual([]);
  });
});

describe('recordWarning', () => {
  it('adds the threshold and a warning entry by the app', () => {
    const inv = deepFreeze(anInvocation());
    const next = recordWarning(inv, 'rto-75', AT_75);
    expect(next.warningsSent).toEqual(['rto-75']);
    expect(next.timeline.at(-1)).toEqual({
      at: AT_75,
      actor: 'app',
      actorName: 'Service Continuity',
      kind: 'warning',
      detail: 'Warning sent: 75 % of the RTO of 1 h has elapsed; recover by 22 Nov 2026, 04:00 UTC.',
    });
    expect(inv.warningsSent).toBeUndefined();
    expect(inv.timeline).toHaveLength(1);
  });

  it('records the breach after the 75 % warning', () => {
    const next = recordWarning(recordWarning(anInvocation(), 'rto-75', AT_75), 'rto-breached', DUE);
    expect(next.warningsSent).toEqual(['rto-75', 'rto-breached']);
    expect(next.timeline.map((e) => [e.kind, e.at])).toEqual([
      ['qualified', T0 + MINUTE],
      ['warning', AT_75],
      ['warning', DUE],
    ]);
    expect(next.timeline.at(-1)!.detail).toBe('Warning sent: the RTO of 1 h was breached at 22 Nov 2026, 04:00 UTC.');
  });

  it('is idempotent: an already recorded threshold returns the very same object', () => {
    const once = deepFreeze(recordWarning(anInvocation(), 'rto-breached', DUE));
    expect(recordWarning(once, 'rto-breached', DUE + MINUTE)).toBe(once);
  });


  it('refuses an unknown threshold with INVALID_INPUT on threshold', () => {
    expect(thrown(() => recordWarning(anInvocation(), 'rto-50' as WarningThreshold, DUE))).toMatchObject({ code: 'INVALID_INPUT', field: 'threshold' });
  });
});
