import { checklistProgress, markStepDone, reopenStep, skipStep, stepRecord } from './checklist';
import { ContinuityError } from './errors';
import { aPlan, anInvocation, deepFreeze, MINUTE, T0, thrown } from './testing';

const plan = deepFreeze(aPlan());
const AGENT = 'acc-agent';
const OTHER = 'acc-other';

describe('markStepDone', () => {
  it('records who did the step and when, and appends a step-done entry', () => {
    const inv = deepFreeze(anInvocation());
    const next = markStepDone(inv, plan, 's2', AGENT, T0 + 10 * MINUTE);
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
    const next = markStepDone(inv, plan, 's2', AGENT, T0 + 10 * MINUTE);
    expect(JSON.stringify(inv)).toBe(before);
    expect(Object.keys(next.steps!)).toEqual(['s1', 's2']);
    expect(inv.steps).toEqual({ s1: { status: 'done', by: OTHER, at: T0 + 2 * MINUTE } });
  });

  it('works on an invocation stored before steps existed (no steps field)', () => {
    const { steps: _none, ...legacy } = anInvocation();
    const next = markStepDone(deepFreeze(legacy), plan, 's1', AGENT, T0 + 5 * MINUTE);
    expect(stepRecord(next, 's1')?.status).toBe('done');
  });

  it('keeps the timeline ordered when the clock reads earlier than the last entry', () => {
    const inv = deepFreeze(anInvocation({ timeline: [{ at: T0 + 20 * MINUTE, actor: 'app', kind: 'qualified', detail: 'q' }], updatedAt: T0 + 20 * MINUTE }));
    const next = markStepDone(inv, plan, 's1', AGENT, T0 + 5 * MINUTE);
    expect(next.timeline.map((e) => e.at)).toEqual([T0 + 20 * MINUTE, T0 + 20 * MINUTE]);
    // The record keeps the time the person acted; only the timeline is clamped.
    expect(next.steps!.s1.at).toBe(T0 + 5 * MINUTE);
    expect(next.updatedAt).toBe(T0 + 20 * MINUTE);
  });

  it('refuses an unknown step with NOT_FOUND on stepId', () => {
    const error = thrown(() => markStepDone(deepFreeze(anInvocation()), plan, 'nope', AGENT, T0));
    expect(error).toBeInstanceOf(ContinuityError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
    expect(error.message).toContain('"nope"');
  });

  it('does not mistake inherited object keys for step records', () => {
    const trickyPlan = deepFreeze(aPlan({ steps: [{ id: 'constructor', title: 'Odd id', role: 'r', expectedMinutes: 1 }, { id: '__proto__', title: 'Odder id', role: 'r', expectedMinutes: 1 }] }));
    const a = markStepDone(deepFreeze(anInvocation()), trickyPlan, 'constructor', AGENT, T0);
    const b = markStepDone(a, trickyPlan, '__proto__', AGENT, T0);
    expect(Object.keys(b.steps!)).toEqual(['constructor', '__proto__']);
    expect(checklistProgress(b, trickyPlan, T0).done).toBe(2);
  });

  it('refuses a step already done or skipped with CONFLICT on stepId', () => {
    const done = markStepDone(deepFreeze(anInvocation()), plan, 's1', AGENT, T0);
    expect(thrown(() => markStepDone(done, plan, 's1', OTHER, T0 + MINUTE))).toMatchObject({ code: 'CONFLICT', field: 'stepId', message: 'Step "Declare the incident" is already done.' });
    const skipped = skipStep(deepFreeze(anInvocation()), plan, 's1', 'Not needed', AGENT, T0);
    expect(thrown(() => markStepDone(skipped, plan, 's1', OTHER, T0 + MINUTE))).toMatchObject({ code: 'CONFLICT', field: 'stepId', message: 'Step "Declare the incident" is already skipped.' });
  });

  it.each(['recovered', 'stood-down'] as const)('refuses when the invocation is %s with CONFLICT on state', (state) => {
    expect(thrown(() => markStepDone(deepFreeze(anInvocation({ state })), plan, 's1', AGENT, T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
  });

  it('refuses a plan that is not the invocation\'s with INVALID_INPUT on planId', () => {
    expect(thrown(() => markStepDone(deepFreeze(anInvocation()), aPlan({ id: 'plan-2' }), 's1', AGENT, T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'planId' });
  });

  it('refuses an empty actor with INVALID_INPUT on actor', () => {
    expect(thrown(() => markStepDone(deepFreeze(anInvocation()), plan, 's1', '  ', T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'actor' });
  });

  it('checks the step before the state: an unknown step on a closed invocation is NOT_FOUND', () => {
    expect(thrown(() => markStepDone(deepFreeze(anInvocation({ state: 'recovered' })), plan, 'nope', AGENT, T0))).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
  });
});

describe('skipStep', () => {
  it('records the trimmed reason and appends a step-skipped entry', () => {
    const inv = deepFreeze(anInvocation());
    const next = skipStep(inv, plan, 's3', '  DNS already points at standby  ', AGENT, T0 + 7 * MINUTE);
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
    const next = skipStep(deepFreeze(anInvocation()), plan, 's3', 'ok\u0000 \u202Eevil\u0007', AGENT, T0);
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
    const error = thrown(() => skipStep(deepFreeze(anInvocation()), plan, 's1', reason as string, AGENT, T0));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
  });

  it('accepts reasons of exactly 3 and 500 characters', () => {
    expect(skipStep(anInvocation(), plan, 's1', 'abc', AGENT, T0).steps!.s1.reason).toBe('abc');
    expect(skipStep(anInvocation(), plan, 's1', 'y'.repeat(500), AGENT, T0).steps!.s1.reason).toHaveLength(500);
  });

  it('refuses unknown steps, closed invocations and resolved steps', () => {
    expect(thrown(() => skipStep(anInvocation(), plan, 'zz', 'why not', AGENT, T0))).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
    expect(thrown(() => skipStep(anInvocation({ state: 'stood-down' }), plan, 's1', 'why not', AGENT, T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
    const done = markStepDone(anInvocation(), plan, 's1', AGENT, T0);
    expect(thrown(() => skipStep(done, plan, 's1', 'why not', AGENT, T0))).toMatchObject({ code: 'CONFLICT', field: 'stepId' });
  });
});

describe('reopenStep', () => {
  it('undoes a done step and records the undo in the timeline', () => {
    const done = deepFreeze(markStepDone(anInvocation(), plan, 's2', AGENT, T0 + 10 * MINUTE));
    const next = reopenStep(done, plan, 's2', OTHER, T0 + 12 * MINUTE);
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
    const a = markStepDone(anInvocation(), plan, 's1', AGENT, T0);
    const b = deepFreeze(skipStep(a, plan, 's3', 'Not this time', AGENT, T0));
    const next = reopenStep(b, plan, 's3', AGENT, T0 + MINUTE);
    expect(next.steps).toEqual({ s1: { status: 'done', by: AGENT, at: T0 } });
    expect(next.timeline[next.timeline.length - 1].detail).toBe('Step "Switch DNS to the standby region" reopened (was skipped).');
    // Once reopened the step can be done again.
    expect(markStepDone(next, plan, 's3', AGENT, T0 + 2 * MINUTE).steps!.s3.status).toBe('done');
  });

  it('refuses a step that is not resolved (CONFLICT on stepId), an unknown step and a closed invocation', () => {
    expect(thrown(() => reopenStep(anInvocation(), plan, 's1', AGENT, T0))).toMatchObject({ code: 'CONFLICT', field: 'stepId' });
    expect(thrown(() => reopenStep(anInvocation(), plan, 'nope', AGENT, T0))).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
    const closed = { ...markStepDone(anInvocation(), plan, 's1', AGENT, T0), state: 'recovered' as const };
    expect(thrown(() => reopenStep(closed, plan, 's1', AGENT, T0))).toMatchObject({ code: 'CONFLICT', field: 'state' });
  });
});

describe('checklistProgress', () => {
  it('with nothing done: every step remains and the projection is now + their minutes', () => {
    const now = T0 + 5 * MINUTE;
    const p = checklistProgress(deepFreeze(anInvocation()), plan, now);
    expect(p).toMatchObject({ total: 4, done: 0, skipped: 0, remaining: 4, percent: 0, remainingMinutes: 50, projectedRecoveryAt: now + 50 * MINUTE, projectedWithinRto: true });
    expect(p.steps.map((s) => s.id)).toEqual(['s1', 's2', 's3', 's4']);
    expect(p.steps[0]).toEqual({ id: 's1', title: 'Declare the incident', role: 'Incident manager', expectedMinutes: 5 });
  });

  it('counts done and skipped, sums only the minutes of unresolved steps, keeps plan order', () => {
    let inv = anInvocation();
    inv = markStepDone(inv, plan, 's3', AGENT, T0 + 3 * MINUTE);
    inv = skipStep(inv, plan, 's1', 'Already declared', OTHER, T0 + 4 * MINUTE);
    const now = T0 + 20 * MINUTE;
    const p = checklistProgress(deepFreeze(inv), plan, now);
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
    expect(checklistProgress(anInvocation(), plan, T0 + 10 * MINUTE)).toMatchObject({ projectedRecoveryAt: T0 + 60 * MINUTE, projectedWithinRto: true });
    expect(checklistProgress(anInvocation(), plan, T0 + 11 * MINUTE)).toMatchObject({ projectedRecoveryAt: T0 + 61 * MINUTE, projectedWithinRto: false });
  });

  it('rounds the percentage down, so 100 means nothing remains', () => {
    const three = aPlan({ steps: plan.steps.slice(0, 3) });
    let inv = markStepDone(anInvocation(), three, 's1', AGENT, T0);
    expect(checklistProgress(inv, three, T0).percent).toBe(33);
    inv = markStepDone(inv, three, 's2', AGENT, T0);
    expect(checklistProgress(inv, three, T0).percent).toBe(66);
    inv = skipStep(inv, three, 's3', 'Not needed', AGENT, T0);
    expect(checklistProgress(inv, three, T0)).toMatchObject({ percent: 100, remaining: 0, remainingMinutes: 0, projectedRecoveryAt: T0 });
  });

  it('ignores records of steps the plan no longer has, and counts new steps as remaining', () => {
    const edited = aPlan({ steps: [plan.steps[0], { id: 's9', title: 'New step', role: 'SRE', expectedMinutes: 7 }] });
    const inv = anInvocation({ steps: { s1: { status: 'done', by: AGENT, at: T0 }, s2: { status: 'done', by: AGENT, at: T0 } } });
    expect(checklistProgress(inv, edited, T0)).toMatchObject({ total: 2, done: 1, skipped: 0, remaining: 1, percent: 50, remainingMinutes: 7 });
  });

  it('answers 0 % and the current time for a plan without steps', () => {
    expect(checklistProgress(anInvocation(), aPlan({ steps: [] }), T0)).toMatchObject({ total: 0, remaining: 0, percent: 0, remainingMinutes: 0, projectedRecoveryAt: T0, projectedWithinRto: true, steps: [] });
  });

  it('returns copies, not the invocation\'s own records', () => {
    const inv = deepFreeze(markStepDone(anInvocation(), plan, 's1', AGENT, T0));
    const p = checklistProgress(inv, plan, T0);
    expect(p.steps[0].record).toEqual(inv.steps!.s1);
    expect(p.steps[0].record).not.toBe(inv.steps!.s1);
    expect(Object.isFrozen(p.steps[0])).toBe(false);
  });

  it('refuses another plan with INVALID_INPUT on planId', () => {
    expect(thrown(() => checklistProgress(anInvocation(), aPlan({ id: 'other' }), T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'planId' });
  });
});
