/** OutboxQueue over an `@forge/events` Queue. */
import { Queue, RateLimitError } from '@forge/events';
import { QueueRefusedError, type OutboxEvent, type OutboxQueue } from '../ports';
import { OUTBOX_QUEUE } from '../constants';

export class ForgeOutboxQueue implements OutboxQueue {
  private readonly queue = new Queue({ key: OUTBOX_QUEUE });

  async push(event: OutboxEvent): Promise<void> {
    try {
      await this.queue.push({ body: { slot: event.slot } });
    } catch (error) {
      // Forge allows 500 events a minute per installation; a push beyond answers 429 (RateLimitError).
      const limited = error instanceof RateLimitError;
      throw new QueueRefusedError(`The outbox queue refused the push${limited ? ' (rate limit)' : ''}: ${(error as Error).message}`, limited ? 60 : undefined);
    }
  }
}
