import { ConfluenceService } from '.';
test('smoke', async () => {
const events: unknown[] = [];
const svc = new ConfluenceService({ clock: { now: () => Date.parse('2026-01-01T00:00:00Z') }, siteUrl: 'http://localhost:8080', onEvent: (e) => events.push(e) });
svc.seedBase();
const req = (method: string, path: string, body?: unknown, q = '') => svc.handle({ method, path, query: new URLSearchParams(q), headers: {}, body, principal: { kind: 'user', accountId: '5b10a2844c20165700ede21g' } });
  console.log(JSON.stringify((await req('GET', '/wiki/api/v2/spaces')).body, null, 1));
  const sp = ((await req('GET', '/wiki/api/v2/spaces', undefined, 'keys=CONT')).body as any).results[0];
  const r = await req('POST', '/wiki/api/v2/pages', { spaceId: sp.id, title: 'Payments plan', body: { representation: 'storage', value: '<p>Hello <strong>world</strong></p><ul><li>one</li></ul><ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[echo <hi>]]></ac:plain-text-body></ac:structured-macro>' } });
  console.log(r.status, JSON.stringify(r.body));
  const id = (r.body as any).id;
  const g = await req('GET', `/wiki/api/v2/pages/${id}`, undefined, 'body-format=atlas_doc_format');
  console.log(JSON.stringify(g.body));
  console.log(JSON.stringify(events[0], null, 1).slice(0, 600));
  console.log(svc.renderPageHtml(id));
});
