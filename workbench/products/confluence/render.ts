/**
 * Page-view rendering: storage XHTML or ADF → HTML that is safe to put into the workbench's Confluence-like page.
 *
 * Output is rebuilt, never copied: only allow-listed element names are written, every text and attribute value is
 * escaped, no `on*` / `style` / `class` attribute from the input survives, link and image targets must pass
 * `safeUrl`, and `script`, `style`, `iframe`, `object`, `svg`, forms and the like are dropped with their content.
 * Confluence macros render as a labelled placeholder box; a Forge macro (an ADF `extension` node with
 * `extensionType: com.atlassian.ecosystem`, or its `ac:adf-extension` storage form) renders as
 * `<div class="wb-forge-macro" data-forge-macro="<extensionKey>" data-extension-key=… data-parameters='<json>'>`
 * so the host page can mount the app's macro iframe there.
 */
import { escapeHtml as esc, jsonAttr, safeUrl } from './html';
import { FORGE_EXTENSION_TYPE, readAdfExtension, type AdfMark, type AdfNode } from './convert';
import { childElements, firstChild, parseXhtml, textOf, type XElement, type XNode } from './xhtml';

export interface RenderContext {
  /** Display name for an account id (mentions, user links); undefined shows the id. */
  userName?: (accountId: string) => string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared placeholders

function forgeMacroHtml(attrs: Record<string, unknown>, inline: boolean, bodyHtml = ''): string {
  const key = String(attrs.extensionKey ?? '');
  const params = attrs.parameters && typeof attrs.parameters === 'object' ? (attrs.parameters as Record<string, unknown>) : {};
  const title = String(attrs.text ?? params.extensionTitle ?? key.split('/').pop() ?? 'app macro');
  const tag = inline ? 'span' : 'div';
  const data = [
    `data-forge-macro="${esc(key)}"`,
    `data-extension-key="${esc(key)}"`,
    `data-extension-type="${esc(String(attrs.extensionType ?? FORGE_EXTENSION_TYPE))}"`,
    attrs.localId !== undefined ? `data-local-id="${esc(String(attrs.localId))}"` : '',
    attrs.layout !== undefined ? `data-layout="${esc(String(attrs.layout))}"` : '',
    `data-parameters="${jsonAttr(params)}"`,
  ].filter(Boolean);
  return `<${tag} class="wb-forge-macro" ${data.join(' ')}><span class="wb-macro-label">App macro: ${esc(title)}</span>${bodyHtml}</${tag}>`;
}

function macroBoxHtml(name: string, params: Array<[string, string]>, inline: boolean, bodyHtml: string): string {
  const tag = inline ? 'span' : 'div';
  const paramHtml = params.length
    ? `<${inline ? 'span' : 'dl'} class="wb-macro-params">${params.map(([k, v]) => (inline ? `<span>${esc(k)}=${esc(v)}</span>` : `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)).join('')}</${inline ? 'span' : 'dl'}>`
    : '';
  return `<${tag} class="wb-macro" data-macro-name="${esc(name)}"><span class="wb-macro-label">Macro: ${esc(name)}</span>${paramHtml}${bodyHtml}</${tag}>`;
}

const STATUS_COLOURS = new Set(['neutral', 'purple', 'blue', 'red', 'yellow', 'green', 'grey']);

function statusHtml(text: string, colour: string): string {
  const c = colour.toLowerCase();
  return `<span class="wb-status" data-colour="${STATUS_COLOURS.has(c) ? c : 'neutral'}">${esc(text.toUpperCase())}</span>`;
}

// ---------------------------------------------------------------------------------------------------------------
// storage → HTML

/** Elements copied (without attributes unless listed in ATTRS). */
const ALLOWED = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'strike', 'sub', 'sup',
  'code', 'pre', 'blockquote', 'br', 'hr', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'colgroup', 'col',
  'span', 'div', 'a', 'img', 'dl', 'dt', 'dd', 'small', 'mark', 'cite', 'q', 'abbr', 'kbd', 'tt', 'ins', 'time',
]);
const VOID_OUT = new Set(['br', 'hr', 'img', 'col']);
/** Dropped together with everything inside. */
const DROP = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noscript', 'template', 'svg', 'math', 'head',
  'title', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select', 'option', 'audio', 'video', 'canvas', 'source',
  'xml', 'ac:parameter', 'ac:placeholder', 'ac:adf-fallback',
]);
const INLINE_CONTEXT = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'span', 'a', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'strike', 'sub', 'sup', 'code', 'small', 'mark', 'cite', 'q', 'abbr', 'kbd', 'tt', 'ins', 'dt', 'caption']);

function numericAttr(el: XElement, name: string): string {
  const v = el.attrs[name];
  return v !== undefined && /^\d{1,4}$/.test(v) ? ` ${name}="${v}"` : '';
}

function allowedAttrs(el: XElement): string {
  switch (el.name) {
    case 'a': {
      const href = safeUrl(el.attrs.href);
      return href ? ` href="${esc(href)}" rel="nofollow noopener noreferrer"` : '';
    }
    case 'img': {
      const src = safeUrl(el.attrs.src);
      return `${src ? ` src="${esc(src)}"` : ''}${el.attrs.alt !== undefined ? ` alt="${esc(el.attrs.alt)}"` : ''}${numericAttr(el, 'width')}${numericAttr(el, 'height')}`;
    }
    case 'td':
    case 'th':
      return numericAttr(el, 'colspan') + numericAttr(el, 'rowspan');
    case 'ol':
      return numericAttr(el, 'start');
    case 'col':
    case 'colgroup':
      return numericAttr(el, 'span');
    case 'time':
      return el.attrs.datetime !== undefined ? ` datetime="${esc(el.attrs.datetime)}"` : '';
    default:
      return '';
  }
}

class StorageRenderer {
  constructor(private readonly ctx: RenderContext) {}

  nodes(nodes: XNode[], inline: boolean): string {
    return nodes.map((n) => this.node(n, inline)).join('');
  }

  node(n: XNode, inline: boolean): string {
    if (n.type === 'text') return esc(n.text);
    if (DROP.has(n.name)) return '';
    if (n.name.startsWith('ac:') || n.name.startsWith('ri:')) return this.confluence(n, inline);
    if (!ALLOWED.has(n.name)) return this.nodes(n.children, inline);
    const childInline = inline || INLINE_CONTEXT.has(n.name);
    if (n.name === 'time') {
      const label = textOf(n) || n.attrs.datetime || '';
      return `<time${allowedAttrs(n)}>${esc(label)}</time>`;
    }
    if (VOID_OUT.has(n.name)) return `<${n.name}${allowedAttrs(n)}>`;
    return `<${n.name}${allowedAttrs(n)}>${this.nodes(n.children, childInline)}</${n.name}>`;
  }

  private userLabel(accountId: string): string {
    return this.ctx.userName?.(accountId) ?? accountId;
  }

  private confluence(el: XElement, inline: boolean): string {
    switch (el.name) {
      case 'ac:structured-macro':
      case 'ac:macro':
        return this.macro(el, inline);
      case 'ac:adf-extension':
      case 'ac:adf-node': {
        const ext = readAdfExtension(el);
        if (!ext) {
          // Not an extension node (Confluence stores decision lists and the like this way too): show its fallback.
          const fallback = firstChild(el, 'ac:adf-fallback');
          return fallback ? this.nodes(fallback.children, inline) : '';
        }
        const isInline = inline || ext.type === 'inlineExtension';
        const attrs = ext.attrs ?? {};
        if (attrs.extensionType === FORGE_EXTENSION_TYPE) {
          const body = ext.type === 'bodiedExtension' ? this.nodes(firstChild(firstChild(el, 'ac:adf-node') ?? el, 'ac:adf-content')?.children ?? [], false) : '';
          return forgeMacroHtml(attrs, isInline, body);
        }
        return macroBoxHtml(String(attrs.extensionKey), [], isInline, '');
      }
      case 'ac:task-list':
        return `<ul class="wb-task-list">${childElements(el, 'ac:task')
          .map((t) => {
            const done = textOf(firstChild(t, 'ac:task-status') ?? { type: 'text', text: '' }).trim() === 'complete';
            const body = firstChild(t, 'ac:task-body');
            return `<li class="wb-task" data-state="${done ? 'DONE' : 'TODO'}"><span class="wb-task-box">${done ? '\u2611' : '\u2610'}</span> ${body ? this.nodes(body.children, true) : ''}</li>`;
          })
          .join('')}</ul>`;
      case 'ac:link': {
        const user = firstChild(el, 'ri:user');
        const body = firstChild(el, 'ac:link-body') ?? firstChild(el, 'ac:plain-text-link-body');
        if (user) {
          const id = user.attrs['ri:account-id'] ?? user.attrs['ri:userkey'] ?? '';
          return `<span class="wb-mention" data-account-id="${esc(id)}">@${esc(body ? textOf(body) : this.userLabel(id))}</span>`;
        }
        const page = firstChild(el, 'ri:page');
        const label = body ? this.nodes(body.children, true) : esc(page?.attrs['ri:content-title'] ?? firstChild(el, 'ri:attachment')?.attrs['ri:filename'] ?? firstChild(el, 'ri:url')?.attrs['ri:value'] ?? '');
        const url = safeUrl(firstChild(el, 'ri:url')?.attrs['ri:value']);
        return url ? `<a href="${esc(url)}" rel="nofollow noopener noreferrer">${label}</a>` : `<span class="wb-link">${label}</span>`;
      }
      case 'ac:image': {
        const att = firstChild(el, 'ri:attachment');
        const url = firstChild(el, 'ri:url');
        const label = att?.attrs['ri:filename'] ?? url?.attrs['ri:value'] ?? 'image';
        return `<span class="wb-image-placeholder">[image: ${esc(label)}]</span>`;
      }
      case 'ac:emoticon':
        return esc(el.attrs['ac:emoji-fallback'] ?? el.attrs['ac:emoji-shortname'] ?? `:${el.attrs['ac:name'] ?? ''}:`);
      case 'ac:layout':
      case 'ac:layout-section':
      case 'ac:layout-cell':
        return `<div class="wb-${el.name.slice(3)}">${this.nodes(el.children, false)}</div>`;
      case 'ac:rich-text-body':
      case 'ac:link-body':
      case 'ac:inline-comment-marker':
      case 'ac:task-body':
        return this.nodes(el.children, inline);
      case 'ac:plain-text-body':
      case 'ac:plain-text-link-body':
        return esc(textOf(el));
      default:
        // Other `ac:` / `ri:` elements (resource identifiers, unknown extensions): their text at most.
        return el.name.startsWith('ri:') ? '' : this.nodes(el.children, inline);
    }
  }

  private macro(el: XElement, inline: boolean): string {
    const name = el.attrs['ac:name'] ?? 'unknown';
    const params: Array<[string, string]> = childElements(el, 'ac:parameter').map((p) => [p.attrs['ac:name'] ?? '', textOf(p)]);
    const rich = firstChild(el, 'ac:rich-text-body');
    const plain = firstChild(el, 'ac:plain-text-body');
    if (name === 'status') {
      const get = (k: string) => params.find(([pk]) => pk === k)?.[1];
      return statusHtml(get('title') ?? '', get('colour') ?? get('color') ?? 'grey');
    }
    let body = '';
    if (plain) body = `<pre class="wb-macro-plain"><code>${esc(textOf(plain))}</code></pre>`;
    if (rich) body += inline ? `<span class="wb-macro-body">${this.nodes(rich.children, true)}</span>` : `<div class="wb-macro-body">${this.nodes(rich.children, false)}</div>`;
    return macroBoxHtml(name, params, inline, body);
  }
}

export function renderStorageHtml(storage: string, ctx: RenderContext = {}): string {
  return new StorageRenderer(ctx).nodes(parseXhtml(storage).children, false);
}

// ---------------------------------------------------------------------------------------------------------------
// ADF → HTML

function markHtml(m: AdfMark, inner: string): string {
  switch (m.type) {
    case 'strong':
      return `<strong>${inner}</strong>`;
    case 'em':
      return `<em>${inner}</em>`;
    case 'underline':
      return `<u>${inner}</u>`;
    case 'strike':
      return `<s>${inner}</s>`;
    case 'code':
      return `<code>${inner}</code>`;
    case 'subsup':
      return m.attrs?.type === 'sup' ? `<sup>${inner}</sup>` : `<sub>${inner}</sub>`;
    case 'link': {
      const href = safeUrl(typeof m.attrs?.href === 'string' ? m.attrs.href : undefined);
      return href ? `<a href="${esc(href)}" rel="nofollow noopener noreferrer">${inner}</a>` : inner;
    }
    default:
      return inner;
  }
}

const PANEL_TYPES = new Set(['info', 'note', 'tip', 'warning', 'error', 'success', 'custom']);

class AdfRenderer {
  constructor(private readonly ctx: RenderContext) {}

  nodes(nodes: unknown, inline: boolean): string {
    return Array.isArray(nodes) ? nodes.map((n) => this.node(n as AdfNode, inline)).join('') : '';
  }

  node(n: AdfNode, inline: boolean): string {
    if (!n || typeof n !== 'object') return '';
    const a = (n.attrs && typeof n.attrs === 'object' ? n.attrs : {}) as Record<string, unknown>;
    const kids = (inl = inline) => this.nodes(n.content, inl);
    const s = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
    switch (n.type) {
      case 'doc':
        return kids(false);
      case 'paragraph':
        return `<p>${kids(true)}</p>`;
      case 'heading': {
        const level = Math.min(6, Math.max(1, Math.trunc(Number(a.level)) || 1));
        return `<h${level}>${kids(true)}</h${level}>`;
      }
      case 'text': {
        let out = esc(s(n.text));
        const marks = Array.isArray(n.marks) ? [...n.marks].sort((x, y) => (x.type === 'link' ? 1 : 0) - (y.type === 'link' ? 1 : 0)) : [];
        for (const m of marks) out = markHtml(m, out);
        return out;
      }
      case 'hardBreak':
        return '<br>';
      case 'bulletList':
        return `<ul>${kids(false)}</ul>`;
      case 'orderedList': {
        const order = Number(a.order);
        return `<ol${Number.isInteger(order) && order >= 0 && order !== 1 ? ` start="${order}"` : ''}>${kids(false)}</ol>`;
      }
      case 'listItem':
        return `<li>${kids(false)}</li>`;
      case 'blockquote':
        return `<blockquote>${kids(false)}</blockquote>`;
      case 'rule':
        return '<hr>';
      case 'codeBlock':
        return `<pre class="wb-code"${a.language ? ` data-language="${esc(s(a.language))}"` : ''}><code>${esc((Array.isArray(n.content) ? n.content : []).map((t) => s(t?.text)).join(''))}</code></pre>`;
      case 'panel': {
        const type = PANEL_TYPES.has(s(a.panelType)) ? s(a.panelType) : 'info';
        return `<div class="wb-panel" data-panel-type="${type}">${kids(false)}</div>`;
      }
      case 'expand':
      case 'nestedExpand':
        return `<details class="wb-expand"><summary>${esc(s(a.title) || 'Click here to expand...')}</summary>${kids(false)}</details>`;
      case 'table':
        return `<table class="wb-table"><tbody>${kids(false)}</tbody></table>`;
      case 'tableRow':
        return `<tr>${kids(false)}</tr>`;
      case 'tableHeader':
      case 'tableCell': {
        const tag = n.type === 'tableHeader' ? 'th' : 'td';
        const span = (k: string) => (Number.isInteger(Number(a[k])) && Number(a[k]) > 1 && Number(a[k]) < 1000 ? ` ${k}="${Number(a[k])}"` : '');
        return `<${tag}${span('colspan')}${span('rowspan')}>${kids(false)}</${tag}>`;
      }
      case 'taskList':
        return `<ul class="wb-task-list">${kids(false)}</ul>`;
      case 'taskItem':
      case 'blockTaskItem': {
        const done = a.state === 'DONE';
        return `<li class="wb-task" data-state="${done ? 'DONE' : 'TODO'}"><span class="wb-task-box">${done ? '\u2611' : '\u2610'}</span> ${kids(true)}</li>`;
      }
      case 'decisionList':
        return `<ul class="wb-decision-list">${kids(false)}</ul>`;
      case 'decisionItem':
        return `<li class="wb-decision">${kids(true)}</li>`;
      case 'status':
        return statusHtml(s(a.text), s(a.color) || 'neutral');
      case 'mention': {
        const id = s(a.id);
        // Confluence shows a mention by its account id (the person's current name); the text is only a fallback.
        const label = this.ctx.userName?.(id) || s(a.text).replace(/^@/, '') || id;
        return `<span class="wb-mention" data-account-id="${esc(id)}">@${esc(label)}</span>`;
      }
      case 'emoji':
        return esc(s(a.text) || s(a.shortName));
      case 'date': {
        const t = Number(a.timestamp);
        const d = Number.isFinite(t) ? new Date(t) : undefined;
        return d && !Number.isNaN(d.getTime()) ? `<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 10)}</time>` : '';
      }
      case 'inlineCard':
      case 'blockCard':
      case 'embedCard': {
        const url = safeUrl(s(a.url));
        const link = url ? `<a href="${esc(url)}" rel="nofollow noopener noreferrer">${esc(url)}</a>` : '';
        return n.type === 'inlineCard' ? link : `<p class="wb-card">${link}</p>`;
      }
      case 'layoutSection':
        return `<div class="wb-layout-section">${kids(false)}</div>`;
      case 'layoutColumn':
        return `<div class="wb-layout-cell">${kids(false)}</div>`;
      case 'mediaSingle':
      case 'mediaGroup':
        return kids(inline);
      case 'media':
      case 'mediaInline':
        return `<span class="wb-image-placeholder">[${esc(s(a.type) || 'media')}: ${esc(s(a.alt) || s(a.id))}]</span>`;
      case 'placeholder':
        return '';
      case 'extension':
      case 'bodiedExtension':
      case 'inlineExtension': {
        const isInline = inline || n.type === 'inlineExtension';
        const body = n.type === 'bodiedExtension' ? this.nodes(n.content, false) : '';
        if (a.extensionType === FORGE_EXTENSION_TYPE) return forgeMacroHtml(a, isInline, body);
        const params = a.parameters && typeof a.parameters === 'object' ? (a.parameters as Record<string, unknown>) : {};
        const mp = params.macroParams && typeof params.macroParams === 'object' ? (params.macroParams as Record<string, unknown>) : {};
        const list: Array<[string, string]> = Object.entries(mp)
          .filter(([k]) => k !== '__bodyContent')
          .map(([k, v]) => [k, s(v && typeof v === 'object' ? (v as Record<string, unknown>).value : v)]);
        return macroBoxHtml(s(a.extensionKey), list, isInline, body ? `<div class="wb-macro-body">${body}</div>` : '');
      }
      default:
        return kids(inline);
    }
  }
}

export function renderAdfHtml(doc: unknown, ctx: RenderContext = {}): string {
  return new AdfRenderer(ctx).node(doc as AdfNode, false);
}
