/**
 * Resolvers of the plan features.
 *
 * `definePlanResolvers(resolver)` defines the PLANS keys on the resolver of the Service continuity page
 * (the console's global page module): the console calls them for its plan registry (new plan page,
 * adopt by link, status, review, problems, bulk publishing and its progress, the Confluence state).
 *
 * `planPageResolver` serves the Confluence modules on a plan page (byline item, macro, content
 * action): for PLAN_PAGE keys the page is the module context's content id, never an id from the
 * payload; it answers the PLANS keys too.
 * `planBylineProperties` is the byline item's dynamicProperties function.
 */
import Resolver from '@forge/resolver';
import { PLAN_PAGE, PLANS } from '../../contract/plans';
import { invalidInput } from '../../domain/errors';
import type { AppDeps } from '../../ports';
import { adoptOptions, adoptPage, adoptPageByAddress } from '../../services/plans/adopt';
import { publishProgress, startPublishing } from '../../services/plans/bulk';
import { changeStatus, markPlanReviewed } from '../../services/plans/lifecycle';
import { bylineProperties, planPageStatus } from '../../services/plans/live-status';
import { confluenceState, planProblems } from '../../services/plans/problems';
import { createPlanPage, type Actor } from '../../services/plans/publish';
import { appDeps } from '../deps';
import { toResolverResult } from './common';
import { parseInput } from './schemas';
import { adoptInput, createPageInput, pageServiceInput, planIdInput, progressInput, publishAllInput, setStatusInput } from './plan-schemas';

interface ModuleContext {
  accountId?: string;
  siteUrl?: string;
  extension?: { type?: string; content?: { id?: string | number; type?: string }; space?: { key?: string } };
}

type Define = (key: string, handler: (request: { payload: unknown; context: ModuleContext }) => unknown) => unknown;

/** The signed-in person, named as Jira names them (for the page's review history). */
async function actorOf(context: ModuleContext, deps: AppDeps): Promise<Actor> {
  if (!context.accountId) throw invalidInput('This action needs a signed-in user.', 'context.accountId');
  const name = await deps.jira.currentUserName().catch(() => undefined);
  return { accountId: context.accountId, ...(name ? { name } : {}) };
}

function siteOf(context: ModuleContext): string {
  if (!context.siteUrl) throw invalidInput('The site address is missing from the context.', 'context.siteUrl');
  return context.siteUrl;
}

/** The Confluence page the module is on, from the product's context. */
export function pageFromContext(context: ModuleContext): string {
  const id = context.extension?.content?.id;
  if (id === undefined || !/^\d{1,19}$/.test(String(id))) throw invalidInput('This runs only on a Confluence page.', 'context.extension.content');
  return String(id);
}

/** Defines the plan keys (PLANS) on `resolver`: the console's global page calls them. */
export function definePlanResolvers(resolver: { define: Define } | Resolver): void {
  const define = (resolver as { define: Define }).define.bind(resolver);
  define(PLANS.createPage, ({ payload, context }) =>
    toResolverResult(async () => {
      const deps = appDeps();
      return createPlanPage(parseInput(createPageInput, payload).serviceId, await actorOf(context, deps), deps);
    }),
  );
  define(PLANS.adopt, ({ payload, context }) =>
    toResolverResult(async () => {
      const deps = appDeps();
      return adoptPageByAddress(parseInput(adoptInput, payload), siteOf(context), await actorOf(context, deps), deps);
    }),
  );
  define(PLANS.setStatus, ({ payload, context }) =>
    toResolverResult(async () => {
      const deps = appDeps();
      return changeStatus(parseInput(setStatusInput, payload), await actorOf(context, deps), deps);
    }),
  );
  define(PLANS.markReviewed, ({ payload, context }) =>
    toResolverResult(async () => {
      const deps = appDeps();
      return markPlanReviewed(parseInput(planIdInput, payload).planId, await actorOf(context, deps), deps);
    }),
  );
  define(PLANS.problems, () => toResolverResult(() => planProblems(appDeps())));
  define(PLANS.confluence, () => toResolverResult(() => confluenceState(appDeps())));
  define(PLANS.publishAll, ({ payload, context }) =>
    toResolverResult(async () => {
      const deps = appDeps();
      return startPublishing(parseInput(publishAllInput, payload), await actorOf(context, deps), deps);
    }),
  );
  define(PLANS.publishProgress, ({ payload }) => toResolverResult(() => publishProgress(parseInput(progressInput, payload).jobId, appDeps())));
}

const pageResolver = new Resolver();
// The registry's keys work from a plan page too (the macro's "Mark reviewed", and a page-side registry
// later): every one of them checks the caller's role itself and trusts no id it cannot check.
definePlanResolvers(pageResolver);

pageResolver.define(PLAN_PAGE.status, ({ context }) => {
  const ctx = context as ModuleContext;
  return toResolverResult(() => planPageStatus(pageFromContext(ctx), { accountId: ctx.accountId, siteUrl: siteOf(ctx) }, appDeps()));
});
pageResolver.define(PLAN_PAGE.adoptOptions, ({ context }) => toResolverResult(() => adoptOptions(pageFromContext(context as ModuleContext), appDeps())));
pageResolver.define(PLAN_PAGE.adopt, ({ payload, context }) =>
  toResolverResult(async () => {
    const ctx = context as ModuleContext;
    const deps = appDeps();
    return adoptPage({ serviceId: parseInput(pageServiceInput, payload).serviceId, pageId: pageFromContext(ctx) }, await actorOf(ctx, deps), deps);
  }),
);
pageResolver.define(PLAN_PAGE.markReviewed, ({ context }) =>
  toResolverResult(async () => {
    const ctx = context as ModuleContext;
    const deps = appDeps();
    const plan = await deps.planPages.planForPage(pageFromContext(ctx));
    if (!plan) throw invalidInput('This page is not a continuity plan.', 'context.extension.content');
    return markPlanReviewed(plan.id, await actorOf(ctx, deps), deps);
  }),
);

/** Resolver of the byline item, the macro and the content action on Confluence pages. */
export const planPageResolver = pageResolver.getDefinitions();

interface DynamicPropertiesArgs {
  extension?: ModuleContext['extension'];
  context?: ModuleContext;
  siteUrl?: string;
}

/**
 * The byline item's dynamic properties: its title (status, RTO, open incidents) from the live state.
 * Forge calls it with `{ cloudId, localId, extension }` and the invocation context; a failure answers
 * a plain title rather than none.
 */
export async function planBylineProperties(payload: DynamicPropertiesArgs, invocation?: { principal?: { accountId?: string }; siteUrl?: string }) {
  const ctx: ModuleContext = { ...(payload?.context ?? {}), ...(payload?.extension ? { extension: payload.extension } : {}) };
  const accountId = ctx.accountId ?? invocation?.principal?.accountId;
  const siteUrl = ctx.siteUrl ?? payload?.siteUrl ?? invocation?.siteUrl ?? '';
  try {
    const status = await planPageStatus(pageFromContext(ctx), { accountId, siteUrl }, appDeps(), { forByline: true });
    return bylineProperties(status);
  } catch (error) {
    console.warn(`Byline properties: ${(error as Error).message}`);
    return { title: 'Continuity plan', tooltip: 'The live state could not be read just now.' };
  }
}
