/**
 * Helpers for tests that drive the local Jira through `handle()`: a settable clock, a seeded service
 * that records its events, and one-line request builders (`call(jira, 'GET', '/rest/api/3/...')`).
 */
import type { Principal, ProductEvent, ProductResponse } from '../types';
import { APP_USER, DEFAULT_USER, USERS, type WorkbenchUser } from '../users';
import type { IndexedPropertyDef } from './jql';
import { JiraService } from './service';

export class TestClock {
  constructor(public ms = Date.UTC(2026, 10, 22, 3, 13, 43)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const SITE_URL = 'http://localhost:4411';
export const AGENT = DEFAULT_USER;
export const CASEY = USERS[1];
export const VIEWER = USERS[2];
export const APP = APP_USER;

export interface TestJira {
  jira: JiraService;
  clock: TestClock;
  events: ProductEvent[];
}

export function makeJira(opts: { file?: string; indexedProperties?: IndexedPropertyDef[]; seed?: boolean } = {}): TestJira {
  const clock = new TestClock();
  const events: ProductEvent[] = [];
  const jira = new JiraService({ file: opts.file, clock, siteUrl: SITE_URL, onEvent: (e) => events.push(e), indexedProperties: opts.indexedProperties });
  if (opts.seed !== false) jira.seedBase();
  return { jira, clock, events };
}

function principalOf(as: WorkbenchUser): Principal {
  return as === APP_USER ? { kind: 'app' } : { kind: 'user', accountId: as.accountId };
}

/** Calls `handle()`; `path` may carry a query string. A string `body` is sent raw (malformed JSON tests). */
export async function call(jira: JiraService, method: string, path: string, body?: unknown, as: WorkbenchUser = AGENT): Promise<ProductResponse & { body: any }> {
  const url = new URL(path, SITE_URL);
  let parsed: unknown = body;
  let rawBody: string | undefined;
  if (typeof body === 'string') {
    rawBody = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  } else if (body !== undefined) rawBody = JSON.stringify(body);
  const res = await jira.handle({ method, path: url.pathname, query: url.searchParams, headers: {}, body: parsed, rawBody, principal: principalOf(as) });
  return res as ProductResponse & { body: any };
}

/** An ADF document with one paragraph. */
export function adf(text: string): Record<string, unknown> {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/** Creates an issue and returns its key (fails the test on anything but 201). */
export async function createIssue(jira: JiraService, fields: Record<string, unknown>, as: WorkbenchUser = AGENT, extra: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const res = await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, ...fields }, ...extra }, as);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
