/**
 * What the panel tells an agent at 3 a.m., through the real resolvers, trigger and local Jira: the
 * stakeholder-update cadence from the last update (panel or Jira reply, counted once), own versus
 * effective RTO, recovery order across services, a Jira that does not answer, the impact never
 * dropped, times in the site's zone, uncatalogued services named, and the issue context's state.
 */
import { adfText, call, comments, createIncident, panelCall, panelFor, PAYMENTS, startWorkbench, stepId, templateId } from '../support/workbench';
import { KvsCatalogueStore } from '../../src/adapters/kvs-catalogue';
import { loadCatalogue, saveCatalogue } from '../../src/services/catalogue';
import { DEFAULT_USER } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';

const MINUTE = 60_000;
let wb: Workbench;

beforeEach(async () => {
  ({ wb } = await startWorkbench());
});
afterEach(async () => {
  await wb.stop();
});

const DEFAULTS = { projectKeys: [], issueTypeNames: ['Incident'], requestTypeNames: [], p1Priorities: ['Highest', 'P1'], majorIncidentQualifies: true, fallbackMappings: [] };
const saveSettings = (settings: Record<string, unknown>) =>
  wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/save', payload: { settings: { ...DEFAULTS, ...settings } } }, { extension: { type: 'jira:adminPage' } }, DEFAULT_USER.accountId) as Promise<any>;

/** A comment as a person writes it in Jira (public unless `internal`), then the app's reaction. */
async function reply(key: string, text: string, internal = false) {
  const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
  const res = await call(wb, 'jira', 'POST', `/rest/api/3/issue/${key}/comment`, { body, ...(internal ? { properties: [{ key: 'sd.public.comment', value: { internal: true } }] } : {}) });
  expect(res.status).toBe(201);
  await wb.idle();
  return (res.body as { id: string }).id;
}

describe('the stakeholder-update cadence', () => {
  test('runs from the last update: one posted through the panel, then a public reply written in Jira; internal notes do not count', async () => {
    const issue = await createIncident(wb, { summary: 'Cadence', priorityId: '1', services: ['Payments'] });
    let panel = await panelFor(wb, issue);
    const inv = panel.data.invocations[0];
    // Tier 1: every 30 min by default; the app's own invocation comment is no update.
    expect(inv.nextUpdate).toMatchObject({ dueAt: inv.startedAt + 30 * MINUTE, cadenceMinutes: 30, state: 'on-track' });
    expect(inv.nextUpdate.lastUpdateAt).toBeUndefined();

    wb.clock.advance(24 * MINUTE);
    expect((await panelFor(wb, issue)).data.invocations[0].nextUpdate.state).toBe('due-soon');
    wb.clock.advance(7 * MINUTE);
    expect((await panelFor(wb, issue)).data.invocations[0].nextUpdate.state).toBe('overdue');

    // An update through the panel (posted as the agent, so its comment event reaches the app too).
    const posted = await panelCall(wb, issue, 'issue-panel/comms/post', { invocationId: inv.id, templateId: templateId(inv, PAYMENTS.internal), audience: 'internal', impact: 'EU cards fail', seen: 0 });
    expect(posted.ok).toBe(true);
    const postedAt = posted.data.invocations[0].nextUpdate.lastUpdateAt;
    expect(postedAt).toBeGreaterThanOrEqual(inv.startedAt + 31 * MINUTE);
    expect(postedAt).toBeLessThanOrEqual(posted.data.serverTime);
    expect(posted.data.invocations[0].nextUpdate).toMatchObject({ dueAt: postedAt + 30 * MINUTE, state: 'on-track' });
    await wb.idle();
    panel = await panelFor(wb, issue);
    expect(panel.data.invocations[0].nextUpdate.lastUpdateAt).toBe(postedAt); // its comment event changed nothing

    wb.clock.advance(10 * MINUTE);
    await reply(issue.key, 'Internal: still investigating the gateway', true);
    expect((await panelFor(wb, issue)).data.invocations[0].nextUpdate.lastUpdateAt).toBe(postedAt);

    wb.clock.advance(5 * MINUTE);
    await reply(issue.key, 'We have failed over; card payments are recovering.');
    panel = await panelFor(wb, issue);
    const next = panel.data.invocations[0].nextUpdate;
    expect(next.lastUpdateAt).toBeGreaterThanOrEqual(postedAt + 15 * MINUTE - 1000);
    expect(next.dueAt).toBe(next.lastUpdateAt + 30 * MINUTE);
  });

  test('a reply delivered twice and out of order with an older one is counted once, and the newest wins', async () => {
    const issue = await createIncident(wb, { summary: 'Duplicates', priorityId: '1', services: ['Payments'] });
    wb.events.configure({ copies: 2, reorderWindow: 2 });
    try {
      wb.clock.advance(5 * MINUTE);
      const body = (text: string) => ({ body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } });
      await call(wb, 'jira', 'POST', `/rest/api/3/issue/${issue.key}/comment`, body('First public update'));
      wb.clock.advance(5 * MINUTE);
      await call(wb, 'jira', 'POST', `/rest/api/3/issue/${issue.key}/comment`, body('Second public update'));
      await wb.idle();
    } finally {
      wb.events.configure({ copies: 1, reorderWindow: 0 });
    }
    const started = (await panelFor(wb, issue)).data.invocations[0].startedAt;
    const next = (await panelFor(wb, issue)).data.invocations[0].nextUpdate;
    expect(next.lastUpdateAt).toBeGreaterThanOrEqual(started + 10 * MINUTE - 1000);
    expect(next.dueAt).toBe(next.lastUpdateAt + 30 * MINUTE);
    const deliveries = wb.events.deliveries.filter((d) => d.eventType === 'avi:jira:commented:issue');
    expect(deliveries.length).toBe(4);
  });

  test('takes the cadence per tier from the settings', async () => {
    expect((await saveSettings({ commsCadence: { 1: '15m', 2: '45m', 3: '3h' } })).ok).toBe(true);
    const issue = await createIncident(wb, { summary: 'Custom cadence', priorityId: '1', services: ['Reporting'] });
    const inv = (await panelFor(wb, issue)).data.invocations[0];
    expect(inv.nextUpdate).toMatchObject({ cadenceMinutes: 180, dueAt: inv.startedAt + 180 * MINUTE });
  });
});

