/**
 * A local Forge runtime. It loads the app's built functions and invokes them as Forge does, and it
 * defines `global.__forge_runtime__` and `global.__forge_fetch__`, the two hooks through which the
 * unmodified `@forge/api`, `@forge/kvs`, `@forge/events` and `@forge/resolver` reach the platform.
 *
 * Each invocation runs in its own AsyncLocalStorage context, so concurrent invocations see their own
 * app context, principal and deadline. Forge's invocation time limit is enforced: a function that runs
 * past it is reported as timed out, and any platform call it makes afterwards fails, as a frozen
 * Forge sandbox would.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AppManifest, FunctionDef } from './manifest';
import { InvocationRing, realNow, storageOp, summariseInvocations, type InvocationRecord, type PlatformCallRecord } from './invocation-records';
import { RealtimeHub, RealtimeRateLimitError, type RealtimeContext } from './realtime';

export type InvocationKind = 'resolver' | 'trigger' | 'consumer' | 'scheduled' | 'action';

export interface Invocation {
  id: string;
  runtime: ForgeRuntime;
  kind: InvocationKind;
  moduleKey: string;
  functionKey: string;
  accountId?: string;
  deadline: number;
  expired: boolean;
  /** What the benchmark instrumentation keeps of this invocation. */
  record: InvocationRecord;
  /** The context token of a function the front end invoked (realtime `publish` needs it). */
  realtimeToken?: string;
}

export interface InvocationMeta {
  causedBy?: string;
  onStart?: (invocationId: string) => void;
  /** The front end invoked it from this module context (a resolver): realtime publishes are scoped to it. */
  uiContext?: RealtimeContext;
}

export interface LogEntry {
  at: string;
  level: 'info' | 'warn' | 'error';
  kind?: InvocationKind;
  functionKey?: string;
  moduleKey?: string;
  invocationId?: string;
  message: string;
}

/** Where platform calls go: the local KVS, products and queues. */
export interface PlatformRoutes {
  kvs(path: string, body: unknown): Promise<{ status: number; body?: unknown }>;
  product(product: 'jira' | 'confluence', request: { method: string; path: string; headers: Record<string, string>; body?: string; principal: { kind: 'app' } | { kind: 'user'; accountId: string } }): Promise<Response>;
  /** `pushedBy`: the invocation that pushed (consumers record it as `causedBy`). */
  queuePush(request: { queueName: string; jobId: string; payload: Array<{ body: unknown; delayInSeconds?: number; concurrency?: unknown }> }, pushedBy?: string): Promise<{ status: number; body?: unknown }>;
}

export interface RuntimeLimits {
  /** Resolvers and product-event triggers: 25 s on Forge. */
  syncTimeoutMs: number;
  /** Consumers and scheduled triggers without `timeoutSeconds`. */
  asyncDefaultTimeoutMs: number;
  /** Multiplies every limit (tests make timeouts observable in milliseconds). */
  scale: number;
}

export const FORGE_LIMITS: RuntimeLimits = { syncTimeoutMs: 25_000, asyncDefaultTimeoutMs: 55_000, scale: 1 };

export class FunctionTimeoutError extends Error {
  constructor(functionKey: string, ms: number) {
    super(`Function ${functionKey} timed out after ${(ms / 1000).toFixed(1)} s (Forge's invocation limit).`);
    this.name = 'FunctionTimeoutError';
  }
}

export class InvocationExpiredError extends Error {
  constructor() {
    super('This invocation has already timed out; its platform calls are refused.');
    this.name = 'InvocationExpiredError';
  }
}

const noopMetrics = {
  counter: () => ({ incr() {}, decr() {} }),
  timing: () => ({ measure: () => ({ stop() {} }) }),
  gauge: () => ({ set() {} }),
};

export interface RuntimeOptions {
  manifest: AppManifest;
  /** Folder with the built function bundles (`dist/functions`). */
  functionsDir: string;
  routes: PlatformRoutes;
  cloudId: string;
  siteUrl: string;
  limits?: Partial<RuntimeLimits>;
  log?: (entry: LogEntry) => void;
  /**
   * The contexts the app is installed in (`ari:cloud:jira::site/<cloudId>`, and Confluence's when it is
   * connected), as `getAppContext().installation.contexts` answers them; Jira's alone by default.
   */
  installationContexts?: () => string[];
}

