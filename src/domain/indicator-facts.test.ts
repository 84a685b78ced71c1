import type { ContinuityPlan } from './catalogue';
import {
  catalogueUpdates,
  contributionStep,
  incidentUpdates,
  INDICATOR_SHARDS,
  invocationFacts,
  riskFacts,
  riskUpdate,
  sameFacts,
  serviceFacts,
  shardOf,
  sourceKey,
  type Contribution,
  type SourceUpdate,
} from './indicator-facts';
import { apply, applyAll, emptyAggregates, recompute, sumAggregates, type IndicatorChange } from './indicators';
import type { Invocation } from './invocation';
import { aPlan, aService, anInvocation, deepFreeze, seededRandom, T0 } from './testing';

const DAY = 86_400_000;

describe('shards', () => {
  it('puts a source in the same shard every time, and spreads sources over every shard', () => {
    expect(shardOf('service:svc-payments')).toBe(shardOf('service:svc-payments'));
    const used = new Set(Array.from({ length: 400 }, (_, i) => shardOf(sourceKey.invocation(`${10_000 + i}.plan-x`))));
    expect(used.size).toBe(INDICATOR_SHARDS);
    expect(Math.min(...used)).toBe(0);
    expect(Math.max(...used)).toBe(INDICATOR_SHARDS - 1);
  });

  it('adds shards up to the aggregates of every change applied in one place', () => {
    const random = seededRandom(7);
    const changes: Array<{ key: string; change: IndicatorChange }> = Array.from({ length: 200 }, (_, i) => ({
      key: `risk:${i}`,
      change: i % 2 === 0 ? { entity: 'risk', after: { implementationDays: Math.floor(random() * 200) } } : { entity: 'service', after: { tier: ((i % 3) + 1) as 1 | 2 | 3, hasApprovedPlan: random() > 0.5, lastTestedAt: T0 - Math.floor(random() * 400) * DAY } },
    }));
    const shards = Array.from({ length: INDICATOR_SHARDS }, () => emptyAggregates());
    for (const { key, change } of changes) shards[shardOf(key)] = apply(shards[shardOf(key)]!, change);
    expect(sumAggregates(shards)).toEqual(applyAll(emptyAggregates(), changes.map((c) => c.change)));
  });
});

describe('contributionStep', () => {
  const update = (version: number, days?: number): SourceUpdate => ({ entity: 'risk', key: 'risk:r1', version, ...(days === undefined ? {} : { facts: { implementationDays: days } }) });
  const stored = (version: number, days?: number): Contribution => ({ entity: 'risk', key: 'risk:r1', sourceVersion: version, ...(days === undefined ? {} : { facts: { implementationDays: days } }) });

  it('applies the difference from what the aggregates hold, never a before the writer supplies', () => {
    expect(contributionStep(stored(2, 10), update(3, 40))).toEqual({
      kind: 'apply',
      change: { entity: 'risk', before: { implementationDays: 10 }, after: { implementationDays: 40 } },
      contribution: { entity: 'risk', key: 'risk:r1', sourceVersion: 3, facts: { implementationDays: 40 } },
    });
    expect(contributionStep(undefined, update(1, 5))).toMatchObject({ kind: 'apply', change: { before: undefined, after: { implementationDays: 5 } } });
  });

  it('skips a report already applied (a retry) and one older than what is held (a slower writer)', () => {
    expect(contributionStep(stored(3, 40), update(3, 40))).toEqual({ kind: 'skip' });
    expect(contributionStep(stored(3, 40), update(2, 10))).toEqual({ kind: 'skip' });
  });

  it('moves only the version when a newer report has the same facts, so an older different one is still refused', () => {
    const step = contributionStep(stored(3, 40), update(5, 40));
    expect(step).toEqual({ kind: 'version-only', contribution: stored(5, 40) });
    expect(contributionStep(stored(5, 40), update(4, 10))).toEqual({ kind: 'skip' });
  });

  it('takes a deleted source out, keeps its version as a tombstone, and ignores the deletion of a source never counted', () => {
    expect(contributionStep(stored(3, 40), update(4))).toEqual({ kind: 'apply', change: { entity: 'risk', before: { implementationDays: 40 }, after: undefined }, contribution: stored(4) });
    expect(contributionStep(undefined, update(4))).toEqual({ kind: 'skip' });
    expect(contributionStep(stored(4), update(3, 40))).toEqual({ kind: 'skip' });
  });

  it('compares facts whatever the order of their keys, and with absent keys as absent', () => {
    expect(sameFacts({ tier: 1, hasApprovedPlan: true }, { hasApprovedPlan: true, tier: 1, lastTestedAt: undefined })).toBe(true);
    expect(sameFacts({ tier: 1 }, { tier: 2 })).toBe(false);
  });
});

