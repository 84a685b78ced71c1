/**
 * `@forge/events` queues: pushes arrive through `__forge_fetch__` (`/webhook/queue/publish/...`), and each
 * event is delivered to the queue's consumer function as Forge documents it:
 *
 * - Push limits per installation (https://developer.atlassian.com/platform/forge/limits-async-events/):
 *   50 events and 200 KB a push, 500 events a minute, `retryData` 4 KB, 1,000 pushes in a chain started
 *   by one invocation. Over the rate limit the push is answered 429, which `@forge/events` turns into
 *   its `RateLimitError` ("Too many requests."); over the chain limit 405, its `InvocationLimitReachedError`.
 * - Retries (https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/): a
 *   consumer that RETURNS an `InvocationError` is delivered again after `retryAfter` seconds (values over
 *   900 are lowered to 900) with `retryContext { retryCount, retryReason, retryData, retentionWindow }`.
 *   A thrown error or a timeout is an app-level error and is retried too, with exponential backoff "up to
 *   approximately 15 minutes" between attempts. Retries go on until the event is delivered or its 24-hour
 *   retention window is over (the 4-retry limit of `@forge/events` 1.x no longer applies).
 *
 * Delivery is prompt unless `queueDelayMs` adds a Forge-like pipeline delay; `delayScale` shrinks every
 * wait (delayInSeconds, retryAfter, backoff, retention) so tests need not wait real minutes.
 */
import { randomUUID } from 'node:crypto';
import { FunctionTimeoutError, isRetryRequest, type ForgeRuntime } from './forge-runtime';

const MAX_EVENTS_PER_PUSH = 50;
const MAX_PUSH_BYTES = 200 * 1024;
const MAX_RETRY_DATA_BYTES = 4 * 1024;
const CYCLIC_PUSH_LIMIT = 1000;
const MINUTE_MS = 60_000;

export interface QueueSettings {
  /** Events a minute per installation (documented: 500); a sliding window of real time. */
  eventsPerMinute: number;
  /** Multiplies every wait: delayInSeconds, retryAfter, backoff, the retention window. */
  delayScale: number;
  /** Added before every delivery (Forge's queue is not instant); 0 = prompt. */
  queueDelayMs: number;
  /** Cap on retryAfter in seconds (documented: 900). */
  maxRetryAfterSeconds: number;
  /** Backoff after a thrown error or timeout: first wait and cap in ms (cap documented as ~15 min; the first wait is not). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long an event is retried for (documented: 24 hours from the push). */
  retentionMs: number;
  /** Optional cap on retries (not a Forge limit; tests use it). */
  maxRetries: number;
  /** Pushes a chain of invocations started by one invocation may make (documented: 1,000). */
  cyclicPushLimit: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  eventsPerMinute: 500,
  delayScale: 1,
  queueDelayMs: 0,
  maxRetryAfterSeconds: 900,
  backoffBaseMs: 1_000,
  backoffMaxMs: 900_000,
  retentionMs: 24 * 60 * MINUTE_MS,
  maxRetries: Number.POSITIVE_INFINITY,
  cyclicPushLimit: CYCLIC_PUSH_LIMIT,
};

export interface QueueStats {
  /** Events accepted. */
  pushed: number;
  /** Events refused (rate limit, chain limit, size). */
  refused: number;
  /** Events their consumer processed without asking for a retry. */
  delivered: number;
  /** Redeliveries scheduled. */
  retried: number;
  /** Events given up on (retention window over, retryData too large, retry cap). */
  failed: number;
}

interface PushRequest {
  queueName: string;
  jobId: string;
  payload: Array<{ body: unknown; delayInSeconds?: number; concurrency?: unknown }>;
}

interface Pending {
  consumerKey: string;
  functionKey: string;
  queueName: string;
  jobId: string;
  event: { body: unknown; delayInSeconds?: number; concurrency?: unknown };
  pushedBy?: string;
  /** Real time of the push (ms, monotonic) and the workbench time (for retentionWindow.startTime). */
  pushedAtMs: number;
  pushedAtIso: string;
}

