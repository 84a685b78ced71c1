import Papa from 'papaparse';
import type { Tier } from './catalogue';
import {
  apply,
  applyAll,
  emptyAggregates,
  indicatorsCsv,
  indicatorViews,
  invert,
  monthOf,
  quarterOf,
  recompute,
  type FindingFacts,
  type IndicatorAggregates,
  type IndicatorChange,
  type InvocationFacts,
  type RiskFacts,
  type ServiceFacts,
} from './indicators';
import { deepFreeze, seededRandom, T0 } from './testing';

const DAY = 86_400_000;
/** T0 is 22 Nov 2026, 03:00 UTC. */
const at = (y: number, m: number, d = 15) => Date.UTC(y, m - 1, d, 12);

const service = (overrides: Partial<ServiceFacts> = {}): ServiceFacts => ({ tier: 1, hasApprovedPlan: false, ...overrides });
const created = (after: ServiceFacts): IndicatorChange => ({ entity: 'service', after });
const recovery = (overrides: Partial<NonNullable<InvocationFacts['recovery']>> = {}) => ({ rtoMinutes: 60, achievedMinutes: 45, rtoMet: true, recoveredAt: at(2026, 11), ...overrides });

describe('months', () => {
  it('buckets instants by UTC month and months by quarter', () => {
    expect(monthOf(Date.UTC(2026, 0, 1, 0, 0))).toBe('2026-01');
    expect(monthOf(Date.UTC(2025, 11, 31, 23, 59))).toBe('2025-12');
    expect(['2026-01', '2026-03', '2026-04', '2026-12'].map(quarterOf)).toEqual(['2026-Q1', '2026-Q1', '2026-Q2', '2026-Q4']);
  });
});

describe('indicatorViews on empty aggregates', () => {
  it('has zeros and no shares or means', () => {
    const views = indicatorViews(emptyAggregates(), T0);
    expect(views.approvedPlan.critical).toEqual({ numerator: 0, denominator: 0, share: null });
    expect(views.rtoAttainment).toEqual({ incidents: [], drills: [] });
    expect(views.meanRecovery.incidents['1']).toEqual({ count: 0, meanAchievedMinutes: null, meanRtoMinutes: null });
    expect(views.drillsPerQuarter).toEqual([]);
    expect(views.drillsCarriedOut).toBe(0);
    expect(views.implementationDays).toEqual({ count: 0, meanDays: null, medianDays: null });
  });
});

