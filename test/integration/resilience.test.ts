/**
 * The outage-grade write path under the faults an adversarial run found, each through the real
 * endpoints: Jira's REST API (as people create and edit incidents), the host's bridge over HTTP (as
 * two browsers would post), the local Forge runtime's documented event and queue semantics, and the
 * scheduled watch. Nothing may be lost or written twice.
 */
import { adfText, bridgeInvoke, call, comments, createIncident, editIssue, issueProperty, panelFor, panelFrame, PAYMENTS, startWorkbench, templateId } from '../support/workbench';
import { USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { KvsCatalogueStore } from '../../src/adapters/kvs-catalogue';
import { loadCatalogue, saveCatalogue } from '../../src/services/catalogue';

const MINUTE = 60_000;
const [ALEX, CASEY] = USERS;
let wb: Workbench;
let url: string;

beforeEach(async () => {
  ({ wb, url } = await startWorkbench());
});
afterEach(async () => {
  await wb.stop();
});

async function remoteLinks(key: string) {
  return (await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}/remotelink`)).body as Array<{ globalId: string }>;
}

/** Every app write an incident should have: one remote link, one invocation comment, the property. */
async function linkedOnce(key: string, plans = 1) {
  const all = await comments(wb, key);
  const invoked = all.filter((c) => c.properties?.some((p) => p.key === 'service-continuity' && p.value.kind === 'invoked'));
  return { links: (await remoteLinks(key)).length, invocationComments: invoked.length, property: await issueProperty(wb, key), plans };
}

const runWatch = async () => {
  await wb.runtime.invokeScheduled('continuity-rto-watch');
  await wb.idle();
};

const frameOf = (key: string, accountId: string) => panelFrame(url, key, accountId);
const invoke = (frame: string, functionKey: string, payload?: unknown) => bridgeInvoke(url, frame, functionKey, payload);

describe('storage outages and rate limits', () => {
  test('a P1 raised while storage answers 503 for 8 s is linked once storage is back (the trigger asks Forge to retry)', async () => {
    wb.events.configure({ delayScale: 0.5 }); // Forge's 30 s retry wait becomes 15 s: past the 8 s outage
    wb.faults.add({ product: 'kvs', status: 503, forMs: 8_000 });
    const issue = await createIncident(wb, { summary: 'Payments down during a storage outage', priorityId: '1', services: ['Payments'] });
    await wb.idle();
    expect(await linkedOnce(issue.key)).toMatchObject({ links: 1, invocationComments: 1, property: { openInvocations: 1 } });
    const attempts = wb.events.attempts.filter((a) => a.trigger === 'continuity-issue-events' && a.outcome === 'retry-requested');
    expect(attempts.length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  test('a P1 raised while storage is down for longer than every event retry is linked by the next watch run', async () => {
    wb.faults.add({ product: 'kvs', status: 503 });
    const issue = await createIncident(wb, { summary: 'Long storage outage', priorityId: '1', services: ['Payments'] });
    await wb.idle(); // four retries, all failed
    wb.faults.clear();
    expect(await linkedOnce(issue.key)).toMatchObject({ links: 0, invocationComments: 0, property: undefined });
    await runWatch();
    expect(await linkedOnce(issue.key)).toMatchObject({ links: 1, invocationComments: 1, property: { openInvocations: 1 } });
    // JQL finds it, and the breach warning comes an hour later.
    const found = (await call(wb, 'jira', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('continuityOpen > 0')}&fields=summary`)).body as { issues: Array<{ key: string }> };
    expect(found.issues.map((i) => i.key)).toContain(issue.key);
    wb.clock.advance(61 * MINUTE);
    await runWatch();
    expect(adfText((await comments(wb, issue.key)).at(-1)!.body)).toContain('RTO breached');
  });

  test('a storm of P1s with 30 % of storage calls rate limited: every incident linked exactly once', async () => {
    wb.faults.add({ product: 'kvs', status: 429, probability: 0.3 });
    const keys: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await call(wb, 'jira', 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: `Storm ${i}`, priority: { id: '1' }, [wb.jira.fieldIds().affectedServices]: [{ id: wb.jira.services()[i % 3].id }] },
      });
      keys.push((res.body as { key: string }).key);
    }
    await wb.idle();
    wb.faults.clear();
    await runWatch();
    await runWatch();
    for (const key of keys) expect(await linkedOnce(key)).toMatchObject({ links: 1, invocationComments: 1, property: { openInvocations: 1 } });
  }, 120_000);
});

