/** LoopQueue over the `@forge/events` Queue whose consumer publishes postmortems after a recovery. */
import { Queue, RateLimitError } from '@forge/events';
import { LOOP_QUEUE } from '../constants';
import { QueueRefusedError, type LoopEvent, type LoopQueue } from '../ports';

export class ForgeLoopQueue implements LoopQueue {
  private readonly queue = new Queue({ key: LOOP_QUEUE });

  async push(event: LoopEvent): Promise<void> {
    try {
      await this.queue.push({ body: { ...event } });
    } catch (error) {
      const limited = error instanceof RateLimitError;
      throw new QueueRefusedError(`The postmortem queue refused the push${limited ? ' (rate limit)' : ''}: ${(error as Error).message}`, limited ? 60 : undefined);
    }
  }
}
