/**
 * ConfluenceGateway over `@forge/api`'s requestConfluence (REST v2). One choke point, `request()`: every
 * call goes through product-request.ts (typed errors, Retry-After aware retries) and through the check
 * that the app is connected to Confluence at all.
 *
 * Confluence is an optional app of this installation (manifest `app.compatibility`). Atlassian does not
 * document what requestConfluence does when Confluence is not connected; the installation's contexts
 * say whether it is (`getAppContext().installation.contexts`, a Confluence site context when
 * connected), so the gateway refuses before calling when they say it is not, and treats a platform
 * refusal of the call (a NotAllowedError, or a proxy error below 500) the same way when they cannot tell.
 */
import api, { getAppContext, NotAllowedError, ProxyRequestError, route, type APIResponse } from '@forge/api';
import { ConfluenceNotConnectedError, ContinuityError } from '../domain/errors';
import { adfPlainText } from '../domain/plans/adf-text';
import type { ConfluenceActor, ConfluenceGateway, ConfluencePage, ConfluenceSpace, FooterComment } from '../ports';
import { NOT_IDEMPOTENT, productRequest, type RetryPolicy } from './product-request';
import { DEFAULT_RETRY } from './product-request';

interface PageJson {
  id: string;
  title: string;
  spaceId: string;
  status: string;
  version?: { number: number; authorId?: string; createdAt?: string };
  body?: { atlas_doc_format?: { value?: string } };
  _links?: { webui?: string; base?: string };
}

interface ListJson<T> {
  results?: T[];
  _links?: { base?: string; next?: string };
}

const json = { 'content-type': 'application/json', accept: 'application/json' };

/** Whether a thrown platform error means "this installation may not call Confluence". */
export function isNotConnectedError(error: unknown): boolean {
  if (error instanceof NotAllowedError) return true;
  return error instanceof ProxyRequestError && error.status < 500;
}

/** What the installation's contexts say about Confluence (undefined contexts: cannot tell). */
export function confluenceConnection(contexts: ReadonlyArray<{ toString(): string }> | undefined): 'connected' | 'not-connected' | 'unknown' {
  if (!contexts || contexts.length === 0) return 'unknown';
  return contexts.some((c) => String(c).startsWith('ari:cloud:confluence::site/')) ? 'connected' : 'not-connected';
}

function parseAdf(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value; // not a document: the reader reports it
  }
}

export class ForgeConfluenceGateway implements ConfluenceGateway {
  constructor(private readonly contexts: () => ReadonlyArray<{ toString(): string }> | undefined = installationContexts) {}

  connection(): 'connected' | 'not-connected' | 'unknown' {
    return confluenceConnection(this.contexts());
  }

