/**
 * In-memory fakes of IndicatorStore and MeasureStore (test support only), with their adapter's
 * semantics: version-guarded writes that throw LostRaceError (a transaction either writes everything
 * or nothing), batch reads of at most 25 items, pages of 100 in key order with cursors, values copied
 * in and out. Every operation goes through the shared MemoryStorage, so it is counted with the rest of
 * the app's storage operations and may be told to fail.
 */
import { emptyAggregates } from '../../domain/indicators';
import { INDICATOR_SHARDS } from '../../domain/indicator-facts';
import { LostRaceError, type IndicatorShard, type IndicatorStore, type MeasureStore, type Page, type ReviewRecord, type StoredBia, type StoredContribution, type StoredRisk } from '../../ports';
import type { MemoryStorage } from './fakes';

const PAGE = 100;
const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

function page<T>(items: readonly T[], key: (item: T) => string, cursor?: string): Page<T> {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = cursor === undefined ? sorted : sorted.filter((item) => key(item) > Buffer.from(cursor, 'base64url').toString());
  const slice = rest.slice(0, PAGE);
  return { items: slice, ...(rest.length > PAGE ? { cursor: Buffer.from(key(slice[slice.length - 1]!)).toString('base64url') } : {}) };
}

export class MemoryIndicators implements IndicatorStore {
  readonly shardValues = new Map<number, IndicatorShard>();
  readonly contributionValues = new Map<string, StoredContribution>();

  constructor(readonly storage: MemoryStorage) {}

  async shards(): Promise<IndicatorShard[]> {
    return [...(await this.read(Array.from({ length: INDICATOR_SHARDS }, (_, i) => i), [])).shards.values()];
  }

  async read(shards: readonly number[], keys: readonly string[]): Promise<{ shards: Map<number, IndicatorShard>; contributions: Map<string, StoredContribution> }> {
    if (shards.length + keys.length > 25) throw new Error('At most 25 items in one indicator read.');
    return this.storage.op('read', 'indicators.read', [shards, keys], () => ({
      shards: new Map(shards.map((s) => [s, this.shardValues.get(s) ?? { shard: s, version: 0, aggregates: emptyAggregates() }])),
      contributions: new Map(keys.flatMap((k) => (this.contributionValues.has(k) ? [[k, this.contributionValues.get(k)!] as const] : []))),
    }));
  }

  async write(shards: readonly IndicatorShard[], contributions: readonly StoredContribution[]): Promise<void> {
    if (shards.length + contributions.length > 25) throw new Error('At most 25 operations in one transaction.');
    await this.storage.op('write', 'indicators.write', [shards, contributions], () => {
      const holds = shards.every((s) => (this.shardValues.get(s.shard)?.version ?? 0) === s.version) && contributions.every((c) => (this.contributionValues.get(c.key)?.version ?? 0) === c.version);
      if (!holds) throw new LostRaceError('The indicators');
      for (const s of shards) this.shardValues.set(s.shard, copy({ ...s, version: s.version + 1 }));
      for (const c of contributions) this.contributionValues.set(c.key, copy({ ...c, version: c.version + 1 }));
    });
  }

  async contributions(shard: number, cursor?: string): Promise<Page<StoredContribution>> {
    return this.storage.op('query', 'indicators.contributions', [shard, cursor], () =>
      page([...this.contributionValues.values()].filter((c) => c.shard === shard), (c) => c.key, cursor),
    );
  }
}

export class MemoryMeasure implements MeasureStore {
  readonly bias = new Map<string, StoredBia>();
  readonly risks = new Map<string, StoredRisk>();
  readonly reviews = new Map<string, ReviewRecord>();

  constructor(readonly storage: MemoryStorage) {}

  async getBia(serviceId: string): Promise<StoredBia | undefined> {
    return this.storage.op('read', 'measure.getBia', [serviceId], () => this.bias.get(serviceId));
  }

  async getBias(serviceIds: readonly string[]): Promise<Map<string, StoredBia>> {
    const out = new Map<string, StoredBia>();
    const ids = [...new Set(serviceIds)];
    for (let i = 0; i < ids.length; i += 25) {
      const batch = ids.slice(i, i + 25);
      const found = await this.storage.op('read', 'measure.getBias', [batch], () => batch.flatMap((id) => (this.bias.has(id) ? [this.bias.get(id)!] : [])));
      for (const bia of found) out.set(bia.serviceId, bia);
    }
    return out;
  }

  async saveBia(bia: StoredBia, expectedVersion: number): Promise<StoredBia> {
    return this.storage.op('write', 'measure.saveBia', [bia, expectedVersion], () => {
      if ((this.bias.get(bia.serviceId)?.version ?? 0) !== expectedVersion) throw new LostRaceError('The business impact analysis');
      const stored = { ...copy(bia), version: expectedVersion + 1 };
      this.bias.set(bia.serviceId, stored);
      return stored;
    });
  }

  async getRisk(id: string): Promise<StoredRisk | undefined> {
    return this.storage.op('read', 'measure.getRisk', [id], () => this.risks.get(id));
  }

  async risksForService(serviceId: string, cursor?: string): Promise<Page<StoredRisk>> {
    const order = (r: StoredRisk) => `${String(r.identifiedAt).padStart(16, '0')}:${r.id}`;
    return this.storage.op('query', 'measure.risksForService', [serviceId, cursor], () => page([...this.risks.values()].filter((r) => r.serviceId === serviceId), order, cursor));
  }

  async allRisks(cursor?: string): Promise<Page<StoredRisk>> {
    const order = (r: StoredRisk) => `${String(r.identifiedAt).padStart(16, '0')}:${r.id}`;
    return this.storage.op('query', 'measure.allRisks', [cursor], () => page([...this.risks.values()], order, cursor));
  }

  async risksWithoutMechanism(limit: number): Promise<StoredRisk[]> {
    return this.storage.op('query', 'measure.risksWithoutMechanism', [limit], () =>
      [...this.risks.values()].filter((r) => (r.mechanism?.state ?? 'none') === 'none').sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, Math.min(limit, PAGE)),
    );
  }

  async saveRisk(risk: StoredRisk, expectedVersion: number): Promise<StoredRisk> {
    return this.storage.op('write', 'measure.saveRisk', [risk, expectedVersion], () => {
      if ((this.risks.get(risk.id)?.version ?? 0) !== expectedVersion) throw new LostRaceError('The risk');
      const stored = { ...copy(risk), version: expectedVersion + 1 };
      this.risks.set(risk.id, stored);
      return stored;
    });
  }

  async deleteRisk(id: string, expectedVersion: number): Promise<void> {
    await this.storage.op('write', 'measure.deleteRisk', [id, expectedVersion], () => {
      if ((this.risks.get(id)?.version ?? 0) !== expectedVersion) throw new LostRaceError('The risk');
      this.risks.delete(id);
    });
  }

  async getReview(period: string): Promise<ReviewRecord | undefined> {
    return this.storage.op('read', 'measure.getReview', [period], () => this.reviews.get(period));
  }

  async saveReview(record: ReviewRecord, expectedVersion: number): Promise<ReviewRecord> {
    return this.storage.op('write', 'measure.saveReview', [record, expectedVersion], () => {
      if ((this.reviews.get(record.period)?.version ?? 0) !== expectedVersion) throw new LostRaceError('The practice review');
      const stored = { ...copy(record), version: expectedVersion + 1 };
      this.reviews.set(record.period, stored);
      return stored;
    });
  }
}