const monotonicMs = () => performance.now();

export class LocalQueues {
  readonly stats: QueueStats = { pushed: 0, refused: 0, delivered: 0, retried: 0, failed: 0 };
  settings: QueueSettings = { ...DEFAULT_QUEUE_SETTINGS };
  private inFlight = new Set<Promise<void>>();
  /** Accepted pushes in the last minute: [real time, events]. */
  private recent: Array<[number, number]> = [];
  /** The invocation that started each consumer's chain, and how many pushes each chain has made. */
  private chainRoot = new Map<string, string>();
  private chainPushes = new Map<string, number>();

  constructor(private readonly runtime: ForgeRuntime) {}

  configure(settings: Partial<QueueSettings>): void {
    const known = Object.fromEntries(Object.entries(settings).filter(([k, v]) => k in DEFAULT_QUEUE_SETTINGS && v !== undefined));
    this.settings = { ...this.settings, ...known };
  }

  /** Shorthand for `settings.delayScale` (tests run a 900 s delay in milliseconds). */
  get delayScale(): number {
    return this.settings.delayScale;
  }

  set delayScale(scale: number) {
    this.settings.delayScale = scale;
  }

  /** Events accepted in the current (sliding) minute. */
  eventsInLastMinute(): number {
    const since = monotonicMs() - MINUTE_MS;
    while (this.recent.length && this.recent[0][0] <= since) this.recent.shift();
    return this.recent.reduce((n, [, count]) => n + count, 0);
  }

  push = async (request: PushRequest, pushedBy?: string): Promise<{ status: number; body?: unknown }> => {
    // Forge's push limits, checked by the platform too (not only by the @forge/events client).
    if (!Array.isArray(request.payload) || request.payload.length === 0 || request.payload.length > MAX_EVENTS_PER_PUSH) {
      return this.refuse(Array.isArray(request.payload) ? request.payload.length : 0, 400, { errorMessage: `A push carries 1 to ${MAX_EVENTS_PER_PUSH} events.` });
    }
    if (Buffer.byteLength(JSON.stringify(request.payload)) > MAX_PUSH_BYTES) {
      return this.refuse(request.payload.length, 413, { errorMessage: 'The maximum payload size is 200KB.' });
    }
    const consumers = this.runtime.manifest.consumers.filter((c) => c.queue === request.queueName);
    if (consumers.length === 0) return { status: 404, body: { message: `No consumer for queue ${request.queueName}` } };
    // https://developer.atlassian.com/platform/forge/limits-async-events/ "Event per minute 500";
    // @forge/events (out/validators.js) maps 429 to RateLimitError.
    if (this.eventsInLastMinute() + request.payload.length > this.settings.eventsPerMinute) {
      return this.refuse(request.payload.length, 429, { message: 'Too many requests.' });
    }
    // Same page, "Cyclic invocation limit 1000": @forge/events maps 405 to InvocationLimitReachedError.
    const root = pushedBy ? this.chainRoot.get(pushedBy) ?? pushedBy : undefined;
    if (root) {
      const pushes = (this.chainPushes.get(root) ?? 0) + 1;
      if (pushes > this.settings.cyclicPushLimit) return this.refuse(request.payload.length, 405, { message: 'The limit on cyclic invocation has been reached.' });
      if (this.chainPushes.size > 100_000) this.chainPushes.clear();
      this.chainPushes.set(root, pushes);
    }
    this.recent.push([monotonicMs(), request.payload.length]);
    for (const event of request.payload) {
      this.stats.pushed++;
      for (const consumer of consumers) {
        const pending: Pending = { consumerKey: consumer.key, functionKey: consumer.function, queueName: request.queueName, jobId: request.jobId, event, pushedBy, pushedAtMs: monotonicMs(), pushedAtIso: new Date().toISOString() };
        this.track(this.deliver(pending, root));
      }
    }
    return { status: 201, body: { jobId: request.jobId } };
  };

