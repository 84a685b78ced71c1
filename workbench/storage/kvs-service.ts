/**
 * Local emulator of Forge hosted storage (Key-Value Store, secrets, Custom Entity Store), answering the
 * HTTP API that the unmodified `@forge/kvs` package calls through `global.__forge_fetch__`.
 *
 * Wire format: taken from `@forge/kvs` 1.6.5 (`out/storage-api.js`, `query.js`, `entity-query.js`,
 * `transaction-api.js`, `utils/transaction-request-builder.js`, `interfaces/kvs-api.d.ts`) and its own
 * tests (`out/__test__/index.test.js`): every call is a POST with a JSON body; a missing key on
 * get/delete answers 404 `KEY_NOT_FOUND` (the package turns it into `undefined` / a no-op); a plain
 * set/delete answers an empty 204; query answers `{ data, cursor? }`; batch answers
 * `{ successfulKeys, failedKeys }`; errors are `{ code, message, context? }`.
 *
 * Error codes and where they come from:
 * - dac "Error handling for the Key-Value Store" / "... for the Custom Entity Store" (all 400):
 *   `KEY_TOO_SHORT` (plain keys and secrets) / `EMPTY_KEY` (entity keys), `KEY_TOO_LONG`, `INVALID_KEY`
 *   (regex `/^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/`), `MAX_SIZE`, `MAX_DEPTH`, `ENTITY_TYPE_TOO_SHORT`,
 *   `ENTITY_TYPE_TOO_LARGE`, `INVALID_ENTITY_TYPE`, `INVALID_ENTITY_VALUE`, `INVALID_ENTITY_INDEX`,
 *   `COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE` (entity query limit 1..100), `EMPTY_FILTER_OPERATOR`,
 *   `INVALID_FILTER_OPERATORS_COMBINATION`, `INSUFFICIENT_FILTER_VALUES`.
 * - `@forge/kvs` itself: `KEY_NOT_FOUND` (404), `BAD_REQUEST` (400, "Provided request body is invalid",
 *   used here for every malformed request), `INTERNAL_SERVER_ERROR` (500).
 * - `KEY_CONFLICT` (409) for `keyPolicy: 'FAIL_IF_EXISTS'` on an existing key: reported by a third-party
 *   write-up of the real service, not by Atlassian's docs.
 * - Not discoverable, chosen here: `CONDITIONAL_CHECK_FAILED` (409) when a transaction `check` or the
 *   `conditions` of a transaction set/delete do not hold; `TOO_MANY_OPERATIONS` (400, > 25 operations
 *   in a transaction or > 25 items in a batch); `DUPLICATE_KEY` (400, a key used twice in one
 *   transaction or batch); `PAYLOAD_TOO_LARGE` (413, a transaction or batch over 4 MB);
 *   `INVALID_CURSOR` (400); `NOT_FOUND` (404, unknown API path).
 *
 * Semantics chosen where the docs are silent (each marked at its place below): metadata timestamps are
 * Unix seconds; plain `query` pages hold at most 20 (default 10, a larger limit is clamped); an entity
 * lacking an index's partition or range attribute is not in that index (sparse index); undeclared entity
 * attributes are refused; a missing attribute satisfies NOT_EQUAL_TO / NOT_CONTAINS / NOT_EXISTS only.
 */
import { Journal } from './journal';

export type AttributeType = 'string' | 'integer' | 'float' | 'boolean' | 'any';

export interface EntityDefinition {
  name: string;
  attributes: Record<string, { type: AttributeType }>;
  /** As in manifest.yml: an attribute name, or `{ name, range, partition? }` (the manifest schema makes `range` an array of one attribute; a bare string is accepted too). */
  indexes?: Array<string | { name: string; range: string | string[]; partition?: string[] }>;
}

export interface KvsServiceOptions {
  /** Snapshot file to persist to (its journal is `<file>.journal`); in memory only when absent. */
  file?: string;
  entities: EntityDefinition[];
  /** Clock in epoch milliseconds (for TTLs and metadata); `Date.now` by default. */
  now?: () => number;
}

export interface KvsResponse {
  status: number;
  /** Undefined means an empty response body. */
  body?: unknown;
}

// ---------------------------------------------------------------------------------------------
// Limits

const MAX_KEY_LENGTH = 500;
const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const MAX_VALUE_BYTES = 240 * 1024;
/** dac: "maximum object depth (32)"; FORGE-NOTES: depth ≤ 31. Counted as container nesting, `{}` being depth 1. */
const MAX_DEPTH = 31;
const QUERY_DEFAULT_LIMIT = 10;
/** dac (storage-api-query): "up to 10 values by default, ... a maximum of 20". Larger limits are clamped, not refused. */
const QUERY_MAX_LIMIT = 20;
const ENTITY_QUERY_DEFAULT_LIMIT = 10;
const ENTITY_QUERY_MAX_LIMIT = 100;
const MAX_TRANSACTION_OPERATIONS = 25;
const MAX_BATCH_ITEMS = 25;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const ENTITY_NAME_PATTERN = /^(?![_.-])(?!.*\.{2})[a-z0-9:\-_.]*(?<![.])$/;
const ATTRIBUTE_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]*$/;

const TTL_UNITS: Record<string, number> = { SECONDS: 1_000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };
const METADATA_FIELDS = ['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME'] as const;
type MetadataField = (typeof METADATA_FIELDS)[number];
const WHERE_CONDITIONS = ['BEGINS_WITH', 'BETWEEN', 'EQUAL_TO', 'GREATER_THAN', 'GREATER_THAN_EQUAL_TO', 'LESS_THAN', 'LESS_THAN_EQUAL_TO'];
const FILTER_CONDITIONS = [...WHERE_CONDITIONS, 'CONTAINS', 'NOT_CONTAINS', 'EXISTS', 'NOT_EXISTS', 'NOT_EQUAL_TO'];

