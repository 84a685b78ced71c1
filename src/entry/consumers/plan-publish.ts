/**
 * Consumer of the bulk publishing queue: one batch of a publishing job per event (services/plans/bulk).
 * Confluence rate limited or down: the same batch again after Confluence's Retry-After (publishing is
 * idempotent). The next batch's event refused by the queue: this event again, which then only pushes.
 */
import type { InvocationError } from '@forge/events';
import { NextBatchNotPushed, publishBatch, pushNext } from '../../services/plans/bulk';
import { isNotConnected } from '../../services/plans/confluence';
import { QueueRefusedError } from '../../ports';
import { appDeps } from '../deps';
import { isTransient, retryLater } from '../retry';

interface PublishQueueEvent {
  body?: { jobId?: unknown; from?: unknown };
  retryContext?: { retryCount?: number; retryData?: { resumeFrom?: unknown } };
}

/** Async events are retried within a 24-hour window; a batch failing this many times in a row is left for "resume". */
const MAX_BATCH_RETRIES = 20;

export async function onPlanPublishEvent(event: PublishQueueEvent): Promise<InvocationError | undefined> {
  const jobId = event?.body?.jobId;
  const from = event?.body?.from;
  if (typeof jobId !== 'string' || typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0) {
    console.warn('Publishing event without a job and position; ignored.');
    return undefined;
  }
  const retryCount = event.retryContext?.retryCount ?? 0;
  const deps = appDeps();
  const resumeFrom = event.retryContext?.retryData?.resumeFrom;
  try {
    if (typeof resumeFrom === 'number') {
      await pushNext(jobId, resumeFrom, deps);
      return undefined;
    }
    const outcome = await publishBatch({ jobId, from }, deps);
    console.log(`Publishing ${jobId} from ${from}: ${outcome.kind}${'published' in outcome ? ` (${outcome.published} published, ${outcome.skipped} skipped, ${outcome.failed} failed)` : ''}`);
    return undefined;
  } catch (error) {
    if (error instanceof NextBatchNotPushed) return retryLater(error.cause instanceof QueueRefusedError ? error.cause : error, retryCount, { resumeFrom: error.from });
    if ((isTransient(error) || isNotConnected(error)) && retryCount < MAX_BATCH_RETRIES) return retryLater(error, retryCount, { jobId });
    console.error(`Publishing ${jobId} from ${from} stopped (${(error as Error).message}); "publish all" resumes it.`);
    return undefined;
  }
}
