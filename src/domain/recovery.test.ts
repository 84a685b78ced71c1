import { markStepDone } from './checklist';
import { declareRecovered, reopen, reopenBecauseQualifiesAgain, standDown, standDownBecauseNotQualifying } from './recovery';
import { issueProperty } from './invocation';
import { aPlan, anInvocation, deepFreeze, MINUTE, T0, thrown, actorOf } from './testing';

const AGENT = 'acc-agent';

describe('declareRecovered', () => {
  it('recovers an open invocation within the RTO', () => {
    const inv = deepFreeze(anInvocation());
    const now = T0 + 47 * MINUTE;
    const next = declareRecovered(inv, actorOf(AGENT), now);
    expect(next).toMatchObject({ state: 'recovered', recoveredAt: now, achievedMinutes: 47, rtoMet: true });
    expect(next.timeline[next.timeline.length - 1]).toEqual({ at: now, actor: AGENT, kind: 'recovered', detail: 'Recovered in 47 min; RTO of 1 h met.' });
    expect(inv.state).toBe('open');
    expect(inv.recoveredAt).toBeUndefined();
  });

  it('meets the RTO exactly at the due time and misses it a second later', () => {
    const due = T0 + 60 * MINUTE;
    expect(declareRecovered(anInvocation(), actorOf(AGENT), due)).toMatchObject({ rtoMet: true, achievedMinutes: 60 });
    const late = declareRecovered(anInvocation(), actorOf(AGENT), due + 1000);
    // One second late is a missed RTO, and the figure agrees with the verdict: 61 minutes, not 60.
    expect(late).toMatchObject({ rtoMet: false, achievedMinutes: 61 });
    expect(late.timeline[late.timeline.length - 1].detail).toBe('Recovered in 1 h 1 min; RTO of 1 h missed by 1 min.');
  });

  it('never reports an achieved time within the RTO for a missed RTO, nor beyond it for a met one', () => {
    for (let seconds = 59 * 60; seconds <= 61 * 60; seconds += 7) {
      const recovered = declareRecovered(anInvocation(), actorOf(AGENT), T0 + seconds * 1000);
      expect(recovered.achievedMinutes! <= recovered.rtoMinutes).toBe(recovered.rtoMet);
    }
  });

  it('rounds achieved minutes to the nearest minute when the RTO is met', () => {
    expect(declareRecovered(anInvocation(), actorOf(AGENT), T0 + 29 * MINUTE + 29_999).achievedMinutes).toBe(29);
    expect(declareRecovered(anInvocation(), actorOf(AGENT), T0 + 29 * MINUTE + 30_000).achievedMinutes).toBe(30);
  });

  it('reports a long miss in hours and minutes', () => {
    const next = declareRecovered(anInvocation(), actorOf(AGENT), T0 + 135 * MINUTE);
    expect(next).toMatchObject({ achievedMinutes: 135, rtoMet: false });
    expect(next.timeline[next.timeline.length - 1].detail).toBe('Recovered in 2 h 15 min; RTO of 1 h missed by 1 h 15 min.');
  });

  it('never reports negative minutes when the clock reads before the incident started', () => {
    expect(declareRecovered(anInvocation(), actorOf(AGENT), T0 - 5 * MINUTE).achievedMinutes).toBe(0);
  });

  it.each(['recovered', 'stood-down'] as const)('refuses a %s invocation with CONFLICT on state', (state) => {
    expect(thrown(() => declareRecovered(deepFreeze(anInvocation({ state })), actorOf(AGENT), T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
  });

  it('refuses an empty actor', () => {
    expect(thrown(() => declareRecovered(anInvocation(), actorOf(''), T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'actor' });
  });
});

describe('standDown', () => {
  it('stands an open invocation down with the trimmed reason', () => {
    const inv = deepFreeze(anInvocation());
    const next = standDown(inv, '  False alarm: monitoring glitch ', actorOf(AGENT), T0 + 9 * MINUTE);
    expect(next).toMatchObject({ state: 'stood-down', stoodDownAt: T0 + 9 * MINUTE, standDownReason: 'False alarm: monitoring glitch' });
    expect(next.timeline[next.timeline.length - 1]).toEqual({ at: T0 + 9 * MINUTE, actor: AGENT, kind: 'stood-down', detail: 'Stood down: False alarm: monitoring glitch' });
    expect(inv.state).toBe('open');
  });

  it.each([undefined, '', '  ', 'no', 'z'.repeat(501)])('refuses the reason %p with INVALID_INPUT on reason', (reason) => {
    expect(thrown(() => standDown(anInvocation(), reason as string, actorOf(AGENT), T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
  });

  it.each(['recovered', 'stood-down'] as const)('refuses a %s invocation with CONFLICT on state', (state) => {
    expect(thrown(() => standDown(anInvocation({ state }), 'False alarm', actorOf(AGENT), T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
  });
});

describe('reopen', () => {
  it('reopens a recovered invocation, clearing the outcome but keeping timeline, steps and the clock', () => {
    const plan = aPlan();
    const withStep = markStepDone(anInvocation(), 's1', actorOf(AGENT), T0 + 2 * MINUTE);
    const recovered = deepFreeze(declareRecovered(withStep, actorOf(AGENT), T0 + 30 * MINUTE));
    const next = reopen(recovered, actorOf('acc-manager'), T0 + 35 * MINUTE, 'Payments failing again');
    expect(next.state).toBe('open');
    for (const field of ['recoveredAt', 'achievedMinutes', 'rtoMet', 'stoodDownAt', 'standDownReason']) expect(next).not.toHaveProperty(field);
    expect(next.steps).toEqual(recovered.steps);
    expect(next.rtoDueAt).toBe(recovered.rtoDueAt);
    expect(next.timeline.map((e) => e.kind)).toEqual(['qualified', 'step-done', 'recovered', 'reopened']);
    expect(next.timeline[3]).toEqual({ at: T0 + 35 * MINUTE, actor: 'acc-manager', kind: 'reopened', detail: 'Reopened (was recovered): Payments failing again' });
    expect(recovered).toMatchObject({ state: 'recovered', recoveredAt: T0 + 30 * MINUTE });
  });

  it('reopens a stood-down invocation without a reason', () => {
    const stood = deepFreeze(standDown(anInvocation(), 'Looked like a false alarm', actorOf(AGENT), T0 + 5 * MINUTE));
    const next = reopen(stood, actorOf(AGENT), T0 + 6 * MINUTE);
    expect(next.state).toBe('open');
    expect(next).not.toHaveProperty('standDownReason');
    expect(next.timeline[next.timeline.length - 1].detail).toBe('Reopened (was stood-down).');
    // A blank reason counts as none.
    expect(reopen(stood, actorOf(AGENT), T0 + 6 * MINUTE, '   ').timeline.at(-1)!.detail).toBe('Reopened (was stood-down).');
  });

  it('can recover again after a reopen, measuring from the incident start', () => {
    const again = declareRecovered(reopen(declareRecovered(anInvocation(), actorOf(AGENT), T0 + 10 * MINUTE), actorOf(AGENT), T0 + 20 * MINUTE), actorOf(AGENT), T0 + 70 * MINUTE);
    expect(again).toMatchObject({ state: 'recovered', achievedMinutes: 70, rtoMet: false });
    expect(again.timeline.map((e) => e.kind)).toEqual(['qualified', 'recovered', 'reopened', 'recovered']);
  });

  it('refuses an open invocation with CONFLICT on state, and a too-short reason on reason', () => {
    expect(thrown(() => reopen(anInvocation(), actorOf(AGENT), T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
    expect(thrown(() => reopen(anInvocation({ state: 'recovered' }), actorOf(AGENT), T0, 'no'))).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
  });

  it('keeps the timeline ordered when the clock is behind', () => {
    const recovered = declareRecovered(anInvocation(), actorOf(AGENT), T0 + 30 * MINUTE);
    const next = reopen(recovered, actorOf(AGENT), T0 + 29 * MINUTE);
    expect(next.timeline.map((e) => e.at)).toEqual([T0 + MINUTE, T0 + 30 * MINUTE, T0 + 30 * MINUTE]);
  });
});

describe('standDownBecauseNotQualifying', () => {
  it('stands an open invocation down as the app', () => {
    const inv = deepFreeze(anInvocation());
    const next = standDownBecauseNotQualifying(inv, 'Priority lowered to Medium.', T0 + 3 * MINUTE);
    expect(next).toMatchObject({ state: 'stood-down', stoodDownAt: T0 + 3 * MINUTE, standDownReason: 'Priority lowered to Medium.' });
    expect(next.timeline.at(-1)).toEqual({ at: T0 + 3 * MINUTE, actor: 'app', actorName: 'Service Continuity', kind: 'stood-down', detail: 'Stood down automatically: Priority lowered to Medium.' });
  });

  it.each(['recovered', 'stood-down'] as const)('returns the same object for a %s invocation', (state) => {
    const inv = deepFreeze(anInvocation({ state }));
    expect(standDownBecauseNotQualifying(inv, 'Priority lowered.', T0)).toBe(inv);
  });

  it('never throws on its reason: blank gets a default, long is cut to 500', () => {
    expect(standDownBecauseNotQualifying(anInvocation(), '  ', T0).standDownReason).toBe('The incident no longer qualifies for continuity.');
    expect(standDownBecauseNotQualifying(anInvocation(), 'r'.repeat(900), T0).standDownReason).toHaveLength(500);
  });
});

describe('reopenBecauseQualifiesAgain', () => {
  it('reopens an invocation the app stood down, keeping its clock and history', () => {
    const stood = deepFreeze(standDownBecauseNotQualifying(anInvocation(), 'Priority lowered to P3.', T0 + 10 * MINUTE));
    expect(stood.stoodDownBy).toBe('app');
    const again = reopenBecauseQualifiesAgain(stood, 'the incident qualifies again', T0 + 20 * MINUTE);
    expect(again).toMatchObject({ state: 'open', rtoDueAt: stood.rtoDueAt, startedAt: stood.startedAt });
    expect(again.stoodDownBy).toBeUndefined();
    expect(again.timeline.map((t) => t.kind)).toEqual(['qualified', 'stood-down', 'reopened']);
    expect(again.timeline.at(-1)).toMatchObject({ actor: 'app', detail: 'Reopened (was stood-down): the incident qualifies again' });
  });

  it('leaves a stand-down a person declared, and anything not stood down, as it is', () => {
    const byAgent = deepFreeze(standDown(anInvocation(), 'False alarm', actorOf(AGENT), T0 + 5 * MINUTE));
    expect(byAgent.stoodDownBy).toBe(AGENT);
    expect(reopenBecauseQualifiesAgain(byAgent, 'the incident qualifies again', T0 + 9 * MINUTE)).toBe(byAgent);
    const recovered = deepFreeze(declareRecovered(anInvocation(), actorOf(AGENT), T0 + 5 * MINUTE));
    expect(reopenBecauseQualifiesAgain(recovered, 'the incident qualifies again', T0 + 9 * MINUTE)).toBe(recovered);
    const open = deepFreeze(anInvocation());
    expect(reopenBecauseQualifiesAgain(open, 'the incident qualifies again', T0 + 9 * MINUTE)).toBe(open);
  });
});

describe('issueProperty', () => {
  it('lists the plans still open separately from every plan ever invoked, for JQL', () => {
    const open = anInvocation({ id: '1.plan-a', planId: 'plan-a' });
    const recovered = declareRecovered(anInvocation({ id: '1.plan-b', planId: 'plan-b' }), actorOf(AGENT), T0 + 5 * MINUTE);
    expect(issueProperty([open, recovered])).toMatchObject({ openInvocations: 1, planIds: ['plan-a', 'plan-b'], openPlanIds: ['plan-a'], states: ['open', 'recovered'] });
  });
});
