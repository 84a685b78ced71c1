/** Shared by the Confluence emulator's tests (unit and contract). */
import type { Principal, ProductEvent, ProductResponse } from '../types';
import { ConfluenceService } from './service';

export const ALEX = '5b10a2844c20165700ede21g';
export const VIC = '5b109f2e9729b51b54dc274d';
export const T0 = Date.parse('2026-03-01T09:00:00.000Z');

export interface Harness {
  svc: ConfluenceService;
  events: ProductEvent[];
  clock: { t: number; now(): number };
  call(method: string, path: string, opts?: { body?: unknown; query?: string | Record<string, string>; rawBody?: string; as?: Principal }): Promise<ProductResponse & { body: any }>;
  spaceId: string;
  homepageId: string;
}

export async function harness(opts: { file?: string; siteUrl?: string } = {}): Promise<Harness> {
  const events: ProductEvent[] = [];
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };
  const svc = new ConfluenceService({ file: opts.file, clock, siteUrl: opts.siteUrl ?? 'http://localhost:8080', onEvent: (e) => events.push(e) });
  svc.seedBase();
  const call: Harness['call'] = async (method, path, o = {}) => {
    const query = typeof o.query === 'string' ? new URLSearchParams(o.query) : new URLSearchParams(o.query ?? {});
    const res = await svc.handle({
      method,
      path: path.startsWith('/wiki') ? path : `/wiki/api/v2${path}`,
      query,
      headers: {},
      body: o.body,
      rawBody: o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
      principal: o.as ?? { kind: 'user', accountId: ALEX },
    });
    return res as ProductResponse & { body: any };
  };
  const spaces = await call('GET', '/spaces', { query: 'keys=CONT' });
  return { svc, events, clock, call, spaceId: spaces.body.results[0].id, homepageId: spaces.body.results[0].homepageId };
}

export function storageBody(value: string) {
  return { representation: 'storage', value };
}

export function adfBody(doc: unknown) {
  return { representation: 'atlas_doc_format', value: JSON.stringify(doc) };
}
