/**
 * Builds the issue view from the local Jira as the signed-in person (straight to the service, as
 * Jira's own pages are not subject to the REST faults the controls inject): the issue, its comments (for
 * Activity) and the app's modules. Which issue panels were added to an issue and which issue contexts
 * a person expanded live in two cookies, set by host.js:
 *   wb_panels   `<issueKey>~<moduleKey>` entries, `|`-separated (Jira keeps added panels on the issue)
 *   wb_expanded `<accountId>~<moduleKey>` entries (Jira remembers expansion per person)
 */
import type { Workbench } from '../workbench';
import { findUser } from '../products/users';
import type { ProductRequest } from '../products/types';
import { adfToSafeHtml } from '../host/adf-html';
import { issueView, type ActivityComment, type IssueContextFrame, type IssuePanelFrame } from '../host/issue-view';
import type { Chrome } from '../host/pages';
import type { FrameRegistry } from './bridge';
import { dynamicProperties, moduleFrames } from './module-frames';

export const PANELS_COOKIE = 'wb_panels';
export const EXPANDED_COOKIE = 'wb_expanded';

export function cookieEntries(value: string | undefined): Set<string> {
  return new Set((value ?? '').split('|').filter(Boolean));
}

function asUser(accountId: string, method: string, p: string): ProductRequest {
  const url = new URL(p, 'http://workbench.local');
  return { method, path: url.pathname, query: url.searchParams, headers: {}, body: undefined, principal: { kind: 'user', accountId } };
}

const mentionName = (id: string) => findUser(id)?.displayName;

export function serviceNames(wb: Workbench, value: unknown): string {
  if (!Array.isArray(value)) return '';
  const all = wb.jira.services();
  return value.map((v: { id?: string; name?: string }) => v.name ?? all.find((s) => s.id === v.id)?.name ?? v.id).join(', ');
}

async function activity(wb: Workbench, accountId: string, key: string): Promise<{ comments: ActivityComment[]; error?: string }> {
  const res = await wb.jira.handle(asUser(accountId, 'GET', `/rest/api/3/issue/${encodeURIComponent(key)}/comment?expand=properties&orderBy=-created`));
  if (res.status !== 200) return { comments: [], error: `Jira answered ${res.status} for the comments; reload to try again.` };
  const list = (res.body as { comments?: Array<Record<string, any>> }).comments ?? [];
  return {
    comments: list.map((c) => {
      const visibility = (c.properties as Array<{ key: string; value: { internal?: boolean } }> | undefined)?.find((p) => p.key === 'sd.public.comment');
      return {
        id: String(c.id),
        author: c.author?.displayName ?? 'Unknown',
        created: String(c.created ?? ''),
        internal: visibility ? visibility.value?.internal === true : c.jsdPublic === false,
        html: adfToSafeHtml(c.body, mentionName),
      };
    }),
  };
}

/** The issue view's HTML, or undefined (with Jira's status) when the person may not see the issue. */
export async function renderIssuePage(wb: Workbench, frames: FrameRegistry, chrome: Chrome, key: string, cookies: Record<string, string>): Promise<{ status: number; html?: string }> {
  const accountId = chrome.user.accountId;
  const got = await wb.jira.handle(asUser(accountId, 'GET', `/rest/api/3/issue/${encodeURIComponent(key)}`));
  if (got.status !== 200) return { status: got.status };
  const issue = got.body as { id: string; key: string; fields: Record<string, any> };
  const ids = wb.jira.fieldIds();
  const f = issue.fields;
  const fields: Array<[string, string]> = [
    ['Type', f.issuetype?.name],
    ['Priority', f.priority?.name],
    ['Status', f.status?.name],
    ['Affected services', serviceNames(wb, f[ids.affectedServices]) || 'None'],
    ['Major incident', f[ids.majorIncident] ? 'Yes' : 'No'],
    ['Request type', f[ids.requestType]?.requestType?.name ?? 'None'],
    ['Reporter', f.reporter?.displayName],
    ['Created', String(f.created ?? '').slice(0, 16).replace('T', ' ')],
  ];
  const extension = {
    issue: { id: issue.id, key: issue.key, type: f.issuetype?.name, typeId: f.issuetype?.id },
    project: { id: f.project?.id, key: f.project?.key, type: f.project?.projectTypeKey },
  };
  const added = cookieEntries(cookies[PANELS_COOKIE]);
  const expanded = cookieEntries(cookies[EXPANDED_COOKIE]);
  const panels: IssuePanelFrame[] = moduleFrames(wb, frames, accountId, chrome.colorMode, 'jira:issuePanel', extension).map((p) => ({ ...p, added: added.has(`${issue.key}~${p.moduleKey}`) }));
  const contexts: IssueContextFrame[] = await Promise.all(
    moduleFrames(wb, frames, accountId, chrome.colorMode, 'jira:issueContext', extension).map(async (c) => {
      const dynamic = await dynamicProperties(wb, frames, c);
      return { ...c, heading: dynamic?.title ?? c.title, label: dynamic?.label ?? c.module.label, status: dynamic?.status ?? c.module.status, expanded: expanded.has(`${accountId}~${c.moduleKey}`) };
    }),
  );
  const { comments, error } = await activity(wb, accountId, issue.key);
  const html = issueView(
    chrome,
    { key: issue.key, summary: f.summary, fields, descriptionHtml: adfToSafeHtml(f.description, mentionName), project: f.project?.key ?? 'OPS', comments, activityError: error },
    panels,
    contexts,
  );
  return { status: 200, html };
}
