/**
 * Conversions between Confluence's two primary body representations, as far as this workbench needs them.
 *
 * - ADF → storage: every node the app writes (paragraphs, headings, marks, lists, code blocks, panels, tables,
 *   task lists, status, mentions, dates, emoji, cards, expands, rules, extensions). A Forge macro
 *   (`extensionType: com.atlassian.ecosystem`) becomes `<ac:adf-extension><ac:adf-node type="extension">` with
 *   kebab-case `ac:adf-attribute` / `ac:adf-parameter` keys and `type="boolean|integer|number"` on typed values,
 *   which is how Confluence stores it; other extensions become `<ac:structured-macro>`.
 * - storage → ADF: "simple content": paragraphs, headings, text marks, links, line breaks, lists, `pre`, block
 *   quotes, rules, tables, task lists, user links (mentions), `<time>`, emoticons, code / panel / expand / status
 *   macros, other macros as `extension` nodes (`com.atlassian.confluence.macro.core`) and `ac:adf-extension`
 *   (Forge macros) back to their ADF node. Layouts and `div`s are flattened; images (`ac:image`) are dropped.
 *
 * Neither is lossless (Confluence's own converter is not either); the stored representation is always returned
 * verbatim when it is the one asked for.
 */
import { childElements, firstChild, isElement, parseXhtml, textOf, type XElement, type XNode } from './xhtml';
import { escapeHtml } from './html';

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: AdfMark[];
  text?: string;
  version?: number;
}

export const FORGE_EXTENSION_TYPE = 'com.atlassian.ecosystem';
export const MACRO_EXTENSION_TYPE = 'com.atlassian.confluence.macro.core';

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

const esc = escapeHtml;

export function camelToKebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function kebabToCamel(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Forge / ADF extensions inside storage (`ac:adf-extension`)

function writeParamValue(v: unknown): string {
  if (isRecord(v)) return writeParams(v);
  return esc(str(v));
}

function typeAttr(v: unknown): string {
  if (typeof v === 'boolean') return ' type="boolean"';
  if (typeof v === 'number') return Number.isInteger(v) ? ' type="integer"' : ' type="number"';
  return '';
}

function writeParams(obj: Record<string, unknown>): string {
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    const key = esc(camelToKebab(k));
    if (Array.isArray(v)) {
      const items = v.length === 0 ? '<ac:adf-parameter-value />' : v.map((item) => `<ac:adf-parameter-value${typeAttr(item)}>${writeParamValue(item)}</ac:adf-parameter-value>`).join('');
      out += `<ac:adf-parameter key="${key}">${items}</ac:adf-parameter>`;
    } else if (isRecord(v)) {
      out += `<ac:adf-parameter key="${key}">${writeParams(v)}</ac:adf-parameter>`;
    } else {
      out += `<ac:adf-parameter key="${key}"${typeAttr(v)}>${esc(str(v))}</ac:adf-parameter>`;
    }
  }
  return out;
}

