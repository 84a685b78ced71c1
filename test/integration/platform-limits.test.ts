/**
 * The platform's limits end to end: a workbench running the fixture app, whose real @forge/api calls
 * meet the Jira rate limiter; the control API and the command line configure it, time-window faults
 * and probabilistic faults.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { Workbench } from '../../workbench/workbench';
import { FIXTURE } from '../../workbench/runtime/testing';
import { DEFAULT_USER } from '../../workbench/products/users';
import { ROOT, call } from '../support/workbench';

const cli = async (url: string, ...args: string[]) => JSON.parse((await promisify(execFile)('node', [path.join(ROOT, 'dist/workbench/cli.js'), ...args, '--url', url], { encoding: 'utf8' })).stdout);

let wb: Workbench;
let url: string;
beforeAll(async () => {
  wb = new Workbench({ root: FIXTURE, functionsDir: path.join(FIXTURE, 'functions') });
  url = await wb.start();
  wb.jira.seedBase();
  for (const summary of ['first', 'second']) {
    const created = await call(wb, 'jira', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary } });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  }
});
afterAll(() => wb.stop());
afterEach(() => {
  wb.jiraRateLimit.off();
  wb.jiraRateLimit.resetStats();
  wb.faults.clear();
});

type Answer = { status: number; headers: Record<string, string> };
const app = (functionKey: string, payload: unknown) =>
  wb.runtime.invokeResolver('probe-panel', { functionKey, payload }, { extension: { type: 'jira:issuePanel', issue: { id: '10001', key: 'OPS-1' } } }, DEFAULT_USER.accountId) as Promise<Answer>;

test('the per-issue write limit answers the app 429 with Retry-After and the rate-limit headers Jira sends', async () => {
  wb.jiraRateLimit.configure({ requestsPerSecond: 1000, perIssueWritesPerSecond: 2 });
  const answers = [await app('jira-write', { key: 'OPS-1' }), await app('jira-write', { key: 'OPS-1' }), await app('jira-write', { key: 'OPS-1' })];
  expect(answers.map((a) => a.status)).toEqual([201, 201, 429]);
  expect(answers[2].headers).toEqual({
    'retry-after': '1',
    'x-ratelimit-limit': '2',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    'ratelimit-reason': 'jira-per-issue-on-write',
  });
  expect((await app('jira-write', { key: 'OPS-2' })).status).toBe(201);
  expect(wb.jiraRateLimit.stats).toMatchObject({ limited: 1, byReason: { 'jira-per-issue-on-write': 1 } });
  // Only the app's requests are limited, not the browser's.
  for (let i = 0; i < 5; i++) expect((await call(wb, 'jira', 'POST', '/rest/api/3/issue/OPS-1/comment', { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'by hand' }] }] } })).status).toBe(201);
  // The app's invocation records show the 429.
  const last = wb.runtime.invocationRecords().filter((r) => r.calls.some((c) => c.status === 429));
  expect(last).toHaveLength(1);
});

test('the burst limit is per endpoint and method, and reports jira-burst-based', async () => {
  wb.jiraRateLimit.configure({ requestsPerSecond: 1, burst: 2, perIssueWrites: [] });
  const reads = [await app('jira-read', { key: 'OPS-1' }), await app('jira-read', { key: 'OPS-2' }), await app('jira-read', { key: 'OPS-1' })];
  expect(reads.map((a) => a.status)).toEqual([200, 200, 429]);
  expect(reads[1].headers).toEqual({ 'x-ratelimit-nearlimit': 'true' });
  expect(reads[2].headers['ratelimit-reason']).toBe('jira-burst-based');
  expect(Date.parse(reads[2].headers['x-ratelimit-reset']) - wb.clock.now()).toBeLessThanOrEqual(2000);
  expect((await app('jira-write', { key: 'OPS-1' })).status).toBe(201);
});

test('the control API and the command line configure the limiter and show its counts', async () => {
  expect(await cli(url, 'ratelimit', 'jira', '100/s', '--burst', '150', '--per-issue-writes', '5/s')).toEqual({
    jira: { requestsPerSecond: 100, burst: 150, perIssueWritesPerSecond: 5, perIssueWrites: [{ limit: 5, windowMs: 1000 }] },
    stats: { limited: 0, byReason: {}, served: 0 },
  });
  expect(wb.jiraRateLimit.enabled).toBe(true);
  expect((await cli(url, 'ratelimit', 'off')).jira).toBeNull();
  const res = await fetch(`${url}/__workbench/api/ratelimit/jira`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requestsPerSecond: 0 }) });
  expect(res.status).toBe(400);
});

test('time-window and probabilistic faults from the command line', async () => {
  expect(await cli(url, 'fault', 'kvs', '503', '--for', '8s')).toEqual([{ product: 'kvs', status: 503, forMs: 8000, callers: 'app', remainingMs: expect.any(Number) }]);
  expect(await cli(url, 'fault', 'kvs', '429', '--probability', '0.3')).toEqual([
    { product: 'kvs', status: 503, forMs: 8000, callers: 'app', remainingMs: expect.any(Number) },
    { product: 'kvs', status: 429, probability: 0.3, callers: 'app' },
  ]);
  await expect(app('kvs-roundtrip', { key: 'k', value: 1 })).rejects.toThrow(/503|INTERNAL_SERVER_ERROR|Injected/);
  wb.faults.set([{ product: 'kvs', status: 503, forMs: 50 }]);
  await new Promise((r) => setTimeout(r, 70));
  await expect(app('kvs-roundtrip', { key: 'k', value: 1 })).resolves.toEqual({ read: 1 });
});

test('help lists the platform commands', async () => {
  const { stdout } = await promisify(execFile)('node', [path.join(ROOT, 'dist/workbench/cli.js'), 'help'], { encoding: 'utf8' });
  expect(stdout).toContain('ratelimit jira 100/s');
  expect(stdout).toContain('fault PRODUCT STATUS --for 8s');
  expect(stdout).toContain('clock advance 30m');
});
