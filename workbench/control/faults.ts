/**
 * Per-product fault injection: added latency, 429 (with Retry-After, with X-RateLimit-Reset, or with
 * neither), 5xx, and timeouts. Rules apply, in order, to the app's requests to a product: those its
 * functions make through the Forge runtime (`@forge/api`'s requestJira and requestConfluence, storage)
 * and its Custom UI's through the bridge. People's browsers on the host pages and test clients over
 * HTTP are served as usual unless a rule says `callers: 'all'`, so a fault tests the app's path and
 * is not used up by someone raising an incident in the host's form. A rule with `count` wears out
 * after that many hits (the listing says how many remain, and drops it once none do), a rule with
 * `forMs` after that much real time (a monotonic clock: setting or advancing the workbench clock does
 * not move it).
 */
export type FaultProduct = 'jira' | 'confluence' | 'kvs';

/** Who makes a request: the app (through the Forge runtime or its bridge), or a person or test client over HTTP. */
export type FaultCaller = 'app' | 'person';

export interface FaultRule {
  product: FaultProduct;
  /** Only requests whose path starts with this (e.g. `/rest/api/3/issue`). */
  pathPrefix?: string;
  /** Only requests whose path ends with this (e.g. `/comment`, whatever the issue). */
  pathSuffix?: string;
  /** Added before the request is served. */
  latencyMs?: number;
  /** Answer with this status instead of serving the request. */
  status?: number;
  /** For 429: the Retry-After header in seconds; `rateLimitReset` sends X-RateLimit-Reset instead. */
  retryAfterSeconds?: number;
  rateLimitReset?: boolean;
  /** Hang, then fail as a network timeout after `timeoutMs` (default 10 s). */
  timeout?: boolean;
  timeoutMs?: number;
  /**
   * Serve the request first, then lose its answer (replace it with the fault's status or timeout): the
   * write happened but the caller cannot know. Only a caller that checks before retrying avoids a duplicate.
   */
  afterServe?: boolean;
  /** Only requests with this HTTP method. */
  method?: string;
  /** How many matching requests this rule affects; unlimited when absent. */
  count?: number;
  /** Probability (0..1) that a matching request is affected; 1 when absent. */
  probability?: number;
  /** How long the rule lasts from when it is added, in real milliseconds ("KVS answers 503 for 8 s"). */
  forMs?: number;
  /**
   * Whose requests the rule affects: 'app' (the default) only the app's; 'all' also people's browsers
   * on the host pages and test clients over HTTP.
   */
  callers?: 'app' | 'all';
}

/** A rule as listed: whose requests it affects, how many hits remain (with `count`), how long it lasts (with `forMs`). */
export type ListedFault = FaultRule & { callers: 'app' | 'all'; remaining?: number; remainingMs?: number };

/** Real elapsed time, unaffected by the workbench clock (which replaces `Date`). */
const monotonicMs = () => performance.now();

type ArmedRule = FaultRule & { callers: 'app' | 'all'; hits: number; expiresAt?: number };

function armed(rule: FaultRule): ArmedRule {
  return { ...rule, callers: rule.callers ?? 'app', hits: 0, ...(rule.forMs !== undefined ? { expiresAt: monotonicMs() + rule.forMs } : {}) };
}

export class RequestTimeoutError extends Error {
  constructor(readonly product: FaultProduct) {
    super(`Request to ${product} timed out (injected fault)`);
    this.name = 'RequestTimeoutError';
  }
}

export interface FaultOutcome {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export class Faults {
  private rules: ArmedRule[] = [];
  readonly injected: Record<FaultProduct, number> = { jira: 0, confluence: 0, kvs: 0 };

  add(rule: FaultRule): void {
    this.rules.push(armed(rule));
  }

  set(rules: FaultRule[]): void {
    this.rules = rules.map(armed);
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The rules in force (worn-out and expired rules are dropped), each with whose requests it affects,
   * `remaining` (hits left) when it has `count` and `remainingMs` when it has `forMs`.
   */
  list(): ListedFault[] {
    this.dropExpired();
    const now = monotonicMs();
    return this.rules.map(({ hits, expiresAt, ...r }) => ({
      ...r,
      ...(r.count !== undefined ? { remaining: Math.max(0, r.count - hits) } : {}),
      ...(expiresAt !== undefined ? { remainingMs: Math.max(0, Math.round(expiresAt - now)) } : {}),
    }));
  }

  private dropExpired(): void {
    const now = monotonicMs();
    const over = (r: ArmedRule) => (r.expiresAt !== undefined && r.expiresAt <= now) || (r.count !== undefined && r.hits >= r.count);
    if (this.rules.some(over)) this.rules = this.rules.filter((r) => !over(r));
  }

  /**
   * Applies the first matching rule: waits for latency, then either lets the request through
   * (returns undefined), answers with a fault response, or throws a timeout. `caller` says whose
   * request it is: a person's is affected only by rules for all callers.
   */
  async apply(product: FaultProduct, method: string, path: string, now: number, phase: 'before' | 'after' = 'before', caller: FaultCaller = 'app'): Promise<FaultOutcome | undefined> {
    this.dropExpired();
    for (const rule of this.rules) {
      if (rule.product !== product) continue;
      if (caller !== 'app' && rule.callers !== 'all') continue;
      if ((rule.afterServe === true) !== (phase === 'after')) continue;
      if (rule.pathPrefix && !path.startsWith(rule.pathPrefix)) continue;
      if (rule.pathSuffix && !path.endsWith(rule.pathSuffix)) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.count !== undefined && rule.hits >= rule.count) continue;
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      rule.hits++;
      if (rule.latencyMs) await new Promise((r) => setTimeout(r, rule.latencyMs));
      if (rule.timeout) {
        this.injected[product]++;
        await new Promise((r) => setTimeout(r, rule.timeoutMs ?? 10_000));
        throw new RequestTimeoutError(product);
      }
      if (rule.status) {
        this.injected[product]++;
        const headers: Record<string, string> = {};
        if (rule.status === 429 && rule.retryAfterSeconds !== undefined) headers['retry-after'] = String(rule.retryAfterSeconds);
        if (rule.status === 429 && rule.rateLimitReset) headers['x-ratelimit-reset'] = new Date(now + (rule.retryAfterSeconds ?? 1) * 1000).toISOString();
        const body =
          product === 'confluence'
            ? { errors: [{ status: rule.status, code: rule.status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVICE_UNAVAILABLE', title: 'Injected fault', detail: null }] }
            : product === 'kvs'
              ? { code: rule.status === 429 ? 'RATE_LIMIT_EXCEEDED' : 'INTERNAL_SERVER_ERROR', message: 'Injected fault' }
              : { errorMessages: [rule.status === 429 ? 'Rate limit exceeded.' : 'Internal server error.'], errors: {} };
        return { status: rule.status, headers, body };
      }
      return undefined; // latency only
    }
    return undefined;
  }
}
