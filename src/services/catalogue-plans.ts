/**
 * The plan registry: every plan with its service, owner, status, review and test dates, open
 * invocations and flags, a page at a time through the plans' title index; and plan records created or
 * changed by a Service Continuity Manager. Plans become Confluence pages in the next step; until then a
 * plan may point at an existing page on the site, and its recovery steps are written one per line.
 */
import { z } from 'zod';
import { PLAN_PAGE_SIZE, type PlanDetail, type PlanFlag, type PlanRegistryPage, type PlanRow, type Person, type SavePlanInput, type ServiceGap } from '../contract/console';
import { TIER_NAMES, type CommsTemplate, type ContinuityPlan, type RecoveryStep, type Service, type Tier } from '../domain/catalogue';
import { conflict, invalidInput, notFound } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { withStepIds, withTemplateIds } from '../domain/pages/ids';
import { readStepLine } from '../domain/pages/step-line';
import { formatDuration } from '../domain/durations';
import { DEFAULT_REVIEW_CADENCE, nextReviewDueAt } from '../domain/tiers';
import { parseOrRefuse } from '../domain/validation';
import { findingsWaiting } from './findings-view';
import { nameKey, optionalVisibleText, visibleText } from '../domain/visible-text';
import { loadCatalogue, saveCatalogue } from './catalogue';
import { catalogueReporter } from './indicators';
import { checkUnchanged, uniqueId } from './catalogue-edit';
import { openInvocations, type OpenInvocations } from './catalogue-invocations';
import { peopleNamed, type ConsoleDeps } from './catalogue-views';
import { requireManager } from './roles';
import { MAX_STATUS_HISTORY, moveStatus } from '../domain/plans/lifecycle';
import { stepsProblemText } from '../domain/plans/page-sync';
import { reviewDueText } from '../domain/plans/review';
import { changeStatus } from './plans/lifecycle';
import { withPlanLock } from './plans/lock';
import { APP_ACTOR } from './plans/save';

const DAY_MS = 24 * 60 * 60_000;
/** Gaps listed on the registry's first page, per tier. */
const GAPS_PER_TIER = 20;
export const PLAN_LIMITS = { title: 200, steps: 100, stepLine: 500, templates: 20, templateBody: 2_000 } as const;

export function planFlags(plan: ContinuityPlan, service: Service | undefined, now: number, cadence: ContinuitySettings['reviewCadence']): PlanFlag[] {
  const flags: PlanFlag[] = [];
  if (!service || service.status === 'retired') flags.push('service-retired');
  if (plan.status === 'retired') return flags;
  // What the plan page said first: incidents run on old steps, or the service changed under the plan.
  if (plan.stepsProblem) flags.push('steps-unreadable');
  if (plan.reviewDue) flags.push('review-due');
  if (plan.lastReviewedAt === undefined) flags.push('never-reviewed');
  else if (service && nextReviewDueAt(service.tier, plan.lastReviewedAt, cadence ?? DEFAULT_REVIEW_CADENCE) < now) flags.push('review-overdue');
  if (plan.lastTestedAt === undefined) flags.push('never-tested');
  return flags;
}

/** The accounts a registry row names: the owner, whoever made the last status move, whoever broke the steps. */
export function peopleOfPlan(plan: ContinuityPlan): string[] {
  const last = plan.statusHistory?.[plan.statusHistory.length - 1];
  return [plan.ownerAccountId, last?.by, plan.stepsProblem?.editedBy].filter((id): id is string => !!id && id !== APP_ACTOR);
}

/** The words behind the flags that need them (the plans service's own texts); none for a retired plan. */
function planProblems(plan: ContinuityPlan, people: ReadonlyMap<string, Person>): PlanRow['problems'] {
  if (plan.status === 'retired') return undefined;
  const problems: NonNullable<PlanRow['problems']> = [];
  if (plan.stepsProblem) problems.push({ flag: 'steps-unreadable', text: stepsProblemText(plan.stepsProblem, (id) => people.get(id)?.displayName) });
  if (plan.reviewDue) problems.push({ flag: 'review-due', text: reviewDueText(plan.reviewDue) });
  return problems.length > 0 ? problems : undefined;
}

