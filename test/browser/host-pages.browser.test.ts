/**
 * The host pages in headless Chromium, as a person uses them: following the panel's plan link to
 * Confluence, the issue view's placement of the app's modules (issue panels behind the quick-add
 * button, issue contexts collapsible and remembered per person, with dynamic properties), Activity,
 * the incident list, and the controls page's forms.
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { addIssuePanel, browserSuite } from '../support/browser';
import { adfText, call, comments, ROOT } from '../support/workbench';
import { USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';

// A dynamicProperties function for the issue context below, as an app would ship it.
const FIXTURE_FUNCTIONS = path.join(ROOT, 'dist/functions/host-fixture.js');
jest.doMock(
  FIXTURE_FUNCTIONS,
  () => ({
    // Jira passes `{ cloudId, extension }` (developer.atlassian.com, jira-issue-context "Dynamic properties").
    contextProperties: ({ extension }: { cloudId: string; extension: { type: string; issue: { key: string } } }) => ({
      title: 'Continuity now',
      status: { type: 'lozenge', value: { label: `RTO ${extension.issue.key}`, type: 'removed' } },
    }),
  }),
  { virtual: true },
);

let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s), { afterEach: (wb) => wb.clock.reset() });

async function open(p: string, cookies: Record<string, string> = {}): Promise<Page> {
  const host = new URL(url).hostname;
  await context.addCookies(Object.entries(cookies).map(([name, value]) => ({ name, value, domain: host, path: '/' })));
  const page = await context.newPage();
  await page.goto(`${url}${p}`);
  return page;
}

test("the continuity panel's plan link opens the plan page, with no sign-in prompt", async () => {
  const page = await open('/browse/OPS-1');
  const panel = await addIssuePanel(page, 'Service continuity');
  const link = panel.locator('a[href*="/wiki/spaces/"]').first();
  await link.waitFor();
  expect(await link.getAttribute('target')).toBe('_blank');
  const href = (await link.getAttribute('href'))!;
  const plan = await context.newPage(); // the link opens a new tab
  const response = await plan.goto(new URL(href, url).toString());
  expect(response!.status()).toBe(200);
  expect(await response!.headerValue('www-authenticate')).toBeNull();
  expect(await plan.textContent('#page-title')).toBe('Payments continuity plan');
  await plan.getByText('Fail payment traffic over to the secondary region').waitFor();
  // The header's Confluence link lands on the space, which lists the plan.
  await plan.getByRole('link', { name: 'Confluence' }).click();
  await plan.getByRole('link', { name: 'Payments continuity plan' }).waitFor();
});

test('an issue panel appears only once added with the quick-add button, above Activity, and stays added', async () => {
  const page = await open('/browse/OPS-1');
  const invokes: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/__forge/bridge') && JSON.parse(r.postData() ?? '{}').type === 'invoke') invokes.push(r.url());
  });
  const add = page.getByRole('button', { name: 'Add Service continuity' });
  expect(await add.getAttribute('aria-pressed')).toBe('false');
  expect(await page.locator('iframe[title="Service continuity"]').isVisible()).toBe(false);
  await page.waitForTimeout(300);
  expect(invokes).toEqual([]);

  const panel = await addIssuePanel(page, 'Service continuity');
  await panel.getByTestId('plan-title').waitFor();
  expect(await add.getAttribute('aria-pressed')).toBe('true');
  const placement = await page.evaluate(() => {
    const section = document.querySelector('#panel-continuity-issue-panel')!;
    const activity = document.querySelector('#activity')!;
    return { inMain: !!section.closest('.issue-main'), beforeActivity: !!(section.compareDocumentPosition(activity) & Node.DOCUMENT_POSITION_FOLLOWING) };
  });
  expect(placement).toEqual({ inMain: true, beforeActivity: true });

  await page.reload();
  await page.frameLocator('iframe[title="Service continuity"]').getByTestId('plan-title').waitFor();
  await page.getByRole('button', { name: 'Remove Service continuity' }).click();
  expect(await page.locator('#panel-continuity-issue-panel').isVisible()).toBe(false);
  await page.reload();
  expect(await page.locator('#panel-continuity-issue-panel').isVisible()).toBe(false);
});

test('an issue context is a collapsible panel under the fields, remembered per person, with its dynamic properties in the header', async () => {
  wb.manifest.functions.set('context-properties', { key: 'context-properties', handler: 'host-fixture.contextProperties' });
  wb.manifest.uiModules.push({
    type: 'jira:issueContext',
    key: 'continuity-context',
    resource: 'issue-panel',
    resolver: { function: 'issue-panel-resolver' },
    title: 'Continuity',
    label: 'Continuity',
    dynamicProperties: { function: 'context-properties' },
  } as never);
  try {
    const page = await open('/browse/OPS-1');
    const toggle = page.getByRole('button', { name: /Continuity now/ });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.locator('[data-status="lozenge"]').textContent()).toBe('RTO OPS-1');
    expect(await page.evaluate(() => !!document.querySelector('[data-module="continuity-context"]')!.closest('aside.issue-side'))).toBe(true);
    expect(await page.locator('iframe[title="Continuity"]').getAttribute('src')).toBeNull();

    await toggle.click();
    const frame = page.frameLocator('iframe[title="Continuity"]');
    await frame.locator('body').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // The frame carries the issue context's own extension, as Jira gives it.
    const ext = await page.frames().find((f) => f.url().includes('/__forge/resource/issue-panel/') && f.parentFrame())!.evaluate(async () => (await (globalThis as any).__bridge.callBridge('getContext')).extension);
    expect(ext).toMatchObject({ type: 'jira:issueContext', issue: { key: 'OPS-1', type: 'Incident' }, project: { key: 'OPS' } });

    await page.reload();
    expect(await page.getByRole('button', { name: /Continuity now/ }).getAttribute('aria-expanded')).toBe('true');
    // Another person has not expanded it.
    await page.selectOption('#wb-user', USERS[1].accountId);
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: /Continuity now/ }).waitFor();
    expect(await page.getByRole('button', { name: /Continuity now/ }).getAttribute('aria-expanded')).toBe('false');
  } finally {
    wb.manifest.uiModules.pop();
    wb.manifest.functions.delete('context-properties');
  }
});

test("Activity lists the issue's comments, internal and public, rendered safely", async () => {
  await call(wb, 'jira', 'POST', '/rest/api/3/issue/OPS-2/comment', {
    body: {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Customers told <script>alert(1)</script>; ' }, { type: 'mention', attrs: { id: USERS[1].accountId } }, { type: 'text', text: ' is on it.', marks: [{ type: 'strong' }] }] }],
    },
  });
  const page = await open('/browse/OPS-2');
  const activity = page.getByRole('region', { name: 'Activity' });
  const items = activity.getByRole('listitem');
  const newest = items.first();
  expect(await newest.locator('.author').textContent()).toBe('Alex Agent');
  expect(await newest.locator('[data-visibility]').textContent()).toBe('Public');
  expect(await newest.locator('.comment-body').textContent()).toBe(`Customers told <script>alert(1)</script>; @${USERS[1].displayName} is on it.`);
  expect(await newest.locator('.comment-body script').count()).toBe(0);
  // The app's invocation comment is internal.
  const appComment = items.filter({ hasText: 'Service Continuity (app)' }).first();
  expect(await appComment.locator('[data-visibility]').textContent()).toBe('Internal');
  const [invocationComment] = await comments(wb, 'OPS-2'); // the oldest; its mention shows the owner's name
  const owner = USERS.find((u) => u.displayName === 'Casey Continuity')!;
  expect(await appComment.locator('.comment-body').textContent()).toBe(adfText(invocationComment.body).replace(/\n/g, '').replace(`@${owner.accountId}`, `@${owner.displayName}`));
});

test('the incident list shows continuity columns, and the Major incident flag stands apart from the services', async () => {
  const page = await open('/jira/servicedesk/projects/OPS/queues');
  expect(await page.locator('tr[data-key="OPS-1"] td[data-col="continuity"]').textContent()).toBe('Open · 1 plan');
  expect(await page.locator('tr[data-key="OPS-3"] td[data-col="rto-due"]').textContent()).toBe('—');
  expect(await page.getByRole('group', { name: 'Major incident' }).getByRole('checkbox', { name: 'Major incident' }).count()).toBe(1);
  expect(await page.getByRole('group', { name: 'Affected services' }).getByRole('checkbox', { name: 'Major incident' }).count()).toBe(0);
});

/** Raises an incident in the queue's form as Alex; answers the status line once the form has said something other than "Creating…". */
async function raiseInForm(page: Page, summary: string): Promise<void> {
  await page.fill('#summary', summary);
  await page.selectOption('#priority', { label: 'Highest' });
  await page.getByRole('group', { name: 'Affected services' }).getByLabel('Payments', { exact: true }).check();
  await page.click('#create-submit');
}

