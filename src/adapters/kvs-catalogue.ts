/** CatalogueStore over Forge hosted storage: services, plans and match entries as Custom Entities. */
import { kvs, Sort, WhereConditions } from '@forge/kvs';
import type { ContinuityPlan, Service, ServiceMatch } from '../domain/catalogue';
import { serviceIndexAttributes, type ListingIndex, type ServiceIndexAttributes } from '../domain/catalogue-listing';
import { matchKeyString, type MatchKey } from '../domain/matching';
import { nameKey } from '../domain/visible-text';
import type { CatalogueStore, CatalogueSummary, CatalogueWrite, JsmDirectory, ListingQuery, Page } from '../ports';
import { ENTITY, INDEX, KEY } from '../constants';
import { storage } from './kvs-errors';
import { matchStorageKey } from './kvs-store';

const BATCH = 25;
const PAGE = 100;

/** Lower-cased, trimmed: plan titles are looked up case-insensitively through an index (service names by nameKey). */
export const lookupKey = (text: string) => text.trim().toLowerCase();

type StoredService = Service & Partial<ServiceIndexAttributes>;
type StoredPlan = ContinuityPlan & { titleKey: string };

/** The value without the attributes that exist only for indexes. */
const strip = <T extends object>(value: T): T => {
  const { nameKey: _n, titleKey: _t, listing: _l, hasApprovedPlan: _h, sortName: _s1, sortTierName: _s2, sortRto: _s3, sortTierRto: _s4, ...rest } = value as T &
    Partial<ServiceIndexAttributes> & { titleKey?: string };
  return rest as T;
};

/** The index of each listing order, and the attribute it ranges over. */
const LISTING_INDEX: Record<ListingIndex, { index: string; attribute: keyof ServiceIndexAttributes }> = {
  name: { index: INDEX.serviceListingByName, attribute: 'sortName' },
  tierName: { index: INDEX.serviceListingByTierName, attribute: 'sortTierName' },
  rto: { index: INDEX.serviceListingByRto, attribute: 'sortRto' },
  tierRto: { index: INDEX.serviceListingByTierRto, attribute: 'sortTierRto' },
};

export class KvsCatalogueStore implements CatalogueStore {
  async getService(id: string): Promise<Service | undefined> {
    if (!validKey(id)) return undefined;
    const found = await storage('service', () => kvs.entity<StoredService>(ENTITY.service).get(id));
    return found && strip(found);
  }

  async getServices(ids: readonly string[]): Promise<Map<string, Service>> {
    return this.batch<Service>(ENTITY.service, ids);
  }

  async listServices(cursor?: string): Promise<Page<Service>> {
    const query = kvs.entity<StoredService>(ENTITY.service).query().index(INDEX.serviceByName).limit(PAGE);
    if (cursor) query.cursor(cursor);
    const page = await storage('services', () => query.getMany());
    return { items: page.results.map((r) => strip(r.value)), cursor: page.nextCursor };
  }

  async listPlans(cursor?: string): Promise<Page<ContinuityPlan>> {
    const query = kvs.entity<StoredPlan>(ENTITY.plan).query().index(INDEX.planByTitle).limit(PAGE);
    if (cursor) query.cursor(cursor);
    const page = await storage('plans', () => query.getMany());
    return { items: page.results.map((r) => strip(r.value)), cursor: page.nextCursor };
  }

  async serviceByName(name: string): Promise<Service | undefined> {
    const page = await storage('service by name', () =>
      kvs.entity<StoredService>(ENTITY.service).query().index(INDEX.serviceByName).where(WhereConditions.equalTo(nameKey(name))).limit(1).getMany(),
    );
    return page.results[0] && strip(page.results[0].value);
  }

  async getPlan(id: string): Promise<ContinuityPlan | undefined> {
    // A plan id from outside (an automation rule's input) may hold characters keys cannot: not a plan id then.
    if (!validKey(id)) return undefined;
    const found = await storage('plan', () => kvs.entity<StoredPlan>(ENTITY.plan).get(id));
    return found && strip(found);
  }

  async getPlans(ids: readonly string[]): Promise<Map<string, ContinuityPlan>> {
    return this.batch<ContinuityPlan>(ENTITY.plan, ids);
  }

  async planByTitle(title: string): Promise<ContinuityPlan | undefined> {
    const page = await storage('plan by title', () =>
      kvs.entity<StoredPlan>(ENTITY.plan).query().index(INDEX.planByTitle).where(WhereConditions.equalTo(lookupKey(title))).limit(5).getMany(),
    );
    const live = page.results.map((r) => strip(r.value)).find((p) => p.status !== 'retired');
    return live ?? (page.results[0] && strip(page.results[0].value));
  }

  async plansForService(serviceId: string): Promise<ContinuityPlan[]> {
    const page = await storage('plans of service', () =>
      kvs.entity<StoredPlan>(ENTITY.plan).query().index(INDEX.planByService).where(WhereConditions.equalTo(serviceId)).limit(50).getMany(),
    );
    return page.results.map((r) => strip(r.value));
  }

