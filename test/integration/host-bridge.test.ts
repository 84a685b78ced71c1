/**
 * The host side of the Custom UI bridge over HTTP: each iframe's token is bound on the server to its
 * module, issue and user; the browser cannot pick another issue or user, and product calls from the
 * front end (requestJira) run as the signed-in user.
 */
import { startWorkbench, VIEWER } from '../support/workbench';
import type { Workbench } from '../../workbench/workbench';

let wb: Workbench;
let url: string;

beforeAll(async () => {
  ({ wb, url } = await startWorkbench());
});
afterAll(async () => {
  await wb.stop();
});

async function frameOf(key: string, user?: string): Promise<string> {
  const html = await (await fetch(`${url}/browse/${key}`, { headers: user ? { cookie: `wb_user=${user}` } : {} })).text();
  const token = /data-frame="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no frame on the issue view');
  return token;
}

const bridge = async (frame: string, type: string, payload?: unknown) =>
  (await fetch(`${url}/__forge/bridge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ frame, type, payload }) })).json() as Promise<any>;

test('getContext answers the module context Forge gives an issue panel', async () => {
  const answer = await bridge(await frameOf('OPS-1'), 'getContext');
  expect(answer.ok).toBe(true);
  expect(answer.result).toMatchObject({
    moduleKey: 'continuity-issue-panel',
    accountId: '5b10a2844c20165700ede21g',
    extension: { type: 'jira:issuePanel', issue: { key: 'OPS-1', type: 'Incident' }, project: { key: 'OPS' } },
    theme: { colorMode: 'light' },
  });
});

test('requestJira from the front end runs as the signed-in user', async () => {
  const answer = await bridge(await frameOf('OPS-1', VIEWER.accountId), 'fetchProduct', { product: 'jira', restPath: '/rest/api/3/myself', fetchRequestInit: { method: 'GET', headers: [] } });
  expect(answer.result.status).toBe(200);
  expect(JSON.parse(answer.result.body)).toMatchObject({ accountId: VIEWER.accountId, displayName: 'Vic Viewer' });
});

test('invoke reaches the resolver with the frame\'s issue, whatever the payload claims', async () => {
  const answer = await bridge(await frameOf('OPS-2'), 'invoke', { functionKey: 'issue-panel/load', payload: { issueKey: 'OPS-1', extension: { issue: { key: 'OPS-1' } } } });
  expect(answer.ok).toBe(true);
  expect(answer.result.data.issueKey).toBe('OPS-2');
});

test('an unknown frame token is refused', async () => {
  const res = await fetch(`${url}/__forge/bridge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ frame: 'forged', type: 'invoke', payload: { functionKey: 'issue-panel/load' } }) });
  expect(res.status).toBe(403);
  expect(await res.json()).toEqual({ ok: false, error: { message: 'Unknown or expired frame; reload the page.' } });
});

test('the Custom UI resource is served with the bridge loaded before the app', async () => {
  const token = await frameOf('OPS-1');
  const html = await (await fetch(`${url}/__forge/resource/issue-panel/index.html?frame=${token}`)).text();
  expect(html.indexOf('/__forge/bridge.js')).toBeGreaterThan(0);
  expect(html.indexOf('/__forge/bridge.js')).toBeLessThan(html.indexOf('./main.js'));
  expect((await fetch(`${url}/__forge/resource/issue-panel/..%2F..%2Fpackage.json`)).status).toBe(404);
});
