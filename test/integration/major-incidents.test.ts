/**
 * Major incidents end to end through the local runtime and local Jira: qualification on create and on
 * update, duplicate and reordered events, stand-down, the automation action, the panel's actions with
 * their permission checks and typed errors, RTO warnings, settings, and JQL over the indexed property.
 */
import { editIssue as editIssueAs, adfText, call, comments, createIncident, issueProperty, panelCall, panelFor, PAYMENTS, startWorkbench, stepId, templateId, VIEWER } from '../support/workbench';
import { DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';

const MINUTE = 60_000;
const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
let wb: Workbench;

beforeEach(async () => {
  ({ wb } = await startWorkbench());
});
afterEach(async () => {
  await wb.stop();
});

const editIssue = (key: string, fields: Record<string, unknown>) => editIssueAs(wb, key, fields);

describe('qualifying and linking', () => {
  test('raising the priority of an existing incident invokes the plan; lowering it stands the invocation down', async () => {
    const issue = await createIncident(wb, { summary: 'Payments slow', priorityId: '3', services: ['Payments'] });
    expect(await issueProperty(wb, issue.key)).toBeUndefined();

    await editIssue(issue.key, { priority: { id: '1' } });
    let property = await issueProperty(wb, issue.key);
    expect(property).toMatchObject({ openInvocations: 1, planIds: ['plan-payments'], states: ['open'] });
    expect(await comments(wb, issue.key)).toHaveLength(1);

    await editIssue(issue.key, { priority: { id: '3' } });
    property = await issueProperty(wb, issue.key);
    expect(property).toMatchObject({ openInvocations: 0, states: ['stood-down'] });
    const panel = await panelFor(wb, issue);
    // Stood down, history kept: the panel still shows the invocation and its timeline.
    expect(panel.data.invocations[0].state).toBe('stood-down');
    expect(panel.data.invocations[0].timeline.map((t: { kind: string }) => t.kind)).toEqual(['qualified', 'linked', 'comment-posted', 'stood-down']);
  });

  test('the major-incident flag qualifies on its own', async () => {
    const issue = await createIncident(wb, { summary: 'Portal partially down', priorityId: '2', services: ['Customer portal'] });
    expect(await issueProperty(wb, issue.key)).toBeUndefined();
    await editIssue(issue.key, { [wb.jira.fieldIds().majorIncident]: 'MAJOR_INCIDENT' });
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1, planIds: ['plan-customer-portal'] });
  });

  test('an update seen before its create (reordered delivery) and duplicates converge on one invocation, one link, one comment', async () => {
    wb.events.configure({ reorderWindow: 2, copies: 2 });
    const ids = wb.jira.fieldIds();
    const created = await call(wb, 'jira', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Both', priority: { id: '3' }, [ids.affectedServices]: [{ id: wb.jira.services()[0].id }] },
    });
    const key = (created.body as { key: string }).key;
    await call(wb, 'jira', 'PUT', `/rest/api/3/issue/${key}`, { fields: { priority: { id: '1' } } });
    await wb.idle();
    const deliveries = wb.events.deliveries.slice(-4).map((d) => d.eventType);
    expect(deliveries).toEqual(['avi:jira:updated:issue', 'avi:jira:updated:issue', 'avi:jira:created:issue', 'avi:jira:created:issue']);
    const property = await issueProperty(wb, key);
    expect(property.invocations).toHaveLength(1);
    expect(await comments(wb, key)).toHaveLength(1);
    const links = (await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}/remotelink`)).body as unknown[];
    expect(links).toHaveLength(1);
  });

  test('an incident with several affected services invokes each plan', async () => {
    const issue = await createIncident(wb, { summary: 'Everything is down', priorityId: '1', services: ['Payments', 'Reporting'] });
    const panel = await panelFor(wb, issue);
    expect(panel.data.invocations.map((i: { plan: { title: string } }) => i.plan.title).sort()).toEqual(['Payments continuity plan', 'Reporting continuity plan']);
    expect(await comments(wb, issue.key)).toHaveLength(2);
  });

  test('changing Affected services to a service with a plan invokes it', async () => {
    const issue = await createIncident(wb, { summary: 'Wrong service at first', priorityId: '1' });
    expect(await issueProperty(wb, issue.key)).toBeUndefined();
    await editIssue(issue.key, { [wb.jira.fieldIds().affectedServices]: [{ id: wb.jira.services().find((s) => s.name === 'Reporting')!.id }] });
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1, planIds: ['plan-reporting'] });
  });

  test('with an empty catalogue the panel says the app is not configured', async () => {
    wb.kvs.reset();
    const issue = await createIncident(wb, { summary: 'Before setup', priorityId: '1', services: ['Payments'] });
    const panel = await panelFor(wb, issue);
    expect(panel.data).toMatchObject({ status: 'not-configured', reason: 'Service continuity is not set up yet: the service catalogue is empty.' });
    expect(panel.data.links.settingsModuleKey).toBe('continuity-settings');
  });

  test('the component fallback mapping finds the service when Affected services is empty', async () => {
    const issue = await createIncident(wb, { summary: 'No service given', priorityId: '1' });
    expect((await panelFor(wb, issue)).data.status).toBe('no-service');
    await editIssue(issue.key, { components: [{ name: 'Payments' }] });
    expect(await issueProperty(wb, issue.key)).toMatchObject({ planIds: ['plan-payments'] });
  });

  test('JQL finds open invocations through the indexed property and its aliases', async () => {
    const issue = await createIncident(wb, { summary: 'Find me', priorityId: '1', services: ['Payments'] });
    const search = async (jql: string) => ((await call(wb, 'jira', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=summary`)).body as { issues: Array<{ key: string }> }).issues.map((i) => i.key);
    expect(await search('continuityPlan = "plan-payments" ORDER BY key ASC')).toEqual(['OPS-1', issue.key]);
    expect(await search(`continuityRtoDue < "${new Date(wb.clock.now() + 2 * 60 * MINUTE).toISOString().slice(0, 16).replace('T', ' ')}" ORDER BY continuityRtoDue ASC`)).toEqual(['OPS-1', issue.key]);
    expect(await search('issue.property[service-continuity].states = "open" AND continuityOpen > 0 ORDER BY key ASC')).toEqual(['OPS-1', 'OPS-2', issue.key]);
  });
});

