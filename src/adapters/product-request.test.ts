import type { APIResponse } from '@forge/api';
import { DEFAULT_RETRY, NOT_IDEMPOTENT, productRequest, type RetryPolicy } from './product-request';

/** A minimal APIResponse: what productRequest reads (ok, status, headers, text). */
function response(status: number, headers: Record<string, string> = {}): APIResponse {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    headers: new Headers(headers),
    text: async () => '',
    json: async () => ({}),
  } as unknown as APIResponse;
}

/** Answers the given statuses in turn (the last one repeats), counting the calls. */
function sequence(...statuses: Array<number | Error>) {
  let calls = 0;
  const send = async () => {
    const next = statuses[Math.min(calls++, statuses.length - 1)];
    if (next instanceof Error) throw next;
    return response(next, next === 429 ? { 'retry-after': '0' } : {});
  };
  return { send, calls: () => calls };
}

const FAST: RetryPolicy = { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 2, reserveMs: 0 };

describe('productRequest', () => {
  it('retries a 429 and a 5xx of an idempotent request until it succeeds', async () => {
    const s = sequence(429, 503, 200);
    await expect(productRequest('Issue', s.send, FAST)).resolves.toMatchObject({ status: 200 });
    expect(s.calls()).toBe(3);
  });

  it('never repeats a non-idempotent request after an ambiguous failure (5xx or network)', async () => {
    const s = sequence(503, 201);
    await expect(productRequest('Comment', s.send, { ...NOT_IDEMPOTENT, baseDelayMs: 1, maxDelayMs: 2 })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(s.calls()).toBe(1);
    const n = sequence(new TypeError('fetch failed'), 201);
    await expect(productRequest('Comment', n.send, { ...NOT_IDEMPOTENT, baseDelayMs: 1, maxDelayMs: 2 })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(n.calls()).toBe(1);
  });

  it('does retry a non-idempotent request on 429: the product did nothing', async () => {
    const s = sequence(429, 201);
    await expect(productRequest('Comment', s.send, { ...NOT_IDEMPOTENT, baseDelayMs: 1, maxDelayMs: 2, reserveMs: 0 })).resolves.toMatchObject({ status: 201 });
    expect(s.calls()).toBe(2);
  });

  it('gives up typed instead of sleeping past the end of the invocation', async () => {
    let calls = 0;
    const slowDown = async () => {
      calls++;
      return response(429, { 'retry-after': '4' });
    };
    // 5 s left, 3 s kept in reserve: a 4 s Retry-After cannot be honoured.
    await expect(productRequest('Issue', slowDown, DEFAULT_RETRY, () => 5_000)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 4 });
    expect(calls).toBe(1); // no second attempt: it did not wait out the Retry-After
  });

  it('maps client errors to typed errors without retrying', async () => {
    const s = sequence(404);
    await expect(productRequest('Issue OPS-9', s.send, FAST)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(s.calls()).toBe(1);
  });

  it('gives up at once, typed with what Jira asked, when Retry-After is longer than a request may wait', async () => {
    let calls = 0;
    const quota = async () => {
      calls++;
      return response(429, { 'retry-after': '1847' });
    };
    await expect(productRequest('Issue', quota, FAST)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1847 });
    expect(calls).toBe(1);
  });

  it('passes the platform\'s own errors through untouched (Forge asks the user for consent)', async () => {
    const consent = Object.assign(new Error('Authentication required'), { name: 'NEEDS_AUTHENTICATION_ERR' });
    let calls = 0;
    await expect(
      productRequest('Permissions', async () => {
        calls++;
        throw consent;
      }, FAST),
    ).rejects.toBe(consent);
    expect(calls).toBe(1);
  });
});
