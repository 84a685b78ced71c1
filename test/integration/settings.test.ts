/**
 * The admin settings page through the workbench, as its front end calls the resolver: "Check
 * configuration" of the settings as the form holds them (the demo site set up well; a bad drill project,
 * a missing postmortem space and Confluence not connected said in words; nothing saved by a check; a
 * refusal naming the field), for Jira administrators only; and the BIA cost thresholds saved, read back
 * and used by the BIA suggestion on the Service continuity page.
 */
import { CONSOLE_MODULE_KEY } from '../../src/contract/console';
import { MEASURE } from '../../src/contract/measure';
import { SETTINGS, type ConfigCheckReport, type SettingsData } from '../../src/contract/settings';
import { DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { startWorkbench, VIEWER } from '../support/workbench';

const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;

type Answer<T = any> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } };

let wb: Workbench;

beforeAll(async () => {
  ({ wb } = await startWorkbench());
});
afterAll(async () => {
  await wb.stop();
});

const onSettings = <T = any>(functionKey: string, payload: unknown = {}, accountId = DEFAULT_USER.accountId) =>
  wb.runtime.invokeResolver('continuity-settings', { functionKey, payload }, { extension: { type: 'jira:adminPage' }, siteUrl: wb.siteUrl }, accountId) as Promise<Answer<T>>;
const onConsole = <T = any>(functionKey: string, payload: unknown = {}, accountId = CASEY.accountId) =>
  wb.runtime.invokeResolver(CONSOLE_MODULE_KEY, { functionKey, payload }, { extension: { type: 'jira:globalPage' }, moduleKey: CONSOLE_MODULE_KEY, siteUrl: wb.siteUrl }, accountId) as Promise<Answer<T>>;

async function ok<T>(answer: Promise<Answer<T>>): Promise<T> {
  const a = await answer;
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a.data;
}

const loaded = async () => (await ok(onSettings<{ settings: SettingsData }>(SETTINGS.load))).settings;
const check = async (change: Partial<SettingsData> = {}) => ok(onSettings<ConfigCheckReport>(SETTINGS.checkConfiguration, { settings: { ...(await loaded()), ...change } }));
const said = (report: ConfigCheckReport, area: string) => report.findings.filter((f) => f.area === area).map((f) => `${f.status}: ${f.message}`);

test('Check configuration finds the demo site set up: JSM fields, Confluence, where plans and postmortems go, drills, follow-ups, managers', async () => {
  const report = await check();
  expect(report.findings.filter((f) => f.status !== 'ok')).toEqual([]);
  expect(report.ok).toBe(true);
  expect(said(report, 'jsm-fields')).toHaveLength(3);
  expect(said(report, 'confluence')).toEqual(['ok: Confluence is connected: it answered the app.']);
  expect(said(report, 'spaces')).toEqual([
    'ok: Plan pages: the home page "Service Continuity Home" of Service Continuity exists and the app may write there.',
    'ok: Postmortems: the home page "Service Continuity Home" of Service Continuity exists and the app may write there.',
  ]);
  expect(said(report, 'drills')).toEqual(['ok: The drill project IT Operations (OPS) exists.', 'ok: The drill issue type Task (the default) exists.']);
  expect(said(report, 'follow-ups')).toEqual(["ok: Follow-up actions are created as Task (the default) issues in the incident's project; the issue type exists."]);
  expect(said(report, 'managers')).toEqual(['ok: The Service Continuity Manager group continuity-managers exists.']);
});

test('a bad drill project and a missing postmortem space are said in words with their fix, before saving, and the check saves nothing', async () => {
  const before = await loaded();
  const report = await check({ drillProjectKey: 'NOPE', postmortemSpaceKey: 'GONE', followUpIssueTypeName: 'Action' });
  expect(report.ok).toBe(false);
  expect(report.findings.filter((f) => f.status === 'problem').map((f) => [f.message, f.fix])).toEqual([
    ['Postmortems: Confluence has no space with the key GONE that the app can see.', 'Correct the space key, or give the app access to the space.'],
    ['No project with the key NOPE exists (or the app cannot see it): drills cannot be raised.', 'Correct the drill project in the settings.'],
    ['No issue type is called Action: follow-up actions cannot be created.', 'Correct the follow-up issue type in the settings.'],
  ]);
  expect(await loaded()).toEqual(before);
});

