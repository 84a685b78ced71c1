/**
 * The workbench: the app's real functions and Custom UI, a local Forge runtime, Forge hosted storage,
 * local Jira (with JSM's fields) and Confluence on their real REST paths, product events, host pages
 * and test controls, in one process. `npm start` runs it; integration and browser tests start it too.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { loadManifest, type AppManifest } from './runtime/manifest';
import { ForgeRuntime, type LogEntry, type RuntimeLimits } from './runtime/forge-runtime';
import { ProductEventBus, type DeliverySettings } from './runtime/product-events';
import { LocalQueues, type QueueSettings } from './runtime/queues';
import { WorkbenchClock } from './control/clock';
import { Faults, RequestTimeoutError, type FaultCaller, type FaultProduct } from './control/faults';
import { JiraRateLimiter } from './control/jira-rate-limit';
import { KvsService } from './storage/kvs-service';
import { JiraService } from './products/jira';
import { ConfluenceService } from './products/confluence';
import type { ProductRequest, ProductResponse, ProductService } from './products/types';
import { createServer } from './server/server';
import { seedDemo, type SeedOptions } from './demo/seed';

export interface WorkbenchOptions {
  /** The project folder (holds manifest.yml and dist/). */
  root: string;
  /** The built functions; `<root>/dist/functions` by default. */
  functionsDir?: string;
  /** Where state is persisted; undefined keeps everything in memory (tests). */
  dataDir?: string;
  port?: number;
  host?: string;
  /** Seed demo data when the stores are empty. */
  seed?: boolean;
  limits?: Partial<RuntimeLimits>;
  delivery?: Partial<DeliverySettings>;
  queues?: Partial<QueueSettings>;
  /** Receives log lines (function logs, errors). */
  onLog?: (entry: LogEntry) => void;
}

export const SCHEDULE_INTERVAL_MS = { fiveMinute: 5 * 60_000, hour: 60 * 60_000, day: 24 * 60 * 60_000, week: 7 * 24 * 60 * 60_000 } as const;

export const CLOUD_ID = 'a1b2c3d4-0000-4000-8000-00000000c0de';

export class Workbench {
  readonly clock = new WorkbenchClock();
  readonly faults = new Faults();
  /** Jira Cloud's rate limits for the app's own Jira requests (off until configured). */
  readonly jiraRateLimit = new JiraRateLimiter();
  readonly manifest: AppManifest;
  readonly kvs: KvsService;
  readonly jira: JiraService;
  readonly confluence: ConfluenceService;
  readonly runtime: ForgeRuntime;
  readonly events: ProductEventBus;
  readonly queues: LocalQueues;
  /**
   * Whether the app is connected to Confluence (an optional app of this installation). Atlassian does not
   * document what requestConfluence does when it is not; the workbench takes the worst case: the
   * installation's contexts lack Confluence, and every Confluence call the app makes fails as a platform
   * refusal (HTTP 403 with a `forge-proxy-error` header, which @forge/api throws as a ProxyRequestError).
   * The Confluence site itself keeps working for people; only the app's modules leave its pages.
   */
  confluenceConnected = true;
  /** Observers of every product call the app makes (contract tests record them). */
  readonly appCallListeners = new Set<(call: { product: 'jira' | 'confluence'; request: ProductRequest; response: ProductResponse }) => void>();
  private server?: http.Server;
  private schedules: NodeJS.Timeout[] = [];
  readonly root: string;
  private siteUrlValue: string;

  constructor(private readonly opts: WorkbenchOptions) {
    this.root = opts.root;
    this.clock.install();
    this.manifest = loadManifest(path.join(opts.root, 'manifest.yml'));
    // The port is known only once listening; services read the site URL through this getter.
    this.siteUrlValue = `http://${opts.host ?? '127.0.0.1'}:${opts.port ?? 0}`;
    const file = (name: string) => (opts.dataDir ? path.join(opts.dataDir, name) : undefined);
    let bus: ProductEventBus | undefined;
    const publish = (e: Parameters<ProductEventBus['publish']>[0]) => bus?.publish(e);
    this.kvs = new KvsService({ file: file('storage.json'), entities: this.manifest.entities, now: () => this.clock.now() });
    this.jira = new JiraService({ file: file('jira.json'), clock: this.clock, onEvent: publish, siteUrl: this.siteUrlValue, indexedProperties: this.manifest.entityProperties });
    this.confluence = new ConfluenceService({ file: file('confluence.json'), clock: this.clock, onEvent: publish, siteUrl: this.siteUrlValue });
    this.runtime = new ForgeRuntime({
      manifest: this.manifest,
      functionsDir: opts.functionsDir ?? path.join(opts.root, 'dist/functions'),
      cloudId: CLOUD_ID,
      siteUrl: this.siteUrlValue,
      limits: opts.limits,
      log: opts.onLog,
      installationContexts: () => [`ari:cloud:jira::site/${CLOUD_ID}`, ...(this.confluenceConnected ? [`ari:cloud:confluence::site/${CLOUD_ID}`] : [])],
      routes: {
        kvs: (p, body) => this.dispatchKvs(p, body),
        product: (product, r) => this.dispatchFromApp(product, r),
        queuePush: (r, pushedBy) => this.queues.push(r, pushedBy),
      },
    });
    bus = new ProductEventBus(this.runtime, CLOUD_ID);
    this.events = bus;
    if (opts.delivery) this.events.configure(opts.delivery);
    this.queues = new LocalQueues(this.runtime);
    if (opts.queues) this.queues.configure(opts.queues);
  }

