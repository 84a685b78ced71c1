/**
 * The issue view, laid out as Jira's: summary, the quick-add bar, description, the app's issue panels
 * (only once someone added them with the quick-add button), then Activity in the main column; the
 * fields and the app's issue contexts (collapsible, remembered per person) in the right column.
 */
import { esc } from './html';
import { frameElement, layout, type Chrome, type PanelFrame } from './pages';

/** What a `jira:issueContext` shows beside its title: the manifest's `status` (or its dynamic properties'). */
export interface ContextStatus {
  type: 'badge' | 'lozenge' | 'icon';
  value: { label: string; url?: string; type?: string };
}

export interface IssuePanelFrame extends PanelFrame {
  /** Someone added the panel to this issue with the quick-add button. */
  added: boolean;
}

export interface IssueContextFrame extends PanelFrame {
  expanded: boolean;
  /** The header's title: the module's, or its dynamic properties' (the frame keeps the module's title). */
  heading?: string;
  /** The text beside the title (the manifest's `label`). */
  label?: string;
  status?: ContextStatus;
}

export interface ActivityComment {
  id: string;
  author: string;
  created: string;
  internal: boolean;
  html: string;
}

export interface IssuePage {
  key: string;
  summary: string;
  fields: Array<[string, string]>;
  descriptionHtml: string;
  project: string;
  comments: ActivityComment[];
  /** Why Activity could not be loaded, if it could not. */
  activityError?: string;
}

const LOZENGE_TYPES = new Set(['default', 'inprogress', 'moved', 'new', 'removed', 'success']);

export function statusHtml(status: ContextStatus | undefined): string {
  if (!status?.value?.label) return '';
  const label = esc(status.value.label);
  if (status.type === 'badge') return `<span class="badge" data-status="badge">${label}</span>`;
  if (status.type === 'icon' && status.value.url && /^(https?:|\/)/.test(status.value.url)) {
    return `<img class="status-icon" data-status="icon" src="${esc(status.value.url)}" alt="${label}" width="16" height="16">`;
  }
  const kind = LOZENGE_TYPES.has(String(status.value.type)) ? String(status.value.type) : 'default';
  return `<span class="lozenge lozenge-${esc(kind)}" data-status="lozenge">${label}</span>`;
}

const GENERIC_ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="4" y="4" width="16" height="16" rx="3" fill="#626f86"/></svg>')}`;

function quickAddButton(p: IssuePanelFrame): string {
  return `<button type="button" class="icon-button" data-add-panel="${esc(p.moduleKey)}" aria-pressed="${p.added}" aria-controls="panel-${esc(p.moduleKey)}" aria-label="Add ${esc(p.title)}" title="${esc(p.title)}"><img src="${esc(p.icon ?? GENERIC_ICON)}" alt=""></button>`;
}

function issuePanel(p: IssuePanelFrame): string {
  const id = `panel-${p.moduleKey}`;
  return `<section class="issue-panel" id="${esc(id)}" data-module="${esc(p.moduleKey)}" aria-labelledby="${esc(id)}-title"${p.added ? '' : ' hidden'}>
<div class="issue-panel-header"><h2 id="${esc(id)}-title">${esc(p.title)}</h2><button type="button" class="button subtle" data-remove-panel="${esc(p.moduleKey)}" aria-label="Remove ${esc(p.title)}">Remove</button></div>${frameElement(p, p.added)}</section>`;
}

function issueContext(c: IssueContextFrame): string {
  const id = `context-${c.moduleKey}`;
  return `<section class="issue-context" data-module="${esc(c.moduleKey)}"><h3><button type="button" class="context-toggle" id="${esc(id)}-toggle" data-context="${esc(c.moduleKey)}" aria-expanded="${c.expanded}" aria-controls="${esc(id)}-body">
<span class="chevron" aria-hidden="true">›</span><span class="context-title">${esc(c.heading ?? c.title)}</span>${c.label && c.label !== (c.heading ?? c.title) ? `<span class="context-label muted">${esc(c.label)}</span>` : ''}${statusHtml(c.status)}</button></h3>
<div class="context-body" id="${esc(id)}-body" role="region" aria-labelledby="${esc(id)}-toggle"${c.expanded ? '' : ' hidden'}>${frameElement(c, c.expanded)}</div></section>`;
}

function activity(page: IssuePage): string {
  const items = page.comments
    .map(
      (c) => `<li class="comment" data-comment="${esc(c.id)}"><div class="comment-meta"><span class="author">${esc(c.author)}</span><time datetime="${esc(c.created)}">${esc(c.created.slice(0, 16).replace('T', ' '))}</time>
<span class="lozenge ${c.internal ? 'lozenge-moved' : 'lozenge-success'}" data-visibility="${c.internal ? 'internal' : 'public'}">${c.internal ? 'Internal' : 'Public'}</span></div><div class="comment-body">${c.html}</div></li>`,
    )
    .join('');
  const body = page.activityError ? `<p class="muted" role="alert">${esc(page.activityError)}</p>` : items ? `<ol aria-label="Comments">${items}</ol>` : '<p class="muted">No comments yet.</p>';
  return `<section class="activity" id="activity" aria-labelledby="activity-heading"><h2 id="activity-heading">Activity</h2>${body}</section>`;
}

export function issueView(chrome: Chrome, page: IssuePage, panels: IssuePanelFrame[], contexts: IssueContextFrame[]): string {
  const fields = page.fields.map(([k, v]) => `<div class="field"><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('');
  const quickAdd = panels.length ? `<div class="quick-add" role="group" aria-label="Add apps to this issue">${panels.map(quickAddButton).join('')}</div>` : '';
  return layout(
    chrome,
    `${page.key} ${page.summary}`,
    `<nav aria-label="Breadcrumbs" class="muted"><a href="/jira/servicedesk/projects/${esc(page.project)}/queues">Incidents</a> / ${esc(page.key)}</nav><div class="issue-layout" data-issue-key="${esc(page.key)}">
<div class="issue-main"><h1 id="issue-summary">${esc(page.summary)}</h1>${quickAdd}
<section aria-labelledby="description-heading"><h2 id="description-heading">Description</h2>${page.descriptionHtml || '<p class="muted">No description.</p>'}</section>
<div id="issue-panels">${panels.map(issuePanel).join('')}</div>${activity(page)}</div>
<aside class="issue-side" aria-label="Issue details"><section class="card" aria-labelledby="details-heading"><h2 id="details-heading" class="card-title">Details</h2><dl>${fields}</dl></section>
<div id="issue-contexts">${contexts.map(issueContext).join('')}</div></aside></div>`,
  );
}
