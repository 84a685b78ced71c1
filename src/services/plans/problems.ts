/**
 * What needs fixing across the plans, for the plan registry: pages whose steps cannot be read, reviews
 * due after a change or overdue, plans without a page, and what the page reader skipped.
 */
import type { ConfluenceState, PlanProblem } from '../../contract/plans';
import { ConfluenceNotConnectedError } from '../../domain/errors';
import { stepsProblemText } from '../../domain/plans/page-sync';
import { reviewState } from '../../domain/plans/review';
import type { AppDeps } from '../../ports';
import { loadCatalogue } from '../catalogue';
import { checkPlanLocation } from './confluence';
import { namesFor } from './views';

export type ProblemDeps = Pick<AppDeps, 'store' | 'catalogue' | 'confluence' | 'clock'>;

export async function planProblems(deps: ProblemDeps): Promise<{ problems: PlanProblem[]; complete: boolean }> {
  const [settings, catalogue] = await Promise.all([deps.store.getSettings(), loadCatalogue(deps.catalogue)]);
  const services = new Map(catalogue.services.map((s) => [s.id, s]));
  const live = catalogue.plans.filter((p) => p.status !== 'retired');
  const names = await namesFor(live.filter((p) => p.stepsProblem), deps);
  const now = deps.clock.now();
  const problems: PlanProblem[] = [];
  for (const plan of live) {
    const service = services.get(plan.serviceId);
    const base = { planId: plan.id, title: plan.title, serviceId: plan.serviceId, ...(service ? { serviceName: service.name } : {}), ...(plan.pageId ? { page: { id: plan.pageId, url: plan.pageUrl } } : {}) };
    if (plan.stepsProblem) problems.push({ ...base, kind: 'steps-unreadable', text: stepsProblemText(plan.stepsProblem, (id) => names.get(id)) });
    if (!plan.pageId) problems.push({ ...base, kind: 'no-page', text: 'This plan has no Confluence page: publish one from the template or adopt an existing page.' });
    if (service) {
      const review = reviewState(plan, service.tier, now, settings.reviewCadence);
      if (review.kind === 'changed') problems.push({ ...base, kind: 'review-due', text: review.text });
      else if (review.kind === 'overdue') problems.push({ ...base, kind: 'review-overdue', text: review.text });
    }
    if ((plan.pageProblems ?? []).length > 0) problems.push({ ...base, kind: 'page-problems', text: plan.pageProblems!.join(' ') });
  }
  return { problems, complete: true };
}

export async function confluenceState(deps: Pick<AppDeps, 'store' | 'confluence'>): Promise<ConfluenceState> {
  const connected = deps.confluence.connection();
  if (connected === 'not-connected') return { connected, message: new ConfluenceNotConnectedError().message };
  const location = await checkPlanLocation(await deps.store.getSettings(), deps);
  if (!location.ok && location.field === 'confluence') return { connected: 'not-connected', message: location.message };
  return {
    connected: 'connected',
    message: location.ok ? location.message : `Confluence is connected. ${location.message}`,
    location: location.ok ? { ok: true, message: location.message } : { ok: false, field: location.field, message: location.message },
  };
}
