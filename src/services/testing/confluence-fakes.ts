/**
 * In-memory fakes of the plan features' ports (test support only): a small Confluence, the plan page
 * store over the fakes' shared storage, and the publishing queue. They behave as the adapters do where
 * a service could tell the difference:
 *   - FakeConfluence keeps pages with every version (ADF bodies), refuses a write that does not name
 *     the current version + 1 with CONFLICT, keeps titles unique per space, footer comments, each
 *     person's permitted operations, and can be disconnected (every call fails with
 *     CONFLUENCE_NOT_CONNECTED) or told to fail a method. `edit()` is a person saving the page in
 *     Confluence; `onBeforeUpdate` lets a test slip such an edit in between the app's read and write.
 *   - MemoryPlanPages finds plans by page in the shared storage, with locks, reminder claims and jobs
 *     that fail and succeed as their conditional writes do.
 */
import { ConfluenceNotConnectedError, ContinuityError, notFound, UpstreamError } from '../../domain/errors';
import type { ContinuityPlan } from '../../domain/catalogue';
import { adfPlainText } from '../../domain/plans/adf-text';
import { QueueRefusedError, StaleRecordError, type Clock, type ConfluenceActor, type ConfluenceGateway, type ConfluencePage, type ConfluenceSpace, type FooterComment, type PlanPageStore, type PlanQueue, type PublishEvent, type PublishJob } from '../../ports';
import type { MemoryStorage } from './fakes';

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

export const APP_ACCOUNT = 'app-account';
export const SITE = 'https://acme.atlassian.net';

interface FakeVersion {
  number: number;
  title: string;
  body: unknown;
  by: string;
  at: number;
}

export interface FakePage {
  id: string;
  spaceId: string;
  parentId?: string;
  status: 'current' | 'trashed';
  versions: FakeVersion[];
  comments: Array<{ id: string; body: unknown; by: string; at: number }>;
}

export type ConfluenceMethod = keyof ConfluenceGateway;

export interface ConfluenceCall {
  method: ConfluenceMethod;
  as: ConfluenceActor;
  args: unknown[];
}

/** The Confluence all views of one FakeConfluence share. */
class ConfluenceState {
  nextId = 1000;
  readonly spaces = new Map<string, ConfluenceSpace>();
  readonly pages = new Map<string, FakePage>();
  readonly calls: ConfluenceCall[] = [];
  readonly names = new Map<string, string>();
  /** accountId → page id → operations; a person not listed may read and update every page. */
  readonly operations = new Map<string, Map<string, string[]>>();
  connected = true;
  readonly failures: Array<{ method: ConfluenceMethod; error: () => Error; times: number }> = [];
  onBeforeUpdate?: (pageId: string) => Promise<void> | void;
}

export class FakeConfluence implements ConfluenceGateway {
  private readonly state: ConfluenceState;

  constructor(
    private readonly clock: Clock,
    /** The signed-in person `as: 'user'` calls are made as. */
    readonly user?: string,
    state?: ConfluenceState,
  ) {
    this.state = state ?? new ConfluenceState();
  }

  /** The same Confluence, called as `accountId` where the gateway is asked to act as the user. */
  forUser(accountId: string): FakeConfluence {
    return new FakeConfluence(this.clock, accountId, this.state);
  }

  get calls(): ConfluenceCall[] {
    return this.state.calls;
  }

  get pages(): Map<string, FakePage> {
    return this.state.pages;
  }

  set connected(value: boolean) {
    this.state.connected = value;
  }

  set onBeforeUpdate(hook: ((pageId: string) => Promise<void> | void) | undefined) {
    this.state.onBeforeUpdate = hook;
  }

  addSpace(key: string, name = key): ConfluenceSpace {
    const space = { id: String(this.state.nextId++), key, name };
    const home = this.insert(space.id, `${name} Home`, { type: 'doc', version: 1, content: [] }, APP_ACCOUNT);
    const stored = { ...space, homepageId: home.id };
    this.state.spaces.set(space.id, stored);
    return stored;
  }

  /** A page as a person created it in Confluence. */
  addPage(spaceId: string, title: string, body: unknown, by = 'person-1', parentId?: string): FakePage {
    return this.insert(spaceId, title, body, by, parentId);
  }

  /** A person saves a new version of the page in Confluence. */
  edit(pageId: string, change: (body: any) => unknown, by = 'person-1', title?: string): FakePage {
    const page = this.state.pages.get(pageId);
    if (!page) throw new Error(`no page ${pageId}`);
    const latest = page.versions[page.versions.length - 1];
    page.versions.push({ number: latest.number + 1, title: title ?? latest.title, body: change(copy(latest.body)), by, at: this.clock.now() });
    return page;
  }

  latest(pageId: string): FakeVersion {
    const page = this.state.pages.get(pageId);
    if (!page) throw new Error(`no page ${pageId}`);
    return page.versions[page.versions.length - 1];
  }

  setName(accountId: string, name: string): void {
    this.state.names.set(accountId, name);
  }

