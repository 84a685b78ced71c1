/**
 * Closing the loop in headless Chromium. A postmortem: an incident worked and recovered on its panel,
 * "Publish postmortem", the page in Confluence with RTO achieved against target and each step's actual
 * against expected time; a person edits it, it is published again, one page keeps the edit, and the
 * plan page shows the findings once.
 * A drill end to end, as people run one: a Service Continuity Manager schedules a
 * fail-over test of the Payments plan on the Drills tab; a participant runs it, opens the exercise issue
 * (DRILL on its panel), works the checklist and declares recovery; the report is published like a
 * postmortem, the drill shows its result against the RTO, and the plan's "last tested" is today.
 * Nothing is posted publicly: the public reply is refused, and every comment on the issue is internal.
 */
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { CONSOLE_MODULE_KEY } from '../../src/contract/console';
import { DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { addIssuePanel, browserSuite } from '../support/browser';
import { call, comments, createIncident, invokedIds } from '../support/workbench';

const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;

let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s), {
  context: { viewport: { width: 1400, height: 1000 } },
  setUp: async (wb) => {
    const load = (await wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/load' }, { extension: { type: 'jira:adminPage' } }, DEFAULT_USER.accountId)) as any;
    await wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/save', payload: { settings: { ...load.data.settings, postmortemSpaceKey: 'CONT', drillProjectKey: 'OPS' } } }, { extension: { type: 'jira:adminPage' } }, DEFAULT_USER.accountId);
  },
});

async function open(path: string, accountId: string): Promise<Page> {
  await context.addCookies([{ name: 'wb_user', value: accountId, domain: new URL(url).hostname, path: '/' }]);
  const page = await context.newPage();
  await page.goto(`${url}${path}`);
  return page;
}

async function consoleTab(page: Page, tab: string): Promise<FrameLocator> {
  const app = page.frameLocator('iframe[title="Service continuity"]');
  await app.getByRole('heading', { name: 'Service continuity', level: 1 }).waitFor();
  await app.getByRole('tab', { name: tab }).click();
  return app;
}

