/**
 * Telling the open surfaces of an issue that its incident changed, over Forge Realtime (GA since June
 * 2026). `publish` is context-scoped and works only from functions the front end invoked (resolvers),
 * which is where people change an incident. The channel's context is the issue (contextOverrides), so
 * the panel and the issue context on that issue both receive it, and nothing else does. The message
 * carries ids only: each surface reloads through its resolver, which checks the user again.
 *
 * Publishing is best effort: a change is stored before it is published, and a surface that missed a
 * message still shows the change on its next load. Errors are logged, never thrown.
 */
import { Jira, publish } from '@forge/realtime';
import { INCIDENT_CHANNEL, type IncidentChangedMessage } from '../contract/issue-panel';

export async function publishIncidentChanged(message: IncidentChangedMessage): Promise<void> {
  try {
    const result = await publish(INCIDENT_CHANNEL, { ...message }, { contextOverrides: [Jira.Issue] });
    // On success the result has no `errors` key at all (not an empty list).
    if (result.errors?.length) console.warn(`Realtime publish refused: ${JSON.stringify(result.errors).slice(0, 300)}`);
  } catch (error) {
    console.warn(`Realtime publish failed: ${(error as Error).message}`);
  }
}