  private refuse(events: number, status: number, body: unknown): { status: number; body: unknown } {
    this.stats.refused += events;
    return { status, body };
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async deliver(p: Pending, root: string | undefined): Promise<void> {
    const s = () => this.settings;
    await wait(((p.event.delayInSeconds ?? 0) * 1000 + s().queueDelayMs) * s().delayScale);
    let retryCount = 0;
    let retry: { retryReason: string; retryData?: unknown } | undefined;
    for (;;) {
      const retentionMs = s().retentionMs * s().delayScale;
      const ageMs = monotonicMs() - p.pushedAtMs;
      const asyncEvent = {
        body: p.event.body,
        queueName: p.queueName,
        jobId: p.jobId,
        eventId: randomUUID(),
        ...(p.event.concurrency ? { concurrency: p.event.concurrency } : {}),
        ...(retry
          ? { retryContext: { retryCount, retryReason: retry.retryReason, retryData: retry.retryData, retentionWindow: { startTime: p.pushedAtIso, remainingTimeMs: Math.max(0, Math.round((retentionMs - ageMs) / s().delayScale)) } } }
          : {}),
      };
      let result: unknown;
      let failure: 'timeout' | 'error' | undefined;
      try {
        result = await this.runtime.invoke('consumer', p.consumerKey, p.functionKey, [asyncEvent, { installContext: this.runtime.installContext }], undefined, {
          causedBy: p.pushedBy,
          onStart: (id) => root && this.remember(id, root),
        });
      } catch (error) {
        failure = error instanceof FunctionTimeoutError ? 'timeout' : 'error';
      }
      if (!failure && !isRetryRequest(result)) {
        this.stats.delivered++;
        return;
      }
      let waitMs: number;
      if (isRetryRequest(result)) {
        const o = result.retryOptions ?? {};
        const dataBytes = o.retryData === undefined ? 0 : Buffer.byteLength(JSON.stringify(o.retryData) ?? '');
        if (dataBytes > MAX_RETRY_DATA_BYTES) return this.fail(p, `its retryData is ${dataBytes} bytes, over the 4 KB limit`);
        waitMs = Math.min(Math.max(Number(o.retryAfter) || 1, 1), s().maxRetryAfterSeconds) * 1000;
        retry = { retryReason: o.retryReason ?? 'FUNCTION_RETRY_REQUEST', retryData: o.retryData };
      } else {
        // An app-level error (thrown or timed out): retried with exponential backoff "up to approximately 15 minutes"
        // (https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/, Retries).
        waitMs = Math.min(s().backoffBaseMs * 2 ** retryCount, s().backoffMaxMs);
        retry = { retryReason: failure === 'timeout' ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR' };
      }
      if (retryCount >= s().maxRetries) return this.fail(p, `the workbench's retry cap (${s().maxRetries}) was reached`);
      if (monotonicMs() - p.pushedAtMs + waitMs * s().delayScale > s().retentionMs * s().delayScale) return this.fail(p, 'its 24-hour retention window is over');
      retryCount++;
      this.stats.retried++;
      await wait(waitMs * s().delayScale);
    }
  }

  private fail(p: Pending, why: string): void {
    this.stats.failed++;
    this.runtime.log({ level: 'error', kind: 'consumer', moduleKey: p.consumerKey, functionKey: p.functionKey, message: `Gave up on a ${p.queueName} event: ${why}.` });
  }

  private remember(invocationId: string, root: string): void {
    if (this.chainRoot.size > 100_000) this.chainRoot.clear();
    this.chainRoot.set(invocationId, root);
  }

  /** Forgets the rate-limit window and chain counts (a reset). */
  clear(): void {
    this.recent = [];
    this.chainRoot.clear();
    this.chainPushes.clear();
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

function wait(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : new Promise((r) => setImmediate(r));
}