/** One context store for the process: the globals are process-wide, so must be their lookup. */
const invocationContext = new AsyncLocalStorage<Invocation>();

export class ForgeRuntime {
  readonly als = invocationContext;
  readonly logs: LogEntry[] = [];
  private limits: RuntimeLimits;
  private modules = new Map<string, Record<string, unknown>>();
  private readonly installationId = randomUUID();
  private readonly ring = new InvocationRing(50_000);
  /** Forge Realtime's channels and subscriptions (see realtime.ts). */
  readonly realtime = new RealtimeHub();
  /**
   * The last 50,000 invocations with the platform calls each made, oldest first:
   * `invocationRecords()`, `invocationRecords.clear()`, `invocationRecords.summarise(records?)`.
   */
  readonly invocationRecords = Object.assign(() => this.ring.list(), {
    clear: () => this.ring.clear(),
    summarise: (records?: readonly InvocationRecord[]) => summariseInvocations(records ?? this.ring.list()),
  });

  constructor(private readonly opts: RuntimeOptions) {
    this.limits = { ...FORGE_LIMITS, ...opts.limits };
    this.installGlobals();
  }

  get manifest(): AppManifest {
    return this.opts.manifest;
  }

  get installContext(): string {
    return `ari:cloud:jira::site/${this.opts.cloudId}`;
  }

