/**
 * A local Confluence Cloud answering on the real REST v2 paths (`/wiki/api/v2/...`), plus the two v1 label
 * endpoints (`/wiki/rest/api/content/{id}/label`) because v2 cannot write labels.
 *
 * Responses follow Atlassian's OpenAPI document for v2 (checked by test/contract/confluence.contract.test.ts) and
 * survive confluence.js 3's zod schemas (test/clients/confluence-js.test.ts). Errors use Confluence's v2 shape
 * `{ errors: [{ status, code, title, detail }] }`.
 *
 * Behaviour worth knowing:
 * - Pages keep every version (title, status, body in the representation it was written in). A body is returned
 *   verbatim in its stored representation and converted when the other one is asked for (see convert.ts);
 *   `body-format=view` (single page) returns the sanitised page-view HTML.
 * - `PUT pages/{id}` needs `version.number` = current + 1, else 409 "Version must be incremented on update.
 *   Current version is: N". A never-published draft stays at version 1 while it is saved as a draft and may be
 *   published with version 1 or 2. A trashed page is restored by a PUT with `status: current` (no version check).
 * - Titles are unique per space among current pages (case-insensitive): 400 "A page with this title already exists".
 * - Storage bodies must be well-formed XHTML and ADF bodies a JSON string of a valid ADF document; ≤ 5 MB (413 on
 *   create, 400 on update, as the OpenAPI document lists).
 * - DELETE moves a current page to the trash (children move to its parent); `purge=true` on a trashed page and
 *   `draft=true` on a draft delete for good.
 * - A user whose workbench profile has `canEdit: false` may read but not write: writes answer 404, which is what
 *   the OpenAPI document lists for "does not have the needed permissions".
 * - Cursor paging is keyset-based (the cursor holds the sort key of the last item), so every item is returned once
 *   even while pages are created between calls.
 * - Content property PUT needs `version.number` = current + 1 (else 409); a duplicate key on POST is a 409 too.
 * - `GET pages/{id}/operations` answers what the caller may do: read for everyone, update and delete for people
 *   who may edit (and the app). Footer comments (`POST /footer-comments`, `GET pages/{id}/footer-comments`) keep
 *   their body in the representation written, newest or oldest first. `POST /users-bulk` names the accounts.
 */
import { DocumentStore } from '../../storage/document-store';
import type { Clock, Principal, ProductEventSink, ProductRequest, ProductResponse, ProductService } from '../types';
import { APP_USER, findUser } from '../users';
import { adfProblem } from './adf-validate';
import { adfToStorage, storageToAdf, type AdfNode } from './convert';
import { eventUser, SPACE_ICON, type ConfluencePageEventType, type ConfluencePagePayload } from './events';
import { renderAdfHtml, renderStorageHtml } from './render';
import { storageProblem } from './xhtml';

export type Representation = 'storage' | 'atlas_doc_format';
type PageStatus = 'current' | 'draft' | 'archived' | 'trashed';

interface VersionRec {
  number: number;
  createdAt: string;
  authorId: string;
  message: string;
  minorEdit: boolean;
  title: string;
  representation: Representation;
  value: string;
}

interface PageRec {
  id: string;
  spaceId: string;
  parentId: string | null;
  position: number;
  status: PageStatus;
  authorId: string;
  ownerId: string;
  createdAt: string;
  /** Whether the page has ever been current (a never-published draft has not). */
  published: boolean;
  versions: VersionRec[];
  labels: string[];
}

interface SpaceRec {
  id: string;
  key: string;
  name: string;
  description: string;
  authorId: string;
  createdAt: string;
  homepageId: string;
}

interface PropRec {
  id: string;
  pageId: string;
  key: string;
  value: unknown;
  version: { number: number; createdAt: string; authorId: string; message: string; minorEdit: boolean };
}

interface CommentRec {
  id: string;
  pageId: string;
  authorId: string;
  createdAt: string;
  representation: Representation;
  value: string;
}

interface LabelRec {
  id: string;
  name: string;
  prefix: string;
}

interface State {
  schema: 1;
  nextId: number;
  spaces: Record<string, SpaceRec>;
  pages: Record<string, PageRec>;
  properties: Record<string, PropRec>;
  labels: Record<string, LabelRec>;
  comments: Record<string, CommentRec>;
}

export interface ConfluenceServiceOptions {
  file?: string;
  clock: Clock;
  onEvent?: ProductEventSink;
  /** e.g. `http://localhost:8080`; links are `${siteUrl}/wiki/...`. */
  siteUrl: string;
}

/** What the workbench's page view needs. */
export interface PageSnapshot {
  id: string;
  title: string;
  spaceId: string;
  spaceKey: string;
  status: string;
  version: number;
  representation: Representation;
  /** The body as storage XHTML (converted from ADF when the page is stored as ADF). */
  storage: string;
  /** The body as an ADF JSON string, when the page is stored as ADF. */
  adf?: string;
}

export const MAX_BODY_BYTES = 5 * 1024 * 1024;
const API = '/wiki/api/v2';
const FIRST_ID = 65537;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | null = null,
    readonly code?: string,
  ) {
    super(title);
  }
}

const CODES: Record<number, string> = { 400: 'BAD_REQUEST', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 409: 'CONFLICT', 413: 'REQUEST_ENTITY_TOO_LARGE' };

function errorResponse(e: HttpError): ProductResponse {
  return { status: e.status, body: { errors: [{ status: e.status, code: e.code ?? CODES[e.status] ?? 'ERROR', title: e.title, detail: e.detail }] } };
}

const bad = (title: string, detail: string | null = null) => new HttpError(400, title, detail);
const badParam = (title: string) => new HttpError(400, title, null, 'INVALID_REQUEST_PARAMETER');
const notFound = (detail: string | null = null) => new HttpError(404, 'Not Found', detail);
const conflict = (title: string, detail: string | null = null) => new HttpError(409, title, detail);

function emptyState(): State {
  return { schema: 1, nextId: FIRST_ID, spaces: {}, pages: {}, properties: {}, labels: {}, comments: {} };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function b64urlEncode(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

/** Confluence's tiny-link code: the id's little-endian bytes, base64, trailing `A`s and padding trimmed. */
function tinyCode(id: string): string {
  let n = BigInt(id);
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.push(Number(n & 0xffn));
    n >>= 8n;
  }
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '').replace(/A+$/, '').replace(/\//g, '-').replace(/\+/g, '_');
}

function titleSlug(title: string): string {
  return encodeURIComponent(title).replace(/%20/g, '+');
}

type SortKey = Array<string | number>;

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const sx = String(x);
    const sy = String(y);
    return sx < sy ? -1 : sx > sy ? 1 : 0;
  }
  return 0;
}

