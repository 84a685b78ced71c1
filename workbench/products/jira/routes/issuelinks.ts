/**
 * Issue links (`POST /issueLink`, `GET/DELETE /issueLink/{linkId}`, `GET /issueLinkType`) and the
 * `issuelinks` field. Jira's default link types; a link is kept on both issues, so each lists it with the
 * issue at its other end. The caller needs Link Issues (the app account has every permission).
 */
import { badRequest, issueNotFound, JiraError, notFound } from '../errors';
import { requirePermission } from '../permissions';
import type { RouteContext, Router } from '../router';
import type { Site } from '../site';
import type { IssueRec } from '../state';
import { isObject, noContent, ok } from './util';

export const LINK_TYPES = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
] as const;

function linkType(site: Site, id: string) {
  const t = LINK_TYPES.find((x) => x.id === id)!;
  return { ...t, self: site.api(`issueLinkType/${t.id}`) };
}

function issueRef(site: Site, issue: IssueRec) {
  const status = site.status(issue.statusId);
  return {
    id: issue.id,
    key: issue.key,
    self: site.api(`issue/${issue.id}`),
    fields: { summary: issue.summary, status: site.status_(status), priority: site.priority_(site.priority(issue.priorityId), false), issuetype: site.issueType_(site.issueType(issue.issueTypeId)) },
  };
}

/** The `issuelinks` field of an issue. */
export function issueLinksJson(site: Site, issue: IssueRec): unknown[] {
  return (issue.links ?? []).flatMap((l) => {
    const other = site.state.issues.find((i) => i.id === l.otherIssueId);
    if (!other) return [];
    return [{ id: l.id, self: site.api(`issueLink/${l.id}`), type: linkType(site, l.typeId), [l.other === 'inward' ? 'inwardIssue' : 'outwardIssue']: issueRef(site, other) }];
  });
}

function issueOf(site: Site, ref: unknown, field: string): IssueRec {
  const r = isObject(ref) ? ref : {};
  const idOrKey = typeof r.key === 'string' ? r.key : r.id !== undefined ? String(r.id) : undefined;
  if (!idOrKey) throw badRequest(`${field} is required.`);
  try {
    return site.issue(idOrKey);
  } catch {
    throw issueNotFound();
  }
}

function createLink(ctx: RouteContext) {
  const { site } = ctx;
  const body = ctx.body();
  if (!isObject(body)) throw badRequest('Invalid request payload. Refer to the REST API documentation and try again.');
  const ref = isObject(body.type) ? body.type : {};
  const type = LINK_TYPES.find((t) => (ref.id !== undefined && t.id === String(ref.id)) || (typeof ref.name === 'string' && t.name.toLowerCase() === ref.name.toLowerCase()));
  if (!type) throw new JiraError(404, [`No issue link type with name '${String(ref.name ?? ref.id ?? '')}' found.`]);
  const inward = issueOf(site, body.inwardIssue, 'inwardIssue');
  const outward = issueOf(site, body.outwardIssue, 'outwardIssue');
  requirePermission(ctx.user, 'LINK_ISSUES');
  const id = String(10000 + site.state.issues.reduce((n, i) => n + (i.links?.length ?? 0), 0));
  (inward.links ??= []).push({ id, typeId: type.id, other: 'outward', otherIssueId: outward.id });
  (outward.links ??= []).push({ id, typeId: type.id, other: 'inward', otherIssueId: inward.id });
  site.onIssue?.(inward);
  site.onIssue?.(outward);
  ctx.mutated();
  return { status: 201 };
}

export function registerIssueLinkRoutes(router: Router): void {
  router.add('POST', '/rest/api/3/issueLink', createLink);
  router.add('GET', '/rest/api/3/issueLink/{linkId}', ({ site, params }) => {
    for (const issue of site.state.issues) {
      const l = (issue.links ?? []).find((x) => x.id === params.linkId && x.other === 'outward');
      const other = l && site.state.issues.find((i) => i.id === l.otherIssueId);
      if (l && other) return ok({ id: l.id, self: site.api(`issueLink/${l.id}`), type: linkType(site, l.typeId), inwardIssue: issueRef(site, issue), outwardIssue: issueRef(site, other) });
    }
    throw notFound(`No issue link with id ${params.linkId}.`);
  });
  router.add('DELETE', '/rest/api/3/issueLink/{linkId}', (ctx) => {
    requirePermission(ctx.user, 'LINK_ISSUES');
    let found = false;
    for (const issue of ctx.site.state.issues) {
      const before = issue.links?.length ?? 0;
      if (issue.links) issue.links = issue.links.filter((x) => x.id !== ctx.params.linkId);
      if ((issue.links?.length ?? 0) !== before) {
        found = true;
        ctx.site.onIssue?.(issue);
      }
    }
    if (!found) throw notFound(`No issue link with id ${ctx.params.linkId}.`);
    ctx.mutated();
    return noContent();
  });
  router.add('GET', '/rest/api/3/issueLinkType', ({ site }) => ok({ issueLinkTypes: LINK_TYPES.map((t) => linkType(site, t.id)) }));
}
