/** Starts a real workbench (in memory, demo data seeded) for integration and browser tests. */
import path from 'node:path';
import { Workbench, type WorkbenchOptions } from '../../workbench/workbench';
import { DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { ProductRequest } from '../../workbench/products/types';

export const ROOT = path.resolve(__dirname, '../..');

export async function startWorkbench(opts: Partial<WorkbenchOptions> = {}): Promise<{ wb: Workbench; url: string }> {
  // Retry waits (Forge's 30 s, 900 s) run a thousand times faster, so tests see retries without waiting minutes.
  const wb = new Workbench({ root: ROOT, seed: true, delivery: { retryDelayMs: 20, delayScale: 0.001 }, queues: { delayScale: 0.001 }, ...opts });
  const url = await wb.start();
  await wb.idle();
  return { wb, url };
}

export const VIEWER = USERS.find((u) => !u.canEdit)!;

/** A REST call straight into a local product, as a user (default: the demo agent). */
export async function call(wb: Workbench, product: 'jira' | 'confluence', method: string, p: string, body?: unknown, accountId = DEFAULT_USER.accountId) {
  const url = new URL(p, 'http://workbench.local');
  const req: ProductRequest = { method, path: url.pathname, query: url.searchParams, headers: { 'content-type': 'application/json' }, body, rawBody: body === undefined ? undefined : JSON.stringify(body), principal: { kind: 'user', accountId } };
  return wb.dispatchProduct(product, req);
}

/** Creates an incident through Jira's REST API, as a person would, and waits for the app to react. */
export async function createIncident(wb: Workbench, fields: { summary: string; priorityId: string; services?: string[]; major?: boolean; requestType?: string }) {
  const ids = wb.jira.fieldIds();
  const jsm = wb.jira.services();
  const body: Record<string, unknown> = {
    project: { key: 'OPS' },
    issuetype: { name: 'Incident' },
    summary: fields.summary,
    priority: { id: fields.priorityId },
  };
  if (fields.services) body[ids.affectedServices] = fields.services.map((name) => ({ id: jsm.find((s) => s.name === name)!.id }));
  if (fields.requestType) body[ids.requestType] = wb.jira.requestTypes().find((t) => t.name === fields.requestType)!.id;
  const res = await call(wb, 'jira', 'POST', '/rest/api/3/issue', { fields: body });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  await wb.idle();
  return res.body as { id: string; key: string };
}

/** Edits an issue through Jira's REST API, as a person would, and waits for the app to react. */
export async function editIssue(wb: Workbench, key: string, fields: Record<string, unknown>) {
  const res = await call(wb, 'jira', 'PUT', `/rest/api/3/issue/${key}`, { fields });
  if (res.status !== 204) throw new Error(`edit failed: ${res.status} ${JSON.stringify(res.body)}`);
  await wb.idle();
}

export async function panelFor(wb: Workbench, issue: { id: string; key: string }, accountId = DEFAULT_USER.accountId) {
  return wb.runtime.invokeResolver(
    'continuity-issue-panel',
    { functionKey: 'issue-panel/load' },
    { extension: { type: 'jira:issuePanel', issue: { id: issue.id, key: issue.key, type: 'Incident' }, project: { key: 'OPS' } }, moduleKey: 'continuity-issue-panel' },
    accountId,
  ) as Promise<any>;
}

/** Calls one of the issue panel's resolvers as a user, with the issue in the module context. */
export async function panelCall(wb: Workbench, issue: { id: string; key: string }, functionKey: string, payload: unknown, accountId = DEFAULT_USER.accountId) {
  return wb.runtime.invokeResolver(
    'continuity-issue-panel',
    { functionKey, payload },
    { extension: { type: 'jira:issuePanel', issue: { id: issue.id, key: issue.key, type: 'Incident' }, project: { key: 'OPS' } }, moduleKey: 'continuity-issue-panel', siteUrl: wb.siteUrl },
    accountId,
  ) as Promise<any>;
}

export async function comments(wb: Workbench, key: string) {
  const res = await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}/comment?expand=properties`);
  return (res.body as { comments: Array<{ id: string; body: any; properties?: Array<{ key: string; value: any }> }> }).comments;
}

export async function issueProperty(wb: Workbench, key: string) {
  const res = await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}/properties/service-continuity`);
  return res.status === 200 ? (res.body as { value: any }).value : undefined;
}

/** All text of an ADF document, for assertions. */
export function adfText(node: any): string {
  if (!node) return '';
  if (node.type === 'text') return node.text;
  if (node.type === 'mention') return `@${node.attrs?.id}`;
  return (node.content ?? []).map(adfText).join(node.type === 'doc' ? '\n' : '');
}

/**
 * The id of an invocation's step, found by its wording: the demo's plans are read back from their pages,
 * whose reader gives each step an id from its words.
 */
export function stepId(inv: { steps: Array<{ id: string; title: string }> }, title: string): string {
  const step = inv.steps.find((s) => s.title === title);
  if (!step) throw new Error(`no step "${title}" in ${inv.steps.map((s) => s.title).join(' | ')}`);
  return step.id;
}

/** The id of an invocation's communication template, by its name (ids come from the plan page too). */
export function templateId(inv: { comms: Array<{ templateId: string; name: string }> }, name: string): string {
  const template = inv.comms.find((c) => c.name === name);
  if (!template) throw new Error(`no template "${name}" in ${inv.comms.map((c) => c.name).join(' | ')}`);
  return template.templateId;
}

/** The demo's Payments plan, by the words its steps and templates have on its page. */
export const PAYMENTS = {
  confirm: 'Confirm the outage and declare a major incident',
  failOver: 'Fail payment traffic over to the secondary region',
  internal: 'Internal update',
  public: 'Customer status update',
} as const;

/** The ids of the steps (in order) and templates (by name) of the first plan invoked on `issue`, as its panel has them. */
export async function invokedIds(wb: Workbench, issue: { id: string; key: string }): Promise<{ steps: string[]; templates: Record<string, string> }> {
  const inv = (await panelFor(wb, issue)).data.invocations[0] as { steps: Array<{ id: string }>; comms: Array<{ templateId: string; name: string }> };
  return { steps: inv.steps.map((s) => s.id), templates: Object.fromEntries(inv.comms.map((c) => [c.name, c.templateId])) };
}

/**
 * The issue panel's frame as `accountId` gets it opening the issue view over HTTP: the host binds the
 * frame to that person and that issue, as Jira does, so calls through it are that person's.
 */
export async function panelFrame(url: string, key: string, accountId: string): Promise<string> {
  const html = await (await fetch(`${url}/browse/${key}`, { headers: { cookie: `wb_user=${accountId}` } })).text();
  const token = /data-module="continuity-issue-panel"[\s\S]*?data-frame="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no issue panel frame on the issue view');
  return token;
}

/** A resolver call through the host's bridge over HTTP, a request of its own as the panel's iframe makes it. */
export async function bridgeInvoke(url: string, frame: string, functionKey: string, payload?: unknown): Promise<any> {
  const res = await fetch(`${url}/__forge/bridge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ frame, type: 'invoke', payload: { functionKey, payload } }) });
  return ((await res.json()) as { result: unknown }).result;
}
