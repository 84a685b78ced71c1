/**
 * In-memory fakes of the ports, for service tests (test support only: production code never imports
 * this module). Each fake is a full implementation of its interface and behaves as its adapter does
 * wherever a service could tell the difference:
 *   - MemoryStore / MemoryCatalogue share one MemoryStorage (as both adapters share the app's storage):
 *     version-guarded record writes that throw StaleRecordError, create-if-absent slot claims, batch
 *     reads of 25, index queries in pages of 50 (catalogue lists 100) with cursors, match entries keyed
 *     by matchKeyString, values copied in and out (storage serialises), Forge's key rules. Every storage
 *     operation is counted by kind, so tests can hold the services to their budgets.
 *   - FakeJira is a small Jira: issues with fields, remote links upserted by globalId, comments with
 *     properties (the app's markers), issue properties, users with permissions. Every call is recorded
 *     with its method, the clock's time and its start and end in one sequence (to see what overlapped),
 *     and any method can be told to fail the way the gateway reports Jira's failures.
 *   - MemoryQueue records pushes and can refuse them; ManualClock moves only when told.
 * Every method yields to the event loop before it acts, so concurrent callers interleave as they would
 * against the real services.
 */
import type { ContinuityPlan, Service, ServiceMatch } from '../../domain/catalogue';
import { ContinuityError, notFound, RateLimitedError, UpstreamError } from '../../domain/errors';
import { DEFAULT_SETTINGS, type ContinuitySettings, type IncidentFacts } from '../../domain/incident';
import type { IncidentRecord } from '../../domain/incident-record';
import { DRILL_PROPERTY_KEY, readDrillMark } from '../../domain/drills';
import { matchKeyString, type MatchKey } from '../../domain/matching';
import { serviceIndexAttributes, type ListingIndex, type ServiceIndexAttributes } from '../../domain/catalogue-listing';
import { MemoryIndicators, MemoryMeasure } from './measure-fakes';

/** The index attribute each listing index ranges over (as the adapter's LISTING_INDEX). */
const LISTING_ATTRIBUTE: Record<ListingIndex, keyof ServiceIndexAttributes> = { name: 'sortName', tierName: 'sortTierName', rto: 'sortRto', tierRto: 'sortTierRto' };
import {
  QueueRefusedError,
  StaleRecordError,
  type AppDeps,
  type CatalogueStore,
  type CatalogueSummary,
  type CatalogueWrite,
  type Clock,
  type CommentFacts,
  type CommentMarker,
  type ContinuityStore,
  type IncidentContext,
  type IssuePermissions,
  type JiraFieldIds,
  type JiraGateway,
  type JiraPerson,
  type JsmDirectory,
  type NewIssue,
  type ListingQuery,
  type OutboxEvent,
  type OutboxQueue,
  type Page,
  type RemoteLink,
  type SweepState,
  type SweptIncident,
} from '../../ports';

import { FakeConfluence, MemoryPlanPages, MemoryPlanQueue } from './confluence-fakes';
import { MemoryDrills, MemoryLoopQueue } from './loop-fakes';

/** Lets other callers run first, as any remote call would. */
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

// ---------------------------------------------------------------------------------------------------
// Clock

/** A clock that moves only when a test moves it. */
export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2025, 5, 2, 9, 0, 0)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): number {
    this.time += ms;
    return this.time;
  }

  set(time: number): void {
    this.time = time;
  }
}

// ---------------------------------------------------------------------------------------------------
// Programmed failures and hooks, shared by the fakes

interface Programmed<T> {
  method: string;
  what: T;
  /** Calls that match but are let through before this one applies. */
  skip: number;
  /** How many matching calls it applies to (Infinity: every one). */
  times: number;
  when?: (args: readonly unknown[]) => boolean;
}

class Programme<T> {
  private readonly entries: Array<Programmed<T>> = [];

  add(method: string, what: T, options: { times?: number; skip?: number; when?: (args: readonly unknown[]) => boolean } = {}): void {
    this.entries.push({ method, what, skip: options.skip ?? 0, times: options.times ?? 1, when: options.when });
  }

  /** The first entry that applies to this call, consumed once. */
  take(method: string, args: readonly unknown[]): T | undefined {
    for (const entry of this.entries) {
      if (entry.method !== method || entry.times <= 0 || (entry.when && !entry.when(args))) continue;
      if (entry.skip > 0) {
        entry.skip--;
        continue;
      }
      entry.times--;
      return entry.what;
    }
    return undefined;
  }

  clear(): void {
    this.entries.length = 0;
  }
}

// ---------------------------------------------------------------------------------------------------
// Storage

export type StorageOpKind = 'read' | 'write' | 'query';

export interface StorageOp {
  kind: StorageOpKind;
  /** The port method that made it. */
  method: string;
}

/** Every storage operation made, as the adapters would make them (a batch of 25 is one operation). */
export class StorageOps {
  readonly log: StorageOp[] = [];

  add(kind: StorageOpKind, method: string): void {
    this.log.push({ kind, method });
  }

  count(filter: { kind?: StorageOpKind; method?: string } = {}): number {
    return this.log.filter((op) => (!filter.kind || op.kind === filter.kind) && (!filter.method || op.method === filter.method)).length;
  }

  get total(): number {
    return this.log.length;
  }

  get reads(): number {
    return this.count({ kind: 'read' });
  }

  get writes(): number {
    return this.count({ kind: 'write' });
  }

  get queries(): number {
    return this.count({ kind: 'query' });
  }

  /** `{ incidentContext: 1, saveRecord: 2, ... }`, for readable failure messages. */
  byMethod(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const op of this.log) out[op.method] = (out[op.method] ?? 0) + 1;
    return out;
  }

  reset(): void {
    this.log.length = 0;
  }
}

/** Forge's rule for storage keys: 1–500 characters of `[a-zA-Z0-9:._\s-#]`, not only spaces. */
function validStorageKey(key: string): boolean {
  return key.length > 0 && key.length <= 500 && /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/.test(key);
}

