/**
 * Keeping the indicator aggregates current where the data changes, and reading them.
 *
 * Writers (catalogue writes, incident record writes, risk edits; drills and findings later) call
 * recordIndicatorChange(before, after, deps) after storing their own change. It turns the change into
 * source updates (domain/indicator-facts.ts) and applies them: per group of sources, one batch read of
 * their contributions and shards, the difference computed in memory, and one transaction that writes
 * the shards and contributions only if none of them changed since the read. A lost race re-reads and
 * re-applies, so concurrent writers never overwrite each other; a report applied twice (a retry) or
 * late (a slower writer) changes nothing, because the difference is always taken from what the
 * aggregates hold for the source, and versions order the reports of one source.
 *
 * The hook never fails the writer's own change: the writer's record is already stored, and a report
 * that could not be applied is made good by the source's next report or by the rebuild (see
 * indicators-rebuild.ts), which reconciles every source with what the aggregates hold for it.
 */
import { conflict } from '../domain/errors';
import type { ContinuityPlan, Service } from '../domain/catalogue';
import type { IncidentRecord } from '../domain/incident-record';
import { contributionStep, catalogueUpdates, incidentUpdates, riskUpdate, shardOf, type SourceUpdate } from '../domain/indicator-facts';
import { apply, sumAggregates, type IndicatorAggregates } from '../domain/indicators';
import type { ReviewCadence } from '../domain/tiers';
import { LostRaceError, type AppDeps, type IndicatorShard, type StoredContribution, type StoredRisk } from '../ports';

export type IndicatorDeps = Pick<AppDeps, 'indicators' | 'clock'>;

/** Items one storage read or transaction may hold. */
const BATCH = 25;
const ATTEMPTS = 8;
/** Groups applied at once (each group touches its own shards, so they seldom collide). */
const PARALLEL = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface IndicatorReport {
  /** Sources whose facts changed the aggregates. */
  applied: number;
  /** Sources already up to date (a repeated or late report). */
  skipped: number;
  /** Why the report could not be applied (the hook logs it; the rebuild makes it good). */
  failed?: string;
}

/**
 * Groups of updates that each fit one read and one transaction: sorted by shard, each group holds as
 * many sources as fit with their shards within 25 items. One update per source (the newest).
 */
