/**
 * The panel in headless Chromium on the situations issue 10 found: the update cadence turning amber
 * then red, own versus effective RTO, several services in recovery order, recovery with open steps,
 * Jira not answering, the impact box only where a template uses it, times in the viewer's zone, and
 * empty states that name what is missing and lead to where it is fixed.
 */
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { addIssuePanel, browserSuite } from '../support/browser';
import { createIncident, invokedIds } from '../support/workbench';
import { KvsCatalogueStore } from '../../src/adapters/kvs-catalogue';
import { loadCatalogue, saveCatalogue } from '../../src/services/catalogue';
import { USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';

const MINUTE = 60_000;

/** Polls until `read` answers `want` (about five seconds), then asserts. */
async function eventually<T>(read: () => Promise<T>, want: T): Promise<void> {
  let last: T | undefined;
  for (let i = 0; i < 50; i++) {
    last = await read();
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(last).toBe(want);
}
const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s), {
  afterEach: (wb) => {
    wb.clock.reset();
    wb.faults.clear();
  },
});

async function openIssue(key: string, cookies: Record<string, string> = {}): Promise<{ page: Page; panel: FrameLocator }> {
  const host = new URL(url).hostname;
  await context.addCookies(Object.entries(cookies).map(([name, value]) => ({ name, value, domain: host, path: '/' })));
  const page = await context.newPage();
  await page.goto(`${url}/browse/${key}`);
  const panel = await addIssuePanel(page, 'Service continuity');
  return { page, panel };
}

test('the next update runs from the last one posted: neutral, amber when due soon, red when overdue, then neutral again after posting', async () => {
  const issue = await createIncident(wb, { summary: 'Cadence', priorityId: '1', services: ['Payments'] });
  wb.clock.advance(24 * MINUTE); // Tier 1: every 30 min; the last quarter is amber
  const { page, panel } = await openIssue(issue.key);
  const next = panel.getByTestId('next-update');
  await next.waitFor();
  expect(await next.getAttribute('data-state')).toBe('due-soon');
  expect(await next.textContent()).toMatch(/Next update due .* in [56] min \d\d s\.No update yet; every 30 min for this tier\./);
  const amber = await next.evaluate((el) => getComputedStyle(el).backgroundColor);

  wb.clock.advance(10 * MINUTE);
  await page.reload();
  await panel.locator('[data-testid="next-update"][data-state="overdue"]').waitFor();
  expect(await next.textContent()).toMatch(/^Next update overdue by (3|4) min \d\d s/);
  const red = await next.evaluate((el) => getComputedStyle(el).backgroundColor);

  await panel.getByTestId('post-internal').click();
  await panel.locator('[data-testid="next-update"][data-state="on-track"]').waitFor();
  expect(await next.textContent()).toMatch(/in (29|30) min \d\d s\.Last update /);
  const neutral = await next.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(new Set([amber, red, neutral]).size).toBe(3);
});

test('own versus effective RTO: the committed clock first, then the effective one, and a plain sentence naming the dependency', async () => {
  const issue = await createIncident(wb, { summary: 'Portal down', priorityId: '1', services: ['Customer portal'] });
  const { panel } = await openIssue(issue.key);
  const clocks = panel.locator('[role="timer"]');
  await clocks.first().waitFor();
  expect(await clocks.evaluateAll((els) => els.map((e) => e.getAttribute('data-clock')))).toEqual(['committed', 'effective']);
  expect(await panel.getByTestId('countdown').textContent()).toMatch(/^(3 h 59|4 h 00) min \d\d s left$/);
  expect(await panel.getByTestId('countdown-effective').textContent()).toMatch(/^(23 h 59|24 h 00) min \d\d s left$/);
  expect(await panel.getByTestId('rto-limited').textContent()).toBe("Customer portal cannot meet its committed RTO of 4 h unless Reporting recovers sooner: Reporting's own RTO is 24 h.");
  expect(await panel.getByTestId('rto').textContent()).toBe('4 h committed');
});

test('several affected services: plans in recovery order, numbered, each saying why', async () => {
  const issue = await createIncident(wb, { summary: 'Everything', priorityId: '1', services: ['Customer portal', 'Payments'] });
  const { panel } = await openIssue(issue.key);
  await panel.getByTestId('recovery-order').waitFor();
  expect(await panel.getByTestId('plan-title').allTextContents()).toEqual(['1. Payments continuity plan', '2. Customer portal continuity plan']);
  expect(await panel.getByTestId('order-reason').allTextContents()).toEqual(['Payments first: Customer portal depends on it.', 'Customer portal after Payments, which it depends on.']);
});