  setLimits(limits: Partial<RuntimeLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  log(entry: Omit<LogEntry, 'at'>): void {
    const full = { at: new Date().toISOString(), ...entry };
    this.logs.push(full);
    if (this.logs.length > 2000) this.logs.splice(0, this.logs.length - 2000);
    this.opts.log?.(full);
  }

  /** Forget loaded bundles (after a rebuild). */
  reload(): void {
    for (const file of this.modules.keys()) delete require.cache[file];
    this.modules.clear();
  }

  private installGlobals(): void {
    const runtime = this;
    const g = globalThis as Record<string, unknown>;
    Object.defineProperty(g, '__forge_runtime__', {
      configurable: true,
      get: () => runtime.runtimeObject(runtime.als.getStore()),
    });
    g.__forge_fetch__ = (target: Record<string, unknown>, requestPath: string, init?: RequestInit) => runtime.forgeFetch(target, requestPath, init);
    this.installConsoleCapture();
  }

  /** `console.*` inside a function goes to the workbench log, tagged with its invocation. */
  private installConsoleCapture(): void {
    const g = globalThis as { __workbench_console__?: boolean };
    if (g.__workbench_console__) return;
    g.__workbench_console__ = true;
    for (const [method, level] of [['log', 'info'], ['info', 'info'], ['warn', 'warn'], ['error', 'error']] as const) {
      const original = console[method].bind(console);
      let capturing = false;
      console[method] = (...args: unknown[]) => {
        const inv = invocationContext.getStore();
        // A log listener that itself logs must reach the real console, not come back here.
        if (!inv || capturing) return original(...args);
        const message = args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
        capturing = true;
        try {
          inv.runtime.log({ level, kind: inv.kind, functionKey: inv.functionKey, moduleKey: inv.moduleKey, invocationId: inv.id, message });
        } finally {
          capturing = false;
        }
      };
    }
  }

  private runtimeObject(inv: Invocation | undefined) {
    return {
      proxy: { token: 'workbench', url: this.opts.siteUrl },
      tracing: { traceId: inv?.id ?? 'workbench', spanId: inv?.id ?? 'workbench' },
      metrics: noopMetrics,
      externalAuth: [],
      appContext: {
        appId: this.opts.manifest.appId,
        appVersion: '1.0.0',
        environmentId: 'workbench',
        environmentType: 'DEVELOPMENT',
        invocationId: inv?.id ?? 'none',
        installationId: this.installationId,
        moduleKey: inv?.moduleKey ?? '',
        license: { isActive: true },
        installation: { installationId: this.installationId, contexts: this.contextAris() },
        permissions: { scopes: this.opts.manifest.scopes, external: {} },
      },
      lambdaContext: {
        getRemainingTimeInMillis: () => (inv ? Math.max(0, inv.deadline - Date.now()) : 25_000),
      },
      ...(inv?.realtimeToken ? { realtime: { contextToken: inv.realtimeToken } } : {}),
    };
  }

  /** Context ARIs as @forge/api's Installation type has them: objects with the cloud id and a toString. */
  private contextAris(): Array<{ cloudId: string; toString(): string }> {
    const aris = this.opts.installationContexts?.() ?? [`ari:cloud:jira::site/${this.opts.cloudId}`];
    return aris.map((ari) => ({ cloudId: this.opts.cloudId, toString: () => ari }));
  }

  /** The invocation whose code is running now (undefined outside any invocation). */
  currentInvocationId(): string | undefined {
    return this.als.getStore()?.id;
  }

  private async forgeFetch(target: Record<string, unknown>, requestPath: string, init: RequestInit = {}): Promise<Response> {
    const inv = this.als.getStore();
    if (inv?.expired) throw new InvocationExpiredError();
    const body = typeof init.body === 'string' ? init.body : init.body === undefined || init.body === null ? undefined : String(init.body);
    const call = inv ? callRecord(target, requestPath, init, body) : undefined;
    if (call) inv!.record.calls.push(call);
    try {
      const response = await this.route(target, requestPath, init, body, inv);
      if (call) call.status = response.status;
      return response;
    } catch (error) {
      if (call) call.status = 0;
      throw error;
    } finally {
      if (call) call.endedAt = realNow();
    }
  }

  private async route(target: Record<string, unknown>, requestPath: string, init: RequestInit, body: string | undefined, inv: Invocation | undefined): Promise<Response> {
    if (target.type === 'kvs') {
      const out = await this.opts.routes.kvs(requestPath, body ? JSON.parse(body) : {});
      return jsonResponse(out.status, out.body);
    }
    if (target.type === 'fpp' && (target.remote === 'jira' || target.remote === 'confluence')) {
      let principal: { kind: 'app' } | { kind: 'user'; accountId: string } = { kind: 'app' };
      if (target.provider === 'user') {
        const accountId = (target.accountId as string | undefined) ?? inv?.accountId;
        // Forge refuses asUser() where there is no user (triggers, consumers, scheduled functions).
        if (!accountId) return new Response(null, { status: 401, headers: { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' } });
        principal = { kind: 'user', accountId };
      }
      return this.opts.routes.product(target.remote, {
        method: (init.method ?? 'GET').toUpperCase(),
        path: requestPath,
        headers: headersToRecord(init.headers),
        body,
        principal,
      });
    }
    if (target.type === 'fpp' && target.remote === 'stargate' && requestPath.startsWith('/webhook/queue/publish/')) {
      const out = await this.opts.routes.queuePush(JSON.parse(body ?? '{}'), inv?.id);
      return jsonResponse(out.status, out.body);
    }
    if (target.type === 'realtime') return this.realtimeGraphql(init, body);
    return jsonResponse(501, { code: 'NOT_SUPPORTED', message: `The workbench does not emulate ${String(target.type)}:${String(target.remote)} ${requestPath}` });
  }

  /** `@forge/realtime`'s GraphQL mutations: publishRealtimeChannel (signRealtimeToken is not emulated). */
  private realtimeGraphql(init: RequestInit, body: string | undefined): Response {
    let request: { query?: string; variables?: Record<string, unknown> };
    try {
      request = JSON.parse(body ?? '{}');
    } catch {
      return jsonResponse(400, { errors: [{ message: 'Invalid GraphQL request body.' }] });
    }
    const query = request.query ?? '';
    const v = request.variables ?? {};
    if (!/publishRealtimeChannel/.test(query)) return jsonResponse(200, { data: null, errors: [{ message: 'The workbench emulates realtime publishing only.' }] });
    const isGlobal = v.isGlobal === true;
    const context = this.realtime.contextOfToken(headersToRecord(init.headers)['x-forge-context-token']);
    if (!isGlobal && !context) {
      // As documented: publish is only for functions invoked from the app's front end.
      return jsonResponse(200, { data: null, errors: [{ message: 'The publish API is only supported for functions invoked from the app frontend; use publishGlobal.' }] });
    }
    let options: { contextOverrides?: unknown } = {};
    try {
      options = typeof v.context === 'string' ? JSON.parse(v.context) : {};
    } catch {
      /* no overrides */
    }
    const channel = this.realtime.channelKey(String(v.name ?? ''), context, { contextOverrides: options.contextOverrides, token: typeof v.token === 'string' ? v.token : undefined }, isGlobal);
    try {
      const result = this.realtime.publish(channel, String(v.payload ?? ''));
      return jsonResponse(200, { data: { ecosystem: { publishRealtimeChannel: result } } });
    } catch (error) {
      if (error instanceof RealtimeRateLimitError) return new Response(null, { status: 429, statusText: 'Too Many Requests' });
      throw error;
    }
  }

  private handlerFor(functionKey: string): (...args: unknown[]) => unknown {
    const def: FunctionDef | undefined = this.opts.manifest.functions.get(functionKey);
    if (!def) throw new Error(`manifest.yml has no function '${functionKey}'`);
    const [file, exportName] = def.handler.split('.');
    const modulePath = path.join(this.opts.functionsDir, `${file}.js`);
    let mod = this.modules.get(modulePath);
    if (!mod) {
      mod = require(modulePath) as Record<string, unknown>;
      this.modules.set(modulePath, mod);
    }
    const handler = mod[exportName];
    if (typeof handler !== 'function') throw new Error(`Handler ${def.handler} is not an exported function of ${file}`);
    return handler as (...args: unknown[]) => unknown;
  }

  private timeoutMs(kind: InvocationKind, functionKey: string): number {
    const def = this.opts.manifest.functions.get(functionKey);
    const base = kind === 'consumer' || kind === 'scheduled' ? (def?.timeoutSeconds ? def.timeoutSeconds * 1000 : this.limits.asyncDefaultTimeoutMs) : this.limits.syncTimeoutMs;
    return base * this.limits.scale;
  }

  /**
   * Invokes one function with Forge's time limit; errors and timeouts are logged and rethrown.
   * `meta.causedBy` links the invocation to the one whose push or product write caused it (instrumentation);
   * `meta.onStart` learns the new invocation's id.
   */
  async invoke(kind: InvocationKind, moduleKey: string, functionKey: string, args: unknown[], accountId?: string, meta: InvocationMeta = {}): Promise<unknown> {
    const handler = this.handlerFor(functionKey);
    const limitMs = this.timeoutMs(kind, functionKey);
    const id = randomUUID();
    const causedBy = meta.causedBy;
    meta.onStart?.(id);
    const record: InvocationRecord = { id, kind, functionKey, moduleKey, startedAt: realNow(), outcome: 'running', ...(causedBy ? { causedBy } : {}), calls: [] };
    this.ring.add(record);
    const inv: Invocation = { id, runtime: this, kind, moduleKey, functionKey, accountId, deadline: Date.now() + limitMs, expired: false, record };
    const realtimeToken = meta.uiContext ? this.realtime.issueContextToken(meta.uiContext) : undefined;
    if (realtimeToken) inv.realtimeToken = realtimeToken.token;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        inv.expired = true;
        reject(new FunctionTimeoutError(functionKey, limitMs));
      }, limitMs);
    });
    try {
      const result = await Promise.race([this.als.run(inv, async () => handler(...args)), timeout]);
      record.outcome = isRetryRequest(result) ? 'retry-requested' : 'ok';
      return result;
    } catch (error) {
      record.outcome = error instanceof FunctionTimeoutError ? 'timeout' : 'error';
      this.log({ level: 'error', kind, functionKey, moduleKey, invocationId: inv.id, message: (error as Error)?.stack ?? String(error) });
      throw error;
    } finally {
      record.endedAt = realNow();
      clearTimeout(timer);
      realtimeToken?.release();
    }
  }

