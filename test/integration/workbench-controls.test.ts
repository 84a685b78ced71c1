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
import { createIncident, issueProperty, ROOT, startWorkbench } from '../support/workbench';
import { parseFaultSpec } from '../../workbench/cli';

// Asynchronous: the workbench serving the CLI runs in this very process.
const cli = async (url: string, ...args: string[]) => JSON.parse((await promisify(execFile)('node', [path.join(ROOT, 'dist/workbench/cli.js'), ...args, '--url', url], { encoding: 'utf8' })).stdout);

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
    const faults = await cli(url, 'fault', 'jira', '429', '--retry-after', '2', '--count', '3');
    expect(faults).toEqual([{ product: 'jira', status: 429, retryAfterSeconds: 2, count: 3 }]);
    const res = await fetch(`${url}/rest/api/3/myself`, { headers: { authorization: `Basic ${Buffer.from('a@b:c').toString('base64')}` } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');

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
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'performance', 'hrtime'] });
  const { wb } = await startWorkbench();
  try {
    const runs: string[] = [];
    const original = wb.runtime.invokeScheduled.bind(wb.runtime);
    wb.runtime.invokeScheduled = async (key: string) => {
      runs.push(key);
      return original(key);
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

test('fault specs on the start command line are parsed strictly', () => {
  expect(parseFaultSpec('jira:429:retry-after=1:count=3')).toEqual({ product: 'jira', status: 429, retryAfterSeconds: 1, count: 3 });
  expect(parseFaultSpec('kvs:timeout:timeout-ms=500')).toEqual({ product: 'kvs', timeout: true, timeoutMs: 500 });
  expect(parseFaultSpec('confluence:latency=250')).toEqual({ product: 'confluence', latencyMs: 250 });
  expect(() => parseFaultSpec('bitbucket:500')).toThrow('Fault product must be jira, confluence or kvs');
  expect(() => parseFaultSpec('jira:often')).toThrow("Unknown fault option 'often'");
});

test('a KVS timeout that makes the trigger throw is logged and not redelivered, as Forge documents', async () => {
  const { wb } = await startWorkbench();
  try {
    wb.faults.add({ product: 'kvs', timeout: true, timeoutMs: 50, count: 1 });
    await createIncident(wb, { summary: 'Storage hiccup', priorityId: '1', services: ['Payments'] });
    expect(wb.faults.injected.kvs).toBe(1);
    // dac product events: only a RETURNED InvocationError (or a timeout / out of memory) is retried.
    const failed = wb.events.attempts.filter((a) => a.outcome === 'error');
    expect(failed).toEqual([expect.objectContaining({ eventType: 'avi:jira:created:issue', attempt: 1, gaveUp: expect.stringContaining('not retried') })]);
  } finally {
    await wb.stop();
  }
});

// The app's trigger still throws on a transient storage failure, so on Forge the incident is lost. When the
// trigger returns an InvocationError instead, Forge redelivers the event and this passes: make it a `test`.
test.failing('a KVS timeout reaches the app as a failure it survives: the event is redelivered and the link lands', async () => {
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
