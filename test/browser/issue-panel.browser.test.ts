/**
 * The issue panel in headless Chromium, as an agent uses it: countdown states driven by the workbench
 * clock, the checklist, communications, recovery with confirmation and undo, empty states, the dark
 * theme, keyboard use, and what a viewer sees.
 */
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { addIssuePanel, browserSuite } from '../support/browser';
import { call, comments, createIncident, invokedIds, VIEWER } from '../support/workbench';
import type { Workbench } from '../../workbench/workbench';

const MINUTE = 60_000;
let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s), { afterEach: (wb) => wb.clock.reset() });

async function openIssue(key: string, cookies: Record<string, string> = {}): Promise<{ page: Page; panel: FrameLocator }> {
  const host = new URL(url).hostname;
  await context.addCookies(Object.entries(cookies).map(([name, value]) => ({ name, value, domain: host, path: '/' })));
  const page = await context.newPage();
  await page.goto(`${url}/browse/${key}`);
  const panel = await addIssuePanel(page, 'Service continuity');
  return { page, panel };
}

test('the panel appears with a single resolver call', async () => {
  const issue = await createIncident(wb, { summary: 'One call', priorityId: '1', services: ['Payments'] });
  const page = await context.newPage();
  const invokes: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/__forge/bridge')) {
      const body = JSON.parse(request.postData() ?? '{}') as { type?: string; payload?: { functionKey?: string } };
      if (body.type === 'invoke') invokes.push(body.payload?.functionKey ?? '');
    }
  });
  await page.goto(`${url}/browse/${issue.key}`);
  expect(invokes).toEqual([]); // nothing loads until the panel is added
  const panel = await addIssuePanel(page, 'Service continuity');
  await panel.getByTestId('countdown').waitFor();
  await panel.getByTestId('step').first().waitFor();
  expect(invokes).toEqual(['issue-panel/load']);
});

test('the countdown is neutral, turns amber in the last 25 % and red when breached, following the workbench clock', async () => {
  const issue = await createIncident(wb, { summary: 'Clock test', priorityId: '1', services: ['Payments'] });
  const { page, panel } = await openIssue(issue.key);
  const countdown = panel.getByTestId('countdown');
  await expect(countdown.getAttribute('data-state')).resolves.toBe('running');
  const neutral = await countdown.evaluate((el) => getComputedStyle(el).backgroundColor);

  wb.clock.advance(50 * MINUTE); // 83 % of a 60 min RTO
  await page.reload();
  await panel.locator('[data-testid="countdown"][data-state="warning"]').waitFor();
  expect(await countdown.textContent()).toMatch(/^(9|10) min \d\d s left$/);
  const amber = await countdown.evaluate((el) => getComputedStyle(el).backgroundColor);

  wb.clock.advance(15 * MINUTE);
  await page.reload();
  await panel.locator('[data-testid="countdown"][data-state="breached"]').waitFor();
  expect(await countdown.textContent()).toMatch(/^RTO breached (4|5) min \d\d s ago$/);
  const red = await countdown.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(new Set([neutral, amber, red]).size).toBe(3);
});

