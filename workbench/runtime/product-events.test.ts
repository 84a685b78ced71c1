/**
 * Product-event delivery follows Forge's documented retry rules: a RETURNED InvocationError is
 * redelivered with a retryContext after retryAfter (capped at 900 s) at most four times; a timeout is
 * retried by the platform; a THROWN error is logged and not retried.
 */
import { runtimeHarness } from './testing';
import { DEFAULT_USER } from '../products/users';

type Seen = Array<{ mode: string; retryContext: { retryCount: number; retryReason: string; retryData?: unknown } | null }>;

function setup() {
  const h = runtimeHarness();
  // 900 s of retryAfter become 90 ms.
  h.events.configure({ delayScale: 0.0001, retryDelayMs: 10 });
  const publish = (spec: Record<string, unknown>) =>
    h.events.publish({ eventType: 'avi:jira:commented:issue', payload: { issue: { id: '10001', key: 'OPS-1', fields: {} }, comment: { id: '1' }, atlassianId: DEFAULT_USER.accountId, spec } });
  const seen = async () => ((await h.read('behaviour-events')) ?? []) as Seen;
  return { ...h, publish, seen };
}

test('a returned InvocationError is delivered again with retryContext { retryCount, retryReason, retryData }', async () => {
  const { events, publish, seen } = setup();
  publish({ mode: 'retry', times: 2, retryAfter: 5 });
  await events.idle();
  expect((await seen()).map((s) => s.retryContext)).toEqual([
    null,
    { retryCount: 1, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { attempt: 1 } },
    { retryCount: 2, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { attempt: 2 } },
  ]);
  expect(events.attempts.map((a) => [a.attempt, a.outcome, a.retryAfter])).toEqual([
    [1, 'retry-requested', 5],
    [2, 'retry-requested', 5],
    [3, 'ok', undefined],
  ]);
  expect(events.attempts.every((a) => a.eventType === 'avi:jira:commented:issue' && a.trigger === 'probe-behaviour-trigger')).toBe(true);
  expect(events.deliveries.at(-1)).toMatchObject({ attempts: 3, ok: true });
});

test('retryAfter is honoured (scaled) and values over 900 s are lowered to 900 s', async () => {
  const { events, publish } = setup();
  const started = performance.now();
  publish({ mode: 'retry', times: 1, retryAfter: 5000 });
  await events.idle();
  // 900 s × 0.0001 = 90 ms between the two attempts.
  expect(performance.now() - started).toBeGreaterThanOrEqual(85);
  expect(events.attempts[0]).toMatchObject({ outcome: 'retry-requested', retryAfter: 900 });
});

test('an event is retried at most four times at the app\'s request', async () => {
  const { events, publish, seen, runtime } = setup();
  publish({ mode: 'retry', times: 10, retryAfter: 1 });
  await events.idle();
  expect((await seen()).map((s) => s.retryContext?.retryCount ?? 0)).toEqual([0, 1, 2, 3, 4]);
  expect(events.attempts.at(-1)).toMatchObject({ attempt: 5, outcome: 'retry-requested', gaveUp: expect.stringContaining('more than 4 retries') });
  expect(events.deliveries.at(-1)).toMatchObject({ ok: false, attempts: 5 });
  expect(runtime.logs.at(-1)).toMatchObject({ level: 'error', functionKey: 'on-behaviour-event', message: expect.stringContaining('not delivered again') });
});

test('a thrown error is logged and not retried', async () => {
  const { events, publish, seen, runtime } = setup();
  publish({ mode: 'throw' });
  await events.idle();
  expect(await seen()).toHaveLength(1);
  expect(events.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'error', gaveUp: expect.stringContaining('not retried') })]);
  expect(events.deliveries.at(-1)).toMatchObject({ ok: false, attempts: 1, error: 'thrown on purpose (0)' });
  expect(runtime.logs.some((l) => l.level === 'error' && l.message.includes('thrown on purpose'))).toBe(true);
  expect(runtime.logs.at(-1)).toMatchObject({ level: 'warn', message: expect.stringContaining('a thrown error is not retried') });
});