function typedValue(text: string, type: string | undefined): unknown {
  if (type === 'boolean') return text.trim() === 'true';
  if (type === 'integer' || type === 'number') {
    const n = Number(text.trim());
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

function readParamNode(el: XElement): unknown {
  const values = childElements(el, 'ac:adf-parameter-value');
  if (values.length > 0) {
    if (values.length === 1 && values[0].children.length === 0) return [];
    return values.map((v) => (childElements(v, 'ac:adf-parameter').length > 0 ? readParams(v) : typedValue(textOf(v), v.attrs.type)));
  }
  if (childElements(el, 'ac:adf-parameter').length > 0) return readParams(el);
  return typedValue(textOf(el), el.attrs.type);
}

function readParams(el: XElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of childElements(el, 'ac:adf-parameter')) {
    if (p.attrs.key === undefined) continue;
    out[kebabToCamel(p.attrs.key)] = readParamNode(p);
  }
  return out;
}

const ADF_NODE_TYPES: Record<string, string> = { extension: 'extension', 'bodied-extension': 'bodiedExtension', 'inline-extension': 'inlineExtension' };

/** Reads `<ac:adf-extension>` (or a bare `<ac:adf-node>`) into its ADF extension node; `adf-fallback` is ignored. */
export function readAdfExtension(el: XElement): AdfNode | undefined {
  const node = el.name === 'ac:adf-node' ? el : firstChild(el, 'ac:adf-node');
  if (!node) return undefined;
  const type = ADF_NODE_TYPES[node.attrs.type ?? 'extension'];
  if (!type) return undefined;
  const attrs: Record<string, unknown> = {};
  for (const a of childElements(node, 'ac:adf-attribute')) {
    const key = a.attrs.key;
    if (!key) continue;
    if (key === 'parameters') attrs.parameters = readParams(a);
    else attrs[kebabToCamel(key)] = textOf(a);
  }
  if (typeof attrs.extensionKey !== 'string' || !attrs.extensionKey) return undefined;
  if (typeof attrs.extensionType !== 'string' || !attrs.extensionType) attrs.extensionType = FORGE_EXTENSION_TYPE;
  const out: AdfNode = { type, attrs };
  if (type === 'bodiedExtension') {
    const body = firstChild(node, 'ac:adf-content');
    const content = body ? coerceBlocks(blocksFrom(body.children), NON_NESTABLE) : [];
    out.content = content.length ? content : [{ type: 'paragraph' }];
  }
  return out;
}

function writeAdfExtension(node: AdfNode, inner: () => string): string {
  const a = node.attrs ?? {};
  const nodeType = node.type === 'bodiedExtension' ? 'bodied-extension' : node.type === 'inlineExtension' ? 'inline-extension' : 'extension';
  let out = `<ac:adf-extension><ac:adf-node type="${nodeType}">`;
  out += `<ac:adf-attribute key="extension-key">${esc(str(a.extensionKey))}</ac:adf-attribute>`;
  out += `<ac:adf-attribute key="extension-type">${esc(str(a.extensionType))}</ac:adf-attribute>`;
  if (isRecord(a.parameters)) out += `<ac:adf-attribute key="parameters">${writeParams(a.parameters)}</ac:adf-attribute>`;
  if (a.text !== undefined) out += `<ac:adf-attribute key="text">${esc(str(a.text))}</ac:adf-attribute>`;
  if (a.layout !== undefined) out += `<ac:adf-attribute key="layout">${esc(str(a.layout))}</ac:adf-attribute>`;
  if (a.localId !== undefined) out += `<ac:adf-attribute key="local-id">${esc(str(a.localId))}</ac:adf-attribute>`;
  if (node.type === 'bodiedExtension') out += `<ac:adf-content>${inner()}</ac:adf-content>`;
  return `${out}</ac:adf-node></ac:adf-extension>`;
}

// ---------------------------------------------------------------------------------------------------------------
// ADF → storage

const PANEL_TO_MACRO: Record<string, string> = { info: 'info', note: 'info', tip: 'tip', success: 'tip', warning: 'note', error: 'warning', custom: 'info' };
const STATUS_TO_COLOUR: Record<string, string> = { neutral: 'Grey', purple: 'Purple', blue: 'Blue', red: 'Red', yellow: 'Yellow', green: 'Green' };

function markOpen(m: AdfMark): [string, string] | undefined {
  switch (m.type) {
    case 'strong':
      return ['<strong>', '</strong>'];
    case 'em':
      return ['<em>', '</em>'];
    case 'underline':
      return ['<u>', '</u>'];
    case 'strike':
      return ['<s>', '</s>'];
    case 'code':
      return ['<code>', '</code>'];
    case 'subsup':
      return m.attrs?.type === 'sup' ? ['<sup>', '</sup>'] : ['<sub>', '</sub>'];
    case 'link':
      return [`<a href="${esc(str(m.attrs?.href))}">`, '</a>'];
    default:
      return undefined;
  }
}

function textToStorage(node: AdfNode): string {
  let out = esc(node.text ?? '');
  // Links outermost, as Confluence writes them.
  const marks = [...(node.marks ?? [])].sort((a, b) => (a.type === 'link' ? 1 : 0) - (b.type === 'link' ? 1 : 0));
  for (const m of marks) {
    const tags = markOpen(m);
    if (tags) out = tags[0] + out + tags[1];
  }
  return out;
}

function dateFromTimestamp(ts: unknown): string | undefined {
  const n = Number(ts);
  if (!Number.isFinite(n)) return undefined;
  const d = new Date(n);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

function macro(name: string, params: Record<string, string>, body?: { rich?: string; plain?: string }): string {
  let out = `<ac:structured-macro ac:name="${esc(name)}" ac:schema-version="1">`;
  for (const [k, v] of Object.entries(params)) out += `<ac:parameter ac:name="${esc(k)}">${esc(v)}</ac:parameter>`;
  if (body?.rich !== undefined) out += `<ac:rich-text-body>${body.rich}</ac:rich-text-body>`;
  if (body?.plain !== undefined) out += `<ac:plain-text-body>${cdata(body.plain)}</ac:plain-text-body>`;
  return `${out}</ac:structured-macro>`;
}

let taskCounter = 0;

function nodeToStorage(node: AdfNode): string {
  const kids = () => (node.content ?? []).map(nodeToStorage).join('');
  const a = node.attrs ?? {};
  switch (node.type) {
    case 'doc':
      return kids();
    case 'paragraph': {
      const inner = kids();
      return inner ? `<p>${inner}</p>` : '<p />';
    }
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(a.level) || 1));
      return `<h${level}>${kids()}</h${level}>`;
    }
    case 'text':
      return textToStorage(node);
    case 'hardBreak':
      return '<br />';
    case 'bulletList':
      return `<ul>${kids()}</ul>`;
    case 'orderedList': {
      const order = Number(a.order);
      return Number.isInteger(order) && order !== 1 ? `<ol start="${order}">${kids()}</ol>` : `<ol>${kids()}</ol>`;
    }
    case 'listItem':
      return `<li>${kids()}</li>`;
    case 'blockquote':
      return `<blockquote>${kids()}</blockquote>`;
    case 'rule':
      return '<hr />';
    case 'codeBlock': {
      const text = (node.content ?? []).map((t) => t.text ?? '').join('');
      return macro('code', a.language ? { language: str(a.language) } : {}, { plain: text });
    }
    case 'panel':
      return macro(PANEL_TO_MACRO[str(a.panelType)] ?? 'info', {}, { rich: kids() });
    case 'expand':
    case 'nestedExpand':
      return macro('expand', a.title ? { title: str(a.title) } : {}, { rich: kids() });
    case 'table':
      return `<table><tbody>${kids()}</tbody></table>`;
    case 'tableRow':
      return `<tr>${kids()}</tr>`;
    case 'tableHeader':
    case 'tableCell': {
      const tag = node.type === 'tableHeader' ? 'th' : 'td';
      const span = (k: 'colspan' | 'rowspan') => (Number(a[k]) > 1 ? ` ${k}="${Number(a[k])}"` : '');
      return `<${tag}${span('colspan')}${span('rowspan')}>${kids()}</${tag}>`;
    }
    case 'taskList':
      return `<ac:task-list>${kids()}</ac:task-list>`;
    case 'taskItem':
    case 'blockTaskItem': {
      taskCounter += 1;
      const status = a.state === 'DONE' ? 'complete' : 'incomplete';
      const uuid = a.localId ? `<ac:task-uuid>${esc(str(a.localId))}</ac:task-uuid>` : '';
      return `<ac:task><ac:task-id>${taskCounter}</ac:task-id>${uuid}<ac:task-status>${status}</ac:task-status><ac:task-body>${kids()}</ac:task-body></ac:task>`;
    }
    case 'decisionList':
      return `<ul>${kids()}</ul>`;
    case 'decisionItem':
      return `<li>${kids()}</li>`;
    case 'status':
      return macro('status', { title: str(a.text), colour: STATUS_TO_COLOUR[str(a.color)] ?? 'Grey' });
    case 'mention':
      return `<ac:link><ri:user ri:account-id="${esc(str(a.id))}" /></ac:link>`;
    case 'emoji': {
      const short = str(a.shortName);
      const fallback = a.text !== undefined ? ` ac:emoji-fallback="${esc(str(a.text))}"` : '';
      return `<ac:emoticon ac:name="blue-star" ac:emoji-shortname="${esc(short)}"${a.id ? ` ac:emoji-id="${esc(str(a.id))}"` : ''}${fallback} />`;
    }
    case 'date': {
      const d = dateFromTimestamp(a.timestamp);
      return d ? `<time datetime="${d}" />` : '';
    }
    case 'inlineCard':
      return a.url ? `<a href="${esc(str(a.url))}" data-card-appearance="inline">${esc(str(a.url))}</a>` : '';
    case 'blockCard':
    case 'embedCard':
      return a.url ? `<p><a href="${esc(str(a.url))}" data-card-appearance="block">${esc(str(a.url))}</a></p>` : '';
    case 'layoutSection':
      return `<ac:layout><ac:layout-section ac:type="fixed-width">${kids()}</ac:layout-section></ac:layout>`;
    case 'layoutColumn':
      return `<ac:layout-cell>${kids()}</ac:layout-cell>`;
    case 'mediaSingle':
    case 'mediaGroup':
      return kids();
    case 'media':
    case 'mediaInline':
      return `<ac:image><ri:attachment ri:filename="${esc(str(a.alt ?? a.id ?? 'attachment'))}" /></ac:image>`;
    case 'placeholder':
      return `<ac:placeholder>${esc(str(a.text))}</ac:placeholder>`;
    case 'extension':
    case 'bodiedExtension':
    case 'inlineExtension': {
      if (a.extensionType === MACRO_EXTENSION_TYPE) {
        const params: Record<string, string> = {};
        const macroParams = isRecord(a.parameters) && isRecord(a.parameters.macroParams) ? a.parameters.macroParams : {};
        let plain: string | undefined;
        for (const [k, v] of Object.entries(macroParams)) {
          const value = isRecord(v) ? str(v.value) : str(v);
          if (k === '__bodyContent') plain = value;
          else params[k] = value;
        }
        return macro(str(a.extensionKey), params, node.type === 'bodiedExtension' ? { rich: kids() } : plain !== undefined ? { plain } : undefined);
      }
      return writeAdfExtension(node, kids);
    }
    default:
      return kids();
  }
}

