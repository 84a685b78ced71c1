/**
 * One incident's path through the app, from the invocation records: its trigger invocation(s), the
 * outbox slot they stored it in, and the consumer invocation(s) that performed its Jira writes, tied
 * together through `causedBy` and the slot in each consumer's queue event body.
 */
import type { InvocationRecord, PlatformCallRecord } from '../runtime/invocation-records';
import { DRAIN_LOOKBACK_SLOTS } from '../../src/domain/outbox';
import { callOnIssue, isQuery, issuesWritten, longestSequentialChain, productCalls, storageCalls, isIndicatorCall, type Trace } from './trace';

export interface IncidentPath {
  triggers: InvocationRecord[];
  /** Slots the triggers stored the record in (0 = not in the outbox). */
  slots: number[];
  /** Consumer invocations linked by slot (and causedBy) that performed writes on the incident. */
  consumers: InvocationRecord[];
  /** Consumer invocations that wrote to the incident but could not be tied to its trigger (should be none). */
  unlinkedConsumers: InvocationRecord[];
  /** Consumers whose causedBy is one of this incident's triggers (the trigger pushed the drain itself). */
  consumersCausedByOwnTrigger: number;
  /** Product calls on the whole path: the triggers' calls and the consumers' calls on this issue. */
  productCalls: PlatformCallRecord[];
  /** Longest chain of product calls where each starts after the previous ended. */
  sequentialRoundTrips: number;
  triggerStorageOps: number;
  /**
   * Per consumer invocation: its storage operations on the records (claims and records), the outbox
   * queries, and the indicators' report (one read and one guarded write per group of shards per page).
   */
  consumerOps: Array<{ id: string; nonQueryStorage: number; queries: number; indicatorOps: number; recordsWritten: number }>;
}

export function incidentPath(records: readonly InvocationRecord[], trace: Trace, issue: { id: string; key: string }): IncidentPath {
  const triggers = records.filter((r) => r.kind === 'trigger' && trace.triggerIssue.get(r.id) === issue.id);
  const triggerIds = new Set(triggers.map((t) => t.id));
  const slots = [...new Set(trace.recordWrites.filter((w) => w.issueId === issue.id && w.invocationId !== undefined && triggerIds.has(w.invocationId) && w.outboxSlot > 0).map((w) => w.outboxSlot))];
  // Pushers of each slot's drain event (a trigger of this incident or of another one in the same second).
  const pushersOf = new Map<number, Set<string | undefined>>();
  for (const p of trace.pushes) if (p.status < 300) for (const s of p.slots) pushersOf.set(s, (pushersOf.get(s) ?? new Set()).add(p.pushedBy));

  const consumers: InvocationRecord[] = [];
  const unlinked: InvocationRecord[] = [];
  for (const r of records) {
    if (r.kind !== 'consumer') continue;
    const wrote = r.calls.some((c) => c.type === 'product' && callOnIssue(c, issue) && !c.op.startsWith('GET '));
    const touched = r.calls.some((c) => c.type === 'product' && callOnIssue(c, issue));
    if (!touched) continue;
    const eventSlot = trace.consumerSlot.get(r.id);
    const bySlot = eventSlot !== undefined && slots.some((s) => s <= eventSlot && s >= eventSlot - DRAIN_LOOKBACK_SLOTS);
    const byPusher = eventSlot !== undefined && (pushersOf.get(eventSlot)?.has(r.causedBy) ?? false);
    if (bySlot && byPusher) consumers.push(r);
    else if (wrote) unlinked.push(r);
  }
  const calls = [...triggers.flatMap(productCalls), ...consumers.flatMap((c) => productCalls(c).filter((p) => callOnIssue(p, issue)))];
  return {
    triggers,
    slots,
    consumers,
    unlinkedConsumers: unlinked,
    consumersCausedByOwnTrigger: consumers.filter((c) => c.causedBy !== undefined && triggerIds.has(c.causedBy)).length,
    productCalls: calls,
    sequentialRoundTrips: longestSequentialChain(calls),
    triggerStorageOps: triggers.reduce((n, t) => n + storageCalls(t).length, 0),
    consumerOps: consumers.map((c) => ({
      id: c.id,
      nonQueryStorage: storageCalls(c).filter((s) => !isQuery(s) && !isIndicatorCall(s)).length,
      queries: storageCalls(c).filter((s) => isQuery(s) && !isIndicatorCall(s)).length,
      indicatorOps: storageCalls(c).filter(isIndicatorCall).length,
      recordsWritten: issuesWritten(productCalls(c)).size,
    })),
  };
}

/**
 * When each of the incident's three writes first succeeded (real ms), from the app's own calls: the
 * moment Jira had served the last of them is when it became fully linked.
 */
export function linkedAtFromCalls(records: readonly InvocationRecord[], issue: { id: string; key: string }): number | undefined {
  const first = { link: Infinity, comment: Infinity, property: Infinity };
  for (const r of records) {
    if (r.kind !== 'consumer') continue;
    for (const c of r.calls) {
      if (c.type !== 'product' || !callOnIssue(c, issue) || c.status === undefined || c.status >= 300 || c.endedAt === undefined) continue;
      if (/^POST .*\/remotelink/.test(c.op)) first.link = Math.min(first.link, c.endedAt);
      else if (/^POST .*\/comment(\?|$)/.test(c.op)) first.comment = Math.min(first.comment, c.endedAt);
      else if (/^PUT .*\/properties\//.test(c.op)) first.property = Math.min(first.property, c.endedAt);
    }
  }
  const at = Math.max(first.link, first.comment, first.property);
  return Number.isFinite(at) ? at : undefined;
}