test('retryThrownErrors restores retrying thrown errors (not the documented default)', async () => {
  const { events, publish, seen } = setup();
  events.configure({ retryThrownErrors: true });
  publish({ mode: 'throw', onlyFirst: true });
  await events.idle();
  expect((await seen()).map((s) => s.retryContext)).toEqual([null, { retryCount: 0, retryReason: 'FUNCTION_PLATFORM_UNKNOWN_ERROR' }]);
});

test('a timed-out trigger is retried by the platform with retryReason FUNCTION_TIME_OUT', async () => {
  const { events, publish, seen, runtime } = setup();
  runtime.setLimits({ syncTimeoutMs: 40 });
  publish({ mode: 'timeout', sleepMs: 100 });
  await events.idle();
  await new Promise((r) => setTimeout(r, 120)); // the timed-out invocation's own writes are refused
  expect((await seen()).map((s) => s.retryContext)).toEqual([null, { retryCount: 0, retryReason: 'FUNCTION_TIME_OUT' }]);
  expect(events.attempts.map((a) => a.outcome)).toEqual(['timeout', 'ok']);
});

test('retryData over 4 KB is not honoured', async () => {
  const { events, publish, seen } = setup();
  publish({ mode: 'retry', times: 1, retryData: { blob: 'x'.repeat(5000) } });
  await events.idle();
  expect(await seen()).toHaveLength(1);
  expect(events.attempts[0].gaveUp).toMatch(/over the 4 KB limit/);
});

test('at-least-once copies are each retried on their own', async () => {
  const { events, publish, seen } = setup();
  events.configure({ copies: 2 });
  publish({ mode: 'retry', times: 1 });
  await events.idle();
  expect((await seen()).map((s) => s.retryContext?.retryCount ?? 0).sort()).toEqual([0, 0, 1, 1]);
});

test('a trigger records the invocation whose product write caused its event', async () => {
  let events: ReturnType<typeof setup>['events'] | undefined;
  const h = runtimeHarness({
    product: () => {
      // The local Jira publishes its event while serving the app's write.
      events!.publish({ eventType: 'avi:jira:created:issue', payload: { issue: { id: '10009', key: 'OPS-9', fields: {} }, atlassianId: DEFAULT_USER.accountId } });
      return new Response('{}', { status: 201 });
    },
  });
  events = h.events;
  await h.resolve('jira-write', { key: 'OPS-9' });
  await h.events.idle();
  const records = h.runtime.invocationRecords();
  const writer = records.find((r) => r.kind === 'resolver')!;
  const trigger = records.find((r) => r.kind === 'trigger')!;
  expect(trigger).toMatchObject({ functionKey: 'on-event', causedBy: writer.id, outcome: 'ok' });
  expect(writer.calls).toEqual([expect.objectContaining({ type: 'product', op: 'POST /rest/api/3/issue/OPS-9/comment', status: 201 })]);
  // An event from the browser (no invocation) has no cause.
  h.events.publish({ eventType: 'avi:jira:created:issue', payload: { issue: { id: '10010', key: 'OPS-10', fields: {} }, atlassianId: DEFAULT_USER.accountId } });
  await h.events.idle();
  expect(h.runtime.invocationRecords().at(-1)).toMatchObject({ kind: 'trigger', functionKey: 'on-event' });
  expect(h.runtime.invocationRecords().at(-1)!.causedBy).toBeUndefined();
});

test('an event over 200 kB is not delivered', async () => {
  const { events, publish, seen, runtime } = setup();
  publish({ mode: 'ok', padding: 'x'.repeat(210 * 1024) });
  await events.idle();
  expect(await seen()).toEqual([]);
  expect(runtime.logs.at(-1)!.message).toMatch(/over Forge's 200 kB event limit/);
});
