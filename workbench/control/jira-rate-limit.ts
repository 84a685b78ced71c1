/**
 * A rate limiter for the app's Jira requests, modelled on Jira Cloud's "Rate limiting" page
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/) and its companion guide
 * (https://developer.atlassian.com/cloud/jira/platform/build-an-app-that-respects-rate-limits/):
 *
 * - Burst limit per second: "a separate token bucket for every API endpoint" per tenant and HTTP method
 *   (`RateLimit-Reason: jira-burst-based`). Here the bucket holds `burst` tokens and refills at
 *   `requestsPerSecond`; endpoints are paths with ids and issue keys collapsed.
 * - Per-issue write limit: writes to one issue in sliding windows, by default the documented 20 writes per
 *   2 s and 100 writes per 30 s (`RateLimit-Reason: jira-per-issue-on-write`).
 * - Optionally an hourly points quota that resets at the top of each UTC hour; every request costs one
 *   point here (Jira adds points per object returned) (`RateLimit-Reason: jira-quota-global-based`).
 *
 * A refused request is answered 429 with `Retry-After` (whole seconds), `X-RateLimit-Limit` (the rate or count
 * of the limit hit), `X-RateLimit-Remaining`, `X-RateLimit-Reset` (ISO 8601 to the second, on the caller's clock)
 * and `RateLimit-Reason`; a
 * served request under 20% of its budget carries `X-RateLimit-NearLimit: true`.
 * Buckets run on a monotonic real-time clock, so moving the workbench clock neither fills nor drains them.
 * Off by default.
 */
import type { ProductResponse } from '../products/types';

export interface IssueWriteWindow {
  limit: number;
  windowMs: number;
}

export interface JiraRateLimitSettings {
  /** Steady refill rate of each endpoint's bucket. */
  requestsPerSecond: number;
  /** Bucket size (the burst allowance); `requestsPerSecond` when absent. */
  burst?: number;
  /** Shorthand for one per-issue window of this many writes a second. */
  perIssueWritesPerSecond?: number;
  /** Per-issue write windows; the documented 20 per 2 s and 100 per 30 s when absent; `[]` turns them off. */
  perIssueWrites?: IssueWriteWindow[];
  /** Points an hour (1 per request), reset at the top of each UTC hour; no quota when absent. */
  quotaPerHour?: number;
}

export const DOCUMENTED_PER_ISSUE_WRITES: IssueWriteWindow[] = [
  { limit: 20, windowMs: 2_000 },
  { limit: 100, windowMs: 30_000 },
];

export interface JiraRateLimitStats {
  /** 429s answered, in total and by RateLimit-Reason. */
  limited: number;
  byReason: Record<string, number>;
  served: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);
const monotonicMs = () => performance.now();