describe('the automation action', () => {
  test('invokes the plan and answers id, plan and RTO due time; running it again changes nothing', async () => {
    const issue = await createIncident(wb, { summary: 'Rule-driven', priorityId: '3', services: ['Payments'] });
    const first = (await wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: issue.key })) as Record<string, unknown>;
    expect(first).toMatchObject({ invocationId: `${issue.id}.plan-payments`, planId: 'plan-payments', planTitle: 'Payments continuity plan', invocationCount: 1 });
    expect(typeof first.rtoDueAt).toBe('string');
    const again = await wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: issue.key });
    expect(again).toEqual(first);
    await wb.idle(); // the outbox writes to Jira after the action answered
    expect(await comments(wb, issue.key)).toHaveLength(1);
  });

  test('a service or plan can be named; bad input is refused naming the field', async () => {
    const issue = await createIncident(wb, { summary: 'Named', priorityId: '1', services: ['Payments'] });
    const byService = (await wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: issue.key, service: 'Reporting' })) as Record<string, unknown>;
    expect(byService.planId).toBe('plan-reporting');
    await expect(wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: 'not a key' })).rejects.toThrow('INVALID_INPUT (issueKey): issueKey must be an issue key such as OPS-123');
    await expect(wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: issue.key, plan: 'No such plan' })).rejects.toThrow('NOT_FOUND (plan): Plan "No such plan" not found.');
    await expect(wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: 'OPS-999' })).rejects.toThrow(/NOT_FOUND \(issue\)/);
  });
});

