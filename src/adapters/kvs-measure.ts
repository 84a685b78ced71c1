/**
 * IndicatorStore and MeasureStore over Forge hosted storage (`@forge/kvs` Custom Entities): the
 * indicator shards and per-source contributions, BIAs, the risk register and practice reviews.
 * Version-guarded writes are entity transactions whose conditions name the version read (or, for a
 * record that must not exist yet, that it has none); a condition that does not hold cancels the whole
 * transaction and surfaces as LostRaceError.
 */
import { kvs, Filter, FilterConditions, Sort, WhereConditions } from '@forge/kvs';
import { ENTITY, INDEX } from '../constants';
import type { BusinessImpact } from '../domain/bia';
import { emptyAggregates } from '../domain/indicators';
import { INDICATOR_SHARDS } from '../domain/indicator-facts';
import { LostRaceError, type IndicatorShard, type IndicatorStore, type MeasureStore, type Page, type ReviewRecord, type StoredBia, type StoredContribution, type StoredRisk } from '../ports';
import { lostRace, storage } from './kvs-errors';
import { validKey } from './kvs-catalogue';

const BATCH = 25;
const PAGE = 100;

export const shardKey = (shard: number) => `shard-${String(shard).padStart(2, '0')}`;

/** A condition that holds when the stored item is still at `version` (0: there is no stored item). */
function unchanged<T extends { version: number }>(version: number) {
  return new Filter<T>().and('version', version === 0 ? FilterConditions.notExists() : FilterConditions.equalTo(version));
}

type StoredRiskValue = StoredRisk & { mechanismState: string };

/** A BIA as the entity holds it: the analysis in one attribute (its field names are longer than attribute names may be). */
interface StoredBiaValue {
  serviceId: string;
  assessment: BusinessImpact;
  version: number;
  updatedAt: number;
  updatedBy: string;
}

const biaValue = ({ serviceId, version, updatedAt, updatedBy, ...assessment }: StoredBia): StoredBiaValue => ({ serviceId, assessment, version, updatedAt, updatedBy });
const fromBiaValue = ({ assessment, ...rest }: StoredBiaValue): StoredBia => ({ ...assessment, ...rest });

const riskValue = (risk: StoredRisk): StoredRiskValue => ({ ...risk, mechanismState: risk.mechanism?.state ?? 'none' });
const stripRisk = (value: StoredRiskValue): StoredRisk => {
  const { mechanismState: _m, ...risk } = value;
  return risk;
};

export class KvsIndicatorStore implements IndicatorStore {
  async shards(): Promise<IndicatorShard[]> {
    const all = Array.from({ length: INDICATOR_SHARDS }, (_, i) => i);
    return [...(await this.read(all, [])).shards.values()];
  }

  async read(shards: readonly number[], keys: readonly string[]): Promise<{ shards: Map<number, IndicatorShard>; contributions: Map<string, StoredContribution> }> {
    if (shards.length + keys.length > BATCH) throw new Error(`At most ${BATCH} items in one indicator read.`);
    const items = [...shards.map((s) => ({ key: shardKey(s), entityName: ENTITY.indicatorShard })), ...keys.map((key) => ({ key, entityName: ENTITY.indicatorSource }))];
    const got = items.length === 0 ? { successfulKeys: [] } : await storage('indicators', () => kvs.batchGet<unknown>(items));
    const found = (key: string, entityName: string) => got.successfulKeys.find((k) => k.key === key && k.entityName === entityName)?.value;
    return {
      shards: new Map(shards.map((s) => [s, (found(shardKey(s), ENTITY.indicatorShard) as IndicatorShard | undefined) ?? { shard: s, version: 0, aggregates: emptyAggregates() }])),
      contributions: new Map(keys.flatMap((key) => {
        const value = found(key, ENTITY.indicatorSource) as StoredContribution | undefined;
        return value ? [[key, value] as const] : [];
      })),
    };
  }

  async write(shards: readonly IndicatorShard[], contributions: readonly StoredContribution[]): Promise<void> {
    const tx = kvs.transact();
    for (const shard of shards) {
      tx.set(shardKey(shard.shard), { ...shard, version: shard.version + 1 }, { entityName: ENTITY.indicatorShard, conditions: unchanged<IndicatorShard>(shard.version) });
    }
    for (const contribution of contributions) {
      tx.set(contribution.key, { ...contribution, version: contribution.version + 1 }, { entityName: ENTITY.indicatorSource, conditions: unchanged<StoredContribution>(contribution.version) });
    }
    try {
      await storage('indicators', () => tx.execute());
    } catch (error) {
      if (lostRace(error)) throw new LostRaceError('The indicators');
      throw error;
    }
  }

