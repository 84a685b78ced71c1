/** Server-rendered host pages: a JSM-like incident list and issue view, a Confluence-like page view. */
import { USERS, type WorkbenchUser } from '../products/users';

export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface Chrome {
  user: WorkbenchUser;
  colorMode: 'light' | 'dark';
}

const STYLE = `
body{margin:0;font:14px/20px -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:var(--ds-text,#172b4d);background:var(--ds-surface,#fff)}
a{color:var(--ds-link,#0c66e4)}
.top{display:flex;gap:16px;align-items:center;padding:8px 16px;border-bottom:1px solid var(--ds-border,#091e4224);background:var(--ds-surface-sunken,#f7f8f9)}
.top .brand{font-weight:700}.top nav{display:flex;gap:12px;flex:1}.top select,.top button{font:inherit}
main{padding:16px 24px;max-width:1200px}
.grid{display:grid;grid-template-columns:minmax(0,1fr) 420px;gap:24px}
table.list{border-collapse:collapse;width:100%}table.list td,table.list th{text-align:left;padding:6px 8px;border-bottom:1px solid var(--ds-border,#091e4224)}
.card{border:1px solid var(--ds-border,#091e4224);border-radius:8px;padding:12px;margin-bottom:16px}
.card h3{margin:0 0 8px;font-size:14px}
iframe.forge{width:100%;border:0;height:120px;display:block}
label{display:block;margin:8px 0 2px;font-weight:600;font-size:12px}
input[type=text],select{width:100%;box-sizing:border-box;padding:6px;font:inherit}
.field{display:grid;grid-template-columns:160px 1fr;gap:4px;padding:4px 0}.field dt{color:var(--ds-text-subtlest,#626f86)}.field dd{margin:0}
.muted{color:var(--ds-text-subtlest,#626f86)}
.page-body{max-width:860px}.page-body table{border-collapse:collapse}.page-body td,.page-body th{border:1px solid var(--ds-border,#091e4224);padding:4px 8px}
`;

export function layout(chrome: Chrome, title: string, body: string): string {
  const users = USERS.map((u) => `<option value="${esc(u.accountId)}"${u.accountId === chrome.user.accountId ? ' selected' : ''}>${esc(u.displayName)}</option>`).join('');
  const next = chrome.colorMode === 'dark' ? 'light' : 'dark';
  return `<!doctype html><html lang="en" data-color-mode="${chrome.colorMode}" data-theme="light:light dark:dark spacing:spacing typography:typography"><head><meta charset="utf-8"><title>${esc(title)} · Workbench</title>
<link rel="stylesheet" href="/__forge/theme.css"><style>${STYLE}</style></head><body>
<header class="top"><span class="brand">Service Continuity workbench</span><nav>
<a href="/jira/servicedesk/projects/OPS/queues">Incidents</a><a href="/wiki/spaces/CONT">Confluence</a><a href="/__workbench">Controls</a></nav>
<label class="muted" for="wb-user" style="margin:0">Signed in as</label><select id="wb-user" style="width:auto">${users}</select>
<button id="wb-theme" type="button" data-next="${next}">${next === 'dark' ? 'Dark' : 'Light'} theme</button></header>
<main>${body}</main><script src="/__workbench/host.js"></script></body></html>`;
}

export interface IssueRow {
  key: string;
  summary: string;
  priority: string;
  status: string;
  created: string;
  services: string;
}

