/**
 * Control-API routes for Confluence as an optional app of the installation (mounted by control-api.ts):
 *   GET  confluence               { connected }
 *   POST confluence/connection    { connected: boolean }: connect or disconnect the app from Confluence
 *   POST confluence/insert-macro  { pageId, moduleKey, accountId? }: a person inserts one of the app's macros
 *                                 into a page (what the editor's macro browser does), saved as a new version
 * Disconnected, the app's Confluence calls fail and its modules leave Confluence's pages (workbench.ts
 * `confluenceConnected` says how); people keep using Confluence, and Jira is untouched.
 */
import { randomUUID } from 'node:crypto';
import type { Workbench } from '../workbench';
import type { ProductRequest } from '../products/types';
import { DEFAULT_USER } from '../products/users';
import type { ControlAnswer } from './platform-controls';
import { macroNode } from './confluence-page';

export function confluenceControl(wb: Workbench, method: string, route: string, body: Record<string, any> | undefined): ControlAnswer | undefined {
  if (route === 'confluence' && method === 'GET') return { status: 200, body: { connected: wb.confluenceConnected } };
  if (route === 'confluence/connection' && method === 'POST') {
    if (typeof body?.connected !== 'boolean') return { status: 400, body: { error: 'confluence/connection takes { connected: true | false }' } };
    wb.confluenceConnected = body.connected;
    return { status: 200, body: { connected: wb.confluenceConnected } };
  }
  return undefined;
}

function asPerson(accountId: string, method: string, path: string, body?: unknown): ProductRequest {
  const url = new URL(path, 'http://workbench.local');
  return { method, path: url.pathname, query: url.searchParams, headers: { 'content-type': 'application/json' }, body, rawBody: body === undefined ? undefined : JSON.stringify(body), principal: { kind: 'user', accountId } };
}

/**
 * Inserts the app's macro into a page as `accountId` would in the editor: under the Objectives heading
 * when the page has one (where the plan template says to put it), else at the top; saved through
 * Confluence's REST API as that person, so the page event is theirs.
 */
export async function insertMacro(wb: Workbench, body: Record<string, any> | undefined): Promise<ControlAnswer> {
  const pageId = String(body?.pageId ?? '');
  const module = wb.manifest.uiModules.find((m) => m.type === 'macro' && m.key === body?.moduleKey);
  if (!/^\d+$/.test(pageId) || !module) return { status: 400, body: { error: 'insert-macro takes { pageId, moduleKey } of one of the app\'s macros' } };
  if (!wb.confluenceConnected) return { status: 409, body: { error: 'The app is not connected to Confluence: its macros cannot be inserted.' } };
  const accountId = typeof body?.accountId === 'string' ? body.accountId : DEFAULT_USER.accountId;
  const got = await wb.dispatchProduct('confluence', asPerson(accountId, 'GET', `/wiki/api/v2/pages/${pageId}?body-format=atlas_doc_format`));
  if (got.status !== 200) return { status: got.status, body: got.body };
  const page = got.body as { id: string; title: string; version: { number: number }; body: { atlas_doc_format: { value: string } } };
  const doc = JSON.parse(page.body.atlas_doc_format.value) as { content: Array<Record<string, any>> };
  const node = macroNode(wb, module.key, module.title ?? module.key, randomUUID());
  const objectives = doc.content.findIndex((n) => n.type === 'heading' && JSON.stringify(n.content ?? []).toLowerCase().includes('objectives'));
  doc.content.splice(objectives >= 0 ? objectives + 1 : 0, 0, node);
  const put = await wb.dispatchProduct(
    'confluence',
    asPerson(accountId, 'PUT', `/wiki/api/v2/pages/${pageId}`, { id: pageId, status: 'current', title: page.title, version: { number: page.version.number + 1, message: `Inserted ${module.title ?? module.key}` }, body: { representation: 'atlas_doc_format', value: JSON.stringify(doc) } }),
  );
  return { status: put.status, body: put.status === 200 ? { inserted: module.key, version: page.version.number + 1 } : put.body };
}
