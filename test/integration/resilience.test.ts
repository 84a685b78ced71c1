/**
 * Faults on the write path, end to end through the local runtime: writes that failed are repaired,
 * answers that were lost do not duplicate comments, stored changes are never reported as failed, and
 * invocations follow the incident when it stops and starts qualifying again. Each test would fail on a
 * version of the app that lacked the behaviour it names.
 */
import { editIssue as editIssueAs, call, comments, createIncident, issueProperty, panelCall, panelFor, startWorkbench, VIEWER } from '../support/workbench';
import type { Workbench } from '../../workbench/workbench';
import type { ProductRequest } from '../../workbench/products/types';

let wb: Workbench;

beforeEach(async () => {
  ({ wb } = await startWorkbench());
});
afterEach(async () => {
  await wb.stop();
});

const editIssue = (key: string, fields: Record<string, unknown>) => editIssueAs(wb, key, fields);

async function remoteLinks(key: string) {
  return (await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}/remotelink`)).body as Array<{ globalId: string }>;
}

/** Records the app's own calls to Jira (method and path) while `fn` runs. */
async function appCallsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (c: { product: string; request: ProductRequest }) => seen.push(`${c.request.method} ${c.request.path}`);
  wb.appCallListeners.add(listener);
  try {
    await fn();
  } finally {
    wb.appCallListeners.delete(listener);
  }
  return seen;
}

const watch = () => wb.runtime.invokeScheduled('continuity-rto-watch') as Promise<{ body: string }>;

describe('repairing what a failed write left out', () => {
  test('an invocation stored while Jira refused its link and comment is linked by the RTO watch', async () => {
    wb.faults.add({ product: 'jira', method: 'POST', pathPrefix: '/rest/api/3/issue/', status: 503 });
    const issue = await createIncident(wb, { summary: 'Outage during an outage', priorityId: '1', services: ['Payments'] });
    expect(await remoteLinks(issue.key)).toHaveLength(0);
    expect(await comments(wb, issue.key)).toHaveLength(0);
    // JQL finds the stored invocation all the same: the property does not wait for the link.
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1, openPlanIds: ['plan-payments'] });

    wb.faults.clear();
    const run = JSON.parse((await watch()).body);
    expect(run.repaired.links).toBe(1);
    expect(await remoteLinks(issue.key)).toHaveLength(1);
    expect(await comments(wb, issue.key)).toHaveLength(1);
    const panel = await panelFor(wb, issue);
    expect(panel.data.invocations[0].timeline.map((t: { kind: string }) => t.kind)).toEqual(['qualified', 'linked', 'comment-posted']);

    await watch(); // nothing left to repair: nothing written twice
    expect(await remoteLinks(issue.key)).toHaveLength(1);
    expect(await comments(wb, issue.key)).toHaveLength(1);
  });

  test('an agent opening the panel repairs the missing link at once', async () => {
    wb.faults.add({ product: 'jira', method: 'POST', pathPrefix: '/rest/api/3/issue/', status: 503 });
    const issue = await createIncident(wb, { summary: 'Link me later', priorityId: '1', services: ['Payments'] });
    wb.faults.clear();
    const panel = await panelFor(wb, issue);
    expect(panel.data.status).toBe('invoked');
    expect(await remoteLinks(issue.key)).toHaveLength(1);
    expect(await comments(wb, issue.key)).toHaveLength(1);
  });

  test('a failed property write does not fail the stored recovery; the watch rewrites the property', async () => {
    const issue = await createIncident(wb, { summary: 'Recover me', priorityId: '1', services: ['Payments'] });
    const invocationId = `${issue.id}.plan-payments`;
    wb.faults.add({ product: 'jira', method: 'PUT', pathPrefix: `/rest/api/3/issue/${issue.id}/properties`, status: 503 });
    const recovered = await panelCall(wb, issue, 'issue-panel/recover', { invocationId });
    expect(recovered.ok).toBe(true);
    expect(recovered.data.invocations[0].state).toBe('recovered');
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1, states: ['open'] }); // stale for now

    wb.faults.clear();
    const run = JSON.parse((await watch()).body);
    expect(run.repaired.properties).toBe(1);
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 0, openPlanIds: [], states: ['recovered'] });
    expect(JSON.parse((await watch()).body).repaired.properties).toBe(0); // noted once, repaired once
  });
});

describe('lost answers and concurrent posts', () => {
  test('a comment whose answer was lost (503 after Jira saved it) is posted once, not retried blindly', async () => {
    const issue = await createIncident(wb, { summary: 'Lost answer', priorityId: '3', services: ['Payments'] });
    wb.faults.add({ product: 'jira', method: 'POST', pathPrefix: `/rest/api/3/issue/${issue.id}/comment`, status: 503, afterServe: true, count: 1 });
    await editIssue(issue.key, { priority: { id: '1' } });
    expect(wb.faults.injected.jira).toBe(1);
    const all = await comments(wb, issue.key);
    expect(all).toHaveLength(1);
    const panel = await panelFor(wb, issue);
    expect(panel.data.invocations[0].timeline.filter((t: { kind: string }) => t.kind === 'comment-posted')).toHaveLength(1);
  });

  test('two agents posting the same update at once: one is posted, the other is told so', async () => {
    const issue = await createIncident(wb, { summary: 'Busy channel', priorityId: '1', services: ['Payments'] });
    const invocationId = `${issue.id}.plan-payments`;
    const before = (await comments(wb, issue.key)).length;
    const templateId = (await panelFor(wb, issue)).data.invocations[0].comms[0].templateId;
    // Jira is slow to take the comment, so the second click lands while the first is in flight.
    wb.faults.add({ product: 'jira', method: 'POST', pathPrefix: `/rest/api/3/issue/${issue.id}/comment`, latencyMs: 300 });
    const post = () => panelCall(wb, issue, 'issue-panel/comms/post', { invocationId, templateId, audience: 'internal', seen: 0 });
    const results = await Promise.all([post(), post()]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)!.error).toMatchObject({ code: 'CONFLICT', field: 'templateId' });
    expect(await comments(wb, issue.key)).toHaveLength(before + 1);
  });
});

describe('following the incident', () => {
  test('P1 → P3 → P1 reopens the same invocation, its clock still running from the incident creation', async () => {
    const issue = await createIncident(wb, { summary: 'Flapping', priorityId: '1', services: ['Payments'] });
    const first = (await panelFor(wb, issue)).data.invocations[0];
    await editIssue(issue.key, { priority: { id: '3' } });
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 0, states: ['stood-down'] });
    await editIssue(issue.key, { priority: { id: '1' } });
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1, openPlanIds: ['plan-payments'], states: ['open'] });
    const again = (await panelFor(wb, issue)).data.invocations[0];
    expect(again).toMatchObject({ id: first.id, state: 'open', rtoDueAt: first.rtoDueAt });
    expect(again.timeline.map((t: { kind: string }) => t.kind)).toEqual(['qualified', 'linked', 'comment-posted', 'stood-down', 'reopened']);
    expect(await comments(wb, issue.key)).toHaveLength(1);
  });

  test('a stand-down an agent declared stays when the incident qualifies again', async () => {
    const issue = await createIncident(wb, { summary: 'False alarm', priorityId: '1', services: ['Payments'] });
    const invocationId = `${issue.id}.plan-payments`;
    await panelCall(wb, issue, 'issue-panel/stand-down', { invocationId, reason: 'Monitoring glitch' });
    await editIssue(issue.key, { priority: { id: '3' } });
    await editIssue(issue.key, { priority: { id: '1' } });
    expect((await panelFor(wb, issue)).data.invocations[0].state).toBe('stood-down');
  });

  test('an invocation an automation rule forced is not stood down by the next unrelated edit', async () => {
    const issue = await createIncident(wb, { summary: 'Rule says so', priorityId: '3', services: ['Payments'] });
    await wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: issue.key });
    await editIssue(issue.key, { labels: ['customer-facing'] });
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1, states: ['open'] });
    expect((await panelFor(wb, issue)).data.invocations[0].state).toBe('open');
  });

  test('a resolved incident raised to P1 is not invoked, and the panel says why', async () => {
    const issue = await createIncident(wb, { summary: 'Already fixed', priorityId: '3', services: ['Payments'] });
    const resolved = await call(wb, 'jira', 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: '21' } });
    expect(resolved.status).toBe(204);
    await editIssue(issue.key, { priority: { id: '1' } });
    const panel = await panelFor(wb, issue);
    expect(panel.data).toMatchObject({ status: 'not-qualifying', reason: 'The incident is resolved.' });
    expect(await issueProperty(wb, issue.key)).toBeUndefined();
    expect(await comments(wb, issue.key)).toHaveLength(0);
  });
});

describe('who causes writes', () => {
  test('a viewer opening a qualifying incident before the trigger ran sees it pending, and the app writes nothing', async () => {
    wb.events.configure({ reorderWindow: 1000 }); // hold every event: the trigger has not run yet
    const ids = wb.jira.fieldIds();
    const created = await call(wb, 'jira', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Seen first by a viewer', priority: { id: '1' }, [ids.affectedServices]: [{ id: wb.jira.services()[0].id }] },
    });
    const issue = created.body as { id: string; key: string };
    const writes = (await appCallsDuring(() => panelFor(wb, issue, VIEWER.accountId))).filter((c) => !c.startsWith('GET'));
    expect(writes).toEqual([]);
    const panel = await panelFor(wb, issue, VIEWER.accountId);
    expect(panel.data).toMatchObject({ status: 'pending', reason: 'This incident qualifies: Payments continuity plan is being invoked.' });
    expect(await issueProperty(wb, issue.key)).toBeUndefined();

    const agent = await panelFor(wb, issue); // someone who can edit links it on open
    expect(agent.data.status).toBe('invoked');
    expect(await comments(wb, issue.key)).toHaveLength(1);
  });
});

describe('storage throttling', () => {
  test('a rate-limited store answers RATE_LIMITED, not a made-up conflict, and nothing is half-written', async () => {
    const issue = await createIncident(wb, { summary: 'Throttled', priorityId: '1', services: ['Payments'] });
    const invocationId = `${issue.id}.plan-payments`;
    const stepId = (await panelFor(wb, issue)).data.invocations[0].steps[0].id;
    wb.faults.add({ product: 'kvs', pathPrefix: '/api/v1/transaction', status: 429 });
    const throttled = await panelCall(wb, issue, 'issue-panel/step/done', { invocationId, stepId });
    expect(throttled.error).toMatchObject({ code: 'RATE_LIMITED' });
    wb.faults.clear();
    expect((await panelFor(wb, issue)).data.invocations[0].steps[0].status).toBe('pending');
    const done = await panelCall(wb, issue, 'issue-panel/step/done', { invocationId, stepId });
    expect(done.data.invocations[0].steps[0].status).toBe('done');
  });
});

describe('JQL', () => {
  test('continuityOpenPlan finds incidents still running a plan, and not those recovered', async () => {
    const open = await createIncident(wb, { summary: 'Still down', priorityId: '1', services: ['Payments'] });
    const done = await createIncident(wb, { summary: 'Back up', priorityId: '1', services: ['Payments'] });
    await panelCall(wb, done, 'issue-panel/recover', { invocationId: `${done.id}.plan-payments` });
    const search = async (jql: string) => ((await call(wb, 'jira', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=summary`)).body as { issues: Array<{ key: string }> }).issues.map((i) => i.key);
    const found = await search('continuityOpenPlan = "plan-payments" ORDER BY key ASC');
    expect(found).toContain(open.key);
    expect(found).not.toContain(done.key);
    expect(await search('continuityPlan = "plan-payments" ORDER BY key ASC')).toContain(done.key);
  });
});