test("a Jira fault injected for the app leaves the person's form alone: the incident is raised and the app's requests use the fault", async () => {
  wb.faults.add({ product: 'jira', status: 429, retryAfterSeconds: 0, count: 20 });
  try {
    const page = await open('/jira/servicedesk/projects/OPS/queues');
    await Promise.all([page.waitForURL(/\/browse\/OPS-\d+$/), raiseInForm(page, 'Raised while Jira limits the app')]);
    await wb.idle();
    expect(wb.faults.injected.jira).toBeGreaterThan(0);
    const left = wb.faults.list();
    expect(left.length === 0 || left[0].remaining === 20 - wb.faults.injected.jira).toBe(true);
  } finally {
    wb.faults.clear();
  }
});

test('when Jira refuses the form, the person reads why in words, with the status', async () => {
  wb.faults.add({ product: 'jira', status: 429, retryAfterSeconds: 2, method: 'POST', pathPrefix: '/rest/api/3/issue', count: 1, callers: 'all' });
  try {
    const page = await open('/jira/servicedesk/projects/OPS/queues');
    await raiseInForm(page, 'Raised while Jira limits everyone');
    await page.waitForFunction(() => !['', 'Creating…'].includes(document.getElementById('create-status')?.textContent ?? ''));
    expect(await page.locator('#create-status').textContent()).toBe('Jira did not create the incident: it answered 429 (rate limited). Try again in a moment.');
    expect(wb.faults.list()).toEqual([]);
    expect(page.url()).toMatch(/\/queues$/);
  } finally {
    wb.faults.clear();
  }
});