describe('lost events and interrupted writes', () => {
  test('a second affected service added later is invoked even when that update event is lost', async () => {
    const issue = await createIncident(wb, { summary: 'Payments down', priorityId: '1', services: ['Payments'] });
    wb.events.configure({ loseNext: 1 });
    const jsm = wb.jira.services();
    await editIssue(wb, issue.key, { [wb.jira.fieldIds().affectedServices]: ['Payments', 'Reporting'].map((n) => ({ id: jsm.find((s) => s.name === n)!.id })) });
    expect((await issueProperty(wb, issue.key)).planIds).toEqual(['plan-payments']);
    await runWatch();
    expect((await issueProperty(wb, issue.key)).planIds).toEqual(['plan-payments', 'plan-reporting']);
    expect((await remoteLinks(issue.key)).length).toBe(2);
  });

  test('a P1 whose every event was lost is found and linked by the watch', async () => {
    wb.events.configure({ loseNext: 1 });
    const issue = await createIncident(wb, { summary: 'Nobody told the app', priorityId: '1', services: ['Payments'] });
    expect(await issueProperty(wb, issue.key)).toBeUndefined();
    await runWatch();
    expect(await linkedOnce(issue.key)).toMatchObject({ links: 1, invocationComments: 1, property: { openInvocations: 1 } });
  });

  test('the property is never lost: Jira refusing it and storage failing together still converge', async () => {
    wb.faults.add({ product: 'jira', status: 503, method: 'PUT', pathPrefix: '/rest/api/3/issue/', count: 50 });
    const issue = await createIncident(wb, { summary: 'Property refused', priorityId: '1', services: ['Payments'] });
    expect(await issueProperty(wb, issue.key)).toBeUndefined();
    wb.faults.clear();
    wb.faults.add({ product: 'kvs', status: 503, count: 2 });
    await runWatch();
    wb.clock.advance(3 * MINUTE); // past the stale-outbox threshold
    await runWatch();
    expect(await linkedOnce(issue.key)).toMatchObject({ links: 1, invocationComments: 1, property: { openInvocations: 1 } });
  });

  test('a consumer killed between the comment and the property: one comment, and the property follows', async () => {
    wb.runtime.setLimits({ scale: 0.02 }); // the consumer's 120 s becomes 2.4 s
    wb.faults.add({ product: 'jira', latencyMs: 5_000, method: 'PUT', pathPrefix: '/rest/api/3/issue/', count: 1 });
    const issue = await createIncident(wb, { summary: 'Killed mid-write', priorityId: '1', services: ['Payments'] });
    await wb.idle();
    wb.runtime.setLimits({ scale: 1 });
    expect((await linkedOnce(issue.key)).invocationComments).toBe(1);
    wb.clock.advance(5 * MINUTE); // the dead consumer's claim expires; the watch takes the record over
    await runWatch();
    expect(await linkedOnce(issue.key)).toMatchObject({ links: 1, invocationComments: 1, property: { openInvocations: 1 } });
  }, 60_000);
});

