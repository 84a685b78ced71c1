/**
 * Consumer of the outbox queue: drains one slot (see services/drain). When some writes failed (Jira
 * rate limited or down), it returns an InvocationError so Forge redelivers the event after Jira's
 * Retry-After (or a backoff); records still waiting after the retries are swept by the watch.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { RateLimitedError } from '../../domain/errors';
import { drainSlot } from '../../services/drain';
import { appDeps } from '../deps';
import { MAX_RETRIES, retryLater } from '../retry';

interface OutboxEvent {
  body?: { slot?: unknown };
  retryContext?: { retryCount?: number };
}

export async function onOutboxEvent(event: OutboxEvent): Promise<InvocationError | undefined> {
  const slot = event?.body?.slot;
  if (typeof slot !== 'number' || !Number.isSafeInteger(slot) || slot <= 0) {
    console.warn('Outbox event without a valid slot; ignored.');
    return undefined;
  }
  const retryCount = event.retryContext?.retryCount ?? 0;
  let run;
  try {
    run = await drainSlot(slot, appDeps());
  } catch (error) {
    // The outbox could not even be read (storage down): ask for the documented redelivery.
    console.warn(`Outbox slot ${slot}: ${(error as Error).message}; Forge redelivers the event.`);
    return retryCount < MAX_RETRIES ? retryLater(error, retryCount, { slot }) : undefined;
  }
  console.log(
    `Outbox slot ${slot}: ${run.records} records, ${run.completed} written, ${run.failed} kept for a retry, ${run.leftover} still changing, ${run.parked} parked, ${run.skipped} held elsewhere${run.stoppedEarly ? ', stopped early (time)' : ''}`,
  );
  // Out of time, or records still changing, after making progress: carry on shortly in a fresh invocation.
  // (Without progress, an immediate retry would only repeat the same; the watch takes over instead.)
  if ((run.stoppedEarly || run.leftover > 0) && run.failed === 0 && retryCount < MAX_RETRIES && (run.completed > 0 || run.leftover > 0)) {
    return new InvocationError({ retryAfter: run.leftover > 0 ? 2 : 1, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST, retryData: { slot } });
  }
  if (run.failed > 0 && retryCount < MAX_RETRIES) {
    const error = run.retryAfterSeconds !== undefined ? new RateLimitedError(run.retryAfterSeconds, 'Jira') : new Error('Jira writes failed');
    return retryLater(error, retryCount, { slot });
  }
  return undefined;
}
