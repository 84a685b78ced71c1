/**
 * "Check configuration" against typed fakes: what it says, in plain words, for a site set up well and
 * for one with every kind of mistake; where postmortems, drills and follow-ups go, as those features
 * resolve them (their own setting or the default); a check that cannot be made is a finding, not a
 * failure; settings as typed are checked without being saved; and the role is checked on the server.
 */
import { UpstreamError } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { checkConfiguration, checkSettings } from './config-check';
import { APP_ACCOUNT, type FakeConfluence } from './testing/confluence-fakes';
import { fakeDeps, FIELD_IDS, type FakeDeps } from './testing/fakes';
import { asManager, asReader } from './testing/measure-fixtures';

let deps: FakeDeps;
let confluence: FakeConfluence;
let parent: string;

const check = () => checkConfiguration(asManager(deps));
const settle = async (settings: Partial<ContinuitySettings>) => deps.store.putSettings({ ...(await deps.store.getSettings()), ...settings } );
const messages = (report: Awaited<ReturnType<typeof check>>, area: string) => report.findings.filter((f) => f.area === area).map((f) => `${f.status}: ${f.message}`);

beforeEach(() => {
  deps = fakeDeps();
  confluence = deps.confluence;
  const space = confluence.addSpace('CONT', 'Continuity');
  parent = confluence.addPage(space.id, 'Continuity plans', { type: 'doc', version: 1, content: [] }).id;
});

it('reports a site set up well as fine, finding by finding', async () => {
  deps.jira.setUser('m-2', { permissions: { browse: true, edit: true, comment: true }, groups: ['continuity-managers'] });
  await settle({ projectKeys: ['OPS'], managerGroups: ['continuity-managers'], planSpaceKey: 'CONT', planParentPageId: parent, drillProjectKey: 'OPS', drillIssueTypeName: 'Incident', followUpIssueTypeName: 'Service request' });
  const report = await check();
  expect(report.ok).toBe(true);
  expect(messages(report, 'jsm-fields')).toEqual([
    `ok: JSM's Affected services field was found (${FIELD_IDS.affectedServices}).`,
    `ok: JSM's Major incident field was found (${FIELD_IDS.majorIncident}).`,
    `ok: JSM's Request type field was found (${FIELD_IDS.requestType}).`,
  ]);
  expect(messages(report, 'qualification')).toEqual(['ok: The projects that qualify incidents exist: OPS.', 'ok: The issue types that qualify exist: Incident.']);
  expect(messages(report, 'confluence')).toEqual(['ok: Confluence is connected: it answered the app.']);
  expect(messages(report, 'spaces')).toEqual([
    'ok: Plan pages: the page "Continuity plans" in Continuity exists and the app may write there.',
    'ok: Postmortems (no space of their own: where plan pages go): the page "Continuity plans" in Continuity exists and the app may write there.',
  ]);
  expect(messages(report, 'drills')).toEqual(['ok: The drill project IT Operations (OPS) exists.', 'ok: The drill issue type Incident exists.']);
  expect(messages(report, 'follow-ups')).toEqual(["ok: Follow-up actions are created as Service request issues in the incident's project; the issue type exists."]);
  expect(messages(report, 'managers')).toEqual(['ok: The Service Continuity Manager group continuity-managers exists.']);
  // Postmortems that go where plan pages go are not asked about twice; Jira's lists are read once.
  expect(confluence.calls.filter((c) => c.method === 'pageOperations').map((c) => `${c.as} ${c.args[0]}`)).toEqual([`app ${parent}`]);
  expect([deps.jira.callsTo('listProjects').length, deps.jira.callsTo('listIssueTypeNames').length]).toEqual([1, 1]);
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
  expect(messages(report, 'spaces')).toEqual([
    'problem: Plan pages: the app may read the page "Continuity plans" in Continuity but not write there.',
    'problem: Postmortems (no space of their own: where plan pages go): the app may read the page "Continuity plans" in Continuity but not write there.',
  ]);
  // No drill issue type named: the default, Task, which this site does not have; follow-ups likewise.
  expect(messages(report, 'drills')).toEqual(['problem: No project with the key DRILL exists (or the app cannot see it): drills cannot be raised.', 'problem: No issue type is called Task (the default): drills cannot be raised.']);
  expect(messages(report, 'follow-ups')).toEqual(['problem: No issue type is called Task (the default): follow-up actions cannot be created.']);
  expect(report.findings.find((f) => f.area === 'follow-ups')?.fix).toBe('Choose the follow-up issue type in the settings.');
  expect(messages(report, 'managers')).toEqual(['problem: Jira has no group called continuity-manager: nobody is a Service Continuity Manager through it.']);
  expect(report.findings.find((f) => f.area === 'managers')?.fix).toBe('Correct the group name in the settings, or create the group in Jira.');
});

it('says what is not set, and makes no Confluence call when nothing points there', async () => {
  const report = await check();
  expect(messages(report, 'confluence')).toEqual(['ok: Confluence is connected to the app.']);
  expect(messages(report, 'spaces')).toEqual(['not-set: No Confluence space is set for plan pages: plans cannot be published as pages.', 'not-set: No Confluence space is set for postmortems or plan pages: postmortems cannot be published.']);
  expect(messages(report, 'drills')).toEqual(['not-set: No drill project is set: drills cannot be run as incidents yet.']);
  expect(messages(report, 'managers')).toEqual(['not-set: No Service Continuity Manager group is named: only Jira administrators can change the catalogue, BIAs, risks and plans.']);
  expect(confluence.calls).toEqual([]);
});