test('settings a save would refuse are refused by the check too, naming the field', async () => {
  const answer = await onSettings(SETTINGS.checkConfiguration, { settings: { ...(await loaded()), drillProjectKey: 'ops' } });
  expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'drillProjectKey', message: expect.stringMatching(/^The drill project key is 2–10 characters/) } });
});

test('Confluence not connected is said plainly, and the Jira parts are still checked', async () => {
  wb.confluenceConnected = false;
  try {
    const report = await check();
    expect(report.ok).toBe(false);
    expect(said(report, 'confluence')).toEqual(['problem: Confluence is not connected to the app on this site: plan pages, postmortems and the practice review cannot be written.']);
    expect(said(report, 'drills')).toEqual(['ok: The drill project IT Operations (OPS) exists.', 'ok: The drill issue type Task (the default) exists.']);
  } finally {
    wb.confluenceConnected = true;
  }
});

test('only a Jira administrator may check from the settings page: a Service Continuity Manager and a reader are refused', async () => {
  const settings = await loaded();
  for (const accountId of [CASEY.accountId, VIEWER.accountId]) {
    const answer = await onSettings(SETTINGS.checkConfiguration, { settings }, accountId);
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  }
  // The manager keeps the Service continuity page's check of the saved settings.
  expect((await ok(onConsole<ConfigCheckReport>(MEASURE.checkConfiguration))).ok).toBe(true);
});

test('BIA cost thresholds are saved, read back, used by the BIA suggestion, and cleared', async () => {
  const never = { '1h': 0, '4h': 0, '24h': 0, '72h': 0 };
  const bia = { costOfDowntimePerHour: 60_000, currency: 'EUR', ratings: { financial: never, customer: never, regulatory: never, reputational: never, operational: never }, maximumTolerableDowntime: '7d' };
  const suggest = () => ok(onConsole<{ tierName: string; reasoning: string[] }>(MEASURE.suggestBia, { serviceId: 'svc-reporting', bia }));
  expect((await suggest()).tierName).toBe('Tier 3 (Bronze)');

  await ok(onSettings(SETTINGS.save, { settings: { ...(await loaded()), costThresholds: { currency: 'eur', tier1PerHour: 50_000, tier2PerHour: 5_000 } } }));
  expect((await loaded()).costThresholds).toEqual({ currency: 'EUR', tier1PerHour: 50_000, tier2PerHour: 5_000 });
  const raised = await suggest();
  expect(raised.tierName).toBe('Tier 1 (Gold)');
  expect(raised.reasoning).toContain('Downtime costs 60,000 EUR per hour, at or above the Tier 1 (Gold) threshold of 50,000 EUR: Tier 1 (Gold), with an RTO of at most 1h.');
  expect((await ok(onConsole<{ costThresholds?: unknown }>(MEASURE.getBia, { serviceId: 'svc-reporting' }))).costThresholds).toEqual({ currency: 'EUR', tier1PerHour: 50_000, tier2PerHour: 5_000 });

  const refused = await onSettings(SETTINGS.save, { settings: { ...(await loaded()), costThresholds: { currency: 'EUR', tier1PerHour: 1_000, tier2PerHour: 5_000 } } });
  expect(refused).toMatchObject({ ok: false, error: { field: 'costThresholds.tier1PerHour', message: 'The Tier 1 cost threshold must be at least the Tier 2 threshold.' } });

  await ok(onSettings(SETTINGS.save, { settings: { ...(await loaded()), costThresholds: null } }));
  expect((await loaded()).costThresholds).toBeNull();
  expect((await suggest()).tierName).toBe('Tier 3 (Bronze)');
});
