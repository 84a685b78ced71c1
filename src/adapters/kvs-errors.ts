/**
 * Storage errors in the app's terms. A lost race (a condition or FAIL_IF_EXISTS that did not hold) is
 * the caller's to handle; a rate limit or an outage becomes a typed error, so entry points answer
 * RATE_LIMITED / UPSTREAM_UNAVAILABLE (and triggers ask Forge for a retry) instead of INTERNAL.
 */
import { ForgeKvsAPIError, ForgeKvsError } from '@forge/kvs';
import { RateLimitedError, UpstreamError } from '../domain/errors';

/** The write lost a race: a condition (version guard, FAIL_IF_EXISTS) did not hold. Safe to re-read. */
export function lostRace(error: unknown): boolean {
  return error instanceof ForgeKvsAPIError && (error.responseDetails?.status === 409 || /CONDITION|CONFLICT/.test(String(error.code)));
}

function status(error: unknown): number | undefined {
  return error instanceof ForgeKvsAPIError ? error.responseDetails?.status : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ATTEMPTS = 3;

/**
 * Runs one storage call, retrying briefly on a rate limit or an outage (storage limits are per second
 * and per minute, so a short wait often suffices), then failing typed. Lost races pass through untouched.
 */
export async function storage<T>(what: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (lostRace(error)) throw error;
      const code = status(error);
      const limited = code === 429 || (error instanceof ForgeKvsAPIError && /RATE_LIMIT/.test(String(error.code)));
      // A 5xx, or a failure below the API (a network error or timeout: the fetch itself failed). A
      // ForgeKvsError the package raised itself (an invalid key, say), or any other error, is a bug, not
      // an outage: it is not retried and not reported as one.
      const down = (code !== undefined && code >= 500) || (!(error instanceof ForgeKvsError) && networkFailure(error));
      if (!limited && !down) throw error;
      if (attempt >= ATTEMPTS - 1) throw limited ? new RateLimitedError(undefined, `App storage (${what})`) : new UpstreamError(code ?? 0, `App storage (${what})`);
      await sleep(100 * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}

/** A failed fetch as undici reports one (`TypeError: fetch failed`), or an abort or timeout. */
function networkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (['AbortError', 'TimeoutError', 'FetchError'].includes(error.name)) return true;
  return error instanceof TypeError && /fetch failed|network|socket|ECONN|ETIMEDOUT|EAI_AGAIN/i.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`);
}