/** Forge storage refuses values over 240 KiB; a record that grew past it must fail here too. */
const MAX_VALUE_BYTES = 240 * 1024;

/** What the app's hosted storage holds: one instance shared by MemoryStore and MemoryCatalogue. */
export class MemoryStorage {
  readonly ops = new StorageOps();
  readonly failures = new Programme<Error>();
  settings?: Partial<ContinuitySettings>;
  fields?: JiraFieldIds;
  summary?: CatalogueSummary;
  sweep?: SweepState;
  readonly records = new Map<string, IncidentRecord>();
  readonly matches = new Map<string, ServiceMatch[]>();
  readonly slots = new Set<number>();
  readonly services = new Map<string, Service>();
  /** Whether each stored service has an approved plan (the listing index attribute). */
  readonly approved = new Map<string, boolean>();
  readonly plans = new Map<string, ContinuityPlan>();
  jsmDirectory?: JsmDirectory;

  /** One storage operation: yields, counts, fails if told to, and hands out a copy of the answer. */
  async op<T>(kind: StorageOpKind, method: string, args: readonly unknown[], work: () => T): Promise<T> {
    await yieldTurn();
    this.ops.add(kind, method);
    const failure = this.failures.take(method, args);
    if (failure) throw failure;
    return copy(work());
  }

  /** Storage refuses a malformed key with an error of its own (not one of the app's typed errors). */
  requireKey(key: string): void {
    if (!validStorageKey(key)) throw new Error(`Invalid storage key ${JSON.stringify(key)}.`);
  }

  requireSize(value: unknown): void {
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > MAX_VALUE_BYTES) throw new Error(`The value is ${bytes} bytes; storage allows ${MAX_VALUE_BYTES}.`);
  }
}

/** Forge allows 25 items per batch operation. */
const BATCH = 25;
/** The store adapter's page size for index queries. */
export const RECORD_PAGE = 50;
/** The catalogue adapter's page size for its lists. */
export const CATALOGUE_PAGE = 100;

type SortKey = Array<string | number>;

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/**
 * One page of an index query. The cursor names the position after the last item returned (not an
 * offset), so items that leave the index between pages do not make the next page skip others.
 */
function pageOf<T>(items: readonly T[], sortKey: (item: T) => SortKey, limit: number, cursor?: string): Page<T> {
  const sorted = [...items].sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  const after = cursor === undefined ? undefined : (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as SortKey);
  const rest = after ? sorted.filter((item) => compareKeys(sortKey(item), after) > 0) : sorted;
  const page = rest.slice(0, limit);
  const more = rest.length > limit;
  return { items: page, ...(more ? { cursor: Buffer.from(JSON.stringify(sortKey(page[page.length - 1]))).toString('base64url') } : {}) };
}

const batches = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));

/** ContinuityStore in memory, with the adapter's semantics (see KvsContinuityStore). */
export class MemoryStore implements ContinuityStore {
  constructor(readonly storage: MemoryStorage = new MemoryStorage()) {}

  get ops(): StorageOps {
    return this.storage.ops;
  }

  /** Makes the next call(s) of a method fail with `error` (e.g. an UpstreamError for a storage outage). */
  failNext<M extends keyof ContinuityStore>(method: M, error: Error, options: { times?: number; skip?: number; when?: (...args: Parameters<ContinuityStore[M]>) => boolean } = {}): void {
    const when = options.when;
    this.storage.failures.add(method, error, { ...options, when: when && ((args) => when(...(args as Parameters<ContinuityStore[M]>))) });
  }

  /** The stored record, read without counting an operation (for assertions). */
  peek(issueId: string): IncidentRecord | undefined {
    return copy(this.storage.records.get(issueId));
  }

  /** Every stored record, without counting operations (for assertions). */
  allRecords(): IncidentRecord[] {
    return [...this.storage.records.values()].map(copy);
  }

  async incidentContext(issueId?: string): Promise<IncidentContext> {
    return this.storage.op('read', 'incidentContext', [issueId], () => ({
      settings: { ...DEFAULT_SETTINGS, ...(this.storage.settings ?? {}) },
      fields: this.storage.fields,
      record: issueId === undefined ? undefined : this.storage.records.get(issueId),
      catalogueSize: this.storage.summary?.services ?? 0,
    }));
  }

  async getSettings(): Promise<ContinuitySettings> {
    return this.storage.op('read', 'getSettings', [], () => ({ ...DEFAULT_SETTINGS, ...(this.storage.settings ?? {}) }));
  }

  async putSettings(settings: ContinuitySettings): Promise<void> {
    await this.storage.op('write', 'putSettings', [settings], () => {
      this.storage.settings = copy(settings);
    });
  }

  async putJiraFields(fields: JiraFieldIds): Promise<void> {
    await this.storage.op('write', 'putJiraFields', [fields], () => {
      this.storage.fields = copy(fields);
    });
  }

  async getRecord(issueId: string): Promise<IncidentRecord | undefined> {
    return this.storage.op('read', 'getRecord', [issueId], () => {
      this.storage.requireKey(issueId);
      return this.storage.records.get(issueId);
    });
  }

  async getRecords(issueIds: readonly string[]): Promise<Map<string, IncidentRecord>> {
    const out = new Map<string, IncidentRecord>();
    for (const ids of batches([...new Set(issueIds)])) {
      const found = await this.storage.op('read', 'getRecords', [ids], () => {
        ids.forEach((id) => this.storage.requireKey(id));
        return ids.flatMap((id) => (this.storage.records.has(id) ? [this.storage.records.get(id)!] : []));
      });
      for (const record of found) out.set(record.issueId, record);
    }
    return out;
  }

