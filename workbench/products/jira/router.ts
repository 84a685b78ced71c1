/**
 * A small path-pattern router: `/rest/api/3/issue/{issueIdOrKey}/comment/{id}` matches segment by
 * segment, `{name}` capturing one decoded segment. Patterns are the OpenAPI document's own path
 * templates, so a route and its contract test name the same operation.
 */
import type { ProductRequest, ProductResponse } from '../types';
import type { WorkbenchUser } from '../users';
import type { ProductEvent } from '../types';
import { malformedJson } from './errors';
import type { Site } from './site';
import type { IndexedPropertyDef } from './jql';

export interface RouteContext {
  req: ProductRequest;
  params: Record<string, string>;
  /** The acting account: the demo user, or the app's own account for `asApp()` calls. */
  user: WorkbenchUser;
  isApp: boolean;
  site: Site;
  now: number;
  indexedProperties: IndexedPropertyDef[];
  /** The parsed JSON body; throws Jira's 400 when the raw body was not JSON. */
  body(): unknown;
  /** Marks the state as changed: the service persists it after the handler returns. */
  mutated(): void;
  emit(event: ProductEvent): void;
}

export type RouteHandler = (ctx: RouteContext) => ProductResponse | Promise<ProductResponse>;

interface Route {
  method: string;
  template: string;
  segments: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: Record<string, string>; template: string }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'none' };

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), template, segments: template.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter(Boolean);
    const allowed: string[] = [];
    // Literal segments win over captures (`/issue/createmeta/...` before `/issue/{issueIdOrKey}/...`).
    const candidates = this.routes
      .map((r) => ({ r, params: matchSegments(r.segments, parts) }))
      .filter((c): c is { r: Route; params: Record<string, string> } => c.params !== null)
      .sort((a, b) => literalScore(b.r) - literalScore(a.r));
    for (const { r, params } of candidates) {
      if (r.method === method.toUpperCase()) return { kind: 'found', handler: r.handler, params, template: r.template };
      allowed.push(r.method);
    }
    return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'none' };
  }
}

function literalScore(r: Route): number {
  return r.segments.filter((s) => !s.startsWith('{')).length;
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | null {
  if (template.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    let part: string;
    try {
      part = decodeURIComponent(parts[i]);
    } catch {
      return null;
    }
    if (t.startsWith('{') && t.endsWith('}')) params[t.slice(1, -1)] = part;
    else if (t !== parts[i]) return null;
  }
  return params;
}

/** Reads the JSON body of a request: malformed JSON (raw text present, nothing parsed) is Jira's 400. */
export function parsedBody(req: ProductRequest): unknown {
  if (req.body === undefined && req.rawBody !== undefined && req.rawBody.trim() !== '') throw malformedJson();
  return req.body;
}
