/**
 * Per-invocation instrumentation for benchmarks: every function invocation the local runtime runs, with
 * the platform calls it made (storage, product REST, queue pushes, realtime), kept in a bounded ring.
 *
 * Times are real epoch milliseconds with sub-millisecond precision (`performance.timeOrigin + now()`), so
 * they are monotonic and unaffected by the workbench clock, which tests set and advance.
 */
export type PlatformCallType = 'storage' | 'product' | 'queue' | 'realtime';

export interface PlatformCallRecord {
  type: PlatformCallType;
  /** storage: get, set, delete, query, transaction, batchGet, entitySet, secretGet...; product: `METHOD /path`; queue: `push <queue>`. */
  op: string;
  startedAt: number;
  endedAt?: number;
  /** HTTP status the platform answered; 0 when the call failed without an answer (a timeout). */
  status?: number;
  /** storage: the Custom Entities the call touched (none for plain keys). */
  entities?: string[];
}

export type InvocationOutcome = 'running' | 'ok' | 'retry-requested' | 'error' | 'timeout';

export interface InvocationRecord {
  id: string;
  kind: 'resolver' | 'trigger' | 'consumer' | 'scheduled' | 'action';
  functionKey: string;
  moduleKey: string;
  startedAt: number;
  endedAt?: number;
  outcome: InvocationOutcome;
  /** The invocation that caused this one: the pusher of a consumer's event, the writer of a trigger's product event. */
  causedBy?: string;
  calls: PlatformCallRecord[];
}

export const realNow = (): number => performance.timeOrigin + performance.now();

/** A fixed-size ring of the most recent invocations (oldest dropped first). */
export class InvocationRing {
  private items: InvocationRecord[] = [];
  private head = 0;

  constructor(readonly capacity = 50_000) {}

  add(record: InvocationRecord): void {
    if (this.items.length < this.capacity) this.items.push(record);
    else {
      this.items[this.head] = record;
      this.head = (this.head + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  list(): InvocationRecord[] {
    return this.head === 0 ? [...this.items] : [...this.items.slice(this.head), ...this.items.slice(0, this.head)];
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  get size(): number {
    return this.items.length;
  }
}

/** Maps a `@forge/kvs` path (`/api/v1/entity/set`) to an operation name (`entitySet`). */
export function storageOp(path: string): string {
  const parts = path.split('?')[0].replace(/^\/api/, '').replace(/^\/v1\//, '').split('/').filter(Boolean);
  return parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('') || path;
}

export interface InvocationSummary {
  invocations: number;
  byKind: Record<string, number>;
  byOutcome: Record<string, number>;
  /** Calls by type, and by `type op` (e.g. `storage set`, `product POST /rest/api/3/issue/{id}/comment`). */
  callsByType: Record<string, number>;
  callsByOp: Record<string, number>;
  /** Platform calls answered with a status of 400 or more (or none at all), by `type op status`. */
  failedCalls: Record<string, number>;
  /** Wall time from the first start to the last end (ms), and the sum of invocation durations. */
  spanMs: number;
  busyMs: number;
}

/** Collapses ids in product paths so that calls group by endpoint (`/issue/OPS-12/comment` → `/issue/{id}/comment`); one-digit segments are API versions. */
export function endpointOf(op: string): string {
  return op.replace(/\/(?:[A-Z][A-Z0-9_]*-\d+|\d{2,}|[0-9a-f]{8}-[0-9a-f-]{27,})(?=\/|$|\?)/g, '/{id}').replace(/\?.*$/, '');
}

/** Counts a set of invocations by kind, outcome and platform call (for benchmark reports). */
export function summariseInvocations(records: readonly InvocationRecord[]): InvocationSummary {
  const inc = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  const out: InvocationSummary = { invocations: records.length, byKind: {}, byOutcome: {}, callsByType: {}, callsByOp: {}, failedCalls: {}, spanMs: 0, busyMs: 0 };
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    inc(out.byKind, r.kind);
    inc(out.byOutcome, r.outcome);
    first = Math.min(first, r.startedAt);
    last = Math.max(last, r.endedAt ?? r.startedAt);
    out.busyMs += (r.endedAt ?? r.startedAt) - r.startedAt;
    for (const c of r.calls) {
      const op = `${c.type} ${c.type === 'product' ? endpointOf(c.op) : c.op}`;
      inc(out.callsByType, c.type);
      inc(out.callsByOp, op);
      if (c.status === undefined || c.status === 0 || c.status >= 400) inc(out.failedCalls, `${op} ${c.status ?? 'none'}`);
    }
  }
  out.spanMs = records.length ? last - first : 0;
  return out;
}
