/**
 * The settings page in headless Chromium, as a Jira administrator uses it: its title once, a summary
 * of the catalogue, settings that cannot work refused in words beside their field, labelled mapping
 * rows, and the new fields (tier bands, cadences, manager groups, site time zone) saved and in force.
 */
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createIncident, panelFor, startWorkbench } from '../support/workbench';
import { USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';

const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
let wb: Workbench;
let url: string;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  ({ wb, url } = await startWorkbench());
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await wb?.stop();
});
beforeEach(async () => {
  context = await browser.newContext();
});
afterEach(async () => {
  await context.close();
});

async function openSettings(user?: string): Promise<{ page: Page; settings: FrameLocator }> {
  if (user) await context.addCookies([{ name: 'wb_user', value: user, domain: new URL(url).hostname, path: '/' }]);
  const page = await context.newPage();
  await page.goto(`${url}/jira/settings/apps/continuity-settings`);
  const settings = page.frameLocator('iframe[title="Service continuity settings"]');
  return { page, settings };
}

test('the title appears once, and a summary lists the catalogued services with and without a plan', async () => {
  const { page, settings } = await openSettings();
  await settings.getByTestId('settings-form').waitFor();
  expect(await page.getByText('Service continuity settings', { exact: true }).count()).toBe(1);
  expect(await settings.getByText('Service continuity settings').count()).toBe(0);
  expect(await settings.getByTestId('with-plan').textContent()).toBe('With a continuity plan (3): Customer portal, Payments, Reporting.');
  expect(await settings.getByTestId('without-plan').textContent()).toBe('Without a plan (0): none.');
});

test('settings under which no incident could qualify are refused, with the reason beside the field', async () => {
  const { page, settings } = await openSettings();
  await settings.getByTestId('settings-form').waitFor();
  for (const name of ['Highest', 'P1']) {
    const box = settings.getByRole('checkbox', { name, exact: true });
    if ((await box.count()) > 0 && (await box.isChecked())) await box.click({ force: true });
  }
  await settings.getByRole('checkbox', { name: /Major incident flag qualifies/ }).click({ force: true });
  await settings.getByTestId('save-settings').click();
  const status = settings.getByTestId('settings-status');
  await status.waitFor();
  expect(await status.textContent()).toContain('No incident could ever qualify: no P1 priority is ticked');
  expect(await settings.locator('[data-field="p1Priorities"] .ds-field-error').textContent()).toMatch(/^No incident could ever qualify/);
  await page.reload();
  const reloaded = page.frameLocator('iframe[title="Service continuity settings"]');
  await reloaded.getByTestId('settings-form').waitFor();
  expect(await reloaded.getByRole('checkbox', { name: 'Highest', exact: true }).isChecked()).toBe(true); // nothing was saved
});

test('every fallback mapping row is labelled, and a fault in a row is named in words, never as a field path', async () => {
  const { settings } = await openSettings();
  await settings.getByTestId('add-mapping').click();
  await settings.getByLabel('Fallback mapping 1: match on').waitFor();
  await settings.getByLabel('Fallback mapping 1: service').waitFor();
  await settings.getByRole('button', { name: 'Remove fallback mapping 1' }).waitFor();
  await settings.getByLabel('Fallback mapping 1: component or label').fill('   ');
  await settings.getByTestId('save-settings').click();
  await settings.getByTestId('settings-status').waitFor();
  const body = (await settings.locator('body').textContent())!;
  expect(body).toContain('Fallback mapping 1, component or label: a component or label must not be empty.');
  expect(body).not.toContain('fallbackMappings');
  expect(await settings.locator('[data-field="fallbackMappings.0.value"] .ds-field-error').count()).toBe(1);
});

test('tier bands, cadences, manager groups and the site time zone are saved and in force', async () => {
  const { page, settings } = await openSettings();
  await settings.getByTestId('comms-cadence-1').fill('15m');
  await settings.getByLabel('Tier 2 (Silver): slowest RTO').fill('3h');
  await settings.getByTestId('manager-groups').fill('continuity-managers, sre-leads');
  await settings.getByTestId('site-time-zone').selectOption('Europe/Berlin');
  await settings.getByTestId('save-settings').click();
  await settings.locator('[data-testid="settings-status"]', { hasText: 'Settings saved.' }).waitFor();

  await page.reload();
  const again = page.frameLocator('iframe[title="Service continuity settings"]');
  await again.getByTestId('settings-form').waitFor();
  expect(await again.getByTestId('comms-cadence-1').inputValue()).toBe('15 min');
  expect(await again.getByLabel('Tier 2 (Silver): slowest RTO').inputValue()).toBe('3 h');
  expect(await again.getByTestId('manager-groups').inputValue()).toBe('continuity-managers, sre-leads');
  expect(await again.getByTestId('site-time-zone').inputValue()).toBe('Europe/Berlin');

  const issue = await createIncident(wb, { summary: 'New cadence', priorityId: '1', services: ['Payments'] });
  const panel = (await panelFor(wb, issue)).data;
  expect(panel.invocations[0].nextUpdate.cadenceMinutes).toBe(15);
  expect(panel.siteTimeZone).toBe('Europe/Berlin');
});

test('"Check where plans go" says in plain words whether the space and parent page exist and the app can write there; the plan settings are saved', async () => {
  const { page, settings } = await openSettings();
  await settings.getByTestId('settings-form').waitFor();
  expect(await settings.getByTestId('plan-space-key').inputValue()).toBe('CONT');
  const check = settings.getByTestId('plan-location-check');
  await settings.getByTestId('plan-space-key').fill('NOPE');
  await settings.getByTestId('check-plan-location').click();
  await check.getByText('Confluence has no space with the key NOPE that the app can see.').waitFor();
  await settings.getByTestId('plan-space-key').fill('CONT');
  expect(await check.count()).toBe(0); // a check is for what it checked: changing the field clears it
  await settings.getByTestId('plan-parent-page').fill('424242');
  await settings.getByTestId('check-plan-location').click();
  await check.getByText('Confluence has no page 424242 that the app can see.').waitFor();
  await settings.getByTestId('plan-parent-page').fill('');
  await settings.getByTestId('check-plan-location').click();
  await check.getByText('Plan pages are published in Service Continuity (CONT) under "Service Continuity Home", and the app can write there.').waitFor();

  // Change requests: the demo names JSM's Change type; Task too, now.
  const changeTypes = (frame: FrameLocator) => frame.locator('fieldset[data-field="changeIssueTypeNames"]');
  expect(await changeTypes(settings).getByRole('checkbox', { name: 'Change', exact: true }).isChecked()).toBe(true);
  await changeTypes(settings).getByRole('checkbox', { name: 'Task', exact: true }).click({ force: true });
  await settings.getByTestId('save-settings').click();
  await settings.locator('[data-testid="settings-status"]', { hasText: 'Settings saved.' }).waitFor();
  await page.reload();
  const again = page.frameLocator('iframe[title="Service continuity settings"]');
  await again.getByTestId('settings-form').waitFor();
  expect(await again.getByTestId('plan-space-key').inputValue()).toBe('CONT');
  expect(await changeTypes(again).getByRole('checkbox', { name: 'Task', exact: true }).isChecked()).toBe(true);
});

test('someone who is not a Jira administrator is told so', async () => {
  const { settings } = await openSettings(CASEY.accountId);
  await settings.getByTestId('settings-error').waitFor();
  expect(await settings.getByTestId('settings-error').textContent()).toBe('Only Jira administrators can see and change continuity settings.');
});