  /** As the Custom UI bridge's `invoke`: the resolver gets `{ payload, context }`. */
  async invokeResolver(moduleKey: string, call: { functionKey: string; payload?: unknown }, context: Record<string, unknown>, accountId: string | undefined): Promise<unknown> {
    const module = this.opts.manifest.uiModules.find((m) => m.key === moduleKey);
    const fn = module?.resolver?.function;
    if (!fn) throw new Error(`Module ${moduleKey} has no resolver`);
    const extension = (context.extension ?? {}) as Record<string, unknown>;
    return this.invoke(
      'resolver',
      moduleKey,
      fn,
      [
        { call: { functionKey: call.functionKey, payload: call.payload ?? {}, jobId: undefined }, context },
        { principal: accountId ? { accountId } : undefined, installContext: this.installContext, license: { isActive: true }, installation: { installationId: this.installationId } },
      ],
      accountId,
      { uiContext: { moduleKey, extension } },
    );
  }

  async invokeTrigger(moduleKey: string, functionKey: string, event: Record<string, unknown>, meta?: InvocationMeta): Promise<unknown> {
    return this.invoke('trigger', moduleKey, functionKey, [event, { installContext: this.installContext }], undefined, meta);
  }

  async invokeScheduled(moduleKey: string): Promise<unknown> {
    const def = this.opts.manifest.scheduled.find((s) => s.key === moduleKey);
    if (!def) throw new Error(`manifest.yml has no scheduledTrigger '${moduleKey}'`);
    return this.invoke('scheduled', moduleKey, def.function, [{ context: { cloudId: this.opts.cloudId, moduleKey } }, { installContext: this.installContext }]);
  }

