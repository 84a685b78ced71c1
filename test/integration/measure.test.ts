/**
 * Measuring continuity through the workbench, as the Service continuity page calls it: the indicators
 * on the demo data against a hand count; the aggregates after many separate resolver, trigger and
 * consumer invocations overlapping in time equal a recompute from scratch (and the rebuild finds
 * nothing to correct); the practice review published twice is one Confluence page; the configuration
 * check on the demo site; BIA and risk changes refused to a reader.
 */
import { CONSOLE_MODULE_KEY } from '../../src/contract/console';
import { MEASURE } from '../../src/contract/measure';
import { KvsCatalogueStore } from '../../src/adapters/kvs-catalogue';
import { KvsIndicatorStore, KvsMeasureStore } from '../../src/adapters/kvs-measure';
import { KvsContinuityStore } from '../../src/adapters/kvs-store';
import { indicatorViews, monthOf } from '../../src/domain/indicators';
import { quarterContaining } from '../../src/domain/review-period';
import { recomputeFromData } from '../../src/services/indicators-rebuild';
import { DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { bridgeInvoke, call, panelCall, panelFrame, startWorkbench, VIEWER } from '../support/workbench';

const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
const DAY = 86_400_000;

type Answer = { ok: true; data: any } | { ok: false; error: { code: string; message: string; field?: string } };

let wb: Workbench;
let url: string;

beforeAll(async () => {
  ({ wb, url } = await startWorkbench());
});
afterAll(async () => {
  await wb.stop();
});

const onPage = (functionKey: string, payload: unknown = {}, accountId = CASEY.accountId) =>
  wb.runtime.invokeResolver(CONSOLE_MODULE_KEY, { functionKey, payload }, { cloudId: 'test', moduleKey: CONSOLE_MODULE_KEY, siteUrl: wb.siteUrl, extension: { type: 'jira:globalPage' } }, accountId) as Promise<Answer>;

async function ok(functionKey: string, payload: unknown = {}, accountId = CASEY.accountId): Promise<any> {
  const answer = await onPage(functionKey, payload, accountId);
  if (!answer.ok) throw new Error(`${functionKey}: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

/** The storage the app's functions use, read directly (as the demo seed and the bench do). */
const stores = () => ({ store: new KvsContinuityStore(), catalogue: new KvsCatalogueStore(), measure: new KvsMeasureStore(), indicators: new KvsIndicatorStore(), clock: wb.clock });

test('the indicators on the demo data are what a hand count gives', async () => {
  const { views } = await ok(MEASURE.indicators);
  const now = wb.clock.now();
  // Payments (Tier 1) and Customer portal (Tier 2) are the critical services, both with an approved
  // plan, tested 60 and 230 days ago. Payments' review is due in 50 days; the portal's fell due 20 days
  // ago, which counts as on time through the calendar month it fell due in.
  const portalOnTime = monthOf(now - 20 * DAY) === monthOf(now) ? 1 : 0;
  expect(views.approvedPlan.critical).toEqual({ numerator: 2, denominator: 2, share: 1 });
  expect(views.testedLast12Months.critical).toEqual({ numerator: 2, denominator: 2, share: 1 });
  expect(views.reviewedOnTime.critical).toMatchObject({ numerator: 1 + portalOnTime, denominator: 2 });
  expect(views.approvedPlan.byTier['3']).toEqual({ numerator: 1, denominator: 1, share: 1 });
  // Two P1s are open (Payments, Customer portal); the P3 on Reporting does not qualify.
  expect(views.openInvocations).toEqual({ incidents: 2, drills: 0 });
  expect(views.rtoAttainment).toEqual({ incidents: [], drills: [] });
  expect(views.drillsCarriedOut).toBe(0);
  // Risks: 45 days to a standby, 120 to a tested plan, 6 to backups; one with no mechanism.
  expect(views.implementationDays).toEqual({ count: 3, meanDays: 57, medianDays: 45 });
  const register = await ok(MEASURE.listRisks, { serviceId: 'svc-customer-portal' });
  expect(register.summary).toMatchObject({ risks: 1, withoutMechanism: 1 });
  const bia = await ok(MEASURE.getBia, { serviceId: 'svc-customer-portal' });
  expect(bia.mtpdFlag).toMatchObject({ which: 'own' });
});

test('separate invocations overlapping in time leave aggregates equal to a recompute from scratch', async () => {
  const ids = wb.jira.fieldIds();
  const jsm = wb.jira.services();
  const raise = async (name: string, i: number) => {
    const res = await call(wb, 'jira', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: `Storm ${i}`, priority: { id: '1' }, [ids.affectedServices]: [{ id: jsm.find((s) => s.name === name)!.id }] } });
    return res.body as { id: string; key: string };
  };
  // Twelve P1s at once: twelve triggers (and their drains) racing for the indicator shards.
  const issues = await Promise.all(Array.from({ length: 12 }, (_, i) => raise(i % 2 === 0 ? 'Payments' : 'Customer portal', i)));
  await wb.idle();
  wb.runtime.invocationRecords.clear();
  const planOf = (i: number) => (i % 2 === 0 ? 'plan-payments' : 'plan-customer-portal');
  // Then at once, each a resolver invocation of its own: recoveries as agents' requests through the host's
  // bridge over HTTP (one issue-view frame each), and risks.
  const frames = await Promise.all(issues.slice(0, 8).map((issue) => panelFrame(url, issue.key, DEFAULT_USER.accountId)));
  const answers = await Promise.all([
    ...issues.slice(0, 8).map((issue, i) => bridgeInvoke(url, frames[i], 'issue-panel/recover', { invocationId: `${issue.id}.${planOf(i)}` })),
    ...Array.from({ length: 4 }, (_, i) =>
      onPage(MEASURE.saveRisk, { risk: { serviceId: 'svc-reporting', threat: { scenario: 'network-outage' }, likelihood: 2, impact: 2, identifiedAt: '2026-01-0' + (i + 1), mechanism: { kind: 'backup', description: 'Second line', state: 'in-place' }, mechanismInPlaceAt: '2026-02-0' + (i + 1) } }),
    ),
  ]);
  expect(answers.filter((a: Answer) => !a.ok)).toEqual([]);
  await Promise.all(issues.slice(0, 3).map((issue, i) => panelCall(wb, issue, 'issue-panel/reopen', { invocationId: `${issue.id}.${planOf(i)}`, reason: 'Still failing' })));
  await wb.idle();
  const resolvers = wb.runtime.invocationRecords().filter((r) => r.kind === 'resolver');
  const overlapping = resolvers.filter((a) => resolvers.some((b) => a !== b && a.startedAt < (b.endedAt ?? Infinity) && b.startedAt < (a.endedAt ?? Infinity)));
  expect(overlapping.length).toBeGreaterThan(1);

  const incremental = (await ok(MEASURE.indicators)).views;
  const truth = indicatorViews(await recomputeFromData(stores()), incremental.asOf);
  expect(incremental).toEqual(truth);
  expect(incremental.openInvocations.incidents).toBe(2 + 12 - 8 + 3);
  const rebuilt = await ok(MEASURE.rebuildIndicators);
  expect(rebuilt).toMatchObject({ corrected: 0, removed: 0, shardsRepaired: 0, matchesRecompute: true, complete: true });
});

test('the practice review published twice for a period is one Confluence page', async () => {
  const period = quarterContaining(wb.clock.now());
  const first = await ok(MEASURE.publishReview, { period, spaceKey: 'CONT' });
  const second = await ok(MEASURE.publishReview, { period });
  expect(first.created).toBe(true);
  expect(second).toMatchObject({ pageId: first.pageId, created: false, version: 2 });
  const pages = await call(wb, 'confluence', 'GET', `/wiki/api/v2/pages?title=${encodeURIComponent(first.title)}&body-format=atlas_doc_format`);
  const results = (pages.body as { results: Array<{ id: string; body: { atlas_doc_format: { value: string } } }> }).results;
  expect(results.map((p) => p.id)).toEqual([first.pageId]);
  const text = results[0]!.body.atlas_doc_format.value;
  expect(text).toContain('Tier 1 and 2 services with an approved plan');
  expect(text).toContain('Risks with no continuity mechanism: Failure of a key vendor for Customer portal.');
  const status = await ok(MEASURE.reviewStatus, { period });
  expect(status.page).toMatchObject({ id: first.pageId, publishedBy: { displayName: 'Casey Continuity' } });
});

test('Check configuration says what it found on the demo site', async () => {
  const report = await ok(MEASURE.checkConfiguration);
  const byArea = (area: string) => report.findings.filter((f: { area: string }) => f.area === area).map((f: { status: string; message: string }) => `${f.status}: ${f.message}`);
  expect(byArea('jsm-fields')).toHaveLength(3);
  expect(byArea('jsm-fields').every((m: string) => m.startsWith('ok: '))).toBe(true);
  expect(byArea('managers')).toEqual(['ok: The Service Continuity Manager group continuity-managers exists.']);
  expect(byArea('confluence')).toEqual(['ok: Confluence is connected: it answered the app.']);
  expect(byArea('spaces')).toEqual([
    'ok: Plan pages: the home page "Service Continuity Home" of Service Continuity exists and the app may write there.',
    'ok: Postmortems: the home page "Service Continuity Home" of Service Continuity exists and the app may write there.',
    expect.stringMatching(/^ok: The practice review \d{4}-Q\d: the page "IT service continuity review Q\d \d{4}" in .* exists and the app may write there\.$/),
  ]);
  expect(byArea('drills')).toEqual(['ok: The drill project IT Operations (OPS) exists.', 'ok: The drill issue type Task (the default) exists.']);
  expect(byArea('follow-ups')).toEqual(["ok: Follow-up actions are created as Task (the default) issues in the incident's project; the issue type exists."]);
});

test('a reader sees the BIA, the register and the indicators, and changes none of them', async () => {
  expect((await onPage(MEASURE.getBia, { serviceId: 'svc-payments' }, VIEWER.accountId)).ok).toBe(true);
  expect((await onPage(MEASURE.indicators, {}, VIEWER.accountId)).ok).toBe(true);
  for (const [key, payload] of [
    [MEASURE.saveBia, { serviceId: 'svc-payments', bia: { costOfDowntimePerHour: 1, currency: 'EUR', ratings: {}, maximumTolerableDowntime: '1d' } }],
    [MEASURE.saveRisk, { risk: { serviceId: 'svc-payments', threat: { scenario: 'ransomware' }, likelihood: 1, impact: 1, identifiedAt: '2026-01-01' } }],
    [MEASURE.publishReview, { period: quarterContaining(wb.clock.now()), spaceKey: 'CONT' }],
    [MEASURE.rebuildIndicators, {}],
    [MEASURE.checkConfiguration, {}],
  ] as const) {
    const answer = await onPage(key, payload, VIEWER.accountId);
    expect({ key, code: answer.ok ? 'ok' : answer.error.code }).toEqual({ key, code: 'FORBIDDEN' });
  }
  expect((await onPage(MEASURE.indicators, {}, DEFAULT_USER.accountId)).ok).toBe(true);
});
