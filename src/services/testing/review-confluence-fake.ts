/**
 * A small Confluence for the review and configuration-check tests (test support only), implementing
 * ReviewConfluence with Confluence's behaviour where the services could tell: titles unique per space,
 * a PUT must name the current version + 1 (else CONFLICT), trashed pages, per-page write permission for
 * the app. Tests can make a person save the page between the app's read and write, lose the answer to a
 * create (the page is made, the call fails), or make Confluence unreachable.
 */
import { ContinuityError, notFound, UpstreamError } from '../../domain/errors';
import type { ConfluencePageRef, ConfluenceSpaceRef, ReviewConfluence } from '../review';

export interface FakePage {
  id: string;
  spaceId: string;
  parentId?: string;
  title: string;
  status: 'current' | 'trashed';
  version: number;
  body: unknown;
}

export class FakeReviewConfluence implements ReviewConfluence {
  readonly spaces: ConfluenceSpaceRef[] = [{ id: '100', key: 'CONT', name: 'Continuity' }];
  readonly pages = new Map<string, FakePage>();
  readonly calls: string[] = [];
  /** Pages the app may read but not write. */
  readonly readOnly = new Set<string>();
  private nextId = 5000;
  private beforeNextUpdate: Array<(page: FakePage) => void> = [];
  private loseNextCreate = false;
  unreachable = false;

  /** The next update finds that a person saved the page after the app read it (`edit` is their change). */
  personEditsBeforeNextUpdate(edit: (page: FakePage) => void): void {
    this.beforeNextUpdate.push(edit);
  }

  /** The next create makes the page but its answer is lost (the call fails as a 5xx would). */
  loseNextCreateAnswer(): void {
    this.loseNextCreate = true;
  }

  addPage(page: Omit<FakePage, 'id' | 'version' | 'status'> & { id?: string }): FakePage {
    const made: FakePage = { status: 'current', version: 1, ...page, id: page.id ?? String(this.nextId++) };
    this.pages.set(made.id, made);
    return made;
  }

  private ref(p: FakePage, body: boolean): ConfluencePageRef {
    return { id: p.id, title: p.title, spaceId: p.spaceId, status: p.status, version: p.version, url: `https://example.atlassian.net/wiki/spaces/CONT/pages/${p.id}`, ...(body ? { body: structuredClone(p.body) } : {}) };
  }

  private enter(call: string): void {
    this.calls.push(call);
    if (this.unreachable) throw new UpstreamError(0, 'Confluence (not connected)');
  }

  async getPage(pageId: string, options: { body?: boolean } = {}): Promise<ConfluencePageRef> {
    this.enter(`getPage ${pageId}`);
    const page = this.pages.get(pageId);
    if (!page) throw notFound(`Confluence page ${pageId}`);
    return this.ref(page, options.body === true);
  }

  async findPageByTitle(spaceId: string, title: string): Promise<ConfluencePageRef | undefined> {
    this.enter(`findPageByTitle ${title}`);
    const page = [...this.pages.values()].find((p) => p.spaceId === spaceId && p.title === title && p.status === 'current');
    return page && this.ref(page, false);
  }

  async createPage(input: { spaceId: string; parentId?: string; title: string; body: object }): Promise<ConfluencePageRef> {
    this.enter(`createPage ${input.title}`);
    await new Promise((r) => setImmediate(r));
    if ([...this.pages.values()].some((p) => p.spaceId === input.spaceId && p.status === 'current' && p.title.toLowerCase() === input.title.toLowerCase())) {
      throw new ContinuityError('INVALID_INPUT', 'New Confluence page: A page with this title already exists');
    }
    const page = this.addPage({ spaceId: input.spaceId, ...(input.parentId ? { parentId: input.parentId } : {}), title: input.title, body: structuredClone(input.body) });
    if (this.loseNextCreate) {
      this.loseNextCreate = false;
      throw new UpstreamError(502, 'New Confluence page');
    }
    return this.ref(page, false);
  }

  async updatePage(input: { id: string; title: string; version: number; body: object }): Promise<ConfluencePageRef> {
    this.enter(`updatePage ${input.id} v${input.version}`);
    const page = this.pages.get(input.id);
    if (!page) throw notFound(`Confluence page ${input.id}`);
    const edit = this.beforeNextUpdate.shift();
    if (edit) {
      edit(page);
      page.version += 1;
    }
    if (this.readOnly.has(page.id)) throw new ContinuityError('FORBIDDEN', `Confluence page ${input.id}: not permitted.`);
    if (input.version !== page.version + 1) throw new ContinuityError('CONFLICT', `Confluence page ${input.id}: conflict.`);
    Object.assign(page, { title: input.title, version: input.version, body: structuredClone(input.body), status: 'current' });
    return this.ref(page, false);
  }

  async spaceByKey(key: string): Promise<ConfluenceSpaceRef | undefined> {
    this.enter(`spaceByKey ${key}`);
    return this.spaces.find((s) => s.key === key);
  }

  async pageOperations(pageId: string): Promise<string[]> {
    this.enter(`pageOperations ${pageId}`);
    if (!this.pages.has(pageId)) throw notFound(`Confluence page ${pageId}`);
    return this.readOnly.has(pageId) ? ['read'] : ['read', 'update', 'delete'];
  }
}