export function groupUpdates(updates: readonly SourceUpdate[]): SourceUpdate[][] {
  const newest = new Map<string, SourceUpdate>();
  for (const u of updates) if (!newest.has(u.key) || newest.get(u.key)!.version <= u.version) newest.set(u.key, u);
  const sorted = [...newest.values()].sort((a, b) => shardOf(a.key) - shardOf(b.key) || (a.key < b.key ? -1 : 1));
  const groups: SourceUpdate[][] = [];
  let group: SourceUpdate[] = [];
  let shards = new Set<number>();
  for (const u of sorted) {
    const shard = shardOf(u.key);
    const items = group.length + shards.size + (shards.has(shard) ? 1 : 2);
    if (group.length > 0 && items > BATCH) {
      groups.push(group);
      group = [];
      shards = new Set();
    }
    group.push(u);
    shards.add(shard);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Applies one group: read, compute, guarded write; on a lost race, again from the read. */
async function applyGroup(group: readonly SourceUpdate[], deps: IndicatorDeps): Promise<IndicatorReport> {
  const shardIds = [...new Set(group.map((u) => shardOf(u.key)))];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const read = await deps.indicators.read(shardIds, group.map((u) => u.key));
    const aggregates = new Map<number, IndicatorAggregates>();
    const contributions: StoredContribution[] = [];
    let applied = 0;
    for (const update of group) {
      const shard = shardOf(update.key);
      const stored = read.contributions.get(update.key);
      const step = contributionStep(stored, update);
      if (step.kind === 'skip') continue;
      contributions.push({ ...step.contribution, shard, version: stored?.version ?? 0 });
      if (step.kind === 'apply') {
        aggregates.set(shard, apply(aggregates.get(shard) ?? read.shards.get(shard)!.aggregates, step.change));
        applied += 1;
      }
    }
    if (contributions.length === 0) return { applied: 0, skipped: group.length };
    const shards: IndicatorShard[] = [...aggregates].map(([shard, value]) => ({ shard, version: read.shards.get(shard)!.version, aggregates: value }));
    try {
      await deps.indicators.write(shards, contributions);
      return { applied, skipped: group.length - applied };
    } catch (error) {
      if (!(error instanceof LostRaceError)) throw error;
      // Someone wrote one of these shards or sources meanwhile: back off with jitter, read again.
      await sleep(5 * 2 ** attempt * (0.5 + Math.random()));
    }
  }
  throw conflict('The indicators are being changed by many writers at once; the rebuild will bring them up to date.');
}

/** Applies source updates to the aggregates (see the module comment); throws when it could not. */
export async function applyIndicatorUpdates(updates: readonly SourceUpdate[], deps: IndicatorDeps): Promise<IndicatorReport> {
  const groups = groupUpdates(updates);
  const total: IndicatorReport = { applied: 0, skipped: 0 };
  for (let i = 0; i < groups.length; i += PARALLEL) {
    for (const report of await Promise.all(groups.slice(i, i + PARALLEL).map((g) => applyGroup(g, deps)))) {
      total.applied += report.applied;
      total.skipped += report.skipped;
    }
  }
  return total;
}

// ---- The hook ----

/** A record whose change the indicators follow, as the writer read it before and stored it after. */
export type IndicatorSubject =
  | { kind: 'incident'; record: IncidentRecord }
  | { kind: 'catalogue'; catalogue: { services: readonly Service[]; plans: readonly ContinuityPlan[] }; cadence?: ReviewCadence }
  | { kind: 'risk'; risk: StoredRisk };

export const ofIncident = (record: IncidentRecord | undefined): IndicatorSubject | undefined => record && { kind: 'incident', record };
export const ofCatalogue = (catalogue: { services: readonly Service[]; plans: readonly ContinuityPlan[] }, cadence?: ReviewCadence): IndicatorSubject => ({
  kind: 'catalogue',
  catalogue,
  ...(cadence ? { cadence } : {}),
});
export const ofRisk = (risk: StoredRisk | undefined): IndicatorSubject | undefined => risk && { kind: 'risk', risk };

/** The source updates a change of one subject makes. */
export function updatesOf(before: IndicatorSubject | undefined, after: IndicatorSubject | undefined, now: number): SourceUpdate[] {
  const kind = (after ?? before)?.kind;
  if (kind === 'incident') {
    if (after?.kind !== 'incident') return [];
    return incidentUpdates(before?.kind === 'incident' ? before.record : undefined, after.record);
  }
  if (kind === 'catalogue') {
    if (before?.kind !== 'catalogue' || after?.kind !== 'catalogue') return [];
    return catalogueUpdates(before.catalogue, after.catalogue, now, after.cadence);
  }
  if (kind === 'risk') {
    const stored = after?.kind === 'risk' ? after.risk : undefined;
    const old = before?.kind === 'risk' ? before.risk : undefined;
    if (stored) return [riskUpdate(stored.id, stored.version, stored)];
    // Deleted: the removal is the version after the last one stored.
    return old ? [riskUpdate(old.id, old.version + 1)] : [];
  }
  return [];
}

/** The catalogue's report to the indicators (saveCatalogue's `report`), with the review cadence in force. */
export const catalogueReporter =
  (deps: IndicatorDeps, cadence?: ReviewCadence) =>
  (before: { services: readonly Service[]; plans: readonly ContinuityPlan[] }, after: { services: readonly Service[]; plans: readonly ContinuityPlan[] }) =>
    recordIndicatorChange(ofCatalogue(before, cadence), ofCatalogue(after, cadence), deps);

/**
 * Reports a change the writer has stored: `before` as it read the record (absent: new), `after` as it
 * stored it (absent: deleted). Cheap when nothing the indicators count changed (no storage at all).
 * Never throws: the writer's change stands; a failure is logged and made good later.
 */
export async function recordIndicatorChange(before: IndicatorSubject | undefined, after: IndicatorSubject | undefined, deps: IndicatorDeps): Promise<IndicatorReport> {
  try {
    const updates = updatesOf(before, after, deps.clock.now());
    if (updates.length === 0) return { applied: 0, skipped: 0 };
    return await applyIndicatorUpdates(updates, deps);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.warn(`Indicators not updated (${message}); the rebuild will bring them up to date.`);
    return { applied: 0, skipped: 0, failed: message };
  }
}

/** The aggregates: the sum of every shard, in one storage read whatever the size of the catalogue. */
export async function currentAggregates(deps: Pick<AppDeps, 'indicators'>): Promise<IndicatorAggregates> {
  return sumAggregates((await deps.indicators.shards()).map((s) => s.aggregates));
}