  async saveRecord(record: IncidentRecord, expectedVersion: number): Promise<IncidentRecord> {
    return this.storage.op('write', 'saveRecord', [record, expectedVersion], () => {
      this.storage.requireKey(record.issueId);
      const current = this.storage.records.get(record.issueId);
      // 0: create if absent (FAIL_IF_EXISTS); else the stored version must still be the one read.
      const holds = expectedVersion === 0 ? current === undefined : current !== undefined && current.version === expectedVersion;
      if (!holds) throw new StaleRecordError(record.issueId);
      const stored: IncidentRecord = { ...copy(record), version: expectedVersion + 1 };
      this.storage.requireSize(stored);
      this.storage.records.set(record.issueId, stored);
      return stored;
    });
  }

  async lookupMatches(keys: readonly MatchKey[]): Promise<Map<string, ServiceMatch[]>> {
    const out = new Map<string, ServiceMatch[]>();
    const wanted = [...new Set(keys.map(matchKeyString))];
    for (const batch of batches(wanted)) {
      const found = await this.storage.op('read', 'lookupMatches', [batch], () => batch.flatMap((key) => (this.storage.matches.has(key) ? [[key, this.storage.matches.get(key)!] as const] : [])));
      for (const [key, matches] of found) out.set(key, matches.filter((m) => m.service));
    }
    return out;
  }

  async outboxRecords(fromSlot: number, toSlot: number, cursor?: string): Promise<Page<IncidentRecord>> {
    return this.storage.op('query', 'outboxRecords', [fromSlot, toSlot, cursor], () => {
      const from = Math.max(1, fromSlot);
      const inRange = [...this.storage.records.values()].filter((r) => r.outboxSlot >= from && r.outboxSlot <= toSlot);
      return pageOf(inRange, (r) => [r.outboxSlot, r.issueId], RECORD_PAGE, cursor);
    });
  }

  async openRecords(dueBefore: number, cursor?: string): Promise<Page<IncidentRecord>> {
    return this.storage.op('query', 'openRecords', [dueBefore, cursor], () => {
      const inRange = [...this.storage.records.values()].filter((r) => r.openDueAt >= 1 && r.openDueAt <= dueBefore);
      return pageOf(inRange, (r) => [r.openDueAt, r.issueId], RECORD_PAGE, cursor);
    });
  }

  async listRecords(cursor?: string): Promise<Page<IncidentRecord>> {
    return this.storage.op('query', 'listRecords', [cursor], () => pageOf([...this.storage.records.values()], (r) => [r.outboxSlot, r.issueId], RECORD_PAGE, cursor));
  }

  async claimSlot(slot: number): Promise<boolean> {
    return this.storage.op('write', 'claimSlot', [slot], () => {
      if (this.storage.slots.has(slot)) return false;
      this.storage.slots.add(slot);
      return true;
    });
  }

  async releaseSlot(slot: number): Promise<void> {
    await this.storage.op('write', 'releaseSlot', [slot], () => {
      this.storage.slots.delete(slot);
    });
  }

  async getSweepState(): Promise<SweepState | undefined> {
    return this.storage.op('read', 'getSweepState', [], () => this.storage.sweep);
  }

  async putSweepState(state: SweepState): Promise<void> {
    await this.storage.op('write', 'putSweepState', [state], () => {
      this.storage.sweep = copy(state);
    });
  }
}

/** Names and titles are looked up case-insensitively through an index on the trimmed, lower-cased text. */
const lookupKey = (text: string) => text.trim().toLowerCase();

/** CatalogueStore in memory, with the adapter's semantics (see KvsCatalogueStore). */
export class MemoryCatalogue implements CatalogueStore {
  constructor(readonly storage: MemoryStorage = new MemoryStorage()) {}

  get ops(): StorageOps {
    return this.storage.ops;
  }

  async getService(id: string): Promise<Service | undefined> {
    // As the adapter: an id storage keys cannot hold is no service's id (and is never sent to storage).
    if (!validStorageKey(id)) return undefined;
    return this.storage.op('read', 'getService', [id], () => this.storage.services.get(id));
  }

  async getServices(ids: readonly string[]): Promise<Map<string, Service>> {
    return this.batch('getServices', ids, this.storage.services);
  }

  async listServices(cursor?: string): Promise<Page<Service>> {
    return this.storage.op('query', 'listServices', [cursor], () => pageOf([...this.storage.services.values()], (s) => [lookupKey(s.name), s.id], CATALOGUE_PAGE, cursor));
  }

  async listPlans(cursor?: string): Promise<Page<ContinuityPlan>> {
    return this.storage.op('query', 'listPlans', [cursor], () => pageOf([...this.storage.plans.values()], (p) => [lookupKey(p.title), p.id], CATALOGUE_PAGE, cursor));
  }

  async serviceByName(name: string): Promise<Service | undefined> {
    return this.storage.op('query', 'serviceByName', [name], () => [...this.storage.services.values()].filter((s) => lookupKey(s.name) === lookupKey(name)).sort((a, b) => a.id.localeCompare(b.id))[0]);
  }

  async getPlan(id: string): Promise<ContinuityPlan | undefined> {
    if (!validStorageKey(id)) return undefined;
    return this.storage.op('read', 'getPlan', [id], () => this.storage.plans.get(id));
  }

  async getPlans(ids: readonly string[]): Promise<Map<string, ContinuityPlan>> {
    return this.batch('getPlans', ids, this.storage.plans);
  }

  async planByTitle(title: string): Promise<ContinuityPlan | undefined> {
    return this.storage.op('query', 'planByTitle', [title], () => {
      const found = [...this.storage.plans.values()].filter((p) => lookupKey(p.title) === lookupKey(title)).sort((a, b) => a.id.localeCompare(b.id)).slice(0, 5);
      return found.find((p) => p.status !== 'retired') ?? found[0];
    });
  }

  async plansForService(serviceId: string): Promise<ContinuityPlan[]> {
    return this.storage.op('query', 'plansForService', [serviceId], () => [...this.storage.plans.values()].filter((p) => p.serviceId === serviceId).slice(0, 50));
  }