test('no host page asks for something the workbench does not serve: the pages have an icon', async () => {
  const failed: string[] = [];
  context.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? 'failed'}`));
  context.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.url()} ${response.status()}`);
  });
  const icons: Array<string | null | undefined> = [];
  for (const p of ['/jira/servicedesk/projects/OPS/queues', '/browse/OPS-1']) {
    const page = await open(p);
    await page.waitForLoadState('networkidle');
    icons.push(await page.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href')));
    // Headless Chromium fetches no icon; a desktop browser asks for the page's icon, or /favicon.ico without one.
    const asked = await page.evaluate(() => fetch(document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '/favicon.ico').then((r) => ({ url: r.url, status: r.status })));
    if (asked.status >= 400) failed.push(`${asked.url} ${asked.status} (the page's icon)`);
    await page.close();
  }
  expect(failed).toEqual([]);
  expect(icons).toEqual(['/favicon.svg', '/favicon.svg']);
  const icon = await fetch(`${url}/favicon.ico`); // for a browser that asks there anyway, or a page without the link
  expect(icon.status).toBe(200);
  expect(icon.headers.get('content-type')).toBe('image/svg+xml');
});

test('the controls page changes the clock, faults and event delivery, moves OPS-1 along its RTO and resets, with plain forms', async () => {
  const page = await open('/__workbench');
  const submit = async (form: string, button = 'button[type=submit]') => {
    await Promise.all([page.waitForEvent('load'), page.locator(`form[data-control="${form}"] ${button}`).first().click()]);
  };
  await page.getByLabel('Advance by').fill('30m');
  await submit('clock-advance');
  expect(wb.clock.offset).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
  expect(await page.getByRole('status').first().textContent()).toBe('Done: clock advance.');
  await submit('clock-reset');
  expect(Math.abs(wb.clock.offset)).toBeLessThan(1000);

  await page.getByLabel('Product').selectOption('confluence');
  await page.getByLabel('Status or latency (ms)').fill('429');
  await page.getByLabel('Count').fill('2');
  await page.getByLabel('Path prefix').fill('/wiki/api/v2/pages<b>');
  await submit('fault-add');
  expect(wb.faults.list()).toEqual([{ product: 'confluence', status: 429, count: 2, pathPrefix: '/wiki/api/v2/pages<b>', callers: 'app', remaining: 2 }]);
  expect(await page.locator('#faults').textContent()).toContain('pathPrefix=/wiki/api/v2/pages<b>');
  expect(await page.locator('#faults').textContent()).toContain('remaining=2');
  await page.getByLabel('Product').selectOption('jira');
  await page.getByLabel('Status or latency (ms)').fill('503');
  await page.getByLabel("Also people's requests").check();
  await submit('fault-add');
  expect(wb.faults.list()[1]).toEqual({ product: 'jira', status: 503, callers: 'all' });
  await submit('faults-clear');
  expect(wb.faults.list()).toEqual([]);

  await page.getByLabel('Twice (duplicates)').check();
  await submit('delivery');
  expect(wb.events.settings).toMatchObject({ copies: 2, reorderWindow: 0 });
  await page.getByLabel('Reordered').check();
  await page.getByLabel('Events held and delivered newest first').fill('4');
  await submit('delivery');
  expect(wb.events.settings).toMatchObject({ copies: 1, reorderWindow: 4 });
  await page.getByLabel('Once, in order').check();
  await submit('delivery');
  expect(wb.events.settings).toMatchObject({ copies: 1, reorderWindow: 0 });

  // A bad duration is refused in the page, before anything is sent.
  await page.getByLabel('Advance by').fill('soon');
  await page.locator('form[data-control="clock-advance"] button').click();
  await page.getByText('Not a duration: "soon"').waitFor();

  await page.getByLabel('OPS-1 at this % of its RTO').fill('110');
  await submit('demo-rto');
  expect((await comments(wb, 'OPS-1')).some((c) => adfText(c.body).includes('RTO breached'))).toBe(true);

  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reset to an empty site' }).click()]);
  const search = async () => ((await call(wb, 'jira', 'GET', '/rest/api/3/search/jql?jql=project%3DOPS&fields=summary')).body as { issues: unknown[] }).issues;
  expect(await search()).toEqual([]);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reset to the demo' }).click()]);
  expect(await search()).toHaveLength(3);
});

test('host pages follow the dark theme through design tokens', async () => {
  const page = await open('/browse/OPS-1');
  const colours = () => page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('.issue-context, .card')!).borderColor]);
  const light = await colours();
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Dark theme' }).click()]);
  expect(await page.getAttribute('html', 'data-color-mode')).toBe('dark');
  const dark = await colours();
  expect(light[0]).toBe('rgb(255, 255, 255)');
  expect(dark[0]).not.toBe(light[0]);
  expect(dark[1]).not.toBe(light[1]);
});
