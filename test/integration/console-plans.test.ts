/**
 * Plan pages where they meet the rest of the app, through the workbench: the demo's plans published by
 * the app itself (`plans/create-page` as Casey) and read back, so incidents run the page's steps; the plan
 * keys on the Service continuity page's resolver, and Confluence disconnected said plainly there while the
 * catalogue keeps working; the incident panel's DRAFT and the plan's problems within the load's budget;
 * the settings page's "Check where plans go"; and resetting to an empty site and back to the demo.
 */
import { CONSOLE, CONSOLE_MODULE_KEY } from '../../src/contract/console';
import { PLANS } from '../../src/contract/plans';
import { SETTINGS } from '../../src/contract/settings';
import { parsePlanPage } from '../../src/domain/pages/plan-parse';
import { DEMO_SERVICES } from '../../workbench/demo/plans';
import type { Workbench } from '../../workbench/workbench';
import { adfText, call, comments, panelFor, startWorkbench, VIEWER } from '../support/workbench';
import { addServices, ALEX, CASEY, editPage, pageAdf, planOfService, planOfServiceNamed, raiseP1, withoutSteps, withSteps, type Answer } from '../support/plans';

let wb: Workbench;

beforeAll(async () => {
  ({ wb } = await startWorkbench());
});
afterAll(async () => {
  await wb.stop();
});
afterEach(() => {
  wb.confluenceConnected = true;
});

/** A resolver of the Service continuity page, as the page calls it. */
const onConsole = async <T = any>(functionKey: string, payload: unknown = {}, accountId = CASEY.accountId) =>
  (await wb.runtime.invokeResolver(CONSOLE_MODULE_KEY, { functionKey, payload }, { extension: { type: 'jira:globalPage' }, moduleKey: CONSOLE_MODULE_KEY, siteUrl: wb.siteUrl, cloudId: 'workbench' }, accountId)) as Answer<T>;

async function ok<T = any>(answer: Promise<Answer<T>>): Promise<T> {
  const a = await answer;
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a.data;
}

const onSettings = async <T = any>(functionKey: string, payload: unknown = {}, accountId = ALEX.accountId) =>
  (await wb.runtime.invokeResolver('continuity-settings', { functionKey, payload }, { extension: { type: 'jira:adminPage' } }, accountId)) as Answer<T>;

const service = (id: string, name: string) => ({ id, name, tier: 1 as const, rtoMinutes: 30, rpoMinutes: 5, ownerAccountId: CASEY.accountId, jsmServiceIds: [], dependsOn: [], components: [], labels: [id.replace(/^svc-/, '')], status: 'active' as const });

describe('the demo', () => {
  it('has its plans published by the app from its template as Casey, approved through the lifecycle, with the steps and templates read back from the pages', async () => {
    for (const demo of DEMO_SERVICES) {
      const plan = (await planOfServiceNamed(demo.service.name))!;
      const page = wb.confluence.page(plan.pageId)!;
      expect(page.title).toBe(demo.plan.title);
      // The app's own template (ADF), not a page the seed wrote itself.
      expect(page.representation).toBe('atlas_doc_format');
      const doc = pageAdf(wb, plan.pageId);
      const parsed = parsePlanPage(doc);
      expect(parsed.readable).toBe(true);
      expect(plan.pageVersion).toBe(page.version);
      // What incidents run is what the page says, with the ids the page reader gives its steps.
      expect(plan.steps).toEqual(parsed.readable ? parsed.steps.map(({ id, title, role, expectedMinutes }) => ({ id, title, role, expectedMinutes })) : []);
      expect(plan.steps.map((s) => [s.title, s.role, s.expectedMinutes])).toEqual(demo.plan.steps.map((s) => [s.title, s.role, s.expectedMinutes]));
      expect(plan.commsTemplates.map((t) => [t.name, t.audience, t.body])).toEqual(demo.plan.commsTemplates.map((t) => [t.name, t.audience, t.body]));
      // Published and approved by Casey: her name in the page's review history, each move recorded.
      expect(plan.statusHistory!.map((h) => [h.status, h.by])).toEqual([
        ['draft', CASEY.accountId],
        ['in-review', CASEY.accountId],
        ['approved', CASEY.accountId],
      ]);
      const text = adfText(doc);
      expect(text).toContain('Casey Continuity');
      expect(text).toContain('Status: Approved');
    }
  });

  it('runs OPS-1 on the Payments page\'s steps and templates, in the panel and its comment', async () => {
    const ops1 = (await call(wb, 'jira', 'GET', '/rest/api/3/issue/OPS-1')).body as { id: string; key: string };
    const panel = await panelFor(wb, { id: ops1.id, key: 'OPS-1' });
    const payments = DEMO_SERVICES.find((d) => d.service.name === 'Payments')!;
    const inv = panel.data.invocations[0];
    expect(inv.steps.map((s: { title: string }) => s.title)).toEqual(payments.plan.steps.map((s) => s.title));
    expect(inv.comms.map((c: { name: string }) => c.name)).toEqual(payments.plan.commsTemplates.map((t) => t.name));
    expect(inv.plan).toMatchObject({ title: 'Payments continuity plan', status: 'approved', draft: false, problems: [] });
    const comment = (await comments(wb, 'OPS-1')).map((c) => adfText(c.body)).join('\n');
    expect(comment).toContain(payments.plan.steps[0]!.title);
    expect(comment).not.toContain('DRAFT');
  });
});