  /** The one choke point: connection check, the call as app or user, typed errors. */
  private async request(what: string, as: ConfluenceActor, path: ReturnType<typeof route>, init?: { method: string; body?: unknown }, policy: RetryPolicy = DEFAULT_RETRY): Promise<APIResponse> {
    if (this.connection() === 'not-connected') throw new ConfluenceNotConnectedError();
    const requester = as === 'user' ? api.asUser() : api.asApp();
    const send = async () => {
      try {
        return await requester.requestConfluence(path, init ? { method: init.method, headers: json, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) } : { headers: { accept: 'application/json' } });
      } catch (error) {
        if (isNotConnectedError(error)) throw new ConfluenceNotConnectedError();
        throw error;
      }
    };
    return productRequest(what, send, policy);
  }

  private toPage(p: PageJson, base?: string): ConfluencePage {
    const linkBase = p._links?.base ?? base ?? '';
    const at = p.version?.createdAt ? Date.parse(p.version.createdAt) : NaN;
    return {
      id: String(p.id),
      title: p.title,
      spaceId: String(p.spaceId),
      status: p.status,
      version: p.version?.number ?? 0,
      ...(p.version?.authorId ? { editedBy: p.version.authorId } : {}),
      ...(Number.isFinite(at) ? { editedAt: at } : {}),
      url: p._links?.webui ? `${linkBase}${p._links.webui}` : '',
      ...(p.body?.atlas_doc_format ? { body: parseAdf(p.body.atlas_doc_format.value) } : {}),
    };
  }

  async getPage(pageId: string, options: { body?: boolean; as?: ConfluenceActor } = {}): Promise<ConfluencePage> {
    const path = options.body ? route`/wiki/api/v2/pages/${pageId}?body-format=atlas_doc_format` : route`/wiki/api/v2/pages/${pageId}`;
    const res = await this.request(`Confluence page ${pageId}`, options.as ?? 'app', path);
    return this.toPage((await res.json()) as PageJson);
  }

  async findPageByTitle(spaceId: string, title: string): Promise<ConfluencePage | undefined> {
    const res = await this.request('Confluence pages', 'app', route`/wiki/api/v2/pages?space-id=${spaceId}&title=${title}&status=current&limit=5`);
    const list = (await res.json()) as ListJson<PageJson>;
    const found = (list.results ?? []).find((p) => p.title === title);
    return found && this.toPage(found, list._links?.base);
  }

  async createPage(input: { spaceId: string; parentId?: string; title: string; body: object }): Promise<ConfluencePage> {
    const res = await this.request(
      'New Confluence page',
      'app',
      route`/wiki/api/v2/pages`,
      {
        method: 'POST',
        body: {
          spaceId: input.spaceId,
          status: 'current',
          title: input.title,
          ...(input.parentId ? { parentId: input.parentId } : {}),
          body: { representation: 'atlas_doc_format', value: JSON.stringify(input.body) },
        },
      },
      // A lost answer may mean the page exists: the caller finds it by title rather than creating a second.
      NOT_IDEMPOTENT,
    );
    return this.toPage((await res.json()) as PageJson);
  }

  async updatePage(input: { id: string; title: string; version: number; body: object; message?: string }): Promise<ConfluencePage> {
    try {
      const res = await this.request(`Confluence page ${input.id}`, 'app', route`/wiki/api/v2/pages/${input.id}`, {
        method: 'PUT',
        body: {
          id: input.id,
          status: 'current',
          title: input.title,
          body: { representation: 'atlas_doc_format', value: JSON.stringify(input.body) },
          version: { number: input.version, ...(input.message ? { message: input.message } : {}) },
        },
      });
      return this.toPage((await res.json()) as PageJson);
    } catch (error) {
      // A stale version is a 409 in practice; the spec lists only 400, so a 400 about the version is one too.
      if (error instanceof ContinuityError && error.code === 'INVALID_INPUT' && /version/i.test(error.message)) {
        throw new ContinuityError('CONFLICT', `Confluence page ${input.id}: someone saved a newer version.`);
      }
      throw error;
    }
  }

  async pageOperations(pageId: string, as: ConfluenceActor): Promise<string[]> {
    const res = await this.request(`Confluence page ${pageId} operations`, as, route`/wiki/api/v2/pages/${pageId}/operations`);
    const body = (await res.json()) as { operations?: Array<{ operation?: string; targetType?: string }> };
    return (body.operations ?? []).filter((o) => !o.targetType || o.targetType === 'page').map((o) => String(o.operation));
  }

  async spaceByKey(key: string, as: ConfluenceActor = 'app'): Promise<ConfluenceSpace | undefined> {
    const res = await this.request(`Confluence space ${key}`, as, route`/wiki/api/v2/spaces?keys=${key}`);
    const space = ((await res.json()) as ListJson<{ id: string; key: string; name: string; homepageId?: string }>).results?.find((s) => s.key === key);
    return space && { id: String(space.id), key: space.key, name: space.name, ...(space.homepageId ? { homepageId: String(space.homepageId) } : {}) };
  }

  async footerComments(pageId: string, limit = 50): Promise<FooterComment[]> {
    const res = await this.request(`Comments of Confluence page ${pageId}`, 'app', route`/wiki/api/v2/pages/${pageId}/footer-comments?body-format=atlas_doc_format&sort=-created-date&limit=${limit}`);
    const list = (await res.json()) as ListJson<{ id: string; body?: { atlas_doc_format?: { value?: string } } }>;
    return (list.results ?? []).map((c) => ({ id: String(c.id), text: adfPlainText(parseAdf(c.body?.atlas_doc_format?.value)) }));
  }

  async addFooterComment(pageId: string, body: object): Promise<string> {
    const res = await this.request(
      `Comment on Confluence page ${pageId}`,
      'app',
      route`/wiki/api/v2/footer-comments`,
      { method: 'POST', body: { pageId, body: { representation: 'atlas_doc_format', value: JSON.stringify(body) } } },
      NOT_IDEMPOTENT,
    );
    return String(((await res.json()) as { id: string }).id);
  }

  async userNames(accountIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(accountIds)].filter((id) => id !== '');
    if (ids.length === 0) return new Map();
    const res = await this.request('Confluence users', 'app', route`/wiki/api/v2/users-bulk`, { method: 'POST', body: { accountIds: ids.slice(0, 100) } });
    const list = (await res.json()) as ListJson<{ accountId: string; displayName?: string; publicName?: string }>;
    return new Map((list.results ?? []).flatMap((u) => (u.displayName || u.publicName ? [[u.accountId, (u.displayName || u.publicName)!] as [string, string]] : [])));
  }
}

function installationContexts(): ReadonlyArray<{ toString(): string }> | undefined {
  try {
    return getAppContext().installation?.contexts;
  } catch {
    return undefined;
  }
}
