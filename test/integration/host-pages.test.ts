/**
 * The host's HTTP surface as a person meets it: Confluence pages under /wiki are pages, not the REST
 * API; the incident list carries the app's continuity columns; the header links the app's pages; the
 * demo controls reset to an empty site and put OPS-1 at any point of its RTO.
 */
import { adfText, call, comments, createIncident, startWorkbench } from '../support/workbench';
import { continuityColumns } from '../../workbench/server/incident-page';
import { adfToSafeHtml } from '../../workbench/host/adf-html';
import type { Workbench } from '../../workbench/workbench';

let wb: Workbench;
let url: string;

beforeAll(async () => {
  ({ wb, url } = await startWorkbench());
});
afterAll(async () => {
  await wb?.stop();
});
afterEach(() => wb.clock.reset());

const basic = { authorization: `Basic ${Buffer.from('alex.agent@example.com:x').toString('base64')}` };
const control = async (route: string, body: unknown = {}) => {
  const res = await fetch(`${url}/__workbench/api/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

test('pages under /wiki are host pages; only /wiki/api and /wiki/rest are the REST API', async () => {
  const space = await fetch(`${url}/wiki/spaces/CONT`);
  expect(space.status).toBe(200);
  expect(space.headers.get('www-authenticate')).toBeNull();
  const html = await space.text();
  const link = /href="(\/wiki\/spaces\/CONT\/pages\/\d+[^"]*)">Payments continuity plan</.exec(html);
  expect(link).not.toBeNull();

  const page = await fetch(`${url}${link![1]}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Fail payment traffic over to the secondary region');
  expect((await fetch(`${url}/wiki`, { redirect: 'manual' })).headers.get('location')).toBe('/wiki/spaces/CONT');

  // The REST APIs still ask for credentials, as Atlassian's do, and answer with them.
  for (const rest of ['/wiki/api/v2/spaces', '/wiki/rest/api/content/1/label', '/rest/api/3/myself']) {
    const res = await fetch(`${url}${rest}`);
    expect([rest, res.status, res.headers.get('www-authenticate')]).toEqual([rest, 401, 'Basic realm="workbench"']);
  }
  expect((await fetch(`${url}/wiki/api/v2/spaces?keys=CONT`, { headers: basic })).status).toBe(200);
});

test('the incident list shows each incident’s continuity state and RTO due time from the app’s issue property', async () => {
  const html = await (await fetch(`${url}/jira/servicedesk/projects/OPS/queues`)).text();
  const row = (key: string) => new RegExp(`<tr data-key="${key}">(.*?)</tr>`).exec(html)?.[1] ?? '';
  const cell = (key: string, col: string) => new RegExp(`<td data-col="${col}"[^>]*>(.*?)</td>`).exec(row(key))?.[1];
  const property = ((await call(wb, 'jira', 'GET', '/rest/api/3/issue/OPS-1/properties/service-continuity')).body as { value: { nextRtoDueAt: string } }).value;
  expect(cell('OPS-1', 'continuity')).toBe('Open · 1 plan');
  expect(cell('OPS-1', 'rto-due')).toBe(`${property.nextRtoDueAt.slice(0, 16).replace('T', ' ')} UTC`);
  // The P3 report incident does not qualify: the app wrote no property.
  expect(cell('OPS-3', 'continuity')).toBe('—');
  expect(cell('OPS-3', 'rto-due')).toBe('—');
  // The Major incident flag has its own fieldset, apart from the Affected services list.
  expect(html).toMatch(/<fieldset id="affected-services"><legend>Affected services<\/legend>(?:(?!<\/fieldset>).)*<\/fieldset>\s*<fieldset id="major-incident"><legend>Major incident<\/legend><label class="check"><input type="checkbox" id="major"/s);

  expect(continuityColumns({ openInvocations: 0, nextRtoDueAt: null, states: ['recovered', 'stood-down'] }, 0)).toEqual({ continuity: 'Recovered, Stood down', rtoDue: '—' });
  expect(continuityColumns({ openInvocations: 2, nextRtoDueAt: '2026-11-22T03:00:00.000Z', states: ['open'] }, Date.parse('2026-11-22T04:00:00Z'))).toEqual({ continuity: 'Open · 2 plans', rtoDue: '2026-11-22 03:00 UTC', rtoOverdue: true });
  expect(continuityColumns('<script>', 0)).toEqual({ continuity: '—', rtoDue: '—' });
});

