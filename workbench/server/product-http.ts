/**
 * Serves the local products on their real REST paths: `/rest/...` (Jira and JSM) and `/wiki/api/v2/...`
 * or `/wiki/rest/api/...` (Confluence). Every other path under `/wiki` is a Confluence page for people
 * (a space, a page), which the host renders. Basic auth with any credentials maps to a demo user; no credentials answers 401 as
 * Atlassian does. Bodies are parsed here so each service sees one `ProductRequest` shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProductRequest, ProductResponse, ProductService } from '../products/types';
import { userFromBasicAuth } from '../products/users';

export interface ProductRoutes {
  jira?: ProductService;
  confluence?: ProductService;
}

/** Confluence's REST APIs: v2, and the v1 paths that v2 has no replacement for (labels). */
const CONFLUENCE_REST = ['/wiki/api/', '/wiki/rest/'];

export function productFor(path: string, routes: ProductRoutes): ProductService | undefined {
  if (path.startsWith('/rest/')) return routes.jira;
  if (CONFLUENCE_REST.some((prefix) => path.startsWith(prefix))) return routes.confluence;
  return undefined;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses JSON leniently: malformed JSON reaches the service as `body: undefined` with `rawBody` kept. */
export function parseJson(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function writeProductResponse(res: ServerResponse, out: ProductResponse): void {
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  if (out.body === undefined) {
    res.writeHead(out.status, headers).end();
    return;
  }
  const text = typeof out.body === 'string' && headers['content-type'] && !headers['content-type'].includes('json') ? out.body : JSON.stringify(out.body);
  headers['content-type'] ??= 'application/json;charset=UTF-8';
  res.writeHead(out.status, headers).end(text);
}

/**
 * Handles one HTTP request if it is a product path; returns false otherwise so the caller can route on.
 * `dispatch` lets the workbench put fault injection between the HTTP edge and the service.
 */
export async function handleProductHttp(
  req: IncomingMessage,
  res: ServerResponse,
  routes: ProductRoutes,
  dispatch: (service: ProductService, request: ProductRequest) => Promise<ProductResponse> = (s, r) => s.handle(r),
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://workbench.local');
  const service = productFor(url.pathname, routes);
  if (!service) return false;
  const user = userFromBasicAuth(req.headers.authorization);
  if (!user) {
    const body = url.pathname.startsWith('/wiki/')
      ? { errors: [{ status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized', detail: 'Authentication required' }] }
      : { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} };
    writeProductResponse(res, { status: 401, body, headers: { 'www-authenticate': 'Basic realm="workbench"' } });
    return true;
  }
  const rawBody = await readBody(req);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const out = await dispatch(service, {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: parseJson(rawBody),
    rawBody,
    principal: { kind: 'user', accountId: user.accountId },
  });
  writeProductResponse(res, out);
  return true;
}
