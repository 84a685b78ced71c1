/**
 * Remote issue links (`/issue/{key}/remotelink`). A POST whose `globalId` matches an existing link of
 * the issue updates that link in place and answers 200 with the same id; otherwise it creates one
 * (201). One link per `globalId` per issue, so retried writes never duplicate.
 */
import { badRequest, fieldErrors, notFound } from '../errors';
import { requirePermission } from '../permissions';
import type { Router } from '../router';
import type { Site } from '../site';
import type { IssueRec, RemoteLinkRec } from '../state';
import { isObject, noContent, ok } from './util';

function linkJson(site: Site, issue: IssueRec, l: RemoteLinkRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: l.id, self: site.api(`issue/${issue.key}/remotelink/${l.id}`) };
  if (l.globalId !== undefined) out.globalId = l.globalId;
  if (l.application) out.application = l.application;
  if (l.relationship !== undefined) out.relationship = l.relationship;
  out.object = l.object;
  return out;
}

/** Validates a link body and returns its stored form (without id). */
function linkFromBody(body: unknown): Omit<RemoteLinkRec, 'id'> {
  if (!isObject(body)) throw badRequest('Invalid request payload. Refer to the REST API documentation and try again.');
  const errors: Record<string, string> = {};
  const object = isObject(body.object) ? body.object : undefined;
  if (!object || typeof object.title !== 'string' || !object.title) errors.title = "'title' is required.";
  if (!object || typeof object.url !== 'string' || !object.url) errors.url = "'url' is required.";
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(object.url)) errors.url = `The URL '${object.url}' is not valid.`;
  if (body.globalId !== undefined && (typeof body.globalId !== 'string' || body.globalId.length > 255)) errors.globalId = "'globalId' must be a string of at most 255 characters.";
  if (body.application !== undefined && !isObject(body.application)) errors.application = "'application' must be an object.";
  if (body.relationship !== undefined && typeof body.relationship !== 'string') errors.relationship = "'relationship' must be a string.";
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const link: Omit<RemoteLinkRec, 'id'> = { object: object! };
  if (typeof body.globalId === 'string' && body.globalId) link.globalId = body.globalId;
  if (isObject(body.application)) link.application = body.application;
  if (typeof body.relationship === 'string') link.relationship = body.relationship;
  return link;
}

export function registerRemoteLinkRoutes(router: Router): void {
  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}/remotelink', ({ site, params, req }) => {
    const issue = site.issue(params.issueIdOrKey);
    const globalId = req.query.get('globalId');
    if (globalId !== null) {
      const link = issue.remoteLinks.find((l) => l.globalId === globalId);
      if (!link) throw notFound(`No remote link with globalId '${globalId}' exists on issue ${issue.key}.`);
      return ok(linkJson(site, issue, link));
    }
    return ok(issue.remoteLinks.map((l) => linkJson(site, issue, l)));
  });

  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}/remotelink/{linkId}', ({ site, params }) => {
    const issue = site.issue(params.issueIdOrKey);
    const link = issue.remoteLinks.find((l) => String(l.id) === params.linkId);
    if (!link) throw notFound(`No remote link with id '${params.linkId}' exists on issue ${issue.key}.`);
    return ok(linkJson(site, issue, link));
  });

  router.add('POST', '/rest/api/3/issue/{issueIdOrKey}/remotelink', (ctx) => {
    const { site, params } = ctx;
    const issue = site.issue(params.issueIdOrKey);
    requirePermission(ctx.user, 'LINK_ISSUES');
    const link = linkFromBody(ctx.body());
    const existing = link.globalId !== undefined ? issue.remoteLinks.find((l) => l.globalId === link.globalId) : undefined;
    if (existing) {
      const updated: RemoteLinkRec = { id: existing.id, ...link };
      issue.remoteLinks[issue.remoteLinks.indexOf(existing)] = updated;
      ctx.mutated();
      return ok({ id: updated.id, self: site.api(`issue/${issue.key}/remotelink/${updated.id}`) }, 200);
    }
    const created: RemoteLinkRec = { id: site.state.counters.remoteLink++, ...link };
    issue.remoteLinks.push(created);
    ctx.mutated();
    return ok({ id: created.id, self: site.api(`issue/${issue.key}/remotelink/${created.id}`) }, 201);
  });

  router.add('PUT', '/rest/api/3/issue/{issueIdOrKey}/remotelink/{linkId}', (ctx) => {
    const { site, params } = ctx;
    const issue = site.issue(params.issueIdOrKey);
    requirePermission(ctx.user, 'LINK_ISSUES');
    const index = issue.remoteLinks.findIndex((l) => String(l.id) === params.linkId);
    if (index < 0) throw notFound(`No remote link with id '${params.linkId}' exists on issue ${issue.key}.`);
    const link = linkFromBody(ctx.body());
    if (link.globalId !== undefined && issue.remoteLinks.some((l, i) => i !== index && l.globalId === link.globalId)) {
      throw fieldErrors({ globalId: `Another remote link of ${issue.key} already has the globalId '${link.globalId}'.` });
    }
    issue.remoteLinks[index] = { id: issue.remoteLinks[index].id, ...link };
    ctx.mutated();
    return noContent();
  });

  router.add('DELETE', '/rest/api/3/issue/{issueIdOrKey}/remotelink/{linkId}', (ctx) => {
    const issue = ctx.site.issue(ctx.params.issueIdOrKey);
    requirePermission(ctx.user, 'LINK_ISSUES');
    const index = issue.remoteLinks.findIndex((l) => String(l.id) === ctx.params.linkId);
    if (index < 0) throw notFound(`No remote link with id '${ctx.params.linkId}' exists on issue ${issue.key}.`);
    issue.remoteLinks.splice(index, 1);
    ctx.mutated();
    return noContent();
  });

  router.add('DELETE', '/rest/api/3/issue/{issueIdOrKey}/remotelink', (ctx) => {
    const issue = ctx.site.issue(ctx.params.issueIdOrKey);
    requirePermission(ctx.user, 'LINK_ISSUES');
    const globalId = ctx.req.query.get('globalId');
    if (!globalId) throw badRequest('The globalId query parameter is required.');
    const index = issue.remoteLinks.findIndex((l) => l.globalId === globalId);
    if (index < 0) throw notFound(`No remote link with globalId '${globalId}' exists on issue ${issue.key}.`);
    issue.remoteLinks.splice(index, 1);
    ctx.mutated();
    return noContent();
  });
}
