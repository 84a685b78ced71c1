/**
 * A local runtime over the fixture app in test/fixtures/runtime-app, with an in-memory KVS, a fake
 * product API, queues and product-event delivery: what the runtime's own tests drive.
 */
import path from 'node:path';
import { ForgeRuntime, type LogEntry } from './forge-runtime';
import { loadManifest } from './manifest';
import { ProductEventBus } from './product-events';
import { LocalQueues } from './queues';
import { KvsService } from '../storage/kvs-service';
import { DEFAULT_USER } from '../products/users';

export const FIXTURE = path.resolve(__dirname, '../../test/fixtures/runtime-app');

export type FakeProduct = (product: 'jira' | 'confluence', r: { method: string; path: string; principal: unknown; body?: string }) => Promise<Response> | Response;

export function runtimeHarness(opts: { log?: (entry: LogEntry) => void; product?: FakeProduct } = {}) {
  const manifest = loadManifest(path.join(FIXTURE, 'manifest.yml'));
  const kvs = new KvsService({ entities: [] });
  const productCalls: Array<{ path: string; principal: unknown }> = [];
  let queues: LocalQueues | undefined;
  const runtime = new ForgeRuntime({
    manifest,
    functionsDir: path.join(FIXTURE, 'functions'),
    cloudId: 'cloud-1',
    siteUrl: 'http://127.0.0.1:1',
    limits: { scale: 1 },
    log: opts.log,
    routes: {
      kvs: (p, body) => kvs.handle(p, body),
      product: async (product, r) => {
        productCalls.push({ path: r.path, principal: r.principal });
        if (opts.product) return opts.product(product, r);
        return new Response(JSON.stringify({ accountId: r.principal.kind === 'user' ? r.principal.accountId : 'app' }), { status: 200 });
      },
      queuePush: (r, pushedBy) => queues!.push(r, pushedBy),
    },
  });
  queues = new LocalQueues(runtime);
  queues.delayScale = 0.01;
  const events = new ProductEventBus(runtime, 'cloud-1');
  events.configure({ retryDelayMs: 1 });
  const resolve = (functionKey: string, payload: unknown = {}, accountId: string | undefined = DEFAULT_USER.accountId) =>
    runtime.invokeResolver('probe-panel', { functionKey, payload }, { extension: { type: 'jira:issuePanel', issue: { id: '10001', key: 'OPS-1' } } }, accountId);
  const read = async (key: string) => ((await kvs.handle('/api/v1/get', { key })).body as { value?: unknown } | undefined)?.value;
  return { runtime, kvs, queues, events, resolve, read, productCalls };
}