  get siteUrl(): string {
    return this.siteUrlValue;
  }

  service(product: 'jira' | 'confluence'): ProductService {
    return product === 'jira' ? this.jira : this.confluence;
  }

  /**
   * Every product request passes the fault injector first. `caller` says whose it is: the app's (its
   * functions through the runtime, its Custom UI through the bridge) or a person's (a browser on the host
   * pages, a test client over HTTP); faults affect a person's request only when injected for all callers.
   */
  async dispatchProduct(product: 'jira' | 'confluence', request: ProductRequest, caller: FaultCaller = 'person'): Promise<ProductResponse> {
    const fault = await this.faults.apply(product, request.method, request.path, this.clock.now(), 'before', caller);
    if (fault) return fault;
    const response = await this.service(product).handle(request);
    return (await this.faults.apply(product, request.method, request.path, this.clock.now(), 'after', caller)) ?? response;
  }

  private async dispatchKvs(p: string, body: unknown): Promise<{ status: number; body?: unknown }> {
    try {
      const fault = await this.faults.apply('kvs' as FaultProduct, 'POST', p, this.clock.now(), 'before', 'app');
      if (fault) return fault;
    } catch (error) {
      // An injected timeout reaches the app as a failed fetch, as undici reports one.
      if (error instanceof RequestTimeoutError) throw new TypeError('fetch failed', { cause: error });
      throw error;
    }
    return this.kvs.handle(p, body);
  }

  private async dispatchFromApp(product: 'jira' | 'confluence', r: { method: string; path: string; headers: Record<string, string>; body?: string; principal: ProductRequest['principal'] }): Promise<Response> {
    const url = new URL(r.path, 'http://workbench.local');
    let body: unknown;
    try {
      body = r.body ? JSON.parse(r.body) : undefined;
    } catch {
      body = undefined;
    }
    if (product === 'confluence' && !this.confluenceConnected) {
      return new Response(JSON.stringify({ message: 'The app is not installed in Confluence on this site.' }), { status: 403, headers: { 'content-type': 'application/json', 'forge-proxy-error': 'INSTALLATION_NOT_FOUND' } });
    }
    let out: ProductResponse;
    try {
      const request: ProductRequest = { method: r.method, path: url.pathname, query: url.searchParams, headers: r.headers, body, rawBody: r.body, principal: r.principal };
      const admitted = product === 'jira' ? this.jiraRateLimit.admit(r.method, url.pathname, this.clock.now()) : { headers: {} };
      if ('refused' in admitted) out = admitted.refused;
      else {
        out = await this.dispatchProduct(product, request, 'app');
        if (Object.keys(admitted.headers).length) out = { ...out, headers: { ...out.headers, ...admitted.headers } };
      }
      for (const listener of this.appCallListeners) listener({ product, request, response: out });
    } catch (error) {
      // An injected timeout reaches the app as a failed fetch, as undici reports one.
      if (error instanceof RequestTimeoutError) throw new TypeError('fetch failed', { cause: error });
      throw error;
    }
    const headers = { 'content-type': 'application/json', ...(out.headers ?? {}) };
    const text = out.body === undefined ? null : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    return new Response(out.status === 204 ? null : text, { status: out.status, headers });
  }

  /** Waits until every product event and queued event so far has been handled. */
  async idle(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      await this.events.idle();
      await this.queues.idle();
      await new Promise((r) => setImmediate(r));
      await this.events.idle();
    }
  }

  /** Empties every store and seeds the demo again (or, with `empty`, only the base sites). */
  async reset(opts: SeedOptions = {}): Promise<void> {
    await this.idle();
    this.confluenceConnected = true;
    this.clock.reset();
    this.faults.clear();
    this.jiraRateLimit.off();
    this.queues.clear();
    this.kvs.reset();
    this.jira.reset();
    this.confluence.reset();
    await this.seed(opts);
  }

  async seed(opts: SeedOptions = {}): Promise<void> {
    await seedDemo(this, opts);
  }

  async start(): Promise<string> {
    this.server = createServer(this);
    await new Promise<void>((resolve) => this.server!.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    const url = `http://${this.opts.host ?? '127.0.0.1'}:${port}`;
    this.setSiteUrl(url);
    if (this.opts.seed) await this.seed();
    return url;
  }

  private setSiteUrl(url: string): void {
    this.siteUrlValue = url;
    for (const target of [this.jira, this.confluence] as unknown as Array<{ setSiteUrl?: (u: string) => void }>) target.setSiteUrl?.(url);
  }

  /**
   * Runs each scheduledTrigger on its interval, as Forge does (`npm start` turns this on; tests run
   * scheduled functions on demand instead). A failing run is logged and the next one still happens.
   */
  startSchedules(): void {
    for (const def of this.manifest.scheduled) {
      const timer = setInterval(() => void this.runtime.invokeScheduled(def.key).catch(() => undefined), SCHEDULE_INTERVAL_MS[def.interval]);
      timer.unref();
      this.schedules.push(timer);
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.schedules) clearInterval(timer);
    this.schedules = [];
    await this.idle().catch(() => undefined);
    this.runtime.realtime.close(); // answer the frames' pending realtime polls, so their connections end
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
    // A clean shutdown leaves one snapshot per store and no journal.
    this.kvs.close();
    this.jira.close();
    this.confluence.close();
    WorkbenchClock.uninstall();
  }
}
