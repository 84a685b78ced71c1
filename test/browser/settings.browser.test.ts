/**
 * The settings page in headless Chromium, as a Jira administrator uses it: its title once, a summary
 * of the catalogue, settings that cannot work refused in words beside their field, labelled mapping
 * rows, and the new fields (tier bands, cadences, manager groups, site time zone) saved and in force;
 * where postmortems go, drills, follow-ups and the BIA cost thresholds saved and read back, a bad value
 * refused naming its field; and "Check configuration" of the form as shown, grouped by area.
 */
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { browserSuite } from '../support/browser';
import { createIncident, panelFor } from '../support/workbench';
import { USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';

const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s));

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

const reloadSettings = async (page: Page) => {
  await page.reload();
  const again = page.frameLocator('iframe[title="Service continuity settings"]');
  await again.getByTestId('settings-form').waitFor();
  return again;
};

/** The findings the check lists under each area's heading, in order: "heading: level: message". */
async function findingsShown(settings: FrameLocator): Promise<string[]> {
  return settings.locator('[data-testid^="config-area-"]').evaluateAll((areas) =>
    areas.flatMap((area) => [...area.querySelectorAll('[data-testid="config-finding"]')].map((f) => `${area.querySelector('h3')!.textContent}: ${f.querySelector('.ds-lozenge')!.textContent}: ${f.querySelector('.config-message')!.textContent}`)),
  );
}