describe('the issue panel', () => {
  let issue: { id: string; key: string };
  let invocationId: string;
  // The ids the plan page's reader gave the Payments plan's steps and templates.
  const ids = { steps: [] as string[], internal: '', public: '' };
  beforeEach(async () => {
    issue = await createIncident(wb, { summary: 'Panel actions', priorityId: '1', services: ['Payments'] });
    invocationId = `${issue.id}.plan-payments`;
    const inv = (await panelFor(wb, issue)).data.invocations[0];
    ids.steps = inv.steps.map((s: { id: string }) => s.id);
    ids.internal = templateId(inv, PAYMENTS.internal);
    ids.public = templateId(inv, PAYMENTS.public);
  });

  test('loads plan, checklist, comms and timeline in one call', async () => {
    const panel = await panelFor(wb, issue);
    const inv = panel.data.invocations[0];
    expect(inv.steps.map((s: { title: string; status: string }) => `${s.title}:${s.status}`)).toEqual([
      'Confirm the outage and declare a major incident:pending',
      'Fail payment traffic over to the secondary region:pending',
      'Verify card authorisations succeed end to end:pending',
      'Reconcile transactions captured during the outage:pending',
      'Notify the card schemes and merchants:pending',
    ]);
    expect(stepId(inv, PAYMENTS.confirm)).toMatch(/^step-/);
    expect(inv.progress).toMatchObject({ total: 5, done: 0, percent: 0, remainingMinutes: 55, projectedWithinRto: true });
    expect(inv.comms.map((c: { name: string; audience: string }) => `${c.name}:${c.audience}`)).toEqual(['Internal update:internal', 'Customer status update:public']);
    expect(inv.comms[0].text).toContain('Payments is impacted since');
    expect(panel.data.can).toEqual({ edit: true, comment: true });
  });

  test('marking steps records who and when; a second mark is refused; skip needs a reason', async () => {
    const done = await panelCall(wb, issue, 'issue-panel/step/done', { invocationId, stepId: ids.steps[0] });
    expect(done.ok).toBe(true);
    const step = done.data.invocations[0].steps[0];
    expect(step).toMatchObject({ status: 'done', by: { accountId: DEFAULT_USER.accountId, displayName: 'Alex Agent' } });

    const twice = await panelCall(wb, issue, 'issue-panel/step/done', { invocationId, stepId: ids.steps[0] });
    expect(twice).toEqual({ ok: false, error: expect.objectContaining({ code: 'CONFLICT', field: 'stepId' }) });

    const noReason = await panelCall(wb, issue, 'issue-panel/step/skip', { invocationId, stepId: ids.steps[1], reason: 'x' });
    expect(noReason).toEqual({ ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT', field: 'reason' }) });

    const skipped = await panelCall(wb, issue, 'issue-panel/step/skip', { invocationId, stepId: ids.steps[1], reason: 'Secondary region already serving' }, CASEY.accountId);
    expect(skipped.data.invocations[0].steps[1]).toMatchObject({ status: 'skipped', reason: 'Secondary region already serving', by: { displayName: 'Casey Continuity' } });
    expect(skipped.data.invocations[0].progress).toMatchObject({ done: 1, skipped: 1, percent: 40, remainingMinutes: 35 });

    const unknownStep = await panelCall(wb, issue, 'issue-panel/step/done', { invocationId, stepId: 'nope' });
    expect(unknownStep.error).toMatchObject({ code: 'NOT_FOUND', field: 'stepId' });
    const missing = await panelCall(wb, issue, 'issue-panel/step/done', { invocationId });
    expect(missing.error).toMatchObject({ code: 'INVALID_INPUT', field: 'stepId' });
  });

  test('the server refuses a viewer, and an invocation of another issue, whatever the front end sends', async () => {
    const viewer = await panelCall(wb, issue, 'issue-panel/step/done', { invocationId, stepId: ids.steps[0] }, VIEWER.accountId);
    expect(viewer).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    const viewerPanel = await panelFor(wb, issue, VIEWER.accountId);
    expect(viewerPanel.data.can).toEqual({ edit: false, comment: false });

    const other = await createIncident(wb, { summary: 'Other', priorityId: '1', services: ['Reporting'] });
    const foreign = await panelCall(wb, issue, 'issue-panel/recover', { invocationId: `${other.id}.plan-reporting` });
    expect(foreign).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Invocation not found.', field: 'invocationId' } });
    expect((await panelFor(wb, other)).data.invocations[0].state).toBe('open');
  });

  test('communication templates post as internal or public comments, filled with the incident facts', async () => {
    const internal = await panelCall(wb, issue, 'issue-panel/comms/post', { invocationId, templateId: ids.internal, audience: 'internal', impact: 'EU card payments fail', seen: 0 });
    expect(internal.ok).toBe(true);
    const pub = await panelCall(wb, issue, 'issue-panel/comms/post', { invocationId, templateId: ids.public, audience: 'public', seen: 0 });
    expect(pub.ok).toBe(true);
    const refused = await panelCall(wb, issue, 'issue-panel/comms/post', { invocationId, templateId: ids.internal, audience: 'public', seen: 1 });
    expect(refused.error).toMatchObject({ code: 'INVALID_INPUT', field: 'audience' });

    const all = await comments(wb, issue.key);
    expect(all).toHaveLength(3); // invocation comment + two updates
    const internalFlag = (c: (typeof all)[number]) => c.properties?.find((p) => p.key === 'sd.public.comment')?.value.internal;
    expect(internalFlag(all[1])).toBe(true);
    expect(adfText(all[1].body)).toMatch(/Payments is impacted since .* Impact: EU card payments fail\./);
    expect(internalFlag(all[2])).toBe(false);
    expect(adfText(all[2].body)).toContain('Some card payments are failing since');
    expect(pub.data.invocations[0].comms.map((c: { postedCount: number }) => c.postedCount)).toEqual([1, 1]);
  });

  test('declaring recovery records the achieved time against the RTO; reopening undoes it in the timeline', async () => {
    wb.clock.advance(40 * MINUTE);
    const recovered = await panelCall(wb, issue, 'issue-panel/recover', { invocationId });
    expect(recovered.data.invocations[0]).toMatchObject({ state: 'recovered', recovery: { achievedMinutes: 40, rtoMet: true } });
    await wb.idle();
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 0, states: ['recovered'] });

    const again = await panelCall(wb, issue, 'issue-panel/recover', { invocationId });
    expect(again.error).toMatchObject({ code: 'CONFLICT', field: 'state' });

    const reopened = await panelCall(wb, issue, 'issue-panel/reopen', { invocationId, reason: 'Errors are back' });
    expect(reopened.data.invocations[0].state).toBe('open');
    wb.clock.advance(30 * MINUTE);
    const late = await panelCall(wb, issue, 'issue-panel/recover', { invocationId });
    expect(late.data.invocations[0].recovery).toEqual({ at: expect.any(Number), achievedMinutes: 70, rtoMet: false, ownRtoMet: false });
    const kinds = late.data.invocations[0].timeline.map((t: { kind: string }) => t.kind);
    expect(kinds).toEqual(['qualified', 'linked', 'comment-posted', 'recovered', 'reopened', 'recovered']);
    const times = late.data.invocations[0].timeline.map((t: { at: number }) => t.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('stand down needs a reason and is recorded', async () => {
    const bad = await panelCall(wb, issue, 'issue-panel/stand-down', { invocationId, reason: '' });
    expect(bad.error).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    const ok = await panelCall(wb, issue, 'issue-panel/stand-down', { invocationId, reason: 'False alarm: monitoring glitch' });
    expect(ok.data.invocations[0]).toMatchObject({ state: 'stood-down', standDownReason: 'False alarm: monitoring glitch' });
  });
});

describe('RTO warnings', () => {
  test('one comment per threshold, mentioning the plan owner, never twice even when the trigger runs twice', async () => {
    const issue = await createIncident(wb, { summary: 'Watch me', priorityId: '1', services: ['Payments'] });
    const before = (await comments(wb, issue.key)).length;
    wb.clock.advance(44 * MINUTE);
    await wb.runtime.invokeScheduled('continuity-rto-watch');
    await wb.idle();
    expect((await comments(wb, issue.key)).length).toBe(before); // 73 %: nothing yet

    wb.clock.advance(2 * MINUTE);
    await Promise.all([wb.runtime.invokeScheduled('continuity-rto-watch'), wb.runtime.invokeScheduled('continuity-rto-watch')]);
    await wb.runtime.invokeScheduled('continuity-rto-watch');
    await wb.idle();
    let all = await comments(wb, issue.key);
    expect(all.length).toBe(before + 1);
    expect(adfText(all.at(-1)!.body)).toContain('75 % of the RTO has passed');
    expect(adfText(all.at(-1)!.body)).toContain(`@${CASEY.accountId}`);

    wb.clock.advance(20 * MINUTE);
    await wb.runtime.invokeScheduled('continuity-rto-watch');
    await wb.runtime.invokeScheduled('continuity-rto-watch');
    await wb.idle();
    all = await comments(wb, issue.key);
    expect(all.length).toBe(before + 2);
    expect(adfText(all.at(-1)!.body)).toContain('RTO breached');
    const panel = await panelFor(wb, issue);
    expect(panel.data.invocations[0].timeline.filter((t: { kind: string }) => t.kind === 'warning')).toHaveLength(2);
  });
});

describe('settings', () => {
  const load = (accountId: string) =>
    wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/load' }, { extension: { type: 'jira:adminPage' } }, accountId) as Promise<any>;
  const save = (settings: unknown, accountId = DEFAULT_USER.accountId) =>
    wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/save', payload: { settings } }, { extension: { type: 'jira:adminPage' } }, accountId) as Promise<any>;

  test('only Jira admins may read or change them', async () => {
    expect((await load(CASEY.accountId)).error.code).toBe('FORBIDDEN');
    expect((await save({}, CASEY.accountId)).error.code).toBe('FORBIDDEN');
    const admin = await load(DEFAULT_USER.accountId);
    expect(admin.data.settings).toMatchObject({ issueTypeNames: ['Incident'], p1Priorities: ['Highest', 'P1'], majorIncidentQualifies: true });
    expect(admin.data.options.priorities.map((p: { name: string }) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
  });

  test('invalid settings are refused naming the field; saved settings change what qualifies', async () => {
    const base = (await load(DEFAULT_USER.accountId)).data.settings;
    const bad = await save({ ...base, projectKeys: ['ops'] });
    expect(bad.error).toMatchObject({ code: 'INVALID_INPUT', field: 'projectKeys.0' });
    const unknownService = await save({ ...base, fallbackMappings: [{ kind: 'label', value: 'payments', serviceId: 'svc-payments' }, { kind: 'component', value: 'Web', serviceId: 'svc-nope' }] });
    expect(unknownService.error).toMatchObject({ code: 'INVALID_INPUT', field: 'fallbackMappings.1.serviceId', message: 'Fallback mapping 2: service "svc-nope" is not in the continuity catalogue.' });
    expect((await load(DEFAULT_USER.accountId)).data.settings.fallbackMappings).toEqual([]); // nothing half-saved
    const ok = await save({ ...base, p1Priorities: ['High'] });
    expect(ok.data.settings.p1Priorities).toEqual(['High']);
    const issue = await createIncident(wb, { summary: 'Now P1 is High', priorityId: '2', services: ['Payments'] });
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1 });
  });

  test('the settings offer JSM request types; with some chosen, only incidents raised with them qualify', async () => {
    const loaded = (await load(DEFAULT_USER.accountId)).data;
    expect(loaded.settings.requestTypeNames).toEqual([]);
    expect(loaded.options.requestTypes.map((t: { name: string }) => t.name)).toEqual(['Get IT help', 'Report a system problem', 'Report an outage']);
    const saved = await save({ ...loaded.settings, requestTypeNames: ['Report an outage'] });
    expect(saved.data.settings.requestTypeNames).toEqual(['Report an outage']);

    const problem = await createIncident(wb, { summary: 'Checkout errors', priorityId: '1', services: ['Payments'], requestType: 'Report a system problem' });
    expect(await issueProperty(wb, problem.key)).toBeUndefined();
    expect(await comments(wb, problem.key)).toEqual([]);
    expect((await panelFor(wb, problem)).data).toMatchObject({
      status: 'not-qualifying',
      reason: 'Request type Report a system problem is not a continuity request type.',
      toQualify: 'Use one of: Report an outage.',
    });

    const outage = await createIncident(wb, { summary: 'Payments down everywhere', priorityId: '1', services: ['Payments'], requestType: 'Report an outage' });
    expect(await issueProperty(wb, outage.key)).toMatchObject({ openInvocations: 1, planIds: ['plan-payments'] });

    // Changing the request type re-qualifies, like any other custom field.
    await editIssue(problem.key, { [wb.jira.fieldIds().requestType]: wb.jira.requestTypes().find((t) => t.name === 'Report an outage')!.id });
    expect(await issueProperty(wb, problem.key)).toMatchObject({ openInvocations: 1 });
  });
});
