/**
 * Queues follow Forge's async-events documentation: push limits (50 events, 200 KB, 500 events a
 * minute answered as @forge/events' own RateLimitError), retries of a returned InvocationError after its
 * retryAfter, of thrown errors and timeouts with backoff, retryData ≤ 4 KB, and counters.
 */
import { runtimeHarness } from './testing';

type Seen = Array<{ mode: string; retryContext: { retryCount: number; retryReason: string; retryData?: unknown; retentionWindow?: { startTime: string; remainingTimeMs: number } } | null }>;

function setup() {
  const h = runtimeHarness();
  h.queues.configure({ delayScale: 0.0001, backoffBaseMs: 10_000 }); // 900 s → 90 ms; backoff 1 ms, 2 ms, ...
  const push = (body: Record<string, unknown>) => h.resolve('push-many', { queue: 'probe-behaviour-queue', batches: 1, size: 1, body });
  const seen = async () => ((await h.read('behaviour-queue')) ?? []) as Seen;
  return { ...h, push, seen };
}

test('a returned InvocationError is retried after retryAfter with retryCount, retryReason, retryData and the retention window', async () => {
  const { queues, push, seen } = setup();
  const started = performance.now();
  await push({ mode: 'retry', times: 2, retryAfter: 5000 }); // lowered to 900 s, scaled to 90 ms
  await queues.idle();
  expect(performance.now() - started).toBeGreaterThanOrEqual(170);
  const contexts = (await seen()).map((s) => s.retryContext);
  expect(contexts[0]).toBeNull();
  expect(contexts[1]).toMatchObject({ retryCount: 1, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { attempt: 1 } });
  expect(contexts[2]).toMatchObject({ retryCount: 2, retryData: { attempt: 2 } });
  expect(contexts[2]!.retentionWindow!.remainingTimeMs).toBeLessThanOrEqual(24 * 3600_000);
  expect(Date.parse(contexts[2]!.retentionWindow!.startTime)).not.toBeNaN();
  expect(queues.stats).toMatchObject({ pushed: 1, delivered: 1, retried: 2, failed: 0 });
});

test('thrown errors and timeouts are app-level errors: retried with backoff until delivered', async () => {
  const { queues, push, seen, runtime } = setup();
  await push({ mode: 'throw', times: 2 });
  await queues.idle();
  expect((await seen()).map((s) => s.retryContext && [s.retryContext.retryCount, s.retryContext.retryReason])).toEqual([null, [1, 'FUNCTION_PLATFORM_UNKNOWN_ERROR'], [2, 'FUNCTION_PLATFORM_UNKNOWN_ERROR']]);

  runtime.setLimits({ scale: 0.02 }); // the consumer's 1 s timeoutSeconds becomes 20 ms
  await push({ mode: 'timeout', sleepMs: 60 });
  await queues.idle();
  await new Promise((r) => setTimeout(r, 80));
  const timeouts = (await seen()).filter((s) => s.mode === 'timeout');
  expect(timeouts.map((s) => s.retryContext?.retryReason ?? null)).toEqual([null, 'FUNCTION_TIME_OUT']);
  expect(queues.stats).toMatchObject({ pushed: 2, delivered: 2, retried: 3, failed: 0 });
});

test('an event that keeps failing is dropped when its retention window is over', async () => {
  const { queues, push, runtime } = setup();
  queues.configure({ retentionMs: 2_000_000 }); // 200 ms once scaled
  await push({ mode: 'retry', times: 1000, retryAfter: 900 });
  await queues.idle();
  expect(queues.stats).toMatchObject({ pushed: 1, delivered: 0, failed: 1 });
  expect(queues.stats.retried).toBe(2); // 0 ms, 90 ms, 180 ms; a fourth attempt would be past 200 ms
  expect(runtime.logs.at(-1)!.message).toMatch(/retention window is over/);
});

test('retryData over 4 KB fails the event', async () => {
  const { queues, push, seen } = setup();
  await push({ mode: 'retry', times: 1, retryData: { blob: 'x'.repeat(5000) } });
  await queues.idle();
  expect(await seen()).toHaveLength(1);
  expect(queues.stats).toMatchObject({ delivered: 0, failed: 1, retried: 0 });
});

test('more than 500 events a minute are refused with @forge/events\' own RateLimitError', async () => {
  const { queues, resolve } = setup();
  const out = (await resolve('push-many', { queue: 'probe-queue', batches: 11, size: 50 })) as { pushed: number; errors: Array<{ name: string; isRateLimitError: boolean; message: string }> };
  expect(out.pushed).toBe(500);
  expect(out.errors).toEqual([{ name: 'RateLimitError', isRateLimitError: true, message: 'Too many requests.' }]);
  await queues.idle();
  expect(queues.stats).toMatchObject({ pushed: 500, refused: 50, delivered: 500 });
  expect(queues.eventsInLastMinute()).toBe(500);
});

test('the rate limit is configurable', async () => {
  const { queues, resolve } = setup();
  queues.configure({ eventsPerMinute: 10 });
  const out = (await resolve('push-many', { queue: 'probe-queue', batches: 3, size: 4 })) as { pushed: number; errors: Array<{ name: string }> };
  expect(out).toMatchObject({ pushed: 8, errors: [{ name: 'RateLimitError' }] });
  await queues.idle();
});

test('delivery is prompt by default; queueDelayMs adds a delay', async () => {
  const { queues, push } = setup();
  let started = performance.now();
  await push({ mode: 'ok' });
  await queues.idle();
  expect(performance.now() - started).toBeLessThan(80);
  queues.configure({ delayScale: 1, queueDelayMs: 120 });
  started = performance.now();
  await push({ mode: 'ok' });
  await queues.idle();
  expect(performance.now() - started).toBeGreaterThanOrEqual(115);
});

test('a consumer records the invocation that pushed its event; a chain past the cyclic limit is refused', async () => {
  const { queues, push, runtime, read } = setup();
  await push({ mode: 'ok' });
  await queues.idle();
  const records = runtime.invocationRecords();
  const pusher = records.find((r) => r.kind === 'resolver')!;
  expect(pusher.calls).toEqual([expect.objectContaining({ type: 'queue', op: 'push probe-behaviour-queue', status: 201 })]);
  expect(records.find((r) => r.kind === 'consumer')).toMatchObject({ causedBy: pusher.id, outcome: 'ok' });

  queues.configure({ cyclicPushLimit: 1, maxRetries: 0 });
  await push({ mode: 'push' }); // the resolver's push is the chain's first; the consumer's would be its second
  await queues.idle();
  expect(((await read('behaviour-queue')) as Seen).slice(1).map((s) => s.mode)).toEqual(['push']);
  const consumer = runtime.invocationRecords().at(-1)!;
  expect(consumer).toMatchObject({ kind: 'consumer', outcome: 'error' });
  expect(consumer.calls.at(-1)).toMatchObject({ type: 'queue', status: 405 });
  expect(queues.stats).toMatchObject({ refused: 1, failed: 1 });
});
