/**
 * Findings fed back into the plan: once no invocation of the incident is open, each plan it invoked
 * (and did not stand down) gets ONE footer comment on its page, mentioning its owner and listing each
 * finding with a link to the postmortem; the plan then shows "findings waiting" until its owner marks
 * them handled. Once, even on a republish or two publishes at once:
 *   1. the plan's comment is claimed in the incident's record (a version-guarded write: one claimer);
 *   2. the claimer looks for the comment on the page first (a runner that posted and died before
 *      recording it left it there), then posts;
 *   3. the waiting findings go on the plan (under the plan's lock, through saveCatalogue; once per
 *      incident), then the comment's id on the record, which ends the claim;
 *   4. a failure gives the claim back, so the next publication tries again.
 */
import { randomUUID } from 'node:crypto';
import type { ContinuityPlan } from '../domain/catalogue';
import { findingsCommentAdf, findingsForPlan, findingsFromPostmortem, type Finding } from '../domain/pages/findings';
import type { PostmortemInput } from '../domain/pages/postmortem-input';
import { addWaiting } from '../domain/plan-findings';
import { claimFindings, findingsPost, recordFindingsPosted, releaseFindings } from '../domain/postmortem-record';
import type { IncidentRecord } from '../domain/incident-record';
import type { AppDeps } from '../ports';
import { saveWithRetry } from './outbox';
import { withPlanLock } from './plans/lock';
import { savePlans } from './plans/save';

export type FindingsDeps = Pick<AppDeps, 'store' | 'catalogue' | 'confluence' | 'planPages' | 'clock' | 'indicators'>;

/** A step overran when it took more than half as long again as expected (and at least 5 min more). */
export const OVERRUN_RATIO = 1.5;

export type FeedOutcome =
  | { planId: string; kind: 'posted'; commentId: string; findings: number }
  | { planId: string; kind: 'already-posted' | 'being-posted' | 'stood-down' | 'no-page' }
  | { planId: string; kind: 'failed'; reason: string };

/** The words that open every findings comment (domain/pages/findings.ts findingsCommentAdf). */
export const FINDINGS_MARKER = 'Findings from the postmortem of';

/** Whether a footer comment is this incident's findings comment (OPS-42, not OPS-421). */
export function isFindingsComment(text: string, incidentKey: string): boolean {
  const key = incidentKey.replace(/[^A-Za-z0-9_-]/g, '');
  return key !== '' && text.includes(FINDINGS_MARKER) && new RegExp(`(^|[^A-Za-z0-9_-])${key}(?![0-9])`).test(text);
}

/** The findings of the postmortem, for every plan. */
export function postmortemFindings(input: PostmortemInput, page: unknown): Finding[] {
  return findingsFromPostmortem(input, { overrunRatio: OVERRUN_RATIO, postmortemPage: page });
}

/**
 * Feeds the findings back to every plan the incident invoked, each at most once. Nothing while an
 * invocation is open (the findings are not known yet). Answers what happened per plan.
 */
export async function feedFindings(record: IncidentRecord, input: PostmortemInput, page: { url: string; body: unknown }, deps: FindingsDeps): Promise<{ record: IncidentRecord; outcomes: FeedOutcome[] }> {
  if (record.invocations.length === 0 || record.invocations.some((i) => i.state === 'open')) return { record, outcomes: [] };
  const findings = postmortemFindings(input, page.body);
  const plans = await deps.catalogue.getPlans([...new Set(record.invocations.map((i) => i.planId))]);
  const outcomes: FeedOutcome[] = [];
  let current = record;
  for (const inv of record.invocations) {
    if (outcomes.some((o) => o.planId === inv.planId)) continue;
    if (inv.state === 'stood-down') {
      outcomes.push({ planId: inv.planId, kind: 'stood-down' });
      continue;
    }
    if (findingsPost(current, inv.planId)?.commentId) {
      outcomes.push({ planId: inv.planId, kind: 'already-posted' });
      continue;
    }
    const plan = plans.get(inv.planId);
    if (!plan?.pageId) {
      outcomes.push({ planId: inv.planId, kind: 'no-page' });
      continue;
    }
    const mine = findingsForPlan(findings, inv.planId);
    const result = await feedPlan(current, plan, mine, input, page.url, deps);
    current = result.record;
    outcomes.push(result.outcome);
  }
  return { record: current, outcomes };
}

async function feedPlan(record: IncidentRecord, plan: ContinuityPlan, findings: Finding[], input: PostmortemInput, postmortemUrl: string, deps: FindingsDeps): Promise<{ record: IncidentRecord; outcome: FeedOutcome }> {
  const token = randomUUID();
  const claimed = await saveWithRetry(record.issueId, record, deps, (cur) => claimFindings(cur, plan.id, { token, at: deps.clock.now(), by: 'Service Continuity' }, deps.clock.now()));
  if (findingsPost(claimed, plan.id)?.claim?.token !== token) {
    return { record: claimed, outcome: { planId: plan.id, kind: findingsPost(claimed, plan.id)?.commentId ? 'already-posted' : 'being-posted' } };
  }
  try {
    const existing = (await deps.confluence.footerComments(plan.pageId, 100)).find((c) => isFindingsComment(c.text, input.incident.key));
    const commentId =
      existing?.id ??
      (await deps.confluence.addFooterComment(plan.pageId, findingsCommentAdf(findings, { ownerAccountId: plan.ownerAccountId, postmortemUrl, incidentKey: input.incident.key, drill: input.drill })));
    const now = deps.clock.now();
    if (findings.length > 0) {
      await withPlanLock(
        plan.id,
        deps,
        async () => {
          const fresh = (await deps.catalogue.getPlan(plan.id)) ?? plan;
          const next = addWaiting(fresh.findings, { incidentKey: input.incident.key, postmortemUrl, drill: input.drill, count: findings.length, postedAt: now, commentId });
          if (next !== fresh.findings) await savePlans([{ ...fresh, findings: next! }], deps);
        },
        { waitMs: 10_000 },
      );
    }
    const stored = await saveWithRetry(record.issueId, claimed, deps, (cur) => recordFindingsPosted(cur, plan.id, commentId, findings.length, now));
    return { record: stored, outcome: { planId: plan.id, kind: 'posted', commentId, findings: findings.length } };
  } catch (error) {
    const released = await saveWithRetry(record.issueId, claimed, deps, (cur) => releaseFindings(cur, plan.id, token)).catch(() => claimed);
    console.warn(`Findings for plan ${plan.id} not fed back now (${(error as Error).message}); the next publication tries again.`);
    return { record: released, outcome: { planId: plan.id, kind: 'failed', reason: (error as Error).message } };
  }
}
