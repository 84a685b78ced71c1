import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { doc, p, text, strong, extension, taskList, taskItem } from '@atlaskit/adf-utils/builders';
import { APP_USER } from '../users';
import { ConfluenceService } from './service';
import { adfBody, ALEX, harness, storageBody, T0, VIC } from './test-helpers';

const PLAN_STORAGE = '<h2>Recovery steps</h2><ol><li><p>Fail over the <strong>database</strong></p></li><li><p>Switch DNS</p></li></ol>';

describe('Confluence emulator: spaces', () => {
  it('seeds the CONT space with a homepage, once', async () => {
    const h = await harness();
    h.svc.seedBase();
    const all = await h.call('GET', '/spaces');
    expect(all.status).toBe(200);
    expect(all.body.results).toHaveLength(1);
    expect(all.body.results[0]).toMatchObject({ key: 'CONT', name: 'Service Continuity', type: 'global', status: 'current', homepageId: h.homepageId, _links: { webui: '/spaces/CONT' } });
    const home = await h.call('GET', `/pages/${h.homepageId}`);
    expect(home.body.title).toBe('Service Continuity Home');
    expect(home.body.parentId).toBeUndefined();
  });

  it('filters by keys and ids, and reads one space', async () => {
    const h = await harness();
    expect((await h.call('GET', '/spaces', { query: 'keys=NOPE' })).body.results).toEqual([]);
    expect((await h.call('GET', '/spaces', { query: `ids=${h.spaceId}` })).body.results.map((s: any) => s.key)).toEqual(['CONT']);
    expect((await h.call('GET', '/spaces', { query: 'keys=NOPE,CONT' })).body.results.map((s: any) => s.key)).toEqual(['CONT']);
    const one = await h.call('GET', `/spaces/${h.spaceId}`, { query: 'description-format=plain' });
    expect(one.body).toMatchObject({ id: h.spaceId, key: 'CONT', _links: { webui: '/spaces/CONT', base: 'http://localhost:8080/wiki' } });
    expect(one.body.description.plain.value).toMatch(/Continuity plans/);
    expect((await h.call('GET', '/spaces/999999')).status).toBe(404);
    h.svc.setSiteUrl('http://127.0.0.1:4567/');
    expect((await h.call('GET', `/spaces/${h.spaceId}`)).body._links.base).toBe('http://127.0.0.1:4567/wiki');
  });

  it('lists the pages of a space, at root depth too', async () => {
    const h = await harness();
    const child = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Payments plan', body: storageBody('<p>x</p>') } });
    const root = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Root page', body: storageBody('<p>y</p>') }, query: 'root-level=true' });
    expect(child.body.parentId).toBe(h.homepageId);
    expect(root.body.parentId).toBeUndefined();
    const all = await h.call('GET', `/spaces/${h.spaceId}/pages`);
    expect(all.body.results.map((x: any) => x.title)).toEqual(['Service Continuity Home', 'Payments plan', 'Root page']);
    const roots = await h.call('GET', `/spaces/${h.spaceId}/pages`, { query: 'depth=root' });
    expect(roots.body.results.map((x: any) => x.title)).toEqual(['Service Continuity Home', 'Root page']);
    expect((await h.call('GET', '/spaces/424242/pages')).status).toBe(404);
  });
});