function lastMove(plan: ContinuityPlan, people: ReadonlyMap<string, Person>): PlanRow['lastMove'] {
  const last = plan.statusHistory?.[plan.statusHistory.length - 1];
  if (!last) return undefined;
  const by: Person = last.by === APP_ACTOR ? { accountId: last.by, displayName: 'Service Continuity' } : (people.get(last.by) ?? { accountId: last.by });
  return { status: last.status, by, at: last.at };
}

/** A plan's open invocations: on incidents, and on drills' exercise issues (told apart everywhere). */
export interface OpenCount {
  incidents: number;
  drills: number;
}

function openCounts(open: OpenInvocations['invocations']): Map<string, OpenCount> {
  const counts = new Map<string, OpenCount>();
  for (const { invocation } of open) {
    const count = counts.get(invocation.planId) ?? { incidents: 0, drills: 0 };
    if (invocation.isDrill) count.drills += 1;
    else count.incidents += 1;
    counts.set(invocation.planId, count);
  }
  return counts;
}

const NONE_OPEN: OpenCount = { incidents: 0, drills: 0 };

export function planRow(plan: ContinuityPlan, service: Service | undefined, people: ReadonlyMap<string, Person>, open: OpenCount, settings: Pick<ContinuitySettings, 'reviewCadence'>, now: number): PlanRow {
  const cadence = settings.reviewCadence ?? DEFAULT_REVIEW_CADENCE;
  const problems = planProblems(plan, people);
  const move = lastMove(plan, people);
  return {
    id: plan.id,
    title: plan.title,
    service: service
      ? { id: service.id, name: service.name, tier: service.tier, tierName: TIER_NAMES[service.tier], status: service.status === 'retired' ? 'retired' : 'active' }
      : { id: plan.serviceId, name: plan.serviceId, status: 'missing' },
    ...(plan.ownerAccountId ? { owner: people.get(plan.ownerAccountId) ?? { accountId: plan.ownerAccountId } } : {}),
    status: plan.status,
    ...(plan.lastReviewedAt !== undefined ? { lastReviewedAt: plan.lastReviewedAt } : {}),
    ...(plan.lastReviewedAt !== undefined && service ? { nextReviewDueAt: nextReviewDueAt(service.tier, plan.lastReviewedAt, cadence) } : {}),
    ...(plan.lastTestedAt !== undefined ? { lastTestedAt: plan.lastTestedAt } : {}),
    openInvocations: open.incidents,
    openDrills: open.drills,
    ...(plan.pageId && plan.pageUrl ? { page: { id: plan.pageId, url: plan.pageUrl, ...(plan.pageVersion !== undefined ? { version: plan.pageVersion } : {}) } } : {}),
    ...(problems ? { problems } : {}),
    ...(move ? { lastMove: move } : {}),
    stepCount: plan.steps.length,
    flags: planFlags(plan, service, now, cadence),
    ...(plan.updatedAt !== undefined ? { updatedAt: plan.updatedAt } : {}),
    ...findingsWaiting(plan),
  };
}

/** Tier 1 and 2 services without an approved plan: two queries of the `gap` listing. */
async function serviceGaps(deps: ConsoleDeps): Promise<{ gaps: ServiceGap[]; more: boolean }> {
  const tiers: Tier[] = [1, 2];
  const pages = await Promise.all(tiers.map((tier) => deps.catalogue.servicesByListing({ index: 'tierName', listing: 'gap', prefix: `${tier}:`, limit: GAPS_PER_TIER + 1 })));
  const gaps = pages.flatMap((page) => page.slice(0, GAPS_PER_TIER)).map(({ service }) => ({ id: service.id, name: service.name, tier: service.tier, tierName: TIER_NAMES[service.tier] }));
  return { gaps, more: pages.some((page) => page.length > GAPS_PER_TIER) };
}