export class ConfluenceService implements ProductService {
  private state: State;
  private readonly store: DocumentStore<State>;
  private readonly clock: Clock;
  private readonly onEvent?: ProductEventSink;
  private siteUrl: string;

  constructor(opts: ConfluenceServiceOptions) {
    // Spaces, pages, properties and labels are journalled record by record (storage/document-store.ts).
    this.store = new DocumentStore<State>(opts.file, { maps: ['spaces', 'pages', 'properties', 'labels', 'comments'] });
    this.clock = opts.clock;
    this.onEvent = opts.onEvent;
    this.siteUrl = opts.siteUrl.replace(/\/+$/, '');
    const loaded = this.store.load();
    this.state = loaded && loaded.schema === 1 ? loaded : emptyState();
    // Sites saved before footer comments existed have none.
    this.state.comments ??= {};
    this.store.attach(this.state);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Public API for the workbench

  /** The demo space "Service Continuity" (key CONT) and its homepage. Idempotent. */
  seedBase(): void {
    if (this.spaceByKey('CONT')) return;
    const now = this.now();
    const author = APP_USER.accountId;
    const space: SpaceRec = {
      id: this.newId(),
      key: 'CONT',
      name: 'Service Continuity',
      description: 'Continuity plans, postmortems and drill reports for critical IT services.',
      authorId: author,
      createdAt: now,
      homepageId: '',
    };
    this.state.spaces[space.id] = space;
    const home = this.insertPage({
      spaceId: space.id,
      parentId: null,
      status: 'current',
      authorId: author,
      title: 'Service Continuity Home',
      representation: 'storage',
      value:
        '<h1>Service Continuity</h1><p>This space holds the <strong>continuity plans</strong> for our critical IT services: ' +
        'one page per service or disaster scenario, with its RTO, RPO, recovery steps and contacts.</p>' +
        '<ac:structured-macro ac:name="info" ac:schema-version="1"><ac:rich-text-body><p>Plans are reviewed on a cadence and after every invocation or drill.</p></ac:rich-text-body></ac:structured-macro>',
      message: '',
    });
    space.homepageId = home.id;
    this.save();
  }

  /** The workbench learns its URL once the server has a port; links use it from then on. */
  setSiteUrl(url: string): void {
    this.siteUrl = url.replace(/\/+$/, '');
  }

  /** Forgets everything (the files too are rewritten empty). */
  reset(): void {
    this.store.remove();
    this.state = emptyState();
    this.store.attach(this.state);
    this.save();
  }

  /** Writes a snapshot and closes the journal (a clean shutdown). */
  close(): void {
    this.store.close();
  }

  page(id: string): PageSnapshot | undefined {
    const p = this.state.pages[id];
    if (!p) return undefined;
    const v = this.latest(p);
    return {
      id: p.id,
      title: v.title,
      spaceId: p.spaceId,
      spaceKey: this.state.spaces[p.spaceId]?.key ?? '',
      status: p.status,
      version: v.number,
      representation: v.representation,
      storage: this.bodyAs(v, 'storage'),
      ...(v.representation === 'atlas_doc_format' ? { adf: v.value } : {}),
    };
  }

  /** The page body as sanitised HTML for the workbench's page view ('' for an unknown page). */
  renderPageHtml(id: string): string {
    const p = this.state.pages[id];
    return p ? this.renderVersion(this.latest(p)) : '';
  }

  /** Finds a page by space key and title (the page view's `/wiki/spaces/KEY/pages/ID/Title` links use the id). */
  findPage(spaceKey: string, title: string): PageSnapshot | undefined {
    const space = this.spaceByKey(spaceKey);
    if (!space) return undefined;
    const p = Object.values(this.state.pages).find((x) => x.spaceId === space.id && x.status === 'current' && this.latest(x).title === title);
    return p ? this.page(p.id) : undefined;
  }

  /** Adds labels to a page (what `POST /wiki/rest/api/content/{id}/label` does). */
  addLabels(pageId: string, names: string[]): void {
    const p = this.state.pages[pageId];
    if (!p) throw new Error(`no page ${pageId}`);
    for (const raw of names) this.addLabel(p, raw);
    this.save();
  }

  // ------------------------------------------------------------------------------------------------------------
  // HTTP

  async handle(req: ProductRequest): Promise<ProductResponse> {
    let response: ProductResponse;
    try {
      response = this.route(req);
    } catch (e) {
      if (e instanceof HttpError) return errorResponse(e);
      throw e;
    }
    // Answered once what it changed is on disk (one fdatasync for every change of this tick).
    await this.store.durable();
    return response;
  }

  private route(req: ProductRequest): ProductResponse {
    const method = req.method.toUpperCase();
    if (req.path.startsWith('/wiki/rest/api/content/')) return this.routeV1(req, method);
    if (!req.path.startsWith(`${API}/`)) throw notFound(`No Confluence REST resource at ${req.path}`);
    const seg = req.path.slice(API.length + 1).split('/').filter(Boolean).map(decodeURIComponent);
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, `Method ${method} is not allowed here`);
    };
    const [a, b, c, d] = seg;
    if (a === 'footer-comments' && seg.length === 1) {
      allow('POST');
      return this.createFooterComment(req);
    }
    if (a === 'users-bulk' && seg.length === 1) {
      allow('POST');
      return this.usersBulk(req);
    }
    if (a === 'spaces') {
      if (seg.length === 1) {
        allow('GET');
        return this.getSpaces(req);
      }
      if (seg.length === 2) {
        allow('GET');
        return this.getSpace(req, b);
      }
      if (seg.length === 3 && c === 'pages') {
        allow('GET');
        return this.getSpacePages(req, b);
      }
    }
    if (a === 'pages') {
      if (seg.length === 1) {
        allow('GET', 'POST');
        return method === 'GET' ? this.getPages(req) : this.createPage(req);
      }
      if (seg.length === 2) {
        allow('GET', 'PUT', 'DELETE');
        return method === 'GET' ? this.getPage(req, b) : method === 'PUT' ? this.updatePage(req, b) : this.deletePage(req, b);
      }
      if (seg.length === 3 && c === 'versions') {
        allow('GET');
        return this.getVersions(req, b);
      }
      if (seg.length === 3 && c === 'children') {
        allow('GET');
        return this.getChildren(req, b);
      }
      if (seg.length === 3 && c === 'labels') {
        allow('GET');
        return this.getLabels(req, b);
      }
      if (seg.length === 3 && c === 'operations') {
        allow('GET');
        return this.getOperations(req, b);
      }
      if (seg.length === 3 && c === 'footer-comments') {
        allow('GET');
        return this.getFooterComments(req, b);
      }
      if (seg.length === 3 && c === 'properties') {
        allow('GET', 'POST');
        return method === 'GET' ? this.getProperties(req, b) : this.createProperty(req, b);
      }
      if (seg.length === 4 && c === 'properties') {
        allow('GET', 'PUT', 'DELETE');
        return method === 'GET' ? this.getProperty(req, b, d) : method === 'PUT' ? this.updateProperty(req, b, d) : this.deleteProperty(req, b, d);
      }
    }
    throw notFound(`No Confluence REST v2 resource at ${req.path}`);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Spaces

