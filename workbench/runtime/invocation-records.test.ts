/**
 * Every invocation is recorded with the platform calls it made, in a bounded ring that benchmarks
 * read, clear and summarise.
 */
import { InvocationRing, endpointOf, storageOp, summariseInvocations, type InvocationRecord } from './invocation-records';
import { runtimeHarness } from './testing';

test('a resolver invocation is recorded with its storage calls, their statuses and timings', async () => {
  const { runtime, resolve } = runtimeHarness();
  await resolve('kvs-roundtrip', { key: 'k', value: 1 });
  await expect(resolve('throw')).rejects.toThrow();
  const [ok, failed] = runtime.invocationRecords();
  expect(ok).toMatchObject({ kind: 'resolver', functionKey: 'probe-resolver', moduleKey: 'probe-panel', outcome: 'ok' });
  expect(ok.calls.map((c) => [c.type, c.op, c.status])).toEqual([['storage', 'set', 204], ['storage', 'get', 200]]);
  for (const c of ok.calls) expect(c.endedAt!).toBeGreaterThanOrEqual(c.startedAt);
  expect(ok.endedAt!).toBeGreaterThanOrEqual(ok.calls[1].endedAt!);
  expect(Math.abs(ok.startedAt - Date.now())).toBeLessThan(60_000);
  expect(failed).toMatchObject({ outcome: 'error', calls: [] });

  expect(runtime.invocationRecords.summarise()).toMatchObject({
    invocations: 2,
    byKind: { resolver: 2 },
    byOutcome: { ok: 1, error: 1 },
    callsByType: { storage: 2 },
    callsByOp: { 'storage set': 1, 'storage get': 1 },
    failedCalls: {},
  });
  runtime.invocationRecords.clear();
  expect(runtime.invocationRecords()).toEqual([]);
});

test('a timed-out invocation is recorded as a timeout', async () => {
  const { runtime, resolve } = runtimeHarness();
  runtime.setLimits({ syncTimeoutMs: 20 });
  await expect(resolve('sleep', { ms: 60 })).rejects.toThrow(/timed out/);
  expect(runtime.invocationRecords()[0]).toMatchObject({ outcome: 'timeout' });
  await new Promise((r) => setTimeout(r, 60));
});

test('the ring keeps the most recent records, oldest first', () => {
  const ring = new InvocationRing(3);
  const rec = (id: string): InvocationRecord => ({ id, kind: 'resolver', functionKey: 'f', moduleKey: 'm', startedAt: 0, outcome: 'ok', calls: [] });
  for (const id of ['a', 'b', 'c', 'd', 'e']) ring.add(rec(id));
  expect(ring.list().map((r) => r.id)).toEqual(['c', 'd', 'e']);
  expect(ring.size).toBe(3);
  ring.clear();
  expect(ring.list()).toEqual([]);
});

test('operation names and endpoint grouping', () => {
  expect(['/api/v1/get', '/api/v1/entity/set', '/api/v1/batch/delete', '/api/v1/transaction', '/api/v1/secret/get', '/api/v1/entity/query'].map(storageOp)).toEqual([
    'get', 'entitySet', 'batchDelete', 'transaction', 'secretGet', 'entityQuery',
  ]);
  expect(endpointOf('PUT /rest/api/3/issue/OPS-12/properties/continuity')).toBe('PUT /rest/api/3/issue/{id}/properties/continuity');
  expect(endpointOf('GET /wiki/api/v2/pages/98305?body-format=storage')).toBe('GET /wiki/api/v2/pages/{id}');
  const summary = summariseInvocations([
    { id: '1', kind: 'trigger', functionKey: 'f', moduleKey: 'm', startedAt: 10, endedAt: 30, outcome: 'ok', calls: [{ type: 'product', op: 'POST /rest/api/3/issue/OPS-1/comment', startedAt: 11, endedAt: 12, status: 429 }] },
    { id: '2', kind: 'trigger', functionKey: 'f', moduleKey: 'm', startedAt: 20, endedAt: 50, outcome: 'ok', calls: [{ type: 'product', op: 'POST /rest/api/3/issue/OPS-2/comment', startedAt: 21, endedAt: 22, status: 201 }] },
  ]);
  expect(summary).toMatchObject({ spanMs: 40, busyMs: 50, callsByOp: { 'product POST /rest/api/3/issue/{id}/comment': 2 }, failedCalls: { 'product POST /rest/api/3/issue/{id}/comment 429': 1 } });
});
