/**
 * The continuity indicators, kept current as data changes so that the indicators page reads one small
 * record whatever the size of the catalogue: it costs the same at 100 services as at 10,000.
 *
 * The model: every entity that feeds an indicator (a service, an invocation, a postmortem finding, a
 * risk) is reduced to a few facts, and IndicatorAggregates holds the sums of those facts. A change is
 * the entity's facts before and after (either may be absent: created, deleted), and apply() subtracts
 * the before and adds the after. That makes every change exactly reversible (apply the change with
 * before and after swapped, see invert), which is how an invocation reopened after its recovery takes
 * back precisely what the recovery added; and it makes recompute(snapshot) — adding every entity's
 * current facts to empty aggregates — equal to applying the changes one by one. A reconciling job can
 * therefore rebuild the record from scratch at any time and get the same value.
 *
 * Time-dependent shares ("tested in the last 12 months", "reviewed on time") cannot be counters: a
 * service tested 11 months ago drops out next month without any change to its data. So the record
 * keeps, per tier, how many services have their last test (or their next review due) in each calendar
 * month, and the share at a given `now` is a sum over the months still inside the window. The cost is
 * month granularity, in the reader's favour: a test counts through the same calendar month a year
 * later, and a review is on time through the month it falls due.
 *
 * Nothing here reads a clock or storage: the caller passes `now` to the views and stores the record.
 */
import { TIER_NAMES, type Tier } from './catalogue';
import { toCsv } from './csv-cells';
import { TIERS } from './tiers';

// ---- Facts ----

export interface ServiceFacts {
  tier: Tier;
  /** A retired service counts nowhere. */
  retired?: boolean;
  hasApprovedPlan: boolean;
  /** The last test (drill or exercise) of its plan, epoch ms. */
  lastTestedAt?: number;
  /** When its plan is next due for review, epoch ms; absent without a plan. */
  reviewDueAt?: number;
}

export interface RecoveryFacts {
  rtoMinutes: number;
  achievedMinutes: number;
  rtoMet: boolean;
  /** Epoch ms. */
  recoveredAt: number;
}

/**
 * An invocation of a plan, for a real incident or a drill. `recovery` is present while it stands
 * recovered; a drill counts as carried out when it has one (a drill stood down was not carried out).
 */
export interface InvocationFacts {
  isDrill: boolean;
  tier: Tier;
  open: boolean;
  recovery?: RecoveryFacts;
}

/** A plan's postmortem findings: some waiting for the owner, or all handled. */
export interface FindingFacts {
  waiting: boolean;
}

/** A risk: whole days from identification to its mechanism in place, once in place (see risks.ts). */
export interface RiskFacts {
  implementationDays?: number;
}

/**
 * One change to one entity. Examples: service created = { entity: 'service', after }; retired = after
 * with retired: true (or no after); plan approved = before and after differing in hasApprovedPlan;
 * invocation opened = { after: { open: true } }; recovered = open before, recovery after; reopened =
 * the reverse of the recovery; drill completed = a drill's recovery; finding handled = waiting before,
 * not after; risk mechanism in place = implementationDays after.
 */
export type IndicatorChange =
  | { entity: 'service'; before?: ServiceFacts; after?: ServiceFacts }
  | { entity: 'invocation'; before?: InvocationFacts; after?: InvocationFacts }
  | { entity: 'finding'; before?: FindingFacts; after?: FindingFacts }
  | { entity: 'risk'; before?: RiskFacts; after?: RiskFacts };

export interface IndicatorSnapshot {
  services: readonly ServiceFacts[];
  invocations: readonly InvocationFacts[];
  findings: readonly FindingFacts[];
  risks: readonly RiskFacts[];
}

// ---- Aggregates ----

/** Counts per key; a key whose count falls to zero is removed, so equal sums have equal records. */
export type Buckets = Record<string, number>;

type TierKey = '1' | '2' | '3';

export interface TierServiceSums {
  total: number;
  approvedPlan: number;
  /** Services with a next review date. */
  withReviewDue: number;
  /** Month ('2026-03', UTC) of each service's last test → number of services. */
  testedByMonth: Buckets;
  /** Month of each service's next review due → number of services. */
  reviewDueByMonth: Buckets;
}

export interface RecoverySums {
  /** Month of recovery → recoveries, and → recoveries within RTO. */
  recoveredByMonth: Buckets;
  metByMonth: Buckets;
  byTier: Record<TierKey, { count: number; achievedMinutes: number; rtoMinutes: number }>;
}

