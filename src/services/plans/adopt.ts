/**
 * Adopting an existing Confluence page as a service's plan: from the page itself (the "Use as
 * continuity plan" content action) or by its link on the console ("Adopt a page"). The page is read at
 * once, so the plan has the page's steps (or is flagged when it has none the app can read).
 */
import type { AdoptOptions, PlanView } from '../../contract/plans';
import type { ContinuityPlan } from '../../domain/catalogue';
import { conflict, ContinuityError, invalidInput, notFound } from '../../domain/errors';
import { initialHistory } from '../../domain/plans/lifecycle';
import { pageIdFromAddress } from '../../domain/plans/page-address';
import { readBack } from '../../domain/plans/page-sync';
import type { AppDeps } from '../../ports';
import { loadCatalogue } from '../catalogue';
import { requireConnected } from './confluence';
import { withPlanLock } from './lock';
import { isManager, requireManager } from './manager';
import type { Actor } from './publish';
import { newPlanId, savePlans } from './save';
import { planView, withEditorName } from './views';

export type AdoptDeps = Pick<AppDeps, 'confluence' | 'catalogue' | 'store' | 'jira' | 'clock' | 'planPages' | 'indicators'>;

/** The person must be able to see the page in Confluence (asked as them): adopting must not reveal a page. */
async function requireReadable(pageId: string, deps: AdoptDeps): Promise<void> {
  const operations = await deps.confluence.pageOperations(pageId, 'user').catch((error): string[] => {
    if (error instanceof ContinuityError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) return [];
    throw error;
  });
  if (!operations.includes('read')) throw notFound('Confluence page', 'pageUrl');
}

/** Binds page `pageId` to service `serviceId` and reads its steps. Idempotent for the same page and service. */
export async function adoptPage(input: { serviceId: unknown; pageId: string }, actor: Actor, deps: AdoptDeps): Promise<PlanView> {
  if (typeof input.serviceId !== 'string' || input.serviceId.trim() === '') throw invalidInput('Choose the service this page is the plan for.', 'serviceId');
  requireConnected(deps);
  await requireManager(deps, 'adopt a page as a continuity plan');
  await requireReadable(input.pageId, deps);
  const [settings, catalogue, bound] = await Promise.all([deps.store.getSettings(), loadCatalogue(deps.catalogue), deps.planPages.planForPage(input.pageId)]);
  const service = catalogue.services.find((s) => s.id === input.serviceId);
  if (!service) throw notFound('Service', 'serviceId');
  if (service.status === 'retired') throw invalidInput(`${service.name} is retired: restore it before giving it a plan.`, 'serviceId');
  if (bound && bound.status !== 'retired' && bound.serviceId !== service.id) {
    const owner = catalogue.services.find((s) => s.id === bound.serviceId)?.name ?? bound.serviceId;
    throw conflict(`This page is already the plan "${bound.title}" of ${owner}.`, 'pageUrl');
  }
  const live = catalogue.plans.filter((p) => p.serviceId === service.id && p.status !== 'retired');
  const target = (bound && bound.status !== 'retired' ? bound : undefined) ?? live.find((p) => p.pageId === input.pageId) ?? live.find((p) => !p.pageId);
  const other = live.find((p) => p.pageId && p.pageId !== input.pageId);
  if (!target && other) throw conflict(`${service.name} already has a plan page (${other.title}); retire that plan first to use this page instead.`, 'serviceId');

  const now = deps.clock.now();
  const adopt = async (): Promise<ContinuityPlan> => {
    const current = target ? ((await deps.catalogue.getPlan(target.id)) ?? target) : undefined;
    const page = await deps.confluence.getPage(input.pageId, { body: true });
    const status = current?.status ?? 'draft';
    const rebound = current?.pageId !== input.pageId;
    const base: ContinuityPlan = current
      ? { ...current, pageId: input.pageId, pageUrl: page.url, ...(current.statusHistory ? {} : { statusHistory: initialHistory(status, actor.accountId, now) }) }
      : {
          id: newPlanId(service.id, new Set(catalogue.plans.map((p) => p.id))),
          serviceId: service.id,
          title: page.title,
          pageId: input.pageId,
          pageUrl: page.url,
          ...(service.ownerAccountId ? { ownerAccountId: service.ownerAccountId } : {}),
          status,
          steps: [],
          commsTemplates: [],
          statusHistory: initialHistory(status, actor.accountId, now),
        };
    // A plan bound to another page before reads this page from scratch.
    const fresh = rebound ? (({ pageVersion: _v, stepsProblem: _p, lastEdit: _e, ...rest }) => rest)(base) : base;
    const read = readBack(fresh, { version: page.version, url: page.url, editedBy: page.editedBy, editedAt: page.editedAt, body: page.body });
    if (read.plan === base) return base;
    const plan = await withEditorName(read.plan, deps);
    await savePlans([plan], deps, undefined, actor.accountId);
    return plan;
  };
  const plan = target ? await withPlanLock(target.id, deps, adopt, { waitMs: 5_000 }) : await adopt();
  return planView(plan, service, settings, now);
}

/** "Adopt a page" on the console: the page named by its link on this site. */
export async function adoptPageByAddress(input: { serviceId: unknown; pageUrl: unknown }, siteUrl: string, actor: Actor, deps: AdoptDeps): Promise<PlanView> {
  const pageId = pageIdFromAddress(input.pageUrl, siteUrl);
  return adoptPage({ serviceId: input.serviceId, pageId }, actor, deps);
}

/** What the content action offers on a page: the services, the plan the page already is, and whether the person may adopt. */
export async function adoptOptions(pageId: string, deps: AdoptDeps): Promise<AdoptOptions> {
  requireConnected(deps);
  const page = await deps.confluence.getPage(pageId, { as: 'user' });
  const [catalogue, bound, manager] = await Promise.all([loadCatalogue(deps.catalogue), deps.planPages.planForPage(pageId), isManager(deps)]);
  const withPage = new Set(catalogue.plans.filter((p) => p.pageId && p.status !== 'retired').map((p) => p.serviceId));
  return {
    page: { id: page.id, title: page.title },
    ...(bound && bound.status !== 'retired' ? { plan: { id: bound.id, title: bound.title, serviceId: bound.serviceId } } : {}),
    services: catalogue.services
      .filter((s) => s.status !== 'retired')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({ id: s.id, name: s.name, hasPlanPage: withPage.has(s.id) })),
    canAdopt: manager,
    ...(manager ? {} : { reason: 'Only a Service Continuity Manager can make a page a continuity plan.' }),
  };
}
