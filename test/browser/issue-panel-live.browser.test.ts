/**
 * Several responders at once, in headless Chromium: two people have the panel open on one incident
 * (and one of them the issue context too); what one does appears in the other's panel and issue
 * context within a couple of seconds, without a reload, over Forge Realtime as the workbench emulates it.
 */
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { addIssuePanel, launchChromium } from '../support/browser';
import { createIncident, invokedIds, startWorkbench } from '../support/workbench';
import { DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';

const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
let wb: Workbench;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ({ wb, url } = await startWorkbench());
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await wb?.stop();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** A person's own browser on the issue: the panel added, and (if asked) the issue context expanded. */
async function responder(accountId: string, key: string, expandContext = false): Promise<{ page: Page; panel: FrameLocator; context: FrameLocator }> {
  const context = await browser.newContext();
  contexts.push(context);
  const host = new URL(url).hostname;
  const cookies = [{ name: 'wb_user', value: accountId, domain: host, path: '/' }];
  if (expandContext) cookies.push({ name: 'wb_expanded', value: `${accountId}~continuity-issue-context`, domain: host, path: '/' });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.goto(`${url}/browse/${key}`);
  const panel = await addIssuePanel(page, 'Service continuity');
  await panel.getByTestId('plan-title').waitFor();
  return { page, panel, context: page.frameLocator('iframe[title="Continuity clock"]') };
}

test('one responder ticks a step, posts an update and declares recovery; the other sees each within seconds, without a reload', async () => {
  const issue = await createIncident(wb, { summary: 'Two responders', priorityId: '1', services: ['Payments'] });
  const first = `[data-step="${(await invokedIds(wb, issue)).steps[0]}"]`;
  const alex = await responder(DEFAULT_USER.accountId, issue.key);
  const casey = await responder(CASEY.accountId, issue.key, true);
  await casey.context.getByTestId('context-progress').waitFor();
  // Marks that a reload would wipe out.
  await casey.page.evaluate(() => ((window as any).__stillHere = true));
  for (const f of casey.page.frames()) await f.evaluate(() => ((window as any).__stillHere = true)).catch(() => undefined);

  await alex.panel.getByRole('button', { name: /^Done: step 1,/ }).click();
  await casey.panel.locator(`${first}[data-status="done"]`).waitFor({ timeout: 3000 });
  expect(await casey.panel.locator(first).getByTestId('step-record').textContent()).toMatch(/Done by Alex Agent at/);
  await casey.context.locator('[data-testid="context-progress"]', { hasText: '1 of 5 steps (20 %)' }).waitFor({ timeout: 3000 });

  await alex.panel.getByTestId('post-internal').click();
  await casey.panel.locator('[data-testid="next-update"]', { hasText: 'Last update' }).waitFor({ timeout: 3000 });

  await alex.panel.getByTestId('declare-recovered').click();
  await alex.panel.getByTestId('confirm').click();
  await casey.panel.locator('[data-testid="invocation"][data-state="recovered"]').waitFor({ timeout: 3000 });
  await casey.context.locator('[data-testid="context-invocation"][data-state="recovered"]').waitFor({ timeout: 3000 });

  expect(await casey.page.evaluate(() => (window as any).__stillHere)).toBe(true);
  const frameMarks = await Promise.all(casey.page.frames().filter((f) => f.parentFrame()).map((f) => f.evaluate(() => (window as any).__stillHere === true)));
  expect(frameMarks.every(Boolean)).toBe(true);
});

test("a responder's own change is shown once: the echo of its message does not reload the panel", async () => {
  const issue = await createIncident(wb, { summary: 'Echo', priorityId: '1', services: ['Payments'] });
  const first = `[data-step="${(await invokedIds(wb, issue)).steps[0]}"]`;
  const alex = await responder(DEFAULT_USER.accountId, issue.key);
  const invokes: string[] = [];
  alex.page.on('request', (r) => {
    if (r.url().endsWith('/__forge/bridge') && JSON.parse(r.postData() ?? '{}').type === 'invoke') invokes.push(JSON.parse(r.postData()!).payload.functionKey);
  });
  await alex.panel.getByRole('button', { name: /^Done: step 1,/ }).click();
  await alex.panel.locator(`${first}[data-status="done"]`).waitFor();
  await alex.page.waitForTimeout(1000);
  expect(invokes).toEqual(['issue-panel/step/done']);
});
