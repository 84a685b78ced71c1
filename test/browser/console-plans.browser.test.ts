/**
 * Plan pages from the plan registry in headless Chromium, as a Service Continuity Manager works: a plan
 * page created for a service from the registry and opened by its link; a teammate edits a step in
 * Confluence (its REST API, as another person); a P1 on the service shows the edited step in the panel
 * and its comment; the plan moves draft → in review → approved with who and when, its page following;
 * the page's problems and a change request show as flags until a review; a page adopted by its link;
 * every service without a page published at once with the progress shown; and with Confluence
 * disconnected the page says so, its plan-page controls are gone, and the catalogue works.
 */
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { CONSOLE_MODULE_KEY } from '../../src/contract/console';
import type { Workbench } from '../../workbench/workbench';
import { addIssuePanel, browserSuite } from '../support/browser';
import { addServices, ALEX, CASEY, editPage, pageAdf, planOfService, raiseP1, withoutSteps, withSteps } from '../support/plans';
import { call } from '../support/workbench';

let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s), {
  context: { viewport: { width: 1400, height: 1000 } },
  beforeEach: (s) => s.context.addCookies([{ name: 'wb_user', value: CASEY.accountId, domain: new URL(s.url).hostname, path: '/' }]),
  afterEach: (wb) => (wb.confluenceConnected = true),
});

const service = (id: string, name: string, tier: 1 | 2 | 3 = 1) => ({ id, name, tier, rtoMinutes: 30, rpoMinutes: 5, ownerAccountId: CASEY.accountId, jsmServiceIds: [], dependsOn: [], components: [], labels: [id.replace(/^svc-/, '')], status: 'active' as const });

/** The Service continuity page on its Plans tab, with the resolver keys it invokes. */
async function openRegistry(): Promise<{ page: Page; app: FrameLocator; invokes: string[] }> {
  const page = await context.newPage();
  const invokes: string[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/__forge/bridge')) return;
    const body = JSON.parse(request.postData() ?? '{}') as { type?: string; payload?: { functionKey?: string } };
    if (body.type === 'invoke') invokes.push(body.payload?.functionKey ?? '');
  });
  await page.goto(`${url}/jira/apps/${CONSOLE_MODULE_KEY}`);
  const app = page.frameLocator('iframe[title="Service continuity"]');
  await app.getByRole('heading', { name: 'Service continuity', level: 1 }).waitFor();
  await app.getByRole('tab', { name: 'Plans' }).click();
  await app.getByTestId('plan-table').waitFor();
  return { page, app, invokes };
}

const today = () => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(wb.clock.now());

