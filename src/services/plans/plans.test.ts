/**
 * Plans as Confluence pages, against the typed fakes: publishing from the template, reading edits back
 * idempotently, broken steps kept and flagged, the app's writes racing a person's edit, the lifecycle
 * with who and when, reminders once per period under concurrent runs, change requests flagging plans,
 * bulk publishing through the queue, adopting pages, the live status a page shows, and Confluence not
 * connected.
 */
import type { ResolverError } from '../../contract/errors';
import type { ContinuityPlan } from '../../domain/catalogue';
import { ContinuityError } from '../../domain/errors';
import { INJECTION_CASES } from '../../domain/pages/injection-corpus';
import { parsePlanPage } from '../../domain/pages/plan-parse';
import { DAY_MS } from '../../domain/plans/review';
import { adfErrors } from '../../domain/pages/adf-testing';
import { linkIncident } from '../link-incident';
import { asUser, fakeDeps, FULL_PERMISSIONS, type FakeDeps } from '../testing/fakes';
import { SITE } from '../testing/confluence-fakes';
import { deliver, LEDGER, PAYMENTS, plan, ready, REPORTING, service } from '../testing/fixtures';
import { adoptPage, adoptPageByAddress } from './adopt';
import { publishBatch, publishProgress, startPublishing } from './bulk';
import { flagPlansForChange } from './change-requests';
import { changeStatus, markPlanReviewed } from './lifecycle';
import { planPageStatus, bylineProperties } from './live-status';
import { planProblems } from './problems';
import { createPlanPage } from './publish';
import { refreshFromPage } from './read-back';
import { sendReviewReminders } from './reminders';
import { resyncPlanPages } from './resync';

const MANAGER = { accountId: 'manager-1', name: 'Casey Continuity' };
const OWNER = { accountId: 'owner-1', name: 'Olga Owner' };
const STRANGER = { accountId: 'stranger-1', name: 'Sam Stranger' };

let deps: FakeDeps;

beforeEach(async () => {
  deps = fakeDeps();
  const space = deps.confluence.addSpace('CONT', 'Service Continuity');
  await ready(deps, { services: [PAYMENTS, LEDGER, REPORTING], plans: [] }, { planSpaceKey: space.key });
  deps.jira.setUser(MANAGER.accountId, { name: MANAGER.name, permissions: FULL_PERMISSIONS, admin: true });
  deps.jira.setUser(OWNER.accountId, { name: OWNER.name, permissions: FULL_PERMISSIONS });
  deps.jira.setUser(STRANGER.accountId, { name: STRANGER.name, permissions: FULL_PERMISSIONS });
});

const as = (user: { accountId: string }) => asUser(deps, user.accountId);

async function refusal(work: Promise<unknown>): Promise<ResolverError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ContinuityError) return error.toResolverError();
    throw error;
  }
  throw new Error('Expected a refusal.');
}

const planOf = async (serviceId: string): Promise<ContinuityPlan> => (await deps.catalogue.plansForService(serviceId))[0];
/** What the incident trigger would invoke for a service: its match entry's plan. */
const invokedSteps = async (serviceId: string) => (await deps.store.lookupMatches([{ kind: 'service', value: serviceId }])).get(`service:${serviceId}`)?.[0]?.plan?.steps.map((s) => s.title);

/** A person edits the steps table of the page: the step rows become `rows`. */
function withSteps(rows: string[][]) {
  return (body: any) => {
    const table = body.content.find((n: any, i: number) => n.type === 'table' && body.content.slice(0, i).some((h: any) => h.type === 'heading' && h.content?.[0]?.text === 'Recovery steps'));
    const cell = (textValue: string) => ({ type: 'tableCell', content: [{ type: 'paragraph', content: textValue ? [{ type: 'text', text: textValue }] : [] }] });
    table.content = [table.content[0], ...rows.map((row) => ({ type: 'tableRow', content: row.map(cell) }))];
    return body;
  };
}

const dropStepsSection = (body: any) => {
  const at = body.content.findIndex((n: any) => n.type === 'heading' && n.content?.[0]?.text === 'Recovery steps');
  body.content.splice(at, 3);
  return body;
};

