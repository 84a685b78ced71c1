/**
 * The live continuity state a plan page shows (the byline item and the macro): read from current data
 * on every render, so the page never shows a stale RTO or status. Open incidents are the plan's open
 * invocations, shown only when the viewer may see the issue in Jira (asked of Jira as the viewer; when
 * Jira cannot say, none are shown and the page says why).
 */
import type { BylineProperties, LiveIncident, PlanPageStatus } from '../../contract/plans';
import { TIER_NAMES, type ContinuityPlan } from '../../domain/catalogue';
import { formatMinutes } from '../../domain/adf';
import { STATUS_WORDS } from '../../domain/plans/lifecycle';
import { stepsProblemText } from '../../domain/plans/page-sync';
import { reviewState } from '../../domain/plans/review';
import type { Invocation } from '../../domain/invocation';
import type { AppDeps } from '../../ports';
import { ContinuityError } from '../../domain/errors';
import { isManager } from './manager';
import { namesFor } from './views';

export type LiveDeps = Pick<AppDeps, 'store' | 'catalogue' | 'planPages' | 'jira' | 'confluence' | 'clock'>;

/** Open incident records read at most (pages of 50); a site with more open incidents says so. */
const MAX_OPEN_PAGES = 4;

export const NOT_A_PLAN_MESSAGE =
  'This page is not a continuity plan yet. A Service Continuity Manager can make it one with "Use as continuity plan" in the page\'s ••• menu, or adopt it from the plan registry in Jira.';

async function openInvocationsOf(planId: string, deps: LiveDeps): Promise<{ invocations: Invocation[]; complete: boolean }> {
  const invocations: Invocation[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_OPEN_PAGES; page++) {
    const found = await deps.store.openRecords(Number.MAX_SAFE_INTEGER, cursor);
    for (const record of found.items) for (const inv of record.invocations) if (inv.planId === planId && inv.state === 'open') invocations.push(inv);
    cursor = found.cursor;
    if (!cursor) return { invocations, complete: true };
  }
  return { invocations, complete: false };
}

/** The invocations whose issue the viewer may browse, asked of Jira as the viewer. */
async function visibleToViewer(invocations: readonly Invocation[], deps: LiveDeps): Promise<{ visible: Invocation[]; unknown?: string }> {
  // Jira answers 404 for an issue the viewer may not see: hidden, like one they may not browse.
  const browse = (key: string) =>
    deps.jira.permissionsOfCurrentUser(key).then(
      (p) => p.browse,
      (error) => {
        if (error instanceof ContinuityError && error.code === 'NOT_FOUND') return false;
        throw error;
      },
    );
  try {
    const checks = await Promise.all(invocations.map(async (inv) => ((await browse(inv.issueKey)) ? inv : undefined)));
    return { visible: checks.filter((inv): inv is Invocation => inv !== undefined) };
  } catch {
    return { visible: [], unknown: 'Jira did not say which incidents you may see, so none are shown; reload in a moment.' };
  }
}

function incident(inv: Invocation, siteUrl: string): LiveIncident {
  return { issueKey: inv.issueKey, rtoDueAt: inv.rtoDueAt, rtoMinutes: inv.rtoMinutes, serviceName: inv.service.name, url: `${siteUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(inv.issueKey)}`, drill: inv.isDrill === true };
}

/** The page's plan as stored now (the page index may lag a write by a moment; the record does not). */
async function planOfPage(pageId: string, deps: LiveDeps): Promise<ContinuityPlan | undefined> {
  const bound = await deps.planPages.planForPage(pageId);
  if (!bound) return undefined;
  const current = await deps.catalogue.getPlan(bound.id);
  return current && current.pageId === pageId ? current : undefined;
}

/**
 * The page's live state for `viewer`. `forByline`: only what the byline's title needs (it shows on
 * every page of the site, so a page that is not a plan costs one storage query and nothing more).
 */
