/**
 * ADF (Atlassian Document Format) to safe HTML for the host pages: comments and descriptions as Jira
 * shows them. Only known nodes and marks become elements; every text and attribute is escaped, and a
 * link keeps its href only when it is http(s), mailto or a path on this site.
 */
import { esc } from './html';

export interface AdfNode {
  type?: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type?: string; attrs?: Record<string, unknown> }>;
  content?: AdfNode[];
}

/** Display names of the people a mention may name, by account id. */
export type MentionNames = (accountId: string) => string | undefined;

export function safeHref(href: unknown): string | undefined {
  if (typeof href !== 'string') return undefined;
  const h = href.trim();
  if (/^(https?:|mailto:)/i.test(h) || (h.startsWith('/') && !h.startsWith('//'))) return h;
  return undefined;
}

function textWithMarks(node: AdfNode): string {
  let html = esc(node.text ?? '');
  for (const mark of node.marks ?? []) {
    switch (mark.type) {
      case 'strong':
        html = `<strong>${html}</strong>`;
        break;
      case 'em':
        html = `<em>${html}</em>`;
        break;
      case 'code':
        html = `<code>${html}</code>`;
        break;
      case 'strike':
        html = `<s>${html}</s>`;
        break;
      case 'underline':
        html = `<u>${html}</u>`;
        break;
      case 'link': {
        const href = safeHref(mark.attrs?.href);
        if (href) html = `<a href="${esc(href)}" rel="noreferrer noopener">${html}</a>`;
        break;
      }
    }
  }
  return html;
}

export function adfToSafeHtml(doc: unknown, names: MentionNames = () => undefined): string {
  const render = (node: AdfNode): string => {
    const inner = () => (node.content ?? []).map(render).join('');
    switch (node.type) {
      case 'doc':
        return inner();
      case 'text':
        return textWithMarks(node);
      case 'paragraph':
        return `<p>${inner()}</p>`;
      case 'hardBreak':
        return '<br>';
      case 'heading': {
        // Comment headings sit below the page's own h1-h3.
        const level = Math.min(6, Math.max(4, Number(node.attrs?.level ?? 4) + 3));
        return `<h${level}>${inner()}</h${level}>`;
      }
      case 'bulletList':
        return `<ul>${inner()}</ul>`;
      case 'orderedList':
        return `<ol>${inner()}</ol>`;
      case 'listItem':
        return `<li>${inner()}</li>`;
      case 'blockquote':
        return `<blockquote>${inner()}</blockquote>`;
      case 'codeBlock':
        return `<pre><code>${inner()}</code></pre>`;
      case 'rule':
        return '<hr>';
      case 'mention': {
        const id = String(node.attrs?.id ?? '');
        const name = names(id) ?? String(node.attrs?.text ?? '').replace(/^@/, '');
        return `<span class="mention" data-account-id="${esc(id)}">@${esc(name || id)}</span>`;
      }
      case 'emoji':
        return esc(node.attrs?.text ?? node.attrs?.shortName ?? '');
      case 'inlineCard':
      case 'blockCard': {
        const href = safeHref(node.attrs?.url);
        return href ? `<a href="${esc(href)}" rel="noreferrer noopener">${esc(href)}</a>` : '';
      }
      case 'status':
        return `<span class="lozenge">${esc(node.attrs?.text ?? '')}</span>`;
      case 'panel':
        return `<div class="adf-panel">${inner()}</div>`;
      default:
        // Unknown nodes (tables, media, extensions): their text survives, their markup does not.
        return inner();
    }
  };
  if (!doc || typeof doc !== 'object') return '';
  return render(doc as AdfNode);
}
