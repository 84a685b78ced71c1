/**
 * Trigger for `avi:jira:created:issue` and `avi:jira:updated:issue`. Events arrive at least once and
 * possibly out of order, so the handler does not trust the event's fields: it re-reads the issue and
 * converges (see services/link-incident). Updates that cannot change qualification or the affected
 * services (a summary edit) are skipped without a single call. A failure a retry can fix returns an
 * InvocationError, the retry Forge documents; whatever retries cannot fix, the watch's sweep finds.
 */
import type { InvocationError } from '@forge/events';
import { linkIncident } from '../../services/link-incident';
import { reviewOnChangeRequest } from '../../services/plans/change-requests';
import { appDeps } from '../deps';
import { isTransient, MAX_RETRIES, retryLater } from '../retry';

interface IssueEvent {
  eventType?: string;
  issue?: { id?: string | number; key?: string; fields?: { issuetype?: { name?: unknown } } };
  changelog?: { items?: Array<{ field?: string; fieldId?: string }> };
  retryContext?: { retryCount?: number };
}

const RELEVANT_FIELDS = new Set(['priority', 'issuetype', 'project', 'components', 'component', 'labels', 'resolution', 'status']);

/** Custom fields (Affected services, Major incident: their ids differ per site) always count. */
export function mayChangeContinuity(event: IssueEvent): boolean {
  if (event.eventType !== 'avi:jira:updated:issue') return true;
  const items = event.changelog?.items;
  if (!items || items.length === 0) return true; // no changelog: cannot tell, so look
  return items.some((i) => RELEVANT_FIELDS.has((i.fieldId ?? '').toLowerCase()) || RELEVANT_FIELDS.has((i.field ?? '').toLowerCase()) || (i.fieldId ?? '').startsWith('customfield_'));
}

export async function onIssueEvent(event: IssueEvent): Promise<InvocationError | undefined> {
  const issueId = event?.issue?.id;
  if (!issueId || !/^\d+$/.test(String(issueId))) {
    console.warn('Issue event without a valid issue id; ignored.', event?.eventType);
    return undefined;
  }
  if (!mayChangeContinuity(event)) return undefined;
  const retryCount = event.retryContext?.retryCount ?? 0;
  try {
    const outcome = await linkIncident(String(issueId), appDeps(), { issueKey: event.issue?.key });
    console.log(`${event.eventType ?? 'issue event'} ${outcome.issueKey}: ${outcome.kind}`);
    // Plans go stale when their services change: a JSM change request flags them for review (linked incidents never are one).
    if (outcome.kind !== 'linked') await reviewOnChangeRequest(event, appDeps());
    return undefined;
  } catch (error) {
    if (isTransient(error) && retryCount < MAX_RETRIES) {
      console.warn(`${event.issue?.key ?? issueId}: ${(error as Error).message}; Forge retries the event.`);
      return retryLater(error, retryCount, { issueId: String(issueId) });
    }
    // Not retryable, or out of retries: the watch's sweep links the incident within its interval.
    console.error(`${event.issue?.key ?? issueId} not linked now (${(error as Error).message}); the watch will find it.`);
    return undefined;
  }
}