  private getSpaces(req: ProductRequest): ProductResponse {
    const ids = this.idList(req, 'ids');
    const keys = this.list(req, 'keys');
    const type = req.query.get('type');
    const status = req.query.get('status');
    let spaces = Object.values(this.state.spaces);
    if (ids.length) spaces = spaces.filter((s) => ids.includes(s.id));
    if (keys.length) spaces = spaces.filter((s) => keys.includes(s.key));
    if (type && type !== 'global') spaces = [];
    if (status && status !== 'current') spaces = [];
    const sort = req.query.get('sort') ?? 'id';
    const keyOf: Record<string, (s: SpaceRec) => SortKey> = {
      id: (s) => [Number(s.id)],
      key: (s) => [s.key, Number(s.id)],
      name: (s) => [s.name.toLowerCase(), Number(s.id)],
    };
    const sortKey = keyOf[sort.replace(/^-/, '')];
    if (!sortKey) throw badParam(`Invalid value for 'sort': ${sort}`);
    const page = this.paginate(req, spaces, sortKey, sort.startsWith('-'), '/spaces');
    return this.listResponse(page, (s) => this.spaceJson(s, req, false));
  }

  private getSpace(req: ProductRequest, id: string): ProductResponse {
    const space = this.state.spaces[this.numericId(id, 'id')];
    if (!space) throw notFound();
    return { status: 200, body: this.spaceJson(space, req, true) };
  }

  private getSpacePages(req: ProductRequest, id: string): ProductResponse {
    const space = this.state.spaces[this.numericId(id, 'id')];
    if (!space) throw notFound();
    const depth = req.query.get('depth') ?? 'all';
    if (depth !== 'all' && depth !== 'root') throw badParam(`Invalid value for 'depth': ${depth}`);
    let pages = this.filterPages(req, Object.values(this.state.pages).filter((p) => p.spaceId === space.id));
    if (depth === 'root') pages = pages.filter((p) => p.parentId === null);
    return this.pageList(req, pages, `/spaces/${space.id}/pages`);
  }

  private spaceJson(s: SpaceRec, req: ProductRequest, single: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: s.id,
      key: s.key,
      name: s.name,
      type: 'global',
      status: 'current',
      authorId: s.authorId,
      createdAt: s.createdAt,
      homepageId: s.homepageId,
    };
    const df = req.query.get('description-format');
    if (df === 'plain') out.description = { plain: { representation: 'plain', value: s.description } };
    else if (df === 'view') out.description = { view: { representation: 'view', value: `<p>${s.description.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>` } };
    else if (df) throw badParam(`Invalid value for 'description-format': ${df}`);
    if (req.query.get('include-icon') === 'true') out.icon = { path: SPACE_ICON.path };
    out._links = single ? { webui: `/spaces/${s.key}`, base: this.base() } : { webui: `/spaces/${s.key}` };
    return out;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Pages

  private getPages(req: ProductRequest): ProductResponse {
    const spaceIds = this.idList(req, 'space-id');
    const ids = this.idList(req, 'id');
    let pages = Object.values(this.state.pages);
    if (spaceIds.length) pages = pages.filter((p) => spaceIds.includes(p.spaceId));
    if (ids.length) pages = pages.filter((p) => ids.includes(p.id));
    return this.pageList(req, this.filterPages(req, pages), '/pages');
  }

  /** The `status` and `title` filters shared by the page lists. */
  private filterPages(req: ProductRequest, pages: PageRec[]): PageRec[] {
    const statuses = this.list(req, 'status');
    for (const s of statuses) if (!['current', 'archived', 'deleted', 'trashed', 'draft'].includes(s)) throw badParam(`Invalid value for 'status': ${s}`);
    const wanted = statuses.length ? statuses : ['current', 'archived'];
    const title = req.query.get('title');
    return pages.filter((p) => wanted.includes(p.status) && (title === null || this.latest(p).title === title));
  }

  private pageList(req: ProductRequest, pages: PageRec[], path: string): ProductResponse {
    const format = this.bodyFormat(req, false);
    const sort = req.query.get('sort') ?? 'id';
    const keyOf: Record<string, (p: PageRec) => SortKey> = {
      id: (p) => [Number(p.id)],
      title: (p) => [this.latest(p).title.toLowerCase(), Number(p.id)],
      'created-date': (p) => [p.createdAt, Number(p.id)],
      'modified-date': (p) => [this.latest(p).createdAt, Number(p.id)],
    };
    const sortKey = keyOf[sort.replace(/^-/, '')];
    if (!sortKey) throw badParam(`Invalid value for 'sort': ${sort}`);
    const page = this.paginate(req, pages, sortKey, sort.startsWith('-'), path);
    return this.listResponse(page, (p) => this.pageJson(p, { format, single: false }));
  }

  private getPage(req: ProductRequest, id: string): ProductResponse {
    const p = this.state.pages[this.numericId(id, 'id')];
    if (!p) throw notFound();
    const statuses = this.list(req, 'status');
    const wanted = statuses.length ? statuses : ['current', 'archived', 'draft'];
    if (!wanted.includes(p.status)) throw notFound();
    let version: VersionRec | undefined;
    const vq = req.query.get('version');
    if (vq !== null) {
      const n = Number(vq);
      if (!Number.isInteger(n)) throw badParam(`Provided value {${vq}} for 'version' is not the correct type. Expected type is int`);
      version = p.versions.find((v) => v.number === n);
      if (!version) throw notFound(`Page ${p.id} has no version ${n}`);
    }
    const flag = (name: string, dflt = false) => {
      const v = req.query.get(name);
      return v === null ? dflt : v === 'true';
    };
    return {
      status: 200,
      body: this.pageJson(p, {
        format: this.bodyFormat(req, true),
        single: true,
        version,
        includeVersion: flag('include-version', true),
        includeLabels: flag('include-labels'),
        includeProperties: flag('include-properties'),
        includeVersions: flag('include-versions'),
        includeOperations: flag('include-operations'),
        includeFavorite: flag('include-favorited-by-current-user-status'),
      }),
    };
  }

