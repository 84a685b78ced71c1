/**
 * Every Confluence v2 endpoint the workbench serves, checked against Atlassian's published OpenAPI document
 * (../shared/atlassian-openapi/confluence-v2.json): a real request through `handle()`, then the response body
 * (as it goes over the wire) validated against the documented schema for that status.
 */
import { doc, p, text, extension } from '@atlaskit/adf-utils/builders';

import { contractErrors, openApiAvailable } from './openapi';
import { adfBody, ALEX, harness, storageBody, VIC, type Harness } from '../../workbench/products/confluence/test-helpers';

const available = openApiAvailable();
if (!available.ok) console.log(`Confluence contract tests skipped: ${available.why}`);
const suite = available.ok ? describe : describe.skip;

const V2 = '/wiki/api/v2';
const wire = (body: unknown) => (body === undefined ? undefined : JSON.parse(JSON.stringify(body)));

suite('Confluence REST v2 contract (Atlassian OpenAPI)', () => {
  let h: Harness;
  let pageId: string;
  let adfPageId: string;
  let childId: string;

  /** Sends the request, asserts the status and the schema for it, and returns the body. */
  async function check(method: string, template: string, path: string, status: number, opts: Parameters<Harness['call']>[2] = {}) {
    const res = await h.call(method, path, opts);
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    expect(contractErrors('confluence', method, `${V2}${template}`, status, wire(res.body))).toEqual([]);
    return res.body;
  }

  beforeAll(async () => {
    h = await harness();
    const created = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Contract plan', body: storageBody('<p>Plan <strong>body</strong></p>') } });
    pageId = created.body.id;
    const child = await h.call('POST', '/pages', { body: { spaceId: h.spaceId, parentId: pageId, title: 'Contract child', body: storageBody('<p>child</p>') } });
    childId = child.body.id;
    const adf = doc(p(text('ADF body')), extension({ extensionType: 'com.atlassian.ecosystem', extensionKey: 'app/env/static/plan-status', parameters: { guestParams: { planId: 'p1' } } }));
    adfPageId = (await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Contract ADF plan', body: adfBody(adf) } })).body.id;
    await h.call('POST', `/wiki/rest/api/content/${pageId}/label`, { body: [{ prefix: 'global', name: 'continuity-plan' }] });
    for (let i = 0; i < 4; i++) await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: `Filler ${i}`, body: storageBody(`<p>${i}</p>`) } });
  });

  it('the validator is not vacuous: it rejects a body that breaks the documented schema', () => {
    expect(contractErrors('confluence', 'GET', `${V2}/pages/{id}`, 200, { id: 1, status: 'bogus', version: { number: 'one' } })).toHaveLength(3);
    expect(contractErrors('confluence', 'GET', `${V2}/spaces`, 200, { results: [{ createdAt: 'yesterday' }] })).toEqual([
      '/results/0/createdAt must match format "date-time" {"format":"date-time"}',
    ]);
  });

  it('GET /spaces (with keys, ids, paging and the optional description/icon)', async () => {
    const all = await check('GET', '/spaces', '/spaces', 200, { query: 'description-format=plain&include-icon=true' });
    expect(all.results.map((s: any) => s.key)).toEqual(['CONT']);
    expect(all.results[0].description.plain.value).toMatch(/Continuity/);
    const byKey = await check('GET', '/spaces', '/spaces', 200, { query: 'keys=CONT&limit=1' });
    expect(byKey.results).toHaveLength(1);
    const byId = await check('GET', '/spaces', '/spaces', 200, { query: `ids=${h.spaceId}` });
    expect(byId.results[0].id).toBe(h.spaceId);
    await check('GET', '/spaces', '/spaces', 400, { query: 'sort=bogus' });
  });

  it('GET /spaces/{id}', async () => {
    const space = await check('GET', '/spaces/{id}', `/spaces/${h.spaceId}`, 200, { query: 'description-format=view' });
    expect(space).toMatchObject({ id: h.spaceId, key: 'CONT', _links: { base: 'http://localhost:8080/wiki' } });
    await check('GET', '/spaces/{id}', '/spaces/987654', 404);
  });

  it('GET /spaces/{id}/pages (paged, with bodies)', async () => {
    const first = await check('GET', '/spaces/{id}/pages', `/spaces/${h.spaceId}/pages`, 200, { query: 'limit=3&body-format=storage' });
    expect(first.results).toHaveLength(3);
    expect(first._links.next).toMatch(/^\/wiki\/api\/v2\/spaces\/\d+\/pages\?/);
    const second = await check('GET', '/spaces/{id}/pages', `/spaces/${h.spaceId}/pages`, 200, { query: first._links.next.split('?')[1] });
    expect(second.results[0].id).not.toBe(first.results[0].id);
    const adf = await check('GET', '/spaces/{id}/pages', `/spaces/${h.spaceId}/pages`, 200, { query: 'body-format=atlas_doc_format&depth=root' });
    expect(adf.results[0].body.atlas_doc_format.representation).toBe('atlas_doc_format');
    await check('GET', '/spaces/{id}/pages', '/spaces/987654/pages', 404);
  });

  it('POST /pages (200, 400, 404, 413)', async () => {
    const created = await check('POST', '/pages', '/pages', 200, { body: { spaceId: h.spaceId, status: 'current', title: 'Contract created', body: storageBody('<p>new</p>') } });
    expect(created.version.number).toBe(1);
    const draft = await check('POST', '/pages', '/pages', 200, { body: { spaceId: h.spaceId, status: 'draft', body: storageBody('<p>draft</p>') } });
    expect(draft.status).toBe('draft');
    await check('POST', '/pages', '/pages', 400, { body: { spaceId: h.spaceId, title: 'Contract created', body: storageBody('<p>dup</p>') } });
    await check('POST', '/pages', '/pages', 404, { body: { spaceId: '999999', title: 'Nowhere' } });
    await check('POST', '/pages', '/pages', 413, { body: { spaceId: h.spaceId, title: 'Huge', body: storageBody(`<p>${'x'.repeat(5 * 1024 * 1024)}</p>`) } });
  });

  it('GET /pages (filters, paging, both body formats)', async () => {
    const page1 = await check('GET', '/pages', '/pages', 200, { query: `space-id=${h.spaceId}&limit=2&body-format=storage` });
    expect(page1._links.next).toBeDefined();
    await check('GET', '/pages', '/pages', 200, { query: page1._links.next.split('?')[1] });
    const byTitle = await check('GET', '/pages', '/pages', 200, { query: 'title=Contract ADF plan&body-format=atlas_doc_format' });
    expect(byTitle.results.map((x: any) => x.id)).toEqual([adfPageId]);
    const drafts = await check('GET', '/pages', '/pages', 200, { query: 'status=draft' });
    expect(drafts.results.every((x: any) => x.status === 'draft')).toBe(true);
    await check('GET', '/pages', '/pages', 400, { query: 'body-format=wiki' });
  });

  it('GET /pages/{id} in every representation and with the include options', async () => {
    const storage = await check('GET', '/pages/{id}', `/pages/${pageId}`, 200, { query: 'body-format=storage' });
    expect(storage.body.storage.value).toBe('<p>Plan <strong>body</strong></p>');
    const asAdf = await check('GET', '/pages/{id}', `/pages/${pageId}`, 200, { query: 'body-format=atlas_doc_format' });
    expect(JSON.parse(asAdf.body.atlas_doc_format.value).type).toBe('doc');
    const adfAsStorage = await check('GET', '/pages/{id}', `/pages/${adfPageId}`, 200, { query: 'body-format=storage' });
    expect(adfAsStorage.body.storage.value).toContain('<ac:adf-extension>');
    const view = await check('GET', '/pages/{id}', `/pages/${adfPageId}`, 200, { query: 'body-format=view' });
    expect(view.body.view.value).toContain('data-forge-macro="app/env/static/plan-status"');
    const withAll = await check('GET', '/pages/{id}', `/pages/${pageId}`, 200, {
      query: 'include-labels=true&include-properties=true&include-versions=true&include-operations=true&include-favorited-by-current-user-status=true',
    });
    expect(withAll.labels.results.map((l: any) => l.name)).toEqual(['continuity-plan']);
    expect(withAll.operations.results).toHaveLength(3);
    await check('GET', '/pages/{id}', '/pages/987654321', 404);
    await check('GET', '/pages/{id}', '/pages/not-a-number', 400);
  });

  it('PUT /pages/{id} (200 and 400, 404; a stale version is a 409 in the v2 error shape)', async () => {
    const current = (await h.call('GET', `/pages/${pageId}`)).body.version.number;
    const updated = await check('PUT', '/pages/{id}', `/pages/${pageId}`, 200, {
      body: { id: pageId, status: 'current', title: 'Contract plan', body: storageBody('<p>Plan v2</p>'), version: { number: current + 1, message: 'contract' } },
    });
    expect(updated.version.number).toBe(current + 1);
    const toAdf = await check('PUT', '/pages/{id}', `/pages/${pageId}`, 200, {
      body: { id: pageId, status: 'current', title: 'Contract plan', body: adfBody(doc(p(text('Plan v3')))), version: { number: current + 2 } },
    });
    expect(toAdf.body.atlas_doc_format.representation).toBe('atlas_doc_format');
    await check('PUT', '/pages/{id}', `/pages/${pageId}`, 400, { body: { id: pageId, status: 'current', title: 'Contract plan', version: { number: current + 3 } } });
    await check('PUT', '/pages/{id}', '/pages/987654321', 404, { body: { id: '987654321', status: 'current', title: 'x', body: storageBody('<p/>'), version: { number: 2 } } });
    // 409 is not in the OpenAPI document for this operation; Confluence answers it with the common v2 error shape.
    const stale = await h.call('PUT', `/pages/${pageId}`, { body: { id: pageId, status: 'current', title: 'Contract plan', body: storageBody('<p>stale</p>'), version: { number: current + 1 } } });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ errors: [{ status: 409, code: 'CONFLICT', title: `Version must be incremented on update. Current version is: ${current + 2}`, detail: null }] });
  });

  it('GET /pages/{id}/versions', async () => {
    const versions = await check('GET', '/pages/{id}/versions', `/pages/${pageId}/versions`, 200, { query: 'body-format=storage' });
    expect(versions.results[0].number).toBeGreaterThan(versions.results[versions.results.length - 1].number);
    const paged = await check('GET', '/pages/{id}/versions', `/pages/${pageId}/versions`, 200, { query: 'limit=1&sort=modified-date' });
    expect(paged.results[0].number).toBe(1);
    expect(paged._links.next).toBeDefined();
    await check('GET', '/pages/{id}/versions', '/pages/987654321/versions', 404);
  });

  it('GET /pages/{id}/children', async () => {
    const children = await check('GET', '/pages/{id}/children', `/pages/${pageId}/children`, 200);
    expect(children.results).toEqual([{ id: childId, status: 'current', title: 'Contract child', spaceId: h.spaceId, childPosition: 0 }]);
    await check('GET', '/pages/{id}/children', `/pages/${h.homepageId}/children`, 200, { query: 'limit=2' });
    await check('GET', '/pages/{id}/children', '/pages/x1/children', 400);
  });

  it('GET /pages/{id}/labels', async () => {
    const labels = await check('GET', '/pages/{id}/labels', `/pages/${pageId}/labels`, 200);
    expect(labels.results.map((l: any) => [l.name, l.prefix])).toEqual([['continuity-plan', 'global']]);
    await check('GET', '/pages/{id}/labels', `/pages/${pageId}/labels`, 200, { query: 'prefix=global&sort=-name' });
    await check('GET', '/pages/{id}/labels', '/pages/987654321/labels', 404);
  });

  it('page content properties: GET/POST list, GET/PUT/DELETE one', async () => {
    const base = `/pages/${pageId}/properties`;
    const created = await check('POST', '/pages/{page-id}/properties', base, 200, { body: { key: 'continuity.plan', value: { serviceId: 's-1', tier: 1, reviewed: true, steps: ['a', 'b'] } } });
    expect(created.version.number).toBe(1);
    await check('POST', '/pages/{page-id}/properties', base, 200, { body: { key: 'scalar', value: 42 } });
    await check('POST', '/pages/{page-id}/properties', base, 400, { body: { value: 1 } });
    await check('POST', '/pages/{page-id}/properties', '/pages/987654321/properties', 404, { body: { key: 'k', value: 1 } });

    const list = await check('GET', '/pages/{page-id}/properties', base, 200);
    expect(list.results.map((x: any) => x.key)).toEqual(['continuity.plan', 'scalar']);
    const byKey = await check('GET', '/pages/{page-id}/properties', base, 200, { query: 'key=scalar' });
    expect(byKey.results[0].value).toBe(42);
    await check('GET', '/pages/{page-id}/properties', base, 200, { query: 'limit=1&sort=-key' });
    await check('GET', '/pages/{page-id}/properties', '/pages/987654321/properties', 404);

    const one = await check('GET', '/pages/{page-id}/properties/{property-id}', `${base}/${created.id}`, 200);
    expect(one.value).toEqual({ serviceId: 's-1', tier: 1, reviewed: true, steps: ['a', 'b'] });
    await check('GET', '/pages/{page-id}/properties/{property-id}', `${base}/987654321`, 404);

    const updated = await check('PUT', '/pages/{page-id}/properties/{property-id}', `${base}/${created.id}`, 200, { body: { key: 'continuity.plan', value: { tier: 2 }, version: { number: 2 } } });
    expect(updated.version.number).toBe(2);
    await check('PUT', '/pages/{page-id}/properties/{property-id}', `${base}/${created.id}`, 400, { body: { key: 'continuity.plan', value: 1 } });
    await check('PUT', '/pages/{page-id}/properties/{property-id}', `${base}/987654321`, 404, { body: { key: 'k', value: 1, version: { number: 2 } } });

    const deleted = await h.call('DELETE', `${base}/${created.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect(contractErrors('confluence', 'DELETE', `${V2}/pages/{page-id}/properties/{property-id}`, 204, undefined)).toEqual([]);
    await check('DELETE', '/pages/{page-id}/properties/{property-id}', `${base}/${created.id}`, 404);
  });

  it('GET /pages/{id}/operations, footer comments (POST 201, GET) and POST /users-bulk', async () => {
    const ops = await check('GET', '/pages/{id}/operations', `/pages/${pageId}/operations`, 200);
    expect(ops.operations.map((o: any) => o.operation)).toEqual(['read', 'update', 'delete']);
    const forVic = await check('GET', '/pages/{id}/operations', `/pages/${pageId}/operations`, 200, { as: { kind: 'user', accountId: VIC } });
    expect(forVic.operations.map((o: any) => o.operation)).toEqual(['read']);
    await check('GET', '/pages/{id}/operations', '/pages/99999999/operations', 404);
    const first = await check('POST', '/footer-comments', '/footer-comments', 201, { body: { pageId, body: adfBody(doc(p(text('First comment')))) } });
    const second = await check('POST', '/footer-comments', '/footer-comments', 201, { body: { pageId, body: storageBody('<p>Second comment</p>') } });
    const newest = await check('GET', '/pages/{id}/footer-comments', `/pages/${pageId}/footer-comments`, 200, { query: 'body-format=atlas_doc_format&sort=-created-date' });
    expect(newest.results.map((c: any) => c.id)).toEqual([second.id, first.id]);
    expect(JSON.parse(newest.results[1].body.atlas_doc_format.value)).toEqual(doc(p(text('First comment'))));
    await check('GET', '/pages/{id}/footer-comments', '/pages/99999999/footer-comments', 404);
    await check('POST', '/footer-comments', '/footer-comments', 400, { body: { pageId, body: { representation: 'atlas_doc_format', value: 'not json' } } });
    const users = await check('POST', '/users-bulk', '/users-bulk', 200, { body: { accountIds: [ALEX, 'unknown-account'] } });
    expect(users.results.map((u: any) => [u.accountId, u.displayName])).toEqual([[ALEX, 'Alex Agent']]);
  });

  it('DELETE /pages/{id} (204, then 404 once purged)', async () => {
    const victim = (await h.call('POST', '/pages', { body: { spaceId: h.spaceId, title: 'Contract victim', body: storageBody('<p>bye</p>') } })).body.id;
    const trashed = await h.call('DELETE', `/pages/${victim}`);
    expect(trashed.status).toBe(204);
    expect(contractErrors('confluence', 'DELETE', `${V2}/pages/{id}`, 204, undefined)).toEqual([]);
    expect((await h.call('DELETE', `/pages/${victim}`, { query: 'purge=true' })).status).toBe(204);
    await check('DELETE', '/pages/{id}', `/pages/${victim}`, 404);
    await check('DELETE', '/pages/{id}', '/pages/abc', 400);
  });
});