describe('service indicators', () => {
  const services = [
    service({ tier: 1, hasApprovedPlan: true, lastTestedAt: at(2026, 3), reviewDueAt: at(2027, 1) }),
    service({ tier: 1, hasApprovedPlan: false }),
    service({ tier: 2, hasApprovedPlan: true, lastTestedAt: at(2025, 11, 1), reviewDueAt: at(2026, 11, 1) }),
    service({ tier: 2, hasApprovedPlan: true, lastTestedAt: at(2025, 10, 31), reviewDueAt: at(2026, 10, 31) }),
    service({ tier: 3, hasApprovedPlan: true, lastTestedAt: at(2026, 1) }),
    service({ tier: 3, retired: true, hasApprovedPlan: true, lastTestedAt: at(2026, 1), reviewDueAt: at(2027, 1) }),
  ];
  const aggregates = applyAll(emptyAggregates(), services.map(created));
  const views = indicatorViews(aggregates, T0);

  it('shares approved plans among Tier 1 and 2, and per tier; retired services count nowhere', () => {
    expect(views.approvedPlan.critical).toEqual({ numerator: 3, denominator: 4, share: 0.75 });
    expect(views.approvedPlan.byTier).toEqual({
      '1': { numerator: 1, denominator: 2, share: 0.5 },
      '2': { numerator: 2, denominator: 2, share: 1 },
      '3': { numerator: 1, denominator: 1, share: 1 },
    });
  });

  it('counts a test through the same calendar month a year later', () => {
    // In November 2026, a test in November 2025 still counts; one in October 2025 no longer does.
    expect(views.testedLast12Months.byTier['2']).toEqual({ numerator: 1, denominator: 2, share: 0.5 });
    expect(views.testedLast12Months.critical).toEqual({ numerator: 2, denominator: 4, share: 0.5 });
    expect(indicatorViews(aggregates, at(2026, 12, 1)).testedLast12Months.byTier['2'].numerator).toBe(0);
  });

  it('counts a review as on time through the month it falls due, among services with a review date', () => {
    expect(views.reviewedOnTime.byTier['2']).toEqual({ numerator: 1, denominator: 2, share: 0.5 });
    expect(views.reviewedOnTime.byTier['1']).toEqual({ numerator: 1, denominator: 1, share: 1 });
    expect(views.reviewedOnTime.byTier['3']).toEqual({ numerator: 0, denominator: 0, share: null });
    expect(indicatorViews(aggregates, at(2027, 2)).reviewedOnTime.critical).toEqual({ numerator: 0, denominator: 3, share: 0 });
  });

  it('moves a service between buckets when it is tested again, and takes it out when retired', () => {
    const before = services[3]!;
    const tested = { ...before, lastTestedAt: T0 - DAY };
    const afterTest = apply(aggregates, { entity: 'service', before, after: tested });
    expect(indicatorViews(afterTest, T0).testedLast12Months.byTier['2'].numerator).toBe(2);
    const retired = apply(afterTest, { entity: 'service', before: tested, after: { ...tested, retired: true } });
    expect(indicatorViews(retired, T0).approvedPlan.byTier['2']).toEqual({ numerator: 1, denominator: 1, share: 1 });
    expect(retired.services['2'].testedByMonth).toEqual({ '2025-11': 1 });
  });

  it('follows a plan approved and a tier changed', () => {
    const before = services[1]!;
    const approved = apply(aggregates, { entity: 'service', before, after: { ...before, tier: 2, hasApprovedPlan: true } });
    const v = indicatorViews(approved, T0);
    expect(v.approvedPlan.byTier['1']).toEqual({ numerator: 1, denominator: 1, share: 1 });
    expect(v.approvedPlan.byTier['2']).toEqual({ numerator: 3, denominator: 3, share: 1 });
  });
});

describe('invocation indicators', () => {
  const open: InvocationFacts = { isDrill: false, tier: 1, open: true };
  const recovered: InvocationFacts = { ...open, open: false, recovery: recovery({ achievedMinutes: 50 }) };

  it('counts open invocations, then the recovery, and a reopen takes back exactly what the recovery added', () => {
    const opened = apply(emptyAggregates(), { entity: 'invocation', after: open });
    expect(indicatorViews(opened, T0).openInvocations).toEqual({ incidents: 1, drills: 0 });
    const done = apply(opened, { entity: 'invocation', before: open, after: recovered });
    const views = indicatorViews(done, T0);
    expect(views.openInvocations).toEqual({ incidents: 0, drills: 0 });
    expect(views.rtoAttainment.incidents).toEqual([{ month: '2026-11', recovered: 1, withinRto: 1, share: 1 }]);
    expect(views.meanRecovery.incidents['1']).toEqual({ count: 1, meanAchievedMinutes: 50, meanRtoMinutes: 60 });
    const reopened = apply(done, { entity: 'invocation', before: recovered, after: open });
    expect(reopened).toEqual(opened);
  });

  it('computes attainment per month and mean recovery per tier, incidents and drills apart', () => {
    const invocations: InvocationFacts[] = [
      { isDrill: false, tier: 1, open: false, recovery: recovery({ achievedMinutes: 30, rtoMinutes: 60, recoveredAt: at(2026, 10) }) },
      { isDrill: false, tier: 1, open: false, recovery: recovery({ achievedMinutes: 90, rtoMinutes: 60, rtoMet: false, recoveredAt: at(2026, 10) }) },
      { isDrill: false, tier: 2, open: false, recovery: recovery({ achievedMinutes: 200, rtoMinutes: 240, recoveredAt: at(2026, 11) }) },
      { isDrill: true, tier: 2, open: false, recovery: recovery({ achievedMinutes: 100, rtoMinutes: 240, recoveredAt: at(2026, 2) }) },
      { isDrill: true, tier: 2, open: false, recovery: recovery({ achievedMinutes: 300, rtoMinutes: 240, rtoMet: false, recoveredAt: at(2026, 3) }) },
      { isDrill: true, tier: 3, open: false, recovery: recovery({ achievedMinutes: 600, rtoMinutes: 1440, recoveredAt: at(2026, 7) }) },
      { isDrill: true, tier: 3, open: true },
      { isDrill: true, tier: 1, open: false },
    ];
    const views = indicatorViews(recompute({ services: [], invocations, findings: [], risks: [] }), T0);
    expect(views.rtoAttainment.incidents).toEqual([
      { month: '2026-10', recovered: 2, withinRto: 1, share: 0.5 },
      { month: '2026-11', recovered: 1, withinRto: 1, share: 1 },
    ]);
    expect(views.rtoAttainment.drills.map((m) => [m.month, m.share])).toEqual([
      ['2026-02', 1],
      ['2026-03', 0],
      ['2026-07', 1],
    ]);
    expect(views.meanRecovery.incidents['1']).toEqual({ count: 2, meanAchievedMinutes: 60, meanRtoMinutes: 60 });
    expect(views.meanRecovery.drills['2']).toEqual({ count: 2, meanAchievedMinutes: 200, meanRtoMinutes: 240 });
    expect(views.drillsPerQuarter).toEqual([
      { quarter: '2026-Q1', drills: 2 },
      { quarter: '2026-Q3', drills: 1 },
    ]);
    // The stood-down drill (not open, no recovery) was not carried out.
    expect(views.drillsCarriedOut).toBe(3);
    expect(views.openInvocations).toEqual({ incidents: 0, drills: 1 });
  });
});