  private createPage(req: ProductRequest): ProductResponse {
    const body = this.jsonBody(req);
    const spaceId = this.requiredString(body, 'spaceId');
    const status = body.status === undefined ? 'current' : body.status;
    if (status !== 'current' && status !== 'draft') throw bad(`status must be 'current' or 'draft', not ${JSON.stringify(status)}`);
    if (body.title !== undefined && typeof body.title !== 'string') throw bad('title must be a string');
    const title = typeof body.title === 'string' ? body.title.trim() : '';
    if (status === 'current' && !title) throw bad('title is required to create a page with status current');
    if (title.length > 255) throw bad('title must be at most 255 characters');
    const space = /^\d+$/.test(spaceId) ? this.state.spaces[spaceId] : undefined;
    if (!space) throw notFound(`There is no space with id ${spaceId}`);
    this.requireEdit(req.principal);
    const { representation, value } = body.body === undefined ? { representation: 'storage' as const, value: '' } : this.parseBody(body.body, 413);
    let parentId: string | null = null;
    if (body.parentId !== undefined && body.parentId !== null) {
      const pid = String(body.parentId);
      const parent = this.state.pages[pid];
      if (!parent || parent.spaceId !== space.id || parent.status === 'trashed') throw notFound(`There is no page with id ${pid} in space ${space.key} to be the parent`);
      parentId = pid;
    } else if (req.query.get('root-level') !== 'true') {
      parentId = space.homepageId || null;
    }
    if (status === 'current') this.assertTitleFree(space, title);
    const page = this.insertPage({ spaceId: space.id, parentId, status, authorId: this.actor(req.principal), title, representation, value, message: '' });
    this.save();
    if (status === 'current') this.emit('avi:confluence:created:page', page, req.principal);
    return { status: 200, body: this.pageJson(page, { format: representation, single: true }) };
  }

  private updatePage(req: ProductRequest, id: string): ProductResponse {
    const pid = this.numericId(id, 'id');
    const body = this.jsonBody(req);
    for (const field of ['id', 'status', 'title', 'body', 'version'] as const) {
      if (body[field] === undefined || body[field] === null) throw bad(`${field} is required`);
    }
    if (String(body.id) !== pid) throw bad(`id in the request body (${String(body.id)}) does not match the page id in the path (${pid})`);
    const status = body.status;
    if (status !== 'current' && status !== 'draft') throw bad(`status must be 'current' or 'draft', not ${JSON.stringify(status)}`);
    if (typeof body.title !== 'string') throw bad('title must be a string');
    const title = body.title.trim();
    if (status === 'current' && !title) throw bad('title must not be empty');
    if (title.length > 255) throw bad('title must be at most 255 characters');
    if (!isRecord(body.version) || !Number.isInteger(body.version.number)) throw bad('version.number is required and must be an integer');
    const number = body.version.number as number;
    const message = typeof body.version.message === 'string' ? body.version.message : '';
    const p = this.state.pages[pid];
    if (!p || p.status === 'archived') throw notFound();
    this.requireEdit(req.principal);
    const space = this.state.spaces[p.spaceId];
    if (body.spaceId !== undefined && String(body.spaceId) !== p.spaceId) throw bad('Moving a page to a different space is not supported');
    const actor = this.actor(req.principal);

    if (p.status === 'trashed') {
      if (status !== 'current') throw notFound();
      this.assertTitleFree(space, this.latest(p).title, p.id);
      p.status = 'current';
      this.save();
      this.emit('avi:confluence:restored:page', p, req.principal);
      return { status: 200, body: this.pageJson(p, { format: this.latest(p).representation, single: true }) };
    }

    const { representation, value } = this.parseBody(body.body, 400);
    const current = this.latest(p);
    let newParent = p.parentId;
    if (body.parentId !== undefined && body.parentId !== null && String(body.parentId) !== p.parentId) {
      const parent = this.state.pages[String(body.parentId)];
      if (!parent || parent.spaceId !== p.spaceId || parent.status === 'trashed' || parent.id === p.id || this.isDescendant(parent.id, p.id)) {
        throw notFound(`There is no page with id ${String(body.parentId)} in this space that can be the parent`);
      }
      newParent = parent.id;
    }
    if (status === 'current') this.assertTitleFree(space, title, p.id);

    const wasPublished = p.published;
    if (!p.published && status === 'draft') {
      if (number !== 1) throw conflict(`Version must be 1 when updating a draft. Current version is: ${current.number}`);
      p.versions[p.versions.length - 1] = { ...current, title, representation, value, message, createdAt: this.now(), authorId: actor };
    } else {
      const okNumbers = p.published ? [current.number + 1] : [1, current.number + 1];
      if (!okNumbers.includes(number)) throw conflict(`Version must be incremented on update. Current version is: ${current.number}`);
      const next: VersionRec = { number: p.published ? current.number + 1 : 1, createdAt: this.now(), authorId: actor, message, minorEdit: false, title, representation, value };
      if (p.published) p.versions.push(next);
      else p.versions[p.versions.length - 1] = next;
    }
    if (newParent !== p.parentId) {
      p.parentId = newParent;
      p.position = this.nextPosition(p.spaceId, newParent);
    }
    p.status = status;
    if (status === 'current') p.published = true;
    this.save();
    if (status === 'current') this.emit(wasPublished ? 'avi:confluence:updated:page' : 'avi:confluence:created:page', p, req.principal);
    return { status: 200, body: this.pageJson(p, { format: representation, single: true }) };
  }

  private deletePage(req: ProductRequest, id: string): ProductResponse {
    const p = this.state.pages[this.numericId(id, 'id')];
    if (!p) throw notFound();
    this.requireEdit(req.principal);
    const purge = req.query.get('purge') === 'true';
    const draft = req.query.get('draft') === 'true';
    if (p.status === 'draft' && !p.published) {
      if (!draft) throw bad('This page is a draft: delete it with draft=true');
      this.removePage(p);
    } else if (p.status === 'trashed') {
      if (!purge) throw notFound('The page is already in the trash: purge it with purge=true');
      this.removePage(p);
      this.save();
      this.emit('avi:confluence:deleted:page', p, req.principal);
      return { status: 204 };
    } else {
      if (purge) throw bad('Only a trashed page can be purged');
      for (const child of Object.values(this.state.pages)) {
        if (child.parentId === p.id) child.parentId = p.parentId;
      }
      p.status = 'trashed';
      this.save();
      this.emit('avi:confluence:trashed:page', p, req.principal);
      return { status: 204 };
    }
    this.save();
    return { status: 204 };
  }