describe('the Service continuity page\'s resolver', () => {
  it('answers the plan keys: where pages go, a new plan page, and a status move with who and when', async () => {
    const state = await ok(onConsole(PLANS.confluence));
    expect(state).toMatchObject({ connected: 'connected', location: { ok: true } });
    expect(state.message).toContain('(CONT)');
    await addServices([service('svc-mail', 'Mail')]);
    const created = await ok(onConsole(PLANS.createPage, { serviceId: 'svc-mail' }));
    expect(created).toMatchObject({ status: 'draft', page: { version: 1 } });
    await wb.idle();
    const moved = await ok(onConsole(PLANS.setStatus, { planId: created.id, status: 'in-review', expected: 'draft' }));
    expect(moved.statusHistory.map((h: { status: string; byName?: string }) => h.status)).toEqual(['draft', 'in-review']);
    // A viewer reads the registry, and may not move a plan.
    expect(await onConsole(PLANS.setStatus, { planId: created.id, status: 'approved' }, VIEWER.accountId)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const registry = await ok(onConsole(CONSOLE.listPlans, {}, VIEWER.accountId));
    const row = registry.items.find((p: { id: string }) => p.id === created.id);
    expect(row).toMatchObject({ status: 'in-review', lastMove: { status: 'in-review', by: { accountId: CASEY.accountId, displayName: 'Casey Continuity' } }, page: { id: created.page.id } });
  });

  it('says plainly when Confluence is not connected, refuses plan pages, and keeps the catalogue working', async () => {
    wb.confluenceConnected = false;
    const state = await ok(onConsole(PLANS.confluence));
    expect(state.connected).toBe('not-connected');
    expect(state.message).toMatch(/^Confluence must be connected to this app for plan pages/);
    await addServices([service('svc-vpn', 'VPN')]);
    expect(await onConsole(PLANS.createPage, { serviceId: 'svc-vpn' })).toMatchObject({ ok: false, error: { code: 'CONFLUENCE_NOT_CONNECTED' } });
    const listed = await ok(onConsole(CONSOLE.listServices, { view: 'active', sort: 'name' }));
    expect(listed.items.map((s: { name: string }) => s.name)).toContain('VPN');
    const saved = await ok(onConsole(CONSOLE.savePlan, { plan: { serviceId: 'svc-vpn', title: 'VPN plan', status: 'draft', stepsText: 'Restart the concentrator — Network on-call — 10m' } }));
    expect(saved).toMatchObject({ title: 'VPN plan', stepCount: 1 });
  });
});

describe('the incident panel', () => {
  it('marks a draft plan DRAFT and names its page\'s problems, within its budget (≤ 2 storage operations, 1 Jira call)', async () => {
    await addServices([service('svc-identity', 'Identity')]);
    const created = await ok(onConsole(PLANS.createPage, { serviceId: 'svc-identity' }));
    await wb.idle();
    await editPage(wb, created.page.id, withSteps([['1', 'Fail over the identity provider', 'IAM on-call', '20 min']]), ALEX.accountId);
    await editPage(wb, created.page.id, withoutSteps, ALEX.accountId);
    const change = await raiseP1(wb, { summary: 'Rotate the identity provider certificates', labels: ['identity'], issueType: 'Change' });
    const issue = await raiseP1(wb, { summary: 'Nobody can sign in', labels: ['identity'] });

    wb.runtime.invocationRecords.clear();
    const panel = await panelFor(wb, issue);
    const inv = panel.data.invocations[0];
    expect(inv.steps.map((s: { title: string }) => s.title)).toEqual(['Fail over the identity provider']);
    expect(inv.plan).toMatchObject({ status: 'draft', draft: true });
    const version = (await planOfService('svc-identity'))!.stepsProblem!.sinceVersion;
    expect(inv.plan.problems).toEqual([
      `The plan page has had no readable recovery steps since version ${version}, edited by Alex Agent. Incidents get the last readable steps.`,
      `Review due: changed by ${change.key}`,
    ]);
    const [record] = wb.runtime.invocationRecords();
    expect(record.calls.filter((c) => c.type === 'storage').length).toBeLessThanOrEqual(2);
    expect(record.calls.filter((c) => c.type === 'product').length).toBeLessThanOrEqual(1);
  });
});

describe('the settings page', () => {
  it('checks where plans go, in plain words, for what is typed: the space, the parent page, and whether the app may write there', async () => {
    expect(await ok(onSettings(SETTINGS.checkPlanLocation, { planSpaceKey: 'CONT', planParentPageId: '' }))).toEqual({
      ok: true,
      message: 'Plan pages are published in Service Continuity (CONT) under "Service Continuity Home", and the app can write there.',
    });
    expect(await ok(onSettings(SETTINGS.checkPlanLocation, { planSpaceKey: 'NOPE' }))).toEqual({ ok: false, field: 'planSpaceKey', message: 'Confluence has no space with the key NOPE that the app can see.' });
    expect(await ok(onSettings(SETTINGS.checkPlanLocation, { planSpaceKey: 'CONT', planParentPageId: '999999' }))).toEqual({ ok: false, field: 'planParentPageId', message: 'Confluence has no page 999999 that the app can see.' });
    expect(await ok(onSettings(SETTINGS.checkPlanLocation, { planSpaceKey: '' }))).toMatchObject({ ok: false, field: 'planSpaceKey' });
    expect(await onSettings(SETTINGS.checkPlanLocation, { planSpaceKey: 'CONT' }, CASEY.accountId)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    wb.confluenceConnected = false;
    expect(await ok(onSettings(SETTINGS.checkPlanLocation, { planSpaceKey: 'CONT' }))).toMatchObject({ ok: false, field: 'confluence' });
  });

  it('saves the plan space, the parent page and the change request types, and loads them back (empty for none)', async () => {
    const loaded = await ok(onSettings(SETTINGS.load));
    expect(loaded.settings).toMatchObject({ planSpaceKey: 'CONT', planParentPageId: '', changeIssueTypeNames: ['Change'] });
    const saved = await ok(onSettings(SETTINGS.save, { settings: { ...loaded.settings, planSpaceKey: '', changeIssueTypeNames: [] } }));
    expect(saved.settings).toMatchObject({ planSpaceKey: '', planParentPageId: '', changeIssueTypeNames: [] });
    await ok(onSettings(SETTINGS.save, { settings: loaded.settings }));
  });
});

describe('resetting', () => {
  it('to an empty site leaves no catalogue and no plan pages; back to the demo publishes them again', async () => {
    await wb.reset({ empty: true });
    expect((await ok(onConsole(CONSOLE.load))).summary).toMatchObject({ services: 0, plans: 0 });
    const space = (await call(wb, 'confluence', 'GET', '/wiki/api/v2/spaces?keys=CONT')).body as { results: Array<{ id: string }> };
    const pages = (await call(wb, 'confluence', 'GET', `/wiki/api/v2/spaces/${space.results[0]!.id}/pages`)).body as { results: Array<{ title: string }> };
    expect(pages.results.map((p) => p.title)).toEqual(['Service Continuity Home']);
    await wb.reset();
    await wb.idle();
    const plan = (await planOfServiceNamed('Payments'))!;
    expect(plan.status).toBe('approved');
    expect(wb.confluence.page(plan.pageId)?.representation).toBe('atlas_doc_format');
  });
});