  async writeCatalogue(change: CatalogueWrite): Promise<void> {
    type Op = () => void;
    const ops: Op[] = [
      ...(change.services ?? []).map(({ service, hasApprovedPlan }): Op => () => {
        this.storage.requireKey(service.id);
        this.storage.services.set(service.id, copy(service));
        this.storage.approved.set(service.id, hasApprovedPlan);
      }),
      ...(change.deleteServiceIds ?? []).map((id): Op => () => {
        this.storage.services.delete(id);
        this.storage.approved.delete(id);
      }),
      ...(change.plans ?? []).map((p): Op => () => {
        this.storage.requireKey(p.id);
        this.storage.plans.set(p.id, copy(p));
      }),
      ...(change.matches ?? []).map(({ key, matches }): Op => () => {
        // An empty list removes the entry, as the adapter deletes it.
        if (matches.length === 0) this.storage.matches.delete(matchKeyString(key));
        else this.storage.matches.set(matchKeyString(key), copy(matches));
      }),
    ];
    for (const transaction of batches(ops)) await this.storage.op('write', 'writeCatalogue', [change], () => transaction.forEach((op) => op()));
    if (change.summary) {
      const summary = change.summary;
      await this.storage.op('write', 'writeCatalogue', [change], () => {
        this.storage.summary = copy(summary);
      });
    }
  }

  async servicesByListing(query: ListingQuery): Promise<Array<{ sortValue: string; service: Service; hasApprovedPlan: boolean }>> {
    const attribute = LISTING_ATTRIBUTE[query.index];
    return this.storage.op('query', 'servicesByListing', [query], () =>
      [...this.storage.services.values()]
        .map((service) => {
          const approved = this.storage.approved.get(service.id) === true;
          const attributes = serviceIndexAttributes(service, approved);
          return { sortValue: attributes[attribute] as string, service, hasApprovedPlan: approved, listing: attributes.listing };
        })
        .filter((row) => row.listing === query.listing && row.sortValue.startsWith(query.prefix) && (query.after === undefined || row.sortValue > query.after))
        .sort((a, b) => (a.sortValue < b.sortValue ? -1 : a.sortValue > b.sortValue ? 1 : 0))
        .slice(0, query.limit)
        .map(({ listing: _l, ...row }) => row),
    );
  }

  async planPage(limit: number, cursor?: string): Promise<Page<ContinuityPlan>> {
    return this.storage.op('query', 'planPage', [limit, cursor], () => pageOf([...this.storage.plans.values()], (p) => [lookupKey(p.title), p.id], limit, cursor));
  }

  async getSummary(): Promise<CatalogueSummary | undefined> {
    return this.storage.op('read', 'getSummary', [], () => this.storage.summary);
  }

  async getJsmDirectory(): Promise<JsmDirectory | undefined> {
    return this.storage.op('read', 'getJsmDirectory', [], () => this.storage.jsmDirectory);
  }

  async putJsmDirectory(directory: JsmDirectory): Promise<void> {
    await this.storage.op('write', 'putJsmDirectory', [directory], () => {
      this.storage.jsmDirectory = copy(directory);
    });
  }

  async matchEntries(keys: readonly MatchKey[]): Promise<Map<string, ServiceMatch[]>> {
    const out = new Map<string, ServiceMatch[]>();
    const wanted = [...new Set(keys.map(matchKeyString))];
    for (const batch of batches(wanted)) {
      const found = await this.storage.op('read', 'matchEntries', [batch], () => batch.map((key) => [key, this.storage.matches.get(key) ?? []] as const));
      for (const [key, matches] of found) out.set(key, matches);
    }
    return out;
  }