// ---------------------------------------------------------------------------------------------
// State

interface StoredItem {
  value: unknown;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  updatedAt: number;
  /** Epoch milliseconds; absent when the item has no TTL. */
  expireAt?: number;
}

type Bucket = Map<string, StoredItem>;

/**
 * The snapshot on disk; buckets are entry arrays (not objects) so that keys such as `__proto__` round-trip
 * safely. Each journal entry is one request's changes: `[namespace, key, item or null]` with namespace
 * `k` (keys), `s` (secrets) or `e:<entity>`.
 */
interface PersistedState {
  version: 1;
  kvs: Array<[string, StoredItem]>;
  secrets: Array<[string, StoredItem]>;
  entities: Array<[string, Array<[string, StoredItem]>]>;
}

interface ResolvedIndex {
  name: string;
  partition: string[];
  range: string;
}

interface ResolvedEntity {
  name: string;
  attributes: Map<string, AttributeType>;
  indexes: Map<string, ResolvedIndex>;
}

type Namespace = { kind: 'kvs' } | { kind: 'secret' } | { kind: 'entity'; entity: ResolvedEntity };

interface Condition {
  property?: string;
  condition: string;
  values: unknown[];
}

interface FilterGroup {
  operator: 'and' | 'or';
  items: Condition[];
}

class KvsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly context?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const badRequest = (message: string, context?: Record<string, unknown>) => new KvsError(400, 'BAD_REQUEST', message, context);
const keyNotFound = (key: string) => new KvsError(404, 'KEY_NOT_FOUND', 'Provided key does not exist', { key });

// ---------------------------------------------------------------------------------------------

type Change = [string, string, StoredItem | null];

export class KvsService {
  private readonly journal: Journal;
  private readonly persistent: boolean;
  private readonly now: () => number;
  private readonly definitions = new Map<string, ResolvedEntity>();
  private kvs: Bucket = new Map();
  private secrets: Bucket = new Map();
  private entities = new Map<string, Bucket>();
  /** Undo steps of the request being handled: run when it fails (including its save), dropped when it succeeds. */
  private undo: Array<() => void> = [];
  /** The request's changes, journalled as one line when it succeeds. */
  private changes: Change[] = [];

  constructor(opts: KvsServiceOptions) {
    this.journal = new Journal(opts.file);
    this.persistent = Boolean(opts.file);
    this.now = opts.now ?? Date.now;
    for (const def of opts.entities) {
      const resolved = resolveDefinition(def);
      if (this.definitions.has(resolved.name)) throw new Error(`Custom entity '${resolved.name}' is defined twice`);
      this.definitions.set(resolved.name, resolved);
    }
    const { snapshot, entries, tornTail } = this.journal.open();
    const saved = snapshot as PersistedState | undefined;
    if (saved) {
      if (saved.version !== 1) throw new Error(`Unsupported KVS state file version ${String(saved.version)}`);
      this.kvs = new Map(saved.kvs);
      this.secrets = new Map(saved.secrets);
      this.entities = new Map(saved.entities.map(([name, entries]) => [name, new Map(entries)]));
    }
    for (const entry of entries as Change[][]) {
      for (const [ns, key, item] of entry) {
        const bucket = ns === 'k' ? this.kvs : ns === 's' ? this.secrets : this.entityBucket(ns.slice(2));
        if (item) bucket.set(key, item);
        else bucket.delete(key);
      }
    }
    this.journal.snapshotText = () => this.snapshotJson();
    if (entries.length > 0 || tornTail) this.journal.compact(this.snapshotJson());
  }

  /** Answers one request of the `@forge/kvs` HTTP API (`path` such as `/api/v1/get`, `body` the parsed JSON body). */
  async handle(path: string, body: unknown): Promise<KvsResponse> {
    let response: KvsResponse;
    try {
      response = this.route(path, body);
      this.undo = [];
      this.changes = [];
    } catch (e) {
      // A request that fails, even while saving, leaves memory as it was: nothing is half-applied.
      for (const step of this.undo.reverse()) step();
      this.undo = [];
      this.changes = [];
      if (e instanceof KvsError) {
        return { status: e.status, body: { code: e.code, message: e.message, ...(e.context ? { context: e.context } : {}) } };
      }
      return { status: 500, body: { code: 'INTERNAL_SERVER_ERROR', message: `Workbench KVS failure: ${(e as Error).message}` } };
    }
    try {
      // Answered only once its journal line is on disk (one fdatasync for every write of this tick).
      await this.journal.durable();
    } catch (e) {
      return { status: 500, body: { code: 'INTERNAL_SERVER_ERROR', message: `Workbench KVS failure: ${(e as Error).message}` } };
    }
    return response;
  }

  /** Empties every namespace and removes the files. */
  reset(): void {
    this.kvs = new Map();
    this.secrets = new Map();
    this.entities = new Map();
    this.journal.remove();
  }

  /** Writes a snapshot and closes the journal (a clean shutdown leaves only the snapshot). */
  close(): void {
    if (this.persistent) this.journal.close(this.snapshotJson());
  }

  /** Counts of live (unexpired) plain keys, entity items (all entities) and secrets. */
  stats(): { keys: number; entities: number; secrets: number } {
    const count = (bucket: Bucket) => [...bucket.values()].filter((item) => !this.expired(item)).length;
    let entities = 0;
    for (const bucket of this.entities.values()) entities += count(bucket);
    return { keys: count(this.kvs), entities, secrets: count(this.secrets) };
  }

  // -------------------------------------------------------------------------------------------
  // Routing

