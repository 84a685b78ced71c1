/**
 * The one shape every local product service (Jira, Confluence) answers in. The HTTP server and the
 * Forge runtime's `__forge_fetch__` both call `handle()`, so an app call and a browser call see the
 * same behaviour, the same auth rules and the same injected faults.
 */
export type Principal = { kind: 'user'; accountId: string } | { kind: 'app' };

export interface ProductRequest {
  method: string;
  /** Path without query string, e.g. `/rest/api/3/issue/OPS-1` or `/wiki/api/v2/pages/123`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when there is none). `rawBody` keeps the text for malformed-JSON errors. */
  body: unknown;
  rawBody?: string;
  /** Who is calling: a user (browser, basic auth, `asUser()`) or the app (`asApp()`). */
  principal: Principal;
}

export interface ProductResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialisable body; undefined for 204. */
  body?: unknown;
}

export interface ProductService {
  handle(req: ProductRequest): Promise<ProductResponse>;
}

/** A product event as Forge delivers it to a `trigger` (the payload already in Forge's shape). */
export interface ProductEvent {
  eventType: string;
  payload: Record<string, unknown>;
}

export type ProductEventSink = (event: ProductEvent) => void;

/** The workbench clock: real time plus a settable offset, shared by every local service. */
export interface Clock {
  now(): number;
}