it('turns checks that cannot be made into findings: Confluence unreachable, a missing page or space, Jira refusing', async () => {
  await settle({ planSpaceKey: 'NOPE', postmortemSpaceKey: 'CONT' });
  expect(messages(await check(), 'spaces')).toEqual(['problem: Plan pages: Confluence has no space with the key NOPE that the app can see.', 'ok: Postmortems: the home page "Continuity Home" of Continuity exists and the app may write there.']);
  await settle({ planSpaceKey: 'CONT', planParentPageId: '999', postmortemSpaceKey: undefined });
  expect(messages(await check(), 'spaces')).toEqual(['problem: Plan pages: the page 999 does not exist (or the app cannot see it).', 'problem: Postmortems (no space of their own: where plan pages go): the page 999 does not exist (or the app cannot see it).']);
  confluence.fail('spaceByKey', () => new UpstreamError(503, 'Confluence space CONT'));
  deps.jira.failNext('readFieldIds', { status: 503 });
  const down = await check();
  expect(messages(down, 'confluence')).toEqual(['problem: Confluence did not answer the app: Confluence space CONT failed with HTTP 503.']);
  expect(messages(down, 'jsm-fields')).toEqual(["problem: Jira's fields could not be read: Jira fields failed with HTTP 503."]);
  confluence.connected = false;
  const disconnected = await check();
  expect(messages(disconnected, 'confluence')).toEqual(['problem: Confluence is not connected to the app on this site: plan pages, postmortems and the practice review cannot be written.']);
  expect(disconnected.ok).toBe(false);
});

it('needs the Service Continuity Manager role', async () => {
  await expect(checkConfiguration(asReader(deps))).rejects.toMatchObject({ code: 'FORBIDDEN' });
});

describe('where postmortems go, as the postmortem resolves it', () => {
  it('checks their own space and parent page, and says when the space is missing', async () => {
    const pm = confluence.addSpace('PM', 'Postmortems');
    const pmParent = confluence.addPage(pm.id, 'Incident reviews', { type: 'doc', version: 1, content: [] }).id;
    await settle({ planSpaceKey: 'CONT', postmortemSpaceKey: 'PM', postmortemParentPageId: pmParent });
    expect(messages(await check(), 'spaces')).toEqual([
      'ok: Plan pages: the home page "Continuity Home" of Continuity exists and the app may write there.',
      'ok: Postmortems: the page "Incident reviews" in Postmortems exists and the app may write there.',
    ]);
    await settle({ postmortemSpaceKey: 'GONE', postmortemParentPageId: undefined });
    const report = await check();
    expect(messages(report, 'spaces')[1]).toBe('problem: Postmortems: Confluence has no space with the key GONE that the app can see.');
    expect(report.ok).toBe(false);
  });

  it('puts a postmortem parent page without a space of its own in the plans\u2019 space', async () => {
    const elsewhere = confluence.addPage(confluence.addSpace('OTHER', 'Other').id, 'Elsewhere', { type: 'doc', version: 1, content: [] }).id;
    await settle({ planSpaceKey: 'CONT', postmortemParentPageId: elsewhere });
    expect(messages(await check(), 'spaces')[1]).toBe('warning: Postmortems (in the plans\u2019 space): the page "Elsewhere", which is not in Continuity.');
  });
});

describe('drills and follow-ups, as they resolve their project and issue type', () => {
  it('drills use the one project that qualifies incidents when none is set, and the default issue type', async () => {
    deps.jira.setIssueTypes(['Incident', 'Task']);
    await settle({ projectKeys: ['OPS'] });
    expect(messages(await check(), 'drills')).toEqual(['ok: Drills raise their issues in IT Operations (OPS), the one project that qualifies incidents (no drill project is set).', 'ok: The drill issue type Task (the default) exists.']);
    expect(messages(await check(), 'follow-ups')).toEqual(["ok: Follow-up actions are created as Task (the default) issues in the incident's project; the issue type exists."]);
  });

  it('a follow-up issue type this site does not have is a problem to correct', async () => {
    await settle({ followUpIssueTypeName: 'Action' });
    const [finding] = (await check()).findings.filter((f) => f.area === 'follow-ups');
    expect(finding).toEqual({ area: 'follow-ups', status: 'problem', message: 'No issue type is called Action: follow-up actions cannot be created.', fix: 'Correct the follow-up issue type in the settings.' });
  });

  it('Jira failing to list its projects is a finding for each part that needed them, not a failure', async () => {
    deps.jira.failNext('listProjects', { status: 503 });
    await settle({ projectKeys: ['OPS'] });
    const report = await check();
    expect(messages(report, 'drills')).toEqual([expect.stringMatching(/^problem: Jira's projects and issue types could not be read/)]);
    expect(messages(report, 'qualification')).toEqual([expect.stringMatching(/^problem: Jira's projects and issue types could not be read/)]);
  });
});

describe('settings as typed', () => {
  it('are checked as given, saved or not, with no role check of their own', async () => {
    const typed: ContinuitySettings = { ...(await deps.store.getSettings()), drillProjectKey: 'NOPE', postmortemSpaceKey: 'CONT' };
    const report = await checkSettings(typed, deps);
    expect(messages(report, 'drills')[0]).toBe('problem: No project with the key NOPE exists (or the app cannot see it): drills cannot be raised.');
    expect(messages(report, 'spaces')).toContain('ok: Postmortems: the home page "Continuity Home" of Continuity exists and the app may write there.');
    expect((await deps.store.getSettings()).drillProjectKey).toBeUndefined();
  });
});
