/** Fault rules: time windows on a monotonic clock, probabilities, counts. */
import { Faults } from './faults';
import { WorkbenchClock } from './clock';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a rule with forMs answers its fault for that long, then expires', async () => {
  const faults = new Faults();
  faults.add({ product: 'kvs', status: 503, forMs: 80 });
  expect(await faults.apply('kvs', 'POST', '/api/v1/get', Date.now())).toMatchObject({ status: 503 });
  expect(faults.list()[0]).toMatchObject({ product: 'kvs', status: 503, forMs: 80, callers: 'app', remainingMs: expect.any(Number) });
  expect(faults.list()[0].remainingMs!).toBeLessThanOrEqual(80);
  await sleep(100);
  expect(await faults.apply('kvs', 'POST', '/api/v1/get', Date.now())).toBeUndefined();
  expect(faults.list()).toEqual([]);
});

test('the time window is real time: moving the workbench clock neither ends nor extends it', async () => {
  const clock = new WorkbenchClock();
  clock.install();
  try {
    const faults = new Faults();
    faults.add({ product: 'jira', status: 429, forMs: 60 });
    clock.advance(24 * 3600_000);
    expect(await faults.apply('jira', 'GET', '/rest/api/3/myself', clock.now())).toMatchObject({ status: 429 });
    clock.advance(-48 * 3600_000);
    await sleep(80);
    expect(await faults.apply('jira', 'GET', '/rest/api/3/myself', clock.now())).toBeUndefined();
  } finally {
    WorkbenchClock.uninstall();
  }
});

test('a probability rule affects about that share of requests', async () => {
  const faults = new Faults();
  faults.add({ product: 'kvs', status: 429, probability: 0.3 });
  let hit = 0;
  for (let i = 0; i < 2000; i++) if (await faults.apply('kvs', 'POST', '/api/v1/set', 0)) hit++;
  expect(hit / 2000).toBeGreaterThan(0.24);
  expect(hit / 2000).toBeLessThan(0.36);
});

test("a fault affects the app's requests by default, a person's only when injected for all callers", async () => {
  const faults = new Faults();
  faults.add({ product: 'jira', status: 429, retryAfterSeconds: 2, count: 20 });
  expect(await faults.apply('jira', 'POST', '/rest/api/3/issue', 0, 'before', 'person')).toBeUndefined();
  expect(await faults.apply('jira', 'POST', '/rest/api/3/issue', 0, 'after', 'person')).toBeUndefined();
  expect(faults.list()).toEqual([{ product: 'jira', status: 429, retryAfterSeconds: 2, count: 20, callers: 'app', remaining: 20 }]);
  expect(await faults.apply('jira', 'GET', '/rest/api/3/issue/10001', 0, 'before', 'app')).toMatchObject({ status: 429, headers: { 'retry-after': '2' } });
  expect(faults.injected.jira).toBe(1);

  faults.set([{ product: 'confluence', status: 503, callers: 'all' }]);
  expect(await faults.apply('confluence', 'GET', '/wiki/api/v2/pages/1', 0, 'before', 'person')).toMatchObject({ status: 503 });
  expect(await faults.apply('confluence', 'GET', '/wiki/api/v2/pages/1', 0, 'before', 'app')).toMatchObject({ status: 503 });
});

test('the listing says how many hits of a counted fault remain, and drops it when none do', async () => {
  const faults = new Faults();
  faults.add({ product: 'jira', status: 503, count: 3 });
  faults.add({ product: 'kvs', latencyMs: 1 });
  await faults.apply('jira', 'GET', '/rest/api/3/myself', 0);
  expect(faults.list()).toEqual([
    { product: 'jira', status: 503, count: 3, callers: 'app', remaining: 2 },
    { product: 'kvs', latencyMs: 1, callers: 'app' },
  ]);
  await faults.apply('jira', 'GET', '/rest/api/3/myself', 0);
  await faults.apply('jira', 'GET', '/rest/api/3/myself', 0);
  expect(faults.list()).toEqual([{ product: 'kvs', latencyMs: 1, callers: 'app' }]);
  expect(await faults.apply('jira', 'GET', '/rest/api/3/myself', 0)).toBeUndefined();
  expect(faults.injected.jira).toBe(3);
});
