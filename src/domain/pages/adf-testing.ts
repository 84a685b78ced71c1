/**
 * Test helpers for page ADF (never imported by production code). Documents are checked twice: against
 * Atlassian's ADF JSON schema (`@atlaskit/adf-schema`'s full.json, compiled with ajv, as the workbench's
 * Confluence does) and with adf-utils' own validator, which also knows which marks may combine.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { validator } from '@atlaskit/adf-utils/validator';
import { readingOrder, readTree, sections, inlineText } from './adf-read';

export { deepFreeze, MINUTE, T0 } from '../testing';

let schema: ValidateFunction | undefined;
let editorValidate: ReturnType<typeof validator> | undefined;

function quietly<T>(fn: () => T): T {
  // adf-utils asks feature gates, which warn when no gate client is set up; that is noise in tests.
  const { warn, error, log } = console;
  console.warn = () => undefined;
  console.error = () => undefined;
  console.log = () => undefined;
  try {
    return fn();
  } finally {
    Object.assign(console, { warn, error, log });
  }
}

/** Every reason `doc` is not valid ADF; empty when it is. */
export function adfErrors(doc: unknown): string[] {
  if (!schema) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const json = { ...(require('@atlaskit/adf-schema/dist/json-schema/v1/full.json') as Record<string, unknown>) };
    delete json.$schema;
    schema = new Ajv({ strict: false, allErrors: true }).compile(json);
  }
  const errors: string[] = [];
  if (!schema(doc)) {
    // anyOf failures list every alternative; the first few say enough.
    errors.push(...(schema.errors ?? []).slice(0, 5).map((e) => `schema: ${e.instancePath || '/'} ${e.message ?? ''}`));
  }
  quietly(() => {
    editorValidate ??= validator();
    editorValidate(doc as never, (entity, error) => {
      errors.push(`validator: ${error.code} ${error.message}`);
      return entity;
    });
  });
  return errors;
}

/** The text of every text node, in document order. */
export function textsOf(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'text' && typeof o.text === 'string') out.push(o.text);
      if (Array.isArray(o.content)) walk(o.content);
    }
  };
  walk(doc);
  return out;
}

/** Every string in the document that is not the text of a text node, with where it is. */
export function stringsOutsideText(doc: unknown): Array<{ path: string; value: string }> {
  const out: Array<{ path: string; value: string }> = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') out.push({ path, value: v });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const [k, x] of Object.entries(o)) {
        if (k === 'text' && o.type === 'text') continue;
        out.push({ path: `${path}/${k}(key)`, value: k });
        walk(x, `${path}/${k}`);
      }
    }
  };
  walk(doc, '');
  return out;
}

export function nodeTypes(doc: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string') out.add(o.type);
      if (Array.isArray(o.content)) walk(o.content);
    }
  };
  walk(doc);
  return out;
}

export function markTypes(doc: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.marks)) for (const m of o.marks) out.add(String((m as { type?: unknown }).type));
      if (Array.isArray(o.content)) walk(o.content);
    }
  };
  walk(doc);
  return out;
}

/** Every link href in the document. */
export function hrefsOf(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.marks)) for (const m of o.marks as Array<{ type?: string; attrs?: { href?: string } }>) if (m.type === 'link') out.push(String(m.attrs?.href));
      if (Array.isArray(o.content)) walk(o.content);
    }
  };
  walk(doc);
  return out;
}

/** The titles of the document's headings of `level`, in order. */
export function headingTitles(doc: unknown, level?: number): string[] {
  const tree = readTree(doc);
  return sections(readingOrder(tree.root))
    .filter((s) => level === undefined || s.level === level)
    .map((s) => s.title);
}

/** The text of the section under the heading titled `title` (exactly), one string per block. */
export function sectionText(doc: unknown, title: string): string[] | undefined {
  const tree = readTree(doc);
  const section = sections(readingOrder(tree.root)).find((s) => s.title === title);
  return section?.blocks.map((b) => inlineText(b.node));
}
