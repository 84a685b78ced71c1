/** ContinuityStore over Forge hosted storage (`@forge/kvs` Custom Entities). */
import { kvs, Filter, FilterConditions, WhereConditions, ForgeKvsAPIError, Sort } from '@forge/kvs';
import type { ContinuityPlan, Service } from '../domain/catalogue';
import { DEFAULT_SETTINGS, type ContinuitySettings } from '../domain/incident';
import type { Invocation } from '../domain/invocation';
import { ContinuityError } from '../domain/errors';
import type { ContinuityStore } from '../ports';
import { ENTITY, INDEX, KEY } from '../constants';

const MAX_UPDATE_ATTEMPTS = 6;

async function all<T>(query: () => { cursor(c: string): unknown; getMany(): Promise<{ results: Array<{ key: string; value: T }>; nextCursor?: string }> }): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const q = query();
    if (cursor) q.cursor(cursor);
    const page = await q.getMany();
    out.push(...page.results.map((r) => r.value));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export class KvsContinuityStore implements ContinuityStore {
  async getSettings(): Promise<ContinuitySettings> {
    const stored = await kvs.get<Partial<ContinuitySettings>>(KEY.settings);
    return { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
  }

  async putSettings(settings: ContinuitySettings): Promise<void> {
    await kvs.set(KEY.settings, settings);
  }

  async openInvocationsDueBefore(dueBefore: number): Promise<Invocation[]> {
    return all(() =>
      kvs
        .entity<Invocation>(ENTITY.invocation)
        .query()
        .index(INDEX.invocationByStateDue, { partition: ['open'] })
        .where(WhereConditions.lessThan(dueBefore))
        .sort(Sort.ASC)
        .limit(100),
    );
  }

  async listServices(): Promise<Service[]> {
    return all(() => kvs.entity<Service>(ENTITY.service).query().index(INDEX.serviceByName).limit(100));
  }

  async getService(id: string): Promise<Service | undefined> {
    return kvs.entity<Service>(ENTITY.service).get(id);
  }

  async putService(service: Service): Promise<void> {
    await kvs.entity<Service>(ENTITY.service).set(service.id, service);
  }

  async getPlan(id: string): Promise<ContinuityPlan | undefined> {
    return kvs.entity<ContinuityPlan>(ENTITY.plan).get(id);
  }

  async planForService(serviceId: string): Promise<ContinuityPlan | undefined> {
    const plans = await all(() =>
      kvs.entity<ContinuityPlan>(ENTITY.plan).query().index(INDEX.planByService).where(WhereConditions.equalTo(serviceId)).limit(20),
    );
    return plans.find((p) => p.status !== 'retired');
  }

  async putPlan(plan: ContinuityPlan): Promise<void> {
    await kvs.entity<ContinuityPlan>(ENTITY.plan).set(plan.id, plan);
  }

  async getInvocation(id: string): Promise<Invocation | undefined> {
    return kvs.entity<Invocation>(ENTITY.invocation).get(id);
  }

  async invocationsForIssue(issueId: string): Promise<Invocation[]> {
    const found = await all(() =>
      kvs.entity<Invocation>(ENTITY.invocation).query().index(INDEX.invocationByIssue).where(WhereConditions.equalTo(issueId)).limit(20),
    );
    return found.sort((a, b) => a.id.localeCompare(b.id));
  }

  async createInvocation(invocation: Invocation): Promise<{ created: boolean; invocation: Invocation }> {
    try {
      await kvs.entity<Invocation>(ENTITY.invocation).set(invocation.id, invocation, { keyPolicy: 'FAIL_IF_EXISTS' });
      return { created: true, invocation };
    } catch (error) {
      if (!(error instanceof ForgeKvsAPIError)) throw error;
      // Someone (a duplicate event, a retry) created it first: theirs is the one.
      const existing = await this.getInvocation(invocation.id);
      if (!existing) throw error;
      return { created: false, invocation: existing };
    }
  }

  async updateInvocation(id: string, change: (current: Invocation) => Invocation | null): Promise<Invocation> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const current = await this.getInvocation(id);
      if (!current) throw new ContinuityError('NOT_FOUND', `Invocation ${id} not found.`, 'invocationId');
      const next = change(current);
      if (!next) return current;
      const stored = { ...next, version: current.version + 1 };
      try {
        // Written only if nobody else wrote since we read: the version is the guard.
        await kvs
          .transact()
          .set(id, stored, { entityName: ENTITY.invocation, conditions: new Filter<Invocation>().and('version', FilterConditions.equalTo(current.version)) })
          .execute();
        return stored;
      } catch (error) {
        if (!(error instanceof ForgeKvsAPIError)) throw error;
        if (attempt === MAX_UPDATE_ATTEMPTS - 1) throw new ContinuityError('CONFLICT', `Invocation ${id} is being changed by someone else; try again.`);
      }
    }
    throw new ContinuityError('CONFLICT', `Invocation ${id} could not be updated.`);
  }
}