export interface IndicatorAggregates {
  version: 1;
  services: Record<TierKey, TierServiceSums>;
  recoveries: { incident: RecoverySums; drill: RecoverySums };
  open: { incident: number; drill: number };
  findings: { waiting: number; handled: number };
  /** Whole days to a mechanism in place → number of risks (a histogram, for the mean and the median). */
  implementationDays: Buckets;
}

const tierKey = (tier: Tier) => String(tier) as TierKey;

const byTier = <T>(make: () => T): Record<TierKey, T> => ({ '1': make(), '2': make(), '3': make() });

export function emptyAggregates(): IndicatorAggregates {
  const recoveries = (): RecoverySums => ({ recoveredByMonth: {}, metByMonth: {}, byTier: byTier(() => ({ count: 0, achievedMinutes: 0, rtoMinutes: 0 })) });
  return {
    version: 1,
    services: byTier(() => ({ total: 0, approvedPlan: 0, withReviewDue: 0, testedByMonth: {}, reviewDueByMonth: {} })),
    recoveries: { incident: recoveries(), drill: recoveries() },
    open: { incident: 0, drill: 0 },
    findings: { waiting: 0, handled: 0 },
    implementationDays: {},
  };
}

// ---- Months ----

/** '2026-03' for an instant in March 2026 (UTC). */
export function monthOf(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** '2026-Q1' for '2026-03'. */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The month `count` months before `month` ('2026-03', 12 → '2025-03'). */
function monthsBefore(month: string, count: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

// ---- Applying changes ----

function bump(buckets: Buckets, key: string, delta: number): void {
  const next = (buckets[key] ?? 0) + delta;
  if (next === 0) delete buckets[key];
  else buckets[key] = next;
}

/** Adds (sign 1) or removes (sign -1) one entity's facts, in place on a draft. */
function contribute(draft: IndicatorAggregates, change: IndicatorChange, side: 'before' | 'after', sign: 1 | -1): void {
  switch (change.entity) {
    case 'service': {
      const facts = change[side];
      if (!facts || facts.retired) return;
      const sums = draft.services[tierKey(facts.tier)];
      sums.total += sign;
      if (facts.hasApprovedPlan) sums.approvedPlan += sign;
      if (facts.lastTestedAt !== undefined) bump(sums.testedByMonth, monthOf(facts.lastTestedAt), sign);
      if (facts.reviewDueAt !== undefined) {
        sums.withReviewDue += sign;
        bump(sums.reviewDueByMonth, monthOf(facts.reviewDueAt), sign);
      }
      return;
    }
    case 'invocation': {
      const facts = change[side];
      if (!facts) return;
      const kind = facts.isDrill ? 'drill' : 'incident';
      if (facts.open) draft.open[kind] += sign;
      const recovery = facts.recovery;
      if (!recovery) return;
      const sums = draft.recoveries[kind];
      const month = monthOf(recovery.recoveredAt);
      bump(sums.recoveredByMonth, month, sign);
      if (recovery.rtoMet) bump(sums.metByMonth, month, sign);
      const tier = sums.byTier[tierKey(facts.tier)];
      tier.count += sign;
      tier.achievedMinutes += sign * recovery.achievedMinutes;
      tier.rtoMinutes += sign * recovery.rtoMinutes;
      return;
    }
    case 'finding': {
      const facts = change[side];
      if (!facts) return;
      if (facts.waiting) draft.findings.waiting += sign;
      else draft.findings.handled += sign;
      return;
    }
    case 'risk': {
      const days = change[side]?.implementationDays;
      if (days !== undefined) bump(draft.implementationDays, String(days), sign);
      return;
    }
  }
}

/** The aggregates after one change: the before facts taken out, the after facts put in. Pure. */
export function apply(aggregates: IndicatorAggregates, change: IndicatorChange): IndicatorAggregates {
  const draft = structuredClone(aggregates);
  contribute(draft, change, 'before', -1);
  contribute(draft, change, 'after', 1);
  return draft;
}

/** Applies changes in order. */
export function applyAll(aggregates: IndicatorAggregates, changes: readonly IndicatorChange[]): IndicatorAggregates {
  const draft = structuredClone(aggregates);
  for (const change of changes) {
    contribute(draft, change, 'before', -1);
    contribute(draft, change, 'after', 1);
  }
  return draft;
}

/** The change that undoes `change`. */
export function invert(change: IndicatorChange): IndicatorChange {
  return { entity: change.entity, before: change.after, after: change.before } as IndicatorChange;
}

/** The aggregates of the data as it is now, from scratch: what applying every change since the start gives. */
export function recompute(snapshot: IndicatorSnapshot): IndicatorAggregates {
  const changes: IndicatorChange[] = [
    ...snapshot.services.map((after): IndicatorChange => ({ entity: 'service', after })),
    ...snapshot.invocations.map((after): IndicatorChange => ({ entity: 'invocation', after })),
    ...snapshot.findings.map((after): IndicatorChange => ({ entity: 'finding', after })),
    ...snapshot.risks.map((after): IndicatorChange => ({ entity: 'risk', after })),
  ];
  return applyAll(emptyAggregates(), changes);
}

/**
 * The sum of several aggregates: the record may be kept in shards (several writers, one shard each per
 * source), and the indicators are the shards added up. Adding is exact: every figure is a count or a sum.
 */
export function sumAggregates(parts: readonly IndicatorAggregates[]): IndicatorAggregates {
  const total = emptyAggregates();
  const addBuckets = (into: Buckets, from: Buckets) => {
    for (const [key, count] of Object.entries(from)) bump(into, key, count);
  };
  for (const part of parts) {
    for (const tier of ['1', '2', '3'] as const) {
      const into = total.services[tier];
      const from = part.services[tier];
      into.total += from.total;
      into.approvedPlan += from.approvedPlan;
      into.withReviewDue += from.withReviewDue;
      addBuckets(into.testedByMonth, from.testedByMonth);
      addBuckets(into.reviewDueByMonth, from.reviewDueByMonth);
    }
    for (const kind of ['incident', 'drill'] as const) {
      const into = total.recoveries[kind];
      const from = part.recoveries[kind];
      addBuckets(into.recoveredByMonth, from.recoveredByMonth);
      addBuckets(into.metByMonth, from.metByMonth);
      for (const tier of ['1', '2', '3'] as const) {
        into.byTier[tier].count += from.byTier[tier].count;
        into.byTier[tier].achievedMinutes += from.byTier[tier].achievedMinutes;
        into.byTier[tier].rtoMinutes += from.byTier[tier].rtoMinutes;
      }
      total.open[kind] += part.open[kind];
    }
    total.findings.waiting += part.findings.waiting;
    total.findings.handled += part.findings.handled;
    addBuckets(total.implementationDays, part.implementationDays);
  }
  return total;
}

// ---- Views ----

export interface Share {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when there is nothing to divide by. */
  share: number | null;
}

/** Tier 1 and Tier 2 together ("critical"), and each tier. */
export interface TierShares {
  critical: Share;
  byTier: Record<TierKey, Share>;
}

export interface MonthAttainment {
  month: string;
  recovered: number;
  withinRto: number;
  share: number;
}

export interface MeanRecovery {
  count: number;
  meanAchievedMinutes: number | null;
  meanRtoMinutes: number | null;
}

export interface IndicatorViews {
  asOf: number;
  approvedPlan: TierShares;
  testedLast12Months: TierShares;
  /** Of the services with a review date, those not overdue. */
  reviewedOnTime: TierShares;
  rtoAttainment: { incidents: MonthAttainment[]; drills: MonthAttainment[] };
  meanRecovery: { incidents: Record<TierKey, MeanRecovery>; drills: Record<TierKey, MeanRecovery> };
  drillsPerQuarter: Array<{ quarter: string; drills: number }>;
  drillsCarriedOut: number;
  openInvocations: { incidents: number; drills: number };
  findings: { waiting: number; handled: number };
  implementationDays: { count: number; meanDays: number | null; medianDays: number | null };
  /** Risks whose mechanism is in place, by how many days it took (IMPLEMENTATION_BANDS). */
  implementationHistogram: Array<{ label: string; risks: number }>;
}

/** The bands of the implementation-duration chart: up to a week, a month, a quarter, half a year, longer. */
export const IMPLEMENTATION_BANDS: ReadonlyArray<{ label: string; maxDays: number }> = [
  { label: '0–7 days', maxDays: 7 },
  { label: '8–30 days', maxDays: 30 },
  { label: '31–90 days', maxDays: 90 },
  { label: '91–180 days', maxDays: 180 },
  { label: 'Over 180 days', maxDays: Number.POSITIVE_INFINITY },
];

function implementationHistogram(histogram: Buckets): IndicatorViews['implementationHistogram'] {
  const counts = IMPLEMENTATION_BANDS.map(() => 0);
  for (const [days, count] of Object.entries(histogram)) counts[IMPLEMENTATION_BANDS.findIndex((b) => Number(days) <= b.maxDays)]! += count;
  return IMPLEMENTATION_BANDS.map((b, i) => ({ label: b.label, risks: counts[i]! }));
}

const share = (numerator: number, denominator: number): Share => ({ numerator, denominator, share: denominator === 0 ? null : numerator / denominator });

const sum = (buckets: Buckets, keep: (key: string) => boolean = () => true): number =>
  Object.entries(buckets).reduce((total, [key, count]) => (keep(key) ? total + count : total), 0);

function tierShares(count: (tier: TierKey) => [number, number]): TierShares {
  const counts = byTier<[number, number]>(() => [0, 0]);
  for (const tier of TIERS) counts[tierKey(tier)] = count(tierKey(tier));
  return {
    critical: share(counts['1'][0] + counts['2'][0], counts['1'][1] + counts['2'][1]),
    byTier: { '1': share(...counts['1']), '2': share(...counts['2']), '3': share(...counts['3']) },
  };
}

function attainment(sums: RecoverySums): MonthAttainment[] {
  return Object.keys(sums.recoveredByMonth)
    .sort()
    .map((month) => {
      const recovered = sums.recoveredByMonth[month] ?? 0;
      const withinRto = sums.metByMonth[month] ?? 0;
      return { month, recovered, withinRto, share: withinRto / recovered };
    });
}

function meanRecovery(sums: RecoverySums): Record<TierKey, MeanRecovery> {
  const mean = (tier: TierKey): MeanRecovery => {
    const { count, achievedMinutes, rtoMinutes } = sums.byTier[tier];
    return { count, meanAchievedMinutes: count === 0 ? null : achievedMinutes / count, meanRtoMinutes: count === 0 ? null : rtoMinutes / count };
  };
  return { '1': mean('1'), '2': mean('2'), '3': mean('3') };
}

/** Mean and median of a histogram of whole days. */
function daysSummary(histogram: Buckets): IndicatorViews['implementationDays'] {
  const entries = Object.entries(histogram)
    .map(([days, count]) => [Number(days), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const count = entries.reduce((total, [, n]) => total + n, 0);
  if (count === 0) return { count: 0, meanDays: null, medianDays: null };
  const total = entries.reduce((acc, [days, n]) => acc + days * n, 0);
  // The values at 0-based positions lower and upper of the sorted list; equal when the count is odd.
  const valueAt = (position: number) => {
    let seen = 0;
    for (const [days, n] of entries) {
      seen += n;
      if (position < seen) return days;
    }
    return entries[entries.length - 1]![0];
  };
  const median = (valueAt(Math.floor((count - 1) / 2)) + valueAt(Math.floor(count / 2))) / 2;
  return { count, meanDays: total / count, medianDays: median };
}

/** The indicators as of `now` (epoch ms), from the aggregates alone. */
export function indicatorViews(aggregates: IndicatorAggregates, now: number): IndicatorViews {
  const thisMonth = monthOf(now);
  const testedFrom = monthsBefore(thisMonth, 12);
  const services = aggregates.services;
  const drillMonths = aggregates.recoveries.drill.recoveredByMonth;
  const quarters = new Map<string, number>();
  for (const [month, count] of Object.entries(drillMonths)) quarters.set(quarterOf(month), (quarters.get(quarterOf(month)) ?? 0) + count);
  return {
    asOf: now,
    approvedPlan: tierShares((t) => [services[t].approvedPlan, services[t].total]),
    testedLast12Months: tierShares((t) => [sum(services[t].testedByMonth, (m) => m >= testedFrom), services[t].total]),
    reviewedOnTime: tierShares((t) => [sum(services[t].reviewDueByMonth, (m) => m >= thisMonth), services[t].withReviewDue]),
    rtoAttainment: { incidents: attainment(aggregates.recoveries.incident), drills: attainment(aggregates.recoveries.drill) },
    meanRecovery: { incidents: meanRecovery(aggregates.recoveries.incident), drills: meanRecovery(aggregates.recoveries.drill) },
    drillsPerQuarter: [...quarters].sort(([a], [b]) => (a < b ? -1 : 1)).map(([quarter, drills]) => ({ quarter, drills })),
    drillsCarriedOut: sum(drillMonths),
    openInvocations: { incidents: aggregates.open.incident, drills: aggregates.open.drill },
    findings: { ...aggregates.findings },
    implementationDays: daysSummary(aggregates.implementationDays),
    implementationHistogram: implementationHistogram(aggregates.implementationDays),
  };
}

// ---- CSV ----

export const INDICATOR_CSV_COLUMNS = ['indicator', 'period', 'scope', 'value', 'numerator', 'denominator'] as const;

/** Each indicator the page shows (one chart each), so one can be exported on its own. */
export const INDICATOR_IDS = [
  'approved-plan',
  'tested',
  'reviewed-on-time',
  'rto-attainment',
  'mean-recovery',
  'drills-per-quarter',
  'practices-carried-out',
  'open-invocations',
  'findings',
  'implementation-duration',
] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

const number = (value: number | null, digits: number) => (value === null ? '' : String(Math.round(value * 10 ** digits) / 10 ** digits));
const tierScope = (tier: TierKey) => TIER_NAMES[Number(tier) as Tier];

/** The CSV's rows, each with the indicator it belongs to. */
function indicatorRows(views: IndicatorViews): Array<{ id: IndicatorId; cells: string[] }> {
  const rows: Array<{ id: IndicatorId; cells: string[] }> = [];
  const add = (id: IndicatorId, ...cells: string[]) => rows.push({ id, cells });
  const shareRows = (id: IndicatorId, indicator: string, shares: TierShares) => {
    const row = (scope: string, s: Share) => add(id, indicator, '', scope, number(s.share, 4), String(s.numerator), String(s.denominator));
    row('Tier 1 and 2', shares.critical);
    for (const tier of ['1', '2', '3'] as const) row(tierScope(tier), shares.byTier[tier]);
  };
  shareRows('approved-plan', 'Services with an approved plan', views.approvedPlan);
  shareRows('tested', 'Services tested in the last 12 months', views.testedLast12Months);
  shareRows('reviewed-on-time', 'Plans reviewed on time', views.reviewedOnTime);
  for (const [indicator, months] of [
    ['RTO attainment, incidents', views.rtoAttainment.incidents],
    ['RTO attainment, drills', views.rtoAttainment.drills],
  ] as const) {
    for (const m of months) add('rto-attainment', indicator, m.month, '', number(m.share, 4), String(m.withinRto), String(m.recovered));
  }
  for (const [kind, means] of [
    ['incidents', views.meanRecovery.incidents],
    ['drills', views.meanRecovery.drills],
  ] as const) {
    for (const tier of ['1', '2', '3'] as const) {
      add('mean-recovery', `Mean recovery time (minutes), ${kind}`, '', tierScope(tier), number(means[tier].meanAchievedMinutes, 1), '', String(means[tier].count));
      add('mean-recovery', `Mean RTO (minutes), ${kind}`, '', tierScope(tier), number(means[tier].meanRtoMinutes, 1), '', String(means[tier].count));
    }
  }
  for (const q of views.drillsPerQuarter) add('drills-per-quarter', 'Drills carried out', q.quarter, '', String(q.drills), '', '');
  add('practices-carried-out', 'Drills carried out', 'all time', '', String(views.drillsCarriedOut), '', '');
  add('open-invocations', 'Open invocations, incidents', '', '', String(views.openInvocations.incidents), '', '');
  add('open-invocations', 'Open invocations, drills', '', '', String(views.openInvocations.drills), '', '');
  add('findings', 'Plans with findings waiting', '', '', String(views.findings.waiting), '', '');
  add('findings', 'Plans with findings handled', '', '', String(views.findings.handled), '', '');
  add('implementation-duration', 'Days to a mechanism in place, mean', '', '', number(views.implementationDays.meanDays, 1), '', String(views.implementationDays.count));
  add('implementation-duration', 'Days to a mechanism in place, median', '', '', number(views.implementationDays.medianDays, 1), '', String(views.implementationDays.count));
  for (const band of views.implementationHistogram) add('implementation-duration', 'Risks by days to a mechanism in place', band.label, '', String(band.risks), '', '');
  return rows;
}

/**
 * The indicators as a CSV for a spreadsheet: one row per figure, shares as fractions (0.75), means in
 * minutes or days to one decimal; `only` keeps one indicator's rows. Cells are neutralised like the
 * catalogue export (see csv-cells.ts).
 */
export function indicatorsCsv(views: IndicatorViews, options: { bom?: boolean; only?: IndicatorId } = {}): string {
  const rows = indicatorRows(views)
    .filter((r) => options.only === undefined || r.id === options.only)
    .map((r) => r.cells);
  return toCsv(INDICATOR_CSV_COLUMNS, [['Indicators as of', new Date(views.asOf).toISOString(), '', '', '', ''], ...rows], { bom: options.bom });
}