test('own versus effective RTO: both clocks, the committed one named with the dependency that limits it', async () => {
  const issue = await createIncident(wb, { summary: 'Portal down', priorityId: '1', services: ['Customer portal'] });
  const inv = (await panelFor(wb, issue)).data.invocations[0];
  expect(inv).toMatchObject({ ownRtoMinutes: 240, rtoMinutes: 1440, limitedBy: { name: 'Reporting', rtoMinutes: 1440 } });
  expect(inv.ownRtoDueAt).toBe(inv.startedAt + 240 * MINUTE);
  expect(inv.rtoDueAt).toBe(inv.startedAt + 1440 * MINUTE);
  // The app's comment, the first thing people read in Activity, leads with the committed RTO too.
  const [invoked] = await comments(wb, issue.key);
  expect(adfText(invoked.body)).toMatch(/invoked for Customer portal\. Committed RTO 4 h: recover by .+\. Customer portal cannot meet it unless Reporting recovers sooner: through Reporting \(own RTO 24 h\) the effective RTO is 24 h, by .+\. RPO/);
});

test('several affected services: plans in recovery order, dependencies first, and why', async () => {
  const issue = await createIncident(wb, { summary: 'Everything down', priorityId: '1', services: ['Customer portal', 'Reporting', 'Payments'] });
  const panel = (await panelFor(wb, issue)).data;
  expect(panel.invocations.map((i: any) => i.service.name)).toEqual(['Payments', 'Reporting', 'Customer portal']);
  expect(panel.invocations.map((i: any) => i.order.position)).toEqual([1, 2, 3]);
  expect(panel.invocations[0].order.reason).toBe('Payments first: Customer portal depends on it.');
  expect(panel.invocations[2].order.reason).toBe('Customer portal after Payments and Reporting, which it depends on.');
  expect(panel.recoveryOrder).toMatch(/recovery order/);
  // One service alone: no order to explain.
  const single = await createIncident(wb, { summary: 'Only payments', priorityId: '1', services: ['Payments'] });
  expect((await panelFor(wb, single)).data.invocations[0].order).toBeUndefined();
});

