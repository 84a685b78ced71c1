/**
 * Trigger for `avi:jira:created:issue` and `avi:jira:updated:issue`. Events arrive at least once and
 * possibly out of order, so the handler does not trust the event's fields: it re-reads the issue and
 * converges (see services/link-incident). Updates that cannot change qualification or the affected
 * services (a summary edit, a comment) are skipped without a single product call.
 */
import { linkIncidentToPlans } from '../../services/link-incident';
import { appDeps } from '../deps';

interface IssueEvent {
  eventType?: string;
  issue?: { id?: string; key?: string };
  changelog?: { items?: Array<{ field?: string; fieldId?: string }> };
}

const RELEVANT_FIELDS = new Set(['priority', 'issuetype', 'project', 'components', 'component', 'labels']);

/** Custom fields (Affected services, Major incident: their ids differ per site) always count. */
export function mayChangeContinuity(event: IssueEvent): boolean {
  if (event.eventType !== 'avi:jira:updated:issue') return true;
  const items = event.changelog?.items;
  if (!items || items.length === 0) return true; // no changelog: cannot tell, so look
  return items.some((i) => RELEVANT_FIELDS.has((i.fieldId ?? '').toLowerCase()) || RELEVANT_FIELDS.has((i.field ?? '').toLowerCase()) || (i.fieldId ?? '').startsWith('customfield_'));
}

export async function onIssueEvent(event: IssueEvent): Promise<void> {
  const issueId = event?.issue?.id;
  if (!issueId) {
    console.warn('Issue event without an issue id; ignored.', event?.eventType);
    return;
  }
  if (!mayChangeContinuity(event)) return;
  const outcome = await linkIncidentToPlans(String(issueId), appDeps());
  console.log(`${event.eventType ?? 'issue event'} ${event.issue?.key ?? issueId}: ${outcome.kind}`);
}