/** Serialises an ADF document to storage XHTML. */
export function adfToStorage(doc: AdfNode): string {
  taskCounter = 0;
  return nodeToStorage(doc);
}

// ---------------------------------------------------------------------------------------------------------------
// storage → ADF

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const FLATTEN = new Set(['div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'center', 'ac:layout', 'ac:layout-section', 'ac:layout-cell', 'ac:rich-text-body', 'body', 'html', 'thead', 'tbody', 'tfoot']);
const BLOCK = new Set(['p', 'ul', 'ol', 'pre', 'blockquote', 'hr', 'table', 'ac:task-list', 'dl', ...HEADINGS, ...FLATTEN]);
const DROP = new Set(['script', 'style', 'head', 'title', 'ac:placeholder', 'ac:image', 'ac:parameter', 'ac:adf-fallback', 'iframe', 'object', 'embed', 'template', 'noscript']);
const INLINE_MACROS = new Set(['status', 'anchor', 'jira']);

const MACRO_TO_PANEL: Record<string, string> = { info: 'info', tip: 'success', note: 'warning', warning: 'error', panel: 'info' };
const COLOUR_TO_STATUS: Record<string, string> = { grey: 'neutral', gray: 'neutral', purple: 'purple', blue: 'blue', red: 'red', yellow: 'yellow', green: 'green' };

const LIST_ITEM_CONTENT = new Set(['paragraph', 'bulletList', 'orderedList', 'taskList', 'codeBlock', 'extension']);
const QUOTE_CONTENT = new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'extension']);
const PANEL_CONTENT = new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'codeBlock', 'taskList', 'rule', 'decisionList', 'extension']);
const CELL_CONTENT = new Set(['paragraph', 'panel', 'blockquote', 'orderedList', 'bulletList', 'rule', 'heading', 'codeBlock', 'decisionList', 'taskList', 'extension']);
const NON_NESTABLE = new Set(['paragraph', 'panel', 'blockquote', 'orderedList', 'bulletList', 'rule', 'heading', 'codeBlock', 'decisionList', 'taskList', 'table', 'extension']);