describe('findings and risks', () => {
  it('counts findings waiting and handled', () => {
    const waiting = apply(emptyAggregates(), { entity: 'finding', after: { waiting: true } });
    const handled = apply(waiting, { entity: 'finding', before: { waiting: true }, after: { waiting: false } });
    expect(indicatorViews(waiting, T0).findings).toEqual({ waiting: 1, handled: 0 });
    expect(indicatorViews(handled, T0).findings).toEqual({ waiting: 0, handled: 1 });
  });

  it.each([
    [[10], 10, 10],
    [[3, 10], 6.5, 6.5],
    [[1, 2, 30], 11, 2],
    [[5, 5, 5, 40], 13.75, 5],
    [[0, 7, 7, 8, 100, 200], 53.666666666666664, 7.5],
  ])('days %j: mean %d, median %d', (days, mean, median) => {
    const risks: RiskFacts[] = [...days.map((implementationDays) => ({ implementationDays })), {}];
    expect(indicatorViews(recompute({ services: [], invocations: [], findings: [], risks }), T0).implementationDays).toEqual({ count: days.length, meanDays: mean, medianDays: median });
  });
});

describe('apply', () => {
  it('does not change the aggregates or the change it is given', () => {
    const aggregates = deepFreeze(applyAll(emptyAggregates(), [created(service({ lastTestedAt: T0 }))]));
    const change = deepFreeze(created(service({ tier: 2, lastTestedAt: T0, reviewDueAt: T0 })));
    const next = apply(aggregates, change);
    expect(next).not.toBe(aggregates);
    expect(next.services['2'].total).toBe(1);
    expect(aggregates.services['2'].total).toBe(0);
  });

  it('removes buckets that fall to zero, so equal data gives equal records', () => {
    const facts = service({ lastTestedAt: T0, reviewDueAt: T0 });
    const back = applyAll(emptyAggregates(), [created(facts), { entity: 'service', before: facts }]);
    expect(back).toEqual(emptyAggregates());
    expect(JSON.stringify(back)).toBe(JSON.stringify(emptyAggregates()));
  });
});

// ---- Property tests: incremental equals recompute ----

type World = { services: Map<number, ServiceFacts>; invocations: Map<number, InvocationFacts>; findings: Map<number, FindingFacts>; risks: Map<number, RiskFacts> };