export function incidentList(chrome: Chrome, project: string, issues: IssueRow[], form: { priorities: Array<{ id: string; name: string }>; requestTypes: Array<{ id: string; name: string }>; services: Array<{ id: string; name: string }>; affectedField: string; requestTypeField: string; majorField: string; majorValue?: string }): string {
  const rows = issues
    .map((i) => `<tr data-key="${esc(i.key)}"><td><a href="/browse/${esc(i.key)}">${esc(i.key)}</a></td><td>${esc(i.summary)}</td><td>${esc(i.priority)}</td><td>${esc(i.services)}</td><td>${esc(i.status)}</td><td>${esc(i.created)}</td></tr>`)
    .join('');
  const priorities = form.priorities.map((p) => `<option value="${esc(p.id)}">${esc(p.name)}</option>`).join('');
  // JSM incidents usually come in as "Report a system problem"; it is the form's default.
  const requestTypes = form.requestTypes.map((t) => `<option value="${esc(t.id)}"${t.name === 'Report a system problem' ? ' selected' : ''}>${esc(t.name)}</option>`).join('');
  const services = form.services.map((s) => `<label style="font-weight:400"><input type="checkbox" name="services" value="${esc(s.id)}"> ${esc(s.name)}</label>`).join('');
  return layout(
    chrome,
    `${project} incidents`,
    `<h1>${esc(project)} · Incidents</h1><div class="grid"><div><table class="list" id="incidents"><thead><tr><th>Key</th><th>Summary</th><th>Priority</th><th>Affected services</th><th>Status</th><th>Created</th></tr></thead><tbody>${rows || '<tr><td colspan="6" class="muted">No incidents yet.</td></tr>'}</tbody></table></div>
<form class="card" id="create-incident" data-project="${esc(project)}" data-user="${esc(chrome.user.emailAddress)}" data-affected-field="${esc(form.affectedField)}" data-request-type-field="${esc(form.requestTypeField)}" data-major-field="${esc(form.majorField)}" data-major-value="${esc(form.majorValue ?? '')}">
<h3>Raise an incident</h3><label for="summary">Summary</label><input type="text" id="summary" name="summary" required>
<label for="priority">Priority</label><select id="priority" name="priority">${priorities}</select>
<label for="request-type">Request type</label><select id="request-type" name="requestType"><option value="">None</option>${requestTypes}</select>
<label>Affected services</label>${services}
<label style="font-weight:400"><input type="checkbox" name="major" value="1"> Major incident</label>
<p><button type="submit" id="create-submit">Create</button> <span id="create-status" class="muted" role="status"></span></p></form></div>`,
  );
}

export interface PanelFrame {
  title: string;
  src: string;
  token: string;
  moduleKey: string;
}

export function frame(f: PanelFrame): string {
  return `<section class="card" data-module="${esc(f.moduleKey)}"><h3>${esc(f.title)}</h3><iframe class="forge" title="${esc(f.title)}" data-frame="${esc(f.token)}" src="${esc(f.src)}"></iframe></section>`;
}

export function issueView(chrome: Chrome, issue: { key: string; summary: string; fields: Array<[string, string]> }, panels: PanelFrame[]): string {
  const fields = issue.fields.map(([k, v]) => `<div class="field"><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('');
  return layout(
    chrome,
    `${issue.key} ${issue.summary}`,
    `<p class="muted"><a href="/jira/servicedesk/projects/OPS/queues">Incidents</a> / ${esc(issue.key)}</p><h1 id="issue-summary">${esc(issue.summary)}</h1>
<div class="grid"><div><dl class="card">${fields}</dl></div><aside>${panels.map(frame).join('') || '<p class="muted">No app panels.</p>'}</aside></div>`,
  );
}

export function pageView(chrome: Chrome, page: { title: string; version: number; html: string }, spaceKey: string): string {
  return layout(chrome, page.title, `<p class="muted"><a href="/wiki/spaces/${esc(spaceKey)}">${esc(spaceKey)}</a> · version ${page.version}</p><h1>${esc(page.title)}</h1><article class="page-body">${page.html}</article>`);
}

export function spaceView(chrome: Chrome, spaceKey: string, pages: Array<{ id: string; title: string; url: string }>): string {
  return layout(chrome, spaceKey, `<h1>Space ${esc(spaceKey)}</h1><ul>${pages.map((p) => `<li><a href="${esc(p.url)}">${esc(p.title)}</a></li>`).join('')}</ul>`);
}

export function appPage(chrome: Chrome, title: string, f: PanelFrame): string {
  return layout(chrome, title, `<h1>${esc(title)}</h1>${frame(f)}`);
}

export function controlsPage(chrome: Chrome, state: unknown, logs: Array<{ at: string; level: string; functionKey?: string; message: string }>): string {
  const lines = logs.slice(-200).reverse().map((l) => `<tr><td>${esc(l.at)}</td><td>${esc(l.level)}</td><td>${esc(l.functionKey ?? '')}</td><td><pre style="margin:0;white-space:pre-wrap">${esc(l.message)}</pre></td></tr>`).join('');
  return layout(
    chrome,
    'Controls',
    `<h1>Workbench controls</h1><p>Set these from tests or the command line too: <code>npm run workbench -- help</code>.</p>
<pre class="card" id="wb-state">${esc(JSON.stringify(state, null, 2))}</pre><h2>Function log</h2><table class="list"><tbody>${lines || '<tr><td class="muted">Nothing logged yet.</td></tr>'}</tbody></table>`,
  );
}
