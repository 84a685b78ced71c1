/**
 * Command-line pieces for the platform controls (kept apart from cli.ts, which only delegates):
 *   ratelimit jira 100/s [--burst 150] [--per-issue-writes 5/s] [--quota 65000/h] | ratelimit off | ratelimit
 *   queues rate 100/min | queues delay 2s | queues normal | queues
 *   invocations [clear]
 * and the `--for 8s` / `--probability 0.3` options of `fault`.
 */
import type { FaultRule } from './control/faults';

type Post = (route: string, body?: unknown, method?: string) => Promise<void>;

export const PLATFORM_HELP = `
Platform limits and instrumentation:
  fault kvs 503 --for 8s                 a fault that lasts 8 s of real time (any fault takes --for)
  fault kvs 429 --probability 0.3        affects about 30% of matching requests
  ratelimit jira 100/s [--burst 150] [--per-issue-writes 5/s] [--quota 65000/h]
                                         Jira Cloud's limits on the app's Jira requests (429 + Retry-After,
                                         X-RateLimit-*, RateLimit-Reason); per-issue writes default to 20/2s and 100/30s
  ratelimit off | ratelimit              turn it off | show settings and 429 counts
  queues rate 100/min | queues delay 2s | queues normal | queues
                                         queue push limit (Forge: 500/min), an extra delivery delay, defaults, counters
  events scale 0.001                     shrink product-event retry waits (retryAfter up to 900 s)
  invocations | invocations clear        summary of recorded invocations and their platform calls | forget them
`;

export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`Not a duration: ${text} (try 500ms, 8s, 2m)`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'];
}

/** `100/s`, `6000/min`, `65000/h` → a count per that unit; a bare number is per `unit`. */
export function parseRate(text: string, unit: 's' | 'min' | 'h'): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/(s|sec|min|m|h|hour))?$/.exec(text.trim());
  if (!m) throw new Error(`Not a rate: ${text} (try 100/s, 500/min, 65000/h)`);
  const per = { s: 1, sec: 1, min: 60, m: 60, h: 3600, hour: 3600 }[(m[2] ?? unit) as 's'];
  return (Number(m[1]) / per) * { s: 1, min: 60, h: 3600 }[unit];
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The fault options added with time windows: `--for 8s`, `--probability 0.3`. */
export function applyFaultFlags(rule: FaultRule, args: string[]): FaultRule {
  const forText = flag(args, 'for');
  if (forText) rule.forMs = parseDurationMs(forText);
  const probability = flag(args, 'probability');
  if (probability !== undefined) {
    const p = Number(probability);
    if (!(p >= 0 && p <= 1)) throw new Error(`--probability takes a number from 0 to 1, not ${probability}`);
    rule.probability = p;
  }
  return rule;
}

/** Runs a platform command; false when `cmd` is not one of them. */
export async function platformCommand(args: string[], post: Post): Promise<boolean> {
  const [cmd, a, b] = args;
  if (cmd === 'ratelimit') {
    if (a === undefined) await post('ratelimit', undefined, 'GET');
    else if (a === 'off') await post('ratelimit/jira', undefined, 'DELETE');
    else if (a === 'jira' && b) {
      const perIssue = flag(args, 'per-issue-writes');
      const quota = flag(args, 'quota');
      await post('ratelimit/jira', {
        requestsPerSecond: parseRate(b, 's'),
        ...(flag(args, 'burst') ? { burst: Number(flag(args, 'burst')) } : {}),
        ...(perIssue ? { perIssueWritesPerSecond: parseRate(perIssue, 's') } : {}),
        ...(quota ? { quotaPerHour: parseRate(quota, 'h') } : {}),
      });
    } else throw new Error('Usage: ratelimit jira 100/s [--burst N] [--per-issue-writes N/s] [--quota N/h] | ratelimit off');
    return true;
  }
  if (cmd === 'queues') {
    if (a === undefined) await post('queues', undefined, 'GET');
    else if (a === 'rate' && b) await post('queues', { eventsPerMinute: parseRate(b, 'min') });
    else if (a === 'delay' && b) await post('queues', { queueDelayMs: parseDurationMs(b) });
    else if (a === 'normal') await post('queues', { eventsPerMinute: 500, queueDelayMs: 0, delayScale: 1 });
    else throw new Error('Usage: queues rate 500/min | queues delay 2s | queues normal');
    return true;
  }
  if (cmd === 'events' && a === 'scale' && b) {
    await post('delivery', { delayScale: Number(b) });
    return true;
  }
  if (cmd === 'invocations') {
    await post('invocations', undefined, a === 'clear' ? 'DELETE' : 'GET');
    return true;
  }
  return false;
}