describe('Confluence emulator: pages', () => {
  it('creates, reads and updates a storage page', async () => {
    const h = await harness();
    const created = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, status: 'current', title: 'Payments continuity plan', body: storageBody(PLAN_STORAGE) } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      status: 'current',
      title: 'Payments continuity plan',
      spaceId: h.spaceId,
      parentId: h.homepageId,
      authorId: ALEX,
      createdAt: '2026-03-01T09:00:00.000Z',
      version: { number: 1, authorId: ALEX, createdAt: '2026-03-01T09:00:00.000Z' },
      body: { storage: { representation: 'storage', value: PLAN_STORAGE } },
    });
    const id = created.body.id;
    expect(id).toMatch(/^\d+$/);
    expect(created.body._links.webui).toBe(`/spaces/CONT/pages/${id}/Payments+continuity+plan`);
    expect(created.body._links.base).toBe('http://localhost:8080/wiki');

    const got = await h.call('GET', `/pages/${id}`, { query: 'body-format=storage' });
    expect(got.body.body.storage.value).toBe(PLAN_STORAGE);
    const noBody = await h.call('GET', `/pages/${id}`);
    expect(noBody.body.body).toEqual({});

    h.clock.t = T0 + 60_000;
    const updated = await h.call('PUT', `/pages/${id}`, {
      body: { id, status: 'current', title: 'Payments continuity plan', body: storageBody('<p>v2</p>'), version: { number: 2, message: 'second' } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toMatchObject({ number: 2, message: 'second', createdAt: '2026-03-01T09:01:00.000Z' });
    expect(updated.body.body.storage.value).toBe('<p>v2</p>');
    expect((await h.call('GET', `/pages/${id}`, { query: 'body-format=storage' })).body.body.storage.value).toBe('<p>v2</p>');
    const v1 = await h.call('GET', `/pages/${id}`, { query: 'version=1&body-format=storage' });
    expect(v1.body).toMatchObject({ status: 'historical', version: { number: 1 }, body: { storage: { value: PLAN_STORAGE } } });
  });

  it('stores an ADF page and converts between representations', async () => {
    const h = await harness();
    const adf = doc(p(text('Plan owner: '), strong('Casey')), taskList({ localId: 'tl-1' })(taskItem({ localId: 't-1', state: 'TODO' })(text('Declare the incident'))));
    const created = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'ADF plan', body: adfBody(adf) } });
    expect(created.status).toBe(200);
    expect(created.body.body.atlas_doc_format.value).toBe(JSON.stringify(adf));
    const id = created.body.id;
    const asAdf = await h.call('GET', `/pages/${id}`, { query: 'body-format=atlas_doc_format' });
    expect(JSON.parse(asAdf.body.body.atlas_doc_format.value)).toEqual(adf);
    const asStorage = await h.call('GET', `/pages/${id}`, { query: 'body-format=storage' });
    expect(asStorage.body.body.storage).toEqual({
      representation: 'storage',
      value:
        '<p>Plan owner: <strong>Casey</strong></p><ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-uuid>t-1</ac:task-uuid><ac:task-status>incomplete</ac:task-status><ac:task-body>Declare the incident</ac:task-body></ac:task></ac:task-list>',
    });
    // A storage page asked for as ADF.
    const s = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Storage plan', body: storageBody('<p>Hello <em>there</em></p>') } });
    const converted = await h.call('GET', `/pages/${s.body.id}`, { query: 'body-format=atlas_doc_format' });
    expect(JSON.parse(converted.body.body.atlas_doc_format.value)).toEqual({
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hello ' }, { type: 'text', text: 'there', marks: [{ type: 'em' }] }] }],
    });
    // Update switches the stored representation.
    const up = await h.call('PUT', `/pages/${s.body.id}`, { body: { id: s.body.id, status: 'current', title: 'Storage plan', body: adfBody(doc(p(text('now ADF')))), version: { number: 2 } } });
    expect(up.status).toBe(200);
    expect(h.svc.page(s.body.id)).toMatchObject({ representation: 'atlas_doc_format', storage: '<p>now ADF</p>', version: 2 });
  });

  it('accepts the nested body form { storage: { representation, value } }', async () => {
    const h = await harness();
    const r = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Nested', body: { storage: { representation: 'storage', value: '<p>n</p>' } } } });
    expect(r.status).toBe(200);
    expect(r.body.body.storage.value).toBe('<p>n</p>');
  });

  it('refuses invalid ADF and malformed storage with 400', async () => {
    const h = await harness();
    const post = (body: unknown) => h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Bad', body } });
    const notJson = await post({ representation: 'atlas_doc_format', value: '{not json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors[0].title).toMatch(/body\.value is not valid JSON/);
    const notDoc = await post({ representation: 'atlas_doc_format', value: JSON.stringify({ type: 'paragraph', content: [] }) });
    expect(notDoc.body.errors[0].title).toMatch(/root node must have type "doc"/);
    const badNode = await post({ representation: 'atlas_doc_format', value: JSON.stringify({ type: 'doc', version: 1, content: [{ type: 'bogus' }] }) });
    expect(badNode.status).toBe(400);
    expect(badNode.body.errors[0].title).toMatch(/not a valid ADF document/);
    const amp = await post(storageBody('<p>R&D</p>'));
    expect(amp.status).toBe(400);
    expect(amp.body.errors[0].title).toBe('Error parsing xhtml: unescaped "&" at offset 4 (write &amp;)');
    const unclosed = await post(storageBody('<p><strong>x</p>'));
    expect(unclosed.body.errors[0].title).toMatch(/does not close <strong>/);
    const wiki = await post({ representation: 'wiki', value: 'h1. x' });
    expect(wiki.body.errors[0].title).toMatch(/wiki is not supported/);
  });

  it('answers 409 for a stale or skipped version, then accepts current + 1', async () => {
    const h = await harness();
    const c = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Versioned', body: storageBody('<p>1</p>') } });
    const id = c.body.id;
    const put = (number: number, value: string) => h.call('PUT', `/pages/${id}`, { body: { id, status: 'current', title: 'Versioned', body: storageBody(value), version: { number } } });
    expect((await put(2, '<p>2</p>')).status).toBe(200);
    const stale = await put(2, '<p>stale</p>');
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ errors: [{ status: 409, code: 'CONFLICT', title: 'Version must be incremented on update. Current version is: 2', detail: null }] });
    const skipped = await put(4, '<p>skipped</p>');
    expect(skipped.status).toBe(409);
    expect(skipped.body.errors[0].title).toBe('Version must be incremented on update. Current version is: 2');
    const ok = await put(3, '<p>3</p>');
    expect(ok.status).toBe(200);
    expect(ok.body.version.number).toBe(3);
    expect(h.svc.page(id)).toMatchObject({ version: 3, storage: '<p>3</p>' });
    const versions = await h.call('GET', `/pages/${id}/versions`, { query: 'body-format=storage' });
    expect(versions.body.results.map((v: any) => [v.number, v.page.body.storage.value])).toEqual([
      [3, '<p>3</p>'],
      [2, '<p>2</p>'],
      [1, '<p>1</p>'],
    ]);
  });

  it('refuses a duplicate title in the same space with 400', async () => {
    const h = await harness();
    await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Payments plan', body: storageBody('<p>a</p>') } });
    const dup = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'payments PLAN', body: storageBody('<p>b</p>') } });
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0]).toMatchObject({ status: 400, code: 'BAD_REQUEST', title: 'A page with this title already exists: A page already exists with the same TITLE in this space' });
    const other = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Other', body: storageBody('<p>c</p>') } });
    const rename = await h.call('PUT', `/pages/${other.body.id}`, { body: { id: other.body.id, status: 'current', title: 'Payments plan', body: storageBody('<p>c</p>'), version: { number: 2 } } });
    expect(rename.status).toBe(400);
    expect(h.svc.page(other.body.id)?.version).toBe(1);
  });

  it('names the missing field in a 400, and answers malformed JSON with 400', async () => {
    const h = await harness();
    const noSpace = await h.call('POST', '/pages', { body: { title: 'x' } });
    expect(noSpace.status).toBe(400);
    expect(noSpace.body).toEqual({ errors: [{ status: 400, code: 'BAD_REQUEST', title: 'spaceId is required', detail: null }] });
    const noTitle = await h.call('POST', '/pages', { body: { spaceId: h.spaceId } });
    expect(noTitle.body.errors[0].title).toBe('title is required to create a page with status current');
    const c = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'T', body: storageBody('<p>t</p>') } });
    for (const field of ['id', 'status', 'title', 'body', 'version']) {
      const body: Record<string, unknown> = { id: c.body.id, status: 'current', title: 'T', body: storageBody('<p>t</p>'), version: { number: 2 } };
      delete body[field];
      const r = await h.call('PUT', `/pages/${c.body.id}`, { body });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].title).toBe(`${field} is required`);
    }
    const malformed = await h.call('POST', '/pages', { body: undefined, rawBody: '{"spaceId": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toMatchObject({ status: 400, code: 'BAD_REQUEST', title: 'Invalid JSON in request body' });
    const mismatch = await h.call('PUT', `/pages/${c.body.id}`, { body: { id: '1', status: 'current', title: 'T', body: storageBody('<p>t</p>'), version: { number: 2 } } });
    expect(mismatch.body.errors[0].title).toMatch(/does not match the page id/);
  });

  it('answers 404 with the v2 error shape for an unknown page, and 400 for a non-numeric id', async () => {
    const h = await harness();
    const missing = await h.call('GET', '/pages/123456789');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] });
    expect((await h.call('PUT', '/pages/123456789', { body: { id: '123456789', status: 'current', title: 'x', body: storageBody('<p/>'), version: { number: 2 } } })).status).toBe(404);
    expect((await h.call('GET', '/pages/123456789/properties')).status).toBe(404);
    const nonNumeric = await h.call('GET', '/pages/abc');
    expect(nonNumeric.status).toBe(400);
    expect(nonNumeric.body.errors[0]).toMatchObject({ code: 'INVALID_REQUEST_PARAMETER', title: "Provided value {abc} for 'id' is not the correct type. Expected type is long" });
    expect((await h.call('POST', '/pages', { body: { spaceId: '999', title: 'x' } })).status).toBe(404);
  });

  it('limits bodies to 5 MB: 413 on create, 400 on update', async () => {
    const h = await harness();
    const big = `<p>${'x'.repeat(5 * 1024 * 1024)}</p>`;
    const create = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Big', body: storageBody(big) } });
    expect(create.status).toBe(413);
    expect(create.body.errors[0].title).toBe('The page body is larger than the 5 MB limit');
    const c = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Small', body: storageBody('<p>s</p>') } });
    const update = await h.call('PUT', `/pages/${c.body.id}`, { body: { id: c.body.id, status: 'current', title: 'Small', body: storageBody(big), version: { number: 2 } } });
    expect(update.status).toBe(400);
  });

  it('lists every page exactly once across cursor pages, even while pages are added', async () => {
    const h = await harness();
    const ids: string[] = [h.homepageId];
    for (let i = 0; i < 30; i++) {
      const r = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: `Plan ${i}`, body: storageBody(`<p>${i}</p>`) } });
      ids.push(r.body.id);
    }
    const seen: string[] = [];
    let query: string | undefined = `space-id=${h.spaceId}&limit=7&body-format=storage`;
    let pages = 0;
    while (query !== undefined) {
      const r = await h.call('GET', '/pages', { query });
      expect(r.status).toBe(200);
      expect(r.body.results.length).toBeLessThanOrEqual(7);
      for (const x of r.body.results) {
        seen.push(x.id);
        expect(x.body.storage.representation).toBe('storage');
      }
      pages += 1;
      if (pages === 2) {
        const late = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Late page', body: storageBody('<p>late</p>') } });
        ids.push(late.body.id);
      }
      const next: string | undefined = r.body._links.next;
      if (next) {
        expect(next.startsWith('/wiki/api/v2/pages?')).toBe(true);
        expect(r.headers?.link).toBe(`<${next}>; rel="next", <http://localhost:8080/wiki>; rel="base"`);
      }
      query = next ? next.split('?')[1] : undefined;
    }
    expect(seen).toEqual(ids);
    expect(new Set(seen).size).toBe(32);
    expect(pages).toBe(5);
    // Descending title order pages the same way.
    const titles: string[] = [];
    let q: string | undefined = 'sort=-title&limit=10';
    while (q) {
      const r = await h.call('GET', '/pages', { query: q });
      titles.push(...r.body.results.map((x: any) => x.title));
      q = r.body._links.next?.split('?')[1];
    }
    expect(titles).toHaveLength(32);
    expect(titles[0]).toBe('Service Continuity Home');
    expect([...titles].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : -1))).toEqual(titles);
    expect((await h.call('GET', '/pages', { query: 'cursor=garbage!' })).status).toBe(400);
  });

  it('filters pages by title and status', async () => {
    const h = await harness();
    await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Alpha', body: storageBody('<p>a</p>') } });
    await h.call('POST', '/pages', { body: { spaceId: h.spaceId, status: 'draft', title: 'Draft one', body: storageBody('<p>d</p>') } });
    expect((await h.call('GET', '/pages', { query: 'title=Alpha' })).body.results.map((x: any) => x.title)).toEqual(['Alpha']);
    expect((await h.call('GET', '/pages')).body.results.map((x: any) => x.title)).toEqual(['Service Continuity Home', 'Alpha']);
    expect((await h.call('GET', '/pages', { query: 'status=draft' })).body.results.map((x: any) => x.title)).toEqual(['Draft one']);
    expect((await h.call('GET', '/pages', { query: 'status=bogus' })).status).toBe(400);
  });

  it('publishes a draft: no event while drafting, a created event on publish', async () => {
    const h = await harness();
    const d = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, status: 'draft', title: 'Plan draft', body: storageBody('<p>d1</p>') } });
    expect(d.body.status).toBe('draft');
    const again = await h.call('PUT', `/pages/${d.body.id}`, { body: { id: d.body.id, status: 'draft', title: 'Plan draft', body: storageBody('<p>d2</p>'), version: { number: 1 } } });
    expect(again.status).toBe(200);
    expect(again.body.version.number).toBe(1);
    expect(h.events).toEqual([]);
    const pub = await h.call('PUT', `/pages/${d.body.id}`, { body: { id: d.body.id, status: 'current', title: 'Plan draft', body: storageBody('<p>final</p>'), version: { number: 2 } } });
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ status: 'current', version: { number: 1 } });
    expect(h.events.map((e) => e.eventType)).toEqual(['avi:confluence:created:page']);
  });

  it('trashes, restores and purges pages; children move up on delete', async () => {
    const h = await harness();
    const parent = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Parent', body: storageBody('<p>p</p>') } });
    const child = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Child', parentId: parent.body.id, body: storageBody('<p>c</p>') } });
    const kids = await h.call('GET', `/pages/${parent.body.id}/children`);
    expect(kids.body.results).toEqual([{ id: child.body.id, status: 'current', title: 'Child', spaceId: h.spaceId, childPosition: 0 }]);
    expect((await h.call('DELETE', `/pages/${parent.body.id}`)).status).toBe(204);
    expect((await h.call('GET', `/pages/${parent.body.id}`)).status).toBe(404);
    expect((await h.call('GET', `/pages/${parent.body.id}`, { query: 'status=trashed' })).body.status).toBe('trashed');
    expect((await h.call('GET', `/pages/${child.body.id}`)).body.parentId).toBe(h.homepageId);
    const restored = await h.call('PUT', `/pages/${parent.body.id}`, { body: { id: parent.body.id, status: 'current', title: 'Parent', body: storageBody('<p>p</p>'), version: { number: 2 } } });
    expect(restored.status).toBe(200);
    expect(restored.body.status).toBe('current');
    expect((await h.call('DELETE', `/pages/${parent.body.id}`)).status).toBe(204);
    expect((await h.call('DELETE', `/pages/${parent.body.id}`, { query: 'purge=true' })).status).toBe(204);
    expect((await h.call('GET', `/pages/${parent.body.id}`, { query: 'status=trashed' })).status).toBe(404);
    expect(h.events.map((e) => e.eventType)).toEqual([
      'avi:confluence:created:page',
      'avi:confluence:created:page',
      'avi:confluence:trashed:page',
      'avi:confluence:restored:page',
      'avi:confluence:trashed:page',
      'avi:confluence:deleted:page',
    ]);
  });

  it('lets a viewer read but not write (404, as the OpenAPI document lists for missing permission)', async () => {
    const h = await harness();
    const as = { kind: 'user' as const, accountId: VIC };
    expect((await h.call('GET', `/pages/${h.homepageId}`, { as })).status).toBe(200);
    const r = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'By Vic', body: storageBody('<p>v</p>') }, as });
    expect(r.status).toBe(404);
    expect(r.body.errors[0].detail).toMatch(/does not have the needed permissions/);
    expect((await h.call('GET', '/pages', { query: 'title=By Vic' })).body.results).toEqual([]);
  });

  it('serves labels: v1 POST adds them, v2 GET lists them', async () => {
    const h = await harness();
    const c = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Labelled', body: storageBody('<p>l</p>') } });
    const add = await h.call('POST', `/wiki/rest/api/content/${c.body.id}/label`, { body: [{ prefix: 'global', name: 'Continuity-Plan' }, { prefix: 'global', name: 'tier-1' }] });
    expect(add.status).toBe(200);
    expect(add.body.results.map((l: any) => l.name)).toEqual(['continuity-plan', 'tier-1']);
    const v2 = await h.call('GET', `/pages/${c.body.id}/labels`);
    expect(v2.body.results.map((l: any) => [l.name, l.prefix])).toEqual([
      ['continuity-plan', 'global'],
      ['tier-1', 'global'],
    ]);
    expect((await h.call('POST', `/wiki/rest/api/content/${c.body.id}/label`, { body: { name: 'has space' } })).status).toBe(400);
    const withLabels = await h.call('GET', `/pages/${c.body.id}`, { query: 'include-labels=true' });
    expect(withLabels.body.labels.results.map((l: any) => l.name)).toEqual(['continuity-plan', 'tier-1']);
  });

  it('answers 405 for a method a resource does not have', async () => {
    const h = await harness();
    const r = await h.call('DELETE', '/spaces');
    expect(r.status).toBe(405);
    expect(r.body.errors[0].code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('Confluence emulator: content properties', () => {
  it('creates, lists, reads, updates with version checks and deletes', async () => {
    const h = await harness();
    const c = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'With props', body: storageBody('<p>x</p>') } });
    const base = `/pages/${c.body.id}/properties`;
    const created = await h.call('POST', base, { body: { key: 'continuity.plan', value: { serviceId: 'svc-1', rtoMinutes: 60 } } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ key: 'continuity.plan', value: { serviceId: 'svc-1', rtoMinutes: 60 }, version: { number: 1, authorId: ALEX, createdAt: '2026-03-01T09:00:00.000Z' } });
    const propId = created.body.id;
    const dup = await h.call('POST', base, { body: { key: 'continuity.plan', value: 1 } });
    expect(dup.status).toBe(409);
    expect((await h.call('POST', base, { body: { value: 1 } })).body.errors[0].title).toBe('key is required');
    expect((await h.call('POST', base, { body: { key: 'k2' } })).body.errors[0].title).toBe('value is required');
    await h.call('POST', base, { body: { key: 'other', value: [1, 2] } });

    const all = await h.call('GET', base);
    expect(all.body.results.map((x: any) => x.key)).toEqual(['continuity.plan', 'other']);
    const filtered = await h.call('GET', base, { query: 'key=other' });
    expect(filtered.body.results).toHaveLength(1);
    expect(filtered.body.results[0].value).toEqual([1, 2]);

    expect((await h.call('GET', `${base}/${propId}`)).body.value).toEqual({ serviceId: 'svc-1', rtoMinutes: 60 });
    const stale = await h.call('PUT', `${base}/${propId}`, { body: { key: 'continuity.plan', value: { rtoMinutes: 30 }, version: { number: 1 } } });
    expect(stale.status).toBe(409);
    expect(stale.body.errors[0].title).toBe('Version must be incremented on update. Current version is: 1');
    expect((await h.call('PUT', `${base}/${propId}`, { body: { key: 'continuity.plan', value: 1 } })).status).toBe(400);
    const ok = await h.call('PUT', `${base}/${propId}`, { body: { key: 'continuity.plan', value: { rtoMinutes: 30 }, version: { number: 2, message: 'tighter RTO' } } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: propId, value: { rtoMinutes: 30 }, version: { number: 2, message: 'tighter RTO' } });

    expect((await h.call('DELETE', `${base}/${propId}`)).status).toBe(204);
    expect((await h.call('GET', `${base}/${propId}`)).status).toBe(404);
    // A property id of another page is not found through this page.
    const other = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Other page', body: storageBody('<p>o</p>') } });
    const otherId = (await h.call('GET', base, { query: 'key=other' })).body.results[0].id;
    expect((await h.call('GET', `/pages/${other.body.id}/properties/${otherId}`)).status).toBe(404);
  });
});

