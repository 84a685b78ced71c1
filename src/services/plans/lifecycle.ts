/**
 * Lifecycle moves and reviews of a plan, recorded in the registry with who and when and on the plan
 * page itself (its status line and a review history row), written as version + 1 without losing
 * anyone's text (page-write.ts). A plan with a page changes only when its page can be written too, so
 * the two never disagree; while Confluence is not connected such a plan says so instead.
 */
import type { PlanView } from '../../contract/plans';
import type { ContinuityPlan, PlanStatus } from '../../domain/catalogue';
import { forbidden, invalidInput, notFound } from '../../domain/errors';
import { isPlanStatus, moveStatus, STATUS_WORDS } from '../../domain/plans/lifecycle';
import { readBack } from '../../domain/plans/page-sync';
import { markReviewed } from '../../domain/plans/review';
import { reviewHistoryEntry, statusLineOf, type PageTransform } from '../../domain/pages/plan-edit';
import type { AppDeps } from '../../ports';
import { requireConnected } from './confluence';
import { withPlanLock } from './lock';
import { isManager } from './manager';
import { writePlanPage } from './page-write';
import type { Actor } from './publish';
import { savePlans } from './save';
import { namesFor, planView, withEditorName } from './views';

export type LifecycleDeps = Pick<AppDeps, 'confluence' | 'catalogue' | 'store' | 'jira' | 'clock' | 'planPages' | 'indicators'>;

const day = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/**
 * Writes `transforms` to the plan's page (when it has one) and folds what the write read into `next`:
 * the page may hold a person's newer edit, which the plan takes in as any read-back would.
 */
async function withPage(next: ContinuityPlan, transforms: readonly PageTransform[], deps: LifecycleDeps, message: string): Promise<ContinuityPlan> {
  if (!next.pageId) return next;
  requireConnected(deps);
  const { page } = await writePlanPage(next.pageId, transforms, deps, message);
  return withEditorName(readBack(next, { version: page.version, url: page.url, editedBy: page.editedBy, editedAt: page.editedAt, body: page.body }).plan, deps);
}

async function view(plan: ContinuityPlan, deps: LifecycleDeps): Promise<PlanView> {
  const [service, settings, names] = await Promise.all([deps.catalogue.getService(plan.serviceId), deps.store.getSettings(), namesFor([plan], deps)]);
  return planView(plan, service, settings, deps.clock.now(), names);
}

/** Moves a plan to `status` (approval: owner or manager; every other move: manager). */
export async function changeStatus(input: { planId: unknown; status: unknown; expected?: unknown }, actor: Actor, deps: LifecycleDeps): Promise<PlanView> {
  if (typeof input.planId !== 'string' || input.planId === '') throw invalidInput('Which plan?', 'planId');
  if (!isPlanStatus(input.status)) throw invalidInput('Status must be draft, in-review, approved or retired.', 'status');
  if (input.expected !== undefined && !isPlanStatus(input.expected)) throw invalidInput('The expected status must be draft, in-review, approved or retired.', 'expected');
  const to: PlanStatus = input.status;
  const expected = input.expected as PlanStatus | undefined;
  const manager = await isManager(deps);
  const planId = input.planId;
  const saved = await withPlanLock(
    planId,
    deps,
    async () => {
      const plan = await deps.catalogue.getPlan(planId);
      if (!plan) throw notFound('Plan', 'planId');
      const now = deps.clock.now();
      const moved = moveStatus(plan, to, { accountId: actor.accountId, manager }, now, expected);
      if (moved === plan) return plan;
      const who = actor.name ?? 'Service Continuity';
      const next = await withPage(moved, [statusLineOf(to), reviewHistoryEntry({ date: day(now), who, change: `Status: ${STATUS_WORDS[to]}` })], deps, `Plan status: ${STATUS_WORDS[to]}`);
      await savePlans([next], deps, undefined, actor.accountId);
      return next;
    },
    { waitMs: 5_000 },
  );
  return view(saved, deps);
}

/** Records a review ("Mark reviewed"): the plan owner or a Service Continuity Manager. */
export async function markPlanReviewed(planId: unknown, actor: Actor, deps: LifecycleDeps): Promise<PlanView> {
  if (typeof planId !== 'string' || planId === '') throw invalidInput('Which plan?', 'planId');
  const manager = await isManager(deps);
  const saved = await withPlanLock(
    planId,
    deps,
    async () => {
      const plan = await deps.catalogue.getPlan(planId);
      if (!plan) throw notFound('Plan', 'planId');
      if (!manager && plan.ownerAccountId !== actor.accountId) throw forbidden('Only the plan owner or a Service Continuity Manager can record a review.');
      if (plan.status === 'retired') throw invalidInput('A retired plan is not reviewed.', 'planId');
      const now = deps.clock.now();
      const changes = plan.reviewDue ? ` after ${plan.reviewDue.changeKeys.join(', ')}` : '';
      const next = await withPage(markReviewed(plan, actor.accountId, now), [reviewHistoryEntry({ date: day(now), who: actor.name ?? 'Service Continuity', change: `Reviewed${changes}` })], deps, 'Plan reviewed');
      await savePlans([next], deps, undefined, actor.accountId);
      return next;
    },
    { waitMs: 5_000 },
  );
  return view(saved, deps);
}