describe('two people at once, through the real bridge endpoint', () => {
  test('two agents posting the same update: one comment, the other is told who posted it (10 rounds, latency, staggered)', async () => {
    wb.faults.add({ product: 'jira', latencyMs: 300, method: 'POST', pathPrefix: '/rest/api/3/issue/' });
    for (let round = 0; round < 10; round++) {
      const issue = await createIncident(wb, { summary: `Same update ${round}`, priorityId: '1', services: ['Payments'] });
      const [alex, casey] = [await frameOf(issue.key, ALEX.accountId), await frameOf(issue.key, CASEY.accountId)];
      const view = await invoke(alex, 'issue-panel/load');
      const inv = view.data.invocations[0];
      const post = (frame: string) => invoke(frame, 'issue-panel/comms/post', { invocationId: inv.id, templateId: templateId(inv, PAYMENTS.internal), audience: 'internal', impact: 'EU cards', seen: 0 });
      const first = post(alex);
      await new Promise((r) => setTimeout(r, (round * 25) % 250)); // the second one 0–225 ms later
      const results = await Promise.all([first, post(casey)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const refused = results.find((r) => !r.ok);
      expect(refused.error).toMatchObject({ code: 'CONFLICT', field: 'templateId' });
      expect(refused.error.message).toMatch(/Alex Agent|Casey Continuity/);
      const updates = (await comments(wb, issue.key)).filter((c) => c.properties?.some((p) => p.key === 'service-continuity' && String(p.value.kind).startsWith('comms:')));
      expect(updates).toHaveLength(1);
    }
  }, 120_000);

  test('a deliberate second update from someone who saw the first is posted', async () => {
    const issue = await createIncident(wb, { summary: 'Two updates', priorityId: '1', services: ['Payments'] });
    const alex = await frameOf(issue.key, ALEX.accountId);
    const inv = (await invoke(alex, 'issue-panel/load')).data.invocations[0];
    const one = await invoke(alex, 'issue-panel/comms/post', { invocationId: inv.id, templateId: templateId(inv, PAYMENTS.internal), audience: 'internal', seen: 0 });
    const seen = one.data.invocations[0].comms.find((c: { templateId: string }) => c.templateId === templateId(inv, PAYMENTS.internal)).postedCount;
    expect(seen).toBe(1);
    const two = await invoke(alex, 'issue-panel/comms/post', { invocationId: inv.id, templateId: templateId(inv, PAYMENTS.internal), audience: 'internal', seen });
    expect(two.ok).toBe(true);
    expect(two.data.invocations[0].comms.find((c: { templateId: string }) => c.templateId === templateId(inv, PAYMENTS.internal)).postedCount).toBe(2);
  });
});

describe('typed errors and text that shows nothing', () => {
  test('an invocation id with characters storage keys do not allow answers NOT_FOUND, not INTERNAL', async () => {
    const issue = await createIncident(wb, { summary: 'Bad ids', priorityId: '1', services: ['Payments'] });
    const alex = await frameOf(issue.key, ALEX.accountId);
    for (const invocationId of ['a/b', "x'y", '(plan)', 'ünïcode', 'a'.repeat(200)]) {
      expect((await invoke(alex, 'issue-panel/recover', { invocationId })).error).toMatchObject({ code: 'NOT_FOUND', field: 'invocationId' });
    }
  });

  test("the automation action's plan input: a raw storage key error never leaks, and titles with / ' ( or non-ASCII letters are found", async () => {
    const catalogue = new KvsCatalogueStore();
    const current = await loadCatalogue(catalogue);
    const payments = current.plans.find((p) => p.id === 'plan-payments')!;
    await saveCatalogue({ plans: [{ ...payments, title: "Zahlungen / Karten (EU) – Kunde's Plan" }] }, catalogue, current);
    const issue = await createIncident(wb, { summary: 'Rule-driven', priorityId: '3', services: ['Payments'] });
    await expect(wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: issue.key, plan: 'bad/key (with) spaces' })).rejects.toThrow('NOT_FOUND (plan): Plan "bad/key (with) spaces" not found.');
    const byTitle = (await wb.runtime.invokeAction('invoke-continuity-plan', { issueKey: issue.key, plan: "zahlungen / karten (eu) – kunde's plan" })) as { planId: string };
    expect(byTitle.planId).toBe('plan-payments');
  });

  test('reasons made of zero-width spaces, soft hyphens, fillers or bare combining marks are refused; a lone surrogate never reaches Jira', async () => {
    const issue = await createIncident(wb, { summary: 'Invisible', priorityId: '1', services: ['Payments'] });
    const alex = await frameOf(issue.key, ALEX.accountId);
    const inv = (await invoke(alex, 'issue-panel/load')).data.invocations[0];
    for (const reason of ['\u200b\u200b\u200b', '\u00ad\u00ad\u00ad', '\u3164\u3164\u3164', '\u0301\u0302\u0303', ' \u200b \u200c \u200d ']) {
      const answer = await invoke(alex, 'issue-panel/stand-down', { invocationId: inv.id, reason });
      expect(answer.error).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    }
    const before = (await comments(wb, issue.key)).length;
    const answer = await invoke(alex, 'issue-panel/comms/post', { invocationId: inv.id, templateId: templateId(inv, PAYMENTS.internal), audience: 'internal', impact: 'broken \ud800 text', seen: 0 });
    expect(answer.error).toMatchObject({ code: 'INVALID_INPUT', field: 'impact' });
    expect((await comments(wb, issue.key)).length).toBe(before);
    expect((await panelFor(wb, issue)).data.invocations[0].state).toBe('open');
  });
});
