/**
 * PlanPageStore over Forge hosted storage: plans found by page id (through the plan entity's `by-page`
 * index), one lock per plan, review reminder claims and bulk publishing jobs.
 *
 * The lock is a Custom Entity holding its holder and an expiry: taken with a create-if-absent write,
 * taken over only when expired and only by a write conditioned on the expired value (KVS TTLs remove
 * keys some time after they expire, so an expiry the app checks itself is what makes a lease), given
 * back by a delete conditioned on the holder.
 */
import { Filter, FilterConditions, kvs, WhereConditions } from '@forge/kvs';
import type { ContinuityPlan } from '../domain/catalogue';
import { StaleRecordError, type PlanPageStore, type PublishJob } from '../ports';
import { ENTITY, INDEX, KEY } from '../constants';
import { lostRace, storage } from './kvs-errors';
import { validKey } from './kvs-catalogue';

interface PlanLock {
  holder: string;
  until: number;
}

const reminderKey = (planId: string, period: string) => `${KEY.planReminderPrefix}${planId}:${period}`;

export class KvsPlanPageStore implements PlanPageStore {
  async planForPage(pageId: string): Promise<ContinuityPlan | undefined> {
    if (!/^\d{1,19}$/.test(pageId)) return undefined;
    const page = await storage('plan by page', () =>
      kvs.entity<ContinuityPlan & { titleKey?: string }>(ENTITY.plan).query().index(INDEX.planByPage).where(WhereConditions.equalTo(pageId)).limit(10).getMany(),
    );
    const plans = page.results.map((r) => {
      const { titleKey: _t, ...plan } = r.value;
      return plan as ContinuityPlan;
    });
    // A page bound to a retired plan and to a live one (re-adopted) belongs to the live one.
    return plans.find((p) => p.status !== 'retired') ?? plans[0];
  }

  async lockPlan(planId: string, holder: string, now: number, until: number): Promise<boolean> {
    if (!validKey(planId)) return false;
    const locks = kvs.entity<PlanLock>(ENTITY.planLock);
    try {
      await storage('plan lock', () => locks.set(planId, { holder, until }, { keyPolicy: 'FAIL_IF_EXISTS' }));
      return true;
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
    const held = await storage('plan lock', () => locks.get(planId));
    if (held && held.until > now) return held.holder === holder;
    // Expired (or gone meanwhile): take it over only if it is still the expired lock.
    try {
      if (!held) {
        await storage('plan lock', () => locks.set(planId, { holder, until }, { keyPolicy: 'FAIL_IF_EXISTS' }));
      } else {
        const unchanged = new Filter<PlanLock>().and('holder', FilterConditions.equalTo(held.holder)).and('until', FilterConditions.equalTo(held.until));
        await storage('plan lock', () => kvs.transact().set(planId, { holder, until }, { entityName: ENTITY.planLock, conditions: unchanged }).execute());
      }
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  async unlockPlan(planId: string, holder: string): Promise<void> {
    if (!validKey(planId)) return;
    const mine = new Filter<PlanLock>().and('holder', FilterConditions.equalTo(holder));
    try {
      await storage('plan lock', () => kvs.transact().delete(planId, { entityName: ENTITY.planLock, conditions: mine }).execute());
    } catch (error) {
      // Not ours any more (it expired and someone took it), or already gone: nothing to give back.
      if (!lostRace(error)) throw error;
    }
  }

  async claimReminder(planId: string, period: string, now: number): Promise<boolean> {
    const key = reminderKey(planId, period);
    if (!validKey(key)) return false;
    try {
      await storage('reminder claim', () => kvs.set(key, { claimedAt: now }, { keyPolicy: 'FAIL_IF_EXISTS' }));
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  async releaseReminder(planId: string, period: string): Promise<void> {
    const key = reminderKey(planId, period);
    if (validKey(key)) await storage('reminder claim', () => kvs.delete(key));
  }

  async getPublishJob(id: string): Promise<PublishJob | undefined> {
    if (!validKey(id)) return undefined;
    return storage('publish job', () => kvs.entity<PublishJob>(ENTITY.publishJob).get(id));
  }

  async savePublishJob(job: PublishJob, expectedVersion: number): Promise<PublishJob> {
    const stored: PublishJob = { ...job, version: expectedVersion + 1 };
    try {
      if (expectedVersion === 0) {
        await storage('publish job', () => kvs.entity<PublishJob>(ENTITY.publishJob).set(job.id, stored, { keyPolicy: 'FAIL_IF_EXISTS' }));
      } else {
        const unchanged = new Filter<PublishJob>().and('version', FilterConditions.equalTo(expectedVersion));
        await storage('publish job', () => kvs.transact().set(job.id, stored, { entityName: ENTITY.publishJob, conditions: unchanged }).execute());
      }
    } catch (error) {
      if (lostRace(error)) throw new StaleRecordError(job.id);
      throw error;
    }
    return stored;
  }

  async latestPublishJobId(): Promise<string | undefined> {
    return storage('latest publish job', () => kvs.get<string>(KEY.latestPublishJob));
  }

  async setLatestPublishJobId(id: string): Promise<void> {
    await storage('latest publish job', () => kvs.set(KEY.latestPublishJob, id));
  }
}