function macroParams(el: XElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of childElements(el, 'ac:parameter')) out[p.attrs['ac:name'] ?? ''] = textOf(p);
  return out;
}

function sameMarks(a: AdfMark[] | undefined, b: AdfMark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function withMark(marks: AdfMark[], mark: AdfMark): AdfMark[] {
  return marks.some((m) => m.type === mark.type) ? marks : [...marks, mark];
}

/** A text node with valid marks: `code` combines only with `link`. */
function textNode(text: string, marks: AdfMark[]): AdfNode {
  let ms = marks;
  if (ms.some((m) => m.type === 'code')) ms = ms.filter((m) => m.type === 'code' || m.type === 'link');
  return ms.length ? { type: 'text', text, marks: ms } : { type: 'text', text };
}

function statusNode(el: XElement): AdfNode | undefined {
  const params = macroParams(el);
  const text = (params.title ?? '').trim();
  if (!text) return undefined;
  return { type: 'status', attrs: { text, color: COLOUR_TO_STATUS[(params.colour ?? params.color ?? 'grey').toLowerCase()] ?? 'neutral' } };
}

function inlinesFrom(nodes: XNode[], marks: AdfMark[], out: AdfNode[] = []): AdfNode[] {
  for (const n of nodes) {
    if (n.type === 'text') {
      const text = n.text.replace(/[\t\n\r ]+/g, ' ');
      if (text) out.push(textNode(text, marks));
      continue;
    }
    const kids = n.children;
    switch (n.name) {
      case 'strong':
      case 'b':
        inlinesFrom(kids, withMark(marks, { type: 'strong' }), out);
        break;
      case 'em':
      case 'i':
      case 'cite':
        inlinesFrom(kids, withMark(marks, { type: 'em' }), out);
        break;
      case 'u':
        inlinesFrom(kids, withMark(marks, { type: 'underline' }), out);
        break;
      case 's':
      case 'del':
      case 'strike':
        inlinesFrom(kids, withMark(marks, { type: 'strike' }), out);
        break;
      case 'code':
      case 'tt':
      case 'kbd':
        inlinesFrom(kids, withMark(marks, { type: 'code' }), out);
        break;
      case 'sub':
      case 'sup':
        inlinesFrom(kids, withMark(marks, { type: 'subsup', attrs: { type: n.name } }), out);
        break;
      case 'a':
        inlinesFrom(kids, n.attrs.href ? withMark(marks, { type: 'link', attrs: { href: n.attrs.href } }) : marks, out);
        break;
      case 'br':
        out.push({ type: 'hardBreak' });
        break;
      case 'time': {
        const t = Date.parse(n.attrs.datetime ?? '');
        if (Number.isFinite(t)) out.push({ type: 'date', attrs: { timestamp: String(t) } });
        break;
      }
      case 'ac:emoticon': {
        const short = n.attrs['ac:emoji-shortname'] || `:${n.attrs['ac:name'] ?? 'smile'}:`;
        const attrs: Record<string, unknown> = { shortName: short };
        if (n.attrs['ac:emoji-id']) attrs.id = n.attrs['ac:emoji-id'];
        if (n.attrs['ac:emoji-fallback']) attrs.text = n.attrs['ac:emoji-fallback'];
        out.push({ type: 'emoji', attrs });
        break;
      }
      case 'ac:link': {
        const user = firstChild(n, 'ri:user');
        const body = firstChild(n, 'ac:link-body') ?? firstChild(n, 'ac:plain-text-link-body');
        if (user && user.attrs['ri:account-id']) {
          out.push({ type: 'mention', attrs: { id: user.attrs['ri:account-id'], text: body ? `@${textOf(body)}` : '' } });
        } else if (body) {
          inlinesFrom(body.children, marks, out);
        } else {
          const page = firstChild(n, 'ri:page');
          const label = page?.attrs['ri:content-title'] ?? firstChild(n, 'ri:attachment')?.attrs['ri:filename'] ?? '';
          if (label) out.push(textNode(label, marks));
        }
        break;
      }
      case 'ac:structured-macro': {
        const name = n.attrs['ac:name'] ?? '';
        if (name === 'status') {
          const s = statusNode(n);
          if (s) out.push(s);
        } else if (name !== 'anchor') {
          const params = macroParams(n);
          const ext: AdfNode = { type: 'inlineExtension', attrs: { extensionType: MACRO_EXTENSION_TYPE, extensionKey: name || 'unknown', parameters: { macroParams: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, { value: v }])) } } };
          out.push(ext);
        }
        break;
      }
      case 'ac:adf-extension':
      case 'ac:adf-node': {
        const ext = readAdfExtension(n);
        if (ext?.type === 'inlineExtension') out.push(ext);
        else if (ext) {
          const { layout: _layout, ...attrs } = ext.attrs ?? {};
          out.push({ type: 'inlineExtension', attrs });
        }
        break;
      }
      default:
        if (DROP.has(n.name) || n.name.startsWith('ri:')) break;
        inlinesFrom(kids, marks, out);
    }
  }
  return out;
}