describe('Confluence emulator: events', () => {
  it('emits created and updated page events in the Forge payload shape', async () => {
    const h = await harness();
    const c = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Evented', body: storageBody('<p>1</p>') } });
    h.clock.t = T0 + 5_000;
    await h.call('PUT', `/pages/${c.body.id}`, { body: { id: c.body.id, status: 'current', title: 'Evented v2', body: storageBody('<p>2</p>'), version: { number: 2 } }, as: { kind: 'app' } });
    // A refused update emits nothing.
    await h.call('PUT', `/pages/${c.body.id}`, { body: { id: c.body.id, status: 'current', title: 'Evented v2', body: storageBody('<p>x</p>'), version: { number: 2 } } });
    expect(h.events).toHaveLength(2);
    const alexUser = {
      type: 'known',
      username: ALEX,
      accountId: ALEX,
      accountType: 'atlassian',
      email: ALEX,
      publicName: ALEX,
      profilePicture: { path: `/wiki/aa-avatar/${ALEX}`, width: 48, height: 48, isDefault: false },
      displayName: ALEX,
      isExternalCollaborator: false,
    };
    const space = { id: Number(h.spaceId), key: 'CONT', alias: 'CONT', name: 'Service Continuity', icon: { path: '/images/logo/default-space-logo-256.png', width: 48, height: 48, isDefault: false }, type: 'global', status: 'current' };
    expect(h.events[0]).toEqual({
      eventType: 'avi:confluence:created:page',
      payload: {
        eventType: 'avi:confluence:created:page',
        atlassianId: ALEX,
        eventCreatedDate: '2026-03-01T09:00:00.000Z',
        suppressNotifications: false,
        content: {
          id: c.body.id,
          type: 'page',
          status: 'current',
          title: 'Evented',
          space,
          history: { latest: true, createdBy: alexUser, ownedBy: alexUser, createdDate: '2026-03-01T09:00:00.000Z' },
          version: { by: alexUser, when: '2026-03-01T09:00:00.000Z', number: 1 },
        },
      },
    });
    const upd = h.events[1];
    expect(upd.eventType).toBe('avi:confluence:updated:page');
    expect(upd.payload).toMatchObject({
      eventType: 'avi:confluence:updated:page',
      atlassianId: APP_USER.accountId,
      eventCreatedDate: '2026-03-01T09:00:05.000Z',
      updateTrigger: 'edit_page',
      content: { id: c.body.id, title: 'Evented v2', status: 'current', space, version: { number: 2, when: '2026-03-01T09:00:05.000Z', by: { accountId: APP_USER.accountId, accountType: 'app' } } },
    });
  });

  it('keeps serving when an event subscriber throws', async () => {
    const svc = new ConfluenceService({ clock: { now: () => T0 }, siteUrl: 'http://x', onEvent: () => { throw new Error('subscriber down'); } });
    svc.seedBase();
    const spaceId = (await svc.handle({ method: 'GET', path: '/wiki/api/v2/spaces', query: new URLSearchParams(), headers: {}, body: undefined, principal: { kind: 'app' } })).body as any;
    const r = await svc.handle({ method: 'POST', path: '/wiki/api/v2/pages', query: new URLSearchParams(), headers: {}, body: { spaceId: spaceId.results[0].id, title: 'Still works', body: storageBody('<p>ok</p>') }, principal: { kind: 'app' } });
    expect(r.status).toBe(200);
  });
});

