/**
 * The scheduled watch against typed fakes: RTO warnings posted once however runs overlap, the stale
 * outbox requeued, and the reconciling sweep (lost events, a drifted issue property, resuming).
 */
import { UpstreamError } from '../domain/errors';
import { invocationId } from '../domain/invocation';
import { slotAt } from '../domain/outbox';
import { drainSlot } from './drain';
import { linkIncident } from './link-incident';
import { runWatch } from './watch';
import { fakeDeps, type FakeDeps, type FakeIssue } from './testing/fakes';
import { adfText, deliver, PAYMENTS_PLAN, ready, toDrainTime } from './testing/fixtures';

const MINUTE = 60_000;
let deps: FakeDeps;

afterEach(() => jest.restoreAllMocks());

beforeEach(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  deps = fakeDeps();
  await ready(deps);
});

const p1 = () => deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
const inv = (issue: FakeIssue) => invocationId(issue.id, PAYMENTS_PLAN.id);

/** A P1 on Payments (RTO 60 min), linked and drained: its invocation comment is posted. */
async function linkedAndDrained(): Promise<FakeIssue> {
  const issue = p1();
  await linkIncident(issue.id, deps, { issueKey: issue.key });
  await deliver(deps);
  return issue;
}

/** Two watches at once, then every queued drain event delivered twice at once, a third watch running alongside. */
async function overlappingRuns(): Promise<void> {
  await Promise.all([runWatch(deps), runWatch(deps)]);
  const events = deps.queue.take();
  for (const { slot } of events) toDrainTime(deps, slot);
  await Promise.all([...[...events, ...events].map(({ slot }) => drainSlot(slot, deps)), runWatch(deps)]);
  await deliver(deps);
}

describe('RTO warnings', () => {
  it('posts the 75 % warning once and the breach once, even with watches and drains running at the same time', async () => {
    const issue = await linkedAndDrained();

    deps.clock.set(issue.created + 45 * MINUTE); // 75 % of 60 min
    await overlappingRuns();
    expect(deps.jira.markedComments(issue.id, inv(issue), 'rto-75')).toHaveLength(1);
    expect(deps.jira.markedComments(issue.id, inv(issue), 'rto-breached')).toHaveLength(0);

    deps.clock.set(issue.created + 61 * MINUTE);
    await overlappingRuns();
    const breach = deps.jira.markedComments(issue.id, inv(issue), 'rto-breached');
    expect(breach).toHaveLength(1);
    expect(adfText(breach[0].body)).toContain('RTO breached');
    expect(deps.jira.comments(issue.id)).toHaveLength(3); // invoked, 75 %, breached

    const record = deps.store.peek(issue.id)!;
    expect(record.invocations[0].warningsSent).toEqual(['rto-75', 'rto-breached']);
    expect(record.outboxSlot).toBe(0);
  });

  it('queues a due warning only for open invocations', async () => {
    const issue = await linkedAndDrained();
    deps.jira.updateIssue(issue.id, { priority: { id: '4', name: 'Low' } });
    await linkIncident(issue.id, deps, { issueKey: issue.key }); // stood down by the app
    await deliver(deps);

    deps.clock.set(issue.created + 50 * MINUTE);
    const run = await runWatch(deps);
    await deliver(deps);
    expect(run.warningsQueued).toBe(0);
    expect(deps.jira.markedComments(issue.id, inv(issue), 'rto-75')).toEqual([]);
  });
});

describe('the stale outbox', () => {
  it('requeues a record whose drain event was never pushed, and its writes are then done', async () => {
    const issue = p1();
    deps.queue.refuseNext();
    // Stored all the same: the refused push is reported (the trigger asks Forge to run it again), not thrown.
    await expect(linkIncident(issue.id, deps, { issueKey: issue.key })).resolves.toMatchObject({ kind: 'linked', drainRefused: true });
    const stored = deps.store.peek(issue.id)!;
    expect(stored.outboxSlot).toBeGreaterThan(0);
    expect(deps.store.storage.slots.has(stored.outboxSlot)).toBe(false); // given back for a retry
    expect(deps.queue.events).toEqual([]);

    deps.clock.advance(3 * MINUTE);
    const run = await runWatch(deps);
    expect(run.staleRequeued).toBe(1);
    expect(deps.store.peek(issue.id)!.outboxSlot).toBe(slotAt(deps.clock.now()));
    expect(deps.queue.events).toEqual([{ slot: slotAt(deps.clock.now()) }]);

    await deliver(deps);
    expect(deps.jira.markedComments(issue.id, inv(issue), 'invoked')).toHaveLength(1);
    expect(deps.store.peek(issue.id)!.outboxSlot).toBe(0);
  });
});