function randomFacts(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tier = () => pick<Tier>([1, 2, 3]);
  const when = () => at(2024 + Math.floor(random() * 3), 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28));
  const maybe = <T>(make: () => T) => (random() < 0.7 ? make() : undefined);
  return {
    service: (): ServiceFacts | undefined =>
      maybe(() => ({
        tier: tier(),
        ...(random() < 0.1 && { retired: true }),
        hasApprovedPlan: random() < 0.5,
        ...(random() < 0.6 && { lastTestedAt: when() }),
        ...(random() < 0.6 && { reviewDueAt: when() }),
      })),
    invocation: (): InvocationFacts | undefined =>
      maybe(() => {
        const rto = pick([15, 60, 240, 1440]);
        const achieved = Math.floor(random() * rto * 2);
        return {
          isDrill: random() < 0.4,
          tier: tier(),
          open: random() < 0.3,
          ...(random() < 0.6 && { recovery: { rtoMinutes: rto, achievedMinutes: achieved, rtoMet: achieved <= rto, recoveredAt: when() } }),
        };
      }),
    finding: (): FindingFacts | undefined => maybe(() => ({ waiting: random() < 0.5 })),
    risk: (): RiskFacts | undefined => maybe(() => (random() < 0.6 ? { implementationDays: Math.floor(random() * 400) } : {})),
  };
}

/** A random change to a random entity of the world, from its current facts to new ones (or to nothing). */
function randomChange(random: () => number, world: World): IndicatorChange {
  const facts = randomFacts(random);
  const id = Math.floor(random() * 12);
  const kind = Math.floor(random() * 4);
  const step = <T>(map: Map<number, T>, after: T | undefined) => {
    const before = map.get(id);
    if (after === undefined) map.delete(id);
    else map.set(id, after);
    return { before, after };
  };
  if (kind === 0) return { entity: 'service', ...step(world.services, facts.service()) };
  if (kind === 1) return { entity: 'invocation', ...step(world.invocations, facts.invocation()) };
  if (kind === 2) return { entity: 'finding', ...step(world.findings, facts.finding()) };
  return { entity: 'risk', ...step(world.risks, facts.risk()) };
}

const snapshotOf = (world: World) => ({
  services: [...world.services.values()],
  invocations: [...world.invocations.values()],
  findings: [...world.findings.values()],
  risks: [...world.risks.values()],
});

describe('incremental aggregates equal a recompute of the final data', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('random history %i', (seed) => {
    const random = seededRandom(seed);
    const world: World = { services: new Map(), invocations: new Map(), findings: new Map(), risks: new Map() };
    let aggregates = emptyAggregates();
    for (let i = 0; i < 300; i += 1) {
      const change = randomChange(random, world);
      aggregates = apply(aggregates, change);
    }
    expect(aggregates).toEqual(recompute(snapshotOf(world)));
    // And the views agree at any moment, not just the records.
    for (const now of [at(2024, 6), T0, at(2027, 6)]) expect(indicatorViews(aggregates, now)).toEqual(indicatorViews(recompute(snapshotOf(world)), now));
  });

  it.each(Array.from({ length: 20 }, (_, i) => 100 + i))('undoing any change restores the record exactly (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const world: World = { services: new Map(), invocations: new Map(), findings: new Map(), risks: new Map() };
    let aggregates = emptyAggregates();
    for (let i = 0; i < 100; i += 1) {
      const change = randomChange(random, world);
      const next = apply(aggregates, change);
      expect(apply(next, invert(change))).toEqual(aggregates);
      aggregates = next;
    }
  });

  it('catches a change whose before does not match what was applied (the property can fail)', () => {
    const facts = service({ tier: 1, hasApprovedPlan: true });
    const wrongBefore = service({ tier: 2, hasApprovedPlan: true });
    const drifted = applyAll(emptyAggregates(), [created(facts), { entity: 'service', before: wrongBefore, after: facts }]);
    expect(drifted).not.toEqual(recompute({ services: [facts], invocations: [], findings: [], risks: [] }));
  });
});

describe('size', () => {
  it('is bounded by months and days, not by the number of services and invocations', () => {
    const build = (count: number): IndicatorAggregates => {
      const random = seededRandom(7);
      const facts = randomFacts(random);
      const services = Array.from({ length: count }, () => facts.service() ?? service());
      const invocations = Array.from({ length: count }, () => facts.invocation() ?? { isDrill: false, tier: 1 as Tier, open: false });
      const risks = Array.from({ length: count }, () => facts.risk() ?? {});
      return recompute({ services, invocations, findings: [], risks });
    };
    // Buckets are bounded by months (36 here) and days to a mechanism (400 here), not by the number of entities:
    // once those are filled, twice the data adds only a few digits to the counts.
    const large = JSON.stringify(build(10_000)).length;
    const double = JSON.stringify(build(20_000)).length;
    expect(large).toBeLessThan(16_000);
    expect(double).toBeLessThan(large * 1.1);
  });
});

