/**
 * The workbench's own promises: state survives a restart (atomic files on disk), the command line and
 * the control API set the clock, faults and event delivery of a running workbench, and reset restores
 * the demo.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIncident, issueProperty, panelFor, ROOT, startWorkbench } from '../support/workbench';
import { globalOptionsLast, parseFaultSpec } from '../../workbench/cli';

// Asynchronous: the workbench serving the CLI runs in this very process.
const run = async (...args: string[]) => (await promisify(execFile)('node', [path.join(ROOT, 'dist/workbench/cli.js'), ...args], { encoding: 'utf8' })).stdout;
const cli = async (url: string, ...args: string[]) => JSON.parse(await run(...args, '--url', url));
const BASIC = `Basic ${Buffer.from('alex.agent@example.com:workbench').toString('base64')}`;

test('state persists on disk across a restart, and no temporary file is left behind', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-'));
  const first = await startWorkbench({ dataDir });
  const issue = await createIncident(first.wb, { summary: 'Survives restarts', priorityId: '1', services: ['Payments'] });
  await first.wb.stop();
  expect(fs.readdirSync(dataDir).sort()).toEqual(['confluence.json', 'jira.json', 'storage.json']);

  const second = await startWorkbench({ dataDir });
  try {
    expect(await issueProperty(second.wb, issue.key)).toMatchObject({ openInvocations: 1, planIds: ['plan-payments'] });
    // Seeding again on restart must not add a second copy of the demo.
    expect(second.wb.kvs.stats().entities).toBe(first.wb.kvs.stats().entities);
  } finally {
    await second.wb.stop();
  }
});

test('the command line sets faults, the clock and event delivery, and resets to the demo', async () => {
  const { wb, url } = await startWorkbench();
  try {
    // A fault for all callers reaches a test client over HTTP too.
    const faults = await cli(url, 'fault', 'jira', '429', '--retry-after', '2', '--count', '3', '--all-callers');
    expect(faults).toEqual([{ product: 'jira', status: 429, retryAfterSeconds: 2, count: 3, callers: 'all', remaining: 3 }]);
    const res = await fetch(`${url}/rest/api/3/myself`, { headers: { authorization: `Basic ${Buffer.from('a@b:c').toString('base64')}` } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await cli(url, 'faults')).toEqual([{ product: 'jira', status: 429, retryAfterSeconds: 2, count: 3, callers: 'all', remaining: 2 }]);

    const before = wb.clock.now();
    const clock = await cli(url, 'clock', 'advance', '30m');
    expect(clock.offsetMs).toBeGreaterThanOrEqual(30 * 60_000 - 5);
    expect(wb.clock.now() - before).toBeGreaterThanOrEqual(30 * 60_000);

    expect(await cli(url, 'events', 'duplicate')).toMatchObject({ copies: 2 });
    expect(await cli(url, 'faults', 'clear')).toEqual([]);

    await createIncident(wb, { summary: 'Extra', priorityId: '1', services: ['Payments'] });
    expect(await cli(url, 'reset')).toEqual({ reset: true });
    const state = await cli(url, 'state');
    expect(state.clock.offsetMs).toBe(0);
    expect(state.faults).toEqual([]);
    const search = await fetch(`${url}/rest/api/3/search/jql?jql=project%3DOPS&fields=summary`, { headers: { authorization: `Basic ${Buffer.from('a@b:c').toString('base64')}` } });
    expect(((await search.json()) as { issues: unknown[] }).issues).toHaveLength(3); // the demo's three incidents again
  } finally {
    await wb.stop();
  }
});

test('scheduled triggers run on their manifest interval once schedules are started', async () => {
  // The demo is seeded (its outbox drained) on real timers; only the schedule runs on fake ones, and the
  // watch itself is not run (its drains would wait on timers that never fire): the cadence is under test.
  const { wb } = await startWorkbench();
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'performance', 'hrtime'] });
  try {
    const runs: string[] = [];
    wb.runtime.invokeScheduled = async (key: string) => {
      runs.push(key);
      return undefined;
    };
    wb.startSchedules();
    jest.advanceTimersByTime(5 * 60_000 - 1);
    expect(runs).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(runs).toEqual(['continuity-rto-watch']);
    jest.advanceTimersByTime(10 * 60_000);
    expect(runs).toEqual(['continuity-rto-watch', 'continuity-rto-watch', 'continuity-rto-watch']);
  } finally {
    jest.useRealTimers();
    await wb.stop();
  }
});

test("an injected Jira fault is used by the app's requests, not by a person raising an incident; the listing counts down", async () => {
  const { wb, url } = await startWorkbench();
  try {
    // The app's requests get both 429s; the person's own create, as the host's form sends it, gets none.
    expect(await cli(url, 'fault', 'jira', '429', '--retry-after', '0', '--count', '2')).toEqual([{ product: 'jira', status: 429, retryAfterSeconds: 0, count: 2, callers: 'app', remaining: 2 }]);
    const ids = wb.jira.fieldIds();
    const payments = wb.jira.services().find((s) => s.name === 'Payments')!.id;
    const created = await fetch(`${url}/rest/api/3/issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: BASIC },
      body: JSON.stringify({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Raised in the form', priority: { id: '1' }, [ids.affectedServices]: [{ id: payments }] } }),
    });
    expect(created.status).toBe(201);
    const issue = (await created.json()) as { id: string; key: string };
    await wb.idle();
    expect(wb.faults.injected.jira).toBe(2);
    expect(await cli(url, 'faults')).toEqual([]); // both used, by the app
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1, planIds: ['plan-payments'] });

    // A person's read is served while a fault waits for the app; the app's read uses one, and the listing says so.
    await cli(url, 'fault', 'jira', '503', '--path', '/rest/api/3/mypermissions', '--count', '20');
    const read = await fetch(`${url}/rest/api/3/mypermissions?permissions=EDIT_ISSUES&issueKey=${issue.key}`, { headers: { authorization: BASIC } });
    expect(read.status).toBe(200);
    expect((await cli(url, 'state')).faults).toEqual([{ product: 'jira', status: 503, pathPrefix: '/rest/api/3/mypermissions', count: 20, callers: 'app', remaining: 20 }]);
    const before = wb.faults.injected.jira;
    await panelFor(wb, issue);
    const used = wb.faults.injected.jira - before;
    expect(used).toBeGreaterThan(0);
    expect(await cli(url, 'faults')).toEqual([expect.objectContaining({ count: 20, remaining: 20 - used })]);
  } finally {
    await wb.stop();
  }
});

test('--url is taken before the command as after it', async () => {
  const { wb, url } = await startWorkbench();
  try {
    expect(await run('--url', url, 'help')).toContain('Usage: npm run workbench -- <command>');
    expect(JSON.parse(await run('--url', url, 'fault', 'confluence', '503', '--count', '1'))).toEqual([{ product: 'confluence', status: 503, count: 1, callers: 'app', remaining: 1 }]);
    expect(JSON.parse(await run('faults', `--url=${url}`))).toHaveLength(1);
    expect(JSON.parse(await run('faults', '--url', url, 'clear'))).toEqual([]);
    expect(wb.faults.list()).toEqual([]);
  } finally {
    await wb.stop();
  }
  expect(globalOptionsLast(['--url', 'http://127.0.0.1:4520', 'help'])).toEqual(['help', '--url', 'http://127.0.0.1:4520']);
  expect(globalOptionsLast(['fault', '--data-dir', 'd', 'jira', '429', '--count', '3'])).toEqual(['fault', 'jira', '429', '--count', '3', '--data-dir', 'd']);
  expect(() => globalOptionsLast(['state', '--url'])).toThrow('--url needs a value');
});

test('fault specs on the start command line are parsed strictly', () => {
  expect(parseFaultSpec('jira:429:retry-after=1:count=3')).toEqual({ product: 'jira', status: 429, retryAfterSeconds: 1, count: 3 });
  expect(parseFaultSpec('jira:503:all-callers')).toEqual({ product: 'jira', status: 503, callers: 'all' });
  expect(parseFaultSpec('kvs:timeout:timeout-ms=500')).toEqual({ product: 'kvs', timeout: true, timeoutMs: 500 });
  expect(parseFaultSpec('confluence:latency=250')).toEqual({ product: 'confluence', latencyMs: 250 });
  expect(() => parseFaultSpec('bitbucket:500')).toThrow('Fault product must be jira, confluence or kvs');
  expect(() => parseFaultSpec('jira:often')).toThrow("Unknown fault option 'often'");
});


// A storage call that times out is retried in place; had it failed for longer, the trigger would return an
// InvocationError and Forge would redeliver the event (see resilience.test.ts).
test('a KVS timeout reaches the app as a failure it survives: the link lands', async () => {
  const { wb } = await startWorkbench({ delivery: { retryDelayMs: 20, delayScale: 0.001 } });
  try {
    wb.faults.add({ product: 'kvs', timeout: true, timeoutMs: 50, count: 1 });
    const issue = await createIncident(wb, { summary: 'Storage hiccup', priorityId: '1', services: ['Payments'] });
    expect(wb.faults.injected.kvs).toBe(1);
    expect(await issueProperty(wb, issue.key)).toMatchObject({ openInvocations: 1 });
    expect(wb.events.deliveries.at(-1)).toMatchObject({ ok: true });
  } finally {
    await wb.stop();
  }
});
