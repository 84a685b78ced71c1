/**
 * The measuring tabs of the Service continuity page in headless Chromium, as people use them: a manager
 * enters a BIA and sees the suggested tier and RTO with its reasoning change as they type, saves it and
 * sees the MTPD flag; records a risk and its mechanism and sees the implementation duration; opens the
 * indicators, every one drawn as a chart (the chart library fetched only then) with its figures as a
 * table, and exports one as CSV; publishes the practice review twice (one page). A reader sees all of
 * it without a control to change it. The services list shows the MTPD flag.
 */
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { CONSOLE_MODULE_KEY } from '../../src/contract/console';
import { USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { browserSuite } from '../support/browser';
import { call, VIEWER } from '../support/workbench';

const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;

let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s), { context: { viewport: { width: 1400, height: 1000 }, acceptDownloads: true } });

async function openConsole(accountId = CASEY.accountId, requests: string[] = []): Promise<{ page: Page; app: FrameLocator }> {
  await context.addCookies([{ name: 'wb_user', value: accountId, domain: new URL(url).hostname, path: '/' }]);
  const page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${url}/jira/apps/${CONSOLE_MODULE_KEY}`);
  const app = page.frameLocator('iframe[title="Service continuity"]');
  await app.getByRole('heading', { name: 'Service continuity', level: 1 }).waitFor();
  return { page, app };
}

/** Waits until `read` answers `expected`, else fails showing the last answer. */
async function eventually<T>(read: () => Promise<T> | T, expected: T, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: T = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  expect(last).toEqual(expected);
}

async function chooseService(app: FrameLocator, name: string): Promise<void> {
  await app.getByRole('tab', { name: 'BIA and risks' }).click();
  await app.getByTestId('measure-service-search').fill(name.slice(0, 4));
  await app.getByRole('option', { name: new RegExp(`^${name}`) }).click();
  await app.getByTestId('bia-form').waitFor();
}

// First, on the demo as seeded: the figures below are the demo's (the integration test counts them by hand).
test('every indicator is drawn as a chart, fetched only when the tab opens, with its figures as a table and its own CSV', async () => {
  const requests: string[] = [];
  const { page, app } = await openConsole(CASEY.accountId, requests);
  await app.getByTestId('service-table').waitFor();
  await page.waitForLoadState('networkidle');
  expect(requests.some((u) => /\/chunks\/charts-/.test(u))).toBe(false);

  await app.getByRole('tab', { name: 'Indicators' }).click();
  const cards = app.getByTestId('indicator');
  await app.getByTestId('indicator-cards').waitFor();
  expect(await cards.count()).toBe(10);
  expect(await app.locator('[data-testid="indicator"] h3').allTextContents()).toEqual([
    'Tier 1 and 2 services with an approved plan',
    'Tier 1 and 2 services tested in the last 12 months',
    'Tier 1 and 2 plans reviewed on time',
    'RTO attainment over time, incidents and drills',
    'Mean recovery time against RTO, by tier',
    'Drills per quarter',
    'Disaster practices carried out',
    'Open invocations',
    'Plans with postmortem findings waiting',
    'Implementation duration: risk identified to mechanism in place',
  ]);
  await eventually(() => requests.some((u) => /\/chunks\/charts-/.test(u)), true);
  // Each card: a canvas Chart.js has drawn on (named for screen readers) and a table of the same figures.
  const frame = page.frames().find((f) => f.url().includes('/__forge/resource/console/'))!;
  await eventually(
    () =>
      frame.evaluate(() =>
        [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="indicator"] canvas')].map((c) => {
          const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          return c.width > 0 && data.some((v, i) => i % 4 === 3 && v > 0);
        }),
      ),
    Array(10).fill(true),
  );
  for (let i = 0; i < 10; i++) {
    const card = cards.nth(i);
    expect(await card.getByTestId('chart').getAttribute('role')).toBe('img');
    expect((await card.getByTestId('chart').getAttribute('aria-label'))!.length).toBeGreaterThan(10);
    expect(await card.getByTestId('chart-table').locator('tbody tr').count()).toBeGreaterThan(0);
  }
  const approved = app.locator('[data-indicator="approved-plan"]');
  expect(await approved.getByTestId('stat').textContent()).toBe('100% (2 of 2)');
  await approved.getByText('The figures as a table').click();
  expect(await approved.getByTestId('chart-table').locator('tbody tr').first().locator('th, td').allTextContents()).toEqual(['Tier 1 and 2', '100%']);
  const open = app.locator('[data-indicator="open-invocations"]');
  expect(await open.getByTestId('chart').getAttribute('aria-label')).toBe('Open invocations: 2 on incidents, 0 on drills.');

  // One indicator as CSV: downloaded, and shown to copy.
  const implementation = app.locator('[data-indicator="implementation-duration"]');
  const [download] = await Promise.all([page.waitForEvent('download'), implementation.getByTestId('download-implementation-duration').click()]);
  expect(download.suggestedFilename()).toMatch(/^continuity-indicators-implementation-duration-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await implementation.getByTestId('csv-implementation-duration').locator('textarea').inputValue();
  expect(csv.replace(/^\uFEFF/, '').split(/\r?\n/).slice(2, 4)).toEqual(['"Days to a mechanism in place, mean",,,57,,3', '"Days to a mechanism in place, median",,,45,,3']);
});

test('a manager enters a BIA and sees the suggested tier and RTO, with its reasoning, as they type; saving shows the MTPD flag', async () => {
  const { app } = await openConsole();
  await chooseService(app, 'Reporting');
  const suggestion = app.getByTestId('bia-suggestion');
  await app.getByText('Enter the cost of downtime and the maximum tolerable downtime to see the suggested tier and RTO.').waitFor();

  await app.getByTestId('bia-cost').fill('1500');
  await app.getByTestId('bia-mtpd').fill('3d');
  // Nothing major within 72 hours: the slowest tier.
  await suggestion.getByTestId('suggested').getByText('Suggested: Tier 3 (Bronze), RTO 1d, RPO 1d.').waitFor();
  // Customer impact major from 24 hours: RTO 4h, still Tier 3 where the bands touch.
  for (const h of ['24h', '72h']) await app.getByTestId(`rating-customer-${h}`).selectOption('3');
  await suggestion.getByTestId('suggested').getByText('Suggested: Tier 3 (Bronze), RTO 4h, RPO 1d.').waitFor();
  await suggestion.getByText('Customer impact becomes major or worse at 24 h; the longest assessed outage before that is 4 h, so the RTO is 4h.').waitFor();
  // Major already at 4 hours: Tier 2 with a 1-hour RTO.
  await app.getByTestId('rating-customer-4h').selectOption('3');
  await suggestion.getByTestId('suggested').getByText('Suggested: Tier 2 (Silver), RTO 1h, RPO 1h.').waitFor();
  expect(await app.getByTestId('bia-reasoning').locator('li').allTextContents()).toEqual([
    'Customer impact becomes major or worse at 4 h; the longest assessed outage before that is 1 h, so the RTO is 1h.',
    'An RTO of 1h falls in Tier 2 (Silver).',
    "The RPO is Tier 2 (Silver)'s default of 1h.",
  ]);
  // A rating lower than the one before it is refused beside the grid when saved.
  await app.getByTestId('rating-customer-72h').selectOption('1');
  await app.getByTestId('save-bia').click();
  await app.getByTestId('error-ratings').getByText('Customer impact at 72 h (minor) cannot be lower than at 24 h (major): impact only grows the longer a service is down.').waitFor();
  await app.getByTestId('rating-customer-72h').selectOption('4');
  // An MTPD shorter than the service's RTO of 1d: saved, and flagged.
  await app.getByTestId('bia-mtpd').fill('12h');
  await app.getByTestId('save-bia').click();
  await app.getByTestId('bia-notice').getByText('Saved the business impact analysis.').waitFor();
  await app.getByTestId('mtpd-flag').getByText('RTO 1d is not below the maximum tolerable downtime of 12h: recovery on target would take longer than the business can bear.').waitFor();

  // Giving the service the suggestion: Tier 2, RTO 1h; the flag goes.
  await app.getByTestId('apply-suggestion').click();
  await app.getByTestId('bia-notice').getByText('Saved. Reporting is now Tier 2 (Silver) with an RTO of 1h and an RPO of 1h.').waitFor();
  await app.getByTestId('mtpd-flag').waitFor({ state: 'detached' });
  await app.getByText('The service is catalogued that way.').waitFor();
});

test('a manager records a risk and its mechanism, and sees the implementation duration and the flags', async () => {
  const { app } = await openConsole();
  await chooseService(app, 'Customer portal');
  const register = app.getByTestId('risk-register');
  await register.getByTestId('risk-summary').getByText('1 risk, 1 without a continuity mechanism, 1 flagged.').waitFor();
  expect(await register.getByTestId('risk-flags').locator('.lozenge').allTextContents()).toEqual(['No mechanism', 'Not tested']);

  await register.getByTestId('add-risk').click();
  const form = app.getByTestId('risk-form');
  await form.getByLabel('Threat scenario').selectOption('other');
  await form.getByTestId('risk-description').fill('Flooding of the server room');
  await form.getByLabel('Likelihood (1 rare – 5 almost certain)').selectOption('2');
  await form.getByLabel('Impact (1 minor – 5 severe)').selectOption('4');
  await form.getByTestId('risk-identified').fill('2026-01-05');
  await form.getByLabel('Continuity mechanism').selectOption('standby');
  await form.getByTestId('risk-mechanism').fill('Second site with a warm standby');
  await form.getByLabel('State').selectOption('in-place');
  // In place, but no date: refused beside the field.
  await form.getByTestId('save-risk').click();
  await app.getByTestId('error-risk-in-place').getByText('Date in place is required once the mechanism is in place or tested.').waitFor();
  await form.getByTestId('risk-in-place').fill('2026-03-01');
  await form.getByTestId('save-risk').click();
  await register.getByTestId('risk-notice').getByText('Recorded the risk “Flooding of the server room”.').waitFor();
  const row = register.getByTestId('risk-row').filter({ hasText: 'Flooding of the server room' });
  expect(await row.getByTestId('implementation-days').textContent()).toBe('55 days');
  expect(await row.locator('td').nth(0).textContent()).toBe('2 × 4 = 8 medium');
  await register.getByTestId('risk-summary').getByText('2 risks, 1 without a continuity mechanism, 1 flagged. On average 55 days from a risk identified to its mechanism in place.').waitFor();

  // Changed later: tested; then deleted.
  await row.getByRole('button', { name: 'Flooding of the server room' }).click();
  await form.getByLabel('State').selectOption('tested');
  await form.getByTestId('save-risk').click();
  await register.getByTestId('risk-notice').getByText('Saved the risk “Flooding of the server room”.').waitFor();
  await row.getByRole('button', { name: 'Flooding of the server room' }).click();
  await form.getByTestId('delete-risk').click();
  await register.getByTestId('risk-notice').getByText('Deleted the risk “Flooding of the server room”.').waitFor();
  await register.getByTestId('risk-summary').getByText('1 risk, 1 without a continuity mechanism, 1 flagged.').waitFor();
});

test('the practice review is published as a Confluence page, and publishing again updates the same page', async () => {
  const { app } = await openConsole();
  await app.getByRole('tab', { name: 'Indicators' }).click();
  const panel = app.getByTestId('review-panel');
  await panel.waitFor();
  const period = await panel.getByLabel('Period').inputValue();
  await panel.getByTestId('review-space').fill('CONT');
  await panel.getByTestId('publish-review').click();
  const notice = panel.getByTestId('review-notice');
  await notice.getByText(/^Published IT service continuity review Q\d \d{4}/).waitFor();
  await panel.getByTestId('review-page').waitFor();
  await panel.getByTestId('publish-review').click();
  await notice.getByText(/^Updated IT service continuity review Q\d \d{4}/).waitFor();
  const title = `IT service continuity review Q${period.slice(-1)} ${period.slice(0, 4)}`;
  const pages = await call(wb, 'confluence', 'GET', `/wiki/api/v2/pages?title=${encodeURIComponent(title)}`);
  expect((pages.body as { results: unknown[] }).results).toHaveLength(1);
});

test('a reader sees the BIA, the register and the indicators without a control to change them; the services list shows the MTPD flag', async () => {
  const { app } = await openConsole(VIEWER.accountId);
  await app.locator('tr[data-service="svc-customer-portal"]').getByTestId('flags').getByText('RTO not below MTPD').waitFor();
  await chooseService(app, 'Payments');
  await app.getByTestId('bia-suggestion').getByTestId('suggested').waitFor();
  expect(await app.getByTestId('bia-cost').isDisabled()).toBe(true);
  expect(await app.getByTestId('save-bia').count()).toBe(0);
  expect(await app.getByTestId('add-risk').count()).toBe(0);
  expect(await app.getByTestId('risk-row').first().getByRole('button').count()).toBe(0);
  await app.getByRole('tab', { name: 'Indicators' }).click();
  await app.getByTestId('indicator-cards').waitFor();
  expect(await app.getByTestId('publish-review').count()).toBe(0);
  expect(await app.getByTestId('rebuild-indicators').count()).toBe(0);
});
