/**
 * Plan pages in headless Chromium, as people see them in Confluence: the byline item and the status
 * macro showing an open incident counting down (one resolver call per render), a viewer who may not
 * see an incident not seeing it, the "Use as continuity plan" content action adopting a page, and the
 * page when the app is not connected to Confluence.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { PLAN_PAGE } from '../../src/contract/plans';
import { browserSuite } from '../support/browser';
import { addServices, ALEX, CASEY, planOfService, planOfServiceNamed, raiseP1, saveSettings } from '../support/plans';
import { call, VIEWER } from '../support/workbench';
import { insertMacro } from '../../workbench/server/confluence-controls';
import type { Workbench } from '../../workbench/workbench';

let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s), {
  setUp: (wb) => saveSettings(wb, { planSpaceKey: 'CONT' }),
  afterEach: (wb) => (wb.confluenceConnected = true),
});

async function openPage(pageId: string, accountId = ALEX.accountId): Promise<{ page: Page; invokes: string[] }> {
  await context.addCookies([{ name: 'wb_user', value: accountId, domain: new URL(url).hostname, path: '/' }]);
  const page = await context.newPage();
  const invokes: string[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/__forge/bridge')) return;
    const body = JSON.parse(request.postData() ?? '{}') as { type?: string; payload?: { functionKey?: string } };
    if (body.type === 'invoke') invokes.push(body.payload?.functionKey ?? '');
  });
  await page.goto(`${url}/wiki/spaces/CONT/pages/${pageId}`);
  return { page, invokes };
}

test('the byline and the status macro show the plan\'s open incident counting down', async () => {
  const plan = (await planOfServiceNamed('Payments'))!;
  await raiseP1(wb, { summary: 'Card payments declined everywhere', services: ['Payments'] });
  const { page, invokes } = await openPage(plan.pageId);
  // The byline under the title, without anyone inserting anything.
  await page.getByText(/^Continuity: Approved · RTO 1 h · \d+ open incidents?$/).waitFor();
  expect(invokes).toEqual([]); // its title came from the dynamic properties; its frame loads when opened

  // A person inserts the macro where the template says (the editor's macro browser, in the workbench one button).
  await page.getByRole('button', { name: 'Insert “Continuity plan status”' }).click();
  await page.waitForURL(/pages\//);
  await page.waitForSelector('iframe[title="Continuity plan status"]');
  const macro = page.frameLocator('iframe[title="Continuity plan status"]');
  await macro.getByTestId('plan-box').waitFor();
  await expect(macro.getByRole('heading', { name: 'Payments continuity plan' }).textContent()).resolves.toBe('Payments continuity plan');
  expect(await macro.getByTestId('rto').textContent()).toBe('1 h');
  const countdown = macro.getByTestId('countdown').first();
  const before = await countdown.textContent();
  expect(before).toMatch(/^RTO in \d+ min \d{2} s$/);
  await page.waitForTimeout(1_500);
  expect(await countdown.textContent()).not.toBe(before);
  expect(invokes.filter((k) => k === PLAN_PAGE.status)).toHaveLength(1);

  // The byline's popup shows the same live state.
  await page.getByRole('button', { name: /^Continuity:/ }).click();
  const popup = page.frameLocator('.byline-popup iframe');
  await popup.getByTestId('plan-box').waitFor();
  expect(await popup.getByTestId('plan-status').textContent()).toBe('Approved');
});

test('a viewer who may not see an incident in Jira does not see it on the page', async () => {
  const plan = (await planOfServiceNamed('Customer portal'))!;
  const open = await raiseP1(wb, { summary: 'Portal login loops', services: ['Customer portal'] });
  const secret = await raiseP1(wb, { summary: 'Portal breach under investigation', services: ['Customer portal'], security: '10100' });
  await insertMacro(wb, { pageId: plan.pageId, moduleKey: 'continuity-plan-status', accountId: CASEY.accountId });
  await wb.idle();

  const asAlex = await openPage(plan.pageId, ALEX.accountId);
  const alexBox = asAlex.page.frameLocator('iframe[title="Continuity plan status"]');
  await alexBox.getByTestId(`incident-${secret.key}`).waitFor();
  await alexBox.getByTestId(`incident-${open.key}`).waitFor();

  const asVic = await openPage(plan.pageId, VIEWER.accountId);
  const vicBox = asVic.page.frameLocator('iframe[title="Continuity plan status"]');
  await vicBox.getByTestId(`incident-${open.key}`).waitFor();
  expect(await vicBox.getByTestId(`incident-${secret.key}`).count()).toBe(0);
  expect(await vicBox.getByText('Portal breach').count()).toBe(0);
  expect(await asVic.page.content()).not.toContain(secret.key);
});

test('the content action makes a page the continuity plan of a service', async () => {
  await addServices([{ id: 'svc-wifi', name: 'Office Wi-Fi', tier: 3, rtoMinutes: 480, rpoMinutes: 60, ownerAccountId: CASEY.accountId, jsmServiceIds: [], dependsOn: [], components: [], labels: ['wifi'], status: 'active' }]);
  const space = (await call(wb, 'confluence', 'GET', '/wiki/api/v2/spaces?keys=CONT')).body as { results: Array<{ id: string }> };
  const created = await call(wb, 'confluence', 'POST', '/wiki/api/v2/pages', { spaceId: space.results[0].id, status: 'current', title: 'Wi-Fi outage runbook', body: { representation: 'storage', value: '<h2>Recovery steps</h2><ol><li>Fail over to the backup controller — Network on-call — 20 min</li><li>Tell the office — Facilities — 5 min</li></ol>' } }, CASEY.accountId);
  const pageId = (created.body as { id: string }).id;
  const { page } = await openPage(pageId);
  await page.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Use as continuity plan' }).click();
  const dialog = page.frameLocator('dialog[open] iframe');
  await dialog.getByLabel('Service').selectOption({ label: 'Office Wi-Fi' });
  await dialog.getByRole('button', { name: 'Use as continuity plan' }).click();
  await dialog.getByTestId('adopted').waitFor();
  expect(await dialog.getByTestId('adopted').textContent()).toContain('2 recovery steps read');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.waitForFunction(() => !document.querySelector('dialog[open]'));
  const plan = (await planOfService('svc-wifi'))!;
  expect(plan).toMatchObject({ pageId, title: 'Wi-Fi outage runbook', status: 'draft' });
  expect(plan.steps.map((s) => s.title)).toEqual(['Fail over to the backup controller', 'Tell the office']);
  // Reopened, the page is a plan now, and the byline says so.
  const again = await openPage(pageId);
  await again.page.getByText(/^Continuity: Draft · RTO 8 h · no open incidents$/).waitFor();
});

test('with Confluence disconnected the page has none of the app, and the controls connect it again', async () => {
  const plan = (await planOfServiceNamed('Reporting'))!;
  await fetch(`${url}/__workbench/api/confluence/connection`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connected: false }) });
  const { page } = await openPage(plan.pageId);
  await page.getByText('The Service Continuity app is not connected to Confluence on this site.').waitFor();
  expect(await page.getByRole('button', { name: /^Continuity:/ }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'More actions' }).count()).toBe(0);
  // The controls page offers to connect it again.
  const controls = await context.newPage();
  await controls.goto(`${url}/__workbench`);
  await controls.getByText('not connected').first().waitFor();
  await controls.getByRole('button', { name: 'Connect Confluence' }).click();
  await controls.waitForFunction(() => document.getElementById('confluence-state')?.textContent?.includes('is connected'));
  expect(wb.confluenceConnected).toBe(true);
});
