/**
 * The one choke point for product REST calls: maps status codes to typed errors and retries what is
 * safe to retry. 429 honours Retry-After, then X-RateLimit-Reset, then exponential backoff with jitter.
 *
 * What is safe depends on the request. A 429 means the product did nothing, so it is always retried.
 * A 5xx or a network failure is ambiguous (the write may have happened, only the answer was lost), so
 * it is retried only for idempotent requests (GET, PUT, upsert by globalId); a comment POST is not
 * retried here, and its caller (services/post-once) looks for the comment's marker before trying again.
 *
 * Retries never outlive the invocation: Forge stops a resolver or trigger at 25 s, and a sleep that
 * would end too close to that limit gives up with a typed error instead, so the caller can record the
 * failure (and the next run repair it) rather than being killed mid-write.
 */
import { getAppContext, type APIResponse } from '@forge/api';
import { ContinuityError, RateLimitedError, UpstreamError, notFound } from '../domain/errors';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whether repeating the request after an ambiguous failure (5xx, network) is harmless. */
  idempotent: boolean;
  /** Time kept back at the end of the invocation for recording the outcome. */
  reserveMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, idempotent: true, reserveMs: 3_000 };
/** For requests that create something each time they succeed (a comment POST). */
export const NOT_IDEMPOTENT: RetryPolicy = { ...DEFAULT_RETRY, idempotent: false };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function retryDelayMs(response: Pick<APIResponse, 'headers'> | undefined, attempt: number, policy: RetryPolicy, nowMs: number): number {
  // Jitter on top of what the product asked, so requests it refused together do not return together.
  const jitter = (ms: number) => ms * (1 + Math.random() * 0.2);
  const retryAfter = response?.headers.get('retry-after');
  if (retryAfter && /^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.min(policy.maxDelayMs, jitter(Number(retryAfter) * 1000));
  const reset = response?.headers.get('x-ratelimit-reset');
  if (reset) {
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return Math.min(policy.maxDelayMs, jitter(Math.max(0, at - nowMs)));
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return exp / 2 + Math.random() * (exp / 2);
}

/** Milliseconds left in the current Forge invocation; undefined outside one (unit tests). */
export function invocationRemainingMs(): number | undefined {
  try {
    return getAppContext().invocationRemainingTimeInMillis();
  } catch {
    return undefined;
  }
}

export async function productRequest(
  what: string,
  send: () => Promise<APIResponse>,
  policy: RetryPolicy = DEFAULT_RETRY,
  remainingMs: () => number | undefined = invocationRemainingMs,
): Promise<APIResponse> {
  /** Whether sleeping `delay` still leaves time to make the request and record its outcome. */
  const canWait = (delay: number) => {
    const left = remainingMs();
    return left === undefined || delay + policy.reserveMs < left;
  };
  let last: APIResponse | undefined;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    let response: APIResponse;
    try {
      response = await send();
    } catch (error) {
      // The send already knows what failed (the product is not connected, say): nothing to retry.
      if (error instanceof ContinuityError) throw error;
      // A network failure or timeout: the request may or may not have been applied.
      const delay = retryDelayMs(undefined, attempt, policy, Date.now());
      if (!policy.idempotent || attempt === policy.attempts - 1 || !canWait(delay)) throw new UpstreamError(0, `${what} (${(error as Error).message})`);
      await sleep(delay);
      continue;
    }
    if (response.ok) return response;
    const retryable = response.status === 429 || (response.status >= 500 && policy.idempotent);
    if (!retryable) {
      if (response.status >= 500) throw new UpstreamError(response.status, what);
      throw await errorFor(response, what);
    }
    last = response;
    if (attempt === policy.attempts - 1) break;
    const delay = retryDelayMs(response, attempt, policy, Date.now());
    if (!canWait(delay)) break;
    await sleep(delay);
  }
  if (last?.status === 429) {
    const ra = last.headers.get('retry-after');
    throw new RateLimitedError(ra && /^\d+$/.test(ra.trim()) ? Number(ra) : undefined, what);
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