  private route(path: string, body: unknown): KvsResponse {
    // `@forge/kvs` uses `/api/v1/...`; the REST API for remotes uses `/v1/...` under its base URL.
    const route = path.split('?')[0].replace(/\/+$/, '').replace(/^\/api(?=\/v1\/)/, '');
    switch (route) {
      case '/v1/get': return this.get({ kind: 'kvs' }, obj(body));
      case '/v1/set': return this.set({ kind: 'kvs' }, obj(body));
      case '/v1/delete': return this.delete({ kind: 'kvs' }, obj(body));
      case '/v1/query': return this.query(obj(body));
      case '/v1/secret/get': return this.get({ kind: 'secret' }, obj(body));
      case '/v1/secret/set': return this.set({ kind: 'secret' }, obj(body));
      case '/v1/secret/delete': return this.delete({ kind: 'secret' }, obj(body));
      case '/v1/entity/get': return this.get(this.entityNamespace(obj(body).entityName), obj(body));
      case '/v1/entity/set': return this.set(this.entityNamespace(obj(body).entityName), obj(body));
      case '/v1/entity/delete': return this.delete(this.entityNamespace(obj(body).entityName), obj(body));
      case '/v1/entity/query': return this.entityQuery(obj(body));
      case '/v1/batch/get': return this.batchGet(body);
      case '/v1/batch/set': return this.batchSet(body);
      case '/v1/batch/delete': return this.batchDelete(body);
      case '/v1/transaction': return this.transaction(obj(body));
      default: throw new KvsError(404, 'NOT_FOUND', `Unknown Forge storage API path: ${path}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Single-key operations

  private get(ns: Namespace, req: Record<string, unknown>): KvsResponse {
    const key = validateKey(req.key, ns);
    const fields = metadataFields(optionsObj(req.options).metadataFields);
    const item = this.live(ns, key);
    if (!item) throw keyNotFound(key);
    return { status: 200, body: this.present(key, item, fields) };
  }

  private set(ns: Namespace, req: Record<string, unknown>): KvsResponse {
    const key = validateKey(req.key, ns);
    const value = validateValue(req.value, ns);
    const options = setOptions(req.options, true);
    const existing = this.live(ns, key);
    if (options.keyPolicy === 'FAIL_IF_EXISTS' && existing) {
      throw new KvsError(409, 'KEY_CONFLICT', `Key '${key}' already exists (keyPolicy FAIL_IF_EXISTS)`, { key });
    }
    const item = this.makeItem(value, existing, options.ttlMs);
    this.put(ns, key, item);
    this.persist();
    if (options.returnValue === 'PREVIOUS') {
      return existing ? { status: 200, body: this.present(key, existing, options.returnMetadataFields) } : { status: 204 };
    }
    if (options.returnValue === 'LATEST') return { status: 200, body: this.present(key, item, options.returnMetadataFields) };
    return { status: 204 };
  }

  private delete(ns: Namespace, req: Record<string, unknown>): KvsResponse {
    const key = validateKey(req.key, ns);
    if (!this.live(ns, key)) throw keyNotFound(key);
    this.put(ns, key, undefined);
    this.persist();
    return { status: 204 };
  }

  // -------------------------------------------------------------------------------------------
  // Queries

  private query(req: Record<string, unknown>): KvsResponse {
    let prefix = '';
    if (req.where !== undefined) {
      if (!Array.isArray(req.where) || req.where.length > 1) throw badRequest('query accepts a single where condition');
      if (req.where.length === 1) {
        const where = obj(req.where[0]);
        // dac: the Key-Value Store query filters on `key` with `beginsWith` only.
        if (where.property !== 'key') throw badRequest(`query can only filter on 'key', not '${String(where.property)}'`);
        if (where.condition !== 'BEGINS_WITH') throw badRequest(`query only supports BEGINS_WITH on key, not ${String(where.condition)}`);
        const values = Array.isArray(where.values) ? where.values : [];
        if (values.length !== 1 || (typeof values[0] !== 'string' && typeof values[0] !== 'number')) {
          throw new KvsError(400, 'INSUFFICIENT_FILTER_VALUES', 'BEGINS_WITH needs exactly one string value');
        }
        prefix = String(values[0]);
      }
    }
    let limit = QUERY_DEFAULT_LIMIT;
    if (req.limit !== undefined && req.limit !== null) {
      if (typeof req.limit !== 'number' || !Number.isInteger(req.limit) || req.limit < 1) throw badRequest('limit must be a positive integer');
      limit = Math.min(req.limit, QUERY_MAX_LIMIT);
    }
    const after = req.after === undefined || req.after === null ? undefined : decodeCursor(req.after, 'kvs').k;
    const fields = metadataFields(optionsObj(req.options).metadataFields);
    const keys = this.liveEntries({ kind: 'kvs' })
      .map(([key]) => key)
      .filter((key) => key.startsWith(prefix) && (after === undefined || key > after))
      .sort(compareStrings);
    const page = keys.slice(0, limit);
    const data = page.map((key) => this.present(key, this.kvs.get(key)!, fields));
    const more = keys.length > page.length;
    return { status: 200, body: { data, ...(more ? { cursor: encodeCursor({ t: 'kvs', k: page[page.length - 1] }) } : {}) } };
  }

  private entityQuery(req: Record<string, unknown>): KvsResponse {
    const ns = this.entityNamespace(req.entityName);
    const entity = ns.entity;
    if (typeof req.indexName !== 'string') throw new KvsError(400, 'INVALID_ENTITY_INDEX', 'indexName is required');
    const index = entity.indexes.get(req.indexName);
    if (!index) {
      throw new KvsError(400, 'INVALID_ENTITY_INDEX', `Entity '${entity.name}' has no index '${req.indexName}' (declared: ${[...entity.indexes.keys()].join(', ') || 'none'})`);
    }
    const partition = req.partition === undefined || req.partition === null ? [] : req.partition;
    if (!Array.isArray(partition)) throw badRequest('partition must be an array');
    if (partition.length !== index.partition.length) {
      throw badRequest(`Index '${index.name}' of entity '${entity.name}' is partitioned by [${index.partition.join(', ')}]: partition must hold ${index.partition.length} value(s), got ${partition.length}`);
    }
    const range = req.range === undefined || req.range === null ? undefined : parseCondition(req.range, WHERE_CONDITIONS, 'range');
    const filters = req.filters === undefined || req.filters === null ? undefined : parseFilters(req.filters, entity);
    const sort = req.sort === undefined || req.sort === null ? 'ASC' : req.sort;
    if (sort !== 'ASC' && sort !== 'DESC') throw badRequest(`sort must be ASC or DESC, not ${String(sort)}`);
    let limit = ENTITY_QUERY_DEFAULT_LIMIT;
    if (req.limit !== undefined && req.limit !== null) {
      if (typeof req.limit !== 'number' || !Number.isInteger(req.limit) || req.limit < 1 || req.limit > ENTITY_QUERY_MAX_LIMIT) {
        throw new KvsError(400, 'COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE', `The page limit must be set between 1 and ${ENTITY_QUERY_MAX_LIMIT}`);
      }
      limit = req.limit;
    }
    const cursor = req.cursor === undefined || req.cursor === null ? undefined : decodeCursor(req.cursor, 'entity');
    if (cursor && (cursor.e !== entity.name || cursor.i !== index.name || cursor.s !== sort)) {
      throw new KvsError(400, 'INVALID_CURSOR', 'The cursor belongs to a different query');
    }
    const fields = metadataFields(optionsObj(req.options).metadataFields ?? req.metadataFields);
    const direction = sort === 'ASC' ? 1 : -1;

    const rows: Array<{ key: string; item: StoredItem; rangeValue: unknown }> = [];
    for (const [key, item] of this.liveEntries(ns)) {
      const value = item.value as Record<string, unknown>;
      // Sparse index: an item lacking a partition or range attribute is not in the index.
      const rangeValue = value[index.range];
      if (rangeValue === undefined || rangeValue === null) continue;
      if (!index.partition.every((attr, i) => value[attr] !== undefined && jsonEqual(value[attr], partition[i]))) continue;
      if (range && !matches(rangeValue, range)) continue;
      if (filters && !matchesFilters(value, filters)) continue;
      rows.push({ key, item, rangeValue });
    }
    const order = (a: { key: string; rangeValue: unknown }, b: { key: string; rangeValue: unknown }) =>
      direction * (compareSortable(a.rangeValue, b.rangeValue) || compareStrings(a.key, b.key));
    rows.sort(order);
    const start = cursor ? rows.filter((row) => order(row, { key: cursor.k, rangeValue: cursor.r }) > 0) : rows;
    const page = start.slice(0, limit);
    const data = page.map((row) => this.present(row.key, row.item, fields));
    const last = page[page.length - 1];
    const more = start.length > page.length;
    return {
      status: 200,
      body: { data, ...(more ? { cursor: encodeCursor({ t: 'entity', e: entity.name, i: index.name, s: sort, r: last.rangeValue, k: last.key }) } : {}) },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Batches: per-item results, never all-or-nothing (dac "Executing batch operations").

  private batchItems(body: unknown): Array<Record<string, unknown>> {
    if (!Array.isArray(body)) throw badRequest('A batch request body must be an array of items');
    if (body.length === 0) throw badRequest('A batch must contain at least one item');
    if (body.length > MAX_BATCH_ITEMS) {
      throw new KvsError(400, 'TOO_MANY_OPERATIONS', `A batch can contain at most ${MAX_BATCH_ITEMS} keys, got ${body.length}`);
    }
    checkPayloadSize(body);
    const items = body.map(obj);
    const seen = new Set<string>();
    for (const item of items) {
      const id = `${typeof item.entityName === 'string' ? item.entityName : ''}\u0000${String(item.key)}`;
      if (seen.has(id)) throw new KvsError(400, 'DUPLICATE_KEY', `Key '${String(item.key)}' appears more than once in the batch`);
      seen.add(id);
    }
    return items;
  }

  private batchNamespace(item: Record<string, unknown>): Namespace {
    return item.entityName === undefined || item.entityName === null ? { kind: 'kvs' } : this.entityNamespace(item.entityName);
  }

  /**
   * Runs one operation per batch item: each item succeeds or fails on its own (Forge answers both lists
   * with 200). `op` answers the success entry; the batch is saved once if anything changed.
   */
  private eachBatchItem(body: unknown, writes: boolean, op: (ns: Namespace, key: string, item: Record<string, unknown>) => Record<string, unknown>): KvsResponse {
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of this.batchItems(body)) {
      const tag = batchTag(item);
      try {
        const ns = this.batchNamespace(item);
        successfulKeys.push({ ...op(ns, validateKey(item.key, ns), item), ...tag });
      } catch (e) {
        failedKeys.push(batchFailure(item, tag, e));
      }
    }
    if (writes && successfulKeys.length > 0) this.persist();
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  private batchGet(body: unknown): KvsResponse {
    return this.eachBatchItem(body, false, (ns, key, item) => {
      const found = this.live(ns, key);
      if (!found) throw keyNotFound(key);
      return this.present(key, found, metadataFields(optionsObj(item.options).metadataFields));
    });
  }

  private batchSet(body: unknown): KvsResponse {
    return this.eachBatchItem(body, true, (ns, key, item) => {
      const value = validateValue(item.value, ns);
      const { ttlMs } = setOptions(item.options, false);
      this.put(ns, key, this.makeItem(value, this.live(ns, key), ttlMs));
      return { key };
    });
  }

  private batchDelete(body: unknown): KvsResponse {
    return this.eachBatchItem(body, true, (ns, key) => {
      if (!this.live(ns, key)) throw keyNotFound(key);
      this.put(ns, key, undefined);
      return { key };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Transactions: validated in full, conditions checked against the state before the transaction,
  // then applied together and saved once.

  private transaction(req: Record<string, unknown>): KvsResponse {
    const list = (field: string) => {
      const v = req[field];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) throw badRequest(`transaction.${field} must be an array`);
      return v.map(obj);
    };
    const sets = list('set');
    const deletes = list('delete');
    const checks = list('check');
    const total = sets.length + deletes.length + checks.length;
    if (total === 0) throw badRequest('A transaction must contain at least one operation');
    if (total > MAX_TRANSACTION_OPERATIONS) {
      throw new KvsError(400, 'TOO_MANY_OPERATIONS', `A transaction can contain at most ${MAX_TRANSACTION_OPERATIONS} operations, got ${total}`);
    }
    checkPayloadSize(req);

    type Op = { kind: 'set' | 'delete' | 'check'; ns: Namespace; key: string; conditions?: FilterGroup; value?: unknown; ttlMs?: number };
    const ops: Op[] = [];
    const seen = new Set<string>();
    const prepare = (kind: Op['kind'], raw: Record<string, unknown>): Op => {
      const ns: Namespace = raw.entityName === undefined || raw.entityName === null ? { kind: 'kvs' } : this.entityNamespace(raw.entityName);
      const key = validateKey(raw.key, ns);
      // dac: "Each key can only be used once in a transaction" — applied to the key itself, across namespaces.
      if (seen.has(key)) throw new KvsError(400, 'DUPLICATE_KEY', `Key '${key}' is used more than once in the transaction`, { key });
      seen.add(key);
      let conditions: FilterGroup | undefined;
      if (raw.conditions !== undefined && raw.conditions !== null) {
        if (ns.kind !== 'entity') throw badRequest(`Conditions on key '${key}' need an entityName (conditions apply to Custom Entities)`);
        conditions = parseFilters(raw.conditions, ns.entity);
      }
      if (kind === 'check' && !conditions) throw badRequest(`check on key '${key}' needs an entityName and conditions`);
      const op: Op = { kind, ns, key, conditions };
      if (kind === 'set') {
        op.value = validateValue(raw.value, ns);
        op.ttlMs = setOptions(raw.options, false).ttlMs;
      }
      return op;
    };
    for (const raw of sets) ops.push(prepare('set', raw));
    for (const raw of deletes) ops.push(prepare('delete', raw));
    for (const raw of checks) ops.push(prepare('check', raw));

    for (const op of ops) {
      if (!op.conditions) continue;
      const current = this.live(op.ns, op.key);
      // A check also asserts that the item exists ("check if key exists and meets conditions"); a conditional
      // set/delete evaluates its conditions against the stored item, an absent item having no attributes.
      const holds = op.kind === 'check'
        ? current !== undefined && matchesFilters(current.value as Record<string, unknown>, op.conditions)
        : matchesFilters((current?.value ?? {}) as Record<string, unknown>, op.conditions);
      if (!holds) {
        const entityName = op.ns.kind === 'entity' ? op.ns.entity.name : undefined;
        throw new KvsError(409, 'CONDITIONAL_CHECK_FAILED', `Transaction cancelled: the conditions of the ${op.kind} on key '${op.key}'${entityName ? ` (entity '${entityName}')` : ''} do not hold; nothing was written`, { key: op.key, entityName, operation: op.kind });
      }
    }

    for (const op of ops) {
      if (op.kind === 'set') this.put(op.ns, op.key, this.makeItem(op.value, this.live(op.ns, op.key), op.ttlMs));
      // dac: a transaction delete "succeeds whether the key exists or not".
      if (op.kind === 'delete') this.put(op.ns, op.key, undefined);
    }
    this.persist();
    return { status: 200 };
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private entityNamespace(entityName: unknown): { kind: 'entity'; entity: ResolvedEntity } {
    if (typeof entityName !== 'string' || entityName.length === 0) throw new KvsError(400, 'ENTITY_TYPE_TOO_SHORT', 'entityName is required');
    if (entityName.length < 3) throw new KvsError(400, 'ENTITY_TYPE_TOO_SHORT', `Entity name '${entityName}' is shorter than 3 characters`);
    if (entityName.length > 60) throw new KvsError(400, 'ENTITY_TYPE_TOO_LARGE', 'Entity name is longer than 60 characters');
    if (!ENTITY_NAME_PATTERN.test(entityName)) throw new KvsError(400, 'INVALID_ENTITY_TYPE', `Entity name '${entityName}' does not match ${ENTITY_NAME_PATTERN}`);
    const entity = this.definitions.get(entityName);
    if (!entity) {
      throw new KvsError(400, 'INVALID_ENTITY_TYPE', `Entity '${entityName}' is not defined in manifest.yml app.storage.entities (defined: ${[...this.definitions.keys()].join(', ') || 'none'})`);
    }
    return { kind: 'entity', entity };
  }

  private bucket(ns: Namespace, create: true): Bucket;
  private bucket(ns: Namespace, create: false): Bucket | undefined;
  private bucket(ns: Namespace, create: boolean): Bucket | undefined {
    if (ns.kind === 'kvs') return this.kvs;
    if (ns.kind === 'secret') return this.secrets;
    let bucket = this.entities.get(ns.entity.name);
    if (!bucket && create) {
      bucket = new Map();
      this.entities.set(ns.entity.name, bucket);
    }
    return bucket;
  }

  private entityBucket(name: string): Bucket {
    let bucket = this.entities.get(name);
    if (!bucket) {
      bucket = new Map();
      this.entities.set(name, bucket);
    }
    return bucket;
  }

  /** Stores (or, with `undefined`, deletes) an item, recording how to undo it and what to journal. */
  private put(ns: Namespace, key: string, item: StoredItem | undefined): void {
    const bucket = this.bucket(ns, true);
    const previous = bucket.get(key);
    this.undo.push(() => (previous ? bucket.set(key, previous) : bucket.delete(key)));
    if (this.persistent) this.changes.push([ns.kind === 'kvs' ? 'k' : ns.kind === 'secret' ? 's' : `e:${ns.entity.name}`, key, item ?? null]);
    if (item) bucket.set(key, item);
    else bucket.delete(key);
  }

  private expired(item: StoredItem): boolean {
    return item.expireAt !== undefined && item.expireAt <= this.now();
  }

  /** The item under `key` unless absent or expired (an expired item is dropped from memory; the next save drops it from disk). */
  private live(ns: Namespace, key: string): StoredItem | undefined {
    const bucket = this.bucket(ns, false);
    const item = bucket?.get(key);
    if (!item) return undefined;
    if (this.expired(item)) {
      bucket!.delete(key);
      return undefined;
    }
    return item;
  }

  private liveEntries(ns: Namespace): Array<[string, StoredItem]> {
    const bucket = this.bucket(ns, false);
    return bucket ? [...bucket.entries()].filter(([, item]) => !this.expired(item)) : [];
  }

  private makeItem(value: unknown, existing: StoredItem | undefined, ttlMs: number | undefined): StoredItem {
    const now = this.now();
    // Metadata timestamps are Unix seconds (the values in @forge/kvs's own tests, e.g. 1718236800).
    const seconds = Math.floor(now / 1000);
    return {
      value: clone(value),
      createdAt: existing ? existing.createdAt : seconds,
      updatedAt: seconds,
      ...(ttlMs !== undefined ? { expireAt: now + ttlMs } : {}),
    };
  }

  private present(key: string, item: StoredItem, fields: ReadonlySet<MetadataField>): { key: string; value: unknown; createdAt?: number; updatedAt?: number; expireTime?: string } {
    return {
      key,
      value: clone(item.value),
      ...(fields.has('CREATED_AT') ? { createdAt: item.createdAt } : {}),
      ...(fields.has('UPDATED_AT') ? { updatedAt: item.updatedAt } : {}),
      ...(fields.has('EXPIRE_TIME') && item.expireAt !== undefined ? { expireTime: new Date(item.expireAt).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
    };
  }

  /** Journals the request's changes as one line (all or nothing); a new store's first save writes its snapshot. */
  private persist(): void {
    if (!this.persistent || this.changes.length === 0) return;
    if (!this.journal.hasSnapshot) {
      this.journal.compact(this.snapshotJson());
      return;
    }
    const last = new Map<string, Change>();
    for (const change of this.changes) last.set(`${change[0]}\u0000${change[1]}`, change);
    this.journal.append(JSON.stringify([...last.values()]));
  }

  private snapshotJson(): string {
    const entries = (bucket: Bucket): Array<[string, StoredItem]> => [...bucket.entries()].filter(([, item]) => !this.expired(item));
    const state: PersistedState = {
      version: 1,
      kvs: entries(this.kvs),
      secrets: entries(this.secrets),
      entities: [...this.entities.entries()].map(([name, bucket]) => [name, entries(bucket)]),
    };
    return JSON.stringify(state);
  }
}

// ---------------------------------------------------------------------------------------------
// Definitions

function resolveDefinition(def: EntityDefinition): ResolvedEntity {
  if (typeof def.name !== 'string' || def.name.length < 3 || def.name.length > 60 || !ENTITY_NAME_PATTERN.test(def.name)) {
    throw new Error(`Invalid custom entity name '${String(def.name)}' (3-60 characters matching ${ENTITY_NAME_PATTERN})`);
  }
  const attributes = new Map<string, AttributeType>();
  for (const [name, spec] of Object.entries(def.attributes ?? {})) {
    if (!ATTRIBUTE_NAME_PATTERN.test(name)) throw new Error(`Entity '${def.name}': invalid attribute name '${name}'`);
    if (!['string', 'integer', 'float', 'boolean', 'any'].includes(spec?.type)) {
      throw new Error(`Entity '${def.name}': attribute '${name}' has unknown type '${String(spec?.type)}'`);
    }
    attributes.set(name, spec.type);
  }
  const indexes = new Map<string, ResolvedIndex>();
  for (const raw of def.indexes ?? []) {
    const index: ResolvedIndex = typeof raw === 'string'
      ? { name: raw, partition: [], range: raw }
      : { name: raw.name, partition: raw.partition ?? [], range: Array.isArray(raw.range) ? raw.range[0] : raw.range };
    if (typeof raw !== 'string' && Array.isArray(raw.range) && raw.range.length !== 1) {
      throw new Error(`Entity '${def.name}', index '${index.name}': range must name exactly one attribute`);
    }
    for (const attr of [...index.partition, index.range]) {
      if (!attributes.has(attr)) throw new Error(`Entity '${def.name}', index '${index.name}': '${String(attr)}' is not an attribute of the entity`);
    }
    if (indexes.has(index.name)) throw new Error(`Entity '${def.name}': index '${index.name}' is defined twice`);
    indexes.set(index.name, index);
  }
  return { name: def.name, attributes, indexes };
}

// ---------------------------------------------------------------------------------------------
// Validation

function obj(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Provided request body is invalid: expected a JSON object');
  return body as Record<string, unknown>;
}

function optionsObj(options: unknown): Record<string, unknown> {
  return options === undefined || options === null ? {} : obj(options);
}

function validateKey(key: unknown, ns: Namespace): string {
  if (typeof key !== 'string' || key.length === 0) {
    // The KVS error page calls an empty key KEY_TOO_SHORT, the Custom Entity Store page EMPTY_KEY.
    throw ns.kind === 'entity'
      ? new KvsError(400, 'EMPTY_KEY', 'Key cannot be empty')
      : new KvsError(400, 'KEY_TOO_SHORT', 'The provided key needs to be at least one character');
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw new KvsError(400, 'KEY_TOO_LONG', `The provided key has ${key.length} characters, more than the maximum ${MAX_KEY_LENGTH}`);
  }
  if (!KEY_PATTERN.test(key)) throw new KvsError(400, 'INVALID_KEY', `The provided key '${key}' does not match the regex ${KEY_PATTERN}`);
  return key;
}

function validateValue(value: unknown, ns: Namespace): unknown {
  if (value === undefined || value === null) throw badRequest('A value is required (string, number, boolean, array or object)');
  if (typeof value === 'number' && !Number.isFinite(value)) throw badRequest('Numbers must be finite');
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > MAX_VALUE_BYTES) {
    throw new KvsError(400, 'MAX_SIZE', `The provided value is ${bytes} bytes serialized, more than the maximum ${MAX_VALUE_BYTES} (240 KiB)`);
  }
  if (depthExceeds(value, MAX_DEPTH)) throw new KvsError(400, 'MAX_DEPTH', `The provided value is nested deeper than the maximum object depth (${MAX_DEPTH})`);
  if (ns.kind === 'entity') validateEntityValue(value, ns.entity);
  return value;
}

/** True when `value` nests containers more than `max` levels deep (`{}` and `[]` are depth 1). */
function depthExceeds(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max === 0) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => depthExceeds(child, max - 1));
}

function validateEntityValue(value: unknown, entity: ResolvedEntity): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KvsError(400, 'INVALID_ENTITY_VALUE', `A value of entity '${entity.name}' must be an object of its attributes`);
  }
  for (const [attr, v] of Object.entries(value)) {
    const type = entity.attributes.get(attr);
    // Undeclared attributes are refused rather than silently stored: the manifest is the schema.
    if (!type) throw new KvsError(400, 'INVALID_ENTITY_VALUE', `Attribute '${attr}' is not declared for entity '${entity.name}' in manifest.yml`, { attribute: attr });
    if (!matchesType(v, type)) {
      throw new KvsError(400, 'INVALID_ENTITY_VALUE', `Attribute '${attr}' of entity '${entity.name}' must be of type ${type}, got ${describe(v)}`, { attribute: attr, expected: type });
    }
  }
}

function matchesType(v: unknown, type: AttributeType): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'float': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'any': return v !== undefined;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? `integer ${v}` : `number ${v}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v;
}

function metadataFields(raw: unknown): ReadonlySet<MetadataField> {
  if (raw === undefined || raw === null) return new Set();
  if (!Array.isArray(raw)) throw badRequest('metadataFields must be an array');
  for (const f of raw) {
    if (!(METADATA_FIELDS as readonly string[]).includes(f)) throw badRequest(`Unknown metadata field ${JSON.stringify(f)} (expected one of ${METADATA_FIELDS.join(', ')})`);
  }
  return new Set(raw as MetadataField[]);
}

interface ParsedSetOptions {
  ttlMs?: number;
  keyPolicy: 'OVERRIDE' | 'FAIL_IF_EXISTS';
  returnValue?: 'PREVIOUS' | 'LATEST';
  returnMetadataFields: ReadonlySet<MetadataField>;
}

/** `extended`: the single-key set, which also takes keyPolicy / returnValue (batch and transaction items take a TTL only). */
function setOptions(raw: unknown, extended: boolean): ParsedSetOptions {
  const options = optionsObj(raw);
  const parsed: ParsedSetOptions = { keyPolicy: 'OVERRIDE', returnMetadataFields: new Set() };
  if (options.ttl !== undefined && options.ttl !== null) {
    const ttl = obj(options.ttl);
    const unit = typeof ttl.unit === 'string' ? TTL_UNITS[ttl.unit] : undefined;
    if (!unit || !Object.hasOwn(TTL_UNITS, String(ttl.unit))) throw badRequest(`ttl.unit must be one of ${Object.keys(TTL_UNITS).join(', ')}`);
    if (typeof ttl.value !== 'number' || !Number.isInteger(ttl.value) || ttl.value < 1) throw badRequest('ttl.value must be a positive integer');
    parsed.ttlMs = ttl.value * unit;
  }
  if (!extended) return parsed;
  if (options.keyPolicy !== undefined) {
    if (options.keyPolicy !== 'OVERRIDE' && options.keyPolicy !== 'FAIL_IF_EXISTS') throw badRequest('keyPolicy must be OVERRIDE or FAIL_IF_EXISTS');
    parsed.keyPolicy = options.keyPolicy;
  }
  if (options.returnValue !== undefined) {
    if (options.returnValue !== 'PREVIOUS' && options.returnValue !== 'LATEST') throw badRequest('returnValue must be PREVIOUS or LATEST');
    if (parsed.keyPolicy !== 'OVERRIDE') throw badRequest('returnValue requires keyPolicy OVERRIDE');
    parsed.returnValue = options.returnValue;
    parsed.returnMetadataFields = metadataFields(options.returnMetadataFields);
  }
  return parsed;
}

function checkPayloadSize(body: unknown): void {
  const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (bytes > MAX_REQUEST_BYTES) throw new KvsError(413, 'PAYLOAD_TOO_LARGE', `The request is ${bytes} bytes, more than the 4 MB allowed for a transaction or batch`);
}

function batchTag(item: Record<string, unknown>): { entityName?: string } {
  return typeof item.entityName === 'string' ? { entityName: item.entityName } : {};
}

function batchFailure(item: Record<string, unknown>, tag: { entityName?: string }, e: unknown): unknown {
  if (!(e instanceof KvsError)) throw e;
  return { key: String(item.key), ...tag, error: { code: e.code, message: e.message } };
}

// ---------------------------------------------------------------------------------------------
// Conditions and filters (wire format of @forge/kvs conditions.js / entity-query.js)

function parseCondition(raw: unknown, allowed: string[], where: string): Condition {
  const c = obj(raw);
  if (typeof c.condition !== 'string' || !allowed.includes(c.condition)) {
    throw badRequest(`${where}: unsupported condition ${JSON.stringify(c.condition)} (expected one of ${allowed.join(', ')})`);
  }
  if (!Array.isArray(c.values)) throw new KvsError(400, 'INSUFFICIENT_FILTER_VALUES', `${where}: ${c.condition} needs a values array`);
  const needed = c.condition === 'BETWEEN' ? 2 : 1;
  if (c.values.length < needed) throw new KvsError(400, 'INSUFFICIENT_FILTER_VALUES', `${where}: ${c.condition} needs ${needed} value(s)`);
  for (const v of c.values) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw badRequest(`${where}: condition values must be strings, numbers or booleans`);
  }
  return { condition: c.condition, values: c.values, ...(typeof c.property === 'string' ? { property: c.property } : {}) };
}

function parseFilters(raw: unknown, entity: ResolvedEntity): FilterGroup {
  const f = obj(raw);
  const present = (['and', 'or'] as const).filter((op) => f[op] !== undefined && f[op] !== null);
  if (present.length === 0) throw new KvsError(400, 'EMPTY_FILTER_OPERATOR', 'Filters need an "and" or an "or" operator');
  if (present.length > 1) throw new KvsError(400, 'INVALID_FILTER_OPERATORS_COMBINATION', 'Filter operators "and" and "or" cannot be present at the same level');
  const operator = present[0];
  const list = f[operator];
  if (!Array.isArray(list) || list.length === 0) throw new KvsError(400, 'EMPTY_FILTER_OPERATOR', `Filter operator "${operator}" cannot be empty`);
  const items = list.map((item) => {
    const c = parseCondition(item, FILTER_CONDITIONS, 'filter');
    // Filtering on an attribute the manifest does not declare is refused (catches typos early).
    if (c.property === undefined || !entity.attributes.has(c.property)) {
      throw badRequest(`Filter property ${JSON.stringify(c.property)} is not an attribute of entity '${entity.name}'`);
    }
    return c;
  });
  return { operator, items };
}

function matchesFilters(value: Record<string, unknown>, filters: FilterGroup): boolean {
  const test = (c: Condition) => matches(value[c.property!], c);
  return filters.operator === 'and' ? filters.items.every(test) : filters.items.some(test);
}

/** Evaluates one condition on an attribute value (`undefined` when the attribute is absent). */
function matches(actual: unknown, c: Condition): boolean {
  const [a, b] = c.values;
  switch (c.condition) {
    case 'EXISTS': return actual !== undefined;
    case 'NOT_EXISTS': return actual === undefined;
    case 'EQUAL_TO': return actual !== undefined && jsonEqual(actual, a);
    case 'NOT_EQUAL_TO': return actual === undefined || !jsonEqual(actual, a);
    case 'BEGINS_WITH': return typeof actual === 'string' && actual.startsWith(String(a));
    case 'CONTAINS': return contains(actual, a);
    case 'NOT_CONTAINS': return !contains(actual, a);
    case 'BETWEEN': {
      const lo = compareSame(actual, a);
      const hi = compareSame(actual, b);
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case 'GREATER_THAN': return (compareSame(actual, a) ?? 0) > 0;
    case 'GREATER_THAN_EQUAL_TO': { const r = compareSame(actual, a); return r !== undefined && r >= 0; }
    case 'LESS_THAN': return (compareSame(actual, a) ?? 0) < 0;
    case 'LESS_THAN_EQUAL_TO': { const r = compareSame(actual, a); return r !== undefined && r <= 0; }
    default: return false;
  }
}

function contains(actual: unknown, needle: unknown): boolean {
  if (typeof actual === 'string') return typeof needle === 'string' && actual.includes(needle);
  if (Array.isArray(actual)) return actual.some((element) => jsonEqual(element, needle));
  return false;
}

/** Ordering of two values of the same primitive type; undefined when they are not comparable. */
function compareSame(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

/** Total order for sorting index values of mixed types: numbers < strings < booleans < others. */
function compareSortable(a: unknown, b: unknown): number {
  const same = compareSame(a, b);
  if (same !== undefined) return same;
  const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3);
  return rank(a) - rank(b) || compareStrings(JSON.stringify(a), JSON.stringify(b));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// ---------------------------------------------------------------------------------------------
// Cursors: opaque base64url JSON holding the last returned position (keyset paging, so writes between
// pages neither repeat nor skip the items that stay in place).

type KvsCursor = { t: 'kvs'; k: string };
type EntityCursor = { t: 'entity'; e: string; i: string; s: string; r: unknown; k: string };

function encodeCursor(cursor: KvsCursor | EntityCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(raw: unknown, type: 'kvs'): KvsCursor;
function decodeCursor(raw: unknown, type: 'entity'): EntityCursor;
function decodeCursor(raw: unknown, type: 'kvs' | 'entity'): KvsCursor | EntityCursor {
  const invalid = () => new KvsError(400, 'INVALID_CURSOR', 'The cursor is not one this store returned');
  if (typeof raw !== 'string' || raw.length === 0) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const c = parsed as Record<string, unknown>;
  if (c.t !== type || typeof c.k !== 'string') throw invalid();
  if (type === 'entity' && (typeof c.e !== 'string' || typeof c.i !== 'string' || typeof c.s !== 'string' || !('r' in c))) throw invalid();
  return c as KvsCursor | EntityCursor;
}
