/**
 * The plan registry and the console's plan form with plans that are Confluence pages, against the typed
 * fakes: a form save keeps what the page gave the plan (and drops it only when the plan moves to another
 * page), a status move of a plan with a page goes through the plans service (the page's status line and
 * review history follow), the page's steps are not overwritten from the form, and the registry shows the
 * plan pages' problems and the last move with who and when.
 */
import type { ResolverError } from '../contract/errors';
import type { ContinuityPlan } from '../domain/catalogue';
import { ContinuityError } from '../domain/errors';
import { flagForChange } from '../domain/plans/review';
import { asUser, fakeDeps, FULL_PERMISSIONS, type FakeDeps } from './testing/fakes';
import { SITE } from './testing/confluence-fakes';
import { LEDGER, PAYMENTS, ready, REPORTING } from './testing/fixtures';
import { planDetail, planRegistry, savePlan } from './catalogue-plans';
import { saveCatalogue } from './catalogue';
import { createPlanPage } from './plans/publish';
import { refreshFromPage } from './plans/read-back';

const MANAGER = { accountId: 'manager-1', name: 'Casey Continuity' };
const KAI = { accountId: 'editor-kai', name: 'Kai Editor' };

let deps: FakeDeps;

beforeEach(async () => {
  deps = fakeDeps();
  const space = deps.confluence.addSpace('CONT', 'Service Continuity');
  await ready(deps, { services: [PAYMENTS, LEDGER, REPORTING], plans: [] }, { planSpaceKey: space.key });
  deps.jira.setUser(MANAGER.accountId, { name: MANAGER.name, permissions: FULL_PERMISSIONS, admin: true });
  deps.jira.setUser(KAI.accountId, { name: KAI.name, permissions: FULL_PERMISSIONS });
  deps.confluence.setName(KAI.accountId, KAI.name);
});

const manager = () => asUser(deps, MANAGER.accountId);
const stored = async (id: string): Promise<ContinuityPlan> => (await deps.catalogue.getPlan(id))!;

async function refusal(work: Promise<unknown>): Promise<ResolverError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ContinuityError) return error.toResolverError();
    throw error;
  }
  throw new Error('Expected a refusal.');
}

const dropStepsSection = (body: any) => {
  const at = body.content.findIndex((n: any) => n.type === 'heading' && n.content?.[0]?.text === 'Recovery steps');
  body.content.splice(at, 3);
  return body;
};

/** A plan page for Payments whose steps Kai removed (flagged), and a change request flag on top. */
async function brokenPlanPage(): Promise<ContinuityPlan> {
  await createPlanPage('payments', MANAGER, manager());
  const plan = (await deps.catalogue.plansForService('payments'))[0]!;
  deps.confluence.edit(plan.pageId, dropStepsSection, KAI.accountId);
  await refreshFromPage(plan.pageId, deps);
  const flagged = flagForChange(await stored(plan.id), 'CHG-12', deps.clock.now());
  await saveCatalogue({ plans: [flagged] }, deps.catalogue);
  return stored(plan.id);
}

/** The form as the console sends it for `plan`, with `change` on top. */
function form(plan: ContinuityPlan, change: Record<string, unknown> = {}) {
  return { id: plan.id, expectedUpdatedAt: plan.updatedAt, plan: { serviceId: plan.serviceId, title: plan.title, ownerAccountId: plan.ownerAccountId, status: plan.status, lastReviewedOn: '', lastTestedOn: '', pageUrl: plan.pageUrl, ...change } };
}

