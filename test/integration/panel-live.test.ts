/**
 * Several responders at once, and the issue context, through the workbench's bridge over HTTP: a
 * change made in one frame reaches, over Forge Realtime, every frame open on the same issue (the panel
 * and the issue context, whoever is signed in) and no frame on another issue; a publish from a
 * function the front end did not invoke is refused, as Forge documents. The issue context answers its
 * compact state in one resolver call, and its dynamic status follows the committed RTO clock.
 */
import { createIncident, panelCall, panelFor, PAYMENTS, startWorkbench, stepId } from '../support/workbench';
import { USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';

const MINUTE = 60_000;
const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
let wb: Workbench;
let url: string;

beforeEach(async () => {
  ({ wb, url } = await startWorkbench());
});
afterEach(async () => {
  await wb.stop();
});

/** The frame tokens of the issue view's modules (panel and issue context), for a person. */
async function frames(key: string, user?: string): Promise<Record<string, string>> {
  const html = await (await fetch(`${url}/browse/${key}`, { headers: user ? { cookie: `wb_user=${user}` } : {} })).text();
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/data-module="([^"]+)"[\s\S]*?data-frame="([^"]+)"/g)) out[m[1]] ??= m[2];
  return out;
}

const bridge = async (frame: string, type: string, payload?: unknown) =>
  (await fetch(`${url}/__forge/bridge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ frame, type, payload }) })).json() as Promise<any>;

const subscribe = (frame: string) => bridge(frame, 'subscribeRealtimeChannel', { channelName: 'continuity-incident', options: { contextOverrides: ['issue'] } });

test('a change in one panel reaches the other panel and the issue context on that issue, and nothing on another issue', async () => {
  const a = await createIncident(wb, { summary: 'Shared', priorityId: '1', services: ['Payments'] });
  const b = await createIncident(wb, { summary: 'Elsewhere', priorityId: '1', services: ['Reporting'] });
  const alex = await frames(a.key);
  const casey = await frames(a.key, CASEY.accountId);
  const other = await frames(b.key, CASEY.accountId);
  for (const f of [casey['continuity-issue-panel'], casey['continuity-issue-context'], other['continuity-issue-panel']]) expect((await subscribe(f)).ok).toBe(true);

  const polls = [casey['continuity-issue-panel'], casey['continuity-issue-context'], other['continuity-issue-panel']].map((f) => bridge(f, 'pollRealtime', {}));
  const first = (await panelFor(wb, a)).data.invocations[0];
  const invocationId = first.id;
  const done = await bridge(alex['continuity-issue-panel'], 'invoke', { functionKey: 'issue-panel/step/done', payload: { invocationId, stepId: stepId(first, PAYMENTS.confirm) } });
  expect(done.result.ok).toBe(true);

  const [panelEvents, contextEvents] = await Promise.all(polls.slice(0, 2));
  for (const events of [panelEvents, contextEvents]) {
    expect(events.result).toHaveLength(1);
    expect(JSON.parse(events.result[0].payload)).toEqual({ issueId: a.id, version: done.result.data.version });
  }
  // The other issue's frame heard nothing: its poll is still waiting; a publish there ends it.
  const otherPoll = polls[2];
  const raced = await Promise.race([otherPoll.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
  expect(raced).toBe('waiting');
  wb.runtime.realtime.close();
  expect((await otherPoll).result).toEqual([]);
});

test("without contextOverrides a channel is the module's own: the issue context does not hear the panel", async () => {
  const a = await createIncident(wb, { summary: 'Scoped', priorityId: '1', services: ['Payments'] });
  const f = await frames(a.key);
  await bridge(f['continuity-issue-context'], 'subscribeRealtimeChannel', { channelName: 'continuity-incident', options: {} });
  const published = await bridge(f['continuity-issue-panel'], 'publishRealtimeChannel', { channelName: 'continuity-incident', eventPayload: 'hello', options: {} });
  expect(published.result).toEqual({ eventId: null, eventTimestamp: null }); // nobody on the panel's own channel
});

test('publish from a function the front end did not invoke is refused, as Forge documents', async () => {
  const a = await createIncident(wb, { summary: 'Trigger', priorityId: '1', services: ['Payments'] });
  const { publish } = await import('@forge/realtime');
  // Outside any UI-invoked function there is no context token.
  const result = await publish('continuity-incident', { issueId: a.id, version: 1 }, { contextOverrides: ['issue' as never] });
  expect(result.errors?.[0]?.message).toMatch(/only supported for functions invoked from the app frontend/);
});

test('the issue context loads its compact state in one call, and its collapsed status follows the committed RTO clock', async () => {
  const issue = await createIncident(wb, { summary: 'Context', priorityId: '1', services: ['Customer portal'] });
  const extension = { type: 'jira:issueContext', issue: { id: issue.id, key: issue.key, type: 'Incident' }, project: { key: 'OPS' } };
  const load = () => wb.runtime.invokeResolver('continuity-issue-context', { functionKey: 'issue-context/load' }, { extension, moduleKey: 'continuity-issue-context' }, CASEY.accountId) as Promise<any>;
  const status = () => wb.runtime.invoke('resolver', 'continuity-issue-context', 'issue-context-status', [{ cloudId: 'cloud', extension }, {}]) as Promise<any>;

  wb.runtime.invocationRecords.clear();
  const view = await load();
  expect(view.ok).toBe(true);
  expect(view.data.invocations[0]).toMatchObject({ plan: { title: 'Customer portal continuity plan' }, ownRtoMinutes: 240, rtoMinutes: 1440, limitedBy: { name: 'Reporting' }, progress: { total: 4, done: 0, percent: 0 } });
  const [record] = wb.runtime.invocationRecords();
  expect(record.calls.filter((c) => c.type === 'product')).toEqual([]); // no Jira call: it offers no actions

  expect(await status()).toEqual({ status: { type: 'lozenge', value: { label: 'RTO 4 h 00 min left', type: 'inprogress' } } });
  wb.clock.advance(200 * MINUTE);
  expect(await status()).toEqual({ status: { type: 'lozenge', value: { label: 'RTO 40 min left', type: 'moved' } } });
  wb.clock.advance(60 * MINUTE);
  expect(await status()).toEqual({ status: { type: 'lozenge', value: { label: 'RTO breached', type: 'removed' } } });
  const invocationId = (await panelFor(wb, issue)).data.invocations[0].id;
  expect((await panelCall(wb, issue, 'issue-panel/recover', { invocationId })).ok).toBe(true);
  // Within the effective RTO (24 h), so recovered "in time" by the RTO the warnings run on.
  expect(await status()).toEqual({ status: { type: 'lozenge', value: { label: 'Recovered', type: 'success' } } });

  const quiet = await createIncident(wb, { summary: 'Low', priorityId: '3', services: ['Payments'] });
  expect(await wb.runtime.invoke('resolver', 'continuity-issue-context', 'issue-context-status', [{ cloudId: 'cloud', extension: { ...extension, issue: { id: quiet.id, key: quiet.key } } }, {}])).toEqual({});
});
