/**
 * Rebuilding the indicators from scratch: the maintenance path that makes the aggregates equal to what
 * the data says now, whatever happened to them (a report lost when a writer died after storing its
 * record, settings that moved every review date, the feature installed on a site that already had
 * data). It reads every source (catalogue, incident records, risks) and every stored contribution, then:
 *   1. reconciles: every source whose facts differ from what the aggregates hold for it is reported
 *      through the same guarded path as any writer (so it is safe while people keep working), and a
 *      contribution whose source no longer exists is taken out;
 *   2. checks each shard against the sum of its contributions, and rewrites a shard that differs,
 *      guarded by the shard's version (a concurrent writer changes the shard too, so the check is
 *      repeated instead of overwriting its change).
 * It answers whether the aggregates now equal a recompute of the data it read (domain recompute()).
 * Findings are left as they are until their source can be read here (postmortems report them).
 */
import { findingFacts, INDICATOR_SHARDS, invocationFacts, riskFacts, sameFacts, serviceFacts, sourceKey, type SourceEntity, type SourceUpdate } from '../domain/indicator-facts';
import { recompute, applyAll, emptyAggregates, type IndicatorAggregates, type IndicatorChange, type IndicatorSnapshot } from '../domain/indicators';
import type { ContinuityPlan } from '../domain/catalogue';
import { LostRaceError, type AppDeps, type Page, type StoredContribution } from '../ports';
import { loadCatalogue } from './catalogue';
import { applyIndicatorUpdates, currentAggregates } from './indicators';

export type RebuildDeps = Pick<AppDeps, 'store' | 'catalogue' | 'measure' | 'indicators' | 'clock'>;

export interface RebuildReport {
  /** Sources read: services, invocations, risks. */
  sources: number;
  /** Sources whose facts the aggregates did not hold, now reported. */
  corrected: number;
  /** Contributions whose source is gone, now taken out. */
  removed: number;
  /** Shards that did not equal the sum of their contributions, rewritten. */
  shardsRepaired: number;
  /** Whether the stored aggregates equal a recompute of the data read (false if someone changed data meanwhile). */
  matchesRecompute: boolean;
  /** Stopped before the end for lack of time; running it again carries on (every step is idempotent). */
  complete: boolean;
}

/** The entities whose sources the rebuild reads; contributions of others are left alone. */
const READ: ReadonlySet<SourceEntity> = new Set(['service', 'invocation', 'risk', 'finding']);

async function all<T>(list: (cursor?: string) => Promise<Page<T>>, outOfTime: () => boolean): Promise<T[] | undefined> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    if (outOfTime()) return undefined;
    const page = await list(cursor);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** Every source as it is now, as updates (the version each is at), and the snapshot recompute() takes. */
export async function readSources(deps: RebuildDeps, outOfTime: () => boolean = () => false): Promise<{ updates: SourceUpdate[]; snapshot: IndicatorSnapshot } | undefined> {
  const settings = await deps.store.getSettings();
  const catalogue = await loadCatalogue(deps.catalogue);
  const records = await all((c) => deps.store.listRecords(c), outOfTime);
  const risks = await all((c) => deps.measure.allRisks(c), outOfTime);
  if (!records || !risks) return undefined;
  const now = deps.clock.now();
  const plansOf = new Map<string, ContinuityPlan[]>();
  for (const plan of catalogue.plans) plansOf.set(plan.serviceId, [...(plansOf.get(plan.serviceId) ?? []), plan]);
  const services = catalogue.services.map((s): SourceUpdate => ({ entity: 'service', key: sourceKey.service(s.id), version: now, facts: serviceFacts(s, plansOf.get(s.id) ?? [], settings.reviewCadence) }));
  const invocations = records.flatMap((r) => r.invocations.map((i): SourceUpdate => ({ entity: 'invocation', key: sourceKey.invocation(i.id), version: r.version, facts: invocationFacts(i) })));
  const findingUpdates = catalogue.plans.flatMap((p): SourceUpdate[] => {
    const facts = findingFacts(p);
    return facts ? [{ entity: 'finding', key: sourceKey.finding(p.id), version: now, facts }] : [];
  });
  const riskUpdates = risks.map((r): SourceUpdate => ({ entity: 'risk', key: sourceKey.risk(r.id), version: r.version, facts: riskFacts(r) }));
  const facts = <E extends SourceEntity>(list: SourceUpdate[], entity: E) => list.filter((u) => u.entity === entity && u.facts !== undefined).map((u) => u.facts!);
  return {
    updates: [...services, ...invocations, ...findingUpdates, ...riskUpdates],
    snapshot: {
      services: facts(services, 'service') as IndicatorSnapshot['services'],
      invocations: facts(invocations, 'invocation') as IndicatorSnapshot['invocations'],
      risks: facts(riskUpdates, 'risk') as IndicatorSnapshot['risks'],
      findings: facts(findingUpdates, 'finding') as IndicatorSnapshot['findings'],
    },
  };
}