describe('the console\'s plan form on a plan with a page', () => {
  it('keeps what the page gave the plan: the version read, the last edit, the steps problem, the history and the review flag', async () => {
    const before = await brokenPlanPage();
    expect(before).toMatchObject({ pageVersion: 2, lastEdit: { version: 2, by: KAI.accountId }, stepsProblem: { sinceVersion: 2, editedBy: KAI.accountId, editedByName: KAI.name }, reviewDue: { changeKeys: ['CHG-12'] } });
    const tested = new Date(deps.clock.now() - 10 * 24 * 60 * 60_000).toISOString().slice(0, 10);
    await savePlan(form(before, { title: 'Payments recovery', lastTestedOn: tested }) as never, MANAGER.accountId, SITE, manager());
    const after = await stored(before.id);
    expect(after.title).toBe('Payments recovery');
    expect(after.lastTestedAt).toBe(Date.parse(tested));
    expect(after).toMatchObject({ pageId: before.pageId, pageVersion: 2, lastEdit: before.lastEdit, stepsProblem: before.stepsProblem, statusHistory: before.statusHistory, reviewDue: before.reviewDue, steps: before.steps, commsTemplates: before.commsTemplates });
  });

  it('reads another page from scratch once the plan is bound to it: what was read from the old page is dropped', async () => {
    const before = await brokenPlanPage();
    const other = deps.confluence.addPage(deps.confluence.pages.get(before.pageId)!.spaceId, 'Payments runbook', { type: 'doc', version: 1, content: [] });
    await savePlan(form(before, { pageUrl: `${SITE}/wiki/spaces/CONT/pages/${other.id}/Payments+runbook` }) as never, MANAGER.accountId, SITE, manager());
    const after = await stored(before.id);
    expect(after.pageId).toBe(other.id);
    expect(after.pageVersion).toBeUndefined();
    expect(after.lastEdit).toBeUndefined();
    expect(after.stepsProblem).toBeUndefined();
    // The plan's own history stays: it is the same plan on another page.
    expect(after.statusHistory).toEqual(before.statusHistory);
    expect(after.reviewDue).toEqual(before.reviewDue);
  });

  it('moves the status through the plans service: the page\'s status line and review history follow, with who and when', async () => {
    await createPlanPage('payments', MANAGER, manager());
    const plan = (await deps.catalogue.plansForService('payments'))[0]!;
    deps.clock.advance(60_000);
    await savePlan(form(plan, { status: 'in-review' }) as never, MANAGER.accountId, SITE, manager());
    const page = deps.confluence.latest(plan.pageId);
    expect(page.number).toBe(2);
    const text = JSON.stringify(page.body);
    expect(text).toContain('IN REVIEW');
    expect(text).toContain('Status: In review');
    const after = await stored(plan.id);
    expect(after.status).toBe('in-review');
    expect(after.pageVersion).toBe(2);
    expect(after.statusHistory!.map((h) => [h.status, h.by, h.at])).toEqual([
      ['draft', MANAGER.accountId, plan.statusHistory![0]!.at],
      ['in-review', MANAGER.accountId, deps.clock.now()],
    ]);
  });

  it('refuses a move the lifecycle does not allow, next to the status, and saves nothing', async () => {
    await createPlanPage('payments', MANAGER, manager());
    const plan = (await deps.catalogue.plansForService('payments'))[0]!;
    expect(await refusal(savePlan(form(plan, { status: 'approved', title: 'Renamed' }) as never, MANAGER.accountId, SITE, manager()))).toMatchObject({ code: 'INVALID_INPUT', field: 'status' });
    expect(await stored(plan.id)).toEqual(plan);
    expect(deps.confluence.latest(plan.pageId).number).toBe(1);
  });

  it('leaves the steps to the page: steps typed into the form are refused, the page\'s steps stay', async () => {
    await createPlanPage('payments', MANAGER, manager());
    const plan = (await deps.catalogue.plansForService('payments'))[0]!;
    expect(await refusal(savePlan(form(plan, { stepsText: 'Reboot everything — Ops — 5m' }) as never, MANAGER.accountId, SITE, manager()))).toMatchObject({ code: 'INVALID_INPUT', field: 'stepsText' });
    expect((await stored(plan.id)).steps).toEqual(plan.steps);
  });

  it('records who moved a plan without a page, and when', async () => {
    await savePlan({ plan: { serviceId: 'ledger', title: 'Ledger restore', status: 'draft' } } as never, MANAGER.accountId, SITE, manager());
    const plan = (await deps.catalogue.plansForService('ledger'))[0]!;
    deps.clock.advance(5_000);
    await savePlan(form(plan, { status: 'approved' }) as never, MANAGER.accountId, SITE, manager());
    expect((await stored(plan.id)).statusHistory!.map((h) => [h.status, h.by])).toEqual([
      ['draft', MANAGER.accountId],
      ['approved', MANAGER.accountId],
    ]);
  });
});

describe('the registry', () => {
  it('flags unreadable steps and a review due after a change, in words, and names who last moved the plan and when', async () => {
    const plan = await brokenPlanPage();
    const page = await planRegistry(undefined, manager());
    const row = page.items.find((r) => r.id === plan.id)!;
    expect(row.flags).toEqual(expect.arrayContaining(['steps-unreadable', 'review-due']));
    expect(row.problems).toEqual([
      { flag: 'steps-unreadable', text: 'The plan page has had no readable recovery steps since version 2, edited by Kai Editor. Incidents get the last readable steps.' },
      { flag: 'review-due', text: 'Review due: changed by CHG-12' },
    ]);
    expect(row.lastMove).toEqual({ status: 'draft', by: { accountId: MANAGER.accountId, displayName: MANAGER.name }, at: plan.statusHistory![0]!.at });
    expect(row.page).toMatchObject({ id: plan.pageId, version: 2 });
    const detail = await planDetail(plan.id, manager());
    expect(detail.problems).toEqual(row.problems);
  });
});
