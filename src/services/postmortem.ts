/**
 * Publishing the postmortem of an incident (or the report of a drill): one page covering every plan the
 * incident invoked, built from its record (RTO target against achieved per service, steps with actual
 * against expected times, the timeline, updates sent, follow-up issues) under the configured parent.
 *   - The page id is kept on the record: publishing again updates that page (never found by title),
 *     keeping what people wrote in its free-text sections. The first publication claims the page's
 *     creation in the record, so two publications at once cannot create two pages.
 *   - The incident gets a remote link to the page (a stable globalId: linking again updates it); the
 *     page links the incident.
 *   - Once no invocation is open, the findings go back to each plan page once (services/findings.ts),
 *     and a drill records its result (services/drills-result.ts).
 * Called by the panel for a person (who must be able to edit the incident) and by the loop consumer
 * after a recovery (settings: postmortemOnRecovery; always for a drill).
 */
import { randomUUID } from 'node:crypto';
import { ContinuityError, notFound } from '../domain/errors';
import type { IncidentRecord } from '../domain/incident-record';
import { APP_ACTOR, type Actor } from '../domain/invocation';
import { followUpLines, postmortemInput } from '../domain/postmortem-build';
import { claimPostmortemCreation, forgetPostmortemPage, recordPublication, releasePostmortemCreation } from '../domain/postmortem-record';
import type { Drill } from '../domain/drills';
import type { AppDeps } from '../ports';
import { feedFindings, type FeedOutcome } from './findings';
import { recordDrillResult } from './drills-result';
import { saveWithRetry } from './outbox';
import { createPostmortemPage, postmortemLocation, updatePostmortemPage, type PageWritten } from './postmortem-page';

export type PostmortemDeps = Pick<AppDeps, 'store' | 'jira' | 'confluence' | 'catalogue' | 'planPages' | 'drills' | 'clock' | 'indicators'>;

export interface PublishRequest {
  issueId: string;
  actor: Actor;
  /** The impact in the publisher's words (kept for later publications when absent). */
  impact?: string;
  /** The site's address, for links to the incident and follow-up issues. */
  siteUrl?: string;
}

export interface Published {
  record: IncidentRecord;
  page: { id: string; url: string; title: string };
  created: boolean;
  findings: FeedOutcome[];
  drill?: Drill;
}

/** The stable globalId of the incident's remote link to its postmortem. */
export function postmortemLinkGlobalId(issueId: string): string {
  return `service-continuity:postmortem:issue=${issueId}`;
}

export async function publishPostmortem(request: PublishRequest, deps: PostmortemDeps): Promise<Published> {
  const context = await deps.store.incidentContext(request.issueId);
  const initial = context.record;
  if (!initial || initial.invocations.length === 0) throw notFound('A continuity plan invoked on this incident', 'issue');
  const location = await postmortemLocation(context.settings, deps);
  let fields = context.fields;
  if (!fields) {
    fields = await deps.jira.readFieldIds();
    await deps.store.putJiraFields(fields);
  }
  const facts = await deps.jira.getIncident(request.issueId, fields);
  const impact = request.impact ?? initial.postmortem?.impact;

  let record = initial;
  let written: PageWritten | undefined;
  const token = randomUUID();
  for (let attempt = 0; attempt < 2 && !written; attempt++) {
    const input = postmortemInput(record, facts, { publishedAt: deps.clock.now(), siteUrl: request.siteUrl, impact });
    const pageId = record.postmortem?.pageId;
    if (pageId) {
      try {
        written = await updatePostmortemPage(pageId, input, deps);
      } catch (error) {
        if (!(error instanceof ContinuityError && error.code === 'NOT_FOUND')) throw error;
        // Deleted in Confluence: a new page replaces it (the record forgets the old one first).
        record = await saveWithRetry(record.issueId, record, deps, (cur) => forgetPostmortemPage(cur, pageId));
      }
      continue;
    }
    const claimed = await saveWithRetry(record.issueId, record, deps, (cur) => claimPostmortemCreation(cur, { token, at: deps.clock.now(), by: request.actor.displayName ?? request.actor.accountId }, deps.clock.now()));
    if (claimed.postmortem?.pageId && claimed.postmortem.creating?.token !== token) {
      // Someone else's page appeared meanwhile: update it instead.
      record = claimed;
      attempt--;
      continue;
    }
    record = claimed;
    try {
      written = await createPostmortemPage(postmortemInput(record, facts, { publishedAt: deps.clock.now(), siteUrl: request.siteUrl, impact }), location, deps);
    } catch (error) {
      await saveWithRetry(record.issueId, record, deps, (cur) => releasePostmortemCreation(cur, token)).catch(() => undefined);
      throw error;
    }
  }
  if (!written) throw notFound('The postmortem page', 'postmortem');

  const linkId = await linkIncident(record, written, deps);
  const now = deps.clock.now();
  record = await saveWithRetry(record.issueId, record, deps, (cur) =>
    recordPublication(cur, { pageId: written!.page.id, pageUrl: written!.page.url, title: written!.page.title, ...(request.impact !== undefined ? { impact: request.impact } : {}), pageFollowUps: followUpLines(written!.body), ...(linkId ? { linkId } : {}) }, request.actor, now),
  );

  const input = postmortemInput(record, facts, { publishedAt: now, siteUrl: request.siteUrl, impact });
  const fed = await feedFindings(record, input, { url: written.page.url, body: written.body }, deps);
  record = fed.record;
  let drill: Drill | undefined;
  if (record.drill) {
    const posted = fed.outcomes.filter((o): o is Extract<FeedOutcome, { kind: 'posted' }> => o.kind === 'posted');
    drill = await recordDrillResult(record, { url: written.page.url, title: written.page.title }, posted.length > 0 ? posted.reduce((n, o) => n + o.findings, 0) : undefined, deps);
  }
  return { record, page: { id: written.page.id, url: written.page.url, title: written.page.title }, created: written.created, findings: fed.outcomes, ...(drill ? { drill } : {}) };
}

/** The incident's remote link to the page; a failure is logged and made again by the next publication. */
async function linkIncident(record: IncidentRecord, written: PageWritten, deps: PostmortemDeps): Promise<string | undefined> {
  try {
    return await deps.jira.upsertRemoteLink(record.issueId, {
      globalId: postmortemLinkGlobalId(record.issueId),
      url: written.page.url,
      title: written.page.title,
      summary: record.drill ? 'DRILL report: the exercise measured against the RTO' : 'Postmortem: RTO achieved against target, steps, timeline, findings',
      relationship: record.drill ? 'drill report' : 'postmortem',
    });
  } catch (error) {
    console.warn(`The link from ${record.issueKey} to its postmortem was not made (${(error as Error).message}); publishing again makes it.`);
    return undefined;
  }
}

/** The app publishing on its own (after a recovery): acts as the app. */
export const APP_PUBLISHER: Actor = APP_ACTOR;
