/** Jira Cloud's rate limits: per-endpoint token buckets, per-issue write windows, an hourly quota. */
import { DOCUMENTED_PER_ISSUE_WRITES, JiraRateLimiter, endpointKey, writtenIssue } from './jira-rate-limit';

const NOW = Date.parse('2026-11-22T03:00:00Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('off by default: everything passes with no headers', () => {
  const limiter = new JiraRateLimiter();
  for (let i = 0; i < 1000; i++) expect(limiter.admit('GET', '/rest/api/3/myself', NOW)).toEqual({ headers: {} });
  expect(limiter.stats.limited).toBe(0);
});

test('burst: a bucket per endpoint and method; a refused request gets Jira\'s 429 and headers', () => {
  const limiter = new JiraRateLimiter();
  limiter.configure({ requestsPerSecond: 2, burst: 3, perIssueWrites: [] });
  const results = Array.from({ length: 4 }, () => limiter.admit('GET', '/rest/api/3/issue/OPS-1', NOW));
  expect(results.slice(0, 3).every((r) => 'headers' in r)).toBe(true);
  const refused = results[3];
  expect(refused).toEqual({
    refused: {
      status: 429,
      headers: { 'retry-after': '1', 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': expect.any(String), 'ratelimit-reason': 'jira-burst-based' },
      body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
    },
  });
  const reset = Date.parse((refused as { refused: { headers: Record<string, string> } }).refused.headers['x-ratelimit-reset']);
  expect(reset - NOW).toBe(1000); // 0.5 s to the next token, rounded up to the second
  // The same endpoint for another issue shares the bucket; another method or endpoint has its own.
  expect('refused' in limiter.admit('GET', '/rest/api/3/issue/OPS-2', NOW)).toBe(true);
  expect('headers' in limiter.admit('PUT', '/rest/api/3/issue/OPS-2', NOW)).toBe(true);
  expect('headers' in limiter.admit('GET', '/rest/api/3/search/jql', NOW)).toBe(true);
  expect(limiter.stats).toMatchObject({ limited: 2, byReason: { 'jira-burst-based': 2 } });
});

test('the bucket refills at requestsPerSecond on real time', async () => {
  const limiter = new JiraRateLimiter();
  limiter.configure({ requestsPerSecond: 50, burst: 1 });
  expect('headers' in limiter.admit('GET', '/rest/api/3/myself', NOW)).toBe(true);
  expect('refused' in limiter.admit('GET', '/rest/api/3/myself', NOW)).toBe(true);
  await sleep(30); // 1.5 tokens at 50/s
  expect('headers' in limiter.admit('GET', '/rest/api/3/myself', NOW)).toBe(true);
});

test('near the limit a served response says X-RateLimit-NearLimit: true', () => {
  const limiter = new JiraRateLimiter();
  limiter.configure({ requestsPerSecond: 10, burst: 10 });
  const headers = Array.from({ length: 10 }, () => (limiter.admit('GET', '/rest/api/3/myself', NOW) as { headers: Record<string, string> }).headers);
  expect(headers.slice(0, 8).every((h) => !h['x-ratelimit-nearlimit'])).toBe(true);
  expect(headers[8]).toEqual({ 'x-ratelimit-nearlimit': 'true' });
});

test('per-issue writes: the documented 20 per 2 s by default, across endpoints of one issue', () => {
  expect(DOCUMENTED_PER_ISSUE_WRITES).toEqual([{ limit: 20, windowMs: 2000 }, { limit: 100, windowMs: 30000 }]);
  const limiter = new JiraRateLimiter();
  limiter.configure({ requestsPerSecond: 1000 });
  for (let i = 0; i < 10; i++) {
    expect('headers' in limiter.admit('POST', '/rest/api/3/issue/OPS-1/comment', NOW)).toBe(true);
    expect('headers' in limiter.admit('PUT', '/rest/api/3/issue/ops-1/properties/continuity', NOW)).toBe(true);
  }
  const refused = limiter.admit('POST', '/rest/api/3/issue/OPS-1/remotelink', NOW) as { refused: { headers: Record<string, string> } };
  expect(refused.refused.headers).toMatchObject({ 'ratelimit-reason': 'jira-per-issue-on-write', 'x-ratelimit-limit': '20', 'retry-after': '2' });
  // Reads of that issue and writes to another are not limited by it.
  expect('headers' in limiter.admit('GET', '/rest/api/3/issue/OPS-1', NOW)).toBe(true);
  expect('headers' in limiter.admit('POST', '/rest/api/3/issue/OPS-2/comment', NOW)).toBe(true);
  expect(limiter.stats.byReason).toEqual({ 'jira-per-issue-on-write': 1 });
});

test('perIssueWritesPerSecond sets one window of a second', async () => {
  const limiter = new JiraRateLimiter();
  limiter.configure({ requestsPerSecond: 1000, perIssueWritesPerSecond: 2 });
  expect(limiter.current()!.perIssueWrites).toEqual([{ limit: 2, windowMs: 1000 }]);
  expect('headers' in limiter.admit('POST', '/rest/api/3/issue/10001/comment', NOW)).toBe(true);
  expect('headers' in limiter.admit('POST', '/rest/api/3/issue/10001/comment', NOW)).toBe(true);
  expect('refused' in limiter.admit('POST', '/rest/api/3/issue/10001/comment', NOW)).toBe(true);
});

test('an hourly quota refuses until the top of the UTC hour', () => {
  const limiter = new JiraRateLimiter();
  limiter.configure({ requestsPerSecond: 1000, quotaPerHour: 3 });
  const at = Date.parse('2026-11-22T03:59:30Z');
  for (let i = 0; i < 3; i++) expect('headers' in limiter.admit('GET', `/rest/api/3/issue/OPS-${i + 1}`, at)).toBe(true);
  const refused = limiter.admit('GET', '/rest/api/3/myself', at) as { refused: { headers: Record<string, string> } };
  expect(refused.refused.headers).toMatchObject({ 'ratelimit-reason': 'jira-quota-global-based', 'retry-after': '30', 'x-ratelimit-reset': '2026-11-22T04:00:00Z' });
  expect('headers' in limiter.admit('GET', '/rest/api/3/myself', Date.parse('2026-11-22T04:00:01Z'))).toBe(true);
});

test('endpoints and written issues', () => {
  expect(endpointKey('get', '/rest/api/3/issue/OPS-12/comment/10001?expand=x')).toBe('GET /rest/api/3/issue/{id}/comment/{id}');
  expect(writtenIssue('POST', '/rest/api/3/issue/ops-3/comment')).toBe('OPS-3');
  expect(writtenIssue('POST', '/rest/api/3/issue')).toBeUndefined();
  expect(writtenIssue('POST', '/rest/api/3/issue/bulk')).toBeUndefined();
  expect(writtenIssue('GET', '/rest/api/3/issue/OPS-3')).toBeUndefined();
});
