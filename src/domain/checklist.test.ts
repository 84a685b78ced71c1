import { planSnapshot } from './catalogue';
import { adoptPlanSteps, checklistProgress, markStepDone, reopenStep, skipStep, stepRecord } from './checklist';
import { ContinuityError } from './errors';
import { aPlan, anInvocation, deepFreeze, MINUTE, T0, thrown, actorOf } from './testing';

const plan = deepFreeze(aPlan());
const AGENT = 'acc-agent';
const OTHER = 'acc-other';

describe('markStepDone', () => {
  it('records who did the step and when, and appends a step-done entry', () => {
    const inv = deepFreeze(anInvocation());
    const next = markStepDone(inv, 's2', actorOf(AGENT), T0 + 10 * MINUTE);
    expect(next).not.toBe(inv);
    expect(next.steps).toEqual({ s2: { status: 'done', by: AGENT, at: T0 + 10 * MINUTE } });
    expect(next.timeline).toHaveLength(2);
    expect(next.timeline[1]).toEqual({ at: T0 + 10 * MINUTE, actor: AGENT, kind: 'step-done', detail: 'Step "Fail over the database" done.' });
    expect(next.updatedAt).toBe(T0 + 10 * MINUTE);
    expect(next.state).toBe('open');
  });

  it('leaves the input untouched (deep-frozen input, earlier records kept)', () => {
    const inv = deepFreeze(anInvocation({ steps: { s1: { status: 'done', by: OTHER, at: T0 + 2 * MINUTE } } }));
    const before = JSON.stringify(inv);
    const next = markStepDone(inv, 's2', actorOf(AGENT), T0 + 10 * MINUTE);
    expect(JSON.stringify(inv)).toBe(before);
    expect(Object.keys(next.steps!)).toEqual(['s1', 's2']);
    expect(inv.steps).toEqual({ s1: { status: 'done', by: OTHER, at: T0 + 2 * MINUTE } });
  });

  it('works on an invocation stored before steps existed (no steps field)', () => {
    const { steps: _none, ...legacy } = anInvocation();
    const next = markStepDone(deepFreeze(legacy), 's1', actorOf(AGENT), T0 + 5 * MINUTE);
    expect(stepRecord(next, 's1')?.status).toBe('done');
  });

  it('keeps the timeline ordered when the clock reads earlier than the last entry', () => {
    const inv = deepFreeze(anInvocation({ timeline: [{ at: T0 + 20 * MINUTE, actor: 'app', kind: 'qualified', detail: 'q' }], updatedAt: T0 + 20 * MINUTE }));
    const next = markStepDone(inv, 's1', actorOf(AGENT), T0 + 5 * MINUTE);
    expect(next.timeline.map((e) => e.at)).toEqual([T0 + 20 * MINUTE, T0 + 20 * MINUTE]);
    // The record keeps the time the person acted; only the timeline is clamped.
    expect(next.steps!.s1.at).toBe(T0 + 5 * MINUTE);
    expect(next.updatedAt).toBe(T0 + 20 * MINUTE);
  });

  it('refuses an unknown step with NOT_FOUND on stepId', () => {
    const error = thrown(() => markStepDone(deepFreeze(anInvocation()), 'nope', actorOf(AGENT), T0));
    expect(error).toBeInstanceOf(ContinuityError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
    expect(error.message).toContain('"nope"');
  });

  it('does not mistake inherited object keys for step records', () => {
    const trickyPlan = deepFreeze(aPlan({ steps: [{ id: 'constructor', title: 'Odd id', role: 'r', expectedMinutes: 1 }, { id: '__proto__', title: 'Odder id', role: 'r', expectedMinutes: 1 }] }));
    const a = markStepDone(deepFreeze(anInvocation({ plan: planSnapshot(trickyPlan) })), 'constructor', actorOf(AGENT), T0);
    const b = markStepDone(a, '__proto__', actorOf(AGENT), T0);
    expect(Object.keys(b.steps!)).toEqual(['constructor', '__proto__']);
    expect(checklistProgress(b, T0).done).toBe(2);
  });

  it('refuses a step already done or skipped with CONFLICT on stepId', () => {
    const done = markStepDone(deepFreeze(anInvocation()), 's1', actorOf(AGENT), T0);
    expect(thrown(() => markStepDone(done, 's1', actorOf(OTHER), T0 + MINUTE))).toMatchObject({ code: 'CONFLICT', field: 'stepId', message: 'Step "Declare the incident" is already done.' });
    const skipped = skipStep(deepFreeze(anInvocation()), 's1', 'Not needed', actorOf(AGENT), T0);
    expect(thrown(() => markStepDone(skipped, 's1', actorOf(OTHER), T0 + MINUTE))).toMatchObject({ code: 'CONFLICT', field: 'stepId', message: 'Step "Declare the incident" is already skipped.' });
  });

  it.each(['recovered', 'stood-down'] as const)('refuses when the invocation is %s with CONFLICT on state', (state) => {
    expect(thrown(() => markStepDone(deepFreeze(anInvocation({ state })), 's1', actorOf(AGENT), T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
  });


  it('refuses an empty actor with INVALID_INPUT on actor', () => {
    expect(thrown(() => markStepDone(deepFreeze(anInvocation()), 's1', actorOf('  '), T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'actor' });
  });

  it('checks the step before the state: an unknown step on a closed invocation is NOT_FOUND', () => {
    expect(thrown(() => markStepDone(deepFreeze(anInvocation({ state: 'recovered' })), 'nope', actorOf(AGENT), T0))).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
  });
});

describe('skipStep', () => {
  it('records the trimmed reason and appends a step-skipped entry', () => {
    const inv = deepFreeze(anInvocation());
    const next = skipStep(inv, 's3', '  DNS already points at standby  ', actorOf(AGENT), T0 + 7 * MINUTE);
    expect(next.steps).toEqual({ s3: { status: 'skipped', by: AGENT, at: T0 + 7 * MINUTE, reason: 'DNS already points at standby' } });
    expect(next.timeline[1]).toEqual({
      at: T0 + 7 * MINUTE,
      actor: AGENT,
      kind: 'step-skipped',
      detail: 'Step "Switch DNS to the standby region" skipped: DNS already points at standby',
    });
    expect(inv.steps).toBeUndefined();
  });

  it('strips control characters from the reason', () => {
    const next = skipStep(deepFreeze(anInvocation()), 's3', 'ok\u0000 \u202Eevil\u0007', actorOf(AGENT), T0);
    expect(next.steps!.s3.reason).toBe('ok evil');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '    '],
    ['too short once trimmed', '  ab  '],
    ['too long', 'x'.repeat(501)],
    ['not text', 42],
  ])('refuses a reason that is %s with INVALID_INPUT on reason', (_label, reason) => {
    const error = thrown(() => skipStep(deepFreeze(anInvocation()), 's1', reason as string, actorOf(AGENT), T0));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
  });

  it('accepts reasons of exactly 3 and 500 characters', () => {
    expect(skipStep(anInvocation(), 's1', 'abc', actorOf(AGENT), T0).steps!.s1.reason).toBe('abc');
    expect(skipStep(anInvocation(), 's1', 'y'.repeat(500), actorOf(AGENT), T0).steps!.s1.reason).toHaveLength(500);
  });

  it('refuses unknown steps, closed invocations and resolved steps', () => {
    expect(thrown(() => skipStep(anInvocation(), 'zz', 'why not', actorOf(AGENT), T0))).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
    expect(thrown(() => skipStep(anInvocation({ state: 'stood-down' }), 's1', 'why not', actorOf(AGENT), T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
    const done = markStepDone(anInvocation(), 's1', actorOf(AGENT), T0);
    expect(thrown(() => skipStep(done, 's1', 'why not', actorOf(AGENT), T0))).toMatchObject({ code: 'CONFLICT', field: 'stepId' });
  });
});

describe('reopenStep', () => {
  it('undoes a done step and records the undo in the timeline', () => {
    const done = deepFreeze(markStepDone(anInvocation(), 's2', actorOf(AGENT), T0 + 10 * MINUTE));
    const next = reopenStep(done, 's2', actorOf(OTHER), T0 + 12 * MINUTE);
    expect(next.steps).toEqual({});
    expect(next.timeline.map((e) => [e.kind, e.actor, e.at])).toEqual([
      ['qualified', 'app', T0 + MINUTE],
      ['step-done', AGENT, T0 + 10 * MINUTE],
      ['step-reopened', OTHER, T0 + 12 * MINUTE],
    ]);
    expect(next.timeline[2].detail).toBe('Step "Fail over the database" reopened (was done).');
    expect(done.steps).toEqual({ s2: { status: 'done', by: AGENT, at: T0 + 10 * MINUTE } });
  });

  it('undoes a skipped step, keeping the other records', () => {
    const a = markStepDone(anInvocation(), 's1', actorOf(AGENT), T0);
    const b = deepFreeze(skipStep(a, 's3', 'Not this time', actorOf(AGENT), T0));
    const next = reopenStep(b, 's3', actorOf(AGENT), T0 + MINUTE);
    expect(next.steps).toEqual({ s1: { status: 'done', by: AGENT, at: T0 } });
    expect(next.timeline[next.timeline.length - 1].detail).toBe('Step "Switch DNS to the standby region" reopened (was skipped).');
    // Once reopened the step can be done again.
    expect(markStepDone(next, 's3', actorOf(AGENT), T0 + 2 * MINUTE).steps!.s3.status).toBe('done');
  });

  it('refuses a step that is not resolved (CONFLICT on stepId), an unknown step and a closed invocation', () => {
    expect(thrown(() => reopenStep(anInvocation(), 's1', actorOf(AGENT), T0))).toMatchObject({ code: 'CONFLICT', field: 'stepId' });
    expect(thrown(() => reopenStep(anInvocation(), 'nope', actorOf(AGENT), T0))).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
    const closed = { ...markStepDone(anInvocation(), 's1', actorOf(AGENT), T0), state: 'recovered' as const };
    expect(thrown(() => reopenStep(closed, 's1', actorOf(AGENT), T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
  });
});

describe('checklistProgress', () => {
  it('with nothing done: every step remains and the projection is now + their minutes', () => {
    const now = T0 + 5 * MINUTE;
    const p = checklistProgress(deepFreeze(anInvocation()), now);
    expect(p).toMatchObject({ total: 4, done: 0, skipped: 0, remaining: 4, percent: 0, remainingMinutes: 50, projectedRecoveryAt: now + 50 * MINUTE, projectedWithinRto: true });
    expect(p.steps.map((s) => s.id)).toEqual(['s1', 's2', 's3', 's4']);
    expect(p.steps[0]).toEqual({ id: 's1', title: 'Declare the incident', role: 'Incident manager', expectedMinutes: 5 });
  });

  it('counts done and skipped, sums only the minutes of unresolved steps, keeps plan order', () => {
    let inv = anInvocation();
    inv = markStepDone(inv, 's3', actorOf(AGENT), T0 + 3 * MINUTE);
    inv = skipStep(inv, 's1', 'Already declared', actorOf(OTHER), T0 + 4 * MINUTE);
    const now = T0 + 20 * MINUTE;
    const p = checklistProgress(deepFreeze(inv), now);
    expect(p).toMatchObject({ total: 4, done: 1, skipped: 1, remaining: 2, percent: 50, remainingMinutes: 35, projectedRecoveryAt: now + 35 * MINUTE, projectedWithinRto: true });
    expect(p.steps.map((s) => [s.id, s.record?.status])).toEqual([
      ['s1', 'skipped'],
      ['s2', undefined],
      ['s3', 'done'],
      ['s4', undefined],
    ]);
    expect(p.steps[0].record).toEqual({ status: 'skipped', by: OTHER, at: T0 + 4 * MINUTE, reason: 'Already declared' });
  });

  it('projects within the RTO exactly at the due time, and outside one minute later', () => {
    // 50 minutes remain; the RTO is due at T0 + 60 min.
    expect(checklistProgress(anInvocation(), T0 + 10 * MINUTE)).toMatchObject({ projectedRecoveryAt: T0 + 60 * MINUTE, projectedWithinRto: true });
    expect(checklistProgress(anInvocation(), T0 + 11 * MINUTE)).toMatchObject({ projectedRecoveryAt: T0 + 61 * MINUTE, projectedWithinRto: false });
  });

  it('rounds the percentage down, so 100 means nothing remains', () => {
    const three = aPlan({ steps: plan.steps.slice(0, 3) });
    let inv = markStepDone(anInvocation({ plan: planSnapshot(three) }), 's1', actorOf(AGENT), T0);
    expect(checklistProgress(inv, T0).percent).toBe(33);
    inv = markStepDone(inv, 's2', actorOf(AGENT), T0);
    expect(checklistProgress(inv, T0).percent).toBe(66);
    inv = skipStep(inv, 's3', 'Not needed', actorOf(AGENT), T0);
    expect(checklistProgress(inv, T0)).toMatchObject({ percent: 100, remaining: 0, remainingMinutes: 0, projectedRecoveryAt: T0 });
  });

  it('ignores records of steps the plan no longer has, and counts new steps as remaining', () => {
    const edited = aPlan({ steps: [plan.steps[0], { id: 's9', title: 'New step', role: 'SRE', expectedMinutes: 7 }] });
    const inv = anInvocation({ plan: planSnapshot(edited), steps: { s1: { status: 'done', by: AGENT, at: T0 }, s2: { status: 'done', by: AGENT, at: T0 } } });
    expect(checklistProgress(inv, T0)).toMatchObject({ total: 2, done: 1, skipped: 0, remaining: 1, percent: 50, remainingMinutes: 7 });
  });

  it('answers 0 % and the current time for a plan without steps', () => {
    expect(checklistProgress(anInvocation({ plan: planSnapshot(aPlan({ steps: [] })) }), T0)).toMatchObject({ total: 0, remaining: 0, percent: 0, remainingMinutes: 0, projectedRecoveryAt: T0, projectedWithinRto: true, steps: [] });
  });

  it('returns copies, not the invocation\'s own records', () => {
    const inv = deepFreeze(markStepDone(anInvocation(), 's1', actorOf(AGENT), T0));
    const p = checklistProgress(inv, T0);
    expect(p.steps[0].record).toEqual(inv.steps!.s1);
    expect(p.steps[0].record).not.toBe(inv.steps!.s1);
    expect(Object.isFrozen(p.steps[0])).toBe(false);
  });

});

describe('adoptPlanSteps', () => {
  it('takes the edited steps, keeps the ticks of steps still there and drops the others from the checklist', () => {
    let inv = markStepDone(anInvocation(), 's1', actorOf(AGENT), T0);
    inv = markStepDone(inv, 's2', actorOf(AGENT), T0 + MINUTE);
    const edited = aPlan({ steps: [plan.steps[0], { id: 's9', title: 'New step', role: 'SRE', expectedMinutes: 7 }] });
    const next = adoptPlanSteps(deepFreeze(inv), planSnapshot(edited), actorOf(AGENT), T0 + 2 * MINUTE);
    expect(next.plan.steps.map((s) => s.id)).toEqual(['s1', 's9']);
    expect(Object.keys(next.steps!)).toEqual(['s1']);
    expect(next.timeline.at(-1)).toMatchObject({ kind: 'plan-updated', detail: "Checklist updated to the plan page's current 2 steps." });
    // The removed step's tick stays in the timeline.
    expect(next.timeline.filter((e) => e.kind === 'step-done')).toHaveLength(2);
  });

  it('changes nothing when the steps are the same, and refuses another plan', () => {
    const inv = deepFreeze(anInvocation());
    expect(adoptPlanSteps(inv, planSnapshot(plan), actorOf(AGENT), T0)).toBe(inv);
    expect(thrown(() => adoptPlanSteps(inv, planSnapshot(aPlan({ id: 'plan-2' })), actorOf(AGENT), T0))).toMatchObject({ code: 'NOT_FOUND', field: 'planId' });
  });
});
