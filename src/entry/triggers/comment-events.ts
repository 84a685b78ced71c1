/**
 * Trigger for `avi:jira:commented:issue` (created or edited comments; the app's own are filtered out by
 * `ignoreSelf`): a public reply an agent wrote in Jira counts as a stakeholder update, and the comms
 * cadence runs from it (services/stakeholder-updates). Transient failures ask Forge for a retry; a
 * missed update only means the panel asks for the next one a little early.
 */
import type { InvocationError } from '@forge/events';
import { recordJiraUpdate, type CommentEvent } from '../../services/stakeholder-updates';
import { appDeps } from '../deps';
import { isTransient, MAX_RETRIES, retryLater } from '../retry';

export async function onCommentEvent(event: CommentEvent & { retryContext?: { retryCount?: number } }): Promise<InvocationError | undefined> {
  const retryCount = event?.retryContext?.retryCount ?? 0;
  try {
    const outcome = await recordJiraUpdate(event ?? {}, appDeps());
    if (outcome === 'recorded') console.log(`${event.issue?.key ?? event.issue?.id}: stakeholder update recorded from a Jira reply.`);
    return undefined;
  } catch (error) {
    if (isTransient(error) && retryCount < MAX_RETRIES) return retryLater(error, retryCount, { issueId: String(event.issue?.id ?? '') });
    console.warn(`${event?.issue?.key ?? 'comment'}: update not recorded (${(error as Error).message}).`);
    return undefined;
  }
}