test('declaring recovery names the open steps; afterwards the update form and next-update line leave; the timeline names the template', async () => {
  const issue = await createIncident(wb, { summary: 'Recover', priorityId: '1', services: ['Payments'] });
  const ids = await invokedIds(wb, issue);
  const { panel } = await openIssue(issue.key);
  await panel.getByRole('button', { name: /^Done: step 1,/ }).click();
  await panel.locator(`[data-step="${ids.steps[0]}"][data-status="done"]`).waitFor();
  await panel.getByRole('button', { name: /^Done: step 2,/ }).click();
  await panel.locator(`[data-step="${ids.steps[1]}"][data-status="done"]`).waitFor();
  await panel.getByTestId('post-internal').click();
  await panel.getByTestId('comms-posted').waitFor();

  await panel.getByTestId('declare-recovered').click();
  expect(await panel.getByTestId('confirm-text').textContent()).toBe(
    '3 steps are still open: "Verify card authorisations succeed end to end", "Reconcile transactions captured during the outage", "Notify the card schemes and merchants". Declare Payments recovered? This stops the RTO clock and records the achieved recovery time.',
  );
  await panel.getByTestId('confirm').click();
  await panel.locator('[data-testid="invocation"][data-state="recovered"]').waitFor();
  expect(await panel.getByTestId('next-update').count()).toBe(0);
  expect(await panel.getByTestId('post-internal').count()).toBe(0);
  expect(await panel.getByTestId('comms-template').count()).toBe(0);
  await panel.locator('summary', { hasText: 'Timeline' }).click();
  const details = await panel.locator('[data-testid="timeline"] li').allTextContents();
  expect(details.some((d) => d.endsWith('Alex Agent: Posted an internal update: "Internal update".'))).toBe(true);
  expect(details.join(' ')).not.toContain(ids.templates['Internal update']);
});

test('when Jira does not answer, the plan, clock and checklist stay, read-only, with a retry that brings the actions back', async () => {
  const issue = await createIncident(wb, { summary: 'Jira 503', priorityId: '1', services: ['Payments'] });
  wb.faults.add({ product: 'jira', pathPrefix: '/rest/api/3/mypermissions', status: 503 });
  const { panel } = await openIssue(issue.key);
  const notice = panel.getByTestId('jira-unavailable');
  await notice.waitFor();
  expect(await notice.textContent()).toContain('Jira did not answer; actions are off until it does.');
  expect(await panel.locator('body').textContent()).not.toMatch(/HTTP|503/);
  await panel.getByTestId('plan-title').waitFor();
  await panel.getByTestId('countdown').waitFor();
  expect(await panel.getByTestId('step').count()).toBe(5);
  expect(await panel.getByRole('button', { name: /^Done/ }).count()).toBe(0);
  expect(await panel.getByTestId('declare-recovered').count()).toBe(0);

  wb.faults.clear();
  await panel.getByTestId('retry').click();
  await panel.getByRole('button', { name: /^Done: step 1,/ }).waitFor();
  expect(await notice.count()).toBe(0);
});

test('the impact box appears only for templates that use {{impact}}', async () => {
  const issue = await createIncident(wb, { summary: 'Impact box', priorityId: '1', services: ['Payments'] });
  const ids = await invokedIds(wb, issue);
  const { panel } = await openIssue(issue.key);
  await panel.getByTestId('comms-impact').waitFor();
  await panel.getByTestId('comms-template').selectOption(ids.templates['Customer status update']!);
  expect(await panel.getByTestId('comms-impact').count()).toBe(0);
  expect(await panel.getByTestId('comms-preview').textContent()).toMatch(/^Some card payments are failing since .*\. We are working on it and will update you by .*\.$/);
  await panel.getByTestId('post-public').waitFor();
});

test("times are in the viewer's own time zone with the offset; the preview says the site's zone", async () => {
  const issue = await createIncident(wb, { summary: 'Zones', priorityId: '1', services: ['Payments'] });
  const { panel } = await openIssue(issue.key, { wb_user: CASEY.accountId }); // Casey works in New York
  await panel.getByTestId('rto-due').waitFor();
  // The zone arrives with Forge's context, a moment after the view.
  await panel.locator('[data-testid="rto-due"]', { hasText: /GMT-[45]$/ }).waitFor();
  expect(await panel.getByTestId('rto-due').textContent()).toMatch(/^\d{1,2} \w{3}, \d\d:\d\d GMT-[45]$/);
  expect(await panel.getByTestId('comms-preview').textContent()).toMatch(/since \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC\./);
  expect(await panel.getByText('Preview (times in UTC, as the comment will say)').count()).toBe(1);
});

test('an uncatalogued service is named, with the way to the Service continuity page where services are added', async () => {
  const store = new KvsCatalogueStore();
  const catalogue = await loadCatalogue(store);
  const reporting = catalogue.services.find((s) => s.id === 'svc-reporting')!;
  await saveCatalogue({ services: [{ ...reporting, jsmServiceIds: [] }] }, store, catalogue);
  try {
    const issue = await createIncident(wb, { summary: 'Uncatalogued', priorityId: '1', services: ['Reporting'] });
    const { page, panel } = await openIssue(issue.key);
    const empty = panel.getByTestId('empty-no-service');
    await empty.waitFor();
    expect(await panel.getByTestId('unknown-services').textContent()).toBe('Not in the continuity catalogue: Reporting.');
    await Promise.all([page.waitForURL(/continuity-console/), panel.getByTestId('console-link').click()]);
  } finally {
    await saveCatalogue({ services: [reporting] }, store);
  }
});

test('no live region wraps the panel; one quiet region announces what changed', async () => {
  const issue = await createIncident(wb, { summary: 'Announce', priorityId: '1', services: ['Payments'] });
  const { panel } = await openIssue(issue.key);
  await panel.getByTestId('plan-title').waitFor();
  expect(await panel.locator('#root').getAttribute('aria-live')).toBeNull();
  // Atlassian's buttons announce their own loading state; besides them, one region speaks for the panel.
  expect(await panel.locator('[aria-live="polite"]:not(button)').count()).toBe(1);
  await panel.getByRole('button', { name: /^Done: step 1,/ }).click();
  await eventually(() => panel.getByTestId('announcer').textContent(), 'Step 1 marked done.');
});
