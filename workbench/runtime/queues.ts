/**
 * `@forge/events` queues: pushes arrive through `__forge_fetch__`, and each event is delivered to the
 * queue's consumer function, after its delay, at least once. A consumer that returns an
 * `InvocationError` (or throws) is retried with its `retryContext`, up to Forge's retry limit.
 */
import { randomUUID } from 'node:crypto';
import type { ForgeRuntime } from './forge-runtime';

const MAX_RETRIES = 4;
const MAX_EVENTS_PER_PUSH = 50;
const MAX_PUSH_BYTES = 200 * 1024;

export interface QueueStats {
  pushed: number;
  delivered: number;
  retried: number;
  failed: number;
}

export class LocalQueues {
  readonly stats: QueueStats = { pushed: 0, delivered: 0, retried: 0, failed: 0 };
  private inFlight = new Set<Promise<void>>();
  /** Scales delays (tests run a 900 s delay in milliseconds). */
  delayScale = 1;

  constructor(private readonly runtime: ForgeRuntime) {}

  push = async (request: { queueName: string; jobId: string; payload: Array<{ body: unknown; delayInSeconds?: number }> }): Promise<{ status: number; body?: unknown }> => {
    // Forge's push limits, checked by the platform too (not only by the @forge/events client).
    if (!Array.isArray(request.payload) || request.payload.length === 0 || request.payload.length > MAX_EVENTS_PER_PUSH) {
      return { status: 400, body: { errorMessage: `A push carries 1 to ${MAX_EVENTS_PER_PUSH} events.` } };
    }
    if (Buffer.byteLength(JSON.stringify(request.payload)) > MAX_PUSH_BYTES) {
      return { status: 413, body: { errorMessage: 'The push payload is larger than 200 KB.' } };
    }
    const consumers = this.runtime.manifest.consumers.filter((c) => c.queue === request.queueName);
    if (consumers.length === 0) return { status: 404, body: { errorMessage: `No consumer for queue ${request.queueName}` } };
    for (const event of request.payload) {
      this.stats.pushed++;
      for (const consumer of consumers) this.track(this.deliver(consumer.key, consumer.function, request, event, 0, undefined));
    }
    return { status: 201, body: { jobId: request.jobId } };
  };

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async deliver(
    moduleKey: string,
    functionKey: string,
    request: { queueName: string; jobId: string },
    event: { body: unknown; delayInSeconds?: number },
    retryCount: number,
    retry: { retryReason: string; retryData: unknown } | undefined,
    delayMs = (event.delayInSeconds ?? 0) * 1000,
  ): Promise<void> {
    await new Promise((r) => setTimeout(r, delayMs * this.delayScale));
    const asyncEvent = {
      body: event.body,
      queueName: request.queueName,
      jobId: request.jobId,
      eventId: randomUUID(),
      ...(retry ? { retryContext: { retryCount, retryReason: retry.retryReason, retryData: retry.retryData } } : {}),
    };
    let result: unknown;
    try {
      result = await this.runtime.invoke('consumer', moduleKey, functionKey, [asyncEvent, { installContext: this.runtime.installContext }]);
    } catch (error) {
      result = { _retry: true, retryOptions: { retryAfter: 1, retryReason: 'FUNCTION_ERROR', retryData: (error as Error).message } };
    }
    const ask = result as { _retry?: boolean; retryOptions?: { retryAfter?: number; retryReason?: string; retryData?: unknown } } | undefined;
    if (ask?._retry) {
      if (retryCount >= MAX_RETRIES) {
        this.stats.failed++;
        this.runtime.log({ level: 'error', kind: 'consumer', moduleKey, functionKey, message: `Gave up on a ${request.queueName} event after ${retryCount} retries.` });
        return;
      }
      this.stats.retried++;
      const o = ask.retryOptions ?? {};
      return this.deliver(moduleKey, functionKey, request, event, retryCount + 1, { retryReason: o.retryReason ?? 'FUNCTION_RETRY_REQUEST', retryData: o.retryData }, (o.retryAfter ?? 1) * 1000);
    }
    this.stats.delivered++;
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