  private getVersions(req: ProductRequest, id: string): ProductResponse {
    const p = this.visiblePage(id);
    const format = this.bodyFormat(req, false);
    const sort = req.query.get('sort') ?? '-modified-date';
    if (sort !== 'modified-date' && sort !== '-modified-date') throw badParam(`Invalid value for 'sort': ${sort}`);
    const page = this.paginate(req, p.versions, (v) => [v.number], sort.startsWith('-'), `/pages/${p.id}/versions`);
    return this.listResponse(page, (v) => {
      const entity: Record<string, unknown> = { title: v.title, id: p.id };
      if (format) entity.body = { [format]: { representation: format, value: this.bodyAs(v, format as Representation) } };
      return { createdAt: v.createdAt, message: v.message, number: v.number, minorEdit: v.minorEdit, authorId: v.authorId, page: entity };
    });
  }

  private getChildren(req: ProductRequest, id: string): ProductResponse {
    const p = this.visiblePage(id);
    const children = Object.values(this.state.pages).filter((c) => c.parentId === p.id && (c.status === 'current' || c.status === 'archived'));
    const sort = req.query.get('sort') ?? 'child-position';
    const keyOf: Record<string, (c: PageRec) => SortKey> = {
      'child-position': (c) => [c.position, Number(c.id)],
      id: (c) => [Number(c.id)],
      'created-date': (c) => [c.createdAt, Number(c.id)],
      'modified-date': (c) => [this.latest(c).createdAt, Number(c.id)],
    };
    const sortKey = keyOf[sort.replace(/^-/, '')];
    if (!sortKey) throw badParam(`Invalid value for 'sort': ${sort}`);
    const page = this.paginate(req, children, sortKey, sort.startsWith('-'), `/pages/${p.id}/children`);
    return this.listResponse(page, (c) => ({ id: c.id, status: c.status, title: this.latest(c).title, spaceId: c.spaceId, childPosition: c.position }));
  }

  private getLabels(req: ProductRequest, id: string): ProductResponse {
    const p = this.visiblePage(id);
    const prefix = req.query.get('prefix');
    if (prefix !== null && !['my', 'team', 'global', 'system'].includes(prefix)) throw badParam(`Invalid value for 'prefix': ${prefix}`);
    let labels = p.labels.map((name) => this.state.labels[name]).filter((l): l is LabelRec => !!l);
    if (prefix) labels = labels.filter((l) => l.prefix === prefix);
    const sort = req.query.get('sort') ?? 'name';
    const keyOf: Record<string, (l: LabelRec) => SortKey> = { name: (l) => [l.name, Number(l.id)], id: (l) => [Number(l.id)], 'created-date': (l) => [Number(l.id)] };
    const sortKey = keyOf[sort.replace(/^-/, '')];
    if (!sortKey) throw badParam(`Invalid value for 'sort': ${sort}`);
    const page = this.paginate(req, labels, sortKey, sort.startsWith('-'), `/pages/${p.id}/labels`);
    return this.listResponse(page, (l) => ({ id: l.id, name: l.name, prefix: l.prefix }));
  }

  // ------------------------------------------------------------------------------------------------------------
  // Content properties

  private getProperties(req: ProductRequest, id: string): ProductResponse {
    const p = this.visiblePage(id);
    const key = req.query.get('key');
    const props = Object.values(this.state.properties).filter((x) => x.pageId === p.id && (key === null || x.key === key));
    const sort = req.query.get('sort') ?? 'key';
    if (sort !== 'key' && sort !== '-key') throw badParam(`Invalid value for 'sort': ${sort}`);
    const page = this.paginate(req, props, (x) => [x.key, Number(x.id)], sort.startsWith('-'), `/pages/${p.id}/properties`);
    return this.listResponse(page, (x) => this.propertyJson(x));
  }

  private createProperty(req: ProductRequest, id: string): ProductResponse {
    const p = this.visiblePage(id);
    const body = this.jsonBody(req);
    const key = this.requiredString(body, 'key');
    if (key.length > 255) throw bad('key must be at most 255 characters');
    if (!('value' in body)) throw bad('value is required');
    this.requireEdit(req.principal);
    if (Object.values(this.state.properties).some((x) => x.pageId === p.id && x.key === key)) {
      throw conflict(`A content property with key '${key}' already exists on page ${p.id}`);
    }
    const prop: PropRec = {
      id: this.newId(),
      pageId: p.id,
      key,
      value: structuredClone(body.value),
      version: { number: 1, createdAt: this.now(), authorId: this.actor(req.principal), message: '', minorEdit: false },
    };
    this.state.properties[prop.id] = prop;
    this.save();
    return { status: 200, body: this.propertyJson(prop) };
  }

  private getProperty(_req: ProductRequest, pageId: string, propId: string): ProductResponse {
    return { status: 200, body: this.propertyJson(this.propertyOf(pageId, propId)) };
  }

  private updateProperty(req: ProductRequest, pageId: string, propId: string): ProductResponse {
    const prop = this.propertyOf(pageId, propId);
    const body = this.jsonBody(req);
    const key = this.requiredString(body, 'key');
    if (!('value' in body)) throw bad('value is required');
    if (!isRecord(body.version) || !Number.isInteger(body.version.number)) throw bad('version.number is required and must be an integer');
    this.requireEdit(req.principal);
    const number = body.version.number as number;
    if (number !== prop.version.number + 1) throw conflict(`Version must be incremented on update. Current version is: ${prop.version.number}`);
    if (key !== prop.key && Object.values(this.state.properties).some((x) => x.pageId === prop.pageId && x.key === key)) {
      throw conflict(`A content property with key '${key}' already exists on page ${prop.pageId}`);
    }
    prop.key = key;
    prop.value = structuredClone(body.value);
    prop.version = {
      number,
      createdAt: this.now(),
      authorId: this.actor(req.principal),
      message: typeof body.version.message === 'string' ? body.version.message : '',
      minorEdit: body.version.minorEdit === true,
    };
    this.save();
    return { status: 200, body: this.propertyJson(prop) };
  }

  private deleteProperty(req: ProductRequest, pageId: string, propId: string): ProductResponse {
    const prop = this.propertyOf(pageId, propId);
    this.requireEdit(req.principal);
    delete this.state.properties[prop.id];
    this.save();
    return { status: 204 };
  }

  private propertyOf(pageId: string, propId: string): PropRec {
    const p = this.visiblePage(pageId);
    const prop = this.state.properties[this.numericId(propId, 'property-id')];
    if (!prop || prop.pageId !== p.id) throw notFound();
    return prop;
  }

  private propertyJson(x: PropRec): Record<string, unknown> {
    return { id: x.id, key: x.key, value: x.value, version: { ...x.version } };
  }

  // ------------------------------------------------------------------------------------------------------------
  // v1 labels (v2 has no label-writing endpoint)