export async function planRegistry(cursor: string | undefined, deps: ConsoleDeps): Promise<PlanRegistryPage> {
  const [settings, page] = await Promise.all([deps.store.getSettings(), deps.catalogue.planPage(PLAN_PAGE_SIZE, cursor)]);
  const [services, people, open, gaps] = await Promise.all([
    deps.catalogue.getServices(page.items.map((p) => p.serviceId)),
    peopleNamed([...new Set(page.items.flatMap(peopleOfPlan))], deps),
    openInvocations(deps),
    cursor ? Promise.resolve(undefined) : serviceGaps(deps),
  ]);
  const counts = openCounts(open.invocations);
  const now = deps.clock.now();
  return {
    items: page.items.map((plan) => planRow(plan, services.get(plan.serviceId), people, counts.get(plan.id) ?? NONE_OPEN, settings, now)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
    ...(gaps ? { gaps: gaps.gaps, gapsMore: gaps.more } : {}),
    openInvocations: { incidentsRead: open.incidentsRead, complete: open.complete },
    serverTime: now,
  };
}

/** Steps as the form shows them: one per line, "title — role — duration". */
export function stepsText(steps: readonly RecoveryStep[]): string {
  return steps.map((s) => [s.title, s.role, s.expectedMinutes > 0 ? formatDuration(s.expectedMinutes) : ''].filter((part) => part !== '').join(' — ')).join('\n');
}

export async function planDetail(id: string, deps: ConsoleDeps): Promise<PlanDetail> {
  const [plan, settings] = await Promise.all([deps.catalogue.getPlan(id), deps.store.getSettings()]);
  if (!plan) throw notFound('Plan', 'id');
  const [service, people, open] = await Promise.all([
    deps.catalogue.getService(plan.serviceId),
    peopleNamed(peopleOfPlan(plan), deps),
    openInvocations(deps),
  ]);
  return { ...planRow(plan, service, people, openCounts(open.invocations).get(plan.id) ?? NONE_OPEN, settings, deps.clock.now()), stepsText: stepsText(plan.steps), commsTemplateCount: plan.commsTemplates.length };
}

// ---- Saving a plan ----

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (YYYY-MM-DD, UTC) not after today; empty for none. */
const dateSchema = (label: string) =>
  z
    .unknown()
    .optional()
    .transform((input, ctx): number | null | undefined => {
      if (input === undefined) return undefined;
      if (input === null || input === '') return null;
      const m = typeof input === 'string' ? DATE.exec(input.trim()) : null;
      const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
      if (!m || Number.isNaN(at) || new Date(at).getUTCDate() !== Number(m[3])) {
        ctx.issues.push({ code: 'custom', input, message: `${label} must be a date such as 2026-03-31.` });
        return z.NEVER;
      }
      return at;
    });

const accountId = optionalVisibleText('Owner', 1, 128).check((ctx) => {
  if (ctx.value !== undefined && !/^[A-Za-z0-9:_-]+$/.test(ctx.value)) ctx.issues.push({ code: 'custom', input: ctx.value, message: 'Owner must be an Atlassian account id.' });
});

const oneLine = (label: string, max: number) =>
  visibleText(label, 1, max).check((ctx) => {
    if (/[\n\t]/.test(ctx.value)) ctx.issues.push({ code: 'custom', input: ctx.value, message: `${label} must be on one line.` });
  });

const stepSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9:._-]{1,80}$/, { error: 'A step id is 1–80 letters, digits or . _ - :' }).optional(),
  title: oneLine('A step', PLAN_LIMITS.stepLine),
  role: optionalVisibleText('A role', 1, 100).transform((r) => r ?? ''),
  expectedMinutes: z.number({ error: 'A step duration must be a number of minutes.' }).int().min(0).max(7 * 24 * 60).optional(),
});

const templateSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9:._-]{1,80}$/, { error: 'A template id is 1–80 letters, digits or . _ - :' }).optional(),
  name: oneLine('A template name', 100),
  audience: z.enum(['internal', 'public'], { error: 'A template audience is internal or public.' }),
  body: visibleText('A template', 1, PLAN_LIMITS.templateBody),
});

const planSchema = z.object(
  {
    serviceId: z.string({ error: 'Choose the service the plan is for.' }).trim().min(1, { error: 'Choose the service the plan is for.' }).max(200),
    title: oneLine('Title', PLAN_LIMITS.title),
    ownerAccountId: accountId,
    status: z.enum(['draft', 'in-review', 'approved', 'retired'], { error: 'Status must be draft, in review, approved or retired.' }),
    lastReviewedOn: dateSchema('Last review'),
    lastTestedOn: dateSchema('Last test'),
    pageUrl: z.string({ error: 'The plan page must be a link.' }).trim().max(2_000, { error: 'The plan page link is too long.' }).optional(),
    stepsText: z.string({ error: 'Steps must be text.' }).max(PLAN_LIMITS.steps * PLAN_LIMITS.stepLine, { error: 'Too many steps.' }).optional(),
    steps: z.array(stepSchema, { error: 'Steps must be a list.' }).max(PLAN_LIMITS.steps, { error: `At most ${PLAN_LIMITS.steps} steps.` }).optional(),
    commsTemplates: z.array(templateSchema, { error: 'Templates must be a list.' }).max(PLAN_LIMITS.templates, { error: `At most ${PLAN_LIMITS.templates} templates.` }).optional(),
  },
  { error: 'A plan must be an object.' },
);

/** The page id of a Confluence page URL on this site; refuses any other address. */
export function pageFromUrl(url: string, siteUrl: string | undefined): { pageId: string; pageUrl: string } {
  if (!siteUrl) throw invalidInput('The site address is unknown here, so the plan page cannot be checked.', 'pageUrl');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput('The plan page must be a link to a Confluence page on this site.', 'pageUrl');
  }
  const site = new URL(siteUrl);
  if (parsed.origin !== site.origin || !/^https?:$/.test(parsed.protocol)) throw invalidInput(`The plan page must be on this site (${site.origin}).`, 'pageUrl');
  const id = /^\/wiki\/spaces\/[^/]+\/pages\/(\d{1,20})(?:\/|$)/.exec(parsed.pathname)?.[1] ?? (parsed.pathname === '/wiki/pages/viewpage.action' ? parsed.searchParams.get('pageId') : null);
  if (!id || !/^\d{1,20}$/.test(id)) throw invalidInput('The plan page must be a Confluence page link (…/wiki/spaces/KEY/pages/123/…).', 'pageUrl');
  return { pageId: id, pageUrl: parsed.toString() };
}

function stepsFromText(text: string): RecoveryStep[] {
  const lines = text.split(/\r?\n/).map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim()).filter((line) => line !== '');
  if (lines.length > PLAN_LIMITS.steps) throw invalidInput(`At most ${PLAN_LIMITS.steps} steps.`, 'stepsText');
  const read = lines.map((line, index) => {
    if (line.length > PLAN_LIMITS.stepLine) throw invalidInput(`Step ${index + 1} is longer than ${PLAN_LIMITS.stepLine} characters.`, 'stepsText');
    const step = readStepLine(line);
    return { title: step.title, role: step.role ?? '', expectedMinutes: step.minutes ?? 0 };
  });
  return withStepIds(read);
}