describe('when Jira does not answer', () => {
  test('the permission check failing shows the plan read-only, and an action says so in words', async () => {
    const issue = await createIncident(wb, { summary: 'Jira down', priorityId: '1', services: ['Payments'] });
    wb.faults.add({ product: 'jira', pathPrefix: '/rest/api/3/mypermissions', status: 503 });
    try {
      const panel = await panelFor(wb, issue);
      expect(panel.ok).toBe(true);
      expect(panel.data).toMatchObject({ status: 'invoked', jiraUnavailable: true, can: { edit: false, comment: false } });
      expect(panel.data.invocations[0].steps).toHaveLength(5);
      const done = await panelCall(wb, issue, 'issue-panel/step/done', { invocationId: panel.data.invocations[0].id, stepId: stepId(panel.data.invocations[0], PAYMENTS.confirm) });
      expect(done).toMatchObject({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE' } });
      expect(done.error.message).toMatch(/^Jira did not answer/);
      expect(done.error.message).not.toMatch(/HTTP|503/);
    } finally {
      wb.faults.clear();
    }
    expect((await panelFor(wb, issue)).data).toMatchObject({ jiraUnavailable: false, can: { edit: true, comment: true } });
  });

  test('an incident the app does not hold yet says Jira did not answer instead of failing', async () => {
    const low = await createIncident(wb, { summary: 'Unknown yet', priorityId: '3', services: ['Payments'] });
    wb.faults.add({ product: 'jira', method: 'GET', pathPrefix: '/rest/api/3/issue/', status: 503 });
    try {
      const panel = await panelFor(wb, low);
      expect(panel.ok).toBe(true);
      expect(panel.data.status).toBe('jira-unavailable');
      expect(panel.data.reason).toMatch(/^Jira did not answer/);
    } finally {
      wb.faults.clear();
    }
  });
});

test('the impact is appended to a template without {{impact}}; the timeline names the template', async () => {
  const issue = await createIncident(wb, { summary: 'Impact', priorityId: '1', services: ['Payments'] });
  const inv = (await panelFor(wb, issue)).data.invocations[0];
  expect(inv.comms.map((c: any) => [c.name, c.usesImpact])).toEqual([
    [PAYMENTS.internal, true],
    [PAYMENTS.public, false],
  ]);
  const publicId = templateId(inv, PAYMENTS.public);
  const posted = await panelCall(wb, issue, 'issue-panel/comms/post', { invocationId: inv.id, templateId: publicId, audience: 'public', impact: '30 % of EU card payments fail', seen: 0 });
  expect(posted.ok).toBe(true);
  const last = (await comments(wb, issue.key)).at(-1)!;
  const text = adfText(last.body);
  expect(text).toMatch(/^Customer status update\nSome card payments are failing since .*\nImpact: 30 % of EU card payments fail$/);
  // Posted as the agent, not the app.
  const raw = await call(wb, 'jira', 'GET', `/rest/api/3/issue/${issue.key}/comment/${last.id}`);
  expect((raw.body as any).author.accountId).toBe(DEFAULT_USER.accountId);
  const timeline = posted.data.invocations[0].timeline.map((t: any) => t.detail);
  expect(timeline).toContain('Posted a public update: "Customer status update".');
  expect(timeline.join(' ')).not.toContain(publicId);
});

test('comments write their times in the site time zone, labelled', async () => {
  expect((await saveSettings({ siteTimeZone: 'Asia/Kolkata' })).ok).toBe(true);
  const issue = await createIncident(wb, { summary: 'Zones', priorityId: '1', services: ['Payments'] });
  const [invoked] = await comments(wb, issue.key);
  expect(adfText(invoked.body)).toMatch(/recover by \d{1,2} \w{3} \d{4}, \d\d:\d\d GMT\+5:30\./);
  const panel = (await panelFor(wb, issue)).data;
  expect(panel.siteTimeZone).toBe('Asia/Kolkata');
  expect(panel.invocations[0].comms[0].text).toMatch(/since .* GMT\+5:30\./);
});

test('a service the catalogue does not know is named as Jira names it, not by its id', async () => {
  const store = new KvsCatalogueStore();
  const catalogue = await loadCatalogue(store);
  const reporting = catalogue.services.find((s) => s.id === 'svc-reporting')!;
  await saveCatalogue({ services: [{ ...reporting, jsmServiceIds: [] }] }, store, catalogue);
  const issue = await createIncident(wb, { summary: 'Warehouse gone', priorityId: '1', services: ['Reporting'] });
  const panel = (await panelFor(wb, issue)).data;
  expect(panel.status).toBe('no-service');
  expect(panel.unknownServices).toEqual(['Reporting']);
  expect(panel.reason).toBe('None of the affected services is in the continuity catalogue: Reporting.');
  expect(panel.links.consoleModuleKey).toBe('continuity-console');
});
