/**
 * Plans as Confluence pages through the workbench: the app's real functions, the local Forge runtime
 * (page events as Forge delivers them, the queue, the scheduler), and Confluence and Jira on their REST
 * paths. A service gets a plan page from the template, a person edits it through Confluence's REST API,
 * and a new P1 invokes the edited steps; broken steps are flagged; the app's writes race a person's
 * edit without losing either; duplicate and reordered events change nothing; hostile text stays text;
 * reminders come once per period; change requests flag plans; pages are adopted; the page's live state
 * shows only incidents the viewer may see; and Confluence disconnected is said plainly while incidents
 * keep working.
 */
import { PLAN_PAGE, PLAN_PAGE_MODULES, PLANS } from '../../src/contract/plans';
import { INJECTION_CASES } from '../../src/domain/pages/injection-corpus';
import { parsePlanPage } from '../../src/domain/pages/plan-parse';
import { adfProblem } from '../../workbench/products/confluence';
import { findUser, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { adfText, call, comments, panelFor, startWorkbench, VIEWER } from '../support/workbench';
import { addPlans, addServices, ALEX, CASEY, editPage, ok, onPage, pageAdf, planById, planOfService, planOfServiceNamed, raiseP1, saveSettings, withoutSteps, withSteps } from '../support/plans';

const DAY = 24 * 60 * 60_000;
let wb: Workbench;

const service = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  tier: 1 as const,
  rtoMinutes: 30,
  rpoMinutes: 5,
  ownerAccountId: CASEY.accountId,
  jsmServiceIds: [],
  dependsOn: [],
  components: [],
  labels: [id.replace(/^svc-/, '')],
  status: 'active' as const,
  ...extra,
});

beforeAll(async () => {
  ({ wb } = await startWorkbench());
  await saveSettings(wb, { planSpaceKey: 'CONT', changeIssueTypeNames: ['Change'] });
});
afterAll(async () => {
  await wb.stop();
});
afterEach(() => {
  wb.events.configure({ copies: 1, reorderWindow: 0 });
  wb.confluenceConnected = true;
});

async function newPlanPage(id: string, name: string, extra: Record<string, unknown> = {}) {
  await addServices([service(id, name, extra)]);
  const plan = await ok(onPage(wb, PLANS.createPage, { serviceId: id }));
  await wb.idle();
  return plan as { id: string; page: { id: string; url: string; version: number }; stepCount: number };
}

