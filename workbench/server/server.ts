/**
 * The workbench's HTTP server: local Jira and Confluence on their REST paths, the Custom UI bridge and
 * resources, host pages, and the control API that tests and the command line use.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Workbench } from '../workbench';
import { DEFAULT_USER, findUser, USERS, type WorkbenchUser } from '../products/users';
import { handleProductHttp, parseJson, readBody } from './product-http';
import { FrameRegistry, handleBridgeCall } from './bridge';
import { appPage, controlsPage, incidentList, issueView, pageView, spaceView, type Chrome, type PanelFrame } from '../host/pages';
import { controlApi } from './control-api';
import { themeCss } from './theme';
import type { ProductRequest } from '../products/types';
import { MAJOR_INCIDENT_VALUE } from '../products/jira/seed';

const HOST_ASSETS = path.join(__dirname, '..', '..', 'workbench', 'host');
const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json' };

function cookies(req: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=').map(decodeURIComponent)).filter((p) => p.length === 2)) as Record<string, string>;
}

function chromeFor(req: http.IncomingMessage): Chrome {
  const c = cookies(req);
  const user = (c.wb_user && findUser(c.wb_user)) || DEFAULT_USER;
  return { user: USERS.includes(user) ? user : DEFAULT_USER, colorMode: c.wb_theme === 'dark' ? 'dark' : 'light' };
}

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/html; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra }).end(body);
}

function asUser(user: WorkbenchUser, method: string, p: string, body?: unknown): ProductRequest {
  const url = new URL(p, 'http://workbench.local');
  return { method, path: url.pathname, query: url.searchParams, headers: {}, body, principal: { kind: 'user', accountId: user.accountId } };
}

export function createServer(wb: Workbench): http.Server {
  const frames = new FrameRegistry();

  const panelFrames = (chrome: Chrome, moduleType: string, extension: Record<string, unknown>): PanelFrame[] =>
    wb.manifest.uiModules
      .filter((m) => m.type === moduleType)
      .map((m) => {
        const token = frames.create({ moduleKey: m.key, moduleType, resourceKey: m.resource, accountId: chrome.user.accountId, extension: { type: moduleType, ...extension }, colorMode: chrome.colorMode });
        return { title: m.title ?? m.key, moduleKey: m.key, token, src: `/__forge/resource/${m.resource}/index.html?frame=${token}` };
      });

  const routes: Array<[RegExp, (req: http.IncomingMessage, res: http.ServerResponse, m: RegExpMatchArray) => Promise<void>]> = [
    [/^\/$/, async (_req, res) => send(res, 302, '', 'text/plain', { location: '/jira/servicedesk/projects/OPS/queues' })],
    [
      /^\/jira\/servicedesk\/projects\/([A-Z][A-Z0-9]*)\/queues$/,
      async (req, res, m) => {
        const chrome = chromeFor(req);
        const search = await wb.jira.handle(asUser(chrome.user, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(`project = ${m[1]} ORDER BY created DESC`)}&fields=summary,priority,status,created,${wb.jira.fieldIds().affectedServices}&maxResults=100`));
        const issues = ((search.body as { issues?: Array<{ key: string; fields: Record<string, any> }> }).issues ?? []).map((i) => ({
          key: i.key,
          summary: i.fields.summary,
          priority: i.fields.priority?.name ?? '',
          status: i.fields.status?.name ?? '',
          created: String(i.fields.created ?? '').slice(0, 16).replace('T', ' '),
          services: serviceNames(wb, i.fields[wb.jira.fieldIds().affectedServices]),
        }));
        const priorities = ((await wb.jira.handle(asUser(chrome.user, 'GET', '/rest/api/3/priority'))).body as Array<{ id: string; name: string }>) ?? [];
        const requestTypes = ((await wb.jira.handle(asUser(chrome.user, 'GET', '/rest/servicedeskapi/requesttype'))).body as { values?: Array<{ id: string; name: string }> })?.values ?? [];
        const ids = wb.jira.fieldIds();
        send(res, 200, incidentList(chrome, m[1], issues, { priorities, requestTypes, services: wb.jira.services(), affectedField: ids.affectedServices, requestTypeField: ids.requestType, majorField: ids.majorIncident, majorValue: JSON.stringify(MAJOR_INCIDENT_VALUE) }));
      },
    ],
    [
      /^\/browse\/([A-Z][A-Z0-9]*-\d+)$/,
      async (req, res, m) => {
        const chrome = chromeFor(req);
        const got = await wb.jira.handle(asUser(chrome.user, 'GET', `/rest/api/3/issue/${m[1]}`));
        if (got.status !== 200) return send(res, got.status, `<p>Issue ${m[1]} not found.</p>`);
        const issue = got.body as { id: string; key: string; fields: Record<string, any> };
        const ids = wb.jira.fieldIds();
        const f = issue.fields;
        const fields: Array<[string, string]> = [
          ['Type', f.issuetype?.name],
          ['Priority', f.priority?.name],
          ['Status', f.status?.name],
          ['Affected services', serviceNames(wb, f[ids.affectedServices]) || 'None'],
          ['Major incident', f[ids.majorIncident] ? 'Yes' : 'No'],
          ['Request type', f[ids.requestType]?.requestType?.name ?? 'None'],
          ['Reporter', f.reporter?.displayName],
          ['Created', f.created],
        ];
        const panels = panelFrames(chrome, 'jira:issuePanel', { issue: { id: issue.id, key: issue.key, type: f.issuetype?.name, typeId: f.issuetype?.id }, project: { id: f.project?.id, key: f.project?.key, type: f.project?.projectTypeKey } });
        send(res, 200, issueView(chrome, { key: issue.key, summary: f.summary, fields }, panels));
      },
    ],
    [
      /^\/wiki\/spaces\/([A-Za-z0-9]+)\/pages\/(\d+)(?:\/.*)?$/,
      async (req, res, m) => {
        const page = wb.confluence.page(m[2]);
        if (!page) return send(res, 404, `<p>Page ${m[2]} not found.</p>`);
        send(res, 200, pageView(chromeFor(req), { title: page.title, version: page.version, html: wb.confluence.renderPageHtml(m[2]) }, m[1]));
      },
    ],
    [
      /^\/wiki\/spaces\/([A-Za-z0-9]+)\/?$/,
      async (req, res, m) => {
        const chrome = chromeFor(req);
        const spaces = (await wb.confluence.handle(asUser(chrome.user, 'GET', `/wiki/api/v2/spaces?keys=${m[1]}`))).body as { results: Array<{ id: string }> };
        const spaceId = spaces.results?.[0]?.id;
        const list = spaceId ? ((await wb.confluence.handle(asUser(chrome.user, 'GET', `/wiki/api/v2/spaces/${spaceId}/pages?limit=250`))).body as { results: Array<{ id: string; title: string; _links?: { webui?: string } }> }) : { results: [] };
        send(res, 200, spaceView(chrome, m[1], list.results.map((p) => ({ id: p.id, title: p.title, url: `/wiki${p._links?.webui ?? `/spaces/${m[1]}/pages/${p.id}`}` }))));
      },
    ],
    [
      /^\/jira\/(apps|settings\/apps)\/([a-z0-9-]+)$/,
      async (req, res, m) => {
        const chrome = chromeFor(req);
        const type = m[1] === 'apps' ? 'jira:globalPage' : 'jira:adminPage';
        const f = panelFrames(chrome, type, {}).find((p) => p.moduleKey === m[2]);
        if (!f) return send(res, 404, `<p>No ${type} module ${m[2]} in manifest.yml.</p>`);
        send(res, 200, appPage(chrome, f.title, f));
      },
    ],
    [
      /^\/__forge\/module\/([a-z0-9-]+)$/,
      async (_req, res, m) => {
        const module = wb.manifest.uiModules.find((u) => u.key === m[1]);
        const where = module?.type === 'jira:adminPage' ? `/jira/settings/apps/${m[1]}` : module?.type === 'jira:globalPage' ? `/jira/apps/${m[1]}` : undefined;
        if (!where) return send(res, 404, `<p>No page module ${m[1]} in manifest.yml.</p>`);
        send(res, 302, '', 'text/plain', { location: where });
      },
    ],
    [
      /^\/__forge\/content\/(\d+)$/,
      async (_req, res, m) => {
        const page = wb.confluence.page(m[1]);
        if (!page) return send(res, 404, `<p>Page ${m[1]} not found.</p>`);
        send(res, 302, '', 'text/plain', { location: `/wiki/spaces/${page.spaceKey}/pages/${page.id}` });
      },
    ],
    [/^\/__workbench$/, async (req, res) => send(res, 200, controlsPage(chromeFor(req), controlState(wb), wb.runtime.logs))],
    [/^\/__workbench\/host\.js$/, async (_req, res) => send(res, 200, fs.readFileSync(path.join(HOST_ASSETS, 'host.js')), CONTENT_TYPES['.js'])],
    [/^\/__forge\/bridge\.js$/, async (_req, res) => send(res, 200, fs.readFileSync(path.join(HOST_ASSETS, 'bridge-client.js')), CONTENT_TYPES['.js'])],
    [/^\/__forge\/theme\.css$/, async (_req, res) => send(res, 200, themeCss(), CONTENT_TYPES['.css'], { 'cache-control': 'max-age=3600' })],
    [
      /^\/__forge\/bridge$/,
      async (req, res) => {
        const body = parseJson(await readBody(req)) as { frame?: string; type?: string; payload?: unknown } | undefined;
        const frame = frames.get(body?.frame);
        if (!frame) return send(res, 403, JSON.stringify({ ok: false, error: { message: 'Unknown or expired frame; reload the page.' } }), 'application/json');
        send(res, 200, JSON.stringify(await handleBridgeCall(wb, frame, String(body?.type), body?.payload)), 'application/json');
      },
    ],
    [
      /^\/__forge\/resource\/([a-zA-Z0-9_-]+)\/(.+)$/,
      async (_req, res, m) => {
        const dir = wb.manifest.resources.get(m[1]);
        if (!dir) return send(res, 404, 'Unknown resource', 'text/plain');
        const base = path.resolve(wb.root, dir);
        const file = path.resolve(base, m[2]);
        if (!file.startsWith(base + path.sep) || !fs.existsSync(file)) return send(res, 404, `Not built: ${m[2]} (run npm run build)`, 'text/plain');
        let content: string | Buffer = fs.readFileSync(file);
        if (file.endsWith('.html')) {
          // The bridge must exist before @forge/bridge loads, as Atlassian's host guarantees.
          content = content.toString('utf8').replace(/<head>/i, '<head><script src="/__forge/bridge.js"></script>');
        }
        send(res, 200, content, CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
      },
    ],
  ];

  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://workbench.local');
      if (url.pathname.startsWith('/__workbench/api/')) return await controlApi(wb, req, res, url);
      if (await handleProductHttp(req, res, { jira: wb.jira, confluence: wb.confluence }, (service, r) => wb.dispatchProduct(service === wb.jira ? 'jira' : 'confluence', r))) return;
      for (const [pattern, handler] of routes) {
        const m = url.pathname.match(pattern);
        if (m) return await handler(req, res, m);
      }
      send(res, 404, '<p>Not found. Start at <a href="/">the incident list</a>.</p>');
    } catch (error) {
      if ((error as Error).name === 'RequestTimeoutError') {
        res.destroy();
        return;
      }
      console.error(error);
      if (!res.headersSent) send(res, 500, JSON.stringify({ errorMessages: [(error as Error).message] }), 'application/json');
    }
  });
}

function serviceNames(wb: Workbench, value: unknown): string {
  if (!Array.isArray(value)) return '';
  const all = wb.jira.services();
  return value.map((v: { id?: string; name?: string }) => v.name ?? all.find((s) => s.id === v.id)?.name ?? v.id).join(', ');
}

export function controlState(wb: Workbench) {
  return {
    siteUrl: wb.siteUrl,
    clock: { now: new Date(wb.clock.now()).toISOString(), offsetMs: wb.clock.offset },
    faults: wb.faults.list(),
    injected: wb.faults.injected,
    delivery: wb.events.settings,
    deliveries: wb.events.deliveries.length,
    failedDeliveries: wb.events.deliveries.filter((d) => !d.ok).length,
    queues: wb.queues.stats,
    deliveryAttempts: wb.events.attempts.length,
    lastDeliveryAttempts: wb.events.attempts.slice(-10),
    jiraRateLimit: { settings: wb.jiraRateLimit.current() ?? null, stats: wb.jiraRateLimit.stats },
    storage: wb.kvs.stats(),
  };
}