  private routeV1(req: ProductRequest, method: string): ProductResponse {
    const m = /^\/wiki\/rest\/api\/content\/([^/]+)\/label\/?$/.exec(req.path);
    if (!m) throw notFound(`No Confluence REST resource at ${req.path}`);
    const p = this.visiblePage(decodeURIComponent(m[1]));
    if (method === 'POST') {
      const body = req.body === undefined && req.rawBody ? this.jsonBody(req) : req.body;
      const items = Array.isArray(body) ? body : [body];
      this.requireEdit(req.principal);
      for (const item of items) {
        if (!isRecord(item) || typeof item.name !== 'string') throw bad('Each label needs a name');
        this.addLabel(p, item.name, typeof item.prefix === 'string' ? item.prefix : 'global');
      }
      this.save();
    } else if (method !== 'GET') {
      throw new HttpError(405, `Method ${method} is not allowed here`);
    }
    const results = p.labels.map((n) => this.state.labels[n]).filter(Boolean).map((l) => ({ prefix: l.prefix, name: l.name, id: l.id, label: l.name }));
    return { status: 200, body: { results, start: 0, limit: 200, size: results.length, _links: { self: `${this.base()}/rest/api/content/${p.id}/label`, base: this.base(), context: '/wiki' } } };
  }

  private addLabel(p: PageRec, raw: string, prefix = 'global'): void {
    const name = raw.trim().toLowerCase();
    if (!name || name.length > 255 || /[\s!#&()*,.:;<>?@[\]^]/.test(name)) throw bad(`'${raw}' is not a valid label name`);
    if (!this.state.labels[name]) this.state.labels[name] = { id: this.newId(), name, prefix };
    if (!p.labels.includes(name)) p.labels.push(name);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Operations, footer comments, users

  /** What the caller may do on a page: everyone who can see it reads; editors (and the app) update and delete. */
  private operationsFor(principal: Principal): string[] {
    if (principal.kind === 'app') return ['read', 'update', 'delete'];
    const user = findUser(principal.accountId);
    return user && !user.canEdit ? ['read'] : ['read', 'update', 'delete'];
  }

  private getOperations(req: ProductRequest, id: string): ProductResponse {
    this.visiblePage(id);
    return { status: 200, body: { operations: this.operationsFor(req.principal).map((operation) => ({ operation, targetType: 'page' })) } };
  }

  private commentJson(c: CommentRec, format?: string): Record<string, unknown> {
    const page = this.state.pages[c.pageId];
    const space = page ? this.state.spaces[page.spaceId] : undefined;
    const body = format
      ? { [format]: { representation: format, value: format === c.representation ? c.value : format === 'storage' ? adfToStorage(JSON.parse(c.value) as AdfNode) : JSON.stringify(storageToAdf(c.value)) } }
      : {};
    return {
      id: c.id,
      status: 'current',
      title: `Re: ${page ? this.latest(page).title : ''}`,
      pageId: c.pageId,
      version: { createdAt: c.createdAt, message: '', number: 1, minorEdit: false, authorId: c.authorId },
      body,
      _links: { webui: `/spaces/${space?.key ?? ''}/pages/${c.pageId}?focusedCommentId=${c.id}` },
    };
  }

  private getFooterComments(req: ProductRequest, id: string): ProductResponse {
    const p = this.visiblePage(id);
    const format = req.query.get('body-format') ?? undefined;
    if (format !== undefined && format !== 'storage' && format !== 'atlas_doc_format') throw badParam(`Invalid value for 'body-format': ${format}`);
    const sort = req.query.get('sort') ?? 'created-date';
    if (!['created-date', '-created-date', 'modified-date', '-modified-date'].includes(sort)) throw badParam(`Invalid value for 'sort': ${sort}`);
    const comments = Object.values(this.state.comments).filter((c) => c.pageId === p.id);
    const page = this.paginate(req, comments, (c) => [c.createdAt, Number(c.id)], sort.startsWith('-'), `/pages/${p.id}/footer-comments`);
    return this.listResponse(page, (c) => this.commentJson(c, format));
  }

  private createFooterComment(req: ProductRequest): ProductResponse {
    const body = this.jsonBody(req);
    if (body.pageId === undefined || body.pageId === null) throw bad('pageId is required: the workbench takes top-level comments on pages only');
    const p = this.visiblePage(String(body.pageId));
    if (req.principal.kind === 'user') {
      const user = findUser(req.principal.accountId);
      if (user && !user.canEdit) throw notFound('The user does not have the needed permissions to comment on this page');
    }
    const { representation, value } = this.parseBody(body.body, 400);
    const comment: CommentRec = { id: this.newId(), pageId: p.id, authorId: this.actor(req.principal), createdAt: this.now(), representation, value };
    this.state.comments[comment.id] = comment;
    this.save();
    return { status: 201, headers: { location: `${this.base()}/api/v2/footer-comments/${comment.id}` }, body: { ...this.commentJson(comment, representation), _links: { ...(this.commentJson(comment)._links as object), base: this.base() } } };
  }

  private usersBulk(req: ProductRequest): ProductResponse {
    const body = this.jsonBody(req);
    const ids = body.accountIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 250 || !ids.every((x) => typeof x === 'string')) throw bad('accountIds must be a list of 1 to 250 account ids');
    const results = (ids as string[]).flatMap((id) => {
      const user = findUser(id);
      if (!user || user.accountId !== id) return [];
      return [{ accountId: user.accountId, accountType: user.accountId === APP_USER.accountId ? 'app' : 'atlassian', accountStatus: 'active', displayName: user.displayName, publicName: user.displayName, email: user.emailAddress, isExternalCollaborator: false }];
    });
    return { status: 200, body: { results, _links: { base: this.base() } } };
  }

  /** A page's footer comments, oldest first (the workbench's page view lists them). */
  pageComments(pageId: string): Array<{ id: string; authorId: string; createdAt: string; html: string }> {
    const ctx = { userName: (id: string) => findUser(id)?.displayName };
    return Object.values(this.state.comments)
      .filter((c) => c.pageId === pageId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id))
      .map((c) => ({ id: c.id, authorId: c.authorId, createdAt: c.createdAt, html: c.representation === 'atlas_doc_format' ? renderAdfHtml(JSON.parse(c.value), ctx) : renderStorageHtml(c.value, ctx) }));
  }

  // ------------------------------------------------------------------------------------------------------------
  // Building blocks

  private insertPage(a: { spaceId: string; parentId: string | null; status: 'current' | 'draft'; authorId: string; title: string; representation: Representation; value: string; message: string }): PageRec {
    const now = this.now();
    const page: PageRec = {
      id: this.newId(),
      spaceId: a.spaceId,
      parentId: a.parentId,
      position: this.nextPosition(a.spaceId, a.parentId),
      status: a.status,
      authorId: a.authorId,
      ownerId: a.authorId,
      createdAt: now,
      published: a.status === 'current',
      versions: [{ number: 1, createdAt: now, authorId: a.authorId, message: a.message, minorEdit: false, title: a.title, representation: a.representation, value: a.value }],
      labels: [],
    };
    this.state.pages[page.id] = page;
    return page;
  }

  private removePage(p: PageRec): void {
    delete this.state.pages[p.id];
    for (const prop of Object.values(this.state.properties)) if (prop.pageId === p.id) delete this.state.properties[prop.id];
    for (const c of Object.values(this.state.comments)) if (c.pageId === p.id) delete this.state.comments[c.id];
  }

  private nextPosition(spaceId: string, parentId: string | null): number {
    let max = -1;
    for (const p of Object.values(this.state.pages)) if (p.spaceId === spaceId && p.parentId === parentId) max = Math.max(max, p.position);
    return max + 1;
  }

  private isDescendant(candidate: string, ancestor: string): boolean {
    for (let cur = this.state.pages[candidate]?.parentId; cur; cur = this.state.pages[cur]?.parentId) if (cur === ancestor) return true;
    return false;
  }

  private assertTitleFree(space: SpaceRec, title: string, exceptId?: string): void {
    const lower = title.toLowerCase();
    const clash = Object.values(this.state.pages).some((p) => p.spaceId === space.id && p.id !== exceptId && p.status === 'current' && this.latest(p).title.toLowerCase() === lower);
    if (clash) throw bad(`A page with this title already exists: A page already exists with the same TITLE in this space`, `Space ${space.key} already has a page titled ${JSON.stringify(title)}`);
  }

  private visiblePage(id: string): PageRec {
    const p = this.state.pages[this.numericId(id, 'id')];
    if (!p || p.status === 'trashed') throw notFound();
    return p;
  }

  private latest(p: PageRec): VersionRec {
    return p.versions[p.versions.length - 1];
  }

  private spaceByKey(key: string): SpaceRec | undefined {
    return Object.values(this.state.spaces).find((s) => s.key === key);
  }

  private pageJson(
    p: PageRec,
    o: {
      format?: string;
      single: boolean;
      version?: VersionRec;
      includeVersion?: boolean;
      includeLabels?: boolean;
      includeProperties?: boolean;
      includeVersions?: boolean;
      includeOperations?: boolean;
      includeFavorite?: boolean;
    },
  ): Record<string, unknown> {
    const v = o.version ?? this.latest(p);
    const historical = v !== this.latest(p);
    const space = this.state.spaces[p.spaceId];
    const out: Record<string, unknown> = {
      id: p.id,
      status: historical ? 'historical' : p.status,
      title: v.title,
      spaceId: p.spaceId,
    };
    if (p.parentId) {
      out.parentId = p.parentId;
      out.parentType = 'page';
    }
    out.position = p.position;
    out.authorId = p.authorId;
    out.ownerId = p.ownerId;
    out.lastOwnerId = null;
    out.createdAt = p.createdAt;
    if (o.includeVersion !== false) out.version = this.versionJson(v);
    out.body = o.format ? { [o.format]: { representation: o.format, value: o.format === 'view' ? this.renderVersion(v) : this.bodyAs(v, o.format as Representation) } } : {};
    const self = (sub: string) => ({ self: `${API}/pages/${p.id}/${sub}` });
    if (o.includeLabels) {
      const labels = p.labels.map((n) => this.state.labels[n]).filter(Boolean).map((l) => ({ id: l.id, name: l.name, prefix: l.prefix }));
      out.labels = { results: labels, meta: { hasMore: false }, _links: self('labels') };
    }
    if (o.includeProperties) {
      const props = Object.values(this.state.properties).filter((x) => x.pageId === p.id).map((x) => this.propertyJson(x));
      out.properties = { results: props, meta: { hasMore: false }, _links: self('properties') };
    }
    if (o.includeOperations) {
      out.operations = { results: ['read', 'update', 'delete'].map((operation) => ({ operation, targetType: 'page' })), meta: { hasMore: false }, _links: self('operations') };
    }
    if (o.includeVersions) {
      out.versions = { results: [...p.versions].reverse().map((x) => this.versionJson(x)), meta: { hasMore: false }, _links: self('versions') };
    }
    if (o.includeFavorite) out.isFavoritedByCurrentUser = false;
    const links: Record<string, string> = {
      editui: `/pages/resumedraft.action?draftId=${p.id}`,
      webui: `/spaces/${space?.key ?? ''}/pages/${p.id}/${titleSlug(v.title)}`,
      edituiv2: `/spaces/${space?.key ?? ''}/pages/edit-v2/${p.id}`,
      tinyui: `/x/${tinyCode(p.id)}`,
    };
    if (o.single) links.base = this.base();
    out._links = links;
    return out;
  }

  private versionJson(v: VersionRec): Record<string, unknown> {
    return { createdAt: v.createdAt, message: v.message, number: v.number, minorEdit: v.minorEdit, authorId: v.authorId };
  }

  private bodyAs(v: VersionRec, format: Representation): string {
    if (format === v.representation) return v.value;
    if (format === 'storage') return adfToStorage(JSON.parse(v.value) as AdfNode);
    return JSON.stringify(storageToAdf(v.value));
  }

  private renderVersion(v: VersionRec): string {
    const ctx = { userName: (id: string) => findUser(id)?.displayName };
    return v.representation === 'atlas_doc_format' ? renderAdfHtml(JSON.parse(v.value), ctx) : renderStorageHtml(v.value, ctx);
  }

  /** Reads a v2 body: `{ representation, value }` or `{ storage: { representation, value } }` (one key). */
  private parseBody(raw: unknown, tooLargeStatus: 400 | 413): { representation: Representation; value: string } {
    if (!isRecord(raw)) throw bad('body must be an object with representation and value');
    let representation: unknown;
    let value: unknown;
    if ('representation' in raw || 'value' in raw) {
      representation = raw.representation;
      value = raw.value;
    } else {
      const keys = Object.keys(raw).filter((k) => raw[k] !== undefined && raw[k] !== null);
      if (keys.length !== 1) throw bad('body must hold exactly one representation (storage or atlas_doc_format)');
      const inner = raw[keys[0]];
      if (!isRecord(inner)) throw bad(`body.${keys[0]} must be an object with representation and value`);
      representation = inner.representation ?? keys[0];
      value = inner.value;
      if (representation !== keys[0]) throw bad(`body.${keys[0]}.representation must be ${keys[0]}`);
    }
    if (representation === 'wiki') throw bad('body.representation wiki is not supported by the workbench: use storage or atlas_doc_format');
    if (representation !== 'storage' && representation !== 'atlas_doc_format') throw bad(`body.representation must be storage or atlas_doc_format, not ${JSON.stringify(representation)}`);
    if (typeof value !== 'string') throw bad('body.value is required and must be a string (an atlas_doc_format value is a JSON string)');
    if (Buffer.byteLength(value, 'utf8') > MAX_BODY_BYTES) {
      throw new HttpError(tooLargeStatus, 'The page body is larger than the 5 MB limit', `body.value is ${Buffer.byteLength(value, 'utf8')} bytes`);
    }
    if (representation === 'atlas_doc_format') {
      let doc: unknown;
      try {
        doc = JSON.parse(value);
      } catch {
        throw bad('body.value is not valid JSON: an atlas_doc_format body is an ADF document serialised as a string');
      }
      const problem = adfProblem(doc);
      if (problem) throw bad(`body.value is not a valid ADF document: ${problem}`);
    } else {
      const problem = storageProblem(value);
      if (problem) throw bad(`Error parsing xhtml: ${problem}`);
    }
    return { representation, value };
  }

  private bodyFormat(req: ProductRequest, single: boolean): string | undefined {
    const f = req.query.get('body-format');
    if (f === null) return undefined;
    const allowed = single ? ['storage', 'atlas_doc_format', 'view'] : ['storage', 'atlas_doc_format'];
    if (!allowed.includes(f)) throw badParam(`Invalid value for 'body-format': ${f}. Supported here: ${allowed.join(', ')}`);
    return f;
  }

  private jsonBody(req: ProductRequest): Record<string, unknown> {
    if (req.body === undefined) {
      if (req.rawBody && req.rawBody.trim()) {
        try {
          JSON.parse(req.rawBody);
        } catch (e) {
          throw bad('Invalid JSON in request body', (e as Error).message);
        }
      }
      throw bad('A JSON request body is required');
    }
    if (!isRecord(req.body)) throw bad('The request body must be a JSON object');
    return req.body;
  }

  private requiredString(body: Record<string, unknown>, field: string): string {
    const v = body[field];
    if (v === undefined || v === null || v === '') throw bad(`${field} is required`);
    if (typeof v !== 'string' && typeof v !== 'number') throw bad(`${field} must be a string`);
    return String(v);
  }

  private numericId(id: string | undefined, name: string): string {
    if (!id || !/^\d{1,19}$/.test(id)) throw badParam(`Provided value {${id ?? ''}} for '${name}' is not the correct type. Expected type is long`);
    return id;
  }

  /** A multi-valued query parameter: repeated (`a=1&a=2`) or comma-separated (`a=1,2`). */
  private list(req: ProductRequest, name: string): string[] {
    return req.query
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  }

  private idList(req: ProductRequest, name: string): string[] {
    return this.list(req, name).map((v) => this.numericId(v, name));
  }

  private paginate<T>(req: ProductRequest, items: T[], keyOf: (t: T) => SortKey, desc: boolean, path: string): { items: T[]; next?: string } {
    const limitRaw = req.query.get('limit');
    let limit = 25;
    if (limitRaw !== null) {
      limit = Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1) throw badParam(`Invalid value for 'limit': ${limitRaw}. It must be an integer between 1 and 250`);
      limit = Math.min(limit, 250);
    }
    const dir = desc ? -1 : 1;
    const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((x, y) => dir * compareKeys(x.key, y.key));
    let start = 0;
    const cursor = req.query.get('cursor');
    if (cursor) {
      let after: SortKey;
      try {
        const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
        if (!Array.isArray(decoded.k)) throw new Error('no key');
        after = decoded.k as SortKey;
      } catch {
        throw badParam(`Invalid value for 'cursor'`);
      }
      start = sorted.findIndex((x) => dir * compareKeys(x.key, after) > 0);
      if (start === -1) start = sorted.length;
    }
    const slice = sorted.slice(start, start + limit);
    if (start + limit >= sorted.length) return { items: slice.map((x) => x.item) };
    const params = new URLSearchParams(req.query);
    params.set('cursor', b64urlEncode(JSON.stringify({ k: slice[slice.length - 1].key })));
    params.set('limit', String(limit));
    return { items: slice.map((x) => x.item), next: `${API}${path}?${params.toString()}` };
  }

