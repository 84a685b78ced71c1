/**
 * The local Jira Cloud + JSM site. `handle()` answers Jira platform REST v3 requests on their real
 * paths with their documented shapes; the HTTP server and the Forge runtime both call it.
 * State is journalled (atomically, one line a request) after every request that changed it, and product
 * events are delivered once the state they describe is on disk.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock, ProductEvent, ProductEventSink, ProductRequest, ProductResponse, ProductService } from '../types';
import { APP_USER, findUser, type WorkbenchUser } from '../users';
import { issueNotFound, JiraError, unauthorized } from './errors';
import { canSeeIssue } from './permissions';
import type { IndexedPropertyDef } from './jql';
import { Router, parsedBody, type RouteContext } from './router';
import { registerCommentRoutes } from './routes/comments';
import { registerIssueRoutes } from './routes/issues';
import { registerMetaRoutes } from './routes/meta';
import { registerPropertyRoutes } from './routes/properties';
import { registerRemoteLinkRoutes } from './routes/remotelinks';
import { registerSearchRoutes } from './routes/search';
import { registerServiceDeskRoutes } from './routes/servicedesk';
import { seedBase } from './seed';
import { Site } from './site';
import { JiraStore, type CustomFieldKind } from './state';

export interface JiraServiceOptions {
  /** Where the state is persisted; in memory only when absent. */
  file?: string;
  clock: Clock;
  onEvent?: ProductEventSink;
  /** The site's base URL, used in every `self` link, e.g. `http://localhost:4411`. */
  siteUrl: string;
  /** Issue properties indexed for JQL (what the app's `jira:entityProperty` modules declare). */
  indexedProperties?: IndexedPropertyDef[];
}

export class JiraService implements ProductService {
  private readonly store: JiraStore;
  private readonly site: Site;
  private readonly router = new Router();
  private readonly clock: Clock;
  private readonly onEvent?: ProductEventSink;
  private indexed: IndexedPropertyDef[];
  /** The issues the current request reached (its save journals those it changed in place). */
  private readonly touched = new AsyncLocalStorage<Set<object>>();

  constructor(opts: JiraServiceOptions) {
    this.store = new JiraStore(opts.file);
    this.clock = opts.clock;
    this.onEvent = opts.onEvent;
    this.indexed = opts.indexedProperties ? structuredClone(opts.indexedProperties) : [];
    this.site = new Site(() => this.store.state, opts.siteUrl.replace(/\/+$/, ''));
    this.site.onIssue = (issue) => this.touched.getStore()?.add(issue);
    registerMetaRoutes(this.router);
    registerIssueRoutes(this.router);
    registerCommentRoutes(this.router);
    registerPropertyRoutes(this.router);
    registerRemoteLinkRoutes(this.router);
    registerSearchRoutes(this.router);
    registerServiceDeskRoutes(this.router);
  }

  /** The demo site's fixed structure (projects, types, workflow, fields, services, request types). Idempotent. */
  seedBase(): void {
    if (seedBase(this.store.state)) this.store.save();
  }

  /** Empties the site (callers seed again). */
  reset(): void {
    this.store.reset();
  }

  /** Writes a snapshot and closes the journal (a clean shutdown). */
  close(): void {
    this.store.close();
  }

  /** The ids this site generated for the JSM custom fields. */
  fieldIds(): { affectedServices: string; majorIncident: string; requestType: string } {
    const find = (kind: CustomFieldKind): string => {
      const f = this.store.state.customFields.find((x) => x.kind === kind);
      if (!f) throw new Error('The Jira site is not seeded: call seedBase() first.');
      return f.id;
    };
    return { affectedServices: find('affectedServices'), majorIncident: find('majorIncident'), requestType: find('requestType') };
  }

  /** The JSM request types of the site's service desks (the Request Type field takes their ids). */
  requestTypes(): Array<{ id: string; name: string }> {
    return this.store.state.requestTypes.map((t) => ({ id: t.id, name: t.name }));
  }

  /** The JSM services known to the site (the values the Affected services field refers to). */
  services(): Array<{ id: string; name: string }> {
    return this.store.state.services.map((s) => ({ id: s.id, name: s.name }));
  }

  setIndexedProperties(defs: IndexedPropertyDef[]): void {
    this.indexed = structuredClone(defs);
  }

  async handle(req: ProductRequest): Promise<ProductResponse> {
    const events: ProductEvent[] = [];
    const touched = new Set<object>();
    let mutated = false;
    let response: ProductResponse;
    try {
      const user = this.actor(req);
      const match = this.router.match(req.method, req.path);
      if (match.kind === 'none') {
        response = { status: 404, body: { errorMessages: [`null for uri: ${this.site.siteUrl}${req.path}`], errors: {} } };
      } else if (match.kind === 'method-not-allowed') {
        response = {
          status: 405,
          headers: { allow: [...new Set(match.allowed)].join(', ') },
          body: { errorMessages: [`The method ${req.method.toUpperCase()} is not allowed for ${req.path}.`], errors: {} },
        };
      } else {
        const ctx: RouteContext = {
          req,
          params: match.params,
          user,
          isApp: req.principal.kind === 'app',
          site: this.site,
          now: this.clock.now(),
          indexedProperties: this.indexed,
          body: () => parsedBody(req),
          mutated: () => {
            mutated = true;
          },
          emit: (e) => events.push(e),
        };
        // An issue behind a security level the caller is not in does not exist for them.
        const ref = match.params.issueIdOrKey ?? (req.path === '/rest/api/3/mypermissions' ? (req.query.get('issueKey') ?? req.query.get('issueId') ?? undefined) : undefined);
        const restricted = ref !== undefined ? this.site.findIssue(ref) : undefined;
        if (restricted && !canSeeIssue(user, restricted)) throw issueNotFound();
        response = await this.touched.run(touched, () => match.handler(ctx));
      }
    } catch (e) {
      if (!(e instanceof JiraError)) throw e;
      response = e.toResponse();
      events.length = 0;
    }
    if (mutated) {
      this.store.save(touched);
      await this.store.durable();
    }
    for (const e of events) this.deliver(e);
    // A copy: callers must never hold references into the live state.
    return response.body === undefined ? response : { ...response, body: JSON.parse(JSON.stringify(response.body)) };
  }

  private actor(req: ProductRequest): WorkbenchUser {
    if (req.principal.kind === 'app') return APP_USER;
    const user = findUser(req.principal.accountId);
    if (!user || user.accountId !== req.principal.accountId) throw unauthorized();
    return user;
  }

  private deliver(event: ProductEvent): void {
    if (!this.onEvent) return;
    try {
      this.onEvent(event);
    } catch (e) {
      // A failing subscriber must not fail the Jira request that caused the event.
      console.error(`[jira] event subscriber failed for ${event.eventType}:`, e);
    }
  }
}
