/**
 * Delivers product events to the app's triggers the way Forge documents it
 * (https://developer.atlassian.com/platform/forge/events-reference/product_events/, "Retry product events"):
 *
 * - A trigger asks for a retry by RETURNING an `InvocationError` from `@forge/events` (it serialises to
 *   `{ _retry: true, retryOptions: { retryAfter, retryReason, retryData } }`). The event is delivered again
 *   after `retryAfter` seconds ("The maximum retryAfter value is 900 seconds ... values exceeding this
 *   limit are lowered to 900 seconds"), with `retryContext { retryCount, retryReason, retryData }` in the
 *   event, at most four times ("You can only retry an event for a maximum of four times").
 * - Platform-level errors (timeouts, out of memory) "cannot be captured by the app" and are retried by
 *   the platform; Atlassian documents neither how often nor how soon, so the workbench retries a timeout
 *   up to `platformRetries` times with a doubling `retryDelayMs` (both settings).
 * - A THROWN error is not a retry request: the docs describe no retry for it, so it is logged and the
 *   delivery ends (`retryThrownErrors` turns on the older, undocumented behaviour).
 *
 * For tests it can deliver every event several times (`copies`, at-least-once) and hold events back and
 * release them in reverse order (`reorderWindow`); `delayScale` shrinks every retry wait.
 */
import type { ProductEvent } from '../products/types';
import { APP_USER } from '../products/users';
import { FunctionTimeoutError, isRetryRequest, type ForgeRuntime } from './forge-runtime';

/** https://developer.atlassian.com/platform/forge/events-reference/product_events/ ("retryAfter limitation"). */
export const MAX_RETRY_AFTER_SECONDS = 900;
/** Same page: "You can only retry an event for a maximum of four times." */
export const MAX_APP_RETRIES = 4;
/** https://developer.atlassian.com/platform/forge/limits-async-events/ "Retry data size 4 KB"; the product events page gives the same bound. */
export const MAX_RETRY_DATA_BYTES = 4 * 1024;
/** product_events page: "Atlassian app events larger than 200 kB are not delivered." */
export const MAX_EVENT_BYTES = 200 * 1024;

export interface DeliverySettings {
  /** Deliver every event this many times (1 = once): at-least-once duplicates. */
  copies: number;
  /** Hold events and release each batch of this many in reverse order (0 = in order). */
  reorderWindow: number;
  /** Multiplies every retry wait (`retryAfter`, platform retries): 0.001 runs 900 s in 0.9 s. */
  delayScale: number;
  /** Retries an app may request by returning InvocationError (documented: 4). */
  maxRetries: number;
  /** Cap on `retryAfter` in seconds (documented: 900). */
  maxRetryAfterSeconds: number;
  /** Platform retries after a timeout (undocumented count; assumed 4). */
  platformRetries: number;
  /** First platform-retry wait in ms, doubled each time (undocumented; scaled by `delayScale`). */
  retryDelayMs: number;
  /** Also retry thrown errors like timeouts (not documented; off by default). */
  retryThrownErrors: boolean;
  /** Extra delay before each delivery, as Forge's event pipeline has (dac: up to 3 minutes); 0 = prompt. */
  deliveryDelayMs: number;
  /** Lose the next N events (never delivered), to prove the app recovers from events that never come. */
  loseNext: number;
}

export const DEFAULT_DELIVERY: DeliverySettings = {
  copies: 1,
  reorderWindow: 0,
  delayScale: 1,
  maxRetries: MAX_APP_RETRIES,
  maxRetryAfterSeconds: MAX_RETRY_AFTER_SECONDS,
  platformRetries: 4,
  retryDelayMs: 1_000,
  retryThrownErrors: false,
  deliveryDelayMs: 0,
  loseNext: 0,
};

/** One delivery of one event to one trigger, over all its attempts. */
export interface DeliveryRecord {
  eventType: string;
  trigger: string;
  attempts: number;
  ok: boolean;
  error?: string;
}

export type AttemptOutcome = 'ok' | 'retry-requested' | 'error' | 'timeout';

/** One invocation of a trigger for an event. */
export interface DeliveryAttempt {
  eventType: string;
  trigger: string;
  /** 1 for the first delivery, 2 for the first retry, ... */
  attempt: number;
  outcome: AttemptOutcome;
  /** Seconds until the next attempt (after the cap, before `delayScale`); absent when there is none. */
  retryAfter?: number;
  retryReason?: string;
  /** Why there is no further attempt, when the outcome asked for one. */
  gaveUp?: string;
  invocationId?: string;
  at: string;
}

interface Held {
  event: ProductEvent;
  causedBy?: string;
}

const MAX_LOG = 10_000;

export class ProductEventBus {
  settings: DeliverySettings = { ...DEFAULT_DELIVERY };
  readonly deliveries: DeliveryRecord[] = [];
  /** Every attempt, oldest first (the last 10,000). */
  readonly attempts: DeliveryAttempt[] = [];
  private inFlight = new Set<Promise<void>>();
  private held: Held[] = [];

  constructor(private readonly runtime: ForgeRuntime, private readonly cloudId: string) {}

  configure(settings: Partial<DeliverySettings>): void {
    const known = Object.fromEntries(Object.entries(settings).filter(([k, v]) => k in DEFAULT_DELIVERY && v !== undefined));
    this.settings = { ...this.settings, ...known };
  }

  /** Called by the product services for every change; remembers which invocation's write caused it. */
  publish = (event: ProductEvent): void => {
    const held: Held = { event, causedBy: this.runtime.currentInvocationId() };
    if (this.settings.reorderWindow > 1) {
      this.held.push(held);
      if (this.held.length >= this.settings.reorderWindow) this.flushHeld();
      return;
    }
    this.dispatch(held);
  };