describe('a plan page from the template, edited in Confluence, invoked by the next P1', () => {
  it('publishes every section, reads a person\'s edit back, and a new P1\'s comment and panel show the edited steps (marked DRAFT)', async () => {
    const plan = await newPlanPage('svc-identity', 'Identity');
    const page = wb.confluence.page(plan.page.id)!;
    expect(page.title).toBe('Continuity plan: Identity');
    expect(page.representation).toBe('atlas_doc_format');
    const headings = pageAdf(wb, page.id).content.filter((n: any) => n.type === 'heading' && n.attrs.level === 2).map((n: any) => adfText(n));
    expect(headings).toEqual(['Scope and services', 'Objectives', 'Roles and contacts', 'Recovery steps', 'Communication plan', 'Vendors and dependencies', 'Review history']);
    // The template says where the live status macro goes (there is no documented way to insert it).
    expect(adfText(pageAdf(wb, page.id))).toContain('Continuity plan status');

    const version = await editPage(wb, page.id, withSteps([['1', 'Fail over the identity provider to eu-west-2', 'IAM on-call', '20 min'], ['2', 'Rotate the signing keys', 'Security engineer', '15 min']]), CASEY.accountId);
    const read = await planById(plan.id);
    expect(read).toMatchObject({ pageVersion: version, lastEdit: { version, by: CASEY.accountId } });
    expect(read!.steps.map((s) => s.title)).toEqual(['Fail over the identity provider to eu-west-2', 'Rotate the signing keys']);

    const issue = await raiseP1(wb, { summary: 'Nobody can sign in', labels: ['identity'] });
    const comment = (await comments(wb, issue.key)).map((c) => adfText(c.body)).join('\n');
    expect(comment).toContain('DRAFT plan');
    expect(comment).toContain('Fail over the identity provider to eu-west-2 (IAM on-call, ~20 min)');
    expect(comment).toContain('Rotate the signing keys');
    const panel = await panelFor(wb, issue);
    expect(panel.data.invocations[0].plan).toMatchObject({ title: 'Continuity plan: Identity', status: 'draft' });
    expect(panel.data.invocations[0].steps.map((s: { title: string }) => s.title)).toEqual(['Fail over the identity provider to eu-west-2', 'Rotate the signing keys']);
    expect(panel.data.invocations[0].planChanged).toBeUndefined();

    // Reworded during the incident: the panel says what changed, the checklist keeps what was invoked.
    await editPage(wb, page.id, withSteps([['1', 'Fail over the identity provider to eu-west-2', 'IAM on-call', '20 min'], ['2', 'Rotate the token signing keys', 'Security engineer', '15 min']]), CASEY.accountId);
    const during = (await panelFor(wb, issue)).data.invocations[0];
    expect(during.planChanged).toEqual({ stepCount: 2, added: 0, removed: 0, reworded: 1, retimed: 0, reordered: false });
    expect(during.steps.map((s: { title: string }) => s.title)).toEqual(['Fail over the identity provider to eu-west-2', 'Rotate the signing keys']);
  });

  it('keeps the last good steps when a person removes them, flagged with the version and the editor', async () => {
    const plan = await newPlanPage('svc-ledger', 'Ledger');
    const good = (await planById(plan.id))!.steps.map((s) => s.title);
    const version = await editPage(wb, plan.page.id, withoutSteps, CASEY.accountId);
    const flagged = (await planById(plan.id))!;
    expect(flagged.steps.map((s) => s.title)).toEqual(good);
    expect(flagged.stepsProblem).toEqual({ sinceVersion: version, editedBy: CASEY.accountId, editedByName: 'Casey Continuity', reason: 'no-steps-section' });
    const problems = await ok(onPage(wb, PLANS.problems, {}));
    expect(problems.problems).toContainEqual(expect.objectContaining({ planId: plan.id, kind: 'steps-unreadable', text: `The plan page has had no readable recovery steps since version ${version}, edited by Casey Continuity. Incidents get the last readable steps.` }));
    const issue = await raiseP1(wb, { summary: 'Ledger down', labels: ['ledger'] });
    expect((await panelFor(wb, issue)).data.invocations[0].steps.map((s: { title: string }) => s.title)).toEqual(good);
    // The macro on the page says so too.
    const status = await ok(onPage(wb, PLAN_PAGE.status, {}, { pageId: plan.page.id }));
    expect(status.stepsProblem).toContain(`since version ${version}, edited by Casey Continuity`);
  });
});

