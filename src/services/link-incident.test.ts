/**
 * Deciding and storing, against typed fakes of the ports: what a trigger run stores, what it costs, and
 * how the record follows the incident (duplicates, stand-downs, reopening, deferral, forced plans).
 */
import { ContinuityError } from '../domain/errors';
import { invocationId } from '../domain/invocation';
import { slotAt } from '../domain/outbox';
import { actOnPanel } from './issue-panel';
import { linkIncident } from './link-incident';
import { asUser, fakeDeps, type FakeDeps, type FakeIssueInput } from './testing/fakes';
import { AGENT, deliver, LEDGER_PLAN, panelDeps, PAYMENTS, PAYMENTS_PLAN, plan, ready, resetCounts, service } from './testing/fixtures';

let deps: FakeDeps;

beforeEach(async () => {
  deps = fakeDeps();
  await ready(deps);
});

/** A P1 incident affecting Payments (unless told otherwise), as Jira holds it. */
const incident = (input: FakeIssueInput = {}) => deps.jira.addIssue({ affectedServices: ['jsm-payments'], ...input });
/** One trigger run for the issue, as the issue event handler makes it. */
const trigger = (issue: { id: string; key: string }) => linkIncident(issue.id, deps, { issueKey: issue.key });
const MINUTE = 60_000;

describe('a new P1 incident', () => {
  it('stores one record with one invocation per matched plan, in the current slot, and pushes one drain event', async () => {
    const issue = incident({ affectedServices: ['jsm-payments', 'jsm-ledger', 'jsm-reporting'] });
    const outcome = await trigger(issue);

    expect(outcome).toMatchObject({ kind: 'linked', servicesWithoutPlan: ['Reporting'] });
    const record = deps.store.peek(issue.id)!;
    expect(deps.store.allRecords()).toHaveLength(1);
    expect(record.invocations.map((i) => [i.id, i.state])).toEqual([
      [invocationId(issue.id, LEDGER_PLAN.id), 'open'],
      [invocationId(issue.id, PAYMENTS_PLAN.id), 'open'],
    ]);
    const slot = slotAt(deps.clock.now());
    expect(record.outboxSlot).toBe(slot);
    expect(record.outbox).toMatchObject({ since: deps.clock.now(), attempts: 0 });
    expect(deps.store.storage.slots.has(slot)).toBe(true);
    expect(deps.queue.events).toEqual([{ slot }]);
  });

  it('costs four storage operations and one Jira call when the field cache is warm (the indicators are the drain\'s to report)', async () => {
    const issue = incident();
    await trigger(issue);
    expect(deps.store.ops.byMethod()).toEqual({ incidentContext: 1, lookupMatches: 1, saveRecord: 1, claimSlot: 1 });
    expect(deps.store.ops.total).toBeLessThanOrEqual(4);
    expect(deps.jira.calls.map((c) => c.method)).toEqual(['getIncident']);
  });

  it('costs no indicator operation when a duplicate event changes nothing', async () => {
    const issue = incident();
    await trigger(issue);
    deps.store.ops.reset();
    await trigger(issue);
    expect(deps.store.ops.count({ method: 'indicators.read' }) + deps.store.ops.count({ method: 'indicators.write' })).toBe(0);
  });

  it('costs the same with 5,000 services in the catalogue as with 10', async () => {
    const cost = async (size: number) => {
      const d = fakeDeps();
      const services = Array.from({ length: size }, (_, i) => service(`svc-${i}`, { name: `Service ${i}` }));
      await ready(d, { services, plans: services.map((s) => plan(`plan-${s.id}`, s.id)) });
      expect(d.store.storage.matches.size).toBeGreaterThanOrEqual(2 * size);
      const issue = d.jira.addIssue({ affectedServices: ['jsm-svc-3', 'jsm-svc-7'] });
      const outcome = await linkIncident(issue.id, d, { issueKey: issue.key });
      expect(outcome.kind === 'linked' && outcome.invocations).toHaveLength(2);
      return { storage: d.store.ops.byMethod(), jira: d.jira.calls.map((c) => c.method) };
    };
    expect(await cost(5_000)).toEqual(await cost(10));
  });

  it('reads the field ids from Jira and caches them when none are cached, and leaves a day-old cache to the watch', async () => {
    deps.store.storage.fields = undefined;
    await trigger(incident());
    expect(deps.jira.calls.map((c) => c.method)).toEqual(['readFieldIds', 'getIncident']);
    expect(deps.store.storage.fields).toMatchObject({ majorIncident: 'customfield_10042', fetchedAt: deps.clock.now() });

    // A day-old cache stays off the incident's path: still 1 Jira call and 4 storage operations.
    deps.store.storage.fields = { ...deps.store.storage.fields!, fetchedAt: deps.clock.now() - 25 * 60 * MINUTE };
    deps.jira.resetCalls();
    deps.store.ops.reset();
    await trigger(incident());
    expect(deps.jira.calls.map((c) => c.method)).toEqual(['getIncident']);
    expect(deps.store.ops.total).toBe(4);
  });
});