  /** What `accountId` may do on `pageId` (default: read and update; for APP_ACCOUNT, the app: read, update, delete). */
  setOperations(accountId: string, pageId: string, operations: string[]): void {
    const forUser = this.state.operations.get(accountId) ?? new Map<string, string[]>();
    forUser.set(pageId, operations);
    this.state.operations.set(accountId, forUser);
  }

  /** The next `times` calls of `method` fail with `error`. */
  fail(method: ConfluenceMethod, error: () => Error = () => new UpstreamError(503, 'Confluence'), times = 1): void {
    this.state.failures.push({ method, error, times });
  }

  count(method: ConfluenceMethod): number {
    return this.state.calls.filter((c) => c.method === method).length;
  }

  connection(): 'connected' | 'not-connected' | 'unknown' {
    return this.state.connected ? 'connected' : 'not-connected';
  }

  private insert(spaceId: string, title: string, body: unknown, by: string, parentId?: string): FakePage {
    const page: FakePage = { id: String(this.state.nextId++), spaceId, ...(parentId ? { parentId } : {}), status: 'current', versions: [{ number: 1, title, body: copy(body), by, at: this.clock.now() }], comments: [] };
    this.state.pages.set(page.id, page);
    return page;
  }

  private async call(method: ConfluenceMethod, as: ConfluenceActor, args: unknown[]): Promise<void> {
    await yieldTurn();
    this.state.calls.push({ method, as, args: copy(args) });
    if (!this.state.connected) throw new ConfluenceNotConnectedError();
    const failure = this.state.failures.find((f) => f.method === method && f.times > 0);
    if (failure) {
      failure.times -= 1;
      throw failure.error();
    }
  }

  private actor(as: ConfluenceActor): string {
    return as === 'user' ? (this.user ?? 'nobody') : APP_ACCOUNT;
  }

  private ops(as: ConfluenceActor, pageId: string): string[] {
    if (as === 'app') return this.state.operations.get(APP_ACCOUNT)?.get(pageId) ?? ['read', 'update', 'delete'];
    return this.state.operations.get(this.actor(as))?.get(pageId) ?? ['read', 'update'];
  }

  private view(page: FakePage, body: boolean): ConfluencePage {
    const v = page.versions[page.versions.length - 1];
    const space = this.state.spaces.get(page.spaceId);
    return {
      id: page.id,
      title: v.title,
      spaceId: page.spaceId,
      status: page.status,
      version: v.number,
      editedBy: v.by,
      editedAt: v.at,
      url: `${SITE}/wiki/spaces/${space?.key ?? 'X'}/pages/${page.id}/${encodeURIComponent(v.title).replace(/%20/g, '+')}`,
      ...(body ? { body: copy(v.body) } : {}),
    };
  }

  private page(pageId: string, as: ConfluenceActor): FakePage {
    const page = this.state.pages.get(pageId);
    if (!page || page.status !== 'current' || !this.ops(as, pageId).includes('read')) throw notFound(`Confluence page ${pageId}`);
    return page;
  }

  async getPage(pageId: string, options: { body?: boolean; as?: ConfluenceActor } = {}): Promise<ConfluencePage> {
    const as = options.as ?? 'app';
    await this.call('getPage', as, [pageId, options]);
    return this.view(this.page(pageId, as), options.body === true);
  }

  async findPageByTitle(spaceId: string, title: string): Promise<ConfluencePage | undefined> {
    await this.call('findPageByTitle', 'app', [spaceId, title]);
    const page = [...this.state.pages.values()].find((p) => p.spaceId === spaceId && p.status === 'current' && p.versions[p.versions.length - 1].title === title);
    return page && this.view(page, false);
  }

  async createPage(input: { spaceId: string; parentId?: string; title: string; body: object }): Promise<ConfluencePage> {
    await this.call('createPage', 'app', [input]);
    if (!this.state.spaces.has(input.spaceId)) throw notFound(`Confluence space ${input.spaceId}`);
    const clash = [...this.state.pages.values()].some((p) => p.spaceId === input.spaceId && p.status === 'current' && p.versions[p.versions.length - 1].title.toLowerCase() === input.title.toLowerCase());
    if (clash) throw new ContinuityError('INVALID_INPUT', 'New Confluence page: A page with this title already exists');
    return this.view(this.insert(input.spaceId, input.title, input.body, APP_ACCOUNT, input.parentId), false);
  }

  async updatePage(input: { id: string; title: string; version: number; body: object; message?: string }): Promise<ConfluencePage> {
    await this.call('updatePage', 'app', [input]);
    await this.state.onBeforeUpdate?.(input.id);
    const page = this.page(input.id, 'app');
    const current = page.versions[page.versions.length - 1];
    if (input.version !== current.number + 1) throw new ContinuityError('CONFLICT', `Confluence page ${input.id}: someone saved a newer version.`);
    page.versions.push({ number: input.version, title: input.title, body: copy(input.body), by: APP_ACCOUNT, at: this.clock.now() });
    return this.view(page, false);
  }