describe('the app writing a page while a person edits it', () => {
  it('loses neither: the person\'s steps and the app\'s status line and review history row are both on the page', async () => {
    const plan = await newPlanPage('svc-search', 'Search');
    let slipped = false;
    // The moment the app has read the page for its write, Casey saves an edit (Confluence answers the app 409).
    const listener = ({ product, request }: { product: string; request: { method: string; path: string; query: URLSearchParams } }) => {
      if (slipped || product !== 'confluence' || request.method !== 'GET' || request.path !== `/wiki/api/v2/pages/${plan.page.id}` || !request.query.get('body-format')) return;
      slipped = true;
      void editPage(wb, plan.page.id, withSteps([['1', 'Rebuild the search index from the snapshot', 'Search on-call', '45 min']]), CASEY.accountId, false);
    };
    wb.appCallListeners.add(listener);
    try {
      const moved = await ok(onPage(wb, PLANS.setStatus, { planId: plan.id, status: 'in-review', expected: 'draft' }));
      expect(moved.status).toBe('in-review');
    } finally {
      wb.appCallListeners.delete(listener);
    }
    await wb.idle();
    expect(slipped).toBe(true);
    const page = wb.confluence.page(plan.page.id)!;
    expect(page.version).toBe(3);
    const body = pageAdf(wb, plan.page.id);
    const parsed = parsePlanPage(body);
    expect(parsed.readable && parsed.steps.map((s) => s.title)).toEqual(['Rebuild the search index from the snapshot']);
    expect(JSON.stringify(body)).toContain('IN REVIEW');
    expect(adfText(body)).toContain('Status: In review');
    const stored = (await planById(plan.id))!;
    expect(stored).toMatchObject({ status: 'in-review', pageVersion: 3 });
    expect(stored.steps.map((s) => s.title)).toEqual(['Rebuild the search index from the snapshot']);
    expect(stored.statusHistory!.map((h) => [h.status, h.by])).toEqual([
      ['draft', ALEX.accountId],
      ['in-review', ALEX.accountId],
    ]);
  });

  it('approves by the owner or a manager only, with who and when', async () => {
    const plan = await newPlanPage('svc-mail', 'Mail');
    await ok(onPage(wb, PLANS.setStatus, { planId: plan.id, status: 'in-review' }));
    const refused = await onPage(wb, PLANS.setStatus, { planId: plan.id, status: 'approved' }, { accountId: VIEWER.accountId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const approved = await ok(onPage(wb, PLANS.setStatus, { planId: plan.id, status: 'approved', expected: 'in-review' }, { accountId: CASEY.accountId }));
    const before = wb.clock.now();
    expect(approved.statusHistory.at(-1)).toMatchObject({ status: 'approved', by: CASEY.accountId, byName: 'Casey Continuity' });
    expect(approved.statusHistory.at(-1).at).toBeLessThanOrEqual(before);
    expect(approved.statusHistory.at(-1).at).toBeGreaterThan(before - 60_000);
    expect(JSON.stringify(pageAdf(wb, plan.page.id))).toContain('APPROVED');
  });
});

describe('page events as Forge delivers them', () => {
  it('changes nothing for duplicate and reordered events: the plan ends on the newest version', async () => {
    const plan = await newPlanPage('svc-cdn', 'CDN');
    wb.events.configure({ copies: 2, reorderWindow: 3 });
    const writes = () => wb.runtime.invocationRecords().filter((r) => r.functionKey === 'on-page-event').flatMap((r) => r.calls).filter((c) => c.type === 'product' && c.op.startsWith('GET')).length;
    const before = writes();
    await editPage(wb, plan.page.id, withSteps([['1', 'Step one', 'Ops', '5 min']]), CASEY.accountId, false);
    await editPage(wb, plan.page.id, withSteps([['1', 'Step two', 'Ops', '5 min']]), CASEY.accountId, false);
    const last = await editPage(wb, plan.page.id, withSteps([['1', 'Step three', 'Ops', '5 min']]), CASEY.accountId, false);
    await wb.idle();
    const stored = (await planById(plan.id))!;
    expect(stored.pageVersion).toBe(last);
    expect(stored.steps.map((s) => s.title)).toEqual(['Step three']);
    // Six deliveries, newest first: the first read takes version 4; the others carry older or equal versions and read nothing.
    expect(writes() - before).toBeLessThanOrEqual(2);
    const deliveries = wb.events.deliveries.filter((d) => d.trigger === 'continuity-page-events').slice(-6);
    expect(deliveries).toHaveLength(6);
  });
});

describe('hostile text', () => {
  it('reaches the page only as text, through every field the template writes', async () => {
    const hostile = INJECTION_CASES.filter((c) => c.value.trim() !== '');
    for (const [i, c] of hostile.slice(0, 12).entries()) {
      const id = `svc-hostile-${i}`;
      await addServices([service(id, `${c.value.slice(0, 150)} #${i}`, { labels: [] })]);
      await addPlans([
        {
          id: `plan-hostile-${i}`,
          serviceId: id,
          title: `Hostile plan ${i}`,
          pageId: '',
          pageUrl: '',
          status: 'draft',
          steps: [{ id: 's1', title: c.value.slice(0, 300), role: c.value.slice(0, 100), expectedMinutes: 10 }],
          commsTemplates: [{ id: 't1', name: c.value.slice(0, 100), audience: 'internal', body: c.value }],
        },
      ]);
      const plan = await ok(onPage(wb, PLANS.createPage, { serviceId: id }));
      const body = pageAdf(wb, plan.page.id);
      expect(adfProblem(body)).toBeUndefined();
      expect(JSON.stringify(body)).not.toMatch(/"type":"(extension|bodiedExtension|inlineExtension|media|embedCard|inlineCard)"/);
      const html = await (await fetch(`${wb.siteUrl}/wiki/spaces/CONT/pages/${plan.page.id}`)).text();
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      expect(parsePlanPage(body).readable).toBe(true);
    }
  });
});

describe('review reminders', () => {
  it('posts one reminder per overdue period, mentioning the owner, even when the trigger runs three times at once', async () => {
    const plan = await newPlanPage('svc-backup', 'Backup');
    // Recorded from the page itself (the status box's "Mark reviewed"), as the plan owner.
    const reviewed = await ok(onPage(wb, PLAN_PAGE.markReviewed, {}, { pageId: plan.page.id, accountId: CASEY.accountId }));
    expect(reviewed).toMatchObject({ lastReviewedBy: CASEY.accountId, review: { kind: 'due' } });
    expect(await onPage(wb, PLAN_PAGE.markReviewed, {}, { pageId: plan.page.id, accountId: VIEWER.accountId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const run = () => wb.runtime.invokeScheduled('continuity-plan-pages');
    const reminders = () => wb.confluence.pageComments(plan.page.id).filter((c) => c.html.includes('Review reminder'));
    wb.clock.advance(91 * DAY);
    try {
      await Promise.all([run(), run(), run()]);
      expect(reminders()).toHaveLength(1);
      expect(reminders()[0].html).toContain(`data-account-id="${CASEY.accountId}"`);
      await run();
      expect(reminders()).toHaveLength(1);
      wb.clock.advance(90 * DAY);
      await Promise.all([run(), run()]);
      expect(reminders()).toHaveLength(2);
      expect((await planById(plan.id))!.reminders).toHaveLength(2);
    } finally {
      wb.clock.reset();
    }
  });
});

describe('change requests', () => {
  it('flag the plan of the service they affect: review due, on the registry and the page', async () => {
    const change = await raiseP1(wb, { summary: 'Upgrade the payment gateway', services: ['Payments'], issueType: 'Change' });
    const plan = (await planOfServiceNamed('Payments'))!;
    expect(plan.reviewDue).toMatchObject({ changeKeys: [change.key] });
    const problems = await ok(onPage(wb, PLANS.problems, {}));
    expect(problems.problems).toContainEqual(expect.objectContaining({ planId: plan.id, kind: 'review-due', text: `Review due: changed by ${change.key}` }));
    const status = await ok(onPage(wb, PLAN_PAGE.status, {}, { pageId: plan.pageId }));
    expect(status.review).toMatchObject({ kind: 'changed', text: `Review due: changed by ${change.key}` });
  });
});

describe('adopting a page', () => {
  it('from the page\'s content action: the page becomes the service\'s plan and its steps are read', async () => {
    await addServices([service('svc-dns', 'DNS')]);
    const space = (await call(wb, 'confluence', 'GET', '/wiki/api/v2/spaces?keys=CONT')).body as { results: Array<{ id: string }> };
    const body = { type: 'doc', version: 1, content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Runbook' }] }, { type: 'orderedList', attrs: { order: 1 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Switch to the secondary DNS provider — Network on-call — 10 min' }] }] }] }] };
    const created = await call(wb, 'confluence', 'POST', '/wiki/api/v2/pages', { spaceId: space.results[0].id, status: 'current', title: 'DNS runbook', body: { representation: 'atlas_doc_format', value: JSON.stringify(body) } }, CASEY.accountId);
    const pageId = (created.body as { id: string }).id;
    const options = await ok(onPage(wb, PLAN_PAGE.adoptOptions, {}, { pageId, moduleKey: PLAN_PAGE_MODULES.contentAction }));
    expect(options.canAdopt).toBe(true);
    expect(options.services.find((s: { id: string }) => s.id === 'svc-dns')).toEqual({ id: 'svc-dns', name: 'DNS', hasPlanPage: false });
    const refused = await onPage(wb, PLAN_PAGE.adopt, { serviceId: 'svc-dns' }, { pageId, moduleKey: PLAN_PAGE_MODULES.contentAction, accountId: VIEWER.accountId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const adopted = await ok(onPage(wb, PLAN_PAGE.adopt, { serviceId: 'svc-dns' }, { pageId, moduleKey: PLAN_PAGE_MODULES.contentAction }));
    expect(adopted).toMatchObject({ title: 'DNS runbook', status: 'draft', stepCount: 1, page: { id: pageId } });
    const issue = await raiseP1(wb, { summary: 'DNS resolution failing', labels: ['dns'] });
    expect((await panelFor(wb, issue)).data.invocations[0].steps.map((s: { title: string }) => s.title)).toEqual(['Switch to the secondary DNS provider']);
  });

  it('by its link on the console, refusing links to other sites', async () => {
    await addServices([service('svc-vpn', 'VPN')]);
    const space = (await call(wb, 'confluence', 'GET', '/wiki/api/v2/spaces?keys=CONT')).body as { results: Array<{ id: string }> };
    const created = await call(wb, 'confluence', 'POST', '/wiki/api/v2/pages', { spaceId: space.results[0].id, status: 'current', title: 'VPN recovery', body: { representation: 'storage', value: '<h2>Recovery steps</h2><ol><li>Restart the VPN concentrators — Network on-call — 15 min</li></ol>' } }, CASEY.accountId);
    const page = created.body as { id: string; _links: { webui: string } };
    const elsewhere = await onPage(wb, PLANS.adopt, { serviceId: 'svc-vpn', pageUrl: `https://elsewhere.example/wiki${page._links.webui}` });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'pageUrl' } });
    const adopted = await ok(onPage(wb, PLANS.adopt, { serviceId: 'svc-vpn', pageUrl: `${wb.siteUrl}/wiki${page._links.webui}` }));
    expect(adopted).toMatchObject({ title: 'VPN recovery', stepCount: 1 });
  });
});

