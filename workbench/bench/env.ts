/**
 * A workbench for benchmarks: in process, in memory, demo data seeded, instrumented (see trace.ts).
 * People create incidents and the bench checks Jira through the local products' REST handlers
 * directly: injected faults (latency) and the Jira rate limiter model the APP's way to Jira, so they
 * must not slow the person or the checker down.
 */
import { Workbench } from '../workbench';
import { APP_USER, DEFAULT_USER, USERS, type WorkbenchUser } from '../products/users';
import type { ProductRequest, ProductResponse } from '../products/types';
import { COMMENT_MARKER_KEY, ISSUE_PROPERTY_KEY } from '../../src/domain/idempotency';
import { KvsContinuityStore } from '../../src/adapters/kvs-store';
import { realNow } from '../runtime/invocation-records';
import { Trace } from './trace';

export interface BenchWorkbench {
  wb: Workbench;
  url: string;
  trace: Trace;
  stop(): Promise<void>;
}

export async function startBenchWorkbench(root: string): Promise<BenchWorkbench> {
  let trace: Trace | undefined;
  const wb = new Workbench({ root, seed: true, delivery: { retryDelayMs: 20 }, onLog: (e) => trace?.onLog(e) });
  trace = new Trace(wb);
  // Listening on a free port (the browser needs it); start() also seeds the demo.
  const url = await wb.start();
  await wb.idle();
  return {
    wb,
    url,
    trace,
    stop: async () => {
      wb.faults.clear();
      wb.jiraRateLimit.off();
      await wb.stop();
    },
  };
}

export function request(method: string, path: string, body?: unknown, accountId = DEFAULT_USER.accountId): ProductRequest {
  const url = new URL(path, 'http://workbench.local');
  return { method, path: url.pathname, query: url.searchParams, headers: { 'content-type': 'application/json' }, body, rawBody: body === undefined ? undefined : JSON.stringify(body), principal: { kind: 'user', accountId } };
}

/** A person's (or the checker's) REST call to local Jira: no injected faults, no app rate limit. */
export function jiraRest(wb: Workbench, method: string, path: string, body?: unknown, accountId?: string): Promise<ProductResponse> {
  return wb.jira.handle(request(method, path, body, accountId));
}

export interface CreatedIncident {
  id: string;
  key: string;
  /** Real epoch ms (the invocation records' time base) just before the create request. */
  createdAt: number;
}

/** Creates a P1 incident through Jira's REST API as the demo agent; services by JSM name, or labels. */
export async function createP1(wb: Workbench, summary: string, match: { jsmService?: string; label?: string }): Promise<CreatedIncident> {
  const ids = wb.jira.fieldIds();
  const fields: Record<string, unknown> = { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary, priority: { id: '1' } };
  if (match.jsmService) fields[ids.affectedServices] = [{ id: wb.jira.services().find((s) => s.name === match.jsmService)!.id }];
  if (match.label) fields.labels = [match.label];
  const createdAt = realNow();
  const res = await jiraRest(wb, 'POST', '/rest/api/3/issue', { fields });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  const { id, key } = res.body as { id: string; key: string };
  return { id, key, createdAt };
}

export interface JiraState {
  remoteLinks: number;
  /** Comments carrying the app's marker for an invocation comment. */
  invocationComments: number;
  /** Every comment the app's account wrote (a comment posted without its marker would show here). */
  appComments: number;
  openInvocations?: number;
}

/** What Jira shows of the app's work on one incident, read through its REST API. */
export async function jiraState(wb: Workbench, key: string): Promise<JiraState> {
  const [links, comments, property] = await Promise.all([
    jiraRest(wb, 'GET', `/rest/api/3/issue/${key}/remotelink`),
    jiraRest(wb, 'GET', `/rest/api/3/issue/${key}/comment?expand=properties&maxResults=5000`),
    jiraRest(wb, 'GET', `/rest/api/3/issue/${key}/properties/${ISSUE_PROPERTY_KEY}`),
  ]);
  const list = (comments.body as { comments?: Array<{ author?: { accountId?: string }; properties?: Array<{ key: string; value: { kind?: string } }> }> }).comments ?? [];
  return {
    remoteLinks: Array.isArray(links.body) ? links.body.length : 0,
    invocationComments: list.filter((c) => c.properties?.some((p) => p.key === COMMENT_MARKER_KEY && p.value?.kind === 'invoked')).length,
    appComments: list.filter((c) => c.author?.accountId === APP_USER.accountId).length,
    openInvocations: property.status === 200 ? (property.body as { value?: { openInvocations?: number } }).value?.openInvocations : undefined,
  };
}

export const fullyLinked = (s: JiraState) => s.remoteLinks >= 1 && s.invocationComments >= 1 && (s.openInvocations ?? 0) >= 1;

/** Polls Jira until the incident is fully linked; answers the real epoch ms it was first seen so. */
export async function waitFullyLinked(wb: Workbench, key: string, timeoutMs = 60_000, everyMs = 5): Promise<number> {
  const until = realNow() + timeoutMs;
  for (;;) {
    if (fullyLinked(await jiraState(wb, key))) return realNow();
    if (realNow() > until) throw new Error(`${key} was not fully linked within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Records still waiting in the outbox (read from storage outside any invocation, as the seed writes). */
export async function outboxSize(): Promise<number> {
  const store = new KvsContinuityStore();
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await store.outboxRecords(1, Number.MAX_SAFE_INTEGER, cursor);
    n += page.items.length;
    cursor = page.cursor;
  } while (cursor);
  return n;
}

/**
 * The workbench knows three people, two of whom may edit; the panel figure needs five different people
 * acting on one incident. These three join the workbench's directory for the bench's process only.
 */
export const BENCH_PEOPLE: WorkbenchUser[] = [
  { accountId: '5b10bench0000000000000001', displayName: 'Robin Responder', emailAddress: 'robin.responder@example.com', jiraAdmin: false, canEdit: true, groups: [] },
  { accountId: '5b10bench0000000000000002', displayName: 'Sam Site-Reliability', emailAddress: 'sam.sre@example.com', jiraAdmin: false, canEdit: true, groups: [] },
  { accountId: '5b10bench0000000000000003', displayName: 'Dana Database', emailAddress: 'dana.database@example.com', jiraAdmin: false, canEdit: true, groups: [] },
];

export function addBenchPeople(): WorkbenchUser[] {
  const directory = USERS as WorkbenchUser[];
  for (const p of BENCH_PEOPLE) if (!directory.some((u) => u.accountId === p.accountId)) directory.push(p);
  return [...directory.filter((u) => u.canEdit)];
}
