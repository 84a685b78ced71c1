/**
 * The loop's part of the issue panel: what the panel shows of the postmortem, the follow-up actions and
 * the drill (read from the record the panel loads anyway: no extra call), the "Publish postmortem"
 * action for a person, and the automatic publication after a recovery (a queue event, so declaring
 * recovery stays quick): always for a drill (its report and result), for an incident when the settings
 * say so.
 */
import type { LoopPanelView } from '../contract/loop';
import { DRILL_KIND_NAMES } from '../domain/drill-kinds';
import { forbidden, notFound } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import type { IncidentRecord } from '../domain/incident-record';
import type { Actor } from '../domain/invocation';
import { followUpWords, LOOP_CLAIM_TTL_MS } from '../domain/postmortem-record';
import type { AppDeps } from '../ports';
import { publishPostmortem, type PostmortemDeps, type Published } from './postmortem';

export function loopPanelView(record: IncidentRecord, now: number): LoopPanelView {
  const pm = record.postmortem;
  const followUps = Object.values(record.followUps ?? {})
    .sort((a, b) => (a.createdAt ?? Number.MAX_SAFE_INTEGER) - (b.createdAt ?? Number.MAX_SAFE_INTEGER) || a.summary.localeCompare(b.summary))
    .flatMap((f) => {
      const state = f.issueKey ? (f.linked ? 'created' : 'not-linked') : f.claim && now - f.claim.at < LOOP_CLAIM_TTL_MS ? 'creating' : undefined;
      // A creation nobody finished (its claim expired) is not shown: it can be asked for again.
      if (!state) return [];
      return [{ key: f.key, summary: f.summary, ...(f.issueKey ? { issueKey: f.issueKey } : {}), state, ...(f.createdBy ? { createdBy: f.createdBy } : {}) } as const];
    });
  const taken = new Set(Object.values(record.followUps ?? {}).map((f) => followUpWords(f.summary)));
  const creating = pm?.creating && !pm.pageId && now - pm.creating.at < LOOP_CLAIM_TTL_MS ? pm.creating : undefined;
  return {
    ...(record.drill ? { drill: { drillId: record.drill.drillId, kind: record.drill.kind, kindName: DRILL_KIND_NAMES[record.drill.kind] } } : {}),
    ...(pm?.pageId && pm.pageUrl
      ? { postmortem: { url: pm.pageUrl, title: pm.title ?? 'Postmortem', publishedAt: pm.publishedAt ?? 0, ...(pm.publishedBy ? { publishedBy: pm.publishedBy } : {}), publications: pm.publishCount ?? 1 } }
      : {}),
    ...(creating ? { publishing: { by: creating.by, since: creating.at } } : {}),
    canPublish: record.invocations.length > 0,
    feedsFindings: record.invocations.length > 0 && record.invocations.every((i) => i.state !== 'open'),
    ...(pm?.impact ? { impact: pm.impact } : {}),
    followUps,
    suggestedFollowUps: (pm?.pageFollowUps ?? []).filter((line) => !taken.has(followUpWords(line))),
  };
}

/** "Publish postmortem" for a person: they must be able to edit the incident. */
export async function publishForPerson(issue: { id: string; key: string }, actor: Actor, input: { impact?: string }, siteUrl: string | undefined, deps: PostmortemDeps): Promise<Published> {
  const permissions = await deps.jira.permissionsOfCurrentUser(issue.key);
  if (!permissions.edit) throw forbidden('You cannot edit this issue, so you cannot publish its postmortem.');
  const record = await deps.store.getRecord(issue.id);
  if (!record || record.invocations.length === 0) throw notFound('A continuity plan invoked on this incident', 'issue');
  return publishPostmortem({ issueId: issue.id, actor, ...(input.impact !== undefined ? { impact: input.impact } : {}), ...(siteUrl ? { siteUrl } : {}) }, deps);
}

/** Whether the record, just stored after a recovery, should publish on its own. */
export function publishesOnRecovery(record: IncidentRecord, settings: Pick<ContinuitySettings, 'postmortemOnRecovery'>): boolean {
  if (record.invocations.length === 0 || record.invocations.some((i) => i.state === 'open')) return false;
  return record.drill !== undefined || settings.postmortemOnRecovery === true;
}

/**
 * After a recovery was stored: asks the loop consumer to publish, when it should. A refused push is
 * logged, not reported as the recovery's failure: the recovery is stored, the panel offers "Publish
 * postmortem", and a drill's result can be completed from the Drills tab.
 */
export async function afterRecovery(record: IncidentRecord, settings: Pick<ContinuitySettings, 'postmortemOnRecovery'>, siteUrl: string | undefined, deps: Pick<AppDeps, 'loopQueue'>): Promise<boolean> {
  if (!publishesOnRecovery(record, settings)) return false;
  try {
    await deps.loopQueue.push({ kind: 'publish-postmortem', issueId: record.issueId, ...(siteUrl ? { siteUrl } : {}) });
    return true;
  } catch (error) {
    console.warn(`${record.issueKey}: the automatic postmortem was not queued (${(error as Error).message}); publish it from the panel.`);
    return false;
  }
}