test('"Check configuration" lists the demo\'s findings grouped by area; a change in the form, unsaved, is checked as shown and saved by nobody', async () => {
  const { page, settings } = await openSettings();
  await settings.getByTestId('settings-form').waitFor();
  expect(await settings.getByTestId('check-note').textContent()).toContain('the form as shown, unsaved changes included');
  // The check takes a moment: its progress is shown meanwhile.
  await context.route('**/__forge/bridge', async (route) => {
    if (route.request().postData()?.includes('settings/check-configuration')) await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await settings.getByTestId('check-configuration').click();
  await settings.getByTestId('check-progress').getByText('Checking…').waitFor();
  await settings.getByTestId('config-report').waitFor();
  const shown = await findingsShown(settings);
  expect(shown.map((f) => f.split(': ')[0])).toEqual([
    ...Array(3).fill('Jira Service Management fields'),
    'Which incidents qualify',
    'Which incidents qualify',
    'Confluence',
    'Where plan pages, postmortems and reviews go',
    'Where plan pages, postmortems and reviews go',
    'Drills',
    'Drills',
    'Follow-up actions',
    'Service Continuity Managers',
  ]);
  expect(shown.every((f) => f.split(': ')[1] === 'OK')).toBe(true);
  expect(shown).toContain('Drills: OK: The drill project IT Operations (OPS) exists.');
  expect(shown).toContain('Service Continuity Managers: OK: The Service Continuity Manager group continuity-managers exists.');
  expect(await settings.getByTestId('config-summary').textContent()).toBe('12 ok');

  // Postmortems to a space that does not exist, and a follow-up type, in the form only.
  await settings.getByTestId('postmortem-space-key').fill('GONE');
  await settings.getByTestId('follow-up-issue-type').selectOption('Service request');
  await settings.getByTestId('config-stale').waitFor(); // the findings shown are of the form as it was
  await settings.getByTestId('check-configuration').click();
  await settings.locator('[data-testid="config-summary"]', { hasText: '11 ok, 1 problem' }).waitFor();
  const changed = await findingsShown(settings);
  expect(changed).toContain('Where plan pages, postmortems and reviews go: Problem: Postmortems: Confluence has no space with the key GONE that the app can see.');
  expect(changed).toContain("Follow-up actions: OK: Follow-up actions are created as Service request issues in the incident's project; the issue type exists.");
  expect(await settings.getByTestId('config-area-spaces').locator('[data-status="problem"] .config-fix').textContent()).toBe('Correct the space key, or give the app access to the space.');
  expect(await settings.getByTestId('config-stale').count()).toBe(0);

  // A value a save would refuse is refused by the check, as a save's refusal is: named, beside its field.
  await settings.getByTestId('postmortem-space-key').fill('no such space');
  await settings.getByTestId('check-configuration').click();
  const refused = settings.getByTestId('config-check-status');
  await refused.waitFor();
  expect(await refused.textContent()).toContain('The configuration was not checked.');
  expect(await refused.textContent()).toContain('The postmortem space key is the space key Confluence shows (letters and digits), such as CONT.');
  expect(await settings.locator('[data-field="postmortemSpaceKey"] .ds-field-error').count()).toBe(1);
  expect(await settings.getByTestId('config-report').count()).toBe(0);
  await context.unroute('**/__forge/bridge');

  // Nothing was saved by the checks.
  const again = await reloadSettings(page);
  expect(await again.getByTestId('postmortem-space-key').inputValue()).toBe('CONT');
  expect(await again.getByTestId('follow-up-issue-type').inputValue()).toBe('');
});

test('a save is followed by Check configuration of what was saved, which says at once what will not work', async () => {
  const { page, settings } = await openSettings();
  await settings.getByTestId('settings-form').waitFor();
  await settings.getByTestId('postmortem-space-key').fill('GONE');
  await settings.getByTestId('save-settings').click();
  const warned = settings.getByTestId('saved-with-problems');
  await warned.waitFor();
  expect(await settings.getByTestId('settings-status').textContent()).toBe('Settings saved.');
  expect(await warned.textContent()).toContain('Saved, but some of what these settings name will not work');
  expect(await warned.textContent()).toContain('Postmortems: Confluence has no space with the key GONE that the app can see.');
  expect(await settings.getByTestId('config-summary').textContent()).toBe('11 ok, 1 problem');
  // Saved all the same (a space may be created later): the reload shows it.
  const again = await reloadSettings(page);
  expect(await again.getByTestId('postmortem-space-key').inputValue()).toBe('GONE');

  // Put right and saved again: the check passes and no warning is shown.
  await again.getByTestId('postmortem-space-key').fill('CONT');
  await again.getByTestId('save-settings').click();
  await again.locator('[data-testid="config-summary"]', { hasText: '12 ok' }).waitFor();
  expect(await again.getByTestId('settings-status').textContent()).toBe('Settings saved.');
  expect(await again.getByTestId('saved-with-problems').count()).toBe(0);
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

test('where postmortems go, publishing on recovery, drills, follow-ups and the BIA cost thresholds are saved and come back; a bad value is refused naming its field', async () => {
  const { page, settings } = await openSettings();
  await settings.getByTestId('settings-form').waitFor();
  expect(await settings.getByTestId('drill-project').inputValue()).toBe('OPS');
  await settings.getByTestId('postmortem-space-key').fill('ITSC');
  await settings.getByTestId('postmortem-parent-page').fill('98765');
  const onRecovery = (frame: FrameLocator) => frame.getByRole('checkbox', { name: 'Publish the postmortem as soon as the incident is recovered' });
  expect(await onRecovery(settings).isChecked()).toBe(false);
  await onRecovery(settings).click({ force: true });
  await settings.getByTestId('drill-issue-type').selectOption('Incident');
  await settings.getByTestId('follow-up-issue-type').selectOption('Change');
  await settings.getByTestId('cost-currency').fill('EUR');
  await settings.getByTestId('cost-tier1').fill('abc');
  await settings.getByTestId('cost-tier2').fill('-5');
  await settings.getByTestId('save-settings').click();
  const status = settings.getByTestId('settings-status');
  await status.getByText('The settings were not saved.').waitFor();
  // Both refusals at once, each beside its field, not one per save.
  expect(await status.textContent()).toContain('Tier 1 cost threshold must be a number of 0 or more.');
  expect(await settings.getByTestId('other-refusals').textContent()).toContain('Tier 2 cost threshold must be a number of 0 or more.');
  expect(await settings.locator('[data-field="costThresholds.tier1PerHour"] .ds-field-error').textContent()).toBe('Tier 1 cost threshold must be a number of 0 or more.');
  expect(await settings.locator('[data-field="costThresholds.tier2PerHour"] .ds-field-error').textContent()).toBe('Tier 2 cost threshold must be a number of 0 or more.');

  await settings.getByTestId('cost-tier1').fill('100,000');
  await settings.getByTestId('cost-tier2').fill('10,000');
  await settings.getByTestId('save-settings').click();
  await settings.locator('[data-testid="settings-status"]', { hasText: 'Settings saved.' }).waitFor();

  const again = await reloadSettings(page);
  expect(await again.getByTestId('postmortem-space-key').inputValue()).toBe('ITSC');
  expect(await again.getByTestId('postmortem-parent-page').inputValue()).toBe('98765');
  expect(await onRecovery(again).isChecked()).toBe(true);
  expect(await again.getByTestId('drill-project').inputValue()).toBe('OPS');
  expect(await again.getByTestId('drill-issue-type').inputValue()).toBe('Incident');
  expect(await again.getByTestId('follow-up-issue-type').inputValue()).toBe('Change');
  expect(await again.getByTestId('cost-currency').inputValue()).toBe('EUR');
  expect(await again.getByTestId('cost-tier1').inputValue()).toBe('100000');
  expect(await again.getByTestId('cost-tier2').inputValue()).toBe('10000');

  // A malformed space key is refused beside its field; the saved one stays.
  await again.getByTestId('postmortem-space-key').fill('IT SC');
  await again.getByTestId('save-settings').click();
  await again.getByTestId('settings-status').getByText('The postmortem space key is the space key Confluence shows (letters and digits), such as CONT.').waitFor();
  expect(await again.locator('[data-field="postmortemSpaceKey"] .ds-field-error').count()).toBe(1);
  expect(await (await reloadSettings(page)).getByTestId('postmortem-space-key').inputValue()).toBe('ITSC');
});

test('someone who is not a Jira administrator is told so', async () => {
  const { settings } = await openSettings(CASEY.accountId);
  await settings.getByTestId('settings-error').waitFor();
  expect(await settings.getByTestId('settings-error').textContent()).toBe('Only Jira administrators can see and change continuity settings.');
});