describe('publishing a plan page', () => {
  it('creates the page from the template with every section, as a draft owned by the service owner, and incidents invoke its steps', async () => {
    const view = await createPlanPage('payments', MANAGER, as(MANAGER));
    const plan = await planOf('payments');
    const page = deps.confluence.latest(plan.pageId);
    expect(adfErrors(page.body)).toEqual([]);
    const headings = (page.body as any).content.filter((n: any) => n.type === 'heading' && n.attrs.level === 2).map((n: any) => n.content[0].text);
    expect(headings).toEqual(['Scope and services', 'Objectives', 'Roles and contacts', 'Recovery steps', 'Communication plan', 'Vendors and dependencies', 'Review history']);
    expect(page.title).toBe('Continuity plan: Payments');
    expect(view).toMatchObject({ status: 'draft', page: { id: plan.pageId, version: 1 }, stepCount: 7 });
    expect(plan.statusHistory).toEqual([{ status: 'draft', by: MANAGER.accountId, at: deps.clock.now() }]);
    expect(await invokedSteps('payments')).toEqual(plan.steps.map((s) => s.title));
    expect(plan.steps[0].title).toBe('Confirm the outage and invoke this plan');
  });

  it('is a Service Continuity Manager\'s, needs a plan space, and refuses a second page', async () => {
    expect(await refusal(createPlanPage('payments', STRANGER, as(STRANGER)))).toMatchObject({ code: 'FORBIDDEN' });
    await deps.store.putSettings({ ...(await deps.store.getSettings()), planSpaceKey: undefined });
    expect(await refusal(createPlanPage('payments', MANAGER, as(MANAGER)))).toMatchObject({ code: 'INVALID_INPUT', field: 'planSpaceKey' });
    await deps.store.putSettings({ ...(await deps.store.getSettings()), planSpaceKey: 'CONT' });
    await createPlanPage('payments', MANAGER, as(MANAGER));
    expect(await refusal(createPlanPage('payments', MANAGER, as(MANAGER)))).toMatchObject({ code: 'CONFLICT', field: 'serviceId' });
  });

  it('binds the page an interrupted attempt created instead of creating another', async () => {
    const first = await createPlanPage('ledger', MANAGER, as(MANAGER));
    const pages = deps.confluence.pages.size;
    // The first attempt's page exists but its plan was lost (the invocation died before saving it).
    deps.store.storage.plans.delete('plan-ledger');
    const again = await createPlanPage('ledger', MANAGER, as(MANAGER));
    expect(again.page?.id).toBe(first.page?.id);
    expect(deps.confluence.pages.size).toBe(pages);
    // A page of that title someone else wrote is theirs: adopt it rather than overwrite or duplicate it.
    deps.store.storage.plans.delete('plan-ledger');
    deps.confluence.edit(first.page!.id, (b) => b, 'person-2');
    expect(await refusal(createPlanPage('ledger', MANAGER, as(MANAGER)))).toMatchObject({ code: 'CONFLICT', field: 'serviceId' });
  });

  it('writes every hostile string as text: service names, plan steps and templates, the publisher\'s name', async () => {
    for (const [i, c] of INJECTION_CASES.entries()) {
      const id = `svc-x${i}`;
      const svc = service(id, { name: c.value.trim() === '' ? `blank ${i}` : `${c.value} ${i}`.slice(0, 200) });
      const seeded = plan(`plan-x${i}`, id, {
        title: `Plan ${i}`,
        pageId: '',
        pageUrl: '',
        steps: [{ id: 's', title: c.value.trim() === '' ? 'step' : c.value.slice(0, 300), role: c.value.slice(0, 100) || 'role', expectedMinutes: 5 }],
        commsTemplates: [{ id: 't', name: c.value.slice(0, 100) || 'name', audience: 'internal', body: c.value }],
      });
      await ready(deps, { services: [svc], plans: [seeded] });
      await createPlanPage(id, { ...MANAGER, name: c.value }, as(MANAGER));
      const stored = await planOf(id);
      const body = deps.confluence.latest(stored.pageId).body as any;
      expect(adfErrors(body)).toEqual([]);
      const json = JSON.stringify(body);
      // No node a person's text could have opened: only the template's own node types.
      const types = new Set<string>();
      const walk = (n: any) => {
        if (!n || typeof n !== 'object') return;
        if (typeof n.type === 'string') types.add(n.type);
        (n.content ?? []).forEach(walk);
        (n.marks ?? []).forEach((m: any) => types.add(`mark:${m.type}`));
      };
      walk(body);
      expect([...types].filter((t) => !['doc', 'paragraph', 'text', 'heading', 'table', 'tableRow', 'tableHeader', 'tableCell', 'bulletList', 'listItem', 'status', 'mark:strong'].includes(t))).toEqual([]);
      expect(json).not.toContain('"extension"');
      expect(parsePlanPage(body).readable).toBe(true);
    }
  });
});