describe('runs after the first', () => {
  it('a duplicate run changes nothing and pushes nothing new, before and after the drain', async () => {
    const issue = incident();
    await trigger(issue);
    const stored = deps.store.peek(issue.id);
    resetCounts(deps);

    deps.clock.advance(400); // the same second: the duplicate event of the same update
    await trigger(issue);
    expect(deps.store.peek(issue.id)).toEqual(stored);
    expect(deps.store.ops.count({ method: 'saveRecord' })).toBe(0);
    expect(deps.queue.events).toHaveLength(1);

    await deliver(deps);
    const drained = deps.store.peek(issue.id)!;
    resetCounts(deps);
    deps.clock.advance(5_000);
    await trigger(issue);
    expect(deps.store.peek(issue.id)).toEqual(drained);
    expect(deps.store.ops.writes).toBe(0);
    expect(deps.queue.take()).toEqual([]);
    expect(deps.jira.writes()).toEqual([]);
  });

  it('an incident that stops qualifying has its open invocations stood down by the app, and Jira is told through the outbox', async () => {
    const issue = incident();
    await trigger(issue);
    await deliver(deps);

    deps.clock.advance(10 * MINUTE);
    deps.jira.updateIssue(issue.id, { priority: { id: '4', name: 'Low' } });
    const outcome = await trigger(issue);

    expect(outcome).toMatchObject({ kind: 'not-qualifying', reason: 'Priority Low is not a P1 priority.' });
    const [invocation] = deps.store.peek(issue.id)!.invocations;
    expect(invocation).toMatchObject({ state: 'stood-down', stoodDownBy: 'app', standDownReason: 'Priority Low is not a P1 priority.' });
    expect(deps.queue.events.at(-1)).toEqual({ slot: slotAt(deps.clock.now()) });
    await deliver(deps);
    expect(deps.jira.issue(issue.id).properties['service-continuity']).toMatchObject({ openInvocations: 0, states: ['stood-down'] });
  });

  it('an incident that qualifies again reopens the same invocation, its RTO clock still running from the incident’s creation', async () => {
    const issue = incident();
    await trigger(issue);
    const before = deps.store.peek(issue.id)!.invocations[0];

    deps.clock.advance(10 * MINUTE);
    deps.jira.updateIssue(issue.id, { priority: { id: '4', name: 'Low' } });
    await trigger(issue);
    deps.clock.advance(10 * MINUTE);
    deps.jira.updateIssue(issue.id, { priority: { id: '1', name: 'Highest' } });
    const outcome = await trigger(issue);

    expect(outcome.kind).toBe('linked');
    const invocations = deps.store.peek(issue.id)!.invocations;
    expect(invocations).toHaveLength(1);
    expect(invocations[0]).toMatchObject({ id: before.id, state: 'open', startedAt: issue.created, rtoDueAt: before.rtoDueAt });
    expect(invocations[0].stoodDownBy).toBeUndefined();
    expect(invocations[0].timeline.map((t) => t.kind)).toEqual(['qualified', 'stood-down', 'reopened']);
  });

  it('a stand-down a person declared stays when the incident stops and then starts qualifying again', async () => {
    const issue = incident();
    await trigger(issue);
    const id = invocationId(issue.id, PAYMENTS_PLAN.id);
    await actOnPanel(issue, AGENT.accountId, { kind: 'stand-down', invocationId: id, reason: 'False alarm: a monitoring glitch' }, panelDeps(asUser(deps, AGENT.accountId)));

    deps.jira.updateIssue(issue.id, { priority: { id: '4', name: 'Low' } });
    await trigger(issue);
    deps.jira.updateIssue(issue.id, { priority: { id: '1', name: 'Highest' } });
    await trigger(issue);

    expect(deps.store.peek(issue.id)!.invocations[0]).toMatchObject({ state: 'stood-down', stoodDownBy: AGENT.accountId, standDownReason: 'False alarm: a monitoring glitch' });
  });

  it('a resolved incident is left alone: its open invocation is not stood down and nothing is written', async () => {
    const issue = incident();
    await trigger(issue);
    await deliver(deps);
    const drained = deps.store.peek(issue.id);
    resetCounts(deps);

    deps.jira.updateIssue(issue.id, { resolution: 'Done', priority: { id: '4', name: 'Low' } });
    const outcome = await trigger(issue);

    expect(outcome).toMatchObject({ kind: 'not-qualifying', reason: 'The incident is resolved.' });
    expect(deps.store.peek(issue.id)).toEqual(drained);
    expect(deps.store.ops.writes).toBe(0);
    expect(deps.queue.take()).toEqual([]);
  });

  it('stores nothing for an incident that never qualified', async () => {
    const issue = incident({ priority: { id: '3', name: 'Medium' } });
    expect((await trigger(issue)).kind).toBe('not-qualifying');
    expect(deps.store.allRecords()).toEqual([]);
    expect(deps.store.ops.writes).toBe(0);
  });

  it('a second affected service added later gets its own invocation, the first one untouched', async () => {
    const issue = incident();
    await trigger(issue);
    const first = deps.store.peek(issue.id)!.invocations[0];

    deps.clock.advance(15 * MINUTE);
    deps.jira.updateIssue(issue.id, { affectedServices: ['jsm-payments', 'jsm-ledger'] });
    const outcome = await trigger(issue);

    expect(outcome.kind === 'linked' && outcome.invocations.map((i) => i.planId)).toEqual([LEDGER_PLAN.id, PAYMENTS_PLAN.id]);
    const record = deps.store.peek(issue.id)!;
    expect(record.invocations.find((i) => i.planId === PAYMENTS_PLAN.id)).toEqual(first);
    expect(record.invocations.find((i) => i.planId === LEDGER_PLAN.id)).toMatchObject({ state: 'open', startedAt: issue.created, rtoMinutes: 120 });
  });
});