  async servicesByListing(query: ListingQuery): Promise<Array<{ sortValue: string; service: Service; hasApprovedPlan: boolean }>> {
    const { index, attribute } = LISTING_INDEX[query.index];
    // After a value: everything greater (the caller stops at the first value outside its prefix).
    // From the start: the prefix itself, or the whole partition.
    const range =
      query.after !== undefined ? WhereConditions.greaterThan(query.after) : query.prefix !== '' ? WhereConditions.beginsWith(query.prefix) : undefined;
    let builder = kvs.entity<StoredService>(ENTITY.service).query().index(index, { partition: [query.listing] });
    if (range) builder = builder.where(range);
    const page = await storage('services', () => builder.sort(Sort.ASC).limit(query.limit).getMany());
    const out: Array<{ sortValue: string; service: Service; hasApprovedPlan: boolean }> = [];
    for (const { value } of page.results) {
      const sortValue = String(value[attribute] ?? '');
      if (!sortValue.startsWith(query.prefix)) break;
      out.push({ sortValue, service: strip(value), hasApprovedPlan: value.hasApprovedPlan === true });
    }
    return out;
  }

  async planPage(limit: number, cursor?: string): Promise<Page<ContinuityPlan>> {
    const query = kvs.entity<StoredPlan>(ENTITY.plan).query().index(INDEX.planByTitle).limit(limit);
    if (cursor) query.cursor(cursor);
    const page = await storage('plans', () => query.getMany());
    return { items: page.results.map((r) => strip(r.value)), cursor: page.nextCursor };
  }

  async getSummary(): Promise<CatalogueSummary | undefined> {
    return storage('catalogue summary', () => kvs.get<CatalogueSummary>(KEY.catalogueSummary));
  }

  async getJsmDirectory(): Promise<JsmDirectory | undefined> {
    return storage('JSM services', () => kvs.get<JsmDirectory>(KEY.jsmDirectory));
  }

  async putJsmDirectory(directory: JsmDirectory): Promise<void> {
    await storage('JSM services', () => kvs.set(KEY.jsmDirectory, directory));
  }

  async matchEntries(keys: readonly MatchKey[]): Promise<Map<string, ServiceMatch[]>> {
    const out = new Map<string, ServiceMatch[]>();
    const found = await this.batch<{ matches: ServiceMatch[] }>(ENTITY.serviceMatch, keys.map(matchStorageKey));
    for (const key of keys) out.set(matchKeyString(key), found.get(matchStorageKey(key))?.matches ?? []);
    return out;
  }

  async writeCatalogue(change: CatalogueWrite): Promise<void> {
    type Op = { kind: 'set'; key: string; entityName?: string; value: unknown } | { kind: 'delete'; key: string; entityName: string };
    // Match entries first, records last: whoever sees a record stored (a re-run import, a reader) may
    // rely on the entries it implies; an interrupted write leaves entries ahead, never behind.
    const ops: Op[] = [
      ...(change.matches ?? []).map(({ key, matches }): Op =>
        matches.length === 0
          ? { kind: 'delete', key: matchStorageKey(key), entityName: ENTITY.serviceMatch }
          : { kind: 'set', key: matchStorageKey(key), entityName: ENTITY.serviceMatch, value: { key: matchKeyString(key), kind: key.kind, matches } },
      ),
      ...(change.plans ?? []).map((p): Op => ({ kind: 'set', key: p.id, entityName: ENTITY.plan, value: { ...p, titleKey: lookupKey(p.title) } })),
      ...(change.deleteServiceIds ?? []).map((id): Op => ({ kind: 'delete', key: id, entityName: ENTITY.service })),
      ...(change.services ?? []).map(({ service, hasApprovedPlan }): Op => ({
        kind: 'set',
        key: service.id,
        entityName: ENTITY.service,
        value: { ...service, ...serviceIndexAttributes(service, hasApprovedPlan) },
      })),
      ...(change.summary ? [{ kind: 'set', key: KEY.catalogueSummary, value: change.summary } as Op] : []),
    ];
    for (let i = 0; i < ops.length; i += BATCH) {
      const tx = kvs.transact();
      for (const op of ops.slice(i, i + BATCH)) {
        if (op.kind === 'set') tx.set(op.key, op.value, op.entityName ? { entityName: op.entityName } : undefined);
        else tx.delete(op.key, { entityName: op.entityName });
      }
      await storage('catalogue', () => tx.execute());
    }
  }

  private async batch<T>(entityName: string, ids: readonly string[]): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    const keys = [...new Set(ids)].filter(validKey);
    for (let i = 0; i < keys.length; i += BATCH) {
      const got = await storage(entityName, () => kvs.batchGet<T>(keys.slice(i, i + BATCH).map((key) => ({ key, entityName }))));
      for (const item of got.successfulKeys) out.set(item.key, strip(item.value as T & object) as T);
    }
    return out;
  }
}

/** Forge storage keys: 1–500 characters of `[a-zA-Z0-9:._\s-#]`, not only spaces. */
export function validKey(key: string): boolean {
  return typeof key === 'string' && key.length > 0 && key.length <= 500 && /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/.test(key);
}
