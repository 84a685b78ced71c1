/**
 * What the bench needs to know beyond the invocation records: which issue each trigger invocation was
 * delivered, which outbox slot each consumer invocation's queue event carried, which slot each
 * invocation stored an incident record in, and every queue push. The runtime's invocation records
 * (`wb.runtime.invocationRecords()`) give the platform calls; this ties them to incidents:
 *
 *   trigger T (event for issue X) --stores X in slot S--> queue event { slot: S' } --consumer C
 *   (C.causedBy = the pusher of the event, S ∈ [S' - lookback, S'])
 *
 * It wraps three workbench seams in place (no workbench code changes): `runtime.invoke` (event
 * arguments), `kvs.handle` (record writes, attributed to the running invocation) and `queues.push`.
 */
import type { Workbench } from '../workbench';
import type { InvocationRecord, PlatformCallRecord } from '../runtime/invocation-records';
import { realNow } from '../runtime/invocation-records';

export interface PushEntry {
  at: number;
  pushedBy?: string;
  slots: number[];
  status: number;
}

export interface RecordWrite {
  at: number;
  invocationId?: string;
  issueId: string;
  outboxSlot: number;
  version: number;
}

export class Trace {
  /** Trigger invocation id → the issue id of its event. */
  readonly triggerIssue = new Map<string, string>();
  /** Consumer invocation id → the slot in its queue event's body. */
  readonly consumerSlot = new Map<string, number>();
  readonly pushes: PushEntry[] = [];
  readonly recordWrites: RecordWrite[] = [];
  /** Function log lines by invocation id (the consumer logs how many records it drained). */
  readonly logs = new Map<string, string[]>();

  constructor(private readonly wb: Workbench) {
    const runtime = wb.runtime;
    const invoke = runtime.invoke.bind(runtime);
    runtime.invoke = (kind, moduleKey, functionKey, args, accountId, meta = {}) => {
      const event = (args[0] ?? {}) as { issue?: { id?: unknown }; body?: { slot?: unknown } };
      const onStart = meta.onStart;
      const note = (id: string) => {
        if (kind === 'trigger' && event.issue?.id !== undefined) this.triggerIssue.set(id, String(event.issue.id));
        if (kind === 'consumer' && typeof event.body?.slot === 'number') this.consumerSlot.set(id, event.body.slot);
        onStart?.(id);
      };
      return invoke(kind, moduleKey, functionKey, args, accountId, { ...meta, onStart: note });
    };

    const handle = wb.kvs.handle.bind(wb.kvs);
    wb.kvs.handle = async (path, body) => {
      const invocationId = runtime.currentInvocationId();
      const out = await handle(path, body);
      if (out.status < 300) this.noteRecordWrites(path, body, invocationId);
      return out;
    };

    const push = wb.queues.push;
    wb.queues.push = async (request, pushedBy) => {
      const out = await push(request, pushedBy);
      const slots = (request.payload ?? []).map((e) => (e.body as { slot?: number } | undefined)?.slot).filter((s): s is number => typeof s === 'number');
      this.pushes.push({ at: realNow(), pushedBy, slots, status: out.status });
      return out;
    };
  }

  /** Called from the workbench's onLog option. */
  onLog = (entry: { invocationId?: string; message: string }): void => {
    if (!entry.invocationId) return;
    const lines = this.logs.get(entry.invocationId) ?? [];
    lines.push(entry.message);
    this.logs.set(entry.invocationId, lines);
  };

  private noteRecordWrites(path: string, body: unknown, invocationId: string | undefined): void {
    const route = path.split('?')[0];
    const b = (body ?? {}) as Record<string, unknown>;
    const sets: Array<Record<string, unknown>> = route.endsWith('/transaction')
      ? ((b.set as Array<Record<string, unknown>> | undefined) ?? [])
      : route.endsWith('/entity/set')
        ? [b]
        : [];
    for (const s of sets) {
      if (s.entityName !== 'incident') continue;
      const value = (s.value ?? {}) as { outboxSlot?: number; version?: number };
      this.recordWrites.push({ at: realNow(), invocationId, issueId: String(s.key), outboxSlot: value.outboxSlot ?? 0, version: value.version ?? 0 });
    }
  }

  clear(): void {
    this.triggerIssue.clear();
    this.consumerSlot.clear();
    this.pushes.length = 0;
    this.recordWrites.length = 0;
    this.logs.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// Reading invocation records

export const isQuery = (c: PlatformCallRecord) => c.type === 'storage' && /query/i.test(c.op);
export const storageCalls = (r: InvocationRecord) => r.calls.filter((c) => c.type === 'storage');
/** A storage call of the indicators (their shards and per-source contributions) only. */
export const isIndicatorCall = (c: PlatformCallRecord) => c.type === 'storage' && (c.entities?.length ?? 0) > 0 && c.entities!.every((e) => e.startsWith('indicator-'));
export const productCalls = (r: InvocationRecord) => r.calls.filter((c) => c.type === 'product');

/** Whether a product call addresses this issue (`/rest/api/3/issue/<id or key>` and below). */
export function callOnIssue(c: PlatformCallRecord, issue: { id: string; key?: string }): boolean {
  const m = /^\w+ \/rest\/api\/[23]\/issue\/([^/?]+)/.exec(c.op);
  return !!m && (m[1] === issue.id || (issue.key !== undefined && m[1].toUpperCase() === issue.key.toUpperCase()));
}

/** The issues a set of product calls wrote to (POST/PUT/DELETE under /issue/<id>). */
export function issuesWritten(calls: readonly PlatformCallRecord[]): Set<string> {
  const out = new Set<string>();
  for (const c of calls) {
    const m = /^(POST|PUT|DELETE) \/rest\/api\/[23]\/issue\/([^/?]+)\//.exec(c.op);
    if (m) out.add(m[2]);
  }
  return out;
}

/**
 * The longest chain of calls where each starts after the previous one ended: the product round trips
 * that cannot overlap, i.e. the latency floor of the path.
 */
export function longestSequentialChain(calls: readonly PlatformCallRecord[]): number {
  const sorted = [...calls].filter((c) => c.endedAt !== undefined).sort((a, b) => a.startedAt - b.startedAt);
  const depth: number[] = [];
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j].endedAt! <= sorted[i].startedAt) d = Math.max(d, depth[j] + 1);
    depth.push(d);
    best = Math.max(best, d);
  }
  return best;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
