/** A plan as the console and the Confluence modules show it: the record, with its flags in words. */
import type { PlanView } from '../../contract/plans';
import type { ContinuityPlan, Service } from '../../domain/catalogue';
import type { ContinuitySettings } from '../../domain/incident';
import { stepsProblemText } from '../../domain/plans/page-sync';
import { reviewState } from '../../domain/plans/review';
import type { AppDeps } from '../../ports';

/** Display names of the accounts a plan names, from Confluence (none when it does not answer). */
export async function namesFor(plans: readonly ContinuityPlan[], deps: Pick<AppDeps, 'confluence'>): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const p of plans) {
    if (p.stepsProblem?.editedBy) ids.add(p.stepsProblem.editedBy);
    if (p.lastEdit?.by) ids.add(p.lastEdit.by);
    for (const h of p.statusHistory ?? []) ids.add(h.by);
  }
  if (ids.size === 0 || deps.confluence.connection() === 'not-connected') return new Map();
  return deps.confluence.userNames([...ids]).catch(() => new Map<string, string>());
}

/**
 * The plan with the name of whoever left its page without readable steps, asked of Confluence once when
 * the problem is found: the incident panel shows it without a call of its own.
 */
export async function withEditorName(plan: ContinuityPlan, deps: Pick<AppDeps, 'confluence'>): Promise<ContinuityPlan> {
  const problem = plan.stepsProblem;
  if (!problem?.editedBy || problem.editedByName) return plan;
  const name = (await deps.confluence.userNames([problem.editedBy]).catch(() => new Map<string, string>())).get(problem.editedBy);
  return name ? { ...plan, stepsProblem: { ...problem, editedByName: name } } : plan;
}

export function planView(plan: ContinuityPlan, service: Service | undefined, settings: Pick<ContinuitySettings, 'reviewCadence'>, now: number, names: ReadonlyMap<string, string> = new Map()): PlanView {
  const name = (id: string) => names.get(id);
  const review = service ? reviewState(plan, service.tier, now, settings.reviewCadence) : { kind: 'never-reviewed' as const, text: 'The plan\'s service is not in the catalogue.' };
  return {
    id: plan.id,
    serviceId: plan.serviceId,
    title: plan.title,
    status: plan.status,
    ...(plan.pageId ? { page: { id: plan.pageId, url: plan.pageUrl, ...(plan.pageVersion !== undefined ? { version: plan.pageVersion } : {}) } } : {}),
    stepCount: plan.steps.length,
    ...(plan.lastEdit ? { lastEdit: { ...plan.lastEdit, ...(plan.lastEdit.by && name(plan.lastEdit.by) ? { byName: name(plan.lastEdit.by) } : {}) } } : {}),
    ...(plan.stepsProblem ? { stepsProblem: { ...plan.stepsProblem, text: stepsProblemText(plan.stepsProblem, name) } } : {}),
    pageProblems: plan.pageProblems ?? [],
    statusHistory: (plan.statusHistory ?? []).map((h) => ({ ...h, ...(name(h.by) ? { byName: name(h.by) } : {}) })),
    ...(plan.lastReviewedAt !== undefined ? { lastReviewedAt: plan.lastReviewedAt } : {}),
    ...(plan.lastReviewedBy ? { lastReviewedBy: plan.lastReviewedBy } : {}),
    review,
    ...(plan.reviewDue ? { reviewDue: plan.reviewDue } : {}),
  };
}