test('a postmortem: publish, see RTO achieved against target and steps actual against expected, edit, publish again, findings once', async () => {
  const issue = await createIncident(wb, { summary: 'Card payments failing', priorityId: '1', services: ['Payments'] });
  const ids = await invokedIds(wb, issue);
  const page = await open(`/browse/${issue.key}`, DEFAULT_USER.accountId);
  let panel = await addIssuePanel(page, 'Service continuity');
  await panel.getByTestId('countdown').waitFor();
  await panel.getByRole('button', { name: /^Done: step 1,/ }).click();
  await panel.locator(`[data-step="${ids.steps[0]}"][data-status="done"]`).waitFor();
  await panel.getByRole('button', { name: /^Skip: step 2,/ }).click();
  await panel.getByLabel('Why skip this step?').fill('The secondary region was already serving');
  await panel.getByRole('button', { name: 'Skip step' }).click();
  await panel.locator(`[data-step="${ids.steps[1]}"][data-status="skipped"]`).waitFor();
  // While the incident runs, publishing is offered as a draft of the incident so far.
  expect(await panel.getByTestId('postmortem').textContent()).toContain('Published now, it is a draft of the incident so far');
  await panel.getByTestId('declare-recovered').click();
  await panel.getByTestId('confirm').click();
  await panel.getByTestId('recovery-result').waitFor();
  expect(await panel.getByTestId('postmortem').textContent()).not.toContain('Published now, it is a draft');

  await panel.getByTestId('postmortem-impact').fill('Card payments failed for a few minutes.');
  await panel.getByTestId('publish-postmortem').click();
  await panel.getByTestId('postmortem-done').waitFor();
  // When it was published, as every time in the panel: day, time and the viewer's offset.
  expect(await panel.getByTestId('postmortem').textContent()).toMatch(/published \d{1,2} \w{3}, \d\d:\d\d GMT/);
  const href = (await panel.getByTestId('postmortem-link').getAttribute('href'))!;
  const pageId = /\/pages\/(\d+)/.exec(href)![1];

  const view = await open(new URL(href).pathname, DEFAULT_USER.accountId);
  const body = view.locator('.page-body');
  await body.waitFor();
  const rto = await body.locator('table', { hasText: 'RTO target' }).locator('tr').nth(1).locator('td').allTextContents();
  expect(rto.slice(0, 4)).toEqual(['Payments', '1 h', rto[2], rto[3]]);
  expect(rto[3]).toMatch(/^Met, /);
  const steps = await body.locator('table', { hasText: 'Expected' }).locator('tr').allTextContents();
  expect(steps[1]).toContain('Done');
  expect(steps[1]).toContain('5 min'); // expected
  expect(steps[2]).toContain('Skipped: The secondary region was already serving');

  // A person writes lessons on the page (Confluence's REST, as them).
  const read = (await call(wb, 'confluence', 'GET', `/wiki/api/v2/pages/${pageId}?body-format=atlas_doc_format`)).body as any;
  const adf = JSON.parse(read.body.atlas_doc_format.value);
  const lessons = adf.content.findIndex((n: any) => n.type === 'heading' && n.content?.[0]?.text === 'Lessons');
  adf.content.splice(lessons + 1, 1, { type: 'paragraph', content: [{ type: 'text', text: 'Practise the fail-over monthly.' }] });
  const put = await call(wb, 'confluence', 'PUT', `/wiki/api/v2/pages/${pageId}`, { id: pageId, status: 'current', title: read.title, body: { representation: 'atlas_doc_format', value: JSON.stringify(adf) }, version: { number: read.version.number + 1 } }, CASEY.accountId);
  expect(put.status).toBe(200);

  await page.reload();
  panel = await addIssuePanel(page, 'Service continuity');
  await panel.getByTestId('publish-postmortem').click();
  await panel.getByTestId('postmortem-done').waitFor();
  expect(await panel.getByTestId('postmortem-link').getAttribute('href')).toBe(href);
  await view.reload();
  expect(await view.locator('.page-body').textContent()).toContain('Practise the fail-over monthly.');
  expect(await view.getByRole('navigation', { name: 'Breadcrumbs' }).textContent()).toContain('version 3');

  // The plan page: the findings once, mentioning the owner, linking the postmortem.
  const plan = (await wb.runtime.invokeResolver('continuity-console', { functionKey: 'console/plans/get', payload: { id: 'plan-payments' } }, { extension: { type: 'jira:globalPage' } }, CASEY.accountId)) as any;
  const planPage = await open(new URL(plan.data.page.url).pathname, DEFAULT_USER.accountId);
  const found = planPage.locator('.page-comments li.comment');
  await found.first().waitFor();
  expect(await found.count()).toBe(1);
  expect(await found.first().textContent()).toContain(`Findings from the postmortem of ${issue.key}`);
  // The owner's mention shows who it is, as Confluence shows a mention by its account.
  expect(await found.first().locator('.wb-mention').textContent()).toBe('@Casey Continuity');
  expect(await found.first().locator(`a[href="${href}"]`).count()).toBeGreaterThan(0);
}, 120_000);