  async pageOperations(pageId: string, as: ConfluenceActor): Promise<string[]> {
    await this.call('pageOperations', as, [pageId]);
    this.page(pageId, as);
    return this.ops(as, pageId);
  }

  async spaceByKey(key: string, as: ConfluenceActor = 'app'): Promise<ConfluenceSpace | undefined> {
    await this.call('spaceByKey', as, [key]);
    return [...this.state.spaces.values()].find((s) => s.key === key);
  }

  async footerComments(pageId: string, limit = 50): Promise<FooterComment[]> {
    await this.call('footerComments', 'app', [pageId, limit]);
    return [...this.page(pageId, 'app').comments].reverse().slice(0, limit).map((c) => ({ id: c.id, text: adfPlainText(c.body) }));
  }

  async addFooterComment(pageId: string, body: object): Promise<string> {
    await this.call('addFooterComment', 'app', [pageId, body]);
    const comment = { id: String(this.state.nextId++), body: copy(body), by: APP_ACCOUNT, at: this.clock.now() };
    this.page(pageId, 'app').comments.push(comment);
    return comment.id;
  }

  async userNames(accountIds: readonly string[]): Promise<Map<string, string>> {
    await this.call('userNames', 'app', [accountIds]);
    return new Map(accountIds.flatMap((id) => (this.state.names.has(id) ? [[id, this.state.names.get(id)!] as [string, string]] : [])));
  }
}

// ---------------------------------------------------------------------------------------------------

/** PlanPageStore over the fakes' shared storage (plans by page, locks, claims, jobs). */
export class MemoryPlanPages implements PlanPageStore {
  readonly locks = new Map<string, { holder: string; until: number }>();
  readonly claims = new Set<string>();
  readonly jobs = new Map<string, PublishJob>();
  latest?: string;

  constructor(readonly storage: MemoryStorage) {}

  async planForPage(pageId: string): Promise<ContinuityPlan | undefined> {
    return this.storage.op('query', 'planForPage', [pageId], () => {
      const plans = [...this.storage.plans.values()].filter((p) => p.pageId === pageId);
      return plans.find((p) => p.status !== 'retired') ?? plans[0];
    });
  }

  async lockPlan(planId: string, holder: string, now: number, until: number): Promise<boolean> {
    return this.storage.op('write', 'lockPlan', [planId, holder], () => {
      const held = this.locks.get(planId);
      if (held && held.until > now && held.holder !== holder) return false;
      this.locks.set(planId, { holder, until });
      return true;
    });
  }

  async unlockPlan(planId: string, holder: string): Promise<void> {
    await this.storage.op('write', 'unlockPlan', [planId, holder], () => {
      if (this.locks.get(planId)?.holder === holder) this.locks.delete(planId);
    });
  }

  async claimReminder(planId: string, period: string): Promise<boolean> {
    return this.storage.op('write', 'claimReminder', [planId, period], () => {
      const key = `${planId}:${period}`;
      if (this.claims.has(key)) return false;
      this.claims.add(key);
      return true;
    });
  }

  async releaseReminder(planId: string, period: string): Promise<void> {
    await this.storage.op('write', 'releaseReminder', [planId, period], () => this.claims.delete(`${planId}:${period}`));
  }

  async getPublishJob(id: string): Promise<PublishJob | undefined> {
    return this.storage.op('read', 'getPublishJob', [id], () => this.jobs.get(id));
  }

  async savePublishJob(job: PublishJob, expectedVersion: number): Promise<PublishJob> {
    return this.storage.op('write', 'savePublishJob', [job, expectedVersion], () => {
      const current = this.jobs.get(job.id);
      if ((current?.version ?? 0) !== expectedVersion) throw new StaleRecordError(job.id);
      const stored = { ...copy(job), version: expectedVersion + 1 };
      this.jobs.set(job.id, stored);
      return stored;
    });
  }

  async latestPublishJobId(): Promise<string | undefined> {
    return this.storage.op('read', 'latestPublishJobId', [], () => this.latest);
  }

  async setLatestPublishJobId(id: string): Promise<void> {
    await this.storage.op('write', 'setLatestPublishJobId', [id], () => {
      this.latest = id;
    });
  }
}

/** PlanQueue in memory: records what was pushed, refuses when told to. */
export class MemoryPlanQueue implements PlanQueue {
  readonly events: PublishEvent[] = [];
  private refusals = 0;

  refuseNext(times = 1): void {
    this.refusals += times;
  }

  async push(event: PublishEvent): Promise<void> {
    await yieldTurn();
    if (this.refusals > 0) {
      this.refusals -= 1;
      throw new QueueRefusedError('The plan publishing queue refused the push (rate limit).', 60);
    }
    this.events.push({ ...event });
  }

  /** Takes the oldest event not yet taken (what the consumer is handed next). */
  take(): PublishEvent | undefined {
    return this.events.shift();
  }
}
