/**
 * Drills against typed fakes: scheduled by a manager, run into an exercise issue marked as a drill in
 * its create request, invoked through the incident path (same record, outbox, checklist and clock)
 * yet never mistaken for an outage: DRILL on its comments and link, public updates refused, ignored by
 * the trigger's qualification and the watch's sweep; recovered, reported like a postmortem, recorded
 * against the RTO, the plan's "last tested" moved; findings fed back and marked handled by the owner.
 */
import { DRILL_PROPERTY_KEY } from '../domain/drills';
import { invocationId } from '../domain/invocation';
import { headingTitles, textsOf } from '../domain/pages/adf-testing';
import { actOnPanel } from './issue-panel';
import { planRegistry } from './catalogue-plans';
import { cancelDrill, completeDrillNow, listDrills, runDrill, scheduleDrill } from './drills';
import { markFindingsHandled } from './findings-handled';
import { linkIncident } from './link-incident';
import { loopPanelView } from './loop-panel';
import { publishPostmortem } from './postmortem';
import { runWatch } from './watch';
import { asUser, fakeDeps, FULL_PERMISSIONS, type FakeDeps } from './testing/fakes';
import { adfText, AGENT, deliver, PAYMENTS_PLAN, SECOND_AGENT } from './testing/fixtures';
import { asAgent, loopSite, MINUTE, SITE_URL, type LoopSite } from './testing/loop-fixtures';

const MANAGER = { accountId: 'manager-1', displayName: 'Casey Continuity' };
const OWNER = { accountId: PAYMENTS_PLAN.ownerAccountId!, displayName: 'Olive Owner' };
let deps: FakeDeps;
let site: LoopSite;

afterEach(() => jest.restoreAllMocks());

beforeEach(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  deps = fakeDeps();
  site = await loopSite(deps);
  deps.jira.setUser(MANAGER.accountId, { name: MANAGER.displayName, permissions: FULL_PERMISSIONS, admin: true });
  deps.jira.setUser(OWNER.accountId, { name: OWNER.displayName, permissions: FULL_PERMISSIONS });
});

const as = (user: { accountId: string }) => asUser(deps, user.accountId);
const tomorrow = () => deps.clock.now() + 24 * 60 * MINUTE;

async function scheduled(participants: string[] = [AGENT.accountId]) {
  return scheduleDrill({ planId: PAYMENTS_PLAN.id, kind: 'fail-over', scheduledFor: tomorrow(), participants, notes: 'Fail over to eu-central-1' }, MANAGER, as(MANAGER));
}