describe('the reconciling sweep', () => {
  it('links a qualifying incident whose events were all lost, and stores nothing for one that does not qualify', async () => {
    const lost = p1();
    const minor = deps.jira.addIssue({ affectedServices: ['jsm-payments'], priority: { id: '3', name: 'Medium' } });
    const startedAt = deps.clock.now();
    const run = await runWatch(deps);

    expect(run.swept).toMatchObject({ incidents: 2, linked: 1, complete: true });
    expect(deps.store.peek(lost.id)!.invocations.map((i) => i.id)).toEqual([inv(lost)]);
    expect(deps.store.peek(minor.id)).toBeUndefined();
    expect(deps.store.storage.sweep).toEqual({ lastCompleteAt: startedAt });

    await deliver(deps);
    expect(deps.jira.markedComments(lost.id, inv(lost), 'invoked')).toHaveLength(1);
  });

  it('writes the issue property again when Jira holds one that differs from storage', async () => {
    const issue = await linkedAndDrained();
    const written = deps.store.peek(issue.id)!.jira.property!;
    deps.jira.issue(issue.id).properties['service-continuity'] = { ...JSON.parse(written), openInvocations: 0, openPlanIds: [] };

    deps.clock.advance(5 * MINUTE);
    const run = await runWatch(deps);
    expect(run.swept.propertiesRepaired).toBe(1);
    await deliver(deps);
    expect(deps.jira.issue(issue.id).properties['service-continuity']).toEqual(JSON.parse(written));
  });

  it('leaves a property alone that says the same with its keys in another order', async () => {
    const issue = await linkedAndDrained();
    const written = JSON.parse(deps.store.peek(issue.id)!.jira.property!) as Record<string, unknown>;
    deps.jira.issue(issue.id).properties['service-continuity'] = Object.fromEntries(Object.entries(written).reverse());

    deps.clock.advance(5 * MINUTE);
    const run = await runWatch(deps);
    expect(run.swept.propertiesRepaired).toBe(0);
    expect(deps.queue.take()).toEqual([]);
  });

  it('resumes where it stopped when the run ran out of time, and every incident is linked in the end', async () => {
    deps.jira.searchPageSize = 2;
    const issues = Array.from({ length: 5 }, () => p1());
    // Time runs short once three incidents are stored (the first of the second page).
    let limited = true;
    const resumable = { ...deps, remainingMs: () => (limited && deps.store.allRecords().length >= 3 ? 5_000 : undefined) };

    const first = await runWatch(resumable);
    expect(first.stoppedEarly).toBe(true);
    expect(first.swept.complete).toBe(false);
    // It remembers the update time of the last incident it finished, not a page token of an old search.
    const resumeFrom = deps.store.storage.sweep?.resume?.since;
    expect(resumeFrom).toBe(Math.max(...issues.slice(0, 2).map((i) => deps.jira.issue(i.id).updated)));

    limited = false;
    deps.jira.resetCalls();
    deps.clock.advance(5 * MINUTE);
    const second = await runWatch(resumable);
    expect(second.swept.complete).toBe(true);
    // A fresh search from there: its window starts at the last finished incident (with the overlap).
    const [jql] = deps.jira.callsTo('searchIncidents')[0].args as [string];
    const minutes = Number(/-(\d+)m/.exec(jql)![1]);
    expect(minutes).toBe(Math.ceil((deps.clock.now() - resumeFrom! + 15 * MINUTE) / MINUTE));
    for (const issue of issues) expect(deps.store.peek(issue.id)?.invocations).toHaveLength(1);
    expect(deps.store.storage.sweep?.resume).toBeUndefined();
  });
});

describe('the sweep never leaves a failed incident behind', () => {
  it('an incident whose record storage refuses for longer than the overlap is retried by later sweeps and linked', async () => {
    await runWatch(deps); // the first sweep sets the window
    deps.clock.advance(MINUTE);
    const issue = p1(); // its events were all lost
    // Storage refuses this incident's record write through five sweeps (25 minutes, beyond the 15-minute overlap).
    deps.store.failNext('saveRecord', new UpstreamError(503, 'App storage (incident record)'), { times: 5, when: (r) => r.issueId === issue.id });
    for (let i = 0; i < 5; i++) {
      deps.clock.advance(5 * MINUTE);
      const run = await runWatch(deps);
      expect(run.failed.map((f) => f.issueKey)).toContain(issue.key);
    }
    expect(deps.store.storage.sweep?.retry?.map((r) => r.issueId)).toContain(issue.id);
    deps.clock.advance(5 * MINUTE);
    await runWatch(deps);
    await deliver(deps);
    expect(deps.store.peek(issue.id)?.invocations).toHaveLength(1);
    expect(deps.store.storage.sweep?.retry ?? []).toEqual([]);
  });
});