describe('Confluence emulator: page view rendering', () => {
  it('escapes script and event-handler payloads in storage pages', async () => {
    const h = await harness();
    const hostile =
      '<p>Hi <script>alert(1)</script><img src="x" onerror="alert(2)" /><a href="javascript:alert(3)">click</a> &lt;script&gt;alert(4)&lt;/script&gt;</p>' +
      '<p onclick="alert(5)" style="background:url(javascript:alert(6))">styled</p><iframe src="https://evil.example"></iframe><svg><script>alert(7)</script></svg>';
    const c = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Hostile', body: storageBody(hostile) } });
    expect(c.status).toBe(200);
    const html = h.svc.renderPageHtml(c.body.id);
    expect(html).toBe('<p>Hi <img src="x"><a>click</a> &lt;script&gt;alert(4)&lt;/script&gt;</p><p>styled</p>');
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|<svg|style=/i);
  });

  it('renders ADF with escaped text and a Forge macro placeholder', async () => {
    const h = await harness();
    const adf = doc(
      p(text('<img src=x onerror=alert(1)>')),
      extension({ extensionType: 'com.atlassian.ecosystem', extensionKey: 'app-id/env-id/static/plan-status', parameters: { guestParams: { planId: 'p-1' }, localId: 'm1' }, text: 'Plan status', localId: 'm1' }),
    );
    const c = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'ADF view', body: adfBody(adf) } });
    const html = h.svc.renderPageHtml(c.body.id);
    expect(html).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt;</p>' +
        '<div class="wb-forge-macro" data-forge-macro="app-id/env-id/static/plan-status" data-extension-key="app-id/env-id/static/plan-status" data-extension-type="com.atlassian.ecosystem" data-local-id="m1" ' +
        'data-parameters="{&quot;guestParams&quot;:{&quot;planId&quot;:&quot;p-1&quot;},&quot;localId&quot;:&quot;m1&quot;}"><span class="wb-macro-label">App macro: Plan status</span></div>',
    );
    const view = await h.call('GET', `/pages/${c.body.id}`, { query: 'body-format=view' });
    expect(view.body.body.view).toEqual({ representation: 'view', value: html });
    expect(h.svc.renderPageHtml('424242')).toBe('');
  });
});

