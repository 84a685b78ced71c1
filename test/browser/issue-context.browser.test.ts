/**
 * The issue context in headless Chromium: collapsed in the right column with the RTO clock as its
 * status, expanded to the compact state (plan, countdown, progress, next update) with one resolver
 * call, and, next to the issue panel, each surface with its own single call.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { addIssuePanel, browserSuite } from '../support/browser';
import { createIncident } from '../support/workbench';
import type { Workbench } from '../../workbench/workbench';

const MINUTE = 60_000;
let wb: Workbench;
let url: string;
let context: BrowserContext;
browserSuite((s) => ({ wb, url, context } = s), { afterEach: (wb) => wb.clock.reset() });

function invokesOf(page: Page): string[] {
  const invokes: string[] = [];
  page.on('request', (r) => {
    if (!r.url().endsWith('/__forge/bridge')) return;
    const body = JSON.parse(r.postData() ?? '{}');
    if (body.type === 'invoke') invokes.push(body.payload.functionKey);
  });
  return invokes;
}

test('collapsed, it shows the committed RTO clock as its status; expanded, the compact state in one resolver call', async () => {
  const issue = await createIncident(wb, { summary: 'Context', priorityId: '1', services: ['Customer portal'] });
  wb.clock.advance(200 * MINUTE); // 83 % of the committed 4 h
  const page = await context.newPage();
  const invokes = invokesOf(page);
  await page.goto(`${url}/browse/${issue.key}`);
  const toggle = page.getByRole('button', { name: /Continuity clock/ });
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  const status = toggle.locator('[data-status="lozenge"]');
  expect(await status.textContent()).toBe('RTO 40 min left');
  expect(await status.getAttribute('class')).toContain('lozenge-moved'); // amber
  expect(await page.evaluate(() => !!document.querySelector('[data-module="continuity-issue-context"]')!.closest('aside.issue-side'))).toBe(true);
  expect(invokes).toEqual([]);

  await toggle.click();
  const frame = page.frameLocator('iframe[title="Continuity clock"]');
  await frame.getByTestId('context-countdown').waitFor();
  expect(await frame.getByTestId('context-plan').textContent()).toBe('Customer portal continuity plan');
  expect(await frame.getByTestId('context-countdown').getAttribute('data-state')).toBe('warning');
  expect(await frame.getByTestId('context-countdown').textContent()).toMatch(/^(39|40) min \d\d s left$/);
  expect(await frame.getByTestId('context-limited').textContent()).toBe('Cannot be met unless Reporting recovers sooner (effective RTO 24 h).');
  expect(await frame.getByTestId('context-progress').textContent()).toBe('0 of 4 steps (0 %)');
  await frame.getByTestId('context-next-update').waitFor();
  expect(invokes).toEqual(['issue-context/load']);

  // Jira keeps it expanded for this person; the panel, once added, makes its own single call.
  await page.reload();
  const invokesAfter = invokesOf(page);
  await page.frameLocator('iframe[title="Continuity clock"]').getByTestId('context-countdown').waitFor();
  const panel = await addIssuePanel(page, 'Service continuity');
  await panel.getByTestId('countdown').waitFor();
  expect(invokesAfter.sort()).toEqual(['issue-context/load', 'issue-panel/load']);
});

test('on an incident without a plan it says so, and its status stays empty', async () => {
  const issue = await createIncident(wb, { summary: 'Not a P1', priorityId: '3', services: ['Payments'] });
  const page = await context.newPage();
  await page.goto(`${url}/browse/${issue.key}`);
  const toggle = page.getByRole('button', { name: /Continuity clock/ });
  expect(await toggle.locator('[data-status]').count()).toBe(0);
  await toggle.click();
  await page.frameLocator('iframe[title="Continuity clock"]').getByTestId('context-not-linked').waitFor();
});