describe('service facts', () => {
  const svc = aService({ id: 'payments', tier: 1 });
  const reviewed = T0 - 30 * DAY;

  it('counts an approved plan, the latest test of the live plans, and the review due from the plan in force', () => {
    const plans: ContinuityPlan[] = [
      aPlan({ id: 'p1', serviceId: 'payments', status: 'approved', lastReviewedAt: reviewed, lastTestedAt: T0 - 100 * DAY }),
      aPlan({ id: 'p2', serviceId: 'payments', status: 'draft', lastTestedAt: T0 - 10 * DAY }),
      aPlan({ id: 'p3', serviceId: 'payments', status: 'retired', lastTestedAt: T0 - DAY }),
      aPlan({ id: 'p4', serviceId: 'other', status: 'approved', lastTestedAt: T0 }),
    ];
    expect(serviceFacts(svc, plans)).toEqual({ tier: 1, hasApprovedPlan: true, lastTestedAt: T0 - 10 * DAY, reviewDueAt: reviewed + 90 * DAY });
    expect(serviceFacts(svc, plans, { 1: 30, 2: 60, 3: 90 }).reviewDueAt).toBe(reviewed + 30 * DAY);
  });

  it('has a plan never reviewed due from the start, and no review date without a live plan', () => {
    expect(serviceFacts(svc, [aPlan({ serviceId: 'payments', status: 'in-review' })])).toEqual({ tier: 1, hasApprovedPlan: false, reviewDueAt: 0 });
    expect(serviceFacts(svc, [aPlan({ serviceId: 'payments', status: 'retired', lastReviewedAt: reviewed })])).toEqual({ tier: 1, hasApprovedPlan: false });
    expect(serviceFacts({ ...svc, status: 'retired' }, [])).toEqual({ tier: 1, hasApprovedPlan: false, retired: true });
  });

  it('reports exactly the services whose facts a catalogue write changed', () => {
    const ledger = aService({ id: 'ledger', tier: 2 });
    const before = deepFreeze({ services: [svc, ledger], plans: [aPlan({ id: 'p1', serviceId: 'payments', status: 'draft' })] });
    const after = { services: [svc, { ...ledger, name: 'Ledger (renamed)' }, aService({ id: 'mail', tier: 3 })], plans: [aPlan({ id: 'p1', serviceId: 'payments', status: 'approved' })] };
    const updates = catalogueUpdates(before, after, 1234);
    expect(updates.map((u) => [u.key, u.version, u.facts])).toEqual([
      ['service:payments', 1234, { tier: 1, hasApprovedPlan: true, reviewDueAt: 0 }],
      ['service:mail', 1234, { tier: 3, hasApprovedPlan: false }],
    ]);
    expect(catalogueUpdates(after, { services: [svc], plans: after.plans }, 99).map((u) => [u.key, u.facts])).toEqual([
      ['service:ledger', undefined],
      ['service:mail', undefined],
    ]);
  });
});