describe('when Jira cannot be read', () => {
  it('a rate-limited issue read with an issue key given stores the record for later (needsLink), and the drain links it', async () => {
    const issue = incident();
    deps.jira.failNext('getIncident', { status: 429, retryAfter: 20 });
    const outcome = await trigger(issue);

    expect(outcome.kind).toBe('deferred');
    const deferred = deps.store.peek(issue.id)!;
    expect(deferred).toMatchObject({ issueKey: issue.key, invocations: [], outbox: { needsLink: true } });
    expect(deferred.outboxSlot).toBe(slotAt(deps.clock.now()));
    expect(deps.queue.events).toEqual([{ slot: deferred.outboxSlot }]);

    await deliver(deps);
    const linked = deps.store.peek(issue.id)!;
    expect(linked.invocations.map((i) => [i.planId, i.state])).toEqual([[PAYMENTS_PLAN.id, 'open']]);
    expect(linked.outboxSlot).toBe(0);
    expect(linked.outbox).toBeUndefined();
    expect(deps.jira.markedComments(issue.id, linked.invocations[0].id, 'invoked')).toHaveLength(1);
    expect(deps.jira.issue(issue.id).remoteLinks).toHaveLength(1);
  });

  it('without an issue key the rate limit is the caller’s to retry, and nothing is stored', async () => {
    const issue = incident();
    deps.jira.failNext('getIncident', { status: 429, retryAfter: 20 });
    await expect(linkIncident(issue.id, deps)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 20 });
    expect(deps.store.allRecords()).toEqual([]);
  });
});

