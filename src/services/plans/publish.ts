/**
 * Publishing a plan page for a service from the app's template (domain/pages/plan-template.ts: every
 * section a plan needs, built with Atlassian's ADF builders, so nothing typed into a plan, a step, a
 * service name or a template can open a macro or inject markup). The page is then read back like any
 * edit, so the plan's steps are exactly what the page says.
 *
 * Publishing is idempotent: Confluence keeps titles unique in a space, so a second attempt for the same
 * service (a retried event, a double click, a resumed bulk job) finds the page the first created
 * (version 1, the same text) and binds it instead of failing or creating another.
 */
import type { ContinuityPlan, Service } from '../../domain/catalogue';
import { conflict, ContinuityError, invalidInput, notFound } from '../../domain/errors';
import { initialHistory } from '../../domain/plans/lifecycle';
import { readBack } from '../../domain/plans/page-sync';
import { adfPlainText } from '../../domain/plans/adf-text';
import { DEFAULT_STEPS, DEFAULT_TEMPLATES, planPageAdf, planPageTitle, type StepDraft, type TemplateDraft } from '../../domain/pages/plan-template';
import { para, words } from '../../domain/pages/adf-write';
import { PLAN_SECTIONS } from '../../domain/pages/plan-sections';
import { adfPlainText as plain } from '../../domain/plans/adf-text';
import type { DocNode } from '@atlaskit/adf-schema';
import { effectiveRto } from '../../domain/rto';
import type { AppDeps } from '../../ports';
import { loadCatalogue, type Catalogue } from '../catalogue';
import { planLocation, requireConnected, type PlanLocation } from './confluence';
import { requireManager } from './manager';
import { newPlanId, savePlans } from './save';
import { planView } from './views';
import type { PlanView } from '../../contract/plans';

export type PublishDeps = Pick<AppDeps, 'confluence' | 'catalogue' | 'store' | 'jira' | 'clock' | 'planPages' | 'indicators'>;

export interface Actor {
  accountId: string;
  /** As the review history shows it. */
  name?: string;
}

export interface PublishContext {
  catalogue: Catalogue;
  location: PlanLocation;
  actor: Actor;
  now: number;
}

export type PublishOutcome = { kind: 'published'; plan: ContinuityPlan } | { kind: 'already-has-page'; plan: ContinuityPlan };

const day = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/** The macro's title (manifest `macro` continuity-plan-status), as a person finds it in the editor. */
export const LIVE_STATUS_MACRO_TITLE = 'Continuity plan status';

/**
 * Where to put the live status macro, said under Objectives. Atlassian documents no way to insert a
 * Forge macro through the REST API (its ADF carries ids of the app and its environment in a form that
 * is not specified), so the page says where a person inserts it; the byline shows the live state on
 * every page meanwhile.
 */
export function withMacroHint(page: DocNode): DocNode {
  const at = page.content.findIndex((n) => n.type === 'heading' && plain(n) === PLAN_SECTIONS.objectives);
  const hint = para(...words(`To show the live status box here, insert the "${LIVE_STATUS_MACRO_TITLE}" macro (type /${LIVE_STATUS_MACRO_TITLE} in the editor). The line under the page title shows the plan's live status, RTO and open incidents on every view.`));
  if (at < 0) return page;
  return { ...page, content: [...page.content.slice(0, at + 1), hint, ...page.content.slice(at + 1)] };
}

/** The template's input for a service: its objectives, dependencies, and the plan's steps and templates so far. */
function templateInput(service: Service, plan: ContinuityPlan | undefined, ctx: PublishContext) {
  const byId = new Map(ctx.catalogue.services.map((s) => [s.id, s]));
  const steps: StepDraft[] = plan && plan.steps.length > 0 ? plan.steps : [...DEFAULT_STEPS];
  const comms: TemplateDraft[] = plan && plan.commsTemplates.length > 0 ? plan.commsTemplates : [...DEFAULT_TEMPLATES];
  let effective = service.rtoMinutes;
  try {
    effective = effectiveRto(service.id, byId).effectiveMinutes;
  } catch {
    // A dependency missing from the catalogue: the page shows the service's own RTO.
  }
  return {
    services: [{ name: service.name, tier: service.tier, rtoMinutes: service.rtoMinutes, rpoMinutes: service.rpoMinutes, effectiveRtoMinutes: effective, dependsOn: service.dependsOn.map((id) => byId.get(id)?.name ?? id) }],
    steps,
    comms,
    status: plan?.status ?? 'draft',
    published: { date: day(ctx.now), who: ctx.actor.name ?? 'Service Continuity' },
  };
}