describe('reading a page back', () => {
  let pageId: string;

  beforeEach(async () => {
    await createPlanPage('payments', MANAGER, as(MANAGER));
    pageId = (await planOf('payments')).pageId;
  });

  it('takes a person\'s edit: the plan, and what a new incident invokes, have the edited steps', async () => {
    deps.confluence.edit(pageId, withSteps([['1', 'Fail over to eu-west-2', 'DBA', '20 min'], ['2', 'Verify card payments', 'Payments on-call', '10 min']]), 'editor-kai');
    expect(await refreshFromPage(pageId, deps, 2)).toMatchObject({ kind: 'read', version: 2 });
    const plan = await planOf('payments');
    expect(plan.steps.map((s) => [s.title, s.role, s.expectedMinutes])).toEqual([['Fail over to eu-west-2', 'DBA', 20], ['Verify card payments', 'Payments on-call', 10]]);
    expect(plan.lastEdit).toMatchObject({ version: 2, by: 'editor-kai' });
    expect(await invokedSteps('payments')).toEqual(['Fail over to eu-west-2', 'Verify card payments']);
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    await deliver(deps);
    expect(deps.store.peek(issue.id)!.invocations[0].plan.steps.map((s) => s.title)).toEqual(['Fail over to eu-west-2', 'Verify card payments']);
  });

  it('changes nothing, and reads nothing, for a duplicate or an older event', async () => {
    deps.confluence.edit(pageId, withSteps([['1', 'Step A', 'DBA', '5 min']]));
    deps.confluence.edit(pageId, withSteps([['1', 'Step B', 'DBA', '5 min']]));
    expect(await refreshFromPage(pageId, deps, 3)).toMatchObject({ kind: 'read', version: 3 });
    const reads = deps.confluence.count('getPage');
    const writes = deps.store.ops.count({ method: 'writeCatalogue' });
    expect(await refreshFromPage(pageId, deps, 3)).toEqual({ kind: 'already-read', planId: 'plan-payments' });
    expect(await refreshFromPage(pageId, deps, 2)).toEqual({ kind: 'already-read', planId: 'plan-payments' });
    expect(deps.confluence.count('getPage')).toBe(reads);
    expect(deps.store.ops.count({ method: 'writeCatalogue' })).toBe(writes);
    expect((await planOf('payments')).steps.map((s) => s.title)).toEqual(['Step B']);
  });

  it('applies the page as it is now when two events race, never an older version over a newer one', async () => {
    deps.confluence.edit(pageId, withSteps([['1', 'Step A', 'DBA', '5 min']]));
    const first = refreshFromPage(pageId, deps, 2);
    deps.confluence.edit(pageId, withSteps([['1', 'Step B', 'DBA', '5 min']]));
    const second = refreshFromPage(pageId, deps, 3);
    await Promise.all([first.catch(() => undefined), second.catch(() => undefined)]);
    // Whatever order they ran in, the plan ends on version 3's steps (a lost lock is retried by Forge).
    await refreshFromPage(pageId, deps, 3);
    expect(await planOf('payments')).toMatchObject({ pageVersion: 3 });
    expect((await planOf('payments')).steps.map((s) => s.title)).toEqual(['Step B']);
  });

  it('keeps the last good steps when the steps are removed, flagged in the registry until they read again', async () => {
    const good = (await planOf('payments')).steps;
    deps.confluence.setName('editor-kai', 'Kai Editor');
    deps.confluence.edit(pageId, dropStepsSection, 'editor-kai');
    expect(await refreshFromPage(pageId, deps)).toMatchObject({ kind: 'steps-unreadable', version: 2 });
    const flagged = await planOf('payments');
    expect(flagged.steps).toEqual(good);
    // The editor's name is kept with the problem: the incident panel shows it without asking Confluence.
    expect(flagged.stepsProblem).toEqual({ sinceVersion: 2, editedBy: 'editor-kai', editedByName: 'Kai Editor', reason: 'no-steps-section' });
    expect(await invokedSteps('payments')).toEqual(good.map((s) => s.title));
    const { problems } = await planProblems(deps);
    expect(problems).toContainEqual(expect.objectContaining({ planId: 'plan-payments', kind: 'steps-unreadable', text: 'The plan page has had no readable recovery steps since version 2, edited by Kai Editor. Incidents get the last readable steps.' }));
  });

  it('reads back, the next day, an edit whose event never came; unchanged pages cost one read without the body', async () => {
    deps.confluence.edit(pageId, withSteps([['1', 'Edited, event lost', 'DBA', '5 min']]));
    const reads = deps.confluence.calls.length;
    expect(await resyncPlanPages(deps)).toMatchObject({ checked: 1, read: 1 });
    expect((await planOf('payments')).steps.map((s) => s.title)).toEqual(['Edited, event lost']);
    const after = deps.confluence.calls.length;
    expect(after - reads).toBe(2); // the version, then the body
    await resyncPlanPages(deps);
    expect(deps.confluence.calls.slice(after).map((c) => [c.method, (c.args[1] as { body?: boolean } | undefined)?.body ?? false])).toEqual([['getPage', false]]);
  });

  it('ignores pages that are not plans', async () => {
    const other = deps.confluence.addPage([...deps.confluence.pages.values()][0].spaceId, 'Team lunch', { type: 'doc', version: 1, content: [] });
    expect(await refreshFromPage(other.id, deps, 1)).toEqual({ kind: 'not-a-plan' });
  });
});

