/**
 * The issue panel's use cases against typed fakes: loads that write nothing and cost one Jira call,
 * the empty states, server-side permission checks, comms posted at most once per update, and the text
 * people type refused when it shows nothing or is not text (in the service and in the resolver schemas).
 */
import type { ResolverError } from '../contract/errors';
import { ContinuityError } from '../domain/errors';
import { CLAIM_TTL_MS, commentWrite } from '../domain/incident-record';
import { invocationId } from '../domain/invocation';
import { parseInput, postCommsInput, reopenInput, skipStepInput, standDownInput } from '../entry/resolvers/schemas';
import { actOnPanel, loadPanel, type PanelAction } from './issue-panel';
import { saveCatalogue } from './catalogue';
import { linkIncident } from './link-incident';
import { asUser, fakeDeps, FULL_PERMISSIONS, type FakeDeps, type FakeIssue } from './testing/fakes';
import { adfText, AGENT, deliver, panelDeps, PAYMENTS_PLAN, plan, ready, resetCounts, SECOND_AGENT, service, VIEWER } from './testing/fixtures';

let deps: FakeDeps;

beforeEach(async () => {
  deps = fakeDeps();
  await ready(deps);
});

/** The panel's deps for a signed-in user (each resolver request has its own). */
const as = (user: { accountId: string }) => panelDeps(asUser(deps, user.accountId));
const inv = (issue: FakeIssue) => invocationId(issue.id, PAYMENTS_PLAN.id);
const act = (issue: FakeIssue, user: { accountId: string }, action: PanelAction) => actOnPanel(issue, user.accountId, action, as(user));

async function linkedIncident(): Promise<FakeIssue> {
  const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
  await linkIncident(issue.id, deps, { issueKey: issue.key });
  await deliver(deps);
  resetCounts(deps);
  return issue;
}

/** What a failed call answered, as the resolver's envelope would carry it. */
async function refusal(work: Promise<unknown>): Promise<ResolverError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ContinuityError) return error.toResolverError();
    throw error;
  }
  throw new Error('Expected a refusal.');
}

function schemaRefusal(parse: () => unknown): ResolverError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ContinuityError) return error.toResolverError();
    throw error;
  }
  throw new Error('Expected the schema to refuse the input.');
}

