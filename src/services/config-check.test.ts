/**
 * "Check configuration" against typed fakes: what it says, in plain words, for a site set up well and
 * for one with every kind of mistake; a check that cannot be made is a finding, not a failure; and the
 * role is checked on the server.
 */
import { UpstreamError } from '../domain/errors';
import { checkConfiguration, type CheckedSettings } from './config-check';
import { APP_ACCOUNT, type FakeConfluence } from './testing/confluence-fakes';
import { fakeDeps, FIELD_IDS, type FakeDeps } from './testing/fakes';
import { asManager, asReader } from './testing/measure-fixtures';

let deps: FakeDeps;
let confluence: FakeConfluence;
let parent: string;

const check = () => checkConfiguration(asManager(deps));
const settle = async (settings: Partial<CheckedSettings>) => deps.store.putSettings({ ...(await deps.store.getSettings()), ...settings } as CheckedSettings);
const messages = (report: Awaited<ReturnType<typeof check>>, area: string) => report.findings.filter((f) => f.area === area).map((f) => `${f.status}: ${f.message}`);

beforeEach(() => {
  deps = fakeDeps();
  confluence = deps.confluence;
  const space = confluence.addSpace('CONT', 'Continuity');
  parent = confluence.addPage(space.id, 'Continuity plans', { type: 'doc', version: 1, content: [] }).id;
});

it('reports a site set up well as fine, finding by finding', async () => {
  deps.jira.setUser('m-2', { permissions: { browse: true, edit: true, comment: true }, groups: ['continuity-managers'] });
  await settle({ projectKeys: ['OPS'], managerGroups: ['continuity-managers'], planSpaceKey: 'CONT', planParentPageId: parent, drillProjectKey: 'OPS', drillIssueTypeName: 'Incident' });
  const report = await check();
  expect(report.ok).toBe(true);
  expect(messages(report, 'jsm-fields')).toEqual([
    `ok: JSM's Affected services field was found (${FIELD_IDS.affectedServices}).`,
    `ok: JSM's Major incident field was found (${FIELD_IDS.majorIncident}).`,
    `ok: JSM's Request type field was found (${FIELD_IDS.requestType}).`,
  ]);
  expect(messages(report, 'qualification')).toEqual(['ok: The projects that qualify incidents exist: OPS.', 'ok: The issue types that qualify exist: Incident.']);
  expect(messages(report, 'confluence')).toEqual(['ok: Confluence is connected: it answered the app.']);
  expect(messages(report, 'spaces')).toEqual(['ok: Plan pages: the page "Continuity plans" in Continuity exists and the app may write there.']);
  expect(messages(report, 'drills')).toEqual(['ok: The drill project IT Operations (OPS) exists.', 'ok: The drill issue type Incident exists.']);
  expect(messages(report, 'managers')).toEqual(['ok: The Service Continuity Manager group continuity-managers exists.']);
  expect(confluence.calls.map((c) => `${c.method} ${c.as} ${c.args[0]}`)).toContain(`pageOperations app ${parent}`);
});

it('says what is wrong and what to do about it', async () => {
  confluence.setOperations(APP_ACCOUNT, parent, ['read']);
  await settle({ projectKeys: ['OPS', 'NOPE'], issueTypeNames: ['Incident', 'Outage'], managerGroups: ['continuity-manager'], planSpaceKey: 'CONT', planParentPageId: parent, drillProjectKey: 'DRILL' });
  const report = await check();
  expect(report.ok).toBe(false);
  expect(messages(report, 'qualification')).toEqual([
    'problem: No project with the key NOPE exists (or the app cannot see it): its incidents never qualify.',
    'problem: No issue type is called Outage: incidents of that type never qualify.',
  ]);
  expect(messages(report, 'spaces')).toEqual(['problem: Plan pages: the app may read the page "Continuity plans" in Continuity but not write there.']);
  expect(messages(report, 'drills')).toEqual(['problem: No project with the key DRILL exists (or the app cannot see it): drills cannot be raised.', 'not-set: No drill issue type is set.']);
  expect(messages(report, 'managers')).toEqual(['problem: Jira has no group called continuity-manager: nobody is a Service Continuity Manager through it.']);
  expect(report.findings.find((f) => f.area === 'managers')?.fix).toBe('Correct the group name in the settings, or create the group in Jira.');
});

it('says what is not set, and makes no Confluence call when nothing points there', async () => {
  const report = await check();
  expect(messages(report, 'confluence')).toEqual(['ok: Confluence is connected to the app.']);
  expect(messages(report, 'spaces')).toEqual(['not-set: No Confluence space is set for plan pages.']);
  expect(messages(report, 'drills')).toEqual(['not-set: No drill project is set: drills cannot be run as incidents yet.']);
  expect(messages(report, 'managers')).toEqual(['not-set: No Service Continuity Manager group is named: only Jira administrators can change the catalogue, BIAs, risks and plans.']);
  expect(confluence.calls).toEqual([]);
});

it('turns checks that cannot be made into findings: Confluence unreachable, a missing page or space, Jira refusing', async () => {
  await settle({ planSpaceKey: 'NOPE' });
  expect(messages(await check(), 'spaces')).toEqual(['problem: Plan pages: Confluence has no space with the key NOPE that the app can see.']);
  await settle({ planSpaceKey: 'CONT', planParentPageId: '999' });
  expect(messages(await check(), 'spaces')).toEqual(['problem: Plan pages: the page 999 does not exist (or the app cannot see it).']);
  confluence.fail('spaceByKey', () => new UpstreamError(503, 'Confluence space CONT'));
  deps.jira.failNext('readFieldIds', { status: 503 });
  const down = await check();
  expect(messages(down, 'confluence')).toEqual(['problem: Confluence did not answer the app: Confluence space CONT failed with HTTP 503.']);
  expect(messages(down, 'jsm-fields')).toEqual(["problem: Jira's fields could not be read: Jira fields failed with HTTP 503."]);
  confluence.connected = false;
  const disconnected = await check();
  expect(messages(disconnected, 'confluence')).toEqual(['problem: Confluence is not connected to the app on this site: plan pages and the practice review cannot be written.']);
  expect(disconnected.ok).toBe(false);
});

it('needs the Service Continuity Manager role', async () => {
  await expect(checkConfiguration(asReader(deps))).rejects.toMatchObject({ code: 'FORBIDDEN' });
});
