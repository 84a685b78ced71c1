/**
 * The Confluence page view with the app's modules where Confluence puts them: byline items under the
 * title (the title from the module's dynamic properties; a click opens its frame in a popup), the
 * page's ••• menu with the content actions (each opens its frame in a dialog), macros in the body
 * where the page's ADF has them, footer comments under the page, and the editor's macro browser
 * reduced to one button per app macro ("Insert").
 */
import { esc } from './html';
import { frameElement, layout, type Chrome, type PanelFrame } from './pages';

export interface BylineItem extends PanelFrame {
  heading: string;
  tooltip?: string;
}

export interface PageComment {
  id: string;
  author: string;
  created: string;
  html: string;
}

export interface ConfluencePageView {
  id: string;
  title: string;
  version: number;
  spaceKey: string;
  /** The body's HTML, app macros already replaced by their frames. */
  bodyHtml: string;
  bylines: BylineItem[];
  actions: PanelFrame[];
  /** App macros a person can insert (module key and title). */
  macros: Array<{ moduleKey: string; title: string }>;
  comments: PageComment[];
  /** Set when the app is not connected to Confluence: its modules are not on the page. */
  appMissing?: boolean;
}

export function confluencePageView(chrome: Chrome, page: ConfluencePageView): string {
  const bylines = page.bylines
    .map(
      (b) =>
        `<span class="byline-item" data-byline="${esc(b.moduleKey)}"><button type="button" class="button subtle byline-toggle" aria-expanded="false" aria-controls="byline-${esc(b.moduleKey)}" title="${esc(b.tooltip ?? '')}">${b.icon ? `<img src="${esc(b.icon)}" alt="" width="16" height="16"> ` : ''}<span class="byline-title">${esc(b.heading)}</span></button>` +
        `<div class="byline-popup card" id="byline-${esc(b.moduleKey)}" role="dialog" aria-label="${esc(b.title)}" hidden>${frameElement(b, false)}</div></span>`,
    )
    .join('');
  const menu = page.actions.length
    ? `<div class="page-menu"><button type="button" class="icon-button" id="page-menu-button" aria-haspopup="menu" aria-expanded="false" aria-controls="page-menu" aria-label="More actions">•••</button>` +
      `<ul class="card menu" id="page-menu" role="menu" hidden>${page.actions.map((a) => `<li role="none"><button type="button" role="menuitem" class="button subtle" data-content-action="${esc(a.moduleKey)}">${esc(a.title)}</button></li>`).join('')}</ul>` +
      page.actions.map((a) => `<dialog class="card action-dialog" data-action-dialog="${esc(a.moduleKey)}" aria-label="${esc(a.title)}"><h2 class="card-title">${esc(a.title)}</h2>${frameElement(a, false)}<p><button type="button" class="button" data-close-dialog>Close</button></p></dialog>`).join('') +
      `</div>`
    : '';
  const insert = page.macros.length
    ? `<p class="page-tools">${page.macros.map((m) => `<button type="button" class="button" data-insert-macro="${esc(m.moduleKey)}" data-page="${esc(page.id)}">Insert “${esc(m.title)}”</button>`).join(' ')} <span id="insert-status" class="muted" role="status"></span></p>`
    : '';
  const comments = page.comments.length
    ? `<section aria-labelledby="comments-heading" class="page-comments"><h2 id="comments-heading">Comments</h2><ol>${page.comments
        .map((c) => `<li class="comment" data-comment="${esc(c.id)}"><div class="comment-meta"><span class="author">${esc(c.author)}</span><time>${esc(c.created.slice(0, 16).replace('T', ' '))}</time></div><div class="comment-body">${c.html}</div></li>`)
        .join('')}</ol></section>`
    : '';
  const missing = page.appMissing ? '<p class="muted" id="app-missing">The Service Continuity app is not connected to Confluence on this site.</p>' : '';
  return layout(
    chrome,
    page.title,
    `<nav aria-label="Breadcrumbs" class="muted"><a href="/wiki/spaces/${esc(page.spaceKey)}">${esc(page.spaceKey)}</a> · version <span id="page-version">${esc(page.version)}</span></nav>` +
      `<div class="page-header"><h1 id="page-title">${esc(page.title)}</h1>${menu}</div>` +
      `<div class="byline muted">${bylines}</div>${missing}${insert}` +
      `<article class="page-body">${page.bodyHtml}</article>${comments}`,
  );
}