describe('loading the panel', () => {
  const people = Array.from({ length: 5 }, (_, i) => ({ accountId: `responder-${i + 1}`, name: `Responder ${i + 1}` }));

  it.each([
    ['an editor', 0, AGENT],
    ['a viewer', 0, VIEWER],
    ['an editor', 5, AGENT],
    ['a viewer', 5, VIEWER],
  ])('is read-only for %s, with one Jira call and at most two storage operations (%i people in the timeline)', async (_who, count, user) => {
    const issue = await linkedIncident();
    for (const person of people.slice(0, count)) {
      deps.jira.setUser(person.accountId, { name: person.name, permissions: FULL_PERMISSIONS });
      await act(issue, person, { kind: 'step-done', invocationId: inv(issue), stepId: 'fail-over' });
      await act(issue, person, { kind: 'step-reopen', invocationId: inv(issue), stepId: 'fail-over' });
    }
    await deliver(deps);
    const before = deps.store.peek(issue.id);
    resetCounts(deps);

    const view = await loadPanel(issue, as(user));

    expect(deps.store.ops.writes).toBe(0);
    expect(deps.store.ops.total).toBeLessThanOrEqual(2);
    expect(deps.jira.calls.map((c) => c.method)).toEqual(['permissionsOfCurrentUser']);
    expect(deps.jira.writes()).toEqual([]);
    expect(deps.queue.take()).toEqual([]);
    expect(deps.store.peek(issue.id)).toEqual(before);
    expect(view.status).toBe('invoked');
    expect(view.can).toEqual(user === VIEWER ? { edit: false, comment: false } : { edit: true, comment: true });
    // Names come stored with the timeline: no user lookups, however many people acted.
    const names = new Set(view.invocations[0].timeline.map((t) => t.actorName));
    for (const person of people.slice(0, count)) expect(names).toContain(person.name);
  });

  it('marks a draft plan DRAFT and says what its page needs fixing, from the plans it reads anyway (no more calls)', async () => {
    const draft = { ...PAYMENTS_PLAN, status: 'draft' as const, stepsProblem: { sinceVersion: 4, editedBy: 'editor-kai', editedByName: 'Kai Editor', reason: 'no-steps-section' as const }, reviewDue: { changeKeys: ['CHG-12', 'CHG-15'], since: 0 } };
    await saveCatalogue({ plans: [draft] }, deps.catalogue);
    const issue = await linkedIncident();

    const view = await loadPanel(issue, as(VIEWER));

    expect(view.invocations[0].plan).toMatchObject({ status: 'draft', draft: true });
    expect(view.invocations[0].drill).toBe(false);
    expect(view.invocations[0].plan.problems).toEqual([
      'The plan page has had no readable recovery steps since version 4, edited by Kai Editor. Incidents get the last readable steps.',
      'Review due: changed by CHG-12, CHG-15',
    ]);
    expect(deps.store.ops.total).toBeLessThanOrEqual(2);
    expect(deps.jira.calls.map((c) => c.method)).toEqual(['permissionsOfCurrentUser']);

    // Approved and reviewed since: the panel follows the plan as it is now.
    await saveCatalogue({ plans: [{ ...PAYMENTS_PLAN, status: 'approved' }] }, deps.catalogue);
    expect((await loadPanel(issue, as(VIEWER))).invocations[0].plan).toMatchObject({ status: 'approved', draft: false, problems: [] });
  });

  it('shows a qualifying incident the app has not linked yet as pending, writing nothing', async () => {
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    const view = await loadPanel(issue, as(AGENT));

    expect(view).toMatchObject({ status: 'pending', invocations: [] });
    expect(view.reason).toContain(PAYMENTS_PLAN.title);
    expect(deps.store.ops.writes).toBe(0);
    expect(deps.store.ops.total).toBeLessThanOrEqual(2);
    expect(deps.jira.calls.map((c) => [c.method, c.user])).toEqual([['getIncident', AGENT.accountId]]);
    expect(deps.store.allRecords()).toEqual([]);
  });

  it('says why an incident does not qualify, and what would make it', async () => {
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'], priority: { id: '4', name: 'Low' } });
    const view = await loadPanel(issue, as(VIEWER));
    expect(view).toMatchObject({ status: 'not-qualifying', reason: 'Priority Low is not a P1 priority.', toQualify: 'Raise the priority to Highest or flag it as a major incident.' });
    expect(deps.store.ops.writes).toBe(0);
  });
});

