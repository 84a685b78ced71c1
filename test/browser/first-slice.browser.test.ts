/**
 * In headless Chromium: create a P1 in the host's incident form, land on the issue view, and see the
 * app's real Custom UI panel (in its iframe, through @forge/bridge) show the plan and its RTO.
 */
import type { Browser } from 'playwright-core';
import { addIssuePanel, launchChromium } from '../support/browser';
import { call, startWorkbench } from '../support/workbench';
import type { Workbench } from '../../workbench/workbench';

let wb: Workbench;
let url: string;
let browser: Browser;

beforeAll(async () => {
  ({ wb, url } = await startWorkbench());
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await wb?.stop();
});

test('creating a P1 in the browser shows the continuity panel with the plan and its RTO', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/jira/servicedesk/projects/OPS/queues`);
  await page.fill('#summary', 'Checkout cannot take payments');
  await page.selectOption('#priority', { label: 'Highest' });
  await page.getByLabel('Payments', { exact: true }).check();
  await Promise.all([page.waitForURL(/\/browse\/OPS-\d+$/), page.click('#create-submit')]);
  expect(await page.textContent('#issue-summary')).toBe('Checkout cannot take payments');
  // The form raises it as JSM's usual incident request type, as the portal would.
  const key = new URL(page.url()).pathname.split('/').pop()!;
  const requestType = wb.jira.fieldIds().requestType;
  const created = await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}?fields=${requestType}`);
  expect((created.body as { fields: Record<string, { requestType?: { name: string } }> }).fields[requestType].requestType?.name).toBe('Report a system problem');

  const panel = await addIssuePanel(page, 'Service continuity');
  await expect(panel.getByTestId('plan-title').textContent()).resolves.toBe('Payments continuity plan');
  expect(await panel.getByTestId('rto').textContent()).toBe('1 h');
  expect(await panel.getByTestId('rpo').textContent()).toBe('5 min');
  expect(await panel.getByTestId('countdown').getAttribute('data-state')).toBe('running');
  expect(await panel.getByTestId('countdown').textContent()).toMatch(/^(59|60) min \d\d s left$/);
  await page.close();
});
