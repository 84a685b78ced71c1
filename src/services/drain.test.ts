/**
 * The outbox consumer against typed fakes: writes in parallel, results recorded, failures kept for a
 * retry, comments posted once however the run ends, and what one record costs in storage.
 */
import { UpstreamError } from '../domain/errors';
import { CLAIM_TTL_MS } from '../domain/incident-record';
import { invocationId } from '../domain/invocation';
import { drainSlot } from './drain';
import { actOnPanel } from './issue-panel';
import { linkIncident } from './link-incident';
import { asUser, fakeDeps, RECORD_PAGE, type FakeDeps, type FakeIssue, type JiraCall } from './testing/fakes';
import { AGENT, deliver, panelDeps, PAYMENTS_PLAN, ready, resetCounts, toDrainTime } from './testing/fixtures';

let deps: FakeDeps;

afterEach(() => jest.restoreAllMocks());

beforeEach(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined); // the drain logs what it keeps for a retry
  deps = fakeDeps();
  await ready(deps);
});

/** P1 incidents on Payments, each linked by a trigger run in the same second: they share one slot. */
async function linkedIncidents(count: number): Promise<{ issues: FakeIssue[]; slot: number }> {
  const issues: FakeIssue[] = [];
  for (let i = 0; i < count; i++) {
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    issues.push(issue);
  }
  const events = deps.queue.take();
  expect(events).toHaveLength(1); // a storm needs one event per slot
  toDrainTime(deps, events[0].slot);
  resetCounts(deps);
  return { issues, slot: events[0].slot };
}

const inv = (issue: FakeIssue) => invocationId(issue.id, PAYMENTS_PLAN.id);
const methods = (calls: readonly JiraCall[]) => calls.map((c) => c.method).sort();