  private listResponse<T>(page: { items: T[]; next?: string }, toJson: (t: T) => unknown): ProductResponse {
    const links: Record<string, string> = {};
    if (page.next) links.next = page.next;
    links.base = this.base();
    const headers: Record<string, string> = {};
    if (page.next) headers.link = `<${page.next}>; rel="next", <${this.base()}>; rel="base"`;
    return { status: 200, headers, body: { results: page.items.map(toJson), _links: links } };
  }

  private actor(principal: Principal): string {
    return principal.kind === 'app' ? APP_USER.accountId : principal.accountId;
  }

  private requireEdit(principal: Principal): void {
    if (principal.kind === 'app') return;
    const user = findUser(principal.accountId);
    if (user && !user.canEdit) throw notFound('The user does not have the needed permissions to change content in this space');
  }

  private emit(eventType: ConfluencePageEventType, p: PageRec, principal: Principal): void {
    if (!this.onEvent) return;
    const v = this.latest(p);
    const space = this.state.spaces[p.spaceId];
    const payload: ConfluencePagePayload = {
      eventType,
      atlassianId: this.actor(principal),
      eventCreatedDate: this.now(),
      suppressNotifications: false,
      ...(eventType === 'avi:confluence:updated:page' ? { updateTrigger: 'edit_page' } : {}),
      content: {
        id: p.id,
        type: 'page',
        status: p.status === 'draft' ? 'draft' : p.status,
        title: v.title,
        space: { id: Number(space.id), key: space.key, alias: space.key, name: space.name, icon: { ...SPACE_ICON }, type: 'global', status: 'current' },
        history: { latest: true, createdBy: eventUser(p.authorId), ownedBy: eventUser(p.ownerId), createdDate: p.createdAt },
        version: { by: eventUser(v.authorId), when: v.createdAt, number: v.number },
      },
    };
    try {
      this.onEvent({ eventType, payload: payload as unknown as Record<string, unknown> });
    } catch {
      // A failing subscriber must not fail the write that already happened (Forge delivers events asynchronously).
    }
  }

  private base(): string {
    return `${this.siteUrl}/wiki`;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private newId(): string {
    const id = this.state.nextId;
    this.state.nextId += 1;
    return String(id);
  }

  private save(): void {
    this.store.save(this.state);
  }
}