  /** Releases held events (newest first), e.g. before waiting for idle. */
  flushHeld(): void {
    const batch = this.held.reverse();
    this.held = [];
    for (const held of batch) this.dispatch(held);
  }

  /** Events lost on purpose so far (see DeliverySettings.loseNext). */
  lost = 0;

  private dispatch({ event, causedBy }: Held): void {
    if (this.settings.loseNext > 0) {
      this.settings = { ...this.settings, loseNext: this.settings.loseNext - 1 };
      this.lost++;
      this.runtime.log({ level: 'warn', message: `${event.eventType} lost on purpose (events lose).` });
      return;
    }
    const bytes = Buffer.byteLength(JSON.stringify(event.payload));
    if (bytes > MAX_EVENT_BYTES) {
      this.runtime.log({ level: 'warn', message: `${event.eventType} not delivered: ${bytes} bytes, over Forge's 200 kB event limit.` });
      return;
    }
    for (const trigger of this.runtime.manifest.triggers) {
      if (!trigger.events.includes(event.eventType)) continue;
      const selfGenerated = event.payload.atlassianId === APP_USER.accountId;
      if (trigger.filter?.ignoreSelf && selfGenerated) continue;
      for (let copy = 0; copy < Math.max(1, this.settings.copies); copy++) {
        const payload = { ...structuredClone(event.payload), eventType: event.eventType, selfGenerated, context: { cloudId: this.cloudId, moduleKey: trigger.key } };
        this.track(this.deliver(trigger.key, trigger.function, event.eventType, payload, causedBy));
      }
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private log(attempt: DeliveryAttempt): void {
    this.attempts.push(attempt);
    if (this.attempts.length > MAX_LOG) this.attempts.splice(0, this.attempts.length - MAX_LOG);
  }

  private async deliver(moduleKey: string, functionKey: string, eventType: string, payload: Record<string, unknown>, causedBy: string | undefined): Promise<void> {
    await wait(this.settings.deliveryDelayMs);
    const record: DeliveryRecord = { eventType, trigger: moduleKey, attempts: 0, ok: false };
    this.deliveries.push(record);
    if (this.deliveries.length > MAX_LOG) this.deliveries.splice(0, this.deliveries.length - MAX_LOG);
    let appRetries = 0;
    let platformRetries = 0;
    let retryContext: { retryCount: number; retryReason: string; retryData?: unknown } | undefined;
    for (;;) {
      record.attempts++;
      const s = this.settings;
      const attempt: DeliveryAttempt = { eventType, trigger: moduleKey, attempt: record.attempts, outcome: 'ok', at: new Date().toISOString() };
      let result: unknown;
      try {
        const event = retryContext ? { ...payload, retryContext } : payload;
        result = await this.runtime.invokeTrigger(moduleKey, functionKey, event, { causedBy, onStart: (id) => (attempt.invocationId = id) });
        attempt.outcome = isRetryRequest(result) ? 'retry-requested' : 'ok';
      } catch (error) {
        attempt.outcome = error instanceof FunctionTimeoutError ? 'timeout' : 'error';
        record.error = (error as Error)?.message ?? String(error);
      }
      let waitMs: number | undefined;
      if (attempt.outcome === 'ok') {
        record.ok = true;
        record.error = undefined;
      } else if (attempt.outcome === 'retry-requested' && isRetryRequest(result)) {
        const options = result.retryOptions ?? {};
        const retryData = options.retryData;
        const dataBytes = retryData === undefined ? 0 : Buffer.byteLength(JSON.stringify(retryData) ?? '');
        if (appRetries >= s.maxRetries) attempt.gaveUp = `the app asked for more than ${s.maxRetries} retries`;
        else if (dataBytes > MAX_RETRY_DATA_BYTES) attempt.gaveUp = `retryData is ${dataBytes} bytes, over the 4 KB limit`;
        else {
          appRetries++;
          attempt.retryAfter = Math.min(Math.max(Number(options.retryAfter) || 1, 1), s.maxRetryAfterSeconds);
          attempt.retryReason = options.retryReason ?? 'FUNCTION_RETRY_REQUEST';
          retryContext = { retryCount: appRetries, retryReason: attempt.retryReason, ...(retryData !== undefined ? { retryData } : {}) };
          waitMs = attempt.retryAfter * 1000;
        }
        if (attempt.gaveUp) record.error = `InvocationError not honoured: ${attempt.gaveUp}`;
      } else if (attempt.outcome === 'timeout' || s.retryThrownErrors) {
        if (platformRetries >= s.platformRetries) attempt.gaveUp = `${s.platformRetries} platform retries used`;
        else {
          platformRetries++;
          // dac: platform errors do not count as app-requested retries; retryCount stays as it was.
          attempt.retryReason = attempt.outcome === 'timeout' ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR';
          retryContext = { retryCount: appRetries, retryReason: attempt.retryReason };
          waitMs = s.retryDelayMs * 2 ** (platformRetries - 1);
          attempt.retryAfter = waitMs / 1000;
        }
      } else {
        attempt.gaveUp = 'a thrown error is not retried (only a returned InvocationError, timeouts and out-of-memory are)';
      }
      this.log(attempt);
      if (attempt.gaveUp) {
        this.runtime.log({ level: attempt.outcome === 'error' ? 'warn' : 'error', kind: 'trigger', moduleKey, functionKey, invocationId: attempt.invocationId, message: `${eventType} not delivered again: ${attempt.gaveUp}.` });
      }
      if (waitMs === undefined) return;
      await wait(waitMs * s.delayScale);
    }
  }

  /** Resolves when every event published so far has been delivered (or given up on). */
  async idle(): Promise<void> {
    this.flushHeld();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

function wait(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : new Promise((r) => setImmediate(r));
}