async function shardContributions(deps: RebuildDeps, shard: number, outOfTime: () => boolean): Promise<StoredContribution[] | undefined> {
  return all((c) => deps.indicators.contributions(shard, c), outOfTime);
}

/** The aggregates a shard should hold: the sum of its contributions. */
function sumOf(contributions: readonly StoredContribution[]): IndicatorAggregates {
  return applyAll(
    emptyAggregates(),
    contributions.filter((c) => c.facts !== undefined).map((c) => ({ entity: c.entity, after: c.facts }) as IndicatorChange),
  );
}

export async function rebuildIndicators(deps: RebuildDeps, outOfTime: () => boolean = () => false): Promise<RebuildReport> {
  const report: RebuildReport = { sources: 0, corrected: 0, removed: 0, shardsRepaired: 0, matchesRecompute: false, complete: false };
  const read = await readSources(deps, outOfTime);
  if (!read) return report;
  report.sources = read.updates.length;

  // 1. Reconcile every source with what the aggregates hold for it.
  const held = new Map<string, StoredContribution>();
  for (let shard = 0; shard < INDICATOR_SHARDS; shard++) {
    const list = await shardContributions(deps, shard, outOfTime);
    if (!list) return report;
    for (const c of list) held.set(c.key, c);
  }
  const current = new Set(read.updates.map((u) => u.key));
  const differing = read.updates.filter((u) => !sameFacts(held.get(u.key)?.facts, u.facts) || held.get(u.key) === undefined);
  const gone = [...held.values()]
    .filter((c) => READ.has(c.entity) && !current.has(c.key) && c.facts !== undefined)
    .map((c): SourceUpdate => ({ entity: c.entity, key: c.key, version: Math.max(c.sourceVersion + 1, c.entity === 'service' || c.entity === 'finding' ? deps.clock.now() : 0) }) as SourceUpdate);
  if (outOfTime()) return report;
  const applied = await applyIndicatorUpdates([...differing, ...gone], deps);
  report.corrected = Math.max(0, applied.applied - gone.length);
  report.removed = gone.length;

  // 2. Each shard equals the sum of its contributions (repeated when a writer changes it meanwhile).
  for (let shard = 0; shard < INDICATOR_SHARDS; shard++) {
    for (let attempt = 0; ; attempt++) {
      if (outOfTime()) return report;
      const before = (await deps.indicators.read([shard], [])).shards.get(shard)!;
      const list = await shardContributions(deps, shard, outOfTime);
      if (!list) return report;
      const expected = sumOf(list);
      if (sameFacts(before.aggregates, expected)) break;
      try {
        await deps.indicators.write([{ shard, version: before.version, aggregates: expected }], []);
        report.shardsRepaired += 1;
        break;
      } catch (error) {
        if (!(error instanceof LostRaceError) || attempt >= 5) throw error;
      }
    }
  }

  const expected = recompute(read.snapshot);
  report.matchesRecompute = sameFacts(await currentAggregates(deps), expected);
  report.complete = true;
  return report;
}

/** The aggregates recomputed from the data alone (nothing stored is used or written), for checks. */
export async function recomputeFromData(deps: RebuildDeps): Promise<IndicatorAggregates> {
  const read = await readSources(deps);
  if (!read) throw new Error('unreachable: no time limit');
  return recompute(read.snapshot);
}