describe('indicatorsCsv', () => {
  it('writes one row per figure with shares as fractions', () => {
    const aggregates = recompute({
      services: [service({ tier: 1, hasApprovedPlan: true }), service({ tier: 1 }), service({ tier: 2 })],
      invocations: [{ isDrill: true, tier: 1, open: false, recovery: recovery({ achievedMinutes: 40, recoveredAt: at(2026, 5) }) }],
      findings: [{ waiting: true }],
      risks: [{ implementationDays: 12 }],
    });
    const text = indicatorsCsv(indicatorViews(aggregates, T0), { bom: false });
    const rows = Papa.parse<string[]>(text, { delimiter: ',' }).data;
    expect(rows[0]).toEqual(['indicator', 'period', 'scope', 'value', 'numerator', 'denominator']);
    expect(rows[1]).toEqual(['Indicators as of', '2026-11-22T03:00:00.000Z', '', '', '', '']);
    expect(rows).toContainEqual(['Services with an approved plan', '', 'Tier 1 and 2', '0.3333', '1', '3']);
    expect(rows).toContainEqual(['Services with an approved plan', '', 'Tier 3 (Bronze)', '', '0', '0']);
    expect(rows).toContainEqual(['RTO attainment, drills', '2026-05', '', '1', '1', '1']);
    expect(rows).toContainEqual(['Mean recovery time (minutes), drills', '', 'Tier 1 (Gold)', '40', '', '1']);
    expect(rows).toContainEqual(['Drills carried out', '2026-Q2', '', '1', '', '']);
    expect(rows).toContainEqual(['Plans with findings waiting', '', '', '1', '', '']);
    expect(rows).toContainEqual(['Days to a mechanism in place, median', '', '', '12', '', '1']);
  });

  it('neutralises cells a spreadsheet would run, with the catalogue export\'s rule', () => {
    // Counters only go negative when changes were applied out of step; even then the file stays safe.
    const drifted = apply(emptyAggregates(), { entity: 'finding', before: { waiting: true } });
    const rows = Papa.parse<string[]>(indicatorsCsv(indicatorViews(drifted, T0), { bom: false }), { delimiter: ',' }).data;
    expect(rows).toContainEqual(['Plans with findings waiting', '', '', "'-1", '', '']);
  });

  it('exports one indicator on its own: only its rows, under the same header', () => {
    const aggregates = recompute({
      services: [service({ tier: 1, hasApprovedPlan: true })],
      invocations: [{ isDrill: false, tier: 1, open: true }],
      findings: [],
      risks: [{ implementationDays: 3 }, { implementationDays: 45 }, { implementationDays: 400 }],
    });
    const rows = Papa.parse<string[]>(indicatorsCsv(indicatorViews(aggregates, T0), { bom: false, only: 'implementation-duration' }), { delimiter: ',' }).data;
    expect(rows.map((r) => r[0])).toEqual([
      'indicator',
      'Indicators as of',
      'Days to a mechanism in place, mean',
      'Days to a mechanism in place, median',
      ...Array(5).fill('Risks by days to a mechanism in place'),
    ]);
    expect(rows.slice(4).map((r) => [r[1], r[3]])).toEqual([
      ['0–7 days', '1'],
      ['8–30 days', '0'],
      ['31–90 days', '1'],
      ['91–180 days', '0'],
      ['Over 180 days', '1'],
    ]);
    const open = Papa.parse<string[]>(indicatorsCsv(indicatorViews(aggregates, T0), { bom: false, only: 'open-invocations' }), { delimiter: ',' }).data;
    expect(open.slice(2)).toEqual([
      ['Open invocations, incidents', '', '', '1', '', ''],
      ['Open invocations, drills', '', '', '0', '', ''],
    ]);
  });
});
