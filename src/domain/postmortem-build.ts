/**
 * The postmortem's input, assembled from what the incident's record already holds: every invocation
 * (one postmortem covers each plan the incident invoked) with its plan snapshot's steps and their
 * records, its timeline with the names stored beside each entry, the updates people posted through the
 * panel, and the follow-up actions created as Jira issues. Nothing here needs a user lookup: names were
 * stored when people acted. Pure.
 */
import { parseCommentKind } from './idempotency';
import type { IncidentFacts } from './incident';
import type { IncidentRecord } from './incident-record';
import { APP_ACTOR, type Invocation } from './invocation';
import { humanSectionText } from './pages/postmortem';
import type { PostmortemCommsSent, PostmortemFollowUp, PostmortemInput, PostmortemInvocation } from './pages/postmortem-input';
import { followUpWords } from './postmortem-record';
import { visibleLength } from './text';

const nameOf = (accountId: string, stored?: string) => stored ?? (accountId === APP_ACTOR.accountId ? (APP_ACTOR.displayName ?? 'Service Continuity') : accountId);

/** The updates people posted from the plan's communication templates, each with when, to whom and by whom. */
export function commsSent(record: IncidentRecord, invocation: Invocation): PostmortemCommsSent[] {
  const out: PostmortemCommsSent[] = [];
  for (const [kind, write] of Object.entries(record.jira.comments[invocation.id] ?? {})) {
    const parsed = parseCommentKind(kind);
    if (parsed?.kind !== 'comms' || !write.id) continue;
    const template = invocation.plan.commsTemplates.find((t) => t.id === parsed.templateId);
    out.push({
      // Updates recorded before their time was kept show at the start of the incident rather than not at all.
      at: write.at ?? invocation.startedAt,
      templateName: template ? `${template.name} (update ${parsed.n})` : `Update ${parsed.n}`,
      audience: write.audience ?? template?.audience ?? 'internal',
      byName: write.by ?? '',
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

export function postmortemInvocation(record: IncidentRecord, inv: Invocation): PostmortemInvocation {
  const records = inv.steps ?? {};
  return {
    planId: inv.planId,
    plan: { title: inv.plan.title, url: inv.plan.pageUrl || undefined },
    service: { name: inv.service.name, tier: inv.service.tier },
    state: inv.state,
    rtoMinutes: inv.rtoMinutes,
    ...(inv.ownRtoMinutes !== inv.rtoMinutes ? { ownRtoMinutes: inv.ownRtoMinutes } : {}),
    rpoMinutes: inv.rpoMinutes,
    startedAt: inv.startedAt,
    ...(inv.recoveredAt !== undefined ? { recoveredAt: inv.recoveredAt } : {}),
    ...(inv.achievedMinutes !== undefined ? { achievedMinutes: inv.achievedMinutes } : {}),
    ...(inv.rtoMet !== undefined ? { rtoMet: inv.rtoMet } : {}),
    ...(inv.standDownReason ? { standDownReason: inv.standDownReason } : {}),
    steps: inv.plan.steps.map((step) => {
      const rec = Object.prototype.hasOwnProperty.call(records, step.id) ? records[step.id] : undefined;
      return {
        id: step.id,
        title: step.title,
        role: step.role,
        expectedMinutes: step.expectedMinutes,
        ...(rec ? { record: { status: rec.status, byName: nameOf(rec.by, rec.byName), at: rec.at, ...(rec.reason ? { reason: rec.reason } : {}) } } : {}),
      };
    }),
    timeline: inv.timeline.map((e) => ({ at: e.at, actorName: nameOf(e.actor, e.actorName), detail: e.detail })),
    commsSent: commsSent(record, inv),
  };
}

export function followUpsOf(record: IncidentRecord, siteUrl?: string): PostmortemFollowUp[] {
  return Object.values(record.followUps ?? {})
    .filter((f) => f.issueKey)
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0))
    .map((f) => ({ key: f.issueKey!, summary: f.summary, ...(siteUrl ? { url: `${siteUrl}/browse/${f.issueKey}` } : {}), ...(f.createdBy ? { byName: f.createdBy } : {}) }));
}

/** Everything the postmortem page is built from, at `publishedAt`. */
export function postmortemInput(record: IncidentRecord, facts: Pick<IncidentFacts, 'summary' | 'createdAt'>, options: { publishedAt: number; siteUrl?: string; impact?: string }): PostmortemInput {
  return {
    incident: {
      key: record.issueKey,
      summary: facts.summary,
      ...(options.siteUrl ? { url: `${options.siteUrl}/browse/${record.issueKey}` } : {}),
      createdAt: facts.createdAt,
      ...(options.impact ? { impact: options.impact } : {}),
    },
    drill: record.drill !== undefined || record.invocations.some((i) => i.isDrill),
    publishedAt: options.publishedAt,
    invocations: record.invocations.map((inv) => postmortemInvocation(record, inv)),
    followUps: followUpsOf(record, options.siteUrl),
  };
}

/** At most this many follow-up lines are offered from the page. */
export const MAX_PAGE_FOLLOW_UPS = 20;
/** Jira's limit on a summary. */
export const SUMMARY_MAX = 255;

/**
 * The follow-up actions people wrote on the published page ("Follow-up actions": a task list, a bullet
 * list or lines), one per item, markers removed; the panel offers each as a Jira issue to create.
 */
export function followUpLines(page: unknown): string[] {
  const text = humanSectionText(page, 'Follow-up actions');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*(?:[-*•]|\d+[.)])\s+/u, '').replace(/\s+/g, ' ').trim();
    const key = followUpWords(line);
    if (visibleLength(line) < 3 || seen.has(key)) continue;
    seen.add(key);
    out.push(line.slice(0, SUMMARY_MAX));
    if (out.length >= MAX_PAGE_FOLLOW_UPS) break;
  }
  return out;
}