/** Trims the run's outer whitespace and merges neighbouring texts with equal marks. */
function tidyInlines(nodes: AdfNode[]): AdfNode[] {
  const merged: AdfNode[] = [];
  for (const n of nodes) {
    const last = merged[merged.length - 1];
    if (n.type === 'text' && last?.type === 'text' && sameMarks(last.marks, n.marks)) last.text = (last.text ?? '') + (n.text ?? '');
    else merged.push(n.type === 'text' ? { ...n } : n);
  }
  const first = merged[0];
  if (first?.type === 'text') first.text = (first.text ?? '').replace(/^ +/, '');
  const lastNode = merged[merged.length - 1];
  if (lastNode?.type === 'text') lastNode.text = (lastNode.text ?? '').replace(/ +$/, '');
  return merged.filter((n) => n.type !== 'text' || (n.text ?? '').length > 0);
}

function paragraph(inlines: AdfNode[]): AdfNode {
  const content = tidyInlines(inlines);
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
}

function listFrom(el: XElement): AdfNode | undefined {
  const items: AdfNode[] = [];
  for (const child of el.children) {
    if (isElement(child, 'li')) {
      const content = coerceBlocks(blocksFrom(child.children), LIST_ITEM_CONTENT);
      items.push({ type: 'listItem', content: content.length ? content : [{ type: 'paragraph' }] });
    } else if (isElement(child, 'ul') || isElement(child, 'ol')) {
      const nested = listFrom(child);
      if (nested && items.length) items[items.length - 1].content!.push(nested);
    }
  }
  if (!items.length) return undefined;
  if (el.name === 'ol') {
    const start = Number(el.attrs.start);
    return Number.isInteger(start) && start >= 0 && start !== 1 ? { type: 'orderedList', attrs: { order: start }, content: items } : { type: 'orderedList', content: items };
  }
  return { type: 'bulletList', content: items };
}

