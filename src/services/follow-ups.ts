/**
 * Follow-up actions as Jira issues, created from the panel by a person (as them: their Create
 * permission applies, and they are its reporter), in the incident's project, linked to the incident
 * with Jira's issue link ("Relates"). Once each: the follow-up's key (its words, case and spacing
 * ignored) is claimed in the incident's record before the issue is created, so a double click or two
 * agents asking for the same action get one issue; one created but not linked (the link failed) is only
 * linked when asked again.
 */
import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { doc, link, p, strong, text } from '@atlaskit/adf-utils/builders';
import { ContinuityError, conflict, forbidden, notFound } from '../domain/errors';
import { DEFAULT_FOLLOW_UP_ISSUE_TYPE } from '../domain/incident';
import type { IncidentRecord } from '../domain/incident-record';
import type { Actor } from '../domain/invocation';
import { claimFollowUp, followUp, followUpWords, recordFollowUp, releaseFollowUp } from '../domain/postmortem-record';
import type { AppDeps } from '../ports';
import { saveWithRetry } from './outbox';

export type FollowUpDeps = Pick<AppDeps, 'store' | 'jira' | 'clock'>;

/** The issue link type follow-ups are linked with (present on every Jira site unless an admin removed it). */
export const FOLLOW_UP_LINK_TYPE = 'Relates';
/** The issue property that says which incident a follow-up issue came from. */
export const FOLLOW_UP_PROPERTY_KEY = 'service-continuity-follow-up';

/** The follow-up's key in the record: a digest of its words (any text is a safe key then). */
export function followUpKey(summary: string): string {
  return `fu-${createHash('sha256').update(followUpWords(summary)).digest('hex').slice(0, 20)}`;
}

function description(record: IncidentRecord, siteUrl: string | undefined): object {
  const incident = siteUrl ? link({ href: `${siteUrl}/browse/${record.issueKey}` })(text(record.issueKey)) : text(record.issueKey);
  const postmortem = record.postmortem?.pageUrl ? [text(' See the '), link({ href: record.postmortem.pageUrl })(text('postmortem')), text('.')] : [];
  return doc(p(...(record.drill ? [strong('DRILL'), text(' ')] : []), text('Follow-up action from the continuity incident '), incident, text('.'), ...postmortem));
}

/** The project of the incident (an issue key is PROJECT-n, and project keys have no "-"). */
function projectOf(issueKey: string): string {
  return issueKey.slice(0, issueKey.lastIndexOf('-'));
}

export async function createFollowUp(issue: { id: string; key: string }, actor: Actor, summary: string, siteUrl: string | undefined, deps: FollowUpDeps): Promise<IncidentRecord> {
  const [permissions, context] = await Promise.all([deps.jira.permissionsOfCurrentUser(issue.key), deps.store.incidentContext(issue.id)]);
  if (!permissions.edit) throw forbidden('You cannot edit this issue, so you cannot add follow-up actions to it.');
  const record = context.record;
  if (!record || record.invocations.length === 0) throw notFound('A continuity plan invoked on this incident', 'issue');
  const key = followUpKey(summary);
  const token = randomUUID();
  const by = actor.displayName ?? actor.accountId;
  const claimed = await saveWithRetry(issue.id, record, deps, (cur) => claimFollowUp(cur, key, summary, { token, at: deps.clock.now(), by }, deps.clock.now()));
  const existing = followUp(claimed, key);
  if (existing?.claim?.token !== token) throw conflict(`This follow-up action is already ${existing?.issueKey ?? 'created'}${existing?.createdBy ? ` (created by ${existing.createdBy})` : ''}.`, 'summary');

  let created = existing.issueKey && existing.issueId ? { id: existing.issueId, key: existing.issueKey } : undefined;
  try {
    created ??= await deps.jira.createIssue(
      {
        projectKey: projectOf(record.issueKey),
        issueTypeName: context.settings.followUpIssueTypeName ?? DEFAULT_FOLLOW_UP_ISSUE_TYPE,
        summary: `${record.drill ? 'DRILL follow-up: ' : ''}${summary}`.slice(0, 255),
        description: description(record, siteUrl),
        properties: [{ key: FOLLOW_UP_PROPERTY_KEY, value: { incidentId: record.issueId, incidentKey: record.issueKey, followUp: key } }],
      },
      { asUser: true },
    );
  } catch (error) {
    // Jira refused: the action can be asked for again at once. A lost answer keeps the claim (the issue
    // may exist), which expires on its own.
    if (!(error instanceof ContinuityError && error.code === 'UPSTREAM_UNAVAILABLE')) await saveWithRetry(issue.id, claimed, deps, (cur) => releaseFollowUp(cur, key, token)).catch(() => undefined);
    throw error;
  }
  let linked = true;
  try {
    await deps.jira.linkIssues({ typeName: FOLLOW_UP_LINK_TYPE, inwardKey: record.issueKey, outwardKey: created.key }, { asUser: true });
  } catch (error) {
    linked = false;
    console.warn(`${created.key} was not linked to ${record.issueKey} (${(error as Error).message}); asking again links it.`);
  }
  const now = deps.clock.now();
  return saveWithRetry(issue.id, claimed, deps, (cur) => recordFollowUp(cur, key, created!, linked, actor, now));
}
