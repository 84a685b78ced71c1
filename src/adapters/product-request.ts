/**
 * The one choke point for product REST calls: maps status codes to typed errors and retries what is
 * safe to retry. 429 honours Retry-After, then X-RateLimit-Reset, then exponential backoff with jitter;
 * 5xx and network errors are retried the same way. Requests here are idempotent by construction
 * (PUTs, upserts by globalId, comment posts guarded by a claim and a marker).
 */
import type { APIResponse } from '@forge/api';
import { ContinuityError, RateLimitedError, UpstreamError, notFound } from '../domain/errors';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function retryDelayMs(response: Pick<APIResponse, 'headers'> | undefined, attempt: number, policy: RetryPolicy, nowMs: number): number {
  const retryAfter = response?.headers.get('retry-after');
  if (retryAfter && /^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.min(policy.maxDelayMs, Number(retryAfter) * 1000);
  const reset = response?.headers.get('x-ratelimit-reset');
  if (reset) {
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return Math.min(policy.maxDelayMs, Math.max(0, at - nowMs));
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return exp / 2 + Math.random() * (exp / 2);
}

export async function productRequest(
  what: string,
  send: () => Promise<APIResponse>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<APIResponse> {
  let last: APIResponse | undefined;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    let response: APIResponse;
    try {
      response = await send();
    } catch (error) {
      // A network failure or timeout: nothing was (observably) written; retry, then give up typed.
      if (attempt === policy.attempts - 1) throw new UpstreamError(0, `${what} (${(error as Error).message})`);
      await sleep(retryDelayMs(undefined, attempt, policy, Date.now()));
      continue;
    }
    if (response.ok) return response;
    if (response.status === 429 || response.status >= 500) {
      last = response;
      if (attempt < policy.attempts - 1) await sleep(retryDelayMs(response, attempt, policy, Date.now()));
      continue;
    }
    throw await errorFor(response, what);
  }
  if (last?.status === 429) {
    const ra = last.headers.get('retry-after');
    throw new RateLimitedError(ra ? Number(ra) : undefined, what);
  }
  throw new UpstreamError(last?.status ?? 0, what);
}

async function errorFor(response: APIResponse, what: string): Promise<ContinuityError> {
  const body = await response.text().catch(() => '');
  if (response.status === 404) return notFound(what);
  if (response.status === 401 || response.status === 403) return new ContinuityError('FORBIDDEN', `${what}: not permitted.`);
  if (response.status === 409) return new ContinuityError('CONFLICT', `${what}: conflict.`);
  if (response.status === 400) return new ContinuityError('INVALID_INPUT', `${what}: ${summarise(body)}`);
  return new UpstreamError(response.status, what);
}

function summarise(body: string): string {
  try {
    const json = JSON.parse(body) as { errorMessages?: string[]; errors?: Record<string, string> };
    const parts = [...(json.errorMessages ?? []), ...Object.entries(json.errors ?? {}).map(([k, v]) => `${k}: ${v}`)];
    if (parts.length > 0) return parts.join('; ');
  } catch {
    /* not JSON */
  }
  return body.slice(0, 200) || 'bad request';
}