describe('the live state on the plan page', () => {
  it('shows open incidents counting down, only those the viewer may see in Jira', async () => {
    const plan = (await planOfServiceNamed('Reporting'))!;
    const open = await raiseP1(wb, { summary: 'Reports are empty', services: ['Reporting'] });
    const secret = await raiseP1(wb, { summary: 'Reporting data exfiltrated', services: ['Reporting'], security: '10100' });
    const forAlex = await ok(onPage(wb, PLAN_PAGE.status, {}, { pageId: plan.pageId, accountId: ALEX.accountId }));
    expect(forAlex.openIncidents.map((i: { issueKey: string }) => i.issueKey)).toEqual(expect.arrayContaining([open.key, secret.key]));
    const forVic = await ok(onPage(wb, PLAN_PAGE.status, {}, { pageId: plan.pageId, accountId: VIEWER.accountId }));
    expect(forVic.openIncidents.map((i: { issueKey: string }) => i.issueKey)).toContain(open.key);
    expect(forVic.openIncidents.map((i: { issueKey: string }) => i.issueKey)).not.toContain(secret.key);
    const mine = forVic.openIncidents.find((i: { issueKey: string }) => i.issueKey === open.key);
    expect(mine).toMatchObject({ rtoMinutes: 1440, url: `${wb.siteUrl}/browse/${open.key}` });
    expect(mine.rtoDueAt).toBeGreaterThan(forVic.serverTime);
    // The byline's title, as Confluence asks for it (dynamic properties), counts what the viewer may see.
    const html = await (await fetch(`${wb.siteUrl}/wiki/spaces/CONT/pages/${plan.pageId}`, { headers: { cookie: `wb_user=${VIEWER.accountId}` } })).text();
    const byline = /<span class="byline-title">([^<]*)<\/span>/.exec(html)?.[1];
    expect(byline).toMatch(/^Continuity: Approved · RTO 24 h · \d+ open incidents?/);
    expect(findUser(VIEWER.accountId)?.jiraAdmin).toBe(false);
    expect(USERS).toContain(VIEWER);
  });
});