function stepsFromList(steps: ReadonlyArray<z.output<typeof stepSchema>>): RecoveryStep[] {
  const generated = withStepIds(steps);
  const ids = new Set<string>();
  return steps.map((s, i) => {
    const id = s.id && !ids.has(s.id) ? s.id : generated[i]!.id;
    ids.add(id);
    return { id, title: s.title, role: s.role, expectedMinutes: s.expectedMinutes ?? 0 };
  });
}

function templatesFromList(templates: ReadonlyArray<z.output<typeof templateSchema>>): CommsTemplate[] {
  const generated = withTemplateIds(templates);
  return templates.map((t, i) => ({ id: t.id ?? generated[i]!.id, name: t.name, audience: t.audience, body: t.body }));
}

/** The plan without what the app read from its page: a plan bound to another page reads that one from scratch. */
function withoutPageReads(plan: ContinuityPlan): ContinuityPlan {
  const { pageVersion: _version, lastEdit: _edit, stepsProblem: _problem, pageProblems: _problems, ...rest } = plan;
  return rest;
}

/**
 * Creates or changes a plan record (a Service Continuity Manager). A plan keeps everything the form does
 * not show (what the app read from its page, its status history, review flags and reminders): the form's
 * fields are laid over the plan as stored now, read again under the plan's lock so a page read back
 * meanwhile is not undone. What the app read from the page is dropped only when the plan is bound to
 * another page. The steps of a plan with a page are the page's (edited in Confluence, read back); a status
 * move of such a plan goes through the plans service, so the page's status line and review history
 * follow; any other move is recorded with who and when too.
 * `siteUrl` is the context's: a plan page must be on this site (without it, no page can be given).
 */