test('the header links every global page, and "Apps" leads to the admin pages', async () => {
  wb.manifest.uiModules.push({ type: 'jira:globalPage', key: 'continuity-console', resource: 'settings', resolver: { function: 'settings-resolver' }, title: 'Continuity <console>' });
  try {
    const html = await (await fetch(`${url}/jira/servicedesk/projects/OPS/queues`)).text();
    expect(html).toContain('<a href="/jira/apps/continuity-console">Continuity &lt;console&gt;</a>');
    expect(html).toContain('<a href="/jira/settings/apps">Apps</a>');
    const apps = await (await fetch(`${url}/jira/settings/apps`)).text();
    expect(apps).toContain('<a href="/jira/settings/apps/continuity-settings">Service continuity settings</a>');
    expect((await fetch(`${url}/jira/apps/continuity-console`)).status).toBe(200);
  } finally {
    wb.manifest.uiModules.pop();
  }
});

test('comments render from ADF to safe HTML: marks, links, lists and mentions, nothing executable', () => {
  const doc = {
    type: 'doc',
    version: 1,
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: 'Owner: ' }, { type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: '@someone' } }, { type: 'text', text: ' <img src=x onerror=alert(1)>', marks: [{ type: 'strong' }] }] },
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'plan', marks: [{ type: 'link', attrs: { href: '/wiki/spaces/CONT' } }, { type: 'em' }] }] }] }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'click', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] },
    ],
  };
  expect(adfToSafeHtml(doc, (id) => (id === '5b10ac8d82e05b22cc7d4ef5' ? 'Casey Continuity' : undefined))).toBe(
    '<p>Owner: <span class="mention" data-account-id="5b10ac8d82e05b22cc7d4ef5">@Casey Continuity</span><strong> &lt;img src=x onerror=alert(1)&gt;</strong></p>' +
      '<ul><li><p><em><a href="/wiki/spaces/CONT" rel="noreferrer noopener">plan</a></em></p></li></ul><p>click</p>',
  );
});

test('demo rto puts OPS-1 at a share of its RTO and runs the RTO watch: 80 % warns, 110 % breaches', async () => {
  const issue = ((await call(wb, 'jira', 'GET', '/rest/api/3/issue/OPS-1?fields=created')).body as { fields: { created: string } }).fields;
  const created = Date.parse(issue.created.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

  const at80 = await control('demo/rto', { percent: 80 });
  expect(at80.status).toBe(200);
  expect(at80.body).toMatchObject({ issueKey: 'OPS-1', percent: 80, rtoDueAt: new Date(created + 60 * 60_000).toISOString() });
  expect(Math.abs(Date.parse(at80.body.now) - (created + 48 * 60_000))).toBeLessThan(5_000);
  const warned = (await comments(wb, 'OPS-1')).map((c) => adfText(c.body));
  expect(warned.filter((t) => t.includes('75 % of the RTO has passed'))).toHaveLength(1);
  expect(warned.some((t) => t.includes('RTO breached'))).toBe(false);

  expect((await control('demo/rto', { percent: 110 })).status).toBe(200);
  expect((await comments(wb, 'OPS-1')).map((c) => adfText(c.body)).filter((t) => t.includes('RTO breached'))).toHaveLength(1);

  expect(await control('demo/rto', { percent: 'lots' })).toEqual({ status: 400, body: { error: 'The percentage of the RTO must be a number from 0 to 1000, got "lots"' } });
});

test('reset --empty leaves the base sites without the demo; reset brings the demo back; a restart keeps an empty site empty', async () => {
  expect(await control('reset', { empty: true })).toEqual({ status: 200, body: { reset: true, empty: true } });
  const search = async () => ((await call(wb, 'jira', 'GET', '/rest/api/3/search/jql?jql=project%3DOPS&fields=summary')).body as { issues: unknown[] }).issues;
  expect(await search()).toEqual([]);
  expect(wb.kvs.stats().entities).toBe(0);
  const spaces = (await call(wb, 'confluence', 'GET', '/wiki/api/v2/spaces?keys=CONT')).body as { results: Array<{ id: string }> };
  expect(spaces.results).toHaveLength(1);
  const pages = (await call(wb, 'confluence', 'GET', `/wiki/api/v2/spaces/${spaces.results[0].id}/pages`)).body as { results: Array<{ title: string }> };
  expect(pages.results.map((p) => p.title)).not.toContain('Payments continuity plan');
  expect(wb.jira.services().map((s) => s.name)).toContain('Payments');
  expect((await call(wb, 'jira', 'GET', '/rest/api/3/project/OPS')).status).toBe(200);
  // Seeding again (as a restart does) adds nothing to a site that exists.
  await wb.seed();
  expect(await search()).toEqual([]);
  // And the app still works on the empty site: a P1 with no catalogue is not linked, and nothing fails.
  await createIncident(wb, { summary: 'First incident on a new site', priorityId: '1', services: ['Payments'] });
  expect(wb.events.deliveries.at(-1)).toMatchObject({ ok: true });

  expect(await control('reset')).toEqual({ status: 200, body: { reset: true } });
  expect(await search()).toHaveLength(3);
  expect(wb.kvs.stats().entities).toBeGreaterThan(0);
});
