/**
 * Validates the workbench's product responses against Atlassian's published OpenAPI documents.
 * The documents are read from ../shared/atlassian-openapi (or $ATLASSIAN_OPENAPI_DIR); they are
 * never copied into the project. When the folder is absent, `openApiAvailable()` says why and
 * the contract suites skip themselves, except in CI (`CI=true`), where a missing document fails the
 * run: CI must never pass a contract it did not check.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export type Product = 'jira' | 'confluence';

const FILES: Record<Product, string> = { jira: 'jira-platform-v3.json', confluence: 'confluence-v2.json' };
/** Confluence's document lists paths from `/pages`; the REST prefix is not part of them. */
const PREFIX: Record<Product, string> = { jira: '', confluence: '/wiki/api/v2' };

export function openApiDir(): string {
  return process.env.ATLASSIAN_OPENAPI_DIR ?? path.resolve(__dirname, '../../../shared/atlassian-openapi');
}

export function openApiAvailable(env: NodeJS.ProcessEnv = process.env): { ok: true } | { ok: false; why: string } {
  const dir = openApiDir();
  for (const file of Object.values(FILES)) {
    if (fs.existsSync(path.join(dir, file))) continue;
    const why = `${file} not found in ${path.basename(path.dirname(dir))}/${path.basename(dir)}`;
    if (env.CI === 'true') throw new Error(`Contract tests cannot run in CI: ${why}. Check out ../shared beside the project.`);
    return { ok: false, why };
  }
  return { ok: true };
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components?: { schemas?: Record<string, unknown> };
}

const docs = new Map<Product, OpenApiDoc>();
const validators = new Map<string, ValidateFunction | null>();
let ajv: Ajv | undefined;

function load(product: Product): OpenApiDoc {
  let doc = docs.get(product);
  if (!doc) {
    doc = JSON.parse(fs.readFileSync(path.join(openApiDir(), FILES[product]), 'utf8')) as OpenApiDoc;
    docs.set(product, doc);
    if (!ajv) {
      // OpenAPI 3.0 schemas use keywords JSON Schema does not know (nullable, example, x-*): not strict.
      ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
      addFormats(ajv);
      // ajv 8 knows `nullable` itself; older versions need it declared.
      if (!ajv.getKeyword('nullable')) ajv.addKeyword({ keyword: 'nullable' });
    }
    ajv.addSchema({ components: doc.components ?? {} }, `${product}.json`);
  }
  return doc;
}

/** Rewrites local `#/components/...` refs to point into the registered document. */
function qualifyRefs(node: unknown, product: Product): unknown {
  if (Array.isArray(node)) return node.map((n) => qualifyRefs(n, product));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${product}.json${v}` : qualifyRefs(v, product);
    }
    // OpenAPI 3.0 `nullable: true` means the type also admits null.
    if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
    return out;
  }
  return node;
}

/**
 * The response schema for an operation, e.g. ('jira', 'get', '/rest/api/3/issue/{issueIdOrKey}', 200).
 * Throws when the document has no such operation or status, so a test cannot pass by accident.
 */
export function responseValidator(product: Product, method: string, pathTemplate: string, status: number): ValidateFunction | null {
  const key = `${product} ${method} ${pathTemplate} ${status}`;
  if (validators.has(key)) return validators.get(key)!;
  const doc = load(product);
  const docPath = pathTemplate.startsWith(PREFIX[product]) ? pathTemplate.slice(PREFIX[product].length) : pathTemplate;
  const op = doc.paths[docPath]?.[method.toLowerCase()];
  if (!op) throw new Error(`OpenAPI ${product}: no operation ${method.toUpperCase()} ${docPath}`);
  const response = op.responses?.[String(status)] ?? op.responses?.default;
  if (!response) throw new Error(`OpenAPI ${product}: ${method.toUpperCase()} ${docPath} documents no ${status} response`);
  const schema = response.content?.['application/json']?.schema ?? Object.values(response.content ?? {})[0]?.schema;
  const validate = schema ? ajv!.compile(qualifyRefs(schema, product) as object) : null;
  validators.set(key, validate);
  return validate;
}

/** Asserts `body` matches the documented response; returns the list of errors (empty when valid). */
export function contractErrors(product: Product, method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const validate = responseValidator(product, method, pathTemplate, status);
  if (!validate) return [];
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The documented path template matching a concrete path, e.g. /rest/api/3/issue/OPS-1 → /rest/api/3/issue/{issueIdOrKey}. */
export function templateFor(product: Product, method: string, concretePath: string): string | undefined {
  const doc = load(product);
  const docPath = concretePath.startsWith(PREFIX[product]) ? concretePath.slice(PREFIX[product].length) : concretePath;
  const candidates = Object.keys(doc.paths).filter((t) => doc.paths[t][method.toLowerCase()]);
  // Prefer literal segments over parameters (/issue/createmeta before /issue/{id}).
  const matches = candidates.filter((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(docPath));
  matches.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  return matches[0] === undefined ? undefined : `${PREFIX[product]}${matches[0]}`;
}

/** The OAuth scopes Atlassian lists as current for an operation (what a Forge app must declare). */
export function scopesFor(product: Product, method: string, pathTemplate: string): string[] {
  const doc = load(product) as OpenApiDoc & { paths: Record<string, Record<string, { 'x-atlassian-oauth2-scopes'?: Array<{ scopes: string[]; state: string }> }>> };
  const docPath = pathTemplate.startsWith(PREFIX[product]) ? pathTemplate.slice(PREFIX[product].length) : pathTemplate;
  const op = doc.paths[docPath]?.[method.toLowerCase()];
  return op?.['x-atlassian-oauth2-scopes']?.find((s) => s.state === 'Current')?.scopes ?? [];
}

/** Validates a request body against the documented request schema (errors; empty when valid). */
export function requestErrors(product: Product, method: string, pathTemplate: string, body: unknown): string[] {
  const doc = load(product) as OpenApiDoc & { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>> };
  const docPath = pathTemplate.startsWith(PREFIX[product]) ? pathTemplate.slice(PREFIX[product].length) : pathTemplate;
  const schema = doc.paths[docPath]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
  if (!schema) return [];
  const key = `request ${product} ${method} ${pathTemplate}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = ajv!.compile(qualifyRefs(schema, product) as object);
    validators.set(key, validate);
  }
  if (!validate || validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