describe('bulk publishing', () => {
  it('publishes every service without a page through the queue, with progress the console can read', async () => {
    await addServices(Array.from({ length: 14 }, (_, i) => service(`svc-bulk-${i}`, `Bulk ${i}`, { labels: [] })));
    const started = await ok(onPage(wb, PLANS.publishAll, {}));
    expect(started.state).toBe('running');
    await wb.idle();
    const progress = await ok(onPage(wb, PLANS.publishProgress, { jobId: started.jobId }));
    expect(progress).toMatchObject({ state: 'done', processed: started.total, failed: [] });
    expect(progress.published).toBeGreaterThanOrEqual(14);
    for (let i = 0; i < 14; i++) expect((await planOfService(`svc-bulk-${i}`))!.pageId).toMatch(/^\d+$/);
    const consumers = wb.runtime.invocationRecords().filter((r) => r.functionKey === 'plan-publish-consumer');
    expect(consumers.length).toBeGreaterThanOrEqual(2); // batches of 10
  });
});

describe('Confluence disconnected', () => {
  it('says plainly that Confluence must be connected, while the catalogue and incidents keep working', async () => {
    await addServices([service('svc-queue', 'Message queue')]);
    const disconnect = await fetch(`${wb.siteUrl}/__workbench/api/confluence/connection`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connected: false }) });
    expect(await disconnect.json()).toEqual({ connected: false });
    const refused = await onPage(wb, PLANS.createPage, { serviceId: 'svc-queue' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLUENCE_NOT_CONNECTED' } });
    expect(!refused.ok && refused.error.message).toContain('Confluence must be connected');
    const state = await ok(onPage(wb, PLANS.confluence, {}));
    expect(state).toMatchObject({ connected: 'not-connected' });
    // Incidents are linked and commented as ever.
    const issue = await raiseP1(wb, { summary: 'Card payments failing again', services: ['Payments'] });
    const panel = (await panelFor(wb, issue)).data;
    expect(panel.status).toBe('invoked');
    expect(panel.confluenceNotConnected).toBe(true); // the panel says why the plan link cannot open
    expect(await comments(wb, issue.key)).toHaveLength(1);
    // The app's modules are not on Confluence's pages; people still edit them.
    const plan = (await planOfService('svc-identity'))!;
    const html = await (await fetch(`${wb.siteUrl}/wiki/spaces/CONT/pages/${plan.pageId}`)).text();
    expect(html).toContain('not connected to Confluence');
    expect(html).not.toContain('byline-title');
    const version = await editPage(wb, plan.pageId, withSteps([['1', 'Edited while the app was away', 'IAM on-call', '5 min']]), CASEY.accountId);
    expect((await planById(plan.id))!.pageVersion).toBeLessThan(version);
    // Connected again: publishing works, and the daily look at the pages reads the edit it missed.
    await fetch(`${wb.siteUrl}/__workbench/api/confluence/connection`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connected: true }) });
    expect((await panelFor(wb, issue)).data.confluenceNotConnected).toBeUndefined();
    expect(await ok(onPage(wb, PLANS.createPage, { serviceId: 'svc-queue' }))).toMatchObject({ status: 'draft' });
    await wb.runtime.invokeScheduled('continuity-plan-pages');
    const caughtUp = (await planById(plan.id))!;
    expect(caughtUp.pageVersion).toBe(version);
    expect(caughtUp.steps.map((s) => s.title)).toEqual(['Edited while the app was away']);
  });
});