describe('Confluence emulator: persistence', () => {
  it('survives a restart on the same file and keeps allocating fresh ids', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-confluence-'));
    const file = path.join(dir, 'confluence.json');
    try {
      const h1 = await harness({ file });
      const c = await h1.call('POST', '/pages', { body: { spaceId: h1.spaceId, title: 'Durable', body: storageBody('<p>d</p>') } });
      await h1.call('PUT', `/pages/${c.body.id}`, { body: { id: c.body.id, status: 'current', title: 'Durable', body: storageBody('<p>d2</p>'), version: { number: 2 } } });
      const prop = await h1.call('POST', `/pages/${c.body.id}/properties`, { body: { key: 'k', value: { a: 1 } } });
      expect(fs.existsSync(file)).toBe(true);

      const h2 = await harness({ file });
      expect(h2.spaceId).toBe(h1.spaceId);
      expect((await h2.call('GET', '/spaces')).body.results).toHaveLength(1);
      const got = await h2.call('GET', `/pages/${c.body.id}`, { query: 'body-format=storage' });
      expect(got.body).toMatchObject({ title: 'Durable', version: { number: 2 }, body: { storage: { value: '<p>d2</p>' } } });
      expect((await h2.call('GET', `/pages/${c.body.id}/properties/${prop.body.id}`)).body.value).toEqual({ a: 1 });
      const next = await h2.call('POST', '/pages', { body: { spaceId: h2.spaceId, title: 'After restart', body: storageBody('<p>n</p>') } });
      expect(Number(next.body.id)).toBeGreaterThan(Number(prop.body.id));

      h2.svc.reset();
      const h3 = new ConfluenceService({ file, clock: { now: () => T0 }, siteUrl: 'http://x' });
      expect(h3.page(c.body.id)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Confluence emulator: permitted operations', () => {
  it('answers read for everyone, update and delete for the app and people who may edit', async () => {
    const h = await harness();
    const ops = async (as?: { kind: 'app' } | { kind: 'user'; accountId: string }) => (await h.call('GET', `/pages/${h.homepageId}/operations`, as ? { as } : {})).body.operations.map((o: { operation: string; targetType: string }) => `${o.targetType}:${o.operation}`);
    expect(await ops({ kind: 'app' })).toEqual(['page:read', 'page:update', 'page:delete']);
    expect(await ops()).toEqual(['page:read', 'page:update', 'page:delete']);
    expect(await ops({ kind: 'user', accountId: VIC })).toEqual(['page:read']);
    expect((await h.call('GET', '/pages/999999/operations')).status).toBe(404);
  });
});
