/**
 * Closing the loop through the local runtime, Jira and Confluence: the postmortem of an incident
 * scripted at known times (RTO achieved against target, per-step actual against expected), published
 * twice with a person's edit through Confluence's REST in between (one page, the edit kept), findings on
 * the plan page once (also with two publications at once through separate resolver invocations),
 * follow-up issues linked once, publication on recovery, and a drill that never takes the real-incident
 * path (the trigger and the watch's sweep leave the exercise issue to the drill run).
 */
import { heading, p, text } from '@atlaskit/adf-utils/builders';
import { LOOP_CONSOLE, LOOP_PANEL } from '../../src/contract/loop';
import { MEASURE } from '../../src/contract/measure';
import { sectionText } from '../../src/domain/pages/adf-testing';
import { sectionTable } from '../../src/services/testing/loop-fixtures';
import { DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { bridgeInvoke, call, comments, createIncident, invokedIds, issueProperty, panelCall, panelFor, panelFrame, startWorkbench } from '../support/workbench';

const MINUTE = 60_000;
const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
let wb: Workbench;
let url: string;

async function saveSettings(change: Record<string, unknown>) {
  const load = (await wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/load' }, { extension: { type: 'jira:adminPage' } }, DEFAULT_USER.accountId)) as any;
  const saved = (await wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/save', payload: { settings: { ...load.data.settings, ...change } } }, { extension: { type: 'jira:adminPage' } }, DEFAULT_USER.accountId)) as any;
  if (!saved.ok) throw new Error(JSON.stringify(saved.error));
}

const consoleCall = (functionKey: string, payload: unknown, accountId = CASEY.accountId) =>
  wb.runtime.invokeResolver('continuity-console', { functionKey, payload }, { extension: { type: 'jira:globalPage' }, moduleKey: 'continuity-console', siteUrl: wb.siteUrl }, accountId) as Promise<any>;

beforeEach(async () => {
  ({ wb, url } = await startWorkbench());
  await saveSettings({ postmortemSpaceKey: 'CONT', drillProjectKey: 'OPS', drillIssueTypeName: 'Task' });
});
afterEach(async () => {
  await wb.stop();
});

/**
 * The same panel action by two people, each a request of its own through the host's bridge over HTTP
 * (their own issue-view frames), the second started `laterMs` after the first, both in flight together.
 */
async function byTwoAtOnce(issue: { key: string }, functionKey: string, payload: unknown, laterMs: number): Promise<any[]> {
  const [alex, casey] = [await panelFrame(url, issue.key, DEFAULT_USER.accountId), await panelFrame(url, issue.key, CASEY.accountId)];
  const first = bridgeInvoke(url, alex, functionKey, payload);
  await new Promise((r) => setTimeout(r, laterMs));
  return Promise.all([first, bridgeInvoke(url, casey, functionKey, payload)]);
}

const pageIdOf = (url: string) => /\/pages\/(\d+)/.exec(url)![1];
async function page(id: string) {
  const res = await call(wb, 'confluence', 'GET', `/wiki/api/v2/pages/${id}?body-format=atlas_doc_format`);
  const body = res.body as { title: string; version: { number: number }; body: { atlas_doc_format: { value: string } } };
  return { title: body.title, version: body.version.number, adf: JSON.parse(body.body.atlas_doc_format.value) };
}
async function footerComments(pageId: string) {
  const res = await call(wb, 'confluence', 'GET', `/wiki/api/v2/pages/${pageId}/footer-comments?body-format=atlas_doc_format`);
  return (res.body as { results: Array<{ id: string; body: { atlas_doc_format: { value: string } } }> }).results;
}
async function planPageId(planId: string) {
  const plan = (await consoleCall('console/plans/get', { id: planId })).data;
  return plan.page.id as string;
}

/** A P1 on Payments (RTO 1 h) at t0, worked at known times, recovered at +75 min (missed by 15). */
async function scripted() {
  const t0 = wb.clock.now();
  const issue = await createIncident(wb, { summary: 'Card payments failing in eu-west-1', priorityId: '1', services: ['Payments'] });
  const invocationId = `${issue.id}.plan-payments`;
  // The demo's steps and templates carry the ids their plan page gave them.
  const { steps, templates } = await invokedIds(wb, issue);
  const at = async (minutes: number, key: string, payload: Record<string, unknown>) => {
    wb.clock.set(t0 + minutes * MINUTE);
    const answer = await panelCall(wb, issue, key, { invocationId, ...payload });
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    await wb.idle();
  };
  await at(5, 'issue-panel/step/done', { stepId: steps[0] });
  await at(12, 'issue-panel/comms/post', { templateId: templates['Internal update'], audience: 'internal', impact: 'Card payments fail in the EU', seen: 0 });
  await at(40, 'issue-panel/step/done', { stepId: steps[1] });
  await at(45, 'issue-panel/step/skip', { stepId: steps[2], reason: 'Authorisations were verified by the gateway team' });
  await at(70, 'issue-panel/step/done', { stepId: steps[3] });
  await at(75, 'issue-panel/recover', {});
  wb.clock.set(t0 + 120 * MINUTE);
  return { issue, t0, invocationId };
}

describe('postmortems', () => {
  test('the postmortem of a scripted incident: RTO achieved against target, per-step actual against expected; publishing again keeps a person’s edit; findings land once', async () => {
    const { issue } = await scripted();
    const first = await panelCall(wb, issue, LOOP_PANEL.publishPostmortem, { impact: 'About 1,200 card payments failed.' });
    expect(first.ok).toBe(true);
    const loop = first.data.loop;
    expect(loop.postmortem).toMatchObject({ publications: 1 });
    const id = pageIdOf(loop.postmortem.url);
    let pm = await page(id);
    expect(pm.title).toBe(`Postmortem: ${issue.key} Card payments failing in eu-west-1`);
    expect(sectionTable(pm.adf, 'RTO and RPO')[1]).toEqual(['Payments', '1 h', '1 h 15 min', 'Missed by 15 min', '5 min', 'Not recorded']);
    const steps = sectionTable(pm.adf, 'Recovery steps').slice(1).map((r) => [r[1], r[3], r[6], r[7], r[8]]);
    expect(steps).toEqual([
      ['Confirm the outage and declare a major incident', 'Done', '5 min', '5 min', 'as expected'],
      ['Fail payment traffic over to the secondary region', 'Done', '15 min', '35 min', '+20 min'],
      ['Verify card authorisations succeed end to end', 'Skipped: Authorisations were verified by the gateway team', '10 min', '', ''],
      ['Reconcile transactions captured during the outage', 'Done', '20 min', '25 min', '+5 min'],
      ['Notify the card schemes and merchants', 'Not done', '5 min', '', ''],
    ]);
    expect(sectionTable(pm.adf, 'Communications')[1].slice(1)).toEqual(['Internal update (update 1)', 'Internal', 'Alex Agent']);
    // The incident links the page (and the page the incident).
    const links = (await call(wb, 'jira', 'GET', `/rest/api/3/issue/${issue.key}/remotelink`)).body as Array<{ globalId: string; object: { url: string } }>;
    expect(links.filter((l) => l.globalId === `service-continuity:postmortem:issue=${issue.id}`).map((l) => l.object.url)).toEqual([loop.postmortem.url]);

    // Casey edits the page in Confluence (REST, as a person): lessons, and a section of her own.
    const lessonsAt = pm.adf.content.findIndex((n: any) => n.type === 'heading' && n.content?.[0]?.text === 'Lessons');
    pm.adf.content.splice(lessonsAt + 1, 1, p(text('Keep the secondary region warm.')));
    pm.adf.content.push(heading({ level: 2 })(text('Merchant calls')), p(text('Call the three largest merchants.')));
    const put = await call(wb, 'confluence', 'PUT', `/wiki/api/v2/pages/${id}`, { id, status: 'current', title: pm.title, body: { representation: 'atlas_doc_format', value: JSON.stringify(pm.adf) }, version: { number: pm.version + 1 } }, CASEY.accountId);
    expect(put.status).toBe(200);

    const second = await panelCall(wb, issue, LOOP_PANEL.publishPostmortem, {});
    expect(second.data.loop.postmortem).toMatchObject({ url: loop.postmortem.url, publications: 2 });
    pm = await page(id);
    expect(pm.version).toBe(3);
    expect(sectionText(pm.adf, 'Lessons')).toEqual(['Keep the secondary region warm.']);
    expect(sectionText(pm.adf, 'Merchant calls')).toEqual(['Call the three largest merchants.']);
    expect(sectionText(pm.adf, 'Impact')).toEqual(['About 1,200 card payments failed.']);
    const titled = (await call(wb, 'confluence', 'GET', `/wiki/api/v2/pages?title=${encodeURIComponent(pm.title)}`)).body as { results: unknown[] };
    expect(titled.results).toHaveLength(1);

    // The findings: one comment on the plan page, mentioning the owner, each finding linking the postmortem.
    const found = await footerComments(await planPageId('plan-payments'));
    expect(found).toHaveLength(1);
    const comment = found[0].body.atlas_doc_format.value;
    expect(comment).toContain('"type":"mention"');
    expect(comment).toContain('Fail payment traffic over to the secondary region');
    expect(comment).toContain('Verify card authorisations succeed end to end');
    expect(comment).toContain(loop.postmortem.url);
    const registry = (await consoleCall('console/plans/list', {})).data.items.find((p: any) => p.id === 'plan-payments');
    expect(registry.findingsWaiting).toMatchObject({ postmortems: 1, findings: 3 });
    // The indicators count the plan as waiting, then as handled (reported by the plan writes).
    const findingsIndicator = async () => (await consoleCall(MEASURE.indicators, {})).data.views.findings;
    expect(await findingsIndicator()).toEqual({ waiting: 1, handled: 0 });
    const handled = await consoleCall(LOOP_CONSOLE.markFindingsHandled, { planId: 'plan-payments' });
    expect(handled.data).toEqual({ planId: 'plan-payments', postmortems: 1 });
    expect((await consoleCall('console/plans/list', {})).data.items.find((p: any) => p.id === 'plan-payments').findingsWaiting).toBeUndefined();
    expect(await findingsIndicator()).toEqual({ waiting: 0, handled: 1 });
  });

  test('two people publishing at once, each a request of its own through the host bridge: one page, one findings comment', async () => {
    const issue = await createIncident(wb, { summary: 'Portal down', priorityId: '1', services: ['Payments'] });
    // Published while open: no findings yet.
    const early = await panelCall(wb, issue, LOOP_PANEL.publishPostmortem, {});
    expect(early.data.loop.feedsFindings).toBe(false);
    await panelCall(wb, issue, 'issue-panel/recover', { invocationId: `${issue.id}.plan-payments` });
    const planPage = await planPageId('plan-payments');
    const before = (await footerComments(planPage)).length;
    const both = await byTwoAtOnce(issue, LOOP_PANEL.publishPostmortem, {}, 0);
    await wb.idle();
    expect(both.map((r) => r.ok)).toEqual([true, true]);
    expect((await footerComments(planPage)).length).toBe(before + 1);
    expect(new Set(both.map((r) => r.data.loop.postmortem.url)).size).toBe(1);

    // A new incident published twice at once from the start: one page.
    const other = await createIncident(wb, { summary: 'Reporting lost', priorityId: '1', services: ['Reporting'] });
    await panelCall(wb, other, 'issue-panel/recover', { invocationId: `${other.id}.plan-reporting` });
    await wb.idle();
    const firsts = await byTwoAtOnce(other, LOOP_PANEL.publishPostmortem, {}, 40);
    const refused = firsts.filter((r) => !r.ok);
    for (const r of refused) expect(r.error.code).toBe('CONFLICT');
    const titled = (await call(wb, 'confluence', 'GET', `/wiki/api/v2/pages?title=${encodeURIComponent(`Postmortem: ${other.key} Reporting lost`)}`)).body as { results: unknown[] };
    expect(titled.results).toHaveLength(1);
    expect((await footerComments(await planPageId('plan-reporting'))).length).toBe(1);
  });

  test('follow-up actions become Jira issues linked to the incident, once each', async () => {
    const { issue } = await scripted();
    const created = await panelCall(wb, issue, LOOP_PANEL.createFollowUp, { summary: 'Automate the regional fail-over' });
    expect(created.ok).toBe(true);
    const followUp = created.data.loop.followUps[0];
    expect(followUp).toMatchObject({ summary: 'Automate the regional fail-over', state: 'created' });
    const linked = (await call(wb, 'jira', 'GET', `/rest/api/3/issue/${issue.key}?fields=issuelinks`)).body as any;
    expect(linked.fields.issuelinks.map((l: any) => [l.type.name, l.outwardIssue?.key])).toEqual([['Relates', followUp.issueKey]]);
    const again = await panelCall(wb, issue, LOOP_PANEL.createFollowUp, { summary: 'automate the regional  fail-over' });
    expect(again.error).toMatchObject({ code: 'CONFLICT' });
    // Two agents asking for another action at the same moment, each through their own frame: one issue.
    const pair = await byTwoAtOnce(issue, LOOP_PANEL.createFollowUp, { summary: 'Add a second payment provider' }, 20);
    expect(pair.filter((r) => r.ok)).toHaveLength(1);
    expect(pair.find((r) => !r.ok).error).toMatchObject({ code: 'CONFLICT' });
    const search = (await call(wb, 'jira', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('issuetype = Task')}&fields=summary`)).body as { issues: unknown[] };
    expect(search.issues).toHaveLength(2);
    const viewer = await panelCall(wb, issue, LOOP_PANEL.createFollowUp, { summary: 'Anything' }, USERS.find((u) => !u.canEdit)!.accountId);
    expect(viewer.error.code).toBe('FORBIDDEN');
  });

  test('with the setting on, declaring recovery publishes the postmortem through the queue', async () => {
    await saveSettings({ postmortemOnRecovery: true });
    const { issue } = await scripted();
    await wb.idle();
    const view = (await panelFor(wb, issue)).data;
    expect(view.loop.postmortem).toMatchObject({ publications: 1, publishedBy: 'Service Continuity' });
    expect((await footerComments(await planPageId('plan-payments'))).length).toBe(1);
  });
});

describe('drills never take the real-incident path', () => {
  test('an exercise issue that qualifies by every setting is left to the drill run by the trigger and the sweep', async () => {
    const ids = wb.jira.fieldIds();
    const payments = wb.jira.services().find((s) => s.name === 'Payments')!.id;
    const res = await call(wb, 'jira', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'DRILL: looks like a P1', priority: { id: '1' }, [ids.affectedServices]: [{ id: payments }] },
      properties: [{ key: 'service-continuity-drill', value: { drillId: 'drill-manual', planId: 'plan-payments', kind: 'simulation' } }],
    });
    const issue = res.body as { id: string; key: string };
    await wb.idle();
    expect(await issueProperty(wb, issue.key)).toBeUndefined();
    expect(await comments(wb, issue.key)).toEqual([]);
    await wb.runtime.invokeScheduled('continuity-rto-watch');
    await wb.idle();
    expect(await issueProperty(wb, issue.key)).toBeUndefined();
    expect((await panelFor(wb, issue)).data.status).toBe('not-qualifying');
  });

  test('a scheduled drill runs on the incident path as a drill: DRILL everywhere, nothing public, excluded from the sweep', async () => {
    const scheduled = await consoleCall(LOOP_CONSOLE.scheduleDrill, { planId: 'plan-payments', kind: 'simulation', scheduledFor: wb.clock.now() + 60 * MINUTE, participants: [DEFAULT_USER.accountId] });
    expect(scheduled.ok).toBe(true);
    const run = await consoleCall(LOOP_CONSOLE.runDrill, { drillId: scheduled.data.id }, DEFAULT_USER.accountId);
    expect(run.ok).toBe(true);
    await wb.idle();
    const issue = run.data.issue;
    const property = await issueProperty(wb, issue.key);
    expect(property).toMatchObject({ drill: true, openInvocations: 1, invocations: [{ planId: 'plan-payments', isDrill: true }] });
    const posted = await comments(wb, issue.key);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0].body)).toContain('DRILL');
    const panel = (await panelFor(wb, issue)).data;
    expect(panel.loop.drill).toMatchObject({ kind: 'simulation' });
    const publicUpdate = await panelCall(wb, issue, 'issue-panel/comms/post', { invocationId: `${issue.id}.plan-payments`, templateId: (await invokedIds(wb, issue)).templates['Customer status update'], audience: 'public', seen: 0 });
    expect(publicUpdate.error).toMatchObject({ code: 'INVALID_INPUT', field: 'audience' });
    const before = (await comments(wb, issue.key)).length;
    await wb.runtime.invokeScheduled('continuity-rto-watch');
    await wb.idle();
    expect((await comments(wb, issue.key)).length).toBe(before);
    // An update to the exercise issue (the trigger) changes nothing.
    await call(wb, 'jira', 'PUT', `/rest/api/3/issue/${issue.key}`, { fields: { priority: { id: '1' } } });
    await wb.idle();
    expect((await issueProperty(wb, issue.key)).invocations).toHaveLength(1);
  });
});