describe('automation: forced invocations and plans named by a rule', () => {
  it('a plan an automation rule forced on a non-qualifying incident is not stood down by a later trigger run', async () => {
    const issue = incident({ priority: { id: '3', name: 'Medium' } });
    const forced = await linkIncident(issue.key, deps, { force: true });
    expect(forced.kind === 'linked' && forced.invocations.map((i) => i.forced)).toEqual([true]);

    deps.clock.advance(MINUTE);
    deps.jira.updateIssue(issue.id, { labels: ['customer-facing'] });
    expect((await trigger(issue)).kind).toBe('not-qualifying');
    expect(deps.store.peek(issue.id)!.invocations[0]).toMatchObject({ state: 'open', forced: true });
  });

  it('a trigger run still stands down the invocations the settings started, next to a forced one', async () => {
    const issue = incident({ priority: { id: '3', name: 'Medium' } });
    await linkIncident(issue.key, deps, { force: true, plan: LEDGER_PLAN.title });
    deps.jira.updateIssue(issue.id, { priority: { id: '1', name: 'Highest' } });
    await trigger(issue);
    deps.jira.updateIssue(issue.id, { priority: { id: '3', name: 'Medium' } });
    await trigger(issue);

    const states = Object.fromEntries(deps.store.peek(issue.id)!.invocations.map((i) => [i.planId, i.state]));
    expect(states).toEqual({ [LEDGER_PLAN.id]: 'open', [PAYMENTS_PLAN.id]: 'stood-down' });
  });

  it.each([
    ['a slash, parentheses and an apostrophe', 'Zahlungsverkehr / Überweisungen (Notfall) – O’Brien\'s runbook'],
    ['non-Latin letters', '決済サービス 復旧手順'],
    ['accented capitals', 'ÉCHEC DU SERVICE DE PAIEMENT'],
  ])('finds a plan by its title with %s, whatever its case', async (_what, title) => {
    const d = fakeDeps();
    await ready(d, { services: [PAYMENTS], plans: [{ ...PAYMENTS_PLAN, title }] });
    const issue = d.jira.addIssue({ priority: { id: '3', name: 'Medium' } });
    const outcome = await linkIncident(issue.key, d, { force: true, plan: `  ${title.toLowerCase()} ` });
    expect(outcome.kind === 'linked' && outcome.invocations.map((i) => [i.planId, i.plan.title])).toEqual([[PAYMENTS_PLAN.id, title]]);
  });

  it.each([
    ['a slash', 'plan/../payments'],
    ['a question mark', 'plan?id=1'],
    ['a non-ASCII letter', 'plän-zahlung'],
    ['501 characters', 'x'.repeat(501)],
  ])('a plan id storage keys cannot hold (%s) is NOT_FOUND on plan, not a storage error', async (_what, wanted) => {
    const issue = incident();
    const outcome = linkIncident(issue.key, deps, { force: true, plan: wanted });
    await expect(outcome).rejects.toBeInstanceOf(ContinuityError);
    await expect(outcome).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'plan' });
    expect(deps.store.allRecords()).toEqual([]);
  });

  it('finds a service named by a rule by its name', async () => {
    const issue = incident({ priority: { id: '3', name: 'Medium' }, affectedServices: [] });
    const outcome = await linkIncident(issue.key, deps, { force: true, service: 'payments' });
    expect(outcome.kind === 'linked' && outcome.invocations.map((i) => i.planId)).toEqual([PAYMENTS_PLAN.id]);
  });
});
