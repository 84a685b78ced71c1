/**
 * Server-rendered host pages: the page chrome, a JSM-like incident list, Confluence-like space and page
 * views, and the frames of app pages. The issue view and the controls page have their own modules.
 */
import { USERS, type WorkbenchUser } from '../products/users';
import { esc } from './html';
import { STYLE } from './style';

export { esc };

export interface NavPage {
  key: string;
  title: string;
}

export interface Chrome {
  user: WorkbenchUser;
  colorMode: 'light' | 'dark';
  /** The app's `jira:globalPage` modules, each a header link. */
  globalPages?: NavPage[];
  /** The app's `jira:adminPage` modules: an "Apps" link leads to them. */
  adminPages?: NavPage[];
}

export function layout(chrome: Chrome, title: string, body: string): string {
  const users = USERS.map((u) => `<option value="${esc(u.accountId)}"${u.accountId === chrome.user.accountId ? ' selected' : ''}>${esc(u.displayName)}</option>`).join('');
  const next = chrome.colorMode === 'dark' ? 'light' : 'dark';
  const links: Array<[string, string]> = [
    ['/jira/servicedesk/projects/OPS/queues', 'Incidents'],
    ['/wiki/spaces/CONT', 'Confluence'],
    ...(chrome.globalPages ?? []).map((p): [string, string] => [`/jira/apps/${p.key}`, p.title]),
    ...((chrome.adminPages ?? []).length ? [['/jira/settings/apps', 'Apps'] as [string, string]] : []),
    ['/__workbench', 'Controls'],
  ];
  const nav = links.map(([href, text]) => `<a href="${esc(href)}">${esc(text)}</a>`).join('');
  return `<!doctype html><html lang="en" data-color-mode="${chrome.colorMode}" data-theme="light:light dark:dark spacing:spacing typography:typography"><head><meta charset="utf-8"><title>${esc(title)} · Workbench</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/__forge/theme.css"><style>${STYLE}</style></head><body>
<header class="top"><a class="brand" href="/">Service Continuity workbench</a><nav aria-label="Workbench">${nav}</nav>
<label class="muted inline" for="wb-user">Signed in as</label><select id="wb-user" class="inline">${users}</select>
<button id="wb-theme" class="button" type="button" data-next="${next}">${next === 'dark' ? 'Dark' : 'Light'} theme</button></header>
<main id="main">${body}</main><script src="/__workbench/host.js"></script></body></html>`;
}

export interface IssueRow {
  key: string;
  summary: string;
  priority: string;
  status: string;
  created: string;
  services: string;
  /** The app's continuity state, read from its issue property; '—' when the issue has none. */
  continuity: string;
  /** When the next RTO runs out, from the same property; '—' when none. */
  rtoDue: string;
  rtoOverdue?: boolean;
}

export interface CreateForm {
  priorities: Array<{ id: string; name: string }>;
  requestTypes: Array<{ id: string; name: string }>;
  services: Array<{ id: string; name: string }>;
  affectedField: string;
  requestTypeField: string;
  majorField: string;
  majorValue?: string;
}

