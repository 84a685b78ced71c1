/** ContinuityStore over Forge hosted storage (`@forge/kvs` Custom Entities). */
import { kvs, Filter, FilterConditions, WhereConditions, ForgeKvsAPIError, Sort } from '@forge/kvs';
import type { ContinuityPlan, Service } from '../domain/catalogue';
import { DEFAULT_SETTINGS, type ContinuitySettings } from '../domain/incident';
import type { Invocation } from '../domain/invocation';
import { ContinuityError, RateLimitedError } from '../domain/errors';
import type { ContinuityStore } from '../ports';
import { ENTITY, INDEX, KEY } from '../constants';

const MAX_UPDATE_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The write lost a race: a condition (version guard, FAIL_IF_EXISTS) did not hold. Safe to re-read. */
function lostRace(error: unknown): boolean {
  return error instanceof ForgeKvsAPIError && (error.responseDetails?.status === 409 || /CONDITION|CONFLICT/.test(String(error.code)));
}

function rateLimited(error: unknown): boolean {
  return error instanceof ForgeKvsAPIError && (error.responseDetails?.status === 429 || /RATE_LIMIT|TOO_MANY_REQUESTS/.test(String(error.code)));
}

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

  async markPropertyStale(issueId: string, at: number): Promise<void> {
    await kvs.set(`${KEY.propertyStalePrefix}${issueId}`, { issueId, at });
  }

  async staleProperties(): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const q = kvs.query().where('key', WhereConditions.beginsWith(KEY.propertyStalePrefix)).limit(100);
      if (cursor) q.cursor(cursor);
      const page = await q.getMany<{ issueId: string }>();
      out.push(...page.results.map((r) => r.value.issueId));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async clearPropertyStale(issueId: string): Promise<void> {
    await kvs.delete(`${KEY.propertyStalePrefix}${issueId}`);
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
      if (rateLimited(error)) throw new RateLimitedError(undefined, 'App storage');
      if (!lostRace(error)) throw error;
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
        const limited = rateLimited(error);
        // Only a lost race or a rate limit is worth another round; anything else is a real failure.
        if (!limited && !lostRace(error)) throw error;
        if (attempt === MAX_UPDATE_ATTEMPTS - 1) {
          throw limited ? new RateLimitedError(undefined, 'App storage') : new ContinuityError('CONFLICT', `Invocation ${id} is being changed by someone else; try again.`);
        }
        // Back off with jitter so concurrent writers (or a throttled store) do not collide again at once.
        await sleep((limited ? 200 : 20) * 2 ** attempt * (0.5 + Math.random() / 2));
      }
    }
    throw new ContinuityError('CONFLICT', `Invocation ${id} could not be updated.`);
  }
}