describe('draining a slot', () => {
  it('performs the link, the comment and the property in parallel, records them and leaves the outbox', async () => {
    const { issues: [issue], slot } = await linkedIncidents(1);
    const run = await drainSlot(slot, deps);

    const writes = deps.jira.writes();
    expect(methods(writes)).toEqual(['addComment', 'setIssueProperty', 'upsertRemoteLink']);
    // Each was issued before any of them answered.
    expect(Math.max(...writes.map((c) => c.startedAt))).toBeLessThan(Math.min(...writes.map((c) => c.endedAt!)));

    expect(run).toMatchObject({ records: 1, completed: 1, failed: 0, skipped: 0 });
    const record = deps.store.peek(issue.id)!;
    const jiraIssue = deps.jira.issue(issue.id);
    expect(record.jira.links).toEqual({ [inv(issue)]: jiraIssue.remoteLinks[0].id });
    expect(record.jira.comments[inv(issue)].invoked).toEqual({ id: jiraIssue.comments[0].id });
    expect(JSON.parse(record.jira.property!)).toEqual(jiraIssue.properties['service-continuity']);
    expect(record.outboxSlot).toBe(0);
    expect(record.outbox).toBeUndefined();
    expect(record.invocations[0].timeline.map((t) => t.kind)).toEqual(['qualified', 'linked', 'comment-posted']);
    expect(jiraIssue.comments[0]).toMatchObject({ internal: true, author: 'app' });
  });

  it('costs two storage operations per record (claim and record), and per page one query and the indicators\' report', async () => {
    const count = RECORD_PAGE + 10;
    const { slot } = await linkedIncidents(count);
    const run = await drainSlot(slot, deps);

    expect(run).toMatchObject({ records: count, completed: count });
    const { 'indicators.read': reads = 0, 'indicators.write': writes = 0, ...rest } = deps.store.ops.byMethod();
    expect(rest).toEqual({ outboxRecords: 2, saveRecord: 2 * count });
    // The indicators are reported for the whole page at once, in groups of shards: far fewer than one per record.
    expect(reads + writes).toBeGreaterThan(0);
    expect(reads + writes).toBeLessThan(count / 2);
    expect(deps.jira.writes()).toHaveLength(3 * count);
  });

  it('keeps a record pending when Jira rate-limits its comment, records the other writes and reports Retry-After', async () => {
    const { issues: [issue], slot } = await linkedIncidents(1);
    deps.jira.failNext('addComment', { status: 429, retryAfter: 30 });
    const run = await drainSlot(slot, deps);

    expect(run).toMatchObject({ failed: 1, completed: 0, retryAfterSeconds: 30 });
    const record = deps.store.peek(issue.id)!;
    expect(record.outboxSlot).toBe(slot);
    expect(record.outbox).toMatchObject({ attempts: 1, lastError: expect.stringContaining('rate limited') });
    expect(record.outbox?.claim).toBeUndefined();
    expect(Object.keys(record.jira.links)).toEqual([inv(issue)]);
    expect(record.jira.property).toBeDefined();
    expect(record.jira.comments[inv(issue)]?.invoked).toBeUndefined();

    // Redelivered: only the comment is left to do.
    deps.jira.resetCalls();
    const again = await drainSlot(slot, deps);
    expect(again).toMatchObject({ completed: 1, failed: 0 });
    expect(methods(deps.jira.writes())).toEqual(['addComment']);
    expect(deps.store.peek(issue.id)).toMatchObject({ outboxSlot: 0 });
  });

  it('does not post a comment twice when Jira applied the POST but its answer was lost', async () => {
    const { issues: [issue], slot } = await linkedIncidents(1);
    deps.jira.failNext('addComment', 'lost-answer');
    const run = await drainSlot(slot, deps);

    expect(run).toMatchObject({ completed: 1, failed: 0 });
    const comments = deps.jira.comments(issue.id);
    expect(comments).toHaveLength(1);
    expect(deps.store.peek(issue.id)!.jira.comments[inv(issue)].invoked).toEqual({ id: comments[0].id });
  });

  it('when the marker cannot be looked up after a lost answer, the next drain finds it before posting', async () => {
    const { issues: [issue], slot } = await linkedIncidents(1);
    deps.jira.failNext('addComment', 'lost-answer');
    deps.jira.failNext('findMarkedComment', { status: 503 });
    const first = await drainSlot(slot, deps);
    expect(first).toMatchObject({ failed: 1 });
    expect(deps.store.peek(issue.id)!.outbox).toMatchObject({ checkMarkers: true });

    deps.jira.resetCalls();
    const second = await drainSlot(slot, deps);
    expect(second).toMatchObject({ completed: 1 });
    expect(deps.jira.callsTo('addComment')).toEqual([]);
    expect(deps.jira.comments(issue.id)).toHaveLength(1);
    expect(deps.store.peek(issue.id)!.jira.comments[inv(issue)].invoked).toEqual({ id: deps.jira.comments(issue.id)[0].id });
  });

  it('a drain that failed to record what it posted gives its claim back; the next drain looks for markers first', async () => {
    const { issues: [issue], slot } = await linkedIncidents(1);
    deps.store.failNext('saveRecord', new UpstreamError(503, 'App storage (incident record)'), { when: (record) => Object.keys(record.jira.links).length > 0 });
    expect(await drainSlot(slot, deps)).toMatchObject({ failed: 1 });
    expect(deps.jira.comments(issue.id)).toHaveLength(1);
    expect(deps.store.peek(issue.id)!.outbox).toMatchObject({ checkMarkers: true });
    expect(deps.store.peek(issue.id)!.outbox?.claim).toBeUndefined();

    deps.jira.resetCalls();
    expect(await drainSlot(slot, deps)).toMatchObject({ completed: 1 });
    expect(deps.jira.callsTo('findMarkedComment')).toHaveLength(1);
    expect(deps.jira.callsTo('addComment')).toEqual([]);
    expect(deps.jira.issue(issue.id).comments).toHaveLength(1);
  });

  it('a record whose drain died after posting is drained again once its claim expires, looking for markers first', async () => {
    const { issues: [issue], slot } = await linkedIncidents(1);
    // Storage fails as the drain records what it wrote, and stays down while it gives its claim back (the
    // function died, in effect): the comment exists, the record does not say so, the claim is left.
    deps.store.failNext('saveRecord', new UpstreamError(503, 'App storage (incident record)'), { when: (record) => Object.keys(record.jira.links).length > 0 });
    deps.store.failNext('saveRecord', new UpstreamError(503, 'App storage (incident record)'), { when: (record) => Boolean(record.outbox?.checkMarkers) });
    const died = await drainSlot(slot, deps);
    expect(died).toMatchObject({ failed: 1 });
    expect(deps.jira.comments(issue.id)).toHaveLength(1);
    expect(deps.store.peek(issue.id)!.outbox?.claim).toBeDefined();

    // While the claim holds, another drain leaves the record alone.
    deps.jira.resetCalls();
    expect(await drainSlot(slot, deps)).toMatchObject({ skipped: 1 });
    expect(deps.jira.calls).toEqual([]);

    deps.clock.advance(CLAIM_TTL_MS + 1);
    const retried = await drainSlot(slot, deps);
    expect(retried).toMatchObject({ completed: 1 });
    expect(deps.jira.callsTo('findMarkedComment')).toHaveLength(1);
    expect(deps.jira.callsTo('addComment')).toEqual([]);
    const jiraIssue = deps.jira.issue(issue.id);
    expect(jiraIssue.comments).toHaveLength(1);
    expect(jiraIssue.remoteLinks).toHaveLength(1);
    const record = deps.store.peek(issue.id)!;
    expect(record.jira.comments[inv(issue)].invoked).toEqual({ id: jiraIssue.comments[0].id });
    expect(record.outbox).toBeUndefined();
  });

  it('two drains of the same slot at once post each comment once', async () => {
    const { issues, slot } = await linkedIncidents(5);
    const runs = await Promise.all([drainSlot(slot, deps), drainSlot(slot, deps)]);

    expect(runs[0].completed + runs[1].completed).toBe(5);
    expect(runs[0].skipped + runs[1].skipped).toBe(5);
    for (const issue of issues) {
      expect(deps.jira.markedComments(issue.id, inv(issue), 'invoked')).toHaveLength(1);
      expect(deps.jira.issue(issue.id).remoteLinks).toHaveLength(1);
    }
    expect(deps.jira.callsTo('addComment')).toHaveLength(5);
  });

  it('writes the new property in the same drain when an agent declares recovery while the writes are in flight', async () => {
    const { issues: [issue], slot } = await linkedIncidents(1);
    const agent = panelDeps(asUser(deps, AGENT.accountId));
    deps.jira.onCall('addComment', () => actOnPanel(issue, AGENT.accountId, { kind: 'recover', invocationId: inv(issue) }, agent));
    const run = await drainSlot(slot, deps);

    expect(run).toMatchObject({ completed: 1, failed: 0 });
    expect(deps.jira.callsTo('setIssueProperty')).toHaveLength(2);
    expect(deps.jira.issue(issue.id).properties['service-continuity']).toMatchObject({ openInvocations: 0, states: ['recovered'] });
    const record = deps.store.peek(issue.id)!;
    expect(record.invocations[0].state).toBe('recovered');
    expect(JSON.parse(record.jira.property!)).toMatchObject({ states: ['recovered'] });
    expect(record.outboxSlot).toBe(0);
    // The drain held the record, so the action pushed no event of its own.
    expect(deps.queue.take()).toEqual([]);
  });
});

