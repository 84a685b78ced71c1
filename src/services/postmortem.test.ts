/**
 * Postmortems against typed fakes: the page's content for an incident scripted at known times (RTO
 * achieved against target, per-step actual against expected), one page per incident whoever publishes
 * and however often (the id kept on the record, people's sections kept, a conflicting edit re-applied),
 * the incident linked to the page, findings fed back once per plan page (also with two publications at
 * once), follow-up issues once each, and automatic publication after recovery.
 */
import { doc, heading, p, text } from '@atlaskit/adf-utils/builders';
import { ContinuityError } from '../domain/errors';
import { invocationId } from '../domain/invocation';
import { adfErrors, headingTitles, hrefsOf, sectionText, textsOf } from '../domain/pages/adf-testing';
import { findingsPost } from '../domain/postmortem-record';
import { actOnPanel } from './issue-panel';
import { createFollowUp, FOLLOW_UP_LINK_TYPE } from './follow-ups';
import { loopPanelView, publishForPerson } from './loop-panel';
import { publishPostmortem, postmortemLinkGlobalId } from './postmortem';
import { FakeConfluence } from './testing/confluence-fakes';
import { fakeDeps, type FakeDeps } from './testing/fakes';
import { AGENT, deliver, LEDGER_PLAN, PAYMENTS_PLAN, SECOND_AGENT, VIEWER } from './testing/fixtures';
import { asAgent, loopSite, MINUTE, scriptedIncident, sectionTable, SITE_URL, type LoopSite } from './testing/loop-fixtures';

let deps: FakeDeps;
let site: LoopSite;

beforeEach(async () => {
  deps = fakeDeps();
  site = await loopSite(deps);
});
afterEach(() => jest.restoreAllMocks());

const publish = (issue: { id: string; key: string }, user = AGENT, impact?: string) =>
  publishForPerson(issue, { accountId: user.accountId, displayName: user.name }, impact === undefined ? {} : { impact }, SITE_URL, asAgent(deps, user));

const pageOf = (id: string) => deps.confluence.latest(id).body;
const planPage = (planId: string) => deps.confluence.pages.get(site.plans[planId].pageId)!;

describe('the postmortem of a scripted incident', () => {
  it('shows RTO target against achieved, met or missed by how much, and each step actual against expected', async () => {
    const { issue } = await scriptedIncident(deps);
    const published = await publish(issue, AGENT, 'Card payments failed for 70 minutes.');
    const page = pageOf(published.page.id);
    expect(adfErrors(page)).toEqual([]);
    expect(sectionTable(page, 'RTO and RPO')).toEqual([
      ['Service', 'RTO target', 'Achieved', 'Result', 'RPO target', 'Data loss'],
      ['Payments', '1 h', '1 h 10 min', 'Missed by 10 min', '15 min', 'Not recorded'],
    ]);
    expect(sectionTable(page, 'Recovery steps')).toEqual([
      ['#', 'Step', 'Role', 'Result', 'By', 'Completed (UTC)', 'Expected', 'Actual', 'Difference'],
      ['1', 'Fail over to the standby', 'DBA', 'Done', 'Alice Agent', '2 Jun 2025, 09:40 UTC', '15 min', '40 min', '+25 min'],
      ['2', 'Verify payments', 'Service owner', 'Skipped: Payments verified themselves in the fail-over', 'Alice Agent', '2 Jun 2025, 09:45 UTC', '10 min', '', ''],
    ]);
    expect(sectionText(page, 'Impact')).toEqual(['Card payments failed for 70 minutes.']);
    const comms = sectionTable(page, 'Communications');
    expect(comms[1]).toEqual(['2 Jun 2025, 09:10 UTC', 'Status update (update 1)', 'Internal', 'Alice Agent']);
    const timeline = sectionTable(page, 'Timeline').slice(1).map((row) => row[2]);
    expect(timeline[0]).toMatch(/^Incident qualified/);
    expect(timeline).toContain('Recovered in 1 h 10 min; RTO of 1 h missed by 10 min.');
    // The incident is on the page, linked.
    expect(hrefsOf(page)).toContain(`${SITE_URL}/browse/${issue.key}`);
  });

  it('goes under the configured parent, and the incident gets one remote link to it', async () => {
    const { issue } = await scriptedIncident(deps);
    const published = await publish(issue);
    expect(deps.confluence.pages.get(published.page.id)!.parentId).toBe(site.postmortemsParentId);
    await publish(issue);
    const links = deps.jira.issue(issue.key).remoteLinks.filter((l) => l.link.globalId === postmortemLinkGlobalId(issue.id));
    expect(links).toHaveLength(1);
    expect(links[0].link).toMatchObject({ url: published.page.url, relationship: 'postmortem' });
  });

  it('covers every plan the incident invoked on one page', async () => {
    const { issue } = await scriptedIncident(deps, ['jsm-payments', 'jsm-ledger']);
    const published = await publish(issue);
    const rows = sectionTable(pageOf(published.page.id), 'RTO and RPO').slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(['Ledger', 'Payments']);
    expect(headingTitles(pageOf(published.page.id), 3).sort()).toEqual(['Ledger — Ledger restore', 'Payments — Payments failover']);
    expect([...deps.confluence.pages.values()].filter((pg) => pg.parentId === site.postmortemsParentId)).toHaveLength(1);
  });
});