function tableFrom(el: XElement): AdfNode | undefined {
  const rows: AdfNode[] = [];
  const collect = (node: XElement) => {
    for (const c of childElements(node)) {
      if (c.name === 'tr') {
        const cells: AdfNode[] = [];
        for (const cell of childElements(c)) {
          if (cell.name !== 'td' && cell.name !== 'th') continue;
          const content = coerceBlocks(blocksFrom(cell.children), CELL_CONTENT);
          const attrs: Record<string, unknown> = {};
          for (const k of ['colspan', 'rowspan'] as const) {
            const v = Number(cell.attrs[k]);
            if (Number.isInteger(v) && v > 1) attrs[k] = v;
          }
          const out: AdfNode = { type: cell.name === 'th' ? 'tableHeader' : 'tableCell', content: content.length ? content : [{ type: 'paragraph' }] };
          if (Object.keys(attrs).length) out.attrs = attrs;
          cells.push(out);
        }
        if (cells.length) rows.push({ type: 'tableRow', content: cells });
      } else if (c.name === 'thead' || c.name === 'tbody' || c.name === 'tfoot') {
        collect(c);
      }
    }
  };
  collect(el);
  return rows.length ? { type: 'table', content: rows } : undefined;
}

function taskListFrom(el: XElement, path: string): AdfNode | undefined {
  const items: AdfNode[] = [];
  childElements(el, 'ac:task').forEach((task, i) => {
    const id = textOf(firstChild(task, 'ac:task-uuid') ?? firstChild(task, 'ac:task-id') ?? { type: 'text', text: '' }).trim() || `${path}-${i + 1}`;
    const done = textOf(firstChild(task, 'ac:task-status') ?? { type: 'text', text: '' }).trim() === 'complete';
    const body = firstChild(task, 'ac:task-body');
    const content = body ? tidyInlines(inlinesFrom(body.children, [])) : [];
    const item: AdfNode = { type: 'taskItem', attrs: { localId: id, state: done ? 'DONE' : 'TODO' } };
    if (content.length) item.content = content;
    items.push(item);
  });
  return items.length ? { type: 'taskList', attrs: { localId: path }, content: items } : undefined;
}