describe('the app writing a page a person is editing', () => {
  it('keeps both: the person\'s steps and the app\'s status line and review history row', async () => {
    await createPlanPage('payments', MANAGER, as(MANAGER));
    const pageId = (await planOf('payments')).pageId;
    let slipped = false;
    deps.confluence.onBeforeUpdate = () => {
      if (slipped) return;
      slipped = true;
      deps.confluence.edit(pageId, withSteps([['1', 'Person\'s new step', 'DBA', '15 min']]), 'editor-kai');
    };
    const view = await changeStatus({ planId: 'plan-payments', status: 'in-review' }, MANAGER, as(MANAGER));
    const page = deps.confluence.latest(pageId);
    expect(page.number).toBe(3); // 1 published, 2 the person's, 3 the app's re-applied on top
    const parsed = parsePlanPage(page.body);
    expect(parsed.readable && parsed.steps.map((s) => s.title)).toEqual(['Person\'s new step']);
    const text = JSON.stringify(page.body);
    expect(text).toContain('IN REVIEW');
    expect(text).toContain('Status: In review');
    expect(view.status).toBe('in-review');
    expect((await planOf('payments')).steps.map((s) => s.title)).toEqual(['Person\'s new step']);
    expect(await invokedSteps('payments')).toEqual(['Person\'s new step']);
  });
});