/** `/rest/api/3/issue/OPS-12/comment/10001` → `/rest/api/3/issue/{id}/comment/{id}` (one-digit segments are API versions). */
export function endpointKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.split('?')[0].replace(/\/(?:[A-Za-z][A-Za-z0-9_]*-\d+|\d{2,})(?=\/|$)/g, '/{id}')}`;
}

/** The issue a write goes to: `/rest/api/3/issue/{issueIdOrKey}[/...]` (not `/issue/bulk` or `/issue/createmeta`). */
export function writtenIssue(method: string, path: string): string | undefined {
  if (!WRITE_METHODS.has(method.toUpperCase())) return undefined;
  const m = /^\/rest\/api\/[23]\/issue\/([^/?]+)/.exec(path);
  if (!m || !/^(?:\d+|[A-Za-z][A-Za-z0-9_]*-\d+)$/.test(m[1])) return undefined;
  return m[1].toUpperCase();
}

export class JiraRateLimiter {
  private settings?: JiraRateLimitSettings;
  private buckets = new Map<string, Bucket>();
  private issueWrites = new Map<string, number[]>();
  private quota = { hour: -1, used: 0 };
  readonly stats: JiraRateLimitStats = { limited: 0, byReason: {}, served: 0 };

  /** Turns the limiter on (or changes it); counters are kept, buckets start full. */
  configure(settings: JiraRateLimitSettings): void {
    if (!(settings.requestsPerSecond > 0)) throw new Error('requestsPerSecond must be a positive number');
    if (settings.burst !== undefined && !(settings.burst >= 1)) throw new Error('burst must be at least 1');
    this.settings = { ...settings };
    this.buckets.clear();
    this.issueWrites.clear();
    this.quota = { hour: -1, used: 0 };
  }

  off(): void {
    this.settings = undefined;
    this.buckets.clear();
    this.issueWrites.clear();
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  /** The settings in force (with the per-issue windows resolved), or undefined when off. */
  current(): (JiraRateLimitSettings & { perIssueWrites: IssueWriteWindow[] }) | undefined {
    return this.settings ? { ...this.settings, perIssueWrites: this.windows(this.settings) } : undefined;
  }

  resetStats(): void {
    this.stats.limited = 0;
    this.stats.byReason = {};
    this.stats.served = 0;
  }

  private windows(s: JiraRateLimitSettings): IssueWriteWindow[] {
    if (s.perIssueWrites) return s.perIssueWrites;
    if (s.perIssueWritesPerSecond !== undefined) return s.perIssueWritesPerSecond > 0 ? [{ limit: s.perIssueWritesPerSecond, windowMs: 1_000 }] : [];
    return DOCUMENTED_PER_ISSUE_WRITES;
  }

  /**
   * Takes one request's share of every budget. Answers the 429 to send instead of serving it, or the
   * headers to add to the served response. `nowMs` is the caller's clock, used only in X-RateLimit-Reset.
   */
  admit(method: string, path: string, nowMs: number): { refused: ProductResponse } | { headers: Record<string, string> } {
    const s = this.settings;
    if (!s) return { headers: {} };
    const t = monotonicMs();
    const capacity = s.burst ?? s.requestsPerSecond;

    // Points quota (hourly, top of the UTC hour).
    if (s.quotaPerHour !== undefined) {
      const hour = Math.floor(nowMs / 3_600_000);
      if (hour !== this.quota.hour) this.quota = { hour, used: 0 };
      if (this.quota.used >= s.quotaPerHour) {
        const waitMs = (hour + 1) * 3_600_000 - nowMs;
        return { refused: this.refuse('jira-quota-global-based', waitMs, s.quotaPerHour, nowMs) };
      }
    }

    // Burst: one token bucket per endpoint and method.
    const key = endpointKey(method, path);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * s.requestsPerSecond);
    bucket.at = t;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const waitMs = ((1 - bucket.tokens) / s.requestsPerSecond) * 1000;
      // X-RateLimit-Limit is "the maximum rate for the current scope (RPS for request-rate limits)".
      return { refused: this.refuse('jira-burst-based', waitMs, s.requestsPerSecond, nowMs) };
    }

    // Per-issue writes: sliding windows.
    const issue = writtenIssue(method, path);
    const windows = this.windows(s);
    if (issue && windows.length) {
      const longest = Math.max(...windows.map((w) => w.windowMs));
      const times = (this.issueWrites.get(issue) ?? []).filter((x) => x > t - longest);
      for (const w of windows) {
        const inWindow = times.filter((x) => x > t - w.windowMs);
        if (inWindow.length >= w.limit) {
          const waitMs = inWindow[inWindow.length - w.limit] + w.windowMs - t;
          this.issueWrites.set(issue, times);
          return { refused: this.refuse('jira-per-issue-on-write', waitMs, w.limit, nowMs) };
        }
      }
      times.push(t);
      this.issueWrites.set(issue, times);
    }

    bucket.tokens -= 1;
    if (s.quotaPerHour !== undefined) this.quota.used++;
    this.stats.served++;
    const nearLimit = bucket.tokens < capacity * 0.2 || (s.quotaPerHour !== undefined && this.quota.used > s.quotaPerHour * 0.8);
    return { headers: nearLimit ? { 'x-ratelimit-nearlimit': 'true' } : {} };
  }

  private refuse(reason: string, waitMs: number, limit: number, nowMs: number): ProductResponse {
    this.stats.limited++;
    this.stats.byReason[reason] = (this.stats.byReason[reason] ?? 0) + 1;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return {
      status: 429,
      headers: {
        'retry-after': String(seconds),
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
        // ISO 8601 to the second, as in Jira's examples (`2026-01-01T01:01:01Z`), rounded up.
        'x-ratelimit-reset': new Date(Math.ceil((nowMs + waitMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
        'ratelimit-reason': reason,
      },
      body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
    };
  }
}