let listCounter = 0;

function macroBlock(el: XElement): AdfNode[] {
  const name = (el.attrs['ac:name'] ?? '').toLowerCase();
  const params = macroParams(el);
  const rich = firstChild(el, 'ac:rich-text-body');
  const plain = firstChild(el, 'ac:plain-text-body');
  if (name === 'code' || name === 'noformat') {
    const text = plain ? textOf(plain) : '';
    const node: AdfNode = { type: 'codeBlock' };
    if (params.language) node.attrs = { language: params.language };
    if (text) node.content = [{ type: 'text', text }];
    return [node];
  }
  if (MACRO_TO_PANEL[name] && rich) {
    const content = coerceBlocks(blocksFrom(rich.children), PANEL_CONTENT);
    return [{ type: 'panel', attrs: { panelType: MACRO_TO_PANEL[name] }, content: content.length ? content : [{ type: 'paragraph' }] }];
  }
  if (name === 'expand') {
    const content = rich ? coerceBlocks(blocksFrom(rich.children), NON_NESTABLE) : [];
    const node: AdfNode = { type: 'expand', content: content.length ? content : [{ type: 'paragraph' }] };
    if (params.title) node.attrs = { title: params.title };
    return [node];
  }
  if (name === 'status') {
    const s = statusNode(el);
    return s ? [{ type: 'paragraph', content: [s] }] : [];
  }
  const macroParamsAdf: Record<string, unknown> = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, { value: v }]));
  if (plain) macroParamsAdf.__bodyContent = { value: textOf(plain) };
  const attrs: Record<string, unknown> = { extensionType: MACRO_EXTENSION_TYPE, extensionKey: name || 'unknown', parameters: { macroParams: macroParamsAdf, macroMetadata: { schemaVersion: { value: el.attrs['ac:schema-version'] ?? '1' }, title: name } } };
  if (rich) {
    const content = coerceBlocks(blocksFrom(rich.children), NON_NESTABLE);
    return [{ type: 'bodiedExtension', attrs, content: content.length ? content : [{ type: 'paragraph' }] }];
  }
  return [{ type: 'extension', attrs }];
}

