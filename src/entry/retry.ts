/**
 * When a trigger or consumer should ask Forge to run it again. Atlassian documents retries for a
 * function that RETURNS an InvocationError (product events: up to four times, `retryAfter` at most
 * 900 s; queue consumers likewise), not for one that throws: so entry points catch, and return one for
 * failures that a later attempt can fix (rate limits, outages, a refused queue push, a lost race).
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { ContinuityError, RateLimitedError } from '../domain/errors';
import { QueueRefusedError } from '../ports';

/** Forge's cap on `retryAfter`. */
export const MAX_RETRY_AFTER_SECONDS = 900;
/** Product events are retried at most four times. */
export const MAX_RETRIES = 4;

/** 30 s, 60 s, 120 s, 240 s (with jitter): together longer than a short storage or Jira outage. */
export function backoffSeconds(retryCount: number): number {
  const base = 30 * 2 ** Math.min(retryCount, 5);
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.round(base * (0.8 + Math.random() * 0.4)));
}

export function isTransient(error: unknown): boolean {
  if (error instanceof QueueRefusedError) return true;
  return error instanceof ContinuityError && (error.code === 'RATE_LIMITED' || error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'CONFLICT');
}

/**
 * An InvocationError asking for a retry: after the product's Retry-After when it gave one (with up to
 * 30 % jitter, so the many incidents it refused together do not come back together), else after the
 * backoff.
 */
export function retryLater(error: unknown, retryCount: number, data?: Record<string, unknown>): InvocationError {
  const asked = error instanceof RateLimitedError ? error.retryAfterSeconds : error instanceof QueueRefusedError ? error.retryAfterSeconds : undefined;
  const limited = error instanceof RateLimitedError || (error instanceof QueueRefusedError && asked !== undefined);
  const wait = asked !== undefined && asked > 0 ? Math.ceil(asked * (1 + Math.random() * 0.3)) : backoffSeconds(retryCount);
  return new InvocationError({
    retryAfter: Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, wait)),
    retryReason: limited ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED : InvocationErrorCode.FUNCTION_RETRY_REQUEST,
    ...(data ? { retryData: data } : {}),
  });
}