  private async batch<T>(method: string, ids: readonly string[], from: ReadonlyMap<string, T>): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for (const batch of batches([...new Set(ids)].filter(validStorageKey))) {
      const found = await this.storage.op('read', method, [batch], () => batch.flatMap((id) => (from.has(id) ? [[id, from.get(id)!] as const] : [])));
      for (const [id, value] of found) out.set(id, value);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------
// Jira

export interface FakeUser {
  name?: string;
  permissions: IssuePermissions;
  admin?: boolean;
  /** Jira groups the user belongs to. */
  groups?: string[];
}

export interface FakeComment {
  id: string;
  body: object;
  internal: boolean;
  /** An account id, or 'app' for a comment posted as the app. */
  author: string;
  created: number;
  properties: Record<string, unknown>;
}

export interface FakeIssue {
  id: string;
  key: string;
  summary: string;
  projectKey: string;
  issueType: string;
  requestType: string | null;
  priority: { id: string; name: string } | null;
  majorIncident: boolean;
  /** JSM service ids in the Affected services field. */
  affectedServices: string[];
  components: string[];
  labels: string[];
  resolution: string | null;
  created: number;
  updated: number;
  properties: Record<string, unknown>;
  comments: FakeComment[];
  remoteLinks: Array<{ id: string; link: RemoteLink }>;
}

export type FakeIssueInput = Partial<Omit<FakeIssue, 'properties' | 'comments' | 'remoteLinks'>>;

export type JiraMethod = keyof JiraGateway;

export interface JiraCall {
  method: JiraMethod;
  /** The issue id or key the call was about, if any. */
  issue?: string;
  /** The signed-in user the gateway acted for (undefined: as the app). */
  user?: string;
  /** The fake clock's time when the call was made. */
  at: number;
  /** Positions in one sequence shared by every call: a call whose start comes after another's end waited for it. */
  startedAt: number;
  endedAt?: number;
  failed?: boolean;
  args: readonly unknown[];
}

/**
 * How a call fails, as the gateway reports Jira's answer after its own retries: a status, or a write
 * that Jira applied while its answer was lost (the gateway sees a network failure).
 */
export type JiraFailure = { status: 429; retryAfter?: number } | { status: 400 | 401 | 403 | 404 | 409 | 500 | 502 | 503 } | 'lost-answer';

const WRITES: ReadonlySet<JiraMethod> = new Set<JiraMethod>(['setIssueProperty', 'upsertRemoteLink', 'addComment', 'createIssue', 'linkIssues']);

export const FULL_PERMISSIONS: IssuePermissions = { browse: true, edit: true, comment: true };
export const VIEWER_PERMISSIONS: IssuePermissions = { browse: true, edit: false, comment: false };

/** The JSM custom field ids of the fake site. */
export const FIELD_IDS = { affectedServices: 'customfield_10041', majorIncident: 'customfield_10042', requestType: 'customfield_10010' } as const;

interface JiraState {
  issues: FakeIssue[];
  users: Map<string, FakeUser>;
  calls: JiraCall[];
  sequence: number;
  nextId: number;
  failures: Programme<JiraFailure>;
  hooks: Programme<(call: JiraCall) => unknown>;
  searchPageSize: number;
  projects: Array<{ key: string; name: string }>;
  priorities: Array<{ id: string; name: string }>;
  issueTypes: string[];
  requestTypes: Array<{ id: string; name: string }>;
  issueLinks: Array<{ typeName: string; inwardKey: string; outwardKey: string; by?: string }>;
  /** Groups that exist besides those the known users are in. */
  groups: string[];
}

function errorFor(failure: Exclude<JiraFailure, 'lost-answer'>, what: string): ContinuityError {
  switch (failure.status) {
    case 429:
      return new RateLimitedError(failure.retryAfter, what);
    case 400:
      return new ContinuityError('INVALID_INPUT', `${what}: bad request`);
    case 401:
    case 403:
      return new ContinuityError('FORBIDDEN', `${what}: not permitted.`);
    case 404:
      return notFound(what);
    case 409:
      return new ContinuityError('CONFLICT', `${what}: conflict.`);
    default:
      return new UpstreamError(failure.status, what);
  }
}

/**
 * JiraGateway over an in-memory Jira. `forUser(accountId)` answers a gateway acting for that user
 * over the same Jira (the way each resolver invocation has its own signed-in user).
 */
export class FakeJira implements JiraGateway {
  private readonly state: JiraState;

  constructor(
    private readonly clock: Clock = new ManualClock(),
    state?: JiraState,
    /** The signed-in user this gateway acts for in `asUser` calls; undefined outside a user's request. */
    readonly user?: string,
  ) {
    this.state = state ?? {
      issues: [],
      users: new Map(),
      calls: [],
      sequence: 0,
      nextId: 10001,
      failures: new Programme(),
      hooks: new Programme(),
      searchPageSize: 100,
      projects: [{ key: 'OPS', name: 'IT Operations' }],
      priorities: [
        { id: '1', name: 'Highest' },
        { id: '2', name: 'High' },
        { id: '3', name: 'Medium' },
        { id: '4', name: 'Low' },
      ],
      issueTypes: ['Incident', 'Service request'],
      requestTypes: [{ id: '11', name: 'Report a system problem' }],
      issueLinks: [],
      groups: ['jira-administrators'],
    };
  }

  forUser(accountId: string, user?: FakeUser): FakeJira {
    if (user) this.state.users.set(accountId, user);
    return new FakeJira(this.clock, this.state, accountId);
  }

  // --- the site: issues, users, settings of the fake -------------------------------------------------

  setUser(accountId: string, user: FakeUser): void {
    this.state.users.set(accountId, user);
  }

  set searchPageSize(size: number) {
    this.state.searchPageSize = size;
  }

  setIssueTypes(names: string[]): void {
    this.state.issueTypes = [...names];
  }

  setRequestTypes(types: Array<{ id: string; name: string }>): void {
    this.state.requestTypes = types;
  }

  /** Creates an issue (a P1 incident in OPS unless told otherwise) and answers it. */
  addIssue(input: FakeIssueInput = {}): FakeIssue {
    const id = input.id ?? String(this.state.nextId++);
    const now = this.clock.now();
    const issue: FakeIssue = {
      id,
      key: input.key ?? `OPS-${this.state.issues.length + 1}`,
      summary: 'Payments are failing',
      projectKey: 'OPS',
      issueType: 'Incident',
      requestType: null,
      priority: { id: '1', name: 'Highest' },
      majorIncident: false,
      affectedServices: [],
      components: [],
      labels: [],
      resolution: null,
      created: now,
      updated: now,
      ...input,
      properties: {},
      comments: [],
      remoteLinks: [],
    };
    this.state.issues.push(issue);
    return issue;
  }

  /** Changes an issue's fields as a person would (its `updated` time moves). */
  updateIssue(idOrKey: string, change: FakeIssueInput): FakeIssue {
    const issue = this.issue(idOrKey);
    Object.assign(issue, change, { updated: this.clock.now() });
    return issue;
  }

  issue(idOrKey: string): FakeIssue {
    const issue = this.find(idOrKey);
    if (!issue) throw new Error(`The fake Jira has no issue ${idOrKey}.`);
    return issue;
  }

  comments(idOrKey: string): FakeComment[] {
    return this.issue(idOrKey).comments;
  }

  /** The comments carrying the app's marker for this invocation and kind. */
  markedComments(idOrKey: string, invocationId: string, kind: string): FakeComment[] {
    return this.comments(idOrKey).filter((c) => hasMarker(c, { key: 'service-continuity', value: { invocationId, kind } }));
  }

  /** Issue links made through the gateway. */
  get issueLinks(): ReadonlyArray<{ typeName: string; inwardKey: string; outwardKey: string; by?: string }> {
    return this.state.issueLinks;
  }

  // --- calls, failures, hooks ------------------------------------------------------------------------

  get calls(): readonly JiraCall[] {
    return this.state.calls;
  }

  callsTo(method: JiraMethod): JiraCall[] {
    return this.state.calls.filter((c) => c.method === method);
  }

  writes(): JiraCall[] {
    return this.state.calls.filter((c) => WRITES.has(c.method));
  }

  resetCalls(): void {
    this.state.calls.length = 0;
  }

  /** Makes the next matching call(s) of a method fail (after `skip` matching calls went through). */
  failNext<M extends JiraMethod>(method: M, failure: JiraFailure, options: { times?: number; skip?: number; when?: (...args: Parameters<JiraGateway[M]>) => boolean } = {}): void {
    const when = options.when;
    this.state.failures.add(method, failure, { ...options, when: when && ((args) => when(...(args as Parameters<JiraGateway[M]>))) });
  }

  /** Runs `hook` when a matching call starts, before Jira acts on it (it is in flight meanwhile). */
  onCall(method: JiraMethod, hook: (call: JiraCall) => unknown, options: { times?: number; skip?: number } = {}): void {
    this.state.hooks.add(method, hook, options);
  }

  // --- JiraGateway -----------------------------------------------------------------------------------

  async readFieldIds(): Promise<JiraFieldIds> {
    return this.call('readFieldIds', undefined, [], 'Jira fields', () => ({ ...FIELD_IDS, fetchedAt: this.clock.now() }));
  }

  async getIncident(issueIdOrKey: string, fields: JiraFieldIds, options: { asUser?: boolean } = {}): Promise<IncidentFacts> {
    return this.call('getIncident', issueIdOrKey, [issueIdOrKey, fields, options], `Issue ${issueIdOrKey}`, () => {
      // Jira answers 404 both for an issue that does not exist and for one the user may not browse.
      const issue = this.find(issueIdOrKey);
      if (!issue || (options.asUser && !this.signedIn().permissions.browse)) throw notFound(`Issue ${issueIdOrKey}`, 'issue');
      return toFacts(issue, fields);
    });
  }

  async searchIncidents(jql: string, fields: JiraFieldIds, pageToken?: string): Promise<{ incidents: SweptIncident[]; nextPageToken?: string }> {
    return this.call('searchIncidents', undefined, [jql, fields, pageToken], 'Incident search', () => {
      const found = this.state.issues.filter(matchesJql(jql, this.clock.now())).sort((a, b) => a.updated - b.updated || Number(a.id) - Number(b.id));
      const start = pageToken === undefined ? 0 : Number(/^page-(\d+)$/.exec(pageToken)?.[1] ?? NaN);
      if (!Number.isSafeInteger(start)) throw new ContinuityError('INVALID_INPUT', 'Incident search: the page token is not valid.');
      const page = found.slice(start, start + this.state.searchPageSize);
      const next = start + page.length;
      return {
        incidents: page.map((issue) => {
          const property = issue.properties['service-continuity'];
          return { facts: toFacts(issue, fields), updatedAt: issue.updated, ...(property === undefined ? {} : { property: JSON.stringify(property) }) };
        }),
        ...(next < found.length ? { nextPageToken: `page-${next}` } : {}),
      };
    });
  }

  async setIssueProperty(issueIdOrKey: string, propertyKey: string, value: unknown): Promise<void> {
    await this.call('setIssueProperty', issueIdOrKey, [issueIdOrKey, propertyKey, value], `Issue property ${propertyKey}`, () => {
      this.existing(issueIdOrKey).properties[propertyKey] = copy(value);
    });
  }

  async upsertRemoteLink(issueIdOrKey: string, link: RemoteLink): Promise<string> {
    return this.call('upsertRemoteLink', issueIdOrKey, [issueIdOrKey, link], 'Remote link', () => {
      const issue = this.existing(issueIdOrKey);
      const existing = issue.remoteLinks.find((l) => l.link.globalId === link.globalId);
      if (existing) {
        existing.link = copy(link);
        return existing.id;
      }
      const id = String(this.state.nextId++);
      issue.remoteLinks.push({ id, link: copy(link) });
      issue.updated = this.clock.now();
      return id;
    });
  }

  async getComment(issueIdOrKey: string, commentId: string): Promise<CommentFacts> {
    return this.call('getComment', issueIdOrKey, [issueIdOrKey, commentId], 'Comment', () => {
      const comment = this.existing(issueIdOrKey).comments.find((c) => c.id === commentId);
      if (!comment) throw notFound(`Comment ${commentId}`, 'comment');
      const author = comment.author === 'app' ? undefined : this.state.users.get(comment.author);
      return { id: comment.id, created: comment.created, public: !comment.internal, authorType: comment.author === 'app' ? 'app' : 'atlassian', ...(author?.name ? { authorName: author.name } : {}) };
    });
  }

  async findMarkedComment(issueIdOrKey: string, marker: CommentMarker): Promise<string | undefined> {
    return this.call('findMarkedComment', issueIdOrKey, [issueIdOrKey, marker], 'Comments', () => this.existing(issueIdOrKey).comments.find((c) => hasMarker(c, marker))?.id);
  }

  async addComment(issueIdOrKey: string, adf: object, options: { internal: boolean; marker?: CommentMarker; asUser?: boolean }): Promise<string> {
    return this.call('addComment', issueIdOrKey, [issueIdOrKey, adf, options], 'Comment', () => {
      const issue = this.existing(issueIdOrKey);
      if (options.asUser && !this.signedIn().permissions.comment) throw new ContinuityError('FORBIDDEN', 'Comment: not permitted.');
      const id = String(this.state.nextId++);
      const properties: Record<string, unknown> = { 'sd.public.comment': { internal: options.internal } };
      if (options.marker) properties[options.marker.key] = copy(options.marker.value);
      issue.comments.push({ id, body: copy(adf), internal: options.internal, author: options.asUser ? this.user! : 'app', created: this.clock.now(), properties });
      issue.updated = this.clock.now();
      return id;
    });
  }

  async createIssue(input: NewIssue, options: { asUser: boolean }): Promise<{ id: string; key: string }> {
    return this.call('createIssue', undefined, [input, options], 'New issue', () => {
      if (options.asUser && !this.signedIn().permissions.edit) throw new ContinuityError('INVALID_INPUT', 'New issue: You do not have permission to create issues in this project.');
      if (!this.state.projects.some((p) => p.key === input.projectKey)) throw new ContinuityError('INVALID_INPUT', 'New issue: Specify a valid project ID or key');
      if (!this.state.issueTypes.includes(input.issueTypeName)) throw new ContinuityError('INVALID_INPUT', 'New issue: Specify a valid issue type');
      const count = this.state.issues.filter((i) => i.projectKey === input.projectKey).length;
      const issue = this.addIssue({ key: `${input.projectKey}-${count + 1}`, summary: input.summary, projectKey: input.projectKey, issueType: input.issueTypeName, priority: { id: '3', name: 'Medium' } });
      for (const p of input.properties ?? []) issue.properties[p.key] = copy(p.value);
      return { id: issue.id, key: issue.key };
    });
  }

  async linkIssues(link: { typeName: string; inwardKey: string; outwardKey: string }, options: { asUser: boolean }): Promise<void> {
    await this.call('linkIssues', link.inwardKey, [link, options], 'Issue link', () => {
      this.existing(link.inwardKey);
      this.existing(link.outwardKey);
      this.state.issueLinks.push({ ...link, ...(options.asUser ? { by: this.user } : {}) });
    });
  }

  async permissionsOfCurrentUser(issueIdOrKey: string): Promise<IssuePermissions> {
    return this.call('permissionsOfCurrentUser', issueIdOrKey, [issueIdOrKey], 'Permissions', () => {
      this.existing(issueIdOrKey);
      return { ...this.signedIn().permissions };
    });
  }

  async currentUserName(): Promise<string | undefined> {
    return this.call('currentUserName', undefined, [], 'Current user', () => this.signedIn().name);
  }

  async currentUserIsAdmin(): Promise<boolean> {
    return this.call('currentUserIsAdmin', undefined, [], 'Permissions', () => this.signedIn().admin === true);
  }

  async groupExists(name: string): Promise<boolean> {
    return this.call('groupExists', undefined, [name], 'Groups', () => {
      const all = [...this.state.groups, ...[...this.state.users.values()].flatMap((u) => u.groups ?? [])];
      return all.some((g) => g.toLowerCase() === name.trim().toLowerCase());
    });
  }

  async currentUserGroups(): Promise<string[]> {
    return this.call('currentUserGroups', undefined, [], 'Current user', () => [...(this.signedIn().groups ?? [])]);
  }

  async searchUsers(query: string, max: number): Promise<JiraPerson[]> {
    return this.call('searchUsers', undefined, [query, max], 'Users', () => {
      this.signedIn();
      const q = query.trim().toLowerCase();
      return [...this.state.users.entries()]
        .filter(([id, u]) => q !== '' && ((u.name ?? '').toLowerCase().includes(q) || id.toLowerCase().startsWith(q)))
        .slice(0, max)
        .map(([accountId, u]) => ({ accountId, displayName: u.name ?? accountId, accountType: 'atlassian', active: true }));
    });
  }

  async usersByIds(accountIds: readonly string[]): Promise<Map<string, JiraPerson>> {
    return this.call('usersByIds', undefined, [accountIds], 'Users', () => {
      this.signedIn();
      const out = new Map<string, JiraPerson>();
      for (const id of accountIds) {
        const u = this.state.users.get(id);
        if (u) out.set(id, { accountId: id, displayName: u.name ?? id, accountType: 'atlassian', active: true });
      }
      return out;
    });
  }

  async searchFieldValues(jql: string, fieldId: string, pageToken?: string): Promise<{ issues: Array<{ created: number; value: unknown }>; nextPageToken?: string }> {
    // Only what the catalogue's tests need: every issue, newest first, with the field's value.
    return this.call('searchFieldValues', undefined, [jql, fieldId, pageToken], 'Search', () => ({
      issues: [...this.state.issues.values()].sort((a, b) => b.created - a.created).map((i) => ({ created: i.created, value: i.affectedServices.map((id) => ({ id })) })),
    }));
  }

  async assetsServices(max: number): Promise<{ state: 'read'; services: Array<{ id: string; name: string }> } | { state: 'unavailable'; reason: string }> {
    return this.call('assetsServices', undefined, [max], 'Assets', () => ({ state: 'unavailable' as const, reason: 'This site has no Assets workspace the app may read.' }));
  }

  async listProjects(): Promise<Array<{ key: string; name: string }>> {
    return this.call('listProjects', undefined, [], 'Projects', () => this.state.projects.map((p) => ({ ...p })));
  }

  async listPriorities(): Promise<Array<{ id: string; name: string }>> {
    return this.call('listPriorities', undefined, [], 'Priorities', () => this.state.priorities.map((p) => ({ ...p })));
  }

  async listIssueTypeNames(): Promise<string[]> {
    return this.call('listIssueTypeNames', undefined, [], 'Issue types', () => [...new Set(this.state.issueTypes)]);
  }

  async listRequestTypes(): Promise<Array<{ id: string; name: string }>> {
    return this.call('listRequestTypes', undefined, [], 'Request types', () => this.state.requestTypes.map((t) => ({ ...t })));
  }

  // --- internals -------------------------------------------------------------------------------------

  private find(idOrKey: string): FakeIssue | undefined {
    return this.state.issues.find((i) => i.id === idOrKey || i.key === idOrKey);
  }

  private existing(idOrKey: string): FakeIssue {
    const issue = this.find(idOrKey);
    if (!issue) throw notFound(`Issue ${idOrKey}`, 'issue');
    return issue;
  }

  /** `api.asUser()` needs a user: outside a user's request it throws (a programming error, untyped). */
  private signedIn(): FakeUser {
    if (this.user === undefined) throw new Error('No signed-in user: asUser() is only available in a request made by a user.');
    return this.state.users.get(this.user) ?? { permissions: { browse: false, edit: false, comment: false } };
  }

  private async call<T>(method: JiraMethod, issue: string | undefined, args: readonly unknown[], what: string, work: () => T): Promise<T> {
    const call: JiraCall = { method, issue, user: this.user, at: this.clock.now(), startedAt: ++this.state.sequence, args: copy(args) };
    this.state.calls.push(call);
    try {
      const hook = this.state.hooks.take(method, args);
      if (hook) await hook(call);
      await yieldTurn();
      const failure = this.state.failures.take(method, args);
      if (failure === 'lost-answer') {
        // Jira did it; the answer never arrived.
        work();
        throw new UpstreamError(0, `${what} (socket hang up)`);
      }
      if (failure) throw errorFor(failure, what);
      const result = copy(work());
      await yieldTurn();
      return result;
    } catch (error) {
      call.failed = true;
      throw error;
    } finally {
      call.endedAt = ++this.state.sequence;
    }
  }
}

function hasMarker(comment: FakeComment, marker: CommentMarker): boolean {
  const value = comment.properties[marker.key] as CommentMarker['value'] | undefined;
  return value !== undefined && value.invocationId === marker.value.invocationId && value.kind === marker.value.kind;
}

/** The facts as the gateway reads them: JSM's fields only when their ids are known. */
function toFacts(issue: FakeIssue, fields: JiraFieldIds): IncidentFacts {
  return {
    issueId: issue.id,
    issueKey: issue.key,
    summary: issue.summary,
    projectKey: issue.projectKey,
    issueTypeName: issue.issueType,
    requestTypeName: fields.requestType ? issue.requestType : null,
    priority: issue.priority ? { ...issue.priority } : null,
    majorIncident: fields.majorIncident ? issue.majorIncident : false,
    affectedServiceIds: fields.affectedServices ? [...issue.affectedServices] : [],
    components: [...issue.components],
    labels: [...issue.labels],
    createdAt: issue.created,
    resolved: issue.resolution !== null,
    ...(readDrillMark(issue.properties[DRILL_PROPERTY_KEY]) ? { drill: readDrillMark(issue.properties[DRILL_PROPERTY_KEY]) } : {}),
  };
}

/**
 * The JQL the sweep sends, understood well enough to filter: `updated >= "-Nm"`, `project in (...)` and
 * `issuetype in (...)` with quoted values. Other clauses are ignored (every issue passes them).
 */
function matchesJql(jql: string, now: number): (issue: FakeIssue) => boolean {
  const quoted = (list: string) => [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1').toLowerCase());
  const updated = /updated\s*>=\s*"-(\d+)m"/i.exec(jql);
  const projects = /project\s+in\s*\(([^)]*)\)/i.exec(jql);
  const types = /issuetype\s+in\s*\(([^)]*)\)/i.exec(jql);
  return (issue) =>
    (!updated || issue.updated >= now - Number(updated[1]) * 60_000) &&
    (!projects || quoted(projects[1]).includes(issue.projectKey.toLowerCase())) &&
    (!types || quoted(types[1]).includes(issue.issueType.toLowerCase()));
}

// ---------------------------------------------------------------------------------------------------
// Queue

/** OutboxQueue in memory: records what was pushed, and refuses when told to. */
export class MemoryQueue implements OutboxQueue {
  readonly events: OutboxEvent[] = [];
  private delivered = 0;
  private readonly refusals: Array<number | undefined> = [];

