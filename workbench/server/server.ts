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
import { esc } from '../host/html';
import { FrameRegistry, handleBridgeCall } from './bridge';
import { appPage, appsIndex, spaceView, type Chrome } from '../host/pages';
import { controlsPage } from '../host/controls-page';
import { controlApi } from './control-api';
import { themeCss } from './theme';
import type { ProductRequest } from '../products/types';
import { renderIssuePage } from './issue-page';
import { renderIncidentList } from './incident-page';
import { modulesOfType, moduleFrames } from './module-frames';
import { renderConfluencePage } from './confluence-page';

const HOST_ASSETS = path.join(__dirname, '..', '..', 'workbench', 'host');
/** The app's icon (its modules' `icon.svg` is built from it). */
const APP_ICON = 'static/shared/icon.svg';
const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json' };

function cookies(req: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=').map(decodeURIComponent)).filter((p) => p.length === 2)) as Record<string, string>;
}

function chromeFor(wb: Workbench, req: http.IncomingMessage): Chrome {
  const c = cookies(req);
  const user = (c.wb_user && findUser(c.wb_user)) || DEFAULT_USER;
  const pages = (type: string) => modulesOfType(wb, type).map((m) => ({ key: m.key, title: m.title ?? m.key }));
  return { user: USERS.includes(user) ? user : DEFAULT_USER, colorMode: c.wb_theme === 'dark' ? 'dark' : 'light', globalPages: pages('jira:globalPage'), adminPages: pages('jira:adminPage') };
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

  const routes: Array<[RegExp, (req: http.IncomingMessage, res: http.ServerResponse, m: RegExpMatchArray) => Promise<void>]> = [
    [/^\/$/, async (_req, res) => send(res, 302, '', 'text/plain', { location: '/jira/servicedesk/projects/OPS/queues' })],
    [/^\/jira\/servicedesk\/projects\/([A-Z][A-Z0-9]*)\/queues$/, async (req, res, m) => send(res, 200, await renderIncidentList(wb, chromeFor(wb, req), m[1]))],
    [
      /^\/browse\/([A-Z][A-Z0-9]*-\d+)$/,
      async (req, res, m) => {
        const page = await renderIssuePage(wb, frames, chromeFor(wb, req), m[1], cookies(req));
        if (!page.html) return send(res, page.status, `<p>Issue ${esc(m[1])} not found.</p>`);
        send(res, 200, page.html);
      },
    ],
    [
      /^\/wiki\/spaces\/([A-Za-z0-9]+)\/pages\/(\d+)(?:\/.*)?$/,
      async (req, res, m) => {
        const html = await renderConfluencePage(wb, frames, chromeFor(wb, req), m[2], m[1]);
        if (!html) return send(res, 404, `<p>Page ${esc(m[2])} not found.</p>`);
        send(res, 200, html);
      },
    ],
    [
      /^\/wiki\/spaces\/([A-Za-z0-9]+)\/?$/,
      async (req, res, m) => {
        const chrome = chromeFor(wb, req);
        const spaces = (await wb.confluence.handle(asUser(chrome.user, 'GET', `/wiki/api/v2/spaces?keys=${m[1]}`))).body as { results: Array<{ id: string }> };
        const spaceId = spaces.results?.[0]?.id;
        if (!spaceId) return send(res, 404, `<p>No space ${esc(m[1])} on this Confluence site.</p>`);
        const list = (await wb.confluence.handle(asUser(chrome.user, 'GET', `/wiki/api/v2/spaces/${spaceId}/pages?limit=250`))).body as { results: Array<{ id: string; title: string; _links?: { webui?: string } }> };
        send(res, 200, spaceView(chrome, m[1], list.results.map((p) => ({ id: p.id, title: p.title, url: `/wiki${p._links?.webui ?? `/spaces/${m[1]}/pages/${p.id}`}` }))));
      },
    ],
    [/^\/wiki\/?$/, async (_req, res) => send(res, 302, '', 'text/plain', { location: '/wiki/spaces/CONT' })],
    [
      /^\/jira\/settings\/apps\/?$/,
      async (req, res) => {
        const chrome = chromeFor(wb, req);
        send(res, 200, appsIndex(chrome, chrome.adminPages ?? []));
      },
    ],
    [
      /^\/jira\/(apps|settings\/apps)\/([a-zA-Z0-9_-]+)$/,
      async (req, res, m) => {
        const chrome = chromeFor(wb, req);
        const type = m[1] === 'apps' ? 'jira:globalPage' : 'jira:adminPage';
        const f = moduleFrames(wb, frames, chrome.user.accountId, chrome.colorMode, type, {}).find((p) => p.moduleKey === m[2]);
        if (!f) return send(res, 404, `<p>No ${type} module ${esc(m[2])} in manifest.yml.</p>`);
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
    [/^\/__workbench\/?$/, async (req, res) => send(res, 200, controlsPage(chromeFor(wb, req), controlState(wb), wb.runtime.logs))],
    // The app's icon is the pages' icon (linked from every page's head; /favicon.ico for a browser that asks anyway).
    [/^\/favicon\.(?:ico|svg)$/, async (_req, res) => send(res, 200, fs.readFileSync(path.join(wb.root, APP_ICON)), CONTENT_TYPES['.svg'], { 'cache-control': 'max-age=86400' })],
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
      if (await handleProductHttp(req, res, { jira: wb.jira, confluence: wb.confluence }, (service, r) => wb.dispatchProduct(service === wb.jira ? 'jira' : 'confluence', r, 'person'))) return;
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

export function controlState(wb: Workbench) {
  return {
    siteUrl: wb.siteUrl,
    confluence: { connected: wb.confluenceConnected },
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
