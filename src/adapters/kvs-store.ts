/** ContinuityStore over Forge hosted storage (`@forge/kvs`: plain keys and Custom Entities). */
import { createHash } from 'node:crypto';
import { kvs, Filter, FilterConditions, WhereConditions, Sort } from '@forge/kvs';
import type { ServiceMatch } from '../domain/catalogue';
import { DEFAULT_SETTINGS, type ContinuitySettings } from '../domain/incident';
import type { IncidentRecord } from '../domain/incident-record';
import { matchKeyString, type MatchKey } from '../domain/matching';
import { StaleRecordError, type ContinuityStore, type IncidentContext, type JiraFieldIds, type Page, type SweepState } from '../ports';
import { ENTITY, INDEX, KEY } from '../constants';
import { lostRace, storage } from './kvs-errors';

/** Forge allows 25 items per batch operation. */
const BATCH = 25;
const PAGE = 50;

/**
 * Match entries are keyed by what they match (a JSM service id may be an ARI with `/`, a label any
 * text), but storage keys allow only `[a-zA-Z0-9:._\s-#]`: the key is a digest of the match key.
 */
export function matchStorageKey(key: MatchKey): string {
  return `${key.kind}:${createHash('sha256').update(matchKeyString(key)).digest('hex').slice(0, 40)}`;
}

interface MatchEntry {
  key: string;
  kind: string;
  matches: ServiceMatch[];
}

export class KvsContinuityStore implements ContinuityStore {
  async incidentContext(issueId?: string): Promise<IncidentContext> {
    const items = [{ key: KEY.settings }, { key: KEY.jiraFields }, { key: KEY.catalogueSummary }, ...(issueId ? [{ key: issueId, entityName: ENTITY.incident }] : [])];
    const got = await storage('incident context', () => kvs.batchGet<unknown>(items));
    const value = (key: string, entityName?: string) => got.successfulKeys.find((k) => k.key === key && k.entityName === entityName)?.value;
    const summary = value(KEY.catalogueSummary) as { services?: number } | undefined;
    return {
      settings: { ...DEFAULT_SETTINGS, ...((value(KEY.settings) as Partial<ContinuitySettings> | undefined) ?? {}) },
      fields: value(KEY.jiraFields) as JiraFieldIds | undefined,
      record: issueId ? (value(issueId, ENTITY.incident) as IncidentRecord | undefined) : undefined,
      catalogueSize: summary?.services ?? 0,
    };
  }

  async getSettings(): Promise<ContinuitySettings> {
    const stored = await storage('settings', () => kvs.get<Partial<ContinuitySettings>>(KEY.settings));
    return { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
  }

  async putSettings(settings: ContinuitySettings): Promise<void> {
    await storage('settings', () => kvs.set(KEY.settings, settings));
  }

  async putJiraFields(fields: JiraFieldIds): Promise<void> {
    await storage('Jira field ids', () => kvs.set(KEY.jiraFields, fields));
  }

  async getRecord(issueId: string): Promise<IncidentRecord | undefined> {
    return storage('incident record', () => kvs.entity<IncidentRecord>(ENTITY.incident).get(issueId));
  }

  async getRecords(issueIds: readonly string[]): Promise<Map<string, IncidentRecord>> {
    const out = new Map<string, IncidentRecord>();
    const ids = [...new Set(issueIds)];
    for (let i = 0; i < ids.length; i += BATCH) {
      const got = await storage('incident records', () => kvs.batchGet<IncidentRecord>(ids.slice(i, i + BATCH).map((key) => ({ key, entityName: ENTITY.incident }))));
      for (const item of got.successfulKeys) out.set(item.key, item.value);
    }
    return out;
  }

  async saveRecord(record: IncidentRecord, expectedVersion: number): Promise<IncidentRecord> {
    const stored: IncidentRecord = { ...record, version: expectedVersion + 1 };
    try {
      if (expectedVersion === 0) {
        await storage('incident record', () => kvs.entity<IncidentRecord>(ENTITY.incident).set(record.issueId, stored, { keyPolicy: 'FAIL_IF_EXISTS' }));
      } else {
        // Written only if nobody else wrote since it was read: the version is the guard.
        const unchanged = new Filter<IncidentRecord>().and('version', FilterConditions.equalTo(expectedVersion));
        await storage('incident record', () => kvs.transact().set(record.issueId, stored, { entityName: ENTITY.incident, conditions: unchanged }).execute());
      }
      return stored;
    } catch (error) {
      if (lostRace(error)) throw new StaleRecordError(record.issueId);
      throw error;
    }
  }

  async lookupMatches(keys: readonly MatchKey[]): Promise<Map<string, ServiceMatch[]>> {
    const out = new Map<string, ServiceMatch[]>();
    const byStorageKey = new Map(keys.map((k) => [matchStorageKey(k), matchKeyString(k)]));
    const storageKeys = [...byStorageKey.keys()];
    for (let i = 0; i < storageKeys.length; i += BATCH) {
      const got = await storage('service matches', () => kvs.batchGet<MatchEntry>(storageKeys.slice(i, i + BATCH).map((key) => ({ key, entityName: ENTITY.serviceMatch }))));
      for (const item of got.successfulKeys) out.set(byStorageKey.get(item.key)!, item.value.matches.filter((m) => m.service));
    }
    return out;
  }

  async outboxRecords(fromSlot: number, toSlot: number, cursor?: string): Promise<Page<IncidentRecord>> {
    return this.page(INDEX.incidentByOutboxSlot, WhereConditions.between(Math.max(1, fromSlot), toSlot), cursor);
  }

  async openRecords(dueBefore: number, cursor?: string): Promise<Page<IncidentRecord>> {
    return this.page(INDEX.incidentByOpenDue, WhereConditions.between(1, dueBefore), cursor);
  }

  async listRecords(cursor?: string): Promise<Page<IncidentRecord>> {
    // Every record has an outbox slot (0 when nothing is pending), so the slot index holds them all.
    return this.page(INDEX.incidentByOutboxSlot, undefined, cursor);
  }

  private async page(index: string, where: ReturnType<typeof WhereConditions.between> | undefined, cursor?: string): Promise<Page<IncidentRecord>> {
    let query = kvs.entity<IncidentRecord>(ENTITY.incident).query().index(index);
    if (where) query = query.where(where);
    query = query.sort(Sort.ASC).limit(PAGE);
    if (cursor) query.cursor(cursor);
    const page = await storage('incident records', () => query.getMany());
    return { items: page.results.map((r) => r.value), cursor: page.nextCursor };
  }

  async claimSlot(slot: number): Promise<boolean> {
    try {
      await storage('outbox slot', () => kvs.set(`${KEY.outboxSlotPrefix}${slot}`, { slot }, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 1, unit: 'DAYS' } }));
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  async releaseSlot(slot: number): Promise<void> {
    await storage('outbox slot', () => kvs.delete(`${KEY.outboxSlotPrefix}${slot}`));
  }

  async getSweepState(): Promise<SweepState | undefined> {
    return storage('sweep state', () => kvs.get<SweepState>(KEY.sweepState));
  }

  async putSweepState(state: SweepState): Promise<void> {
    await storage('sweep state', () => kvs.set(KEY.sweepState, state));
  }
}