export async function savePlan(input: SavePlanInput, actor: string, siteUrl: string | undefined, deps: ConsoleDeps): Promise<PlanDetail> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, 'change continuity plans', settings);
  const values = parseOrRefuse(planSchema, input?.plan, '', 'A plan must be an object.', 'plan');
  const now = deps.clock.now();
  for (const [field, at] of [['lastReviewedOn', values.lastReviewedOn], ['lastTestedOn', values.lastTestedOn]] as const) {
    if (typeof at === 'number' && at > now + DAY_MS) throw invalidInput(`${field === 'lastReviewedOn' ? 'Last review' : 'Last test'} cannot be in the future.`, field);
  }
  const current = await loadCatalogue(deps.catalogue);
  const existing = input.id === undefined ? undefined : current.plans.find((p) => p.id === input.id);
  if (input.id !== undefined && !existing) throw notFound('Plan', 'id');
  if (existing) checkUnchanged(existing, input.expectedUpdatedAt);
  const service = current.services.find((s) => s.id === values.serviceId);
  if (!service) throw invalidInput('No service with this id in the catalogue.', 'serviceId');
  if (service.status === 'retired' && existing?.serviceId !== service.id) throw invalidInput(`${service.name} is retired: give the plan to an active service.`, 'serviceId');
  const sameTitle = current.plans.find((p) => p.id !== existing?.id && p.status !== 'retired' && nameKey(p.title) === nameKey(values.title));
  if (sameTitle && values.status !== 'retired') throw conflict(`Another plan is already called ${sameTitle.title}.`, 'title');
  if (values.ownerAccountId && values.ownerAccountId !== existing?.ownerAccountId && !(await deps.jira.usersByIds([values.ownerAccountId])).has(values.ownerAccountId)) {
    throw invalidInput('Jira has no user with this account id that you can see.', 'ownerAccountId');
  }
  // The link as the form loaded it is no change (it may be written as Confluence wrote it, not as typed).
  const pageGiven = values.pageUrl === undefined || values.pageUrl === existing?.pageUrl ? undefined : values.pageUrl;
  const page = pageGiven === undefined ? undefined : pageGiven === '' ? { pageId: '', pageUrl: '' } : pageFromUrl(pageGiven, siteUrl);
  const rebound = page !== undefined && page.pageId !== (existing?.pageId ?? '');
  const pageId = page?.pageId ?? existing?.pageId ?? '';
  const stepsGiven = values.stepsText !== undefined ? stepsFromText(values.stepsText) : values.steps ? stepsFromList(values.steps) : undefined;
  if (existing?.pageId && pageId === existing.pageId && stepsGiven && !sameStepList(stepsGiven, existing.steps)) {
    throw invalidInput('The recovery steps of this plan are on its Confluence page: edit them there, and the app reads them back.', values.stepsText !== undefined ? 'stepsText' : 'steps');
  }
  const commsTemplates = values.commsTemplates ? templatesFromList(values.commsTemplates) : undefined;
  const date = (given: number | null | undefined, kept: number | undefined) => (given === undefined ? kept : (given ?? undefined));

  // A plan with a page moves through the plans service (checked and written to the page first, so a
  // refused move or a page that cannot be written leaves the plan as it was).
  const pagedMove = existing !== undefined && existing.pageId !== '' && !rebound && values.status !== existing.status;
  if (pagedMove) {
    moveStatus(existing, values.status, { accountId: actor, manager: true }, now, existing.status);
    const name = await deps.jira.currentUserName().catch(() => undefined);
    await changeStatus({ planId: existing.id, status: values.status, expected: existing.status }, { accountId: actor, ...(name ? { name } : {}) }, deps);
  }

  const compose = (stored: ContinuityPlan | undefined): ContinuityPlan => {
    const kept = stored ? (rebound ? withoutPageReads(stored) : stored) : undefined;
    const { ownerAccountId: _owner, lastReviewedAt: _reviewed, lastTestedAt: _tested, ...rest } = kept ?? ({} as Partial<ContinuityPlan>);
    const status = pagedMove ? (stored?.status ?? values.status) : values.status;
    const moved = stored === undefined || stored.status !== status;
    const lastReviewedAt = date(values.lastReviewedOn, stored?.lastReviewedAt);
    const lastTestedAt = date(values.lastTestedOn, stored?.lastTestedAt);
    return {
      ...rest,
      id: stored?.id ?? uniqueId(`plan-${service.id.replace(/^svc-/, '')}`, new Set(current.plans.map((p) => p.id))),
      serviceId: service.id,
      title: values.title,
      pageId,
      pageUrl: page?.pageUrl ?? stored?.pageUrl ?? '',
      ...(values.ownerAccountId ? { ownerAccountId: values.ownerAccountId } : {}),
      status,
      steps: stepsGiven ?? stored?.steps ?? [],
      commsTemplates: commsTemplates ?? stored?.commsTemplates ?? [],
      ...(moved ? { statusHistory: [...(stored?.statusHistory ?? []), { status, by: actor, at: now }].slice(-MAX_STATUS_HISTORY) } : {}),
      ...(lastReviewedAt !== undefined ? { lastReviewedAt } : {}),
      ...(lastTestedAt !== undefined ? { lastTestedAt } : {}),
      updatedAt: now,
      updatedBy: actor,
    };
  };

  if (!existing) {
    const plan = compose(undefined);
    await saveCatalogue({ plans: [plan] }, deps.catalogue, current, catalogueReporter(deps, settings.reviewCadence));
    return planDetail(plan.id, deps);
  }
  await withPlanLock(
    existing.id,
    deps,
    async () => {
      const stored = (await deps.catalogue.getPlan(existing.id)) ?? existing;
      await saveCatalogue({ plans: [compose(stored)] }, deps.catalogue, pagedMove || stored !== existing ? undefined : current, catalogueReporter(deps, settings.reviewCadence));
    },
    { waitMs: 5_000 },
  );
  return planDetail(existing.id, deps);
}

function sameStepList(a: readonly RecoveryStep[], b: readonly RecoveryStep[]): boolean {
  return a.length === b.length && a.every((s, i) => s.title === b[i]!.title && s.role === b[i]!.role && s.expectedMinutes === b[i]!.expectedMinutes);
}