describe('a record that changes while its writes are in flight', () => {
  const act = (issue: FakeIssue, action: Parameters<typeof actOnPanel>[2]) => actOnPanel(issue, AGENT.accountId, action, panelDeps(asUser(deps, AGENT.accountId)));

  it('recovered, then reopened while the drain writes the property: Jira ends up saying open, as storage does', async () => {
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    await deliver(deps);
    await act(issue, { kind: 'recover', invocationId: inv(issue) });
    // The agent undoes the mis-click while the drain's PUT of the "recovered" property is in flight.
    deps.jira.onCall('setIssueProperty', async () => void (await act(issue, { kind: 'reopen', invocationId: inv(issue) })), { times: 1 });
    await deliver(deps);
    await deliver(deps);
    const record = deps.store.peek(issue.id)!;
    expect(record.invocations[0].state).toBe('open');
    expect(deps.jira.issue(issue.id).properties['service-continuity']).toMatchObject({ openInvocations: 1, states: ['open'] });
    expect(record.outboxSlot).toBe(0);
  });

  it('still changing after the last round: left unclaimed in its slot and the event redelivered, never stranded', async () => {
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    const [event] = deps.queue.take();
    toDrainTime(deps, event.slot);
    let n = 0;
    deps.jira.onCall('setIssueProperty', async () => void (await act(issue, { kind: ++n % 2 === 1 ? 'recover' : 'reopen', invocationId: inv(issue) })), { times: 5 });
    const run = await drainSlot(event.slot, deps);
    expect(run.leftover).toBe(1);
    const record = deps.store.peek(issue.id)!;
    expect(record.outbox?.claim).toBeUndefined();
    expect(record.outboxSlot).toBeGreaterThan(0);
    // The redelivered event (or the next drain) finishes the job.
    await deliver(deps);
    await drainSlot(record.outboxSlot, deps);
    expect(deps.store.peek(issue.id)!.outboxSlot).toBe(0);
    const state = deps.store.peek(issue.id)!.invocations[0].state;
    expect(deps.jira.issue(issue.id).properties['service-continuity']).toMatchObject({ states: [state] });
  });

  it('writes Jira refuses for good (the issue was deleted) park the record instead of retrying forever', async () => {
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    for (const method of ['upsertRemoteLink', 'addComment', 'setIssueProperty'] as const) deps.jira.failNext(method, { status: 404 });
    const [run] = await deliver(deps);
    expect(run).toMatchObject({ parked: 1, failed: 0 });
    const record = deps.store.peek(issue.id)!;
    expect(record.outboxSlot).toBe(0);
    expect(record.parked?.reason).toMatch(/not found/i);
  });
});
