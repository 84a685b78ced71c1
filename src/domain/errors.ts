/** Typed failures the services raise; entry points map them to the contract's error envelope. */
import type { ErrorCode, ResolverError } from '../contract/errors';

export class ContinuityError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Further fields at fault (a form's other refusals), each with its own words. */
    readonly others?: ReadonlyArray<{ field: string; message: string }>,
  ) {
    super(message);
    this.name = 'ContinuityError';
  }

  toResolverError(): ResolverError {
    const error: ResolverError = this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message };
    return this.others && this.others.length > 0 ? { ...error, others: [...this.others] } : error;
  }
}

export const notFound = (what: string, field?: string) => new ContinuityError('NOT_FOUND', `${what} not found.`, field);
export const invalidInput = (message: string, field?: string, others?: ReadonlyArray<{ field: string; message: string }>) => new ContinuityError('INVALID_INPUT', message, field, others);
export const forbidden = (message: string) => new ContinuityError('FORBIDDEN', message);
export const conflict = (message: string, field?: string) => new ContinuityError('CONFLICT', message, field);

/** A product API said "slow down" and retries ran out; safe to retry later (nothing half-written). */
export class RateLimitedError extends ContinuityError {
  constructor(readonly retryAfterSeconds: number | undefined, what: string) {
    super('RATE_LIMITED', `${what} is rate limited; try again${retryAfterSeconds ? ` in ${retryAfterSeconds} s` : ' shortly'}.`);
  }
}

export class UpstreamError extends ContinuityError {
  constructor(readonly status: number, what: string) {
    super('UPSTREAM_UNAVAILABLE', `${what} failed with HTTP ${status}.`);
  }
}

/** The app is not connected to Confluence on this site: plan pages need it, incidents and the catalogue do not. */
export class ConfluenceNotConnectedError extends ContinuityError {
  constructor() {
    super('CONFLUENCE_NOT_CONNECTED', 'Confluence must be connected to this app for plan pages: ask a site administrator to connect Confluence to Service Continuity in Atlassian Administration. Incidents and the service catalogue keep working without it.');
  }
}