describe('lifecycle and review', () => {
  beforeEach(async () => {
    await ready(deps, { services: [PAYMENTS], plans: [] }, { planSpaceKey: 'CONT' });
    await createPlanPage('payments', MANAGER, as(MANAGER));
    const plan = await planOf('payments');
    await deps.catalogue.writeCatalogue({ plans: [{ ...plan, ownerAccountId: OWNER.accountId }] });
  });

  it('moves draft → in review → approved with who and when; the owner may approve, a stranger may not', async () => {
    const t0 = deps.clock.now();
    await changeStatus({ planId: 'plan-payments', status: 'in-review' }, MANAGER, as(MANAGER));
    deps.clock.advance(60_000);
    expect(await refusal(changeStatus({ planId: 'plan-payments', status: 'approved' }, STRANGER, as(STRANGER)))).toMatchObject({ code: 'FORBIDDEN' });
    const approved = await changeStatus({ planId: 'plan-payments', status: 'approved', expected: 'in-review' }, OWNER, as(OWNER));
    expect(approved.statusHistory.map((h) => [h.status, h.by, h.at])).toEqual([
      ['draft', MANAGER.accountId, t0],
      ['in-review', MANAGER.accountId, t0],
      ['approved', OWNER.accountId, t0 + 60_000],
    ]);
    expect(await refusal(changeStatus({ planId: 'plan-payments', status: 'retired', expected: 'in-review' }, MANAGER, as(MANAGER)))).toMatchObject({ code: 'CONFLICT' });
    const match = (await deps.store.lookupMatches([{ kind: 'service', value: 'payments' }])).get('service:payments')![0];
    expect(match.plan?.status).toBe('approved');
  });

  it('records a review explicitly (an edit alone does not), with a row on the page, clearing a change flag', async () => {
    const pageId = (await planOf('payments')).pageId;
    deps.confluence.edit(pageId, withSteps([['1', 'Edited', 'DBA', '5 min']]));
    await refreshFromPage(pageId, deps);
    expect((await planOf('payments')).lastReviewedAt).toBeUndefined();
    await deps.store.putSettings({ ...(await deps.store.getSettings()), changeIssueTypeNames: ['Change'] });
    const change = deps.jira.addIssue({ key: 'CHG-7', issueType: 'Change', affectedServices: ['jsm-payments'] });
    await flagPlansForChange(change.id, deps, { issueTypeName: 'Change' });
    expect(await refusal(markPlanReviewed('plan-payments', STRANGER, as(STRANGER)))).toMatchObject({ code: 'FORBIDDEN' });
    const reviewed = await markPlanReviewed('plan-payments', OWNER, as(OWNER));
    expect(reviewed.lastReviewedAt).toBe(deps.clock.now());
    expect(reviewed.reviewDue).toBeUndefined();
    expect(JSON.stringify(deps.confluence.latest(pageId).body)).toContain('Reviewed after CHG-7');
    expect(parsePlanPage(deps.confluence.latest(pageId).body)).toMatchObject({ readable: true });
  });

  it('refuses to change a plan with a page while Confluence is not connected, saying so', async () => {
    deps.confluence.connected = false;
    expect(await refusal(changeStatus({ planId: 'plan-payments', status: 'in-review' }, MANAGER, as(MANAGER)))).toMatchObject({ code: 'CONFLUENCE_NOT_CONNECTED' });
    expect((await planOf('payments')).status).toBe('draft');
  });
});

describe('review reminders', () => {
  beforeEach(async () => {
    await ready(deps, { services: [PAYMENTS], plans: [] }, { planSpaceKey: 'CONT' });
    await createPlanPage('payments', MANAGER, as(MANAGER));
    const plan = await planOf('payments');
    await deps.catalogue.writeCatalogue({ plans: [{ ...plan, ownerAccountId: OWNER.accountId, lastReviewedAt: deps.clock.now() }] });
  });

  const comments = async () => deps.confluence.pages.get((await planOf('payments')).pageId)!.comments;

  it('posts one reminder per overdue period mentioning the owner, even when two runs overlap', async () => {
    deps.clock.advance(89 * DAY_MS);
    expect((await sendReviewReminders(deps)).posted).toBe(0);
    deps.clock.advance(2 * DAY_MS);
    const runs = await Promise.all([sendReviewReminders(deps), sendReviewReminders(deps), sendReviewReminders(deps)]);
    expect(runs.map((r) => r.posted).reduce((a, b) => a + b)).toBe(1);
    expect(await comments()).toHaveLength(1);
    expect(JSON.stringify((await comments())[0].body)).toContain(`"id":"${OWNER.accountId}"`);
    deps.clock.advance(30 * DAY_MS);
    await sendReviewReminders(deps);
    expect(await comments()).toHaveLength(1);
    deps.clock.advance(60 * DAY_MS); // the second period
    await Promise.all([sendReviewReminders(deps), sendReviewReminders(deps)]);
    expect(await comments()).toHaveLength(2);
    expect((await planOf('payments')).reminders?.map((r) => r.period.split(':')[1])).toEqual(['1', '2']);
  });

  it('tries again on the next run when the comment could not be posted, still once', async () => {
    deps.clock.advance(91 * DAY_MS);
    deps.confluence.fail('addFooterComment');
    expect((await sendReviewReminders(deps)).failed).toHaveLength(1);
    expect(await comments()).toHaveLength(0);
    await sendReviewReminders(deps);
    await sendReviewReminders(deps);
    expect(await comments()).toHaveLength(1);
  });

  it('does nothing, quietly, while Confluence is not connected', async () => {
    deps.clock.advance(91 * DAY_MS);
    deps.confluence.connected = false;
    expect(await sendReviewReminders(deps)).toMatchObject({ confluence: 'not-connected', posted: 0 });
  });
});

