/**
 * Stakeholder updates written in Jira: when an agent replies publicly on an incident whose plan is
 * running, the comms cadence runs from that reply, as it does from an update posted through the panel.
 * The comment event arrives at least once and possibly late or out of order; recordUpdate keeps only
 * the newest update, so duplicates and stragglers change nothing. The app's own comments never arrive
 * (the trigger ignores self-generated events); updates agents post through the panel do arrive (they
 * are posted as the agent) and are recognised by their comment id, so nothing is counted twice.
 *
 * Cost: one storage read per comment event; one Jira read only for a comment that would move the
 * cadence (to tell a public reply by an agent from an internal note, a customer's or an app's comment),
 * then one conditional write.
 */
import { recordUpdate, type IncidentRecord } from '../domain/incident-record';
import type { AppDeps } from '../ports';
import { saveWithRetry } from './outbox';

export interface CommentEvent {
  issue?: { id?: string | number; key?: string };
  comment?: { id?: string | number; created?: string; jsdPublic?: boolean; visibility?: unknown };
}

export type UpdateOutcome = 'recorded' | 'not-an-update' | 'no-open-plan' | 'already-counted';

export async function recordJiraUpdate(event: CommentEvent, deps: Pick<AppDeps, 'store' | 'jira'>): Promise<UpdateOutcome> {
  const issueId = String(event.issue?.id ?? '');
  const commentId = String(event.comment?.id ?? '');
  if (!/^\d+$/.test(issueId) || commentId === '') return 'not-an-update';
  // What the event says is enough to drop internal or restricted comments without a call.
  if (event.comment?.jsdPublic === false || event.comment?.visibility) return 'not-an-update';
  const record = (await deps.store.incidentContext(issueId)).record;
  if (!record || !record.invocations.some((i) => i.state === 'open')) return 'no-open-plan';
  if (postedThroughPanel(record, commentId) || record.lastUpdate?.commentId === commentId) return 'already-counted';
  const hinted = Date.parse(event.comment?.created ?? '');
  if (record.lastUpdate && Number.isFinite(hinted) && hinted <= record.lastUpdate.at) return 'already-counted';

  const comment = await deps.jira.getComment(issueId, commentId);
  // A public reply by a person with a Jira account (an agent); not a customer's comment, not an app's.
  if (!comment.public || comment.authorType !== 'atlassian') return 'not-an-update';
  const update = { at: comment.created, commentId, ...(comment.authorName ? { by: comment.authorName } : {}), source: 'jira' as const };
  const stored = await saveWithRetry(issueId, record, deps, (current) => {
    const next = recordUpdate(current, update);
    return next === current ? null : next;
  });
  return stored.lastUpdate?.commentId === commentId ? 'recorded' : 'already-counted';
}

/** Updates posted through the panel are recorded with their comment id under a `comms:` kind. */
function postedThroughPanel(record: IncidentRecord, commentId: string): boolean {
  return Object.values(record.jira.comments).some((byKind) => Object.entries(byKind).some(([kind, write]) => kind.startsWith('comms:') && write.id === commentId));
}