describe('panel actions', () => {
  it('are checked server-side: a viewer is FORBIDDEN to change the recovery or post, and nothing changes', async () => {
    const issue = await linkedIncident();
    const before = deps.store.peek(issue.id);

    expect(await refusal(act(issue, VIEWER, { kind: 'step-done', invocationId: inv(issue), stepId: 'fail-over' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(act(issue, VIEWER, { kind: 'recover', invocationId: inv(issue) }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(act(issue, VIEWER, { kind: 'post-comms', invocationId: inv(issue), templateId: 'status', audience: 'internal', seen: 0 }))).toMatchObject({ code: 'FORBIDDEN' });

    expect(deps.store.peek(issue.id)).toEqual(before);
    expect(deps.jira.writes()).toEqual([]);
  });

  it('answer NOT_FOUND for an invocation of another issue, and leave that issue alone', async () => {
    const mine = await linkedIncident();
    const other = await linkedIncident();
    const otherBefore = deps.store.peek(other.id);

    expect(await refusal(act(mine, AGENT, { kind: 'recover', invocationId: inv(other) }))).toEqual({ code: 'NOT_FOUND', message: 'Invocation not found.', field: 'invocationId' });
    expect(deps.store.peek(other.id)).toEqual(otherBefore);
  });

  it('store the change and hand the property to the outbox: a recovery reaches Jira through the drain', async () => {
    const issue = await linkedIncident();
    const view = await act(issue, AGENT, { kind: 'recover', invocationId: inv(issue) });
    expect(view.invocations[0].state).toBe('recovered');
    expect(deps.jira.writes()).toEqual([]); // nothing written to Jira inline
    await deliver(deps);
    expect(deps.jira.issue(issue.id).properties['service-continuity']).toMatchObject({ states: ['recovered'] });
  });
});

describe('posting an update', () => {
  const post = (issue: FakeIssue, user: { accountId: string }, seen: number, impact?: string) =>
    act(issue, user, { kind: 'post-comms', invocationId: inv(issue), templateId: 'status', audience: 'internal', seen, ...(impact === undefined ? {} : { impact }) });
  const updates = (issue: FakeIssue, n: number) => deps.jira.markedComments(issue.id, inv(issue), `comms:status:${n}`);

  it('two agents who both saw no update post at once: one comment, and the other is told who posted it', async () => {
    const issue = await linkedIncident();
    const [a, b] = await Promise.allSettled([post(issue, AGENT, 0), post(issue, SECOND_AGENT, 0)]);

    expect(updates(issue, 1)).toHaveLength(1);
    expect(deps.jira.callsTo('addComment')).toHaveLength(1);
    const [won, lost] = a.status === 'fulfilled' ? [AGENT, b] : [SECOND_AGENT, a];
    if (lost.status !== 'rejected') throw new Error('Both posts succeeded.');
    expect(lost.reason).toBeInstanceOf(ContinuityError);
    expect(lost.reason).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(won.name) });
    expect(updates(issue, 1)[0].author).toBe(won.accountId);
  });

  it('an agent whose panel still showed no update after another posted it is told who posted it', async () => {
    const issue = await linkedIncident();
    await post(issue, AGENT, 0);
    const error = await refusal(post(issue, SECOND_AGENT, 0));
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'templateId' });
    expect(error.message).toContain(AGENT.name);
    expect(deps.jira.callsTo('addComment')).toHaveLength(1);
  });

  it('a deliberate second update (the panel showed one) is posted', async () => {
    const issue = await linkedIncident();
    await post(issue, AGENT, 0, 'Card payments fail for 20 % of customers');
    const view = await post(issue, SECOND_AGENT, 1, 'Card payments recovering');

    expect(updates(issue, 1)).toHaveLength(1);
    expect(updates(issue, 2)).toHaveLength(1);
    expect(view.invocations[0].comms.find((c) => c.templateId === 'status')?.postedCount).toBe(2);
  });

  it('a post Jira refuses (400) gives the update number back, so the agent can post again at once', async () => {
    const issue = await linkedIncident();
    deps.jira.failNext('addComment', { status: 400 });
    expect(await refusal(post(issue, AGENT, 0))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(commentWrite(deps.store.peek(issue.id)!, inv(issue), 'comms:status:1')).toBeUndefined();

    await post(issue, AGENT, 0);
    expect(updates(issue, 1)).toHaveLength(1);
  });
});

describe('text people type', () => {
  const invisible: Array<[string, string]> = [
    ['zero-width spaces', '\u200B\u200B\u200B\u200B'],
    ['soft hyphens', '\u00AD\u00AD\u00AD\u00AD'],
    ['Hangul fillers', '\u3164\u115F\u1160\uFFA0'],
    ['bare combining marks', '\u0301\u0308\u0327\u0301'],
    ['invisible characters around two letters', '\u200Bok\u00AD\u3164'],
  ];

  it.each(invisible)('a reason made of %s is refused on reason, and nothing is stored', async (_what, reason) => {
    const issue = await linkedIncident();
    const before = deps.store.peek(issue.id);
    expect(await refusal(act(issue, AGENT, { kind: 'stand-down', invocationId: inv(issue), reason }))).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    expect(await refusal(act(issue, AGENT, { kind: 'step-skip', invocationId: inv(issue), stepId: 'verify', reason }))).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    expect(deps.store.peek(issue.id)).toEqual(before);
  });

  it.each(invisible)('the resolver schemas refuse a reason made of %s, on reason', (_what, reason) => {
    expect(schemaRefusal(() => parseInput(standDownInput, { invocationId: 'i', reason }))).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    expect(schemaRefusal(() => parseInput(skipStepInput, { invocationId: 'i', stepId: 's', reason }))).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
  });

  it('a reason with visible words keeps them, invisible characters and all', async () => {
    const issue = await linkedIncident();
    expect(parseInput(standDownInput, { invocationId: 'i', reason: ' False\u00ADalarm ' }).reason).toBe('False\u00ADalarm');
    const view = await act(issue, AGENT, { kind: 'stand-down', invocationId: inv(issue), reason: 'False alarm \u{1F937}' });
    expect(view.invocations[0].standDownReason).toBe('False alarm \u{1F937}');
  });

  it('an impact with a lone surrogate is refused on impact, and nothing is posted or claimed', async () => {
    const issue = await linkedIncident();
    const impact = 'Card payments \uD83D fail';
    const error = await refusal(act(issue, AGENT, { kind: 'post-comms', invocationId: inv(issue), templateId: 'status', audience: 'internal', seen: 0, impact }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'impact' });
    expect(deps.jira.callsTo('addComment')).toEqual([]);
    expect(commentWrite(deps.store.peek(issue.id)!, inv(issue), 'comms:status:1')).toBeUndefined();
  });

  it('an impact that shows nothing is posted as "under assessment"', async () => {
    const issue = await linkedIncident();
    await act(issue, AGENT, { kind: 'post-comms', invocationId: inv(issue), templateId: 'status', audience: 'internal', seen: 0, impact: '\u200B\u00AD' });
    const [update] = deps.jira.markedComments(issue.id, inv(issue), 'comms:status:1');
    expect(adfText(update.body)).toContain('Impact: under assessment.');
  });

  it('the resolver schema refuses an impact with a lone surrogate, on impact, and accepts a whole emoji', () => {
    const payload = { invocationId: 'i', templateId: 't', audience: 'internal', seen: 0 };
    expect(schemaRefusal(() => parseInput(postCommsInput, { ...payload, impact: 'Card payments \uDE00 fail' }))).toMatchObject({ code: 'INVALID_INPUT', field: 'impact' });
    expect(parseInput(postCommsInput, { ...payload, impact: 'Card payments \u{1F4B3} fail' }).impact).toBe('Card payments \u{1F4B3} fail');
  });

  it('the reopen schema refuses a reason with a lone surrogate and lets a blank one mean none', () => {
    expect(schemaRefusal(() => parseInput(reopenInput, { invocationId: 'i', reason: 'too early \uD800' }))).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    expect(parseInput(reopenInput, { invocationId: 'i', reason: '   ' }).reason).toBeUndefined();
  });
});

describe('review findings', () => {
  it('an update whose post was never confirmed is looked for before anyone posts it again', async () => {
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    await deliver(deps);
    const inv = invocationId(issue.id, PAYMENTS_PLAN.id);
    // Jira saves the comment but its answer is lost, and the marker lookup fails too.
    deps.jira.failNext('addComment', 'lost-answer');
    deps.jira.failNext('findMarkedComment', { status: 503 });
    const action: PanelAction = { kind: 'post-comms', invocationId: inv, templateId: 'customers', audience: 'public', seen: 0 };
    await expect(act(issue, AGENT, action)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/may have been posted/) });
    // After the claim expires a second agent tries again: the update is found, not posted twice.
    deps.clock.advance(CLAIM_TTL_MS + 1000);
    await act(issue, SECOND_AGENT, action);
    expect(deps.jira.markedComments(issue.id, inv, 'comms:customers:1')).toHaveLength(1);
  });

  it('orders several plans along their dependencies without reading the catalogue: still two storage operations', async () => {
    const d = fakeDeps();
    const a = service('a', { name: 'A', dependsOn: ['c'] });
    const c = service('c', { name: 'C', dependsOn: ['d'], jsmServiceIds: [] });
    const dd = service('d', { name: 'D', dependsOn: ['b'], jsmServiceIds: [] });
    const b = service('b', { name: 'B' });
    await ready(d, { services: [a, b, c, dd], plans: [plan('plan-a', 'a'), plan('plan-b', 'b')] });
    const issue = d.jira.addIssue({ affectedServices: ['jsm-a', 'jsm-b'] });
    await linkIncident(issue.id, d, { issueKey: issue.key });
    await deliver(d);
    d.jira.setUser(AGENT.accountId, { name: AGENT.name, permissions: FULL_PERMISSIONS });
    resetCounts(d);
    const view = await loadPanel(issue, panelDeps(asUser(d, AGENT.accountId)));
    expect(view.invocations.map((i) => i.service.name)).toEqual(['B', 'A']); // B first: A depends on it (through C and D)
    expect(d.store.ops.total).toBeLessThanOrEqual(2); // store and catalogue share one counter, as they share storage
  });
});
