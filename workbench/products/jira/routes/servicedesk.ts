/**
 * Jira Service Management's own REST API (`/rest/servicedeskapi/...`): the request types. Its pages
 * are JSM's `PagedDTO` (`size`, `start`, `limit`, `isLastPage`, `values`, `_links`), not the platform's
 * `PageBean`. JSM's OpenAPI document is not in ../shared/atlassian-openapi, so the contract suite cannot
 * check these shapes; `service.test.ts` pins them instead (after public JSM client code and docs).
 */
import type { Router } from '../router';
import type { Site } from '../site';
import { intParam, listParam, ok } from './util';

/** JSM documents 50 as the default page size; the largest page it serves is not documented, 100 here. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

function pagedDto(site: Site, path: string, items: unknown[], start: number, limit: number): Record<string, unknown> {
  const values = items.slice(start, start + limit);
  const isLastPage = start + values.length >= items.length;
  const url = (from: number) => `${site.serviceDeskApi(path)}?start=${from}&limit=${limit}`;
  const links: Record<string, string> = { self: url(start), base: site.siteUrl, context: '' };
  if (!isLastPage) links.next = url(start + limit);
  if (start > 0) links.prev = url(Math.max(0, start - limit));
  return { _expands: [], size: values.length, start, limit, isLastPage, _links: links, values };
}

export function registerServiceDeskRoutes(router: Router): void {
  router.add('GET', '/rest/servicedeskapi/requesttype', ({ site, req }) => {
    const q = req.query;
    const start = intParam(q, 'start', 0);
    const limit = intParam(q, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const query = (q.get('searchQuery') ?? '').toLowerCase();
    const desks = listParam(q, 'serviceDeskId');
    const types = site.state.requestTypes.filter(
      (t) => (!desks || desks.includes(t.serviceDeskId)) && (!query || t.name.toLowerCase().includes(query) || t.description.toLowerCase().includes(query)),
    );
    return ok(pagedDto(site, 'requesttype', types.map((t) => site.requestType_(t)), start, limit));
  });
}