function blocksFrom(nodes: XNode[]): AdfNode[] {
  const out: AdfNode[] = [];
  let pending: AdfNode[] = [];
  const flush = () => {
    const p = paragraph(pending);
    pending = [];
    if (p.content) out.push(p);
  };
  for (const n of nodes) {
    const isBlock =
      n.type === 'element' &&
      (BLOCK.has(n.name) ||
        (n.name === 'ac:structured-macro' && !INLINE_MACROS.has((n.attrs['ac:name'] ?? '').toLowerCase())) ||
        (n.name === 'ac:adf-extension' && (firstChild(n, 'ac:adf-node')?.attrs.type ?? 'extension') !== 'inline-extension'));
    if (!isBlock) {
      if (n.type === 'element' && DROP.has(n.name)) continue;
      inlinesFrom([n], [], pending);
      continue;
    }
    flush();
    const el = n as XElement;
    if (el.name === 'p') {
      out.push(paragraph(inlinesFrom(el.children, [])));
    } else if (HEADINGS.has(el.name)) {
      const content = tidyInlines(inlinesFrom(el.children, []));
      const h: AdfNode = { type: 'heading', attrs: { level: Number(el.name[1]) } };
      if (content.length) h.content = content;
      out.push(h);
    } else if (el.name === 'ul' || el.name === 'ol') {
      const list = listFrom(el);
      if (list) out.push(list);
    } else if (el.name === 'pre') {
      const text = textOf(el);
      out.push(text ? { type: 'codeBlock', content: [{ type: 'text', text }] } : { type: 'codeBlock' });
    } else if (el.name === 'blockquote') {
      const content = coerceBlocks(blocksFrom(el.children), QUOTE_CONTENT);
      out.push({ type: 'blockquote', content: content.length ? content : [{ type: 'paragraph' }] });
    } else if (el.name === 'hr') {
      out.push({ type: 'rule' });
    } else if (el.name === 'table') {
      const t = tableFrom(el);
      if (t) out.push(t);
    } else if (el.name === 'ac:task-list') {
      listCounter += 1;
      const t = taskListFrom(el, `task-list-${listCounter}`);
      if (t) out.push(t);
    } else if (el.name === 'dl') {
      for (const item of childElements(el)) out.push(paragraph(inlinesFrom(item.children, item.name === 'dt' ? [{ type: 'strong' }] : [])));
    } else if (el.name === 'ac:structured-macro') {
      out.push(...macroBlock(el));
    } else if (el.name === 'ac:adf-extension') {
      const ext = readAdfExtension(el);
      const fallback = firstChild(el, 'ac:adf-fallback');
      if (ext) out.push(ext);
      else if (fallback) out.push(...blocksFrom(fallback.children));
    } else {
      out.push(...blocksFrom(el.children));
    }
  }
  flush();
  return out;
}

/** Keeps the blocks a container may hold; a heading becomes a paragraph, other containers are unwrapped. */
function coerceBlocks(blocks: AdfNode[], allowed: Set<string>): AdfNode[] {
  const out: AdfNode[] = [];
  for (const b of blocks) {
    if (allowed.has(b.type)) out.push(b);
    else if (b.type === 'heading') out.push(b.content ? { type: 'paragraph', content: b.content } : { type: 'paragraph' });
    else if (b.type === 'table') for (const row of b.content ?? []) for (const cell of row.content ?? []) out.push(...coerceBlocks(cell.content ?? [], allowed));
    else if (b.type === 'bodiedExtension') out.push({ type: 'extension', attrs: b.attrs });
    else if (b.content && b.type !== 'taskList') out.push(...coerceBlocks(b.content, allowed));
  }
  return out;
}

/** Converts storage XHTML to an ADF document (see the module comment for what is covered). */
export function storageToAdf(storage: string): AdfNode {
  listCounter = 0;
  const blocks = coerceBlocks(blocksFrom(parseXhtml(storage).children), new Set([...NON_NESTABLE, 'expand', 'bodiedExtension']));
  return { type: 'doc', version: 1, content: blocks };
}
