/**
 * Control-API routes for the platform's limits and instrumentation (mounted by control-api.ts):
 *   GET    ratelimit                 the Jira rate limiter's settings (null when off) and its 429 counts
 *   POST   ratelimit/jira            { requestsPerSecond, burst?, perIssueWritesPerSecond?, perIssueWrites?, quotaPerHour? }
 *   DELETE ratelimit/jira            turns it off
 *   GET    queues | POST queues      queue settings (eventsPerMinute, delayScale, queueDelayMs, ...) and counters
 *   GET    invocations               a summary of the recorded invocations (`?records=1` adds the records)
 *   DELETE invocations               forgets them
 */
import type { Workbench } from '../workbench';

export type ControlAnswer = { status: number; body: unknown };

export function platformControl(wb: Workbench, method: string, route: string, body: Record<string, any> | undefined, query?: URLSearchParams): ControlAnswer | undefined {
  const ok = (b: unknown): ControlAnswer => ({ status: 200, body: b });
  const rateLimit = () => ({ jira: wb.jiraRateLimit.current() ?? null, stats: wb.jiraRateLimit.stats });
  if (route === 'ratelimit' && method === 'GET') return ok(rateLimit());
  if (route === 'ratelimit/jira') {
    if (method === 'DELETE' || (method === 'POST' && body?.off)) {
      wb.jiraRateLimit.off();
      return ok(rateLimit());
    }
    if (method === 'POST') {
      try {
        wb.jiraRateLimit.configure({
          requestsPerSecond: Number(body?.requestsPerSecond),
          ...(body?.burst !== undefined ? { burst: Number(body.burst) } : {}),
          ...(body?.perIssueWritesPerSecond !== undefined ? { perIssueWritesPerSecond: Number(body.perIssueWritesPerSecond) } : {}),
          ...(Array.isArray(body?.perIssueWrites) ? { perIssueWrites: body!.perIssueWrites } : {}),
          ...(body?.quotaPerHour !== undefined ? { quotaPerHour: Number(body.quotaPerHour) } : {}),
        });
      } catch (error) {
        return { status: 400, body: { error: (error as Error).message } };
      }
      return ok(rateLimit());
    }
  }
  if (route === 'queues' && (method === 'GET' || method === 'POST')) {
    if (method === 'POST') wb.queues.configure(body ?? {});
    return ok({ settings: wb.queues.settings, stats: wb.queues.stats, eventsInLastMinute: wb.queues.eventsInLastMinute() });
  }
  if (route === 'invocations') {
    if (method === 'DELETE') {
      wb.runtime.invocationRecords.clear();
      return ok({ cleared: true });
    }
    if (method === 'GET') {
      const records = wb.runtime.invocationRecords();
      return ok({ summary: wb.runtime.invocationRecords.summarise(records), ...(query?.get('records') ? { records } : {}) });
    }
  }
  return undefined;
}
