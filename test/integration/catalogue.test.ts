/**
 * The service catalogue through the workbench, as the Service continuity page calls it: the role
 * checked server-side on every change, a P1 matched through a service and plan created on the page,
 * CSV import with bad rows, the list's paging, filters and orders, retire versus delete, JSM services
 * learned from incidents, and the demo built through the page's own resolver.
 */
import { CONSOLE, CONSOLE_MODULE_KEY } from '../../src/contract/console';
import { CONTINUITY_MANAGERS_GROUP, DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { call, issueProperty, startWorkbench, VIEWER } from '../support/workbench';

const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
const ALEX = DEFAULT_USER;

type Answer = { ok: true; data: any } | { ok: false; error: { code: string; message: string; field?: string } };

function onPage(wb: Workbench, functionKey: string, payload: unknown = {}, accountId = ALEX.accountId): Promise<any> {
  const context = { cloudId: 'test', moduleKey: CONSOLE_MODULE_KEY, siteUrl: wb.siteUrl, extension: { type: 'jira:globalPage' } };
  return wb.runtime.invokeResolver(CONSOLE_MODULE_KEY, { functionKey, payload }, context, accountId) as Promise<Answer>;
}

async function ok(wb: Workbench, functionKey: string, payload: unknown = {}, accountId = ALEX.accountId): Promise<any> {
  const answer = await onPage(wb, functionKey, payload, accountId);
  if (!answer.ok) throw new Error(`${functionKey}: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

const service = (name: string, fields: Record<string, unknown> = {}) => ({
  service: { name, tier: 2, rto: '', rpo: '', dependsOn: [], jsmServiceIds: [], components: [], labels: [], ...fields },
});

async function setManagerGroups(wb: Workbench, groups: string[]) {
  const context = { extension: { type: 'jira:adminPage' } };
  const loaded = (await wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/load' }, context, ALEX.accountId)) as Answer;
  if (!loaded.ok) throw new Error(loaded.error.message);
  const saved = (await wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/save', payload: { settings: { ...loaded.data.settings, managerGroups: groups } } }, context, ALEX.accountId)) as Answer;
  if (!saved.ok) throw new Error(saved.error.message);
}

describe('on an empty site', () => {
  let wb: Workbench;
  beforeEach(async () => {
    ({ wb } = await startWorkbench({ seed: false }));
    await wb.reset({ empty: true });
  });
  afterEach(async () => {
    await wb.stop();
  });

  test('only a Service Continuity Manager changes the catalogue; everyone reads it', async () => {
    const created = await ok(wb, CONSOLE.saveService, service('Billing', { tier: 1 }));
    const changes: Array<[string, unknown]> = [
      [CONSOLE.saveService, service('Mail')],
      [CONSOLE.saveService, { id: created.service.id, ...service('Billing renamed') }],
      [CONSOLE.retireService, { id: created.service.id }],
      [CONSOLE.deleteService, { id: created.service.id }],
      [CONSOLE.previewCsv, { csv: 'name,tier\nMail,2\n' }],
      [CONSOLE.importCsv, { csv: 'name,tier\nMail,2\n' }],
      [CONSOLE.savePlan, { plan: { serviceId: created.service.id, title: 'Billing plan', status: 'draft' } }],
      [CONSOLE.learnJsm, {}],
    ];
    for (const person of [VIEWER, CASEY]) {
      for (const [key, payload] of changes) {
        const answer = await onPage(wb, key, payload, person.accountId);
        expect({ key, who: person.displayName, answer }).toMatchObject({ key, answer: { ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^Only a Service Continuity Manager can /) } } });
      }
      const view = await ok(wb, CONSOLE.load, {}, person.accountId);
      expect(view.role.manager).toBe(false);
      expect(view.services.items.map((s: { name: string }) => s.name)).toEqual(['Billing']);
      expect((await ok(wb, CONSOLE.listPlans, {}, person.accountId)).items).toEqual([]);
      expect((await ok(wb, CONSOLE.exportCsv, {}, person.accountId)).count).toBe(1);
    }
    // Nothing the refused calls sent was stored.
    expect((await ok(wb, CONSOLE.getService, { id: created.service.id })).name).toBe('Billing');

    // Naming Casey's group in the settings makes her a manager; Vic stays a reader.
    await setManagerGroups(wb, [CONTINUITY_MANAGERS_GROUP]);
    expect((await ok(wb, CONSOLE.load, {}, CASEY.accountId)).role).toEqual({ manager: true, reason: `You are a member of ${CONTINUITY_MANAGERS_GROUP}.` });
    expect((await ok(wb, CONSOLE.saveService, service('Mail'), CASEY.accountId)).service.name).toBe('Mail');
    expect((await onPage(wb, CONSOLE.saveService, service('Chat'), VIEWER.accountId)).ok).toBe(false);
    expect((await ok(wb, CONSOLE.load, {}, ALEX.accountId)).role.reason).toBe('You are a Jira administrator.');
  });

  test('a P1 on a JSM service mapped on the page invokes the plan created there', async () => {
    const [payments] = wb.jira.services();
    const billing = await ok(wb, CONSOLE.saveService, service('Billing', { tier: 1, rto: '45m', rpo: '5m', jsmServiceIds: [payments!.id], ownerAccountId: CASEY.accountId }));
    expect(billing.service).toMatchObject({ id: 'svc-billing', tier: 1, rto: { minutes: 45, text: '45m' }, rpo: { minutes: 5 }, owner: { accountId: CASEY.accountId, displayName: 'Casey Continuity' }, hasApprovedPlan: false });
    const plan = await ok(wb, CONSOLE.savePlan, {
      plan: { serviceId: billing.service.id, title: 'Billing continuity plan', status: 'approved', stepsText: 'Fail over the billing database — DBA — 20 min\nTell finance (Comms lead, 5m)' },
    });
    expect(plan).toMatchObject({ id: 'plan-billing', status: 'approved', stepCount: 2, flags: ['never-reviewed', 'never-tested'] });
    expect((await ok(wb, CONSOLE.getService, { id: billing.service.id })).hasApprovedPlan).toBe(true);

    const ids = wb.jira.fieldIds();
    const created = await call(wb, 'jira', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Billing down', priority: { id: '1' }, [ids.affectedServices]: [{ id: payments!.id }] },
    });
    expect(created.status).toBe(201);
    await wb.idle();
    const key = (created.body as { key: string }).key;
    expect(await issueProperty(wb, key)).toMatchObject({ openInvocations: 1, planIds: ['plan-billing'] });

    // The registry counts the open invocation; the service can no longer be deleted, only retired.
    const registry = await ok(wb, CONSOLE.listPlans);
    expect(registry.items[0]).toMatchObject({ id: 'plan-billing', openInvocations: 1, service: { name: 'Billing', tier: 1 } });
    const refused = await onPage(wb, CONSOLE.deleteService, { id: billing.service.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('has a plan (Billing continuity plan): retire it instead') } });
  });

  test('forms are refused field by field, in words', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [service(''), 'name', /Name must not be empty/],
      [service('A', { tier: 7 }), 'tier', /Tier must be 1, 2 or 3/],
      [service('A', { rto: '5 apples' }), 'rto', /"apples" is not a unit of time/],
      [service('A', { labels: ['has space'] }), 'labels.0', /cannot contain spaces/],
      [service('A', { dependsOn: ['Nothing'] }), 'dependsOn.0', /No service named "Nothing"/],
      [service('A', { ownerAccountId: '5b10-nobody' }), 'ownerAccountId', /no user with this account id/],
      [{ service: 'A' }, 'service', /A service must be an object/],
    ];
    for (const [payload, field, message] of cases) {
      const answer = await onPage(wb, CONSOLE.saveService, payload);
      expect({ payload, answer }).toMatchObject({ answer: { ok: false, error: { code: 'INVALID_INPUT', field, message: expect.stringMatching(message) } } });
    }
    expect(await onPage(wb, CONSOLE.listServices, { view: 'all' })).toMatchObject({ ok: false, error: { field: 'view' } });
    expect(await onPage(wb, CONSOLE.searchUsers, { query: '   ' })).toMatchObject({ ok: false, error: { field: 'query', message: 'The name or email to search for must not be empty.' } });
  });

  test('a dependency cycle is refused and named; inversions and band flags are shown', async () => {
    await ok(wb, CONSOLE.saveService, service('Ledger', { tier: 2, rto: '4h' }));
    const payments = await ok(wb, CONSOLE.saveService, service('Payments', { tier: 1, rto: '1h', dependsOn: ['Ledger'] }));
    expect(payments.service.effectiveRto).toEqual({ minutes: 240, text: '4h' });
    expect(payments.service.inversions).toEqual([{ dependencyId: 'svc-ledger', dependencyName: 'Ledger', dependencyRto: { minutes: 240, text: '4h' } }]);
    const ledger = await ok(wb, CONSOLE.getService, { id: 'svc-ledger' });
    const cycle = await onPage(wb, CONSOLE.saveService, { id: 'svc-ledger', expectedUpdatedAt: ledger.updatedAt, ...service('Ledger', { tier: 2, rto: '4h', dependsOn: ['svc-payments'] }) });
    expect(cycle).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'dependsOn', message: 'These dependencies would form a cycle: Ledger → Payments → Ledger.' } });
    const slow = await ok(wb, CONSOLE.saveService, service('Archive', { tier: 1, rto: '3h' }));
    expect(slow.service.band).toEqual({ flag: 'slower-than-band', message: 'RTO 3h is slower than the Tier 1 (Gold) band of 15m – 1h.' });
    expect(slow.warnings).toContain('RTO 3h is slower than the Tier 1 (Gold) band of 15m – 1h.');
    // Someone else's newer save is not overwritten by a form opened before it.
    const stale = await onPage(wb, CONSOLE.saveService, { id: 'svc-ledger', expectedUpdatedAt: 1, ...service('Ledger', { tier: 3 }) });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('was changed by someone else') } });
    expect((await onPage(wb, CONSOLE.saveService, service('ledger '))).ok).toBe(false); // same name, another case
  });

  test('retire keeps a service with history; delete is for a service nothing refers to', async () => {
    await ok(wb, CONSOLE.saveService, service('Typo servce'));
    expect(await ok(wb, CONSOLE.deleteService, { id: 'svc-typo-servce' })).toEqual({ id: 'svc-typo-servce', name: 'Typo servce' });
    expect(await onPage(wb, CONSOLE.getService, { id: 'svc-typo-servce' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    await ok(wb, CONSOLE.saveService, service('Ledger'));
    await ok(wb, CONSOLE.saveService, service('Payments', { dependsOn: ['Ledger'] }));
    expect(await onPage(wb, CONSOLE.deleteService, { id: 'svc-ledger' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/^Payments depends on Ledger: remove that dependency first, or retire it instead/) } });
    const retired = await ok(wb, CONSOLE.retireService, { id: 'svc-ledger' });
    expect(retired.service.status).toBe('retired');
    expect(retired.warnings).toEqual(['Payments still depends on Ledger: their effective RTO still counts it.']);
    expect((await ok(wb, CONSOLE.listServices, { view: 'retired', sort: 'name' })).items.map((s: { id: string }) => s.id)).toEqual(['svc-ledger']);
    expect((await ok(wb, CONSOLE.listServices, { view: 'active', sort: 'name' })).items.map((s: { id: string }) => s.id)).toEqual(['svc-payments']);
    // A retired service cannot be newly depended on; restoring brings it back to the list.
    expect(await onPage(wb, CONSOLE.saveService, service('Mail', { dependsOn: ['Ledger'] }))).toMatchObject({ ok: false, error: { field: 'dependsOn.0', message: 'Ledger is retired: a service cannot start depending on it.' } });
    expect((await ok(wb, CONSOLE.restoreService, { id: 'svc-ledger' })).service.status).toBe('active');
  });

  test('CSV: bad rows reported by line and reason, good rows imported, a re-import updates by name', async () => {
    const csv = [
      'name,tier,rto,rpo,owner,depends_on,labels',
      'Payments,1,1h,5m,casey.continuity@example.com,Ledger,payments',
      'Ledger,2,4h,,,,',
      'Broken,9,1h,,,,',
      'Mail,3,2 apples,,,,',
      'Orphan,2,,,,Nowhere,',
      'Ghost,2,,,nobody@example.com,,',
      '"=HYPERLINK(""http://evil"")",3,,,,,',
    ].join('\n');
    const preview = await ok(wb, CONSOLE.previewCsv, { csv });
    expect(preview.errors).toEqual([
      { line: 4, column: 'tier', reason: 'Tier must be 1, 2 or 3 (Gold, Silver or Bronze).' },
      { line: 5, column: 'rto', reason: 'RTO: "apples" is not a unit of time; use m, h or d.' },
      { line: 6, column: 'depends_on', reason: 'No service named "Nowhere" in the catalogue or in this file.' },
      { line: 7, column: 'owner', reason: 'No Jira user you can see has the email address nobody@example.com.' },
    ]);
    expect(preview.rows.map((r: { line: number; action: string }) => `${r.line}:${r.action}`)).toEqual(['2:create', '3:create', '8:create']);
    expect((await ok(wb, CONSOLE.listServices)).items).toEqual([]); // a preview writes nothing

    const imported = await ok(wb, CONSOLE.importCsv, { csv });
    expect(imported).toMatchObject({ done: true, notWritten: [], unchanged: [] });
    // Ledger is written before Payments, which depends on it.
    expect(imported.written.map((w: { line: number }) => w.line)).toEqual([3, 2, 8]);
    const payments = await ok(wb, CONSOLE.getService, { id: 'svc-payments' });
    expect(payments).toMatchObject({ owner: { accountId: CASEY.accountId }, dependsOn: [{ id: 'svc-ledger', name: 'Ledger' }], rto: { text: '1h' }, rpo: { text: '5m' } });

    // The same file again changes nothing; a changed RTO updates the service of that name.
    const again = await ok(wb, CONSOLE.importCsv, { csv });
    expect(again).toMatchObject({ written: [], unchanged: [2, 3, 8], done: true });
    const update = await ok(wb, CONSOLE.previewCsv, { csv: 'name,tier,rto\npayments ,1,30m\n' });
    expect(update.rows).toEqual([{ line: 2, name: 'payments', action: 'update', changes: ['name', 'RTO'] }]);
    await ok(wb, CONSOLE.importCsv, { csv: 'name,tier,rto\nPayments,1,30m\n' });
    expect((await ok(wb, CONSOLE.getService, { id: 'svc-payments' })).rto.text).toBe('30m');
    expect((await ok(wb, CONSOLE.load)).summary.services).toBe(3);

    // The export neutralises the formula-looking name and reads back as the same catalogue.
    const exported = await ok(wb, CONSOLE.exportCsv);
    expect(exported.csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect((await ok(wb, CONSOLE.previewCsv, { csv: exported.csv })).rows.map((r: { action: string }) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  test('the list pages through the index and filters by tier, plan coverage and name, in three orders', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `Service ${String(i + 1).padStart(2, '0')},${(i % 3) + 1},${60 + i}m`);
    await ok(wb, CONSOLE.importCsv, { csv: ['name,tier,rto', ...rows, 'Alpha,1,20m'].join('\n') });
    await ok(wb, CONSOLE.savePlan, { plan: { serviceId: 'svc-alpha', title: 'Alpha plan', status: 'approved' } });
    await ok(wb, CONSOLE.savePlan, { plan: { serviceId: 'svc-service-02', title: 'Draft plan', status: 'draft' } });

    const first = await ok(wb, CONSOLE.listServices, { view: 'active', sort: 'name' });
    expect(first.items).toHaveLength(25);
    expect(first.items[0].name).toBe('Alpha');
    const second = await ok(wb, CONSOLE.listServices, { view: 'active', sort: 'name', cursor: first.cursor });
    expect(second.items.map((s: { name: string }) => s.name)).toEqual(['Service 25', 'Service 26', 'Service 27', 'Service 28', 'Service 29', 'Service 30']);
    expect(second.cursor).toBeUndefined();

    const gaps = await ok(wb, CONSOLE.listServices, { view: 'no-approved-plan', sort: 'name', tier: 1 });
    expect(gaps.items.map((s: { name: string }) => s.name)).toEqual(['Service 01', 'Service 04', 'Service 07', 'Service 10', 'Service 13', 'Service 16', 'Service 19', 'Service 22', 'Service 25', 'Service 28']);
    expect((await ok(wb, CONSOLE.listServices, { view: 'active', sort: 'rto', tier: 1 })).items.map((s: { rto: { minutes: number } }) => s.rto.minutes).slice(0, 3)).toEqual([20, 60, 63]);
    const byTier = await ok(wb, CONSOLE.listServices, { view: 'active', sort: 'tier' });
    expect(byTier.items.map((s: { tier: number }) => s.tier).slice(0, 12)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
    expect((await ok(wb, CONSOLE.listServices, { view: 'active', sort: 'rto', search: 'service 1' })).items.map((s: { name: string }) => s.name)).toEqual([
      'Service 10', 'Service 11', 'Service 12', 'Service 13', 'Service 14', 'Service 15', 'Service 16', 'Service 17', 'Service 18', 'Service 19',
    ]);

    // A page costs a bounded number of storage calls whatever the catalogue's size: no scan.
    const before = wb.runtime.invocationRecords().length;
    await ok(wb, CONSOLE.listServices, { view: 'active', sort: 'name', cursor: first.cursor });
    const record = wb.runtime.invocationRecords().slice(before).find((r) => r.functionKey === 'console-resolver')!;
    const queries = record.calls.filter((c) => c.type === 'storage' && /query/i.test(c.op));
    expect(queries).toHaveLength(2); // one per listing partition
  });

  test('JSM services are learned from the Affected services of incidents, and mapped ids checked against them', async () => {
    const [payments, portal] = wb.jira.services();
    const ids = wb.jira.fieldIds();
    for (const [summary, jsm] of [['Card failures', payments!], ['Portal 502', portal!]] as const) {
      await call(wb, 'jira', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary, priority: { id: '3' }, [ids.affectedServices]: [{ id: jsm.id }] } });
    }
    await ok(wb, CONSOLE.saveService, service('Payments', { jsmServiceIds: [payments!.id, 'made-up-id'] }));
    const learned = await ok(wb, CONSOLE.learnJsm);
    expect(learned).toMatchObject({ fieldFound: true, incidentsRead: 2, bounded: false, assets: { state: 'unavailable' } });
    expect(learned.services.map((s: { id: string; name: string; mappedTo: Array<{ name: string }> }) => [s.id, s.name, s.mappedTo.map((m) => m.name)])).toEqual([
      [portal!.id, 'Customer portal', []],
      [payments!.id, 'Payments', ['Payments']],
    ]);
    expect(learned.unseenMappings).toEqual([{ serviceId: 'svc-payments', serviceName: 'Payments', jsmServiceId: 'made-up-id' }]);
    const row = (await ok(wb, CONSOLE.getService, { id: 'svc-payments' })).jsmServices;
    expect(row).toEqual([
      { id: payments!.id, name: 'Payments', seen: true },
      { id: 'made-up-id', seen: false },
    ]);
    expect((await ok(wb, CONSOLE.load)).jsm.known).toBe(2);
  });
});

describe('the demo', () => {
  let wb: Workbench;
  beforeAll(async () => {
    ({ wb } = await startWorkbench());
  });
  afterAll(async () => {
    await wb.stop();
  });

  test("is built through the page's own resolver, by a manager through her group", async () => {
    const calls = wb.runtime.invocationRecords().filter((r) => r.functionKey === 'console-resolver');
    expect(calls.length).toBeGreaterThanOrEqual(7); // three services, three plans, learning JSM services
    const view = await ok(wb, CONSOLE.load, {}, VIEWER.accountId);
    expect(view.services.items.map((s: { name: string; owner?: { displayName?: string } }) => `${s.name}/${s.owner?.displayName}`)).toEqual([
      'Customer portal/Casey Continuity',
      'Payments/Casey Continuity',
      'Reporting/Casey Continuity',
    ]);
    const portal = view.services.items[0];
    expect(portal.effectiveRto.text).toBe('1d');
    expect(portal.inversions.map((i: { dependencyName: string }) => i.dependencyName)).toEqual(['Reporting']);
    const registry = await ok(wb, CONSOLE.listPlans, {}, VIEWER.accountId);
    expect(registry.items.map((p: { title: string; flags: string[]; openInvocations: number }) => [p.title, p.flags, p.openInvocations])).toEqual([
      ['Customer portal continuity plan', ['review-overdue'], 1],
      ['Payments continuity plan', [], 1],
      ['Reporting continuity plan', ['never-tested'], 0],
    ]);
    expect(view.jsm.known).toBe(3);
  });
});