export async function planPageStatus(pageId: string, viewer: { accountId?: string; siteUrl: string }, deps: LiveDeps, options: { forByline?: boolean } = {}): Promise<PlanPageStatus> {
  const plan = await planOfPage(pageId, deps);
  if (!plan || plan.status === 'retired') {
    const manager = viewer.accountId && !options.forByline ? await isManager(deps).catch(() => false) : false;
    return { kind: 'not-a-plan', message: plan ? 'This plan is retired: incidents no longer invoke it.' : NOT_A_PLAN_MESSAGE, canAdopt: manager };
  }
  const now = deps.clock.now();
  const [service, settings, matches, open] = await Promise.all([
    deps.catalogue.getService(plan.serviceId),
    deps.store.getSettings(),
    deps.store.lookupMatches([{ kind: 'service', value: plan.serviceId }]),
    openInvocationsOf(plan.id, deps),
  ]);
  if (!service) return { kind: 'catalogue-unavailable', message: 'The service of this plan is no longer in the catalogue.' };
  const effective = (matches.get(`service:${service.id}`) ?? []).find((m) => m.service.id === service.id)?.effectiveRtoMinutes ?? service.rtoMinutes;
  const [{ visible, unknown }, names, canReview] = await Promise.all([
    viewer.accountId ? visibleToViewer(open.invocations, deps) : Promise.resolve({ visible: [] as Invocation[], unknown: 'Sign in to see open incidents.' }),
    plan.stepsProblem ? namesFor([plan], deps) : Promise.resolve(new Map<string, string>()),
    options.forByline ? Promise.resolve(false) : viewer.accountId && plan.ownerAccountId === viewer.accountId ? Promise.resolve(true) : viewer.accountId ? isManager(deps).catch(() => false) : Promise.resolve(false),
  ]);
  const review = reviewState(plan, service.tier, now, settings.reviewCadence);
  return {
    kind: 'plan',
    plan: { id: plan.id, title: plan.title, status: plan.status, draft: plan.status === 'draft' },
    services: [{ id: service.id, name: service.name, tier: service.tier, tierName: TIER_NAMES[service.tier], rtoMinutes: service.rtoMinutes, rpoMinutes: service.rpoMinutes, effectiveRtoMinutes: effective }],
    review,
    ...(plan.lastReviewedAt !== undefined ? { lastReviewedAt: plan.lastReviewedAt } : {}),
    ...(plan.lastTestedAt !== undefined ? { lastTestedAt: plan.lastTestedAt } : {}),
    ...(plan.stepsProblem ? { stepsProblem: stepsProblemText(plan.stepsProblem, (id) => names.get(id)) } : {}),
    openIncidents: visible.sort((a, b) => a.rtoDueAt - b.rtoDueAt).map((inv) => incident(inv, viewer.siteUrl)),
    ...(unknown ? { incidentsUnknown: unknown } : !open.complete ? { incidentsUnknown: 'More incidents are open than the page can list; see the incident queue.' } : {}),
    canReview,
    serverTime: now,
  };
}

/** The byline item's title and tooltip: status, RTO and open incidents, from the same live state. */
export function bylineProperties(status: PlanPageStatus): BylineProperties {
  // The item shows on every page of the site: quiet where the page is not a plan.
  if (status.kind !== 'plan') return { title: 'Service continuity', tooltip: status.message };
  const service = status.services[0];
  const rto = service.effectiveRtoMinutes > service.rtoMinutes ? `RTO ${formatMinutes(service.effectiveRtoMinutes)} (effective)` : `RTO ${formatMinutes(service.rtoMinutes)}`;
  const open = status.openIncidents.filter((i) => !i.drill).length;
  const drills = status.openIncidents.length - open;
  const incidents = (open === 0 ? 'no open incidents' : `${open} open incident${open === 1 ? '' : 's'}`) + (drills === 0 ? '' : ` · ${drills === 1 ? 'a drill' : `${drills} drills`} running`);
  const flag = status.stepsProblem ? ' · steps unreadable' : status.review.kind === 'changed' || status.review.kind === 'overdue' ? ' · review due' : '';
  return {
    title: `Continuity: ${STATUS_WORDS[status.plan.status]} · ${rto} · ${incidents}${flag}`,
    tooltip: [status.review.text, status.stepsProblem].filter(Boolean).join(' '),
  };
}
