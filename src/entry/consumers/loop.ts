/**
 * Consumer of the loop queue: publishes the postmortem (or a drill's report, with its result) after
 * the last open invocation of an incident was declared recovered. Publishing is idempotent (the page
 * id is on the record; findings are claimed per plan), so a retried or duplicated event updates the
 * same page and posts nothing twice. Someone publishing at the same moment: their publication stands.
 */
import type { InvocationError } from '@forge/events';
import { BeingPublishedError } from '../../domain/postmortem-record';
import { APP_PUBLISHER, publishPostmortem } from '../../services/postmortem';
import { isNotConnected } from '../../services/plans/confluence';
import { appDeps } from '../deps';
import { isTransient, MAX_RETRIES, retryLater } from '../retry';

interface LoopQueueEvent {
  body?: { kind?: unknown; issueId?: unknown; siteUrl?: unknown };
  retryContext?: { retryCount?: number };
}

export async function onLoopEvent(event: LoopQueueEvent): Promise<InvocationError | undefined> {
  const body = event?.body;
  if (body?.kind !== 'publish-postmortem' || typeof body.issueId !== 'string' || !/^\d+$/.test(body.issueId)) {
    console.warn('Loop event without a kind and an issue; ignored.');
    return undefined;
  }
  const siteUrl = typeof body.siteUrl === 'string' && /^https?:\/\//.test(body.siteUrl) ? body.siteUrl : undefined;
  const retryCount = event.retryContext?.retryCount ?? 0;
  try {
    const published = await publishPostmortem({ issueId: body.issueId, actor: APP_PUBLISHER, ...(siteUrl ? { siteUrl } : {}) }, appDeps());
    console.log(`Postmortem of ${published.record.issueKey} ${published.created ? 'published' : 'updated'}: ${published.page.url}`);
    return undefined;
  } catch (error) {
    // Someone else is publishing it right now: theirs stands.
    if (error instanceof BeingPublishedError) return undefined;
    if ((isTransient(error) || isNotConnected(error)) && retryCount < MAX_RETRIES) return retryLater(error, retryCount);
    console.error(`The postmortem of issue ${body.issueId} was not published automatically (${(error as Error).message}); publish it from the issue panel.`);
    return undefined;
  }
}