  async contributions(shard: number, cursor?: string): Promise<Page<StoredContribution>> {
    const query = kvs.entity<StoredContribution>(ENTITY.indicatorSource).query().index(INDEX.indicatorSourceByShard, { partition: [shard] }).sort(Sort.ASC).limit(PAGE);
    if (cursor) query.cursor(cursor);
    const page = await storage('indicator sources', () => query.getMany());
    return { items: page.results.map((r) => r.value), cursor: page.nextCursor };
  }
}

export class KvsMeasureStore implements MeasureStore {
  async getBia(serviceId: string): Promise<StoredBia | undefined> {
    if (!validKey(serviceId)) return undefined;
    const found = await storage('business impact analysis', () => kvs.entity<StoredBiaValue>(ENTITY.bia).get(serviceId));
    return found && fromBiaValue(found);
  }

  async getBias(serviceIds: readonly string[]): Promise<Map<string, StoredBia>> {
    const out = new Map<string, StoredBia>();
    const keys = [...new Set(serviceIds)].filter(validKey);
    for (let i = 0; i < keys.length; i += BATCH) {
      const got = await storage('business impact analyses', () => kvs.batchGet<StoredBiaValue>(keys.slice(i, i + BATCH).map((key) => ({ key, entityName: ENTITY.bia }))));
      for (const item of got.successfulKeys) out.set(item.key, fromBiaValue(item.value));
    }
    return out;
  }

  async saveBia(bia: StoredBia, expectedVersion: number): Promise<StoredBia> {
    const stored = { ...bia, version: expectedVersion + 1 };
    await this.guarded('The business impact analysis', () => kvs.transact().set(bia.serviceId, biaValue(stored), { entityName: ENTITY.bia, conditions: unchanged<StoredBiaValue>(expectedVersion) }).execute());
    return stored;
  }

  async getRisk(id: string): Promise<StoredRisk | undefined> {
    if (!validKey(id)) return undefined;
    const found = await storage('risk', () => kvs.entity<StoredRiskValue>(ENTITY.risk).get(id));
    return found && stripRisk(found);
  }

  async risksForService(serviceId: string, cursor?: string): Promise<Page<StoredRisk>> {
    const query = kvs.entity<StoredRiskValue>(ENTITY.risk).query().index(INDEX.riskByService, { partition: [serviceId] }).sort(Sort.ASC).limit(PAGE);
    if (cursor) query.cursor(cursor);
    const page = await storage('risks of service', () => query.getMany());
    return { items: page.results.map((r) => stripRisk(r.value)), cursor: page.nextCursor };
  }

  async allRisks(cursor?: string): Promise<Page<StoredRisk>> {
    const query = kvs.entity<StoredRiskValue>(ENTITY.risk).query().index(INDEX.riskByIdentified).sort(Sort.ASC).limit(PAGE);
    if (cursor) query.cursor(cursor);
    const page = await storage('risks', () => query.getMany());
    return { items: page.results.map((r) => stripRisk(r.value)), cursor: page.nextCursor };
  }

  async risksWithoutMechanism(limit: number): Promise<StoredRisk[]> {
    const page = await storage('risks without a mechanism', () =>
      kvs.entity<StoredRiskValue>(ENTITY.risk).query().index(INDEX.riskByMechanismState).where(WhereConditions.equalTo('none')).limit(Math.min(PAGE, limit)).getMany(),
    );
    return page.results.map((r) => stripRisk(r.value));
  }

  async saveRisk(risk: StoredRisk, expectedVersion: number): Promise<StoredRisk> {
    const stored = { ...risk, version: expectedVersion + 1 };
    await this.guarded('The risk', () => kvs.transact().set(risk.id, riskValue(stored), { entityName: ENTITY.risk, conditions: unchanged<StoredRiskValue>(expectedVersion) }).execute());
    return stored;
  }

  async deleteRisk(id: string, expectedVersion: number): Promise<void> {
    await this.guarded('The risk', () => kvs.transact().delete(id, { entityName: ENTITY.risk, conditions: unchanged<StoredRiskValue>(expectedVersion) }).execute());
  }

  async getReview(period: string): Promise<ReviewRecord | undefined> {
    if (!validKey(period)) return undefined;
    return storage('practice review', () => kvs.entity<ReviewRecord>(ENTITY.review).get(period));
  }

  async saveReview(record: ReviewRecord, expectedVersion: number): Promise<ReviewRecord> {
    const stored = { ...record, version: expectedVersion + 1 };
    await this.guarded('The practice review', () => kvs.transact().set(record.period, stored, { entityName: ENTITY.review, conditions: unchanged<ReviewRecord>(expectedVersion) }).execute());
    return stored;
  }

  private async guarded(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await storage(what, write);
    } catch (error) {
      if (lostRace(error)) throw new LostRaceError(what);
      throw error;
    }
  }
}