describe('change requests', () => {
  beforeEach(async () => {
    await createPlanPage('payments', MANAGER, as(MANAGER));
    await deps.store.putSettings({ ...(await deps.store.getSettings()), changeIssueTypeNames: ['Change'] });
  });

  it('flag the plans of the services they affect, once per change request, shown in words', async () => {
    const change = deps.jira.addIssue({ key: 'CHG-1', issueType: 'Change', affectedServices: ['jsm-payments'] });
    expect(await flagPlansForChange(change.id, deps, { issueTypeName: 'Change' })).toEqual({ kind: 'flagged', issueKey: 'CHG-1', planIds: ['plan-payments'] });
    await flagPlansForChange(change.id, deps, { issueTypeName: 'Change' });
    expect((await planOf('payments')).reviewDue).toEqual({ changeKeys: ['CHG-1'], since: deps.clock.now() });
    const status = await planPageStatus((await planOf('payments')).pageId, { accountId: MANAGER.accountId, siteUrl: SITE }, as(MANAGER));
    expect(status.kind === 'plan' && status.review.text).toBe('Review due: changed by CHG-1');
  });

  it('cost nothing beyond the settings for other issues, and leave plans of unaffected services alone', async () => {
    const incident = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    deps.jira.resetCalls();
    expect(await flagPlansForChange(incident.id, deps, { issueTypeName: 'Incident' })).toEqual({ kind: 'not-a-change-request' });
    expect(deps.jira.calls).toHaveLength(0);
    const change = deps.jira.addIssue({ key: 'CHG-2', issueType: 'Change', affectedServices: ['jsm-ledger'] });
    expect(await flagPlansForChange(change.id, deps, { issueTypeName: 'Change' })).toMatchObject({ kind: 'flagged', planIds: [] });
    expect((await planOf('payments')).reviewDue).toBeUndefined();
  });
});