describe('a plan page from the registry', () => {
  beforeAll(async () => {
    await addServices([service('svc-identity', 'Identity')]);
  });

  test('is created for a service, opened by its link, edited by a teammate in Confluence, and a P1 shows the edited step in the panel and the comment', async () => {
    const { app } = await openRegistry();
    // Identity is a Tier 1 service without an approved plan: the gaps offer its page.
    await app.getByTestId('gaps').getByRole('button', { name: 'Create plan page for Identity' }).click();
    await app.getByTestId('notice').getByText('Published the plan page Continuity plan: Identity.').waitFor();
    const row = app.locator('tr[data-plan="plan-identity"]');
    await row.getByText('Draft', { exact: true }).waitFor();
    expect(await row.getByTestId('status-moved').textContent()).toBe(`Draft by Casey Continuity on ${today()}`);
    await row.getByText('7 steps').waitFor();

    // The link opens the page in Confluence (a new tab).
    const [tab] = await Promise.all([context.waitForEvent('page'), row.getByRole('link', { name: 'Plan page' }).click()]);
    await tab.waitForLoadState();
    expect(await tab.textContent('#page-title')).toBe('Continuity plan: Identity');
    await tab.getByText('Confirm the outage and invoke this plan').first().waitFor();

    // Alex edits the steps in Confluence, as a person saves a page (its REST API, his own account).
    const plan = (await planOfService('svc-identity'))!;
    await editPage(wb, plan.pageId, withSteps([['1', 'Fail over the identity provider to eu-west-2', 'IAM on-call', '20 min'], ['2', 'Rotate the signing keys', 'Security engineer', '15 min']]), ALEX.accountId);
    await tab.reload();
    await tab.getByText('Fail over the identity provider to eu-west-2').first().waitFor();

    // A P1 on Identity: the panel has the edited steps, marked DRAFT, and so has the app's comment.
    const issue = await raiseP1(wb, { summary: 'Nobody can sign in', labels: ['identity'] });
    const incident = await context.newPage();
    await incident.goto(`${url}/browse/${issue.key}`);
    const panel = await addIssuePanel(incident, 'Service continuity');
    await panel.getByTestId('plan-title').getByText('Continuity plan: Identity').waitFor();
    await panel.getByText('Fail over the identity provider to eu-west-2').waitFor();
    await panel.getByText('Rotate the signing keys').waitFor();
    expect(await panel.getByTestId('step').count()).toBe(2);
    expect(await panel.getByTestId('plan-draft').innerText()).toBe('DRAFT');
    const activity = incident.locator('#activity');
    await activity.getByText('Fail over the identity provider to eu-west-2 (IAM on-call, ~20 min)').waitFor();
    await activity.getByText('DRAFT plan').waitFor();
  });

  test('moves draft → in review → approved with who and when, and the page\'s status line follows', async () => {
    const { app } = await openRegistry();
    const row = app.locator('tr[data-plan="plan-identity"]');
    await row.getByRole('button', { name: 'Send for review: Continuity plan: Identity' }).click();
    await app.getByTestId('notice').getByText('Continuity plan: Identity is in review now.').waitFor();
    expect(await row.getByTestId('status-moved').textContent()).toBe(`In review by Casey Continuity on ${today()}`);
    await row.getByRole('button', { name: 'Approve: Continuity plan: Identity' }).click();
    await app.getByTestId('notice').getByText('Continuity plan: Identity is approved now.').waitFor();
    await row.locator('.lozenge', { hasText: 'Approved' }).waitFor();
    expect(await row.getByTestId('status-moved').textContent()).toBe(`Approved by Casey Continuity on ${today()}`);
    // An approved plan can go back for review or be retired, not be approved again.
    expect(await row.getByRole('button', { name: /^Approve:/ }).count()).toBe(0);
    await row.getByRole('button', { name: 'Review again: Continuity plan: Identity' }).waitFor();

    const plan = (await planOfService('svc-identity'))!;
    const page = await context.newPage();
    await page.goto(`${url}/wiki/spaces/CONT/pages/${plan.pageId}`);
    await page.locator('.page-body').getByText('Plan status: APPROVED').waitFor();
    await page.locator('.page-body').getByText('Status: Approved', { exact: true }).waitFor();
    await page.getByText(/^Continuity: Approved · /).waitFor();
  });

  test('shows the page\'s problems and a change request as flags, until the steps read again and a review is recorded', async () => {
    const plan = (await planOfService('svc-identity'))!;
    const before = pageAdf(wb, plan.pageId);
    await editPage(wb, plan.pageId, withoutSteps, ALEX.accountId);
    const version = (await planOfService('svc-identity'))!.stepsProblem!.sinceVersion;
    const change = await raiseP1(wb, { summary: 'Replace the identity provider\'s certificates', labels: ['identity'], issueType: 'Change' });

    const { app } = await openRegistry();
    const row = app.locator('tr[data-plan="plan-identity"]');
    expect(await row.getByTestId('plan-flags').locator('.lozenge').allTextContents()).toEqual(expect.arrayContaining(['Steps unreadable', 'Review due']));
    expect(await row.getByTestId('plan-problems').locator('li').allTextContents()).toEqual([
      `The plan page has had no readable recovery steps since version ${version}, edited by Alex Agent. Incidents get the last readable steps.`,
      `Review due: changed by ${change.key}`,
    ]);

    // Alex puts the steps back (the page as it was), and Casey records a review.
    await editPage(wb, plan.pageId, () => before, ALEX.accountId);
    await row.getByRole('button', { name: 'Mark reviewed: Continuity plan: Identity' }).click();
    await app.getByTestId('notice').getByText('Recorded a review of Continuity plan: Identity.').waitFor();
    await row.getByText('2 steps').waitFor();
    expect(await row.getByTestId('plan-problems').count()).toBe(0);
    expect(await row.getByTestId('plan-flags').locator('.lozenge').allTextContents()).not.toEqual(expect.arrayContaining(['Review due']));
  });
});