describe('scheduling', () => {
  it('a manager schedules an exercise of a plan; it is listed as upcoming with its participants', async () => {
    const drill = await scheduled();
    expect(drill).toMatchObject({ plan: { id: PAYMENTS_PLAN.id, title: 'Payments failover' }, kind: 'fail-over', kindName: 'Fail-over test', state: 'scheduled', participants: [{ accountId: AGENT.accountId, displayName: AGENT.name }] });
    const page = await listDrills(undefined, as(MANAGER));
    expect(page.upcoming.map((d) => d.id)).toEqual([drill.id]);
    expect(page.past).toEqual([]);
    expect(page).toMatchObject({ canManage: true, issueLocation: { ok: true, projectKey: 'OPS', issueTypeName: 'Task' } });
    expect(page.plans.map((p) => p.id)).toContain(PAYMENTS_PLAN.id);
  });

  it('is refused to others, for a past date and for an unknown plan', async () => {
    await expect(scheduleDrill({ planId: PAYMENTS_PLAN.id, kind: 'tabletop', scheduledFor: tomorrow() }, AGENT, as(AGENT))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(scheduleDrill({ planId: PAYMENTS_PLAN.id, kind: 'tabletop', scheduledFor: deps.clock.now() - 3 * 24 * 60 * MINUTE }, MANAGER, as(MANAGER))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'scheduledFor' });
    await expect(scheduleDrill({ planId: 'nope', kind: 'tabletop', scheduledFor: tomorrow() }, MANAGER, as(MANAGER))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(scheduleDrill({ planId: PAYMENTS_PLAN.id, kind: 'chaos' as never, scheduledFor: tomorrow() }, MANAGER, as(MANAGER))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'kind' });
  });

  it('a cancelled drill is past and cannot run', async () => {
    const drill = await scheduled();
    const cancelled = await cancelDrill(drill.id, MANAGER, 'Moved to next quarter', as(MANAGER));
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelled: { reason: 'Moved to next quarter' } });
    expect((await listDrills(undefined, as(MANAGER))).past.map((d) => d.id)).toEqual([drill.id]);
    await expect(runDrill(drill.id, MANAGER, as(MANAGER))).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('running a drill', () => {
  it('creates the exercise issue marked as a drill in its create request and invokes the plan on the incident path', async () => {
    const drill = await scheduled();
    const run = await runDrill(drill.id, AGENT, as(AGENT));
    const create = deps.jira.callsTo('createIssue')[0];
    expect(create.args[0]).toMatchObject({ projectKey: 'OPS', issueTypeName: 'Task', summary: 'DRILL: Fail-over test of Payments failover', properties: [{ key: DRILL_PROPERTY_KEY, value: { drillId: drill.id, planId: PAYMENTS_PLAN.id, kind: 'fail-over' } }] });
    expect(create.user).toBe(AGENT.accountId);
    const record = (await deps.store.getRecord(run.issue.id))!;
    expect(record.drill).toEqual({ drillId: drill.id, planId: PAYMENTS_PLAN.id, kind: 'fail-over' });
    expect(record.invocations).toHaveLength(1);
    expect(record.invocations[0]).toMatchObject({ planId: PAYMENTS_PLAN.id, isDrill: true, forced: true, startedAt: deps.jira.issue(run.issue.key).created });
    expect(run.drill).toMatchObject({ state: 'running', issue: run.issue });
    await deliver(deps);
    // The same outbox: comment, link and property, each saying DRILL.
    const comments = deps.jira.comments(run.issue.key);
    expect(comments).toHaveLength(1);
    expect(adfText(comments[0].body)).toMatch(/^DRILL +\(an exercise, not an outage\)/);
    expect(comments[0].internal).toBe(true);
    expect(deps.jira.issue(run.issue.key).remoteLinks[0].link.title).toMatch(/^DRILL — Continuity plan/);
    expect(deps.jira.issue(run.issue.key).properties['service-continuity']).toMatchObject({ drill: true, invocations: [{ isDrill: true }] });
    expect(loopPanelView(record, deps.clock.now()).drill).toEqual({ drillId: drill.id, kind: 'fail-over', kindName: 'Fail-over test' });
    // The plan registry tells the running drill apart from incidents.
    const row = (await planRegistry(undefined, as(MANAGER))).items.find((p) => p.id === PAYMENTS_PLAN.id);
    expect(row).toMatchObject({ openInvocations: 0, openDrills: 1 });
  });

  it('runs once: a second run does not create a second issue; only a participant or a manager may run it', async () => {
    const drill = await scheduled();
    await expect(runDrill(drill.id, SECOND_AGENT, as(SECOND_AGENT))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const [a, b] = await Promise.allSettled([runDrill(drill.id, AGENT, as(AGENT)), runDrill(drill.id, MANAGER, as(MANAGER))]);
    expect(deps.jira.callsTo('createIssue')).toHaveLength(1);
    expect([a.status, b.status]).toContain('fulfilled');
    const again = await runDrill(drill.id, AGENT, as(AGENT));
    expect(deps.jira.callsTo('createIssue')).toHaveLength(1);
    expect((await deps.store.getRecord(again.issue.id))!.invocations).toHaveLength(1);
  });

  it('never takes the real-incident path: the trigger and the sweep leave the exercise issue to the drill run', async () => {
    // The exercise issue qualifies by every setting (a Highest Incident on Payments) but is a drill.
    const drill = await scheduled();
    await deps.store.putSettings({ ...(await deps.store.getSettings()), drillIssueTypeName: 'Incident' });
    const run = await runDrill(drill.id, AGENT, as(AGENT));
    deps.jira.updateIssue(run.issue.key, { priority: { id: '1', name: 'Highest' }, affectedServices: ['jsm-payments', 'jsm-ledger'] });
    // The trigger on the created and updated events: nothing invoked by the settings, nothing stood down.
    const outcome = await linkIncident(run.issue.id, deps, { issueKey: run.issue.key });
    expect(outcome.kind).toBe('not-qualifying');
    const record = (await deps.store.getRecord(run.issue.id))!;
    expect(record.invocations.map((i) => [i.planId, i.state])).toEqual([[PAYMENTS_PLAN.id, 'open']]);
    // The watch's sweep: not counted, not linked, not repaired.
    const watch = await runWatch(deps);
    expect(watch.swept.incidents).toBe(0);
    expect((await deps.store.getRecord(run.issue.id))!.version).toBe(record.version);
    // A trigger for an issue the drill run has not stored yet stores nothing either.
    const early = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    deps.jira.issue(early.key).properties[DRILL_PROPERTY_KEY] = { drillId: 'drill-x', planId: PAYMENTS_PLAN.id, kind: 'tabletop' };
    expect((await linkIncident(early.id, deps, { issueKey: early.key })).kind).toBe('not-qualifying');
    expect(await deps.store.getRecord(early.id)).toBeUndefined();
  });

  it('refuses public updates: nothing is posted to customers', async () => {
    const drill = await scheduled();
    const run = await runDrill(drill.id, AGENT, as(AGENT));
    const inv = invocationId(run.issue.id, PAYMENTS_PLAN.id);
    await expect(actOnPanel(run.issue, AGENT.accountId, { kind: 'post-comms', invocationId: inv, templateId: 'customers', audience: 'public', seen: 0 }, asAgent(deps))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'audience' });
    const view = await actOnPanel(run.issue, AGENT.accountId, { kind: 'post-comms', invocationId: inv, templateId: 'status', audience: 'internal', seen: 0 }, asAgent(deps));
    // The panel is told, so it offers no public reply at all.
    expect(view.invocations.map((i) => i.drill)).toEqual([true]);
    const posted = deps.jira.comments(run.issue.key).filter((c) => c.author === AGENT.accountId);
    expect(posted).toHaveLength(1);
    expect(posted[0].internal).toBe(true);
    expect(adfText(posted[0].body)).toMatch(/^DRILL/);
  });
});

describe('the drill result', () => {
  async function recoveredDrill(minutes: number) {
    const drill = await scheduled();
    const run = await runDrill(drill.id, AGENT, as(AGENT));
    await deliver(deps);
    const t0 = deps.jira.issue(run.issue.key).created;
    const inv = invocationId(run.issue.id, PAYMENTS_PLAN.id);
    deps.clock.set(t0 + 30 * MINUTE);
    await actOnPanel(run.issue, AGENT.accountId, { kind: 'step-done', invocationId: inv, stepId: 'fail-over' }, asAgent(deps));
    deps.clock.set(t0 + minutes * MINUTE);
    await actOnPanel(run.issue, AGENT.accountId, { kind: 'recover', invocationId: inv }, asAgent(deps));
    return { drill, run, t0 };
  }

  it('recovery queues the report; it is published like a postmortem (DRILL), the result recorded, last tested moved, findings fed back', async () => {
    const before = (await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!.lastTestedAt;
    const { drill, run, t0 } = await recoveredDrill(50);
    const event = deps.loopQueue.take();
    expect(event).toEqual({ kind: 'publish-postmortem', issueId: run.issue.id, siteUrl: SITE_URL });
    const published = await publishPostmortem({ issueId: event!.issueId, actor: { accountId: 'app', displayName: 'Service Continuity' }, siteUrl: SITE_URL }, deps);
    const page = deps.confluence.latest(published.page.id);
    expect(page.title).toBe(`Exercise (drill) postmortem: ${run.issue.key} DRILL: Fail-over test of Payments failover`);
    expect(textsOf(page.body)[0]).toMatch(/^Exercise \(drill\)\. This postmortem is for a drill, not a real incident/);
    expect(headingTitles(page.body, 2)).toContain('RTO and RPO');
    expect(published.drill).toMatchObject({ state: 'completed', result: { outcome: 'met', rtoMinutes: 60, achievedMinutes: 50, findings: 1, report: { url: published.page.url } } });
    const plan = (await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!;
    expect(plan.lastTestedAt).toBe(t0 + 50 * MINUTE);
    expect(plan.lastTestedAt).not.toBe(before);
    const comments = deps.confluence.pages.get(site.plans[PAYMENTS_PLAN.id].pageId)!.comments;
    expect(comments).toHaveLength(1);
    expect(textsOf(comments[0].body).join('')).toContain('Findings from the postmortem of the exercise (drill) ');
    const listed = await listDrills(undefined, as(MANAGER));
    expect(listed.upcoming).toEqual([]);
    expect(listed.past[0]).toMatchObject({ id: drill.id, state: 'completed', result: { outcome: 'met' } });
  });

  it('a missed report is completed from the console; a stood-down drill does not move last tested', async () => {
    const { drill } = await recoveredDrill(75);
    deps.loopQueue.take();
    expect((await listDrills(undefined, as(MANAGER))).upcoming[0]).toMatchObject({ id: drill.id, awaitingResult: true });
    const done = await completeDrillNow(drill.id, MANAGER, SITE_URL, as(MANAGER));
    expect(done).toMatchObject({ state: 'completed', result: { outcome: 'missed', achievedMinutes: 75 } });

    const other = await scheduleDrill({ planId: PAYMENTS_PLAN.id, kind: 'tabletop', scheduledFor: tomorrow() }, MANAGER, as(MANAGER));
    const run = await runDrill(other.id, MANAGER, as(MANAGER));
    const tested = (await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!.lastTestedAt;
    await actOnPanel(run.issue, MANAGER.accountId, { kind: 'stand-down', invocationId: invocationId(run.issue.id, PAYMENTS_PLAN.id), reason: 'The room was double-booked' }, { ...asAgent(deps, MANAGER) });
    const result = await completeDrillNow(other.id, MANAGER, SITE_URL, as(MANAGER));
    expect(result.result).toMatchObject({ outcome: 'stood-down' });
    expect((await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!.lastTestedAt).toBe(tested);
  });
});

describe('findings handled', () => {
  it('the owner (or a manager) marks them handled; others may not', async () => {
    const { issue } = await (await import('./testing/loop-fixtures')).scriptedIncident(deps);
    await publishPostmortem({ issueId: issue.id, actor: { accountId: AGENT.accountId }, siteUrl: SITE_URL }, deps);
    expect((await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!.findings!.waiting).toHaveLength(1);
    await expect(markFindingsHandled(PAYMENTS_PLAN.id, AGENT.accountId, as(AGENT))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await markFindingsHandled(PAYMENTS_PLAN.id, OWNER.accountId, as(OWNER))).toEqual({ planId: PAYMENTS_PLAN.id, postmortems: 1 });
    const plan = (await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!;
    expect(plan.findings).toMatchObject({ waiting: [], lastHandled: { by: OWNER.accountId, postmortems: 1 } });
    // Publishing again does not bring them back: they were fed back once.
    await publishPostmortem({ issueId: issue.id, actor: { accountId: AGENT.accountId }, siteUrl: SITE_URL }, deps);
    expect((await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!.findings!.waiting).toEqual([]);
  });
});
