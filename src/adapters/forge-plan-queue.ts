/** PlanQueue over the bulk publishing `@forge/events` Queue. */
import { Queue, RateLimitError } from '@forge/events';
import { QueueRefusedError, type PlanQueue, type PublishEvent } from '../ports';
import { PLAN_PUBLISH_QUEUE } from '../constants';

export class ForgePlanQueue implements PlanQueue {
  private readonly queue = new Queue({ key: PLAN_PUBLISH_QUEUE });

  async push(event: PublishEvent): Promise<void> {
    try {
      await this.queue.push({ body: { jobId: event.jobId, from: event.from } });
    } catch (error) {
      const limited = error instanceof RateLimitError;
      throw new QueueRefusedError(`The plan publishing queue refused the push${limited ? ' (rate limit)' : ''}: ${(error as Error).message}`, limited ? 60 : undefined);
    }
  }
}
