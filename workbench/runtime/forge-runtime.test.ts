/**
 * The local Forge runtime drives the real @forge/* packages (no mocks) through its two globals:
 * resolver context, KVS, product calls as the user, queues with retries, time limits and failures.
 */
import { runtimeHarness } from './testing';
import { APP_USER, DEFAULT_USER } from '../products/users';

const setup = (log?: (entry: { message: string }) => void) => runtimeHarness({ log });

test('a resolver gets { payload, context } with the accountId and the module extension', async () => {
  const { resolve } = setup();
  await expect(resolve('whoami')).resolves.toEqual({
    accountId: DEFAULT_USER.accountId,
    issue: { id: '10001', key: 'OPS-1' },
    installContext: 'ari:cloud:jira::site/cloud-1',
    remaining: true,
  });
});

test('@forge/kvs reaches the local store through __forge_fetch__', async () => {
  const { resolve, read } = setup();
  await expect(resolve('kvs-roundtrip', { key: 'plan:1', value: { rto: 60 } })).resolves.toEqual({ read: { rto: 60 } });
  await expect(read('plan:1')).resolves.toEqual({ rto: 60 });
});

test('asUser() product calls carry the invoking user; asApp() would carry the app', async () => {
  const { resolve, productCalls } = setup();
  const out = (await resolve('jira-as-user')) as { status: number; body: { accountId: string } };
  expect(out).toEqual({ status: 200, body: { accountId: DEFAULT_USER.accountId } });
  expect(productCalls).toEqual([{ path: '/rest/api/3/myself', principal: { kind: 'user', accountId: DEFAULT_USER.accountId } }]);
});

test('a resolver past its time limit fails with a timeout, is logged, and its later platform calls are refused', async () => {
  const { runtime, resolve, read } = setup();
  runtime.setLimits({ syncTimeoutMs: 50 });
  await expect(resolve('sleep', { ms: 150 })).rejects.toThrow(/timed out after 0\.1 s/);
  expect(runtime.logs.some((l) => l.level === 'error' && l.functionKey === 'probe-resolver' && /timed out/.test(l.message))).toBe(true);
  await new Promise((r) => setTimeout(r, 200));
  await expect(read('after-sleep')).resolves.toBeUndefined();
  // The runtime keeps working afterwards.
  runtime.setLimits({ syncTimeoutMs: 25_000 });
  await expect(resolve('kvs-roundtrip', { key: 'still', value: 1 })).resolves.toEqual({ read: 1 });
});

test("a function's console output is logged with its invocation, even when the log listener itself logs", async () => {
  const seen: string[] = [];
  const { runtime, resolve } = setup((entry) => {
    seen.push(entry.message);
    console.log(`listener saw: ${entry.message}`); // must not loop back into the capture
  });
  await expect(resolve('log')).resolves.toBe('logged');
  expect(seen).toEqual(['hello from the function']);
  expect(runtime.logs.at(-1)).toMatchObject({ level: 'info', kind: 'resolver', functionKey: 'probe-resolver', message: 'hello from the function' });
});

test('a function that throws is logged with its message and the error reaches the caller', async () => {
  const { runtime, resolve } = setup();
  await expect(resolve('throw')).rejects.toThrow('boom from the resolver');
  expect(runtime.logs.at(-1)).toMatchObject({ level: 'error', kind: 'resolver', functionKey: 'probe-resolver' });
  expect(runtime.logs.at(-1)!.message).toContain('boom from the resolver');
});

test('queue events reach the consumer; an InvocationError is retried with its retryContext', async () => {
  const { resolve, queues, read } = setup();
  const { jobId } = (await resolve('push', { events: [{ body: { n: 1 } }, { body: { n: 2, failOnce: true } }] })) as { jobId: string };
  expect(jobId).toMatch(/[0-9a-f-]{36}/);
  await queues.idle();
  const seen = (await read('queue')) as Array<{ body: { n: number }; retry: number }>;
  expect(seen.map((s) => `${s.body.n}:${s.retry}`).sort()).toEqual(['1:0', '2:0', '2:1']);
  expect(queues.stats).toMatchObject({ pushed: 2, delivered: 2, retried: 1, failed: 0 });
});

test('a push over Forge limits is refused by @forge/events before it leaves the function', async () => {
  const { resolve } = setup();
  const events = Array.from({ length: 51 }, (_, n) => ({ body: { n } }));
  await expect(resolve('push', { events })).rejects.toThrow(/50/);
});

test('a scheduled function past its timeoutSeconds is reported as timed out', async () => {
  const { runtime } = setup();
  await expect(runtime.invokeScheduled('probe-scheduled')).rejects.toThrow(/timed out after 1\.0 s/);
});

test('product events reach triggers at least once; ignoreSelf drops the app\'s own; copies duplicate', async () => {
  const { events, read } = setup();
  const issue = (key: string) => ({ issue: { id: key, key, fields: {} } });
  events.publish({ eventType: 'avi:jira:created:issue', payload: { ...issue('OPS-1'), atlassianId: DEFAULT_USER.accountId } });
  events.publish({ eventType: 'avi:jira:created:issue', payload: { ...issue('OPS-2'), atlassianId: APP_USER.accountId } });
  events.publish({ eventType: 'avi:jira:updated:issue', payload: { ...issue('OPS-3'), atlassianId: DEFAULT_USER.accountId } });
  await events.idle();
  expect(await read('events')).toEqual([{ key: 'OPS-1', type: 'avi:jira:created:issue', self: false }]);

  events.configure({ copies: 2 });
  events.publish({ eventType: 'avi:jira:created:issue', payload: { ...issue('OPS-4'), atlassianId: DEFAULT_USER.accountId } });
  await events.idle();
  expect(((await read('events')) as Array<{ key: string }>).map((e) => e.key)).toEqual(['OPS-1', 'OPS-4', 'OPS-4']);
});

test('reordering releases held events newest first', async () => {
  const { events, read } = setup();
  events.configure({ reorderWindow: 3 });
  for (const key of ['OPS-1', 'OPS-2', 'OPS-3']) events.publish({ eventType: 'avi:jira:created:issue', payload: { issue: { id: key, key, fields: {} }, atlassianId: DEFAULT_USER.accountId } });
  await events.idle();
  expect(((await read('events')) as Array<{ key: string }>).map((e) => e.key)).toEqual(['OPS-3', 'OPS-2', 'OPS-1']);
});
