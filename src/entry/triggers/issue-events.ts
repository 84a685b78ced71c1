/**
 * Trigger for `avi:jira:created:issue` and `avi:jira:updated:issue`. Events arrive at least once and
 * possibly out of order, so the handler does not trust the event's fields: it re-reads the issue and
 * converges (see services/link-incident).
 */
import { linkIncidentToPlans } from '../../services/link-incident';
import { appDeps } from '../deps';

interface IssueEvent {
  eventType?: string;
  issue?: { id?: string; key?: string };
}

export async function onIssueEvent(event: IssueEvent): Promise<void> {
  const issueId = event?.issue?.id;
  if (!issueId) {
    console.warn('Issue event without an issue id; ignored.', event?.eventType);
    return;
  }
  const outcome = await linkIncidentToPlans(String(issueId), appDeps());
  console.log(`${event.eventType ?? 'issue event'} ${event.issue?.key ?? issueId}: ${outcome.kind}`);
}