describe('publishing again', () => {
  it('updates the same page (the id kept on the record), keeping what people wrote', async () => {
    const { issue } = await scriptedIncident(deps);
    const first = await publish(issue);
    deps.confluence.edit(first.page.id, (body) => {
      const lessons = body.content.findIndex((n: any) => n.type === 'heading' && n.content?.[0]?.text === 'Lessons');
      body.content.splice(lessons + 1, 1, p(text('Keep the standby warm.')));
      body.content.push(heading({ level: 2 })(text('Customer follow-up')), p(text('Call the three largest merchants.')));
      return body;
    });
    // A page with the same title elsewhere never matters: the id is what the app uses.
    deps.confluence.addPage(site.spaceId, 'Unrelated page', doc(p(text('x'))));
    const second = await publish(issue);
    expect(second.page.id).toBe(first.page.id);
    expect(second.created).toBe(false);
    const page = pageOf(first.page.id);
    expect(sectionText(page, 'Lessons')).toEqual(['Keep the standby warm.']);
    expect(sectionText(page, 'Customer follow-up')).toEqual(['Call the three largest merchants.']);
    expect(headingTitles(page, 2).filter((t) => t === 'Lessons')).toHaveLength(1);
    expect(deps.confluence.count('createPage')).toBe(1);
  });

  it('re-reads and rebuilds on a conflicting edit, losing neither side', async () => {
    const { issue } = await scriptedIncident(deps);
    const first = await publish(issue);
    let edited = false;
    deps.confluence.onBeforeUpdate = (pageId) => {
      if (edited) return;
      edited = true;
      deps.confluence.edit(pageId, (body) => ({ ...body, content: [...body.content, heading({ level: 2 })(text('Decisions')), p(text('Buy a second region.'))] }));
    };
    deps.clock.advance(MINUTE);
    await publish(issue, AGENT, 'Updated impact');
    const page = pageOf(first.page.id);
    expect(sectionText(page, 'Decisions')).toEqual(['Buy a second region.']);
    expect(sectionText(page, 'Impact')).toEqual(['Updated impact']);
    expect(deps.confluence.count('updatePage')).toBe(2);
  });

  it('a page deleted in Confluence is replaced by a new one', async () => {
    const { issue } = await scriptedIncident(deps);
    const first = await publish(issue);
    deps.confluence.pages.get(first.page.id)!.status = 'trashed';
    const second = await publish(issue);
    expect(second.page.id).not.toBe(first.page.id);
    expect((await deps.store.getRecord(issue.id))!.postmortem!.pageId).toBe(second.page.id);
  });

  it('two first publications at once: one page; the second is told who is publishing', async () => {
    const { issue } = await scriptedIncident(deps);
    const results = await Promise.allSettled([publish(issue, AGENT), publish(issue, SECOND_AGENT)]);
    const pages = [...deps.confluence.pages.values()].filter((pg) => pg.parentId === site.postmortemsParentId);
    expect(pages).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    for (const r of refused) expect((r.reason as ContinuityError).code).toBe('CONFLICT');
    expect(planPage(PAYMENTS_PLAN.id).comments).toHaveLength(1);
  });

  it('a viewer cannot publish', async () => {
    const { issue } = await scriptedIncident(deps);
    await expect(publish(issue, VIEWER)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('findings fed back to the plan page', () => {
  it('one comment mentioning the owner, each finding linked to the postmortem; the plan shows findings waiting', async () => {
    const { issue } = await scriptedIncident(deps);
    const published = await publish(issue);
    const comments = planPage(PAYMENTS_PLAN.id).comments;
    expect(comments).toHaveLength(1);
    const body = comments[0].body as any;
    expect(JSON.stringify(body)).toContain('"type":"mention"');
    expect(JSON.stringify(body)).toContain(PAYMENTS_PLAN.ownerAccountId);
    const items = textsOf(body).join(' ');
    expect(items).toContain('RTO missed');
    expect(items).toContain('"Fail over to the standby" (Payments) took 40 min; the plan expects 15 min.');
    expect(items).toContain('"Verify payments" (Payments) was skipped by Alice Agent: Payments verified themselves in the fail-over.');
    expect(hrefsOf(body).filter((h) => h === published.page.url).length).toBeGreaterThanOrEqual(3);
    const plan = await deps.catalogue.getPlan(PAYMENTS_PLAN.id);
    expect(plan!.findings!.waiting).toMatchObject([{ incidentKey: issue.key, count: 3, drill: false }]);
  });

  it('lands once however often the postmortem is published', async () => {
    const { issue } = await scriptedIncident(deps);
    await publish(issue);
    await publish(issue);
    await publish(issue);
    expect(planPage(PAYMENTS_PLAN.id).comments).toHaveLength(1);
    expect((await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!.findings!.waiting).toHaveLength(1);
  });

  it('lands once with two republications at once (separate requests)', async () => {
    const { issue } = await scriptedIncident(deps);
    const first = await publish(issue);
    // The first publication's findings are taken away, so both republications race to post them.
    await deps.store.saveRecord({ ...(await deps.store.getRecord(issue.id))!, postmortem: { ...(await deps.store.getRecord(issue.id))!.postmortem!, findings: {} } }, (await deps.store.getRecord(issue.id))!.version);
    planPage(PAYMENTS_PLAN.id).comments.length = 0;
    await Promise.all([publish(issue, AGENT), publish(issue, SECOND_AGENT)]);
    expect(planPage(PAYMENTS_PLAN.id).comments).toHaveLength(1);
    expect(findingsPost((await deps.store.getRecord(issue.id))!, PAYMENTS_PLAN.id)?.commentId).toBe(planPage(PAYMENTS_PLAN.id).comments[0].id);
    expect(first.page.id).toBe((await deps.store.getRecord(issue.id))!.postmortem!.pageId);
  });

  it('a comment posted whose answer was lost is found on the page, not posted again', async () => {
    const { issue } = await scriptedIncident(deps);
    // Confluence saves the first comment and its answer is lost (every view of the fake shares the page).
    const realAdd = FakeConfluence.prototype.addFooterComment;
    let lost = true;
    jest.spyOn(FakeConfluence.prototype, 'addFooterComment').mockImplementation(async function (this: FakeConfluence, pageId, body) {
      const id = await realAdd.call(this, pageId, body);
      if (lost) {
        lost = false;
        throw new ContinuityError('UPSTREAM_UNAVAILABLE', 'Comment: socket hang up');
      }
      return id;
    });
    const first = await publish(issue);
    expect(first.findings).toMatchObject([{ kind: 'failed' }]);
    const again = await publish(issue);
    expect(again.findings).toMatchObject([{ kind: 'posted' }]);
    expect(planPage(PAYMENTS_PLAN.id).comments).toHaveLength(1);
  });

  it('waits while an invocation is open, and goes back once it recovered', async () => {
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    const { linkIncident } = await import('./link-incident');
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    await deliver(deps);
    const early = await publish(issue);
    expect(early.findings).toEqual([]);
    expect(planPage(PAYMENTS_PLAN.id).comments).toHaveLength(0);
    expect(sectionTable(pageOf(early.page.id), 'RTO and RPO')[1][3]).toMatch(/^Not recovered when published/);
    await actOnPanel(issue, AGENT.accountId, { kind: 'recover', invocationId: invocationId(issue.id, PAYMENTS_PLAN.id) }, asAgent(deps));
    const later = await publish(issue);
    expect(later.findings).toMatchObject([{ kind: 'posted', findings: 0 }]);
    // Nothing to change: said on the page, but nothing waits on the plan.
    expect(textsOf(planPage(PAYMENTS_PLAN.id).comments[0].body).join('')).toContain('nothing to change in this plan');
    expect((await deps.catalogue.getPlan(PAYMENTS_PLAN.id))!.findings).toBeUndefined();
  });
});

describe('follow-up actions', () => {
  it('become a Jira issue linked to the incident, once each', async () => {
    const { issue } = await scriptedIncident(deps);
    const actor = { accountId: AGENT.accountId, displayName: AGENT.name };
    const record = await createFollowUp(issue, actor, 'Automate the DNS switch', SITE_URL, asAgent(deps));
    const created = Object.values(record.followUps!)[0];
    expect(created).toMatchObject({ summary: 'Automate the DNS switch', linked: true, createdBy: AGENT.name });
    expect(deps.jira.issueLinks).toEqual([{ typeName: FOLLOW_UP_LINK_TYPE, inwardKey: issue.key, outwardKey: created.issueKey, by: AGENT.accountId }]);
    await expect(createFollowUp(issue, actor, '  automate the   DNS switch ', SITE_URL, asAgent(deps))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(deps.jira.callsTo('createIssue')).toHaveLength(1);
    // Two agents asking for the same new action at once: one issue.
    const both = await Promise.allSettled([
      createFollowUp(issue, actor, 'Buy a second region', SITE_URL, asAgent(deps)),
      createFollowUp(issue, { accountId: SECOND_AGENT.accountId, displayName: SECOND_AGENT.name }, 'Buy a second region', SITE_URL, asAgent(deps, SECOND_AGENT)),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(deps.jira.callsTo('createIssue')).toHaveLength(2);
    // The postmortem lists them.
    const published = await publish(issue);
    expect(sectionTable(pageOf(published.page.id), 'Follow-up issues').slice(1).map((r) => r[1])).toEqual(['Automate the DNS switch', 'Buy a second region']);
  });

  it('a link that failed is made when asked again, without a second issue', async () => {
    const { issue } = await scriptedIncident(deps);
    const actor = { accountId: AGENT.accountId, displayName: AGENT.name };
    deps.jira.failNext('linkIssues', { status: 503 });
    const first = await createFollowUp(issue, actor, 'Rehearse the fail-over', SITE_URL, asAgent(deps));
    expect(Object.values(first.followUps!)[0].linked).toBe(false);
    expect(loopPanelView(first, deps.clock.now()).followUps[0].state).toBe('not-linked');
    const second = await createFollowUp(issue, actor, 'Rehearse the fail-over', SITE_URL, asAgent(deps));
    expect(Object.values(second.followUps!)[0].linked).toBe(true);
    expect(deps.jira.callsTo('createIssue')).toHaveLength(1);
    expect(deps.jira.issueLinks).toHaveLength(1);
  });

  it('offers what people wrote under Follow-up actions on the page', async () => {
    const { issue } = await scriptedIncident(deps);
    const first = await publish(issue);
    deps.confluence.edit(first.page.id, (body) => {
      const at = body.content.findIndex((n: any) => n.type === 'heading' && n.content?.[0]?.text === 'Follow-up actions');
      body.content.splice(at + 1, 1, { type: 'bulletList', content: [{ type: 'listItem', content: [p(text('Add a runbook for DNS'))] }, { type: 'listItem', content: [p(text('Test backups monthly'))] }] });
      return body;
    });
    const second = await publish(issue);
    expect(loopPanelView(second.record, deps.clock.now()).suggestedFollowUps).toEqual(['Add a runbook for DNS', 'Test backups monthly']);
    const record = await createFollowUp(issue, { accountId: AGENT.accountId }, 'Add a runbook for DNS', SITE_URL, asAgent(deps));
    expect(loopPanelView(record, deps.clock.now()).suggestedFollowUps).toEqual(['Test backups monthly']);
  });
});

describe('publishing on recovery', () => {
  it('a recovery asks the queue to publish when the settings say so, and the event publishes once', async () => {
    await deps.store.putSettings({ ...(await deps.store.getSettings()), postmortemOnRecovery: true });
    const { issue } = await scriptedIncident(deps);
    expect(deps.loopQueue.events).toEqual([{ kind: 'publish-postmortem', issueId: issue.id, siteUrl: SITE_URL }]);
    const event = deps.loopQueue.take()!;
    const published = await publishPostmortem({ issueId: event.issueId, actor: { accountId: 'app', displayName: 'Service Continuity' }, siteUrl: event.siteUrl }, deps);
    await publishPostmortem({ issueId: event.issueId, actor: { accountId: 'app', displayName: 'Service Continuity' }, siteUrl: event.siteUrl }, deps);
    expect(deps.confluence.count('createPage')).toBe(1);
    expect(planPage(PAYMENTS_PLAN.id).comments).toHaveLength(1);
    expect(published.record.invocations[0].timeline.at(-1)).toMatchObject({ kind: 'postmortem-published', actorName: 'Service Continuity' });
  });

  it('without the setting nothing is queued; with an invocation still open nothing is queued', async () => {
    await scriptedIncident(deps);
    expect(deps.loopQueue.events).toEqual([]);
    await deps.store.putSettings({ ...(await deps.store.getSettings()), postmortemOnRecovery: true });
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments', 'jsm-ledger'] });
    const { linkIncident } = await import('./link-incident');
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    await actOnPanel(issue, AGENT.accountId, { kind: 'recover', invocationId: invocationId(issue.id, PAYMENTS_PLAN.id) }, asAgent(deps));
    expect(deps.loopQueue.events).toEqual([]);
    await actOnPanel(issue, AGENT.accountId, { kind: 'recover', invocationId: invocationId(issue.id, LEDGER_PLAN.id) }, asAgent(deps));
    expect(deps.loopQueue.events).toHaveLength(1);
  });
});