test('a drill: schedule, run, recover, report, last tested; nothing posted publicly', async () => {
  // Casey schedules a fail-over test of the Payments plan with Alex taking part.
  const page = await open(`/jira/apps/${CONSOLE_MODULE_KEY}`, CASEY.accountId);
  let app = await consoleTab(page, 'Drills');
  await app.getByTestId('no-upcoming').waitFor();
  await app.getByTestId('add-drill').click();
  await app.getByLabel('Plan').selectOption({ label: 'Payments continuity plan (Payments)' });
  await app.getByLabel('Kind').selectOption({ label: 'Fail-over test' });
  await app.getByTestId('participant-search').fill('Alex');
  await app.getByRole('option', { name: /Alex Agent/ }).click();
  await app.getByTestId('schedule-submit').click();
  await app.getByTestId('drill-notice').waitFor();
  const row = app.getByTestId('drill-row');
  await expect(row.getAttribute('data-state')).resolves.toBe('scheduled');
  expect(await row.textContent()).toContain('Alex Agent');

  // Alex, a participant, runs it: the exercise issue is created and the plan invoked on it.
  const alex = await open(`/jira/apps/${CONSOLE_MODULE_KEY}`, DEFAULT_USER.accountId);
  app = await consoleTab(alex, 'Drills');
  await app.getByTestId('run-drill').click();
  const notice = await app.getByTestId('drill-notice').textContent();
  const key = /running as (OPS-\d+)/.exec(notice ?? '')![1];
  await wb.idle();
  await Promise.all([alex.waitForURL(new RegExp(`/browse/${key}$`)), app.getByTestId('open-drill-issue').click()]);

  // The exercise issue's panel: DRILL first, the same clock and checklist.
  const panel = await addIssuePanel(alex, 'Service continuity');
  await panel.getByTestId('drill-banner').waitFor();
  expect(await panel.getByTestId('drill-banner').textContent()).toContain('DRILL — Fail-over test');
  await panel.getByTestId('countdown').waitFor();
  // No public reply is offered on a drill (the server refuses one too: test/integration/loop.test.ts).
  await panel.getByTestId('comms-template').selectOption({ label: 'Customer status update (public)' });
  await panel.getByTestId('drill-internal-only').waitFor();
  expect(await panel.getByTestId('post-public').count()).toBe(0);
  for (const n of [1, 2, 3]) {
    await panel.getByRole('button', { name: new RegExp(`^Done: step ${n},`) }).click();
    await panel.locator('[data-step][data-status="done"]').nth(n - 1).waitFor();
  }
  await panel.getByTestId('declare-recovered').click();
  await panel.getByTestId('confirm').click();
  await panel.getByTestId('recovery-result').waitFor();
  expect(await panel.getByTestId('recovery-result').textContent()).toMatch(/RTO of 1 h met/);

  // The report is published by the queue after the recovery; the panel links it.
  await wb.idle();
  await alex.reload();
  const again = await addIssuePanel(alex, 'Service continuity');
  await again.getByTestId('postmortem-link').waitFor();
  expect(await again.getByTestId('postmortem-link').textContent()).toMatch(new RegExp(`^Exercise \\(drill\\) postmortem: ${key} DRILL: Fail-over test of Payments continuity plan`));

  // Nothing public: every comment on the exercise issue is internal, and each says DRILL.
  const posted = await comments(wb, key);
  expect(posted.length).toBeGreaterThan(0);
  for (const c of posted) {
    expect(c.properties?.find((p) => p.key === 'sd.public.comment')?.value).toEqual({ internal: true });
    expect(JSON.stringify(c.body)).toContain('DRILL');
  }

  // The Drills tab shows the result and the report; the plan registry shows it tested today.
  const casey = await open(`/jira/apps/${CONSOLE_MODULE_KEY}`, CASEY.accountId);
  app = await consoleTab(casey, 'Drills');
  const past = app.getByTestId('past-drill-row');
  await past.waitFor();
  expect(await past.getByTestId('drill-result').textContent()).toMatch(/^Recovered in \d+ min: RTO of 1 h met$/);
  const reportUrl = await past.getByTestId('drill-report').getAttribute('href');
  expect(reportUrl).toContain('/wiki/spaces/CONT/pages/');
  expect(await app.getByTestId('no-upcoming').isVisible()).toBe(true);

  await app.getByRole('tab', { name: 'Plans' }).click();
  const planRow = app.locator('[data-testid="plan-row"]', { hasText: 'Payments continuity plan' });
  await planRow.waitFor();
  const today = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(wb.clock.now());
  expect(await planRow.locator('td').nth(5).textContent()).toBe(today);
  expect(await planRow.textContent()).not.toContain('Never tested');

  // The report page itself, in Confluence: DRILL on it, RTO achieved against target.
  const report = await open(new URL(reportUrl!).pathname, CASEY.accountId);
  await report.locator('#page-title').waitFor();
  const body = await report.locator('.page-body').textContent();
  expect(body).toContain('Exercise (drill). This postmortem is for a drill, not a real incident');
  expect(body).toContain('RTO and RPO');
}, 120_000);