test('the checklist records done and skipped steps with who, and shows progress; the keyboard works', async () => {
  const issue = await createIncident(wb, { summary: 'Checklist test', priorityId: '1', services: ['Payments'] });
  const [one, two] = (await invokedIds(wb, issue)).steps.map((id) => `[data-step="${id}"]`);
  const { panel } = await openIssue(issue.key);
  const first = panel.locator(one!);
  // Each Done carries its step in its accessible name.
  const done = first.getByRole('button', { name: 'Done: step 1, Confirm the outage and declare a major incident' });
  await done.focus();
  await done.press('Enter');
  await panel.locator(`${one}[data-status="done"]`).waitFor();
  expect(await first.getByTestId('step-record').textContent()).toMatch(/Done by Alex Agent at/);

  const second = panel.locator(two!);
  await second.getByRole('button', { name: /^Skip: step 2,/ }).click();
  // A plain inline form (no dialog role), with focus in its field.
  const reason = second.getByLabel('Why skip this step?');
  await expect(reason.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  expect(await panel.getByRole('dialog').count()).toBe(0);
  await reason.fill('Secondary region already live');
  await second.getByRole('button', { name: 'Skip step' }).click();
  await panel.locator(`${two}[data-status="skipped"]`).waitFor();
  expect(await second.getByTestId('step-record').textContent()).toContain('(Secondary region already live)');
  expect(await panel.getByTestId('progress').textContent()).toBe('2 of 5 steps (40 %)');
  expect(await panel.getByTestId('projection').getAttribute('data-within-rto')).toBe('true');

  await second.getByRole('button', { name: /^Undo: step 2,/ }).click();
  await panel.locator(`${two}[data-status="pending"]`).waitFor();
});

test('a communication template is filled with the incident facts and posted as an internal comment in one click', async () => {
  const issue = await createIncident(wb, { summary: 'Comms test', priorityId: '1', services: ['Payments'] });
  const { panel } = await openIssue(issue.key);
  await panel.getByTestId('comms-impact').fill('EU card payments fail');
  expect(await panel.getByTestId('comms-preview').textContent()).toMatch(/^Payments is impacted since .*\. Impact: EU card payments fail\. Recovery plan invoked; next update by .*\.$/);
  await panel.getByTestId('post-internal').click();
  await panel.getByTestId('comms-posted').waitFor();
  expect(await panel.getByTestId('comms-posted').textContent()).toBe('Posted as an internal comment.');
  const all = await comments(wb, issue.key);
  expect(all).toHaveLength(2);
  expect(JSON.stringify(all[1].body)).toContain('EU card payments fail');
});

test('declaring recovery asks for confirmation, records the RTO result, and can be undone', async () => {
  const issue = await createIncident(wb, { summary: 'Recovery test', priorityId: '1', services: ['Payments'] });
  wb.clock.advance(20 * MINUTE);
  const { panel } = await openIssue(issue.key);
  await panel.getByTestId('declare-recovered').click();
  // An inline confirmation naming the steps still open, with focus on its button; no alertdialog.
  expect(await panel.getByTestId('confirm-text').textContent()).toMatch(/^5 steps are still open: "Confirm the outage and declare a major incident", .*"Notify the card schemes and merchants"\. Declare Payments recovered\?/);
  expect(await panel.getByRole('alertdialog').count()).toBe(0);
  await expect(panel.getByTestId('confirm').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  await panel.getByTestId('confirm').click();
  await panel.locator('[data-testid="invocation"][data-state="recovered"]').waitFor();
  expect(await panel.getByTestId('recovery-result').textContent()).toBe('Recovered in 20 min: RTO of 1 h met.');
  expect(await panel.getByTestId('countdown').count()).toBe(0);
  // Focus moved to the control that replaced the one pressed.
  await expect(panel.getByTestId('reopen').evaluate((el) => el === document.activeElement)).resolves.toBe(true);

  await panel.getByTestId('reopen').click();
  await panel.getByLabel('Reason (optional)').fill('Errors are back');
  await panel.getByTestId('confirm').click();
  await panel.locator('[data-testid="invocation"][data-state="open"]').waitFor();
  await panel.locator('summary', { hasText: 'Timeline' }).click();
  const kinds = await panel.locator('[data-testid="timeline"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  expect(kinds).toEqual(['qualified', 'linked', 'comment-posted', 'recovered', 'reopened']);
});

test('empty states say what to do', async () => {
  const low = await createIncident(wb, { summary: 'Not a P1', priorityId: '3', services: ['Payments'] });
  const { panel } = await openIssue(low.key);
  const empty = panel.getByTestId('empty-not-qualifying');
  await empty.waitFor();
  expect(await empty.textContent()).toContain('Priority Medium is not a P1 priority.');
  expect(await empty.textContent()).toContain('Raise the priority to Highest or flag it as a major incident.');
  await panel.getByTestId('settings-link').waitFor();

  const none = await createIncident(wb, { summary: 'No service', priorityId: '1' });
  const second = await openIssue(none.key);
  await second.panel.getByTestId('empty-no-service').waitFor();
  expect(await second.panel.getByTestId('empty-no-service').textContent()).toContain('The Affected services field of this incident is empty.');
  expect(await second.panel.getByTestId('empty-no-service').textContent()).toContain('Set the Affected services field');
});

test('the settings link in an empty state navigates to the admin page', async () => {
  const low = await createIncident(wb, { summary: 'Navigate', priorityId: '3', services: ['Payments'] });
  const { page, panel } = await openIssue(low.key);
  await Promise.all([page.waitForURL(/\/jira\/settings\/apps\/continuity-settings$/), panel.getByTestId('settings-link').click()]);
  const settings = page.frameLocator('iframe[title="Service continuity settings"]');
  await settings.getByTestId('settings-form').waitFor();
  expect(await settings.getByRole('checkbox', { name: 'Highest' }).isChecked()).toBe(true);
});

test('the dark theme applies Atlassian design tokens inside the panel', async () => {
  const issue = await createIncident(wb, { summary: 'Dark', priorityId: '1', services: ['Payments'] });
  const { panel } = await openIssue(issue.key, { wb_theme: 'dark' });
  await panel.getByTestId('plan-title').waitFor();
  await panel.locator('html[data-color-mode="dark"]').waitFor();
  const background = await panel.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = background.match(/\d+/g)!.map(Number);
  expect(r + g + b).toBeLessThan(200); // a dark surface, from the --ds-surface token
  const tokenValue = await panel.locator('body').evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--ds-surface').trim());
  expect(tokenValue).not.toBe('');
});

test('a viewer sees the plan and the clock but no buttons that change the recovery', async () => {
  const issue = await createIncident(wb, { summary: 'Viewer', priorityId: '1', services: ['Payments'] });
  const { panel } = await openIssue(issue.key, { wb_user: VIEWER.accountId });
  await panel.getByTestId('plan-title').waitFor();
  await panel.getByTestId('countdown').waitFor();
  expect(await panel.getByRole('button', { name: /^Done/ }).count()).toBe(0);
  expect(await panel.getByTestId('declare-recovered').count()).toBe(0);
  expect(await panel.getByTestId('post-internal').count()).toBe(0);
  // No template picker or impact box they cannot use; when the next update is due is still shown.
  expect(await panel.getByTestId('comms-template').count()).toBe(0);
  expect(await panel.getByTestId('comms-impact').count()).toBe(0);
  await panel.getByTestId('next-update').waitFor();
});

test('a viewer who opens a P1 before the trigger ran sees it being invoked, and Refresh shows the plan once it is', async () => {
  wb.events.configure({ reorderWindow: 1000 }); // hold the created event: the trigger has not run yet
  try {
    const ids = wb.jira.fieldIds();
    const created = await call(wb, 'jira', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Early viewer', priority: { id: '1' }, [ids.affectedServices]: [{ id: wb.jira.services()[0].id }] },
    });
    const key = (created.body as { key: string }).key;
    const { panel } = await openIssue(key, { wb_user: VIEWER.accountId });
    const pending = panel.getByTestId('empty-pending');
    await pending.waitFor();
    expect(await pending.textContent()).toContain('Payments continuity plan is being invoked');
    expect(await comments(wb, key)).toHaveLength(0); // the viewer's look wrote nothing

    wb.events.configure({ reorderWindow: 0 });
    await wb.idle(); // the trigger runs now
    await panel.getByTestId('refresh').click();
    await panel.getByTestId('plan-title').waitFor();
    expect(await panel.getByTestId('plan-title').textContent()).toContain('Payments continuity plan');
  } finally {
    wb.events.configure({ reorderWindow: 0 });
  }
});
