/**
 * Trigger for Confluence page events (`avi:confluence:created:page`, `avi:confluence:updated:page`).
 * The payload names the page and, per Atlassian's events reference, the version the event is about; the
 * body is not in it, so the app reads the page (services/plans/read-back). The app's own writes are
 * skipped (it read what it wrote when it wrote it). Duplicate and reordered
 * events change nothing (idempotent by page version). Transient failures (Confluence rate limited or
 * down, the plan busy with another writer) return an InvocationError, the retry Forge documents.
 */
import type { InvocationError } from '@forge/events';
import { refreshFromPage } from '../../services/plans/read-back';
import { isNotConnected } from '../../services/plans/confluence';
import { appDeps } from '../deps';
import { isTransient, MAX_RETRIES, retryLater } from '../retry';

interface PageEvent {
  eventType?: string;
  /** The app's own write (Confluence events cannot be filtered with ignoreSelf). */
  selfGenerated?: boolean;
  content?: { id?: string | number; type?: string; version?: { number?: unknown } };
  retryContext?: { retryCount?: number };
}

export async function onPageEvent(event: PageEvent): Promise<InvocationError | undefined> {
  const pageId = event?.content?.id;
  if (pageId === undefined || !/^\d{1,19}$/.test(String(pageId)) || (event.content?.type !== undefined && event.content.type !== 'page')) {
    console.warn('Page event without a page id; ignored.', event?.eventType);
    return undefined;
  }
  // The app folded its own writes into the plan when it made them.
  if (event.selfGenerated === true) return undefined;
  const version = event.content?.version?.number;
  const retryCount = event.retryContext?.retryCount ?? 0;
  try {
    const outcome = await refreshFromPage(String(pageId), appDeps(), typeof version === 'number' && Number.isSafeInteger(version) ? version : undefined);
    if (outcome.kind !== 'not-a-plan') console.log(`${event.eventType ?? 'page event'} ${pageId}: ${outcome.kind}`);
    return undefined;
  } catch (error) {
    if (isNotConnected(error)) {
      console.warn(`Page ${pageId}: Confluence is not connected to the app; the plan keeps what it had.`);
      return undefined;
    }
    if (isTransient(error) && retryCount < MAX_RETRIES) return retryLater(error, retryCount, { pageId: String(pageId) });
    console.error(`Page ${pageId} not read back (${(error as Error).message}).`);
    return undefined;
  }
}
