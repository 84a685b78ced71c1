/**
 * JQL search (`GET|POST /search/jql`, token paging) and `POST /search/approximate-count`, plus
 * `GET /mypermissions`.
 */
import { badRequest, issueNotFound, notFound } from '../errors';
import { issueJson, issueView } from '../issue-json';
import { compileJql, JqlError, type CompiledJql } from '../jql';
import { canSeeIssue, findPermission, hasPermission } from '../permissions';
import type { RouteContext, Router } from '../router';
import { availableTransitions } from './issues';
import { isObject, listParam, ok } from './util';

const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

function compile(ctx: RouteContext, jql: unknown): CompiledJql {
  if (jql !== undefined && typeof jql !== 'string') throw badRequest("The 'jql' parameter must be a string.");
  let compiled: CompiledJql;
  try {
    compiled = compileJql(jql ?? '', { site: ctx.site, now: ctx.now, currentAccountId: ctx.user.accountId, indexed: ctx.indexedProperties });
  } catch (e) {
    if (e instanceof JqlError) throw badRequest(e.message);
    throw e;
  }
  if (!compiled.bounded) throw badRequest(UNBOUNDED);
  return compiled;
}

interface SearchRequest {
  jql?: unknown;
  nextPageToken?: unknown;
  maxResults?: unknown;
  fields?: string[];
  properties?: string[];
  expand?: string;
}

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jql }), 'utf8').toString('base64url');
}

function decodeToken(token: unknown, jql: string): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.q === jql) return parsed.o;
  } catch {
    /* fall through */
  }
  throw badRequest('The provided next page token is invalid or does not belong to this query.');
}

function search(ctx: RouteContext, r: SearchRequest) {
  const { site } = ctx;
  const jql = typeof r.jql === 'string' ? r.jql : '';
  const compiled = compile(ctx, r.jql);
  const view = issueView(site, r.fields, 'id', r.properties, r.expand);
  const requested = r.maxResults === undefined || r.maxResults === null || r.maxResults === '' ? 50 : Number(r.maxResults);
  if (!Number.isInteger(requested)) throw badRequest(`The value '${String(r.maxResults)}' of the parameter 'maxResults' is not a valid number.`);
  // Jira pages large field sets in smaller pages: 5000 ids, 100 full issues.
  const idOnly = view.idOnlyWhenEmpty && view.fields.size === 0 && !view.properties && view.expand.size === 0;
  const maxResults = Math.min(Math.max(requested, 1), idOnly ? 5000 : 100);
  const offset = decodeToken(r.nextPageToken, jql);
  const matches = site.state.issues.filter((i) => canSeeIssue(ctx.user, i) && compiled.matches(i)).sort((a, b) => compiled.compare(a, b));
  const page = matches.slice(offset, offset + maxResults);
  const isLast = offset + page.length >= matches.length;
  const body: Record<string, unknown> = {
    issues: page.map((i) => issueJson(site, i, view, () => availableTransitions(site, i).map((t) => ({ id: t.id, name: t.name })))),
    isLast,
  };
  if (!isLast) body.nextPageToken = encodeToken(offset + page.length, jql);
  return ok(body);
}

export function registerSearchRoutes(router: Router): void {
  router.add('GET', '/rest/api/3/search/jql', (ctx) => {
    const q = ctx.req.query;
    return search(ctx, {
      jql: q.get('jql') ?? undefined,
      nextPageToken: q.get('nextPageToken') ?? undefined,
      maxResults: q.get('maxResults') ?? undefined,
      fields: listParam(q, 'fields'),
      properties: listParam(q, 'properties'),
      expand: q.get('expand') ?? undefined,
    });
  });

  router.add('POST', '/rest/api/3/search/jql', (ctx) => {
    const body = ctx.body();
    if (!isObject(body)) throw badRequest('Invalid request payload. Refer to the REST API documentation and try again.');
    const list = (v: unknown, name: string): string[] | undefined => {
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw badRequest(`The '${name}' field must be a list of strings.`);
      return v.flatMap((x: string) => x.split(',')).map((x) => x.trim()).filter(Boolean);
    };
    if (body.expand !== undefined && typeof body.expand !== 'string') throw badRequest("The 'expand' field must be a comma-separated string.");
    return search(ctx, {
      jql: body.jql,
      nextPageToken: body.nextPageToken,
      maxResults: body.maxResults,
      fields: list(body.fields, 'fields'),
      properties: list(body.properties, 'properties'),
      expand: body.expand as string | undefined,
    });
  });

  router.add('POST', '/rest/api/3/search/approximate-count', (ctx) => {
    const body = ctx.body();
    if (!isObject(body)) throw badRequest('Invalid request payload. Refer to the REST API documentation and try again.');
    const compiled = compile(ctx, body.jql);
    return ok({ count: ctx.site.state.issues.filter((i) => canSeeIssue(ctx.user, i) && compiled.matches(i)).length });
  });

  router.add('GET', '/rest/api/3/mypermissions', ({ site, user, req }) => {
    const q = req.query;
    const keys = listParam(q, 'permissions');
    if (!keys || !keys.length) throw badRequest("The 'permissions' query parameter is required: a comma-separated list of permission keys.");
    const issueRef = q.get('issueKey') ?? q.get('issueId');
    if (issueRef !== null && !site.findIssue(issueRef)) throw issueNotFound();
    const projectRef = q.get('projectKey') ?? q.get('projectId');
    if (projectRef !== null && !site.findProject(projectRef)) throw notFound(`No project could be found with key '${projectRef}'.`);
    const permissions: Record<string, unknown> = {};
    for (const key of keys) {
      const def = findPermission(key);
      if (!def) throw badRequest(`The permission key '${key}' does not exist.`);
      permissions[key] = { id: def.id, key: def.key, name: def.name, type: def.type, description: def.description, havePermission: hasPermission(user, key) };
    }
    return ok({ permissions });
  });
}