/**
 * Creates the page, or finds the one an earlier attempt created: a page of that title at version 1
 * with the same text is the app's own; any other page of that title is someone else's (adopt it).
 */
async function createOrFind(title: string, body: object, ctx: PublishContext, deps: PublishDeps) {
  try {
    return await deps.confluence.createPage({ spaceId: ctx.location.space.id, parentId: ctx.location.parentId, title, body });
  } catch (error) {
    if (!(error instanceof ContinuityError) || (error.code !== 'INVALID_INPUT' && error.code !== 'UPSTREAM_UNAVAILABLE')) throw error;
    const found = await deps.confluence.findPageByTitle(ctx.location.space.id, title);
    if (!found) throw error;
    const page = await deps.confluence.getPage(found.id, { body: true });
    if (page.version === 1 && adfPlainText(page.body) === adfPlainText(body)) return page;
    throw conflict(`A page titled "${title}" already exists in ${ctx.location.space.key}: use it as the plan (adopt it) instead of publishing a new one.`, 'serviceId');
  }
}

/**
 * Publishes the plan page of `service`: for its plan without a page, or a new draft plan. Answers the
 * plan to save (the caller saves, so that a batch saves once); a service whose plan has a page already
 * is left as it is.
 */
export async function publishServicePlan(service: Service, ctx: PublishContext, deps: PublishDeps): Promise<PublishOutcome> {
  const plans = ctx.catalogue.plans.filter((p) => p.serviceId === service.id && p.status !== 'retired');
  const withPage = plans.find((p) => p.pageId);
  if (withPage) return { kind: 'already-has-page', plan: withPage };
  const existing = plans[0];
  const title = existing?.title ?? planPageTitle([service]);
  const body = withMacroHint(planPageAdf(templateInput(service, existing, ctx)));
  const page = await createOrFind(title, body, ctx, deps);
  const status = existing?.status ?? 'draft';
  const base: ContinuityPlan = {
    ...(existing ?? { id: newPlanId(service.id, new Set(ctx.catalogue.plans.map((p) => p.id))), serviceId: service.id, title, steps: [], commsTemplates: [], status }),
    ...(existing?.ownerAccountId ?? service.ownerAccountId ? { ownerAccountId: existing?.ownerAccountId ?? service.ownerAccountId } : {}),
    pageId: page.id,
    pageUrl: page.url,
    statusHistory: existing?.statusHistory ?? initialHistory(status, ctx.actor.accountId, ctx.now),
  };
  const { pageVersion: _none, ...fresh } = base;
  const read = readBack(fresh, { version: page.version, url: page.url, editedBy: page.editedBy, editedAt: page.editedAt, body });
  return { kind: 'published', plan: read.plan };
}

/** "New plan" for one service (the console's button): a Service Continuity Manager only. */
export async function createPlanPage(serviceId: unknown, actor: Actor, deps: PublishDeps): Promise<PlanView> {
  if (typeof serviceId !== 'string' || serviceId.trim() === '') throw invalidInput('Choose the service the plan is for.', 'serviceId');
  requireConnected(deps);
  await requireManager(deps, 'publish plan pages');
  const settings = await deps.store.getSettings();
  const [location, catalogue] = await Promise.all([planLocation(settings, deps), loadCatalogue(deps.catalogue)]);
  const service = catalogue.services.find((s) => s.id === serviceId);
  if (!service) throw notFound('Service', 'serviceId');
  if (service.status === 'retired') throw invalidInput(`${service.name} is retired: restore it before giving it a plan.`, 'serviceId');
  const now = deps.clock.now();
  const outcome = await publishServicePlan(service, { catalogue, location, actor, now }, deps);
  if (outcome.kind === 'already-has-page') throw conflict(`${service.name} already has a plan page: ${outcome.plan.title}.`, 'serviceId');
  await savePlans([outcome.plan], deps, catalogue, actor.accountId);
  return planView(outcome.plan, service, settings, now);
}