describe('invocation facts', () => {
  const open = anInvocation({ id: 'i1.plan-1' });
  const recovered: Invocation = { ...open, state: 'recovered', recoveredAt: open.startedAt + 45 * 60_000, achievedMinutes: 45, rtoMet: true };

  it('is open, recovered with its RTO result, or neither when stood down; a drill counts apart', () => {
    expect(invocationFacts(open)).toEqual({ isDrill: false, tier: open.service.tier, open: true });
    expect(invocationFacts(recovered)).toEqual({ isDrill: false, tier: open.service.tier, open: false, recovery: { rtoMinutes: open.rtoMinutes, achievedMinutes: 45, rtoMet: true, recoveredAt: recovered.recoveredAt } });
    expect(invocationFacts({ ...open, state: 'stood-down', stoodDownAt: T0 })).toEqual({ isDrill: false, tier: open.service.tier, open: false });
    expect(invocationFacts({ ...open, isDrill: true }).isDrill).toBe(true);
  });

  it('reports the invocations whose facts changed, at the stored record version', () => {
    const other = anInvocation({ id: 'i1.plan-2', planId: 'plan-2' });
    const before = { invocations: [open, other] };
    const after = { invocations: [recovered, { ...other, timeline: [...other.timeline, { at: T0, actor: 'a', kind: 'step-done' as const, detail: 'x' }] }], version: 7 };
    expect(incidentUpdates(before, after).map((u) => [u.key, u.version, (u.facts as { open?: boolean } | undefined)?.open])).toEqual([['invocation:i1.plan-1', 7, false]]);
    expect(incidentUpdates(undefined, { invocations: [open], version: 1 })).toHaveLength(1);
  });
});

describe('risk facts', () => {
  it('are the whole days to the mechanism once in place, nothing before', () => {
    const risk = { identifiedAt: T0, mechanism: { kind: 'standby' as const, description: 'Warm standby', state: 'in-place' as const }, mechanismInPlaceAt: T0 + 12.5 * DAY };
    expect(riskFacts(risk)).toEqual({ implementationDays: 12 });
    expect(riskFacts({ identifiedAt: T0, mechanism: { kind: 'plan', description: 'A plan', state: 'planned' } })).toEqual({});
    expect(riskUpdate('r1', 3, risk)).toEqual({ entity: 'risk', key: 'risk:r1', version: 3, facts: { implementationDays: 12 } });
    expect(riskUpdate('r1', 4)).toEqual({ entity: 'risk', key: 'risk:r1', version: 4 });
  });
});

describe('contributions applied in any order equal a recompute', () => {
  it('holds for random interleavings of reports, retries and late reports of many sources', () => {
    const random = seededRandom(11);
    // Each source goes through versions 1..n with random facts; reports arrive shuffled, some twice.
    const histories = Array.from({ length: 30 }, (_, s) =>
      Array.from({ length: 1 + Math.floor(random() * 5) }, (_, v): SourceUpdate => ({ entity: 'risk', key: `risk:${s}`, version: v + 1, ...(random() > 0.2 ? { facts: { implementationDays: Math.floor(random() * 100) } } : {}) })),
    );
    const reports = histories.flat().flatMap((u) => (random() > 0.7 ? [u, u] : [u]));
    for (let i = reports.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [reports[i], reports[j]] = [reports[j]!, reports[i]!];
    }
    // Every source's last version is reported last at the latest (a writer reports after storing).
    const last = histories.map((h) => h[h.length - 1]!);
    let aggregates = emptyAggregates();
    const held = new Map<string, Contribution>();
    for (const update of [...reports, ...last]) {
      const step = contributionStep(held.get(update.key), update);
      if (step.kind === 'skip') continue;
      held.set(update.key, step.contribution);
      if (step.kind === 'apply') aggregates = apply(aggregates, step.change);
    }
    const expected = recompute({ services: [], invocations: [], findings: [], risks: last.flatMap((u) => (u.facts ? [u.facts as { implementationDays?: number }] : [])) });
    expect(aggregates).toEqual(expected);
  });
});