describe('bulk publishing', () => {
  /** A site whose catalogue is exactly `services`. */
  async function site(services: ReturnType<typeof service>[]): Promise<void> {
    deps = fakeDeps();
    deps.confluence.addSpace('CONT', 'Service Continuity');
    await ready(deps, { services, plans: [] }, { planSpaceKey: 'CONT' });
    deps.jira.setUser(MANAGER.accountId, { name: MANAGER.name, permissions: FULL_PERMISSIONS, admin: true });
    deps.jira.setUser(STRANGER.accountId, { name: STRANGER.name, permissions: FULL_PERMISSIONS });
  }

  async function drain(): Promise<void> {
    for (let event = deps.planQueue.take(); event; event = deps.planQueue.take()) await publishBatch(event, deps).catch(() => undefined);
  }

  it('publishes every service without a page in batches through the queue, with progress', async () => {
    const many = Array.from({ length: 23 }, (_, i) => service(`bulk-${i}`, { name: `Bulk service ${i}` }));
    await site([PAYMENTS, ...many]);
    await createPlanPage('payments', MANAGER, as(MANAGER));
    const started = await startPublishing({}, MANAGER, as(MANAGER));
    expect(started).toMatchObject({ state: 'running', total: 23, processed: 0 });
    expect(deps.planQueue.events).toEqual([{ jobId: started.jobId, from: 0 }]);
    await drain();
    expect(await publishProgress(undefined, deps)).toMatchObject({ state: 'done', total: 23, processed: 23, published: 23, skipped: 0, failed: [] });
    for (const s of many) expect((await planOf(s.id)).pageId).not.toBe('');
    expect(await invokedSteps('bulk-22')).toHaveLength(7);
  });

  it('does no harm when an event is delivered twice, and resumes a batch that failed', async () => {
    const many = Array.from({ length: 12 }, (_, i) => service(`bulk-${i}`, { name: `Bulk service ${i}` }));
    await site(many);
    const started = await startPublishing({}, MANAGER, as(MANAGER));
    const event = deps.planQueue.take()!;
    // The first delivery fails part-way (Confluence down), is retried, and a duplicate arrives as well.
    deps.confluence.fail('createPage', undefined, 1);
    await expect(publishBatch(event, deps)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await Promise.all([publishBatch(event, deps), publishBatch(event, deps)]);
    await drain();
    const progress = await publishProgress(started.jobId, deps);
    expect(progress).toMatchObject({ state: 'done', processed: 12, published: 12 });
    const titles = [...deps.confluence.pages.values()].map((p) => p.versions[0].title).filter((t) => t.startsWith('Continuity plan: Bulk'));
    expect(new Set(titles).size).toBe(12);
    expect(titles).toHaveLength(12);
  });

  it('is a manager\'s and needs Confluence', async () => {
    expect(await refusal(startPublishing({}, STRANGER, as(STRANGER)))).toMatchObject({ code: 'FORBIDDEN' });
    deps.confluence.connected = false;
    expect(await refusal(startPublishing({}, MANAGER, as(MANAGER)))).toMatchObject({ code: 'CONFLUENCE_NOT_CONNECTED' });
  });
});

describe('adopting a page', () => {
  const body = { type: 'doc', version: 1, content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Runbook' }] }, { type: 'orderedList', attrs: { order: 1 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Restart the ledger — DBA — 10 min' }] }] }] }] };

  it('binds an existing page by its link and reads its steps', async () => {
    const spaceId = [...deps.confluence.pages.values()][0].spaceId;
    const page = deps.confluence.addPage(spaceId, 'Ledger runbook', body);
    const view = await adoptPageByAddress({ serviceId: 'ledger', pageUrl: `${SITE}/wiki/spaces/CONT/pages/${page.id}/Ledger+runbook` }, SITE, MANAGER, as(MANAGER));
    expect(view).toMatchObject({ title: 'Ledger runbook', status: 'draft', page: { id: page.id, version: 1 }, stepCount: 1 });
    expect(await invokedSteps('ledger')).toEqual(['Restart the ledger']);
    // Again for the same service: the same plan; for another service: refused.
    await adoptPage({ serviceId: 'ledger', pageId: page.id }, MANAGER, as(MANAGER));
    expect(await deps.catalogue.plansForService('ledger')).toHaveLength(1);
    expect(await refusal(adoptPage({ serviceId: 'reporting', pageId: page.id }, MANAGER, as(MANAGER)))).toMatchObject({ code: 'CONFLICT', field: 'pageUrl' });
  });

  it('refuses pages the person cannot see, other sites, and non-managers', async () => {
    const spaceId = [...deps.confluence.pages.values()][0].spaceId;
    const page = deps.confluence.addPage(spaceId, 'Secret runbook', body);
    deps.confluence.setOperations(MANAGER.accountId, page.id, []);
    expect(await refusal(adoptPage({ serviceId: 'ledger', pageId: page.id }, MANAGER, as(MANAGER)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(adoptPageByAddress({ serviceId: 'ledger', pageUrl: 'https://elsewhere.example/wiki/spaces/X/pages/1' }, SITE, MANAGER, as(MANAGER)))).toMatchObject({ code: 'INVALID_INPUT', field: 'pageUrl' });
    expect(await refusal(adoptPage({ serviceId: 'ledger', pageId: page.id }, STRANGER, as(STRANGER)))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the live status on the page', () => {
  it('shows current values and only the open incidents the viewer may see in Jira', async () => {
    await createPlanPage('payments', MANAGER, as(MANAGER));
    const pageId = (await planOf('payments')).pageId;
    const visible = deps.jira.addIssue({ key: 'OPS-1', affectedServices: ['jsm-payments'] });
    const hidden = deps.jira.addIssue({ key: 'SEC-1', affectedServices: ['jsm-payments'] });
    for (const issue of [visible, hidden]) await linkIncident(issue.id, deps, { issueKey: issue.key });
    await deliver(deps);
    deps.jira.failNext('permissionsOfCurrentUser', { status: 404 }, { times: Infinity, when: (key) => key === 'SEC-1' });
    const status = await planPageStatus(pageId, { accountId: STRANGER.accountId, siteUrl: SITE }, as(STRANGER));
    expect(status.kind).toBe('plan');
    if (status.kind !== 'plan') return;
    expect(status.openIncidents.map((i) => i.issueKey)).toEqual(['OPS-1']);
    expect(status.openIncidents[0]).toMatchObject({ url: `${SITE}/browse/OPS-1`, rtoMinutes: 60 });
    expect(status.plan).toMatchObject({ status: 'draft', draft: true });
    expect(bylineProperties(status).title).toBe('Continuity: Draft · RTO 1 h · 1 open incident');
    expect(status.openIncidents[0].drill).toBe(false);
    // A drill's exercise issue is listed apart, never counted as an incident.
    const withDrill = { ...status, openIncidents: [...status.openIncidents, { ...status.openIncidents[0], issueKey: 'OPS-9', drill: true }] };
    expect(bylineProperties(withDrill).title).toBe('Continuity: Draft · RTO 1 h · 1 open incident · a drill running');
    // Jira not answering: no incident shown, and the page says why.
    deps.jira.failNext('permissionsOfCurrentUser', { status: 503 }, { times: Infinity });
    const unknown = await planPageStatus(pageId, { accountId: STRANGER.accountId, siteUrl: SITE }, as(STRANGER));
    expect(unknown.kind === 'plan' && [unknown.openIncidents.length, Boolean(unknown.incidentsUnknown)]).toEqual([0, true]);
  });

  it('tells a page that is not a plan how to become one', async () => {
    const other = deps.confluence.addPage([...deps.confluence.pages.values()][0].spaceId, 'Notes', { type: 'doc', version: 1, content: [] });
    const status = await planPageStatus(other.id, { accountId: MANAGER.accountId, siteUrl: SITE }, as(MANAGER));
    expect(status).toMatchObject({ kind: 'not-a-plan', canAdopt: true });
    expect(status.kind === 'not-a-plan' && status.message).toContain('Use as continuity plan');
    // The byline shows on every page of the site: for one that is not a plan it asks Jira nothing.
    deps.jira.resetCalls();
    const byline = bylineProperties(await planPageStatus(other.id, { accountId: MANAGER.accountId, siteUrl: SITE }, as(MANAGER), { forByline: true }));
    expect(byline.title).toBe('Service continuity');
    expect(deps.jira.calls).toHaveLength(0);
  });
});

describe('Confluence not connected', () => {
  it('refuses plan pages in plain words while the catalogue and incidents keep working', async () => {
    deps.confluence.connected = false;
    const refused = await refusal(createPlanPage('payments', MANAGER, as(MANAGER)));
    expect(refused.code).toBe('CONFLUENCE_NOT_CONNECTED');
    expect(refused.message).toContain('Confluence must be connected');
    await ready(deps, { services: [PAYMENTS], plans: [plan('plan-payments', 'payments', { pageId: '', pageUrl: '' })] });
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    expect((await linkIncident(issue.id, deps, { issueKey: issue.key })).kind).toBe('linked');
    expect(deps.confluence.calls).toHaveLength(0);
  });
});