export function incidentList(chrome: Chrome, project: string, issues: IssueRow[], form: CreateForm): string {
  const rows = issues
    .map(
      (i) =>
        `<tr data-key="${esc(i.key)}"><td><a href="/browse/${esc(i.key)}">${esc(i.key)}</a></td><td>${esc(i.summary)}</td><td>${esc(i.priority)}</td><td>${esc(i.services)}</td><td>${esc(i.status)}</td>` +
        `<td data-col="continuity">${esc(i.continuity)}</td><td data-col="rto-due"${i.rtoOverdue ? ' class="overdue"' : ''}>${esc(i.rtoDue)}${i.rtoOverdue ? ' <span class="lozenge lozenge-removed">overdue</span>' : ''}</td><td>${esc(i.created)}</td></tr>`,
    )
    .join('');
  const priorities = form.priorities.map((p) => `<option value="${esc(p.id)}">${esc(p.name)}</option>`).join('');
  // JSM incidents usually come in as "Report a system problem"; it is the form's default.
  const requestTypes = form.requestTypes.map((t) => `<option value="${esc(t.id)}"${t.name === 'Report a system problem' ? ' selected' : ''}>${esc(t.name)}</option>`).join('');
  const services = form.services.map((s) => `<label class="check"><input type="checkbox" name="services" value="${esc(s.id)}"> ${esc(s.name)}</label>`).join('');
  return layout(
    chrome,
    `${project} incidents`,
    `<h1>${esc(project)} · Incidents</h1><div class="grid"><div class="scroll-x"><table class="list" id="incidents"><caption class="visually-hidden">Incidents in ${esc(project)}</caption>
<thead><tr><th scope="col">Key</th><th scope="col">Summary</th><th scope="col">Priority</th><th scope="col">Affected services</th><th scope="col">Status</th><th scope="col">Continuity</th><th scope="col">RTO due</th><th scope="col">Created</th></tr></thead>
<tbody>${rows || '<tr><td colspan="8" class="muted">No incidents yet.</td></tr>'}</tbody></table></div>
<form class="card" id="create-incident" aria-labelledby="create-heading" data-project="${esc(project)}" data-user="${esc(chrome.user.emailAddress)}" data-affected-field="${esc(form.affectedField)}" data-request-type-field="${esc(form.requestTypeField)}" data-major-field="${esc(form.majorField)}" data-major-value="${esc(form.majorValue ?? '')}">
<h2 id="create-heading">Raise an incident</h2><label for="summary">Summary</label><input type="text" id="summary" name="summary" required>
<label for="priority">Priority</label><select id="priority" name="priority">${priorities}</select>
<label for="request-type">Request type</label><select id="request-type" name="requestType"><option value="">None</option>${requestTypes}</select>
<fieldset id="affected-services"><legend>Affected services</legend>${services || '<p class="muted">No services in JSM yet.</p>'}</fieldset>
<fieldset id="major-incident"><legend>Major incident</legend><label class="check"><input type="checkbox" id="major" name="major" value="1" aria-describedby="major-hint"> Major incident</label>
<p class="hint" id="major-hint">Flags the incident as major in JSM, whatever its priority.</p></fieldset>
<p><button type="submit" class="button primary" id="create-submit">Create</button> <span id="create-status" class="muted" role="status"></span></p></form></div>`,
  );
}

export interface PanelFrame {
  title: string;
  src: string;
  token: string;
  moduleKey: string;
  /** The module's icon, as a URL the browser can load. */
  icon?: string;
}

export function frameElement(f: PanelFrame, load = true): string {
  return `<iframe class="forge" title="${esc(f.title)}" data-frame="${esc(f.token)}" ${load ? 'src' : 'data-src'}="${esc(f.src)}"></iframe>`;
}

export function pageView(chrome: Chrome, page: { title: string; version: number; html: string }, spaceKey: string): string {
  return layout(chrome, page.title, `<nav aria-label="Breadcrumbs" class="muted"><a href="/wiki/spaces/${esc(spaceKey)}">${esc(spaceKey)}</a> · version ${esc(page.version)}</nav><h1 id="page-title">${esc(page.title)}</h1><article class="page-body">${page.html}</article>`);
}

export function spaceView(chrome: Chrome, spaceKey: string, pages: Array<{ id: string; title: string; url: string }>): string {
  const list = pages.map((p) => `<li><a href="${esc(p.url)}">${esc(p.title)}</a></li>`).join('');
  return layout(chrome, spaceKey, `<h1>Space ${esc(spaceKey)}</h1>${list ? `<ul>${list}</ul>` : '<p class="muted">No pages in this space yet.</p>'}`);
}

/** A global or admin page: Jira shows the module's title once, as the page heading, above the app's frame. */
export function appPage(chrome: Chrome, title: string, f: PanelFrame): string {
  return layout(chrome, title, `<h1>${esc(title)}</h1><section class="card" data-module="${esc(f.moduleKey)}">${frameElement(f)}</section>`);
}

/** Jira's "Apps" settings area: the app's admin pages. */
export function appsIndex(chrome: Chrome, pages: NavPage[]): string {
  const list = pages.map((p) => `<li><a href="/jira/settings/apps/${esc(p.key)}">${esc(p.title)}</a></li>`).join('');
  return layout(chrome, 'Apps', `<h1>Apps</h1>${list ? `<ul>${list}</ul>` : '<p class="muted">This app declares no admin pages.</p>'}`);
}
