/**
 * The Confluence calls of the practice review and the configuration check (services/review.ts
 * ReviewConfluence), over `@forge/api` requestConfluence and REST v2, through product-request.ts (typed
 * errors, Retry-After aware retries). Pages are written as ADF (`atlas_doc_format`). A PUT names the
 * version read + 1; Confluence answers a stale one with 409 (or, as its spec lists only 400, a 400
 * about the version): both are CONFLICT here, and the caller re-reads.
 */
import api, { NotAllowedError, ProxyRequestError, route, type APIResponse } from '@forge/api';
import { ContinuityError } from '../domain/errors';
import type { ConfluencePageRef, ConfluenceSpaceRef, ReviewConfluence } from '../services/review';
import { DEFAULT_RETRY, NOT_IDEMPOTENT, productRequest, type RetryPolicy } from './product-request';

/** The app may not call Confluence on this site (it is not connected, or the platform refused). */
export class ConfluenceUnavailableError extends ContinuityError {
  constructor() {
    super('UPSTREAM_UNAVAILABLE', 'Confluence is not connected to this app on this site: a site administrator connects it in Atlassian Administration (Apps). Everything else keeps working without it.');
  }
}

interface PageJson {
  id: string;
  title: string;
  spaceId: string;
  status: string;
  version?: { number: number };
  body?: { atlas_doc_format?: { value?: string } };
  _links?: { webui?: string; base?: string };
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

function toPage(p: PageJson, base?: string): ConfluencePageRef {
  const linkBase = p._links?.base ?? base ?? '';
  let body: unknown;
  if (p.body?.atlas_doc_format?.value !== undefined) {
    try {
      body = JSON.parse(p.body.atlas_doc_format.value);
    } catch {
      body = p.body.atlas_doc_format.value; // not a document: the page builder refuses to write over it
    }
  }
  return {
    id: String(p.id),
    title: p.title,
    spaceId: String(p.spaceId),
    status: p.status,
    version: p.version?.number ?? 0,
    url: p._links?.webui ? `${linkBase}${p._links.webui}` : '',
    ...(body !== undefined ? { body } : {}),
  };
}

export class ForgeReviewConfluence implements ReviewConfluence {
  private async request(what: string, as: 'app' | 'user', path: ReturnType<typeof route>, init?: { method: string; body: unknown }, policy: RetryPolicy = DEFAULT_RETRY): Promise<APIResponse> {
    const requester = as === 'user' ? api.asUser() : api.asApp();
    return productRequest(
      what,
      async () => {
        try {
          return await requester.requestConfluence(path, init ? { method: init.method, headers: JSON_HEADERS, body: JSON.stringify(init.body) } : { headers: { accept: 'application/json' } });
        } catch (error) {
          if (error instanceof NotAllowedError || (error instanceof ProxyRequestError && error.status < 500)) throw new ConfluenceUnavailableError();
          throw error;
        }
      },
      policy,
    );
  }

  async getPage(pageId: string, options: { body?: boolean } = {}): Promise<ConfluencePageRef> {
    const path = options.body ? route`/wiki/api/v2/pages/${pageId}?body-format=atlas_doc_format` : route`/wiki/api/v2/pages/${pageId}`;
    return toPage((await (await this.request(`Confluence page ${pageId}`, 'app', path)).json()) as PageJson);
  }

  async findPageByTitle(spaceId: string, title: string): Promise<ConfluencePageRef | undefined> {
    const res = await this.request('Confluence pages', 'app', route`/wiki/api/v2/pages?space-id=${spaceId}&title=${title}&status=current&limit=5`);
    const list = (await res.json()) as { results?: PageJson[]; _links?: { base?: string } };
    const found = (list.results ?? []).find((p) => p.title === title);
    return found && toPage(found, list._links?.base);
  }

  async createPage(input: { spaceId: string; parentId?: string; title: string; body: object }): Promise<ConfluencePageRef> {
    const body = {
      spaceId: input.spaceId,
      status: 'current',
      title: input.title,
      ...(input.parentId ? { parentId: input.parentId } : {}),
      body: { representation: 'atlas_doc_format', value: JSON.stringify(input.body) },
    };
    // Not retried on an ambiguous failure: the page may exist, and the caller looks for it by title.
    const res = await this.request('New Confluence page', 'app', route`/wiki/api/v2/pages`, { method: 'POST', body }, NOT_IDEMPOTENT);
    return toPage((await res.json()) as PageJson);
  }

  async updatePage(input: { id: string; title: string; version: number; body: object; message?: string }): Promise<ConfluencePageRef> {
    const body = {
      id: input.id,
      status: 'current',
      title: input.title,
      body: { representation: 'atlas_doc_format', value: JSON.stringify(input.body) },
      version: { number: input.version, ...(input.message ? { message: input.message } : {}) },
    };
    try {
      return toPage((await (await this.request(`Confluence page ${input.id}`, 'app', route`/wiki/api/v2/pages/${input.id}`, { method: 'PUT', body })).json()) as PageJson);
    } catch (error) {
      if (error instanceof ContinuityError && error.code === 'INVALID_INPUT' && /version/i.test(error.message)) throw new ContinuityError('CONFLICT', `Confluence page ${input.id}: someone saved a newer version.`);
      throw error;
    }
  }

  async spaceByKey(key: string, as: 'app' | 'user' = 'app'): Promise<ConfluenceSpaceRef | undefined> {
    const res = await this.request(`Confluence space ${key}`, as, route`/wiki/api/v2/spaces?keys=${key}`);
    const space = ((await res.json()) as { results?: Array<{ id: string; key: string; name: string }> }).results?.find((s) => s.key === key);
    return space && { id: String(space.id), key: space.key, name: space.name };
  }

  async pageOperations(pageId: string, as: 'app' | 'user'): Promise<string[]> {
    const res = await this.request(`Confluence page ${pageId} operations`, as, route`/wiki/api/v2/pages/${pageId}/operations`);
    const body = (await res.json()) as { operations?: Array<{ operation?: string; targetType?: string }> };
    return (body.operations ?? []).filter((o) => !o.targetType || o.targetType === 'page').map((o) => String(o.operation));
  }
}