  async invokeAction(actionKey: string, inputs: Record<string, unknown>, accountId?: string): Promise<unknown> {
    const def = this.opts.manifest.actions.find((a) => a.key === actionKey);
    if (!def) throw new Error(`manifest.yml has no action '${actionKey}'`);
    // Only declared inputs reach the function, as on Forge.
    const declared = Object.fromEntries(Object.entries(inputs).filter(([k]) => def.inputs && k in def.inputs));
    return this.invoke('action', actionKey, def.function, [{ ...declared, context: { cloudId: this.opts.cloudId, moduleKey: actionKey } }, { installContext: this.installContext, principal: accountId ? { accountId } : undefined }], accountId);
  }
}

/** What `@forge/events`' `InvocationError` serialises to: `{ _retry: true, retryOptions }` (its constructor returns `toJSON()`). */
export function isRetryRequest(result: unknown): result is { _retry: true; retryOptions?: { retryAfter?: number; retryReason?: string; retryData?: unknown } } {
  return typeof result === 'object' && result !== null && (result as { _retry?: unknown })._retry === true;
}

function callRecord(target: Record<string, unknown>, requestPath: string, init: RequestInit, body: string | undefined): PlatformCallRecord | undefined {
  const startedAt = realNow();
  if (target.type === 'kvs') {
    const entities = [...new Set([...(body ?? '').matchAll(/"entityName":"([^"]+)"/g)].map((m) => m[1]))];
    return { type: 'storage', op: storageOp(requestPath), startedAt, ...(entities.length > 0 ? { entities } : {}) };
  }
  if (target.type === 'fpp' && (target.remote === 'jira' || target.remote === 'confluence')) return { type: 'product', op: `${(init.method ?? 'GET').toUpperCase()} ${requestPath}`, startedAt };
  if (target.type === 'fpp' && target.remote === 'stargate' && requestPath.startsWith('/webhook/queue/')) {
    const queueName = /"queueName":"([^"]*)"/.exec(body ?? '')?.[1] ?? '';
    const verb = ({ publish: 'push', stats: 'getStats', cancel: 'cancel' } as Record<string, string>)[requestPath.split('/')[3]] ?? 'queue';
    return { type: 'queue', op: `${verb} ${queueName}`.trim(), startedAt };
  }
  if (target.type === 'realtime') return { type: 'realtime', op: /(publish\w*|signRealtimeToken|subscribe\w*)/.exec(body ?? '')?.[1] ?? 'graphql', startedAt };
  return undefined;
}

function jsonResponse(status: number, body: unknown): Response {
  if (body === undefined || status === 204) return new Response(null, { status });
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function headersToRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  new Headers(headers as HeadersInit).forEach((v, k) => (out[k] = v));
  return out;
}