describe('many plan pages', () => {
  test('a page is adopted by its link, then every other service without one is published at once, with the progress shown', async () => {
    await addServices([service('svc-wifi', 'Office Wi-Fi', 2), ...Array.from({ length: 12 }, (_, i) => service(`svc-batch-${i + 1}`, `Batch service ${String(i + 1).padStart(2, '0')}`, 3))]);
    const space = (await call(wb, 'confluence', 'GET', '/wiki/api/v2/spaces?keys=CONT')).body as { results: Array<{ id: string }> };
    const created = await call(wb, 'confluence', 'POST', '/wiki/api/v2/pages', { spaceId: space.results[0]!.id, status: 'current', title: 'Wi-Fi outage runbook', body: { representation: 'storage', value: '<h2>Recovery steps</h2><ol><li>Fail over to the backup controller — Network on-call — 20 min</li><li>Tell the office — Facilities — 5 min</li></ol>' } }, CASEY.accountId);
    const runbook = created.body as { id: string; _links: { webui: string } };

    const { app, invokes } = await openRegistry();
    const gap = app.getByTestId('gaps').locator('li', { hasText: 'Office Wi-Fi' });
    await gap.getByRole('button', { name: 'Adopt a page for Office Wi-Fi' }).click();
    await gap.getByLabel('Link of the Confluence page that is the plan of Office Wi-Fi').fill(`${wb.siteUrl}/wiki${runbook._links.webui}`);
    await gap.getByTestId('adopt-submit').click();
    await app.getByTestId('notice').getByText('Wi-Fi outage runbook is now the plan page of Office Wi-Fi; its steps were read.').waitFor();
    expect((await planOfService('svc-wifi'))!.steps.map((s) => s.title)).toEqual(['Fail over to the backup controller', 'Tell the office']);

    await app.getByTestId('publish-all').click();
    const progress = app.getByTestId('publish-progress');
    await progress.waitFor();
    await app.locator('[data-testid="publish-progress"][data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await progress.textContent()).toContain('Publishing finished: 12 of 12 services (12 pages published, 0 skipped, 0 failed).');
    // The registry lists them once the job is done.
    await app.locator('tr[data-plan="plan-batch-12"]').getByRole('link', { name: 'Plan page' }).waitFor();
    for (let i = 1; i <= 12; i++) expect((await planOfService(`svc-batch-${i}`))?.pageId).toMatch(/^\d+$/);
    // The progress came from plans/publish-progress while the job ran.
    expect(invokes).toContain('plans/publish-all');
    expect(invokes.filter((k) => k === 'plans/publish-progress').length).toBeGreaterThanOrEqual(1);
  });
});

describe('Confluence disconnected', () => {
  test('the page says so plainly, its plan-page controls are gone, and the catalogue keeps working', async () => {
    await addServices([service('svc-vpn', 'VPN')]);
    await fetch(`${url}/__workbench/api/confluence/connection`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connected: false }) });
    const { app } = await openRegistry();
    const state = app.getByTestId('confluence-state');
    await state.waitFor();
    expect(await state.textContent()).toMatch(/^Confluence is not connected\. Confluence must be connected to this app for plan pages/);
    await app.getByTestId('plan-table').waitFor();
    for (const control of ['publish-all', 'create-plan-page', 'adopt-page', 'mark-reviewed']) expect(await app.getByTestId(control).count()).toBe(0);
    // Plans with a page cannot move without it; the list and the plan records work as ever.
    expect(await app.locator('tr[data-plan="plan-payments"]').getByRole('button', { name: /^(Review again|Retire|Mark reviewed):/ }).count()).toBe(0);
    await app.getByTestId('add-plan').click();
    await app.getByTestId('plan-form').waitFor();
    await app.getByTestId('back-to-plans').click();
    await app.getByRole('tab', { name: 'Services' }).click();
    await app.getByRole('button', { name: 'VPN', exact: true }).waitFor();
  });
});
