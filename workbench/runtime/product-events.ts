/**
 * Delivers product events to the app's triggers the way Forge does: asynchronously, at least once,
 * retried when the function fails or times out. For tests it can deliver every event twice, or hold
 * events back and release them in reverse order, to prove the app's handlers are idempotent.
 */
import type { ProductEvent } from '../products/types';
import { APP_USER } from '../products/users';
import type { ForgeRuntime } from './forge-runtime';

export interface DeliverySettings {
  /** Deliver every event this many times (1 = once). */
  copies: number;
  /** Hold events and release each batch of this many in reverse order (0 = in order). */
  reorderWindow: number;
  /** Attempts per delivery when the function throws or times out. */
  attempts: number;
  /** Backoff between attempts (ms). */
  retryDelayMs: number;
}

export const DEFAULT_DELIVERY: DeliverySettings = { copies: 1, reorderWindow: 0, attempts: 3, retryDelayMs: 1_000 };

export interface DeliveryRecord {
  eventType: string;
  trigger: string;
  attempts: number;
  ok: boolean;
  error?: string;
}

export class ProductEventBus {
  settings: DeliverySettings = { ...DEFAULT_DELIVERY };
  readonly deliveries: DeliveryRecord[] = [];
  private inFlight = new Set<Promise<void>>();
  private held: ProductEvent[] = [];

  constructor(private readonly runtime: ForgeRuntime, private readonly cloudId: string) {}

  configure(settings: Partial<DeliverySettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  /** Called by the product services for every change. */
  publish = (event: ProductEvent): void => {
    if (this.settings.reorderWindow > 1) {
      this.held.push(event);
      if (this.held.length >= this.settings.reorderWindow) this.flushHeld();
      return;
    }
    this.dispatch(event);
  };

  /** Releases held events (newest first), e.g. before waiting for idle. */
  flushHeld(): void {
    const batch = this.held.reverse();
    this.held = [];
    for (const event of batch) this.dispatch(event);
  }

  private dispatch(event: ProductEvent): void {
    for (const trigger of this.runtime.manifest.triggers) {
      if (!trigger.events.includes(event.eventType)) continue;
      const selfGenerated = event.payload.atlassianId === APP_USER.accountId;
      if (trigger.filter?.ignoreSelf && selfGenerated) continue;
      for (let copy = 0; copy < Math.max(1, this.settings.copies); copy++) {
        const payload = { ...structuredClone(event.payload), eventType: event.eventType, selfGenerated, context: { cloudId: this.cloudId, moduleKey: trigger.key } };
        this.track(this.deliver(trigger.key, trigger.function, event.eventType, payload));
      }
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async deliver(moduleKey: string, functionKey: string, eventType: string, payload: Record<string, unknown>): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const record: DeliveryRecord = { eventType, trigger: moduleKey, attempts: 0, ok: false };
    this.deliveries.push(record);
    for (let attempt = 1; attempt <= this.settings.attempts; attempt++) {
      record.attempts = attempt;
      try {
        await this.runtime.invokeTrigger(moduleKey, functionKey, payload);
        record.ok = true;
        record.error = undefined;
        return;
      } catch (error) {
        record.error = (error as Error).message;
        if (attempt < this.settings.attempts) await new Promise((r) => setTimeout(r, this.settings.retryDelayMs * attempt));
      }
    }
  }

  /** Resolves when every event published so far has been delivered (or given up on). */
  async idle(): Promise<void> {
    this.flushHeld();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