  /** The next `times` pushes are refused (the platform's rate limit, an outage). */
  refuseNext(times = 1, retryAfterSeconds?: number): void {
    for (let i = 0; i < times; i++) this.refusals.push(retryAfterSeconds);
  }

  async push(event: OutboxEvent): Promise<void> {
    await yieldTurn();
    if (this.refusals.length > 0) {
      const retryAfter = this.refusals.shift();
      throw new QueueRefusedError('The outbox queue refused the push (rate limit).', retryAfter);
    }
    this.events.push({ ...event });
  }

  /** Events pushed since the last `take`, in order (what a consumer would be handed next). */
  take(): OutboxEvent[] {
    const taken = this.events.slice(this.delivered);
    this.delivered = this.events.length;
    return taken;
  }
}

// ---------------------------------------------------------------------------------------------------
// Dependencies

/** AppDeps made of the fakes, typed as the fakes so tests can program and inspect them. */
export interface FakeDeps extends AppDeps {
  store: MemoryStore;
  catalogue: MemoryCatalogue;
  jira: FakeJira;
  queue: MemoryQueue;
  indicators: MemoryIndicators;
  measure: MemoryMeasure;
  confluence: FakeConfluence;
  planPages: MemoryPlanPages;
  planQueue: MemoryPlanQueue;
  drills: MemoryDrills;
  loopQueue: MemoryLoopQueue;
  clock: ManualClock;
}

/** A complete AppDeps of fakes sharing one storage and one clock; any part may be given. */
export function fakeDeps(overrides: Partial<FakeDeps> = {}): FakeDeps {
  const clock = overrides.clock ?? new ManualClock();
  const store = overrides.store ?? new MemoryStore(overrides.catalogue?.storage);
  return {
    store,
    catalogue: overrides.catalogue ?? new MemoryCatalogue(store.storage),
    jira: overrides.jira ?? new FakeJira(clock),
    queue: overrides.queue ?? new MemoryQueue(),
    indicators: overrides.indicators ?? new MemoryIndicators(store.storage),
    measure: overrides.measure ?? new MemoryMeasure(store.storage),
    confluence: overrides.confluence ?? new FakeConfluence(clock),
    planPages: overrides.planPages ?? new MemoryPlanPages(store.storage),
    planQueue: overrides.planQueue ?? new MemoryPlanQueue(),
    drills: overrides.drills ?? new MemoryDrills(store.storage),
    loopQueue: overrides.loopQueue ?? new MemoryLoopQueue(),
    clock,
    remainingMs: overrides.remainingMs ?? (() => undefined),
  };
}

/** The same deps acting for a signed-in user (a resolver's request): same storage, same Jira and Confluence. */
export function asUser<D extends FakeDeps>(deps: D, accountId: string, user?: FakeUser): D {
  return { ...deps, jira: deps.jira.forUser(accountId, user), confluence: deps.confluence.forUser(accountId) };
}
