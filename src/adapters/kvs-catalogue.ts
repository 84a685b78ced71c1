/** CatalogueStore over Forge hosted storage: services, plans and match entries as Custom Entities. */
import { kvs, WhereConditions } from '@forge/kvs';
import type { ContinuityPlan, Service, ServiceMatch } from '../domain/catalogue';
import { matchKeyString, type MatchKey } from '../domain/matching';
import type { CatalogueStore, CatalogueWrite, Page } from '../ports';
import { ENTITY, INDEX, KEY } from '../constants';
import { storage } from './kvs-errors';
import { matchStorageKey } from './kvs-store';

const BATCH = 25;
const PAGE = 100;

/** Lower-cased, trimmed: names and titles are looked up case-insensitively through an index. */
export const lookupKey = (text: string) => text.trim().toLowerCase();

type StoredService = Service & { nameKey: string };
type StoredPlan = ContinuityPlan & { titleKey: string };

const strip = <T extends object>(value: T & { nameKey?: string; titleKey?: string }): T => {
  const { nameKey: _n, titleKey: _t, ...rest } = value;
  return rest as T;
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
      kvs.entity<StoredService>(ENTITY.service).query().index(INDEX.serviceByName).where(WhereConditions.equalTo(lookupKey(name))).limit(1).getMany(),
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

  async matchEntries(keys: readonly MatchKey[]): Promise<Map<string, ServiceMatch[]>> {
    const out = new Map<string, ServiceMatch[]>();
    const found = await this.batch<{ matches: ServiceMatch[] }>(ENTITY.serviceMatch, keys.map(matchStorageKey));
    for (const key of keys) out.set(matchKeyString(key), found.get(matchStorageKey(key))?.matches ?? []);
    return out;
  }

  async writeCatalogue(change: CatalogueWrite): Promise<void> {
    type Op = { kind: 'set'; key: string; entityName?: string; value: unknown } | { kind: 'delete'; key: string; entityName: string };
    const ops: Op[] = [
      ...(change.services ?? []).map((s): Op => ({ kind: 'set', key: s.id, entityName: ENTITY.service, value: { ...s, nameKey: lookupKey(s.name) } })),
      ...(change.plans ?? []).map((p): Op => ({ kind: 'set', key: p.id, entityName: ENTITY.plan, value: { ...p, titleKey: lookupKey(p.title) } })),
      ...(change.matches ?? []).map(({ key, matches }): Op =>
        matches.length === 0
          ? { kind: 'delete', key: matchStorageKey(key), entityName: ENTITY.serviceMatch }
          : { kind: 'set', key: matchStorageKey(key), entityName: ENTITY.serviceMatch, value: { key: matchKeyString(key), kind: key.kind, matches } },
      ),
    ];
    for (let i = 0; i < ops.length; i += BATCH) {
      const tx = kvs.transact();
      for (const op of ops.slice(i, i + BATCH)) {
        if (op.kind === 'set') tx.set(op.key, op.value, op.entityName ? { entityName: op.entityName } : undefined);
        else tx.delete(op.key, { entityName: op.entityName });
      }
      await storage('catalogue', () => tx.execute());
    }
    if (change.summary) await storage('catalogue summary', () => kvs.set(KEY.catalogueSummary, change.summary));
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
