/**
 * Contract: every endpoint of the local Jira answers in the shape Atlassian's OpenAPI document (Jira
 * platform v3) gives for that operation and status. Each case makes a real request through
 * `handle()` and validates the body against the documented response schema.
 */
import { contractErrors, openApiAvailable } from './openapi';
import { adf, APP, call, CASEY, createIssue, makeJira, VIEWER } from '../../workbench/products/jira/testing';
import type { JiraService } from '../../workbench/products/jira';

const available = openApiAvailable();
if (!available.ok) console.log(`Jira contract suite skipped: ${available.why}`);
const suite = available.ok ? describe : describe.skip;

const P = '/rest/api/3';

suite('Jira platform v3 contract (local Jira)', () => {
  let jira: JiraService;
  let fieldIds: { affectedServices: string; majorIncident: string };
  let commentId: string;
  let internalCommentId: string;

  /** Calls the service and checks status and schema in one go; returns the body. */
  async function check(method: string, template: string, path: string, status: number, body?: unknown, as = undefined as any): Promise<any> {
    const res = await call(jira, method, `${P}${path}`, body, as);
    expect({ path, status: res.status }).toEqual({ path, status });
    expect(contractErrors('jira', method, `${P}${template}`, status, res.body)).toEqual([]);
    return res.body;
  }

  beforeAll(async () => {
    ({ jira } = makeJira({ indexedProperties: [{ propertyKey: 'sc.invocation', values: [{ path: 'rtoMinutes', type: 'number', searchAlias: 'rtoMinutes' }] }] }));
    fieldIds = jira.fieldIds();
    const [payments] = jira.services();
    await createIssue(jira, {
      summary: 'Payments are down',
      description: adf('Card payments fail.'),
      priority: { name: 'Highest' },
      labels: ['p1'],
      components: [{ name: 'Payments' }],
      assignee: { accountId: CASEY.accountId },
      [fieldIds.affectedServices]: [{ id: payments.id }],
      [fieldIds.majorIncident]: 'MAJOR_INCIDENT',
    });
    await createIssue(jira, { summary: 'Portal slow' });
    await call(jira, 'PUT', `${P}/issue/OPS-1`, { fields: { summary: 'Payments are down (EU)' }, update: { labels: [{ add: 'eu' }] } });
    await call(jira, 'POST', `${P}/issue/OPS-1/transitions`, { transition: { id: '11' } });
    commentId = (await call(jira, 'POST', `${P}/issue/OPS-1/comment`, { body: adf('On it') })).body.id;
    internalCommentId = (await call(jira, 'POST', `${P}/issue/OPS-1/comment`, { body: adf('Plan invoked'), properties: [{ key: 'sd.public.comment', value: { internal: true } }] }, APP)).body.id;
    await call(jira, 'PUT', `${P}/issue/OPS-1/properties/sc.invocation`, { rtoMinutes: 60 });
  });

  it('GET /serverInfo', async () => {
    const body = await check('GET', '/serverInfo', '/serverInfo', 200);
    expect(body.deploymentType).toBe('Cloud');
  });

  it('GET /myself (user and app)', async () => {
    expect((await check('GET', '/myself', '/myself', 200)).accountType).toBe('atlassian');
    expect((await check('GET', '/myself', '/myself', 200, undefined, APP)).accountType).toBe('app');
  });

  it('GET /user', async () => {
    expect((await check('GET', '/user', `/user?accountId=${CASEY.accountId}`, 200)).displayName).toBe('Casey Continuity');
    await check('GET', '/user', '/user?accountId=nobody', 404);
  });

  it('GET /project, /project/search, /project/{projectIdOrKey}', async () => {
    expect((await check('GET', '/project', '/project', 200)).length).toBe(2);
    expect((await check('GET', '/project/search', '/project/search?maxResults=1', 200)).nextPage).toContain('startAt=1');
    expect((await check('GET', '/project/search', '/project/search?query=eng', 200)).values[0].key).toBe('ENG');
    expect((await check('GET', '/project/{projectIdOrKey}', '/project/OPS', 200)).issueTypes.length).toBe(4);
    await check('GET', '/project/{projectIdOrKey}', '/project/NOPE', 404);
  });

  it('GET /issuetype', async () => {
    expect((await check('GET', '/issuetype', '/issuetype', 200)).map((t: any) => t.name)).toEqual(['Incident', 'Service request', 'Task', 'Change']);
  });

  it('GET /issue/createmeta/{projectIdOrKey}/issuetypes[/{issueTypeId}]', async () => {
    expect((await check('GET', '/issue/createmeta/{projectIdOrKey}/issuetypes', '/issue/createmeta/OPS/issuetypes', 200)).total).toBe(4);
    const meta = await check('GET', '/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}', '/issue/createmeta/OPS/issuetypes/10004', 200);
    expect(meta.fields.map((f: any) => f.fieldId)).toContain(fieldIds.affectedServices);
    await check('GET', '/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}', '/issue/createmeta/ENG/issuetypes/10004', 400);
  });

  it('GET /priority and /priority/search', async () => {
    expect((await check('GET', '/priority', '/priority', 200)).length).toBe(5);
    expect((await check('GET', '/priority/search', '/priority/search?onlyDefault=true', 200)).values.map((p: any) => p.name)).toEqual(['Medium']);
  });

  it('GET /field and /status', async () => {
    expect((await check('GET', '/field', '/field', 200)).some((f: any) => f.id === fieldIds.majorIncident)).toBe(true);
    expect((await check('GET', '/status', '/status', 200)).map((s: any) => s.name)).toEqual(['Open', 'Work in progress', 'Resolved', 'Closed']);
  });

  it('POST /issue (201 and 400)', async () => {
    const created = await check('POST', '/issue', '/issue', 201, { fields: { project: { key: 'ENG' }, issuetype: { name: 'Task' }, summary: 'Contract' } });
    expect(created.key).toBe('ENG-1');
    const invalid = await check('POST', '/issue', '/issue', 400, { fields: { project: { key: 'OPS' } } });
    expect(invalid.errors.issuetype).toBe('Specify an issue type');
  });

  it('GET /issue/{issueIdOrKey} (all fields, selected fields, expansions, properties; 404)', async () => {
    const full = await check('GET', '/issue/{issueIdOrKey}', '/issue/OPS-1', 200);
    expect(full.fields.status.name).toBe('Work in progress');
    const some = await check('GET', '/issue/{issueIdOrKey}', '/issue/OPS-1?fields=summary,comment&properties=*all&expand=renderedFields,names,schema,changelog,transitions', 200);
    expect(some.properties['sc.invocation']).toEqual({ rtoMinutes: 60 });
    expect(some.changelog.total).toBe(2);
    expect(some.transitions.length).toBeGreaterThan(0);
    await check('GET', '/issue/{issueIdOrKey}', '/issue/OPS-404', 404);
  });

  it('PUT /issue/{issueIdOrKey} (204, returnIssue 200, 400, 403)', async () => {
    await check('PUT', '/issue/{issueIdOrKey}', '/issue/OPS-2', 204, { fields: { priority: { name: 'High' } } });
    const returned = await check('PUT', '/issue/{issueIdOrKey}', '/issue/OPS-2?returnIssue=true', 200, { update: { labels: [{ add: 'x' }] } });
    expect(returned.fields.labels).toEqual(['x']);
    await check('PUT', '/issue/{issueIdOrKey}', '/issue/OPS-2', 400, { fields: { summary: '' } });
    await check('PUT', '/issue/{issueIdOrKey}', '/issue/OPS-2', 403, { fields: { summary: 'x' } }, VIEWER);
  });

  it('GET /issue/{issueIdOrKey}/changelog', async () => {
    const page = await check('GET', '/issue/{issueIdOrKey}/changelog', '/issue/OPS-1/changelog', 200);
    expect(page.values[1].items[0]).toEqual({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '1', fromString: 'Open', to: '10001', toString: 'Work in progress' });
  });

  it('GET and POST /issue/{issueIdOrKey}/transitions', async () => {
    const list = await check('GET', '/issue/{issueIdOrKey}/transitions', '/issue/OPS-2/transitions', 200);
    expect(list.transitions.map((t: any) => t.id)).toEqual(['11', '21', '41']);
    await check('POST', '/issue/{issueIdOrKey}/transitions', '/issue/OPS-2/transitions', 204, { transition: { id: '21' } });
    await check('POST', '/issue/{issueIdOrKey}/transitions', '/issue/OPS-2/transitions', 400, { transition: { id: '21' } });
  });

  it('GET and POST /search/jql, POST /search/approximate-count', async () => {
    const ids = await check('GET', '/search/jql', `/search/jql?jql=${encodeURIComponent('project = OPS ORDER BY key')}&maxResults=1`, 200);
    expect(ids.issues).toEqual([{ id: '10000' }]);
    expect(typeof ids.nextPageToken).toBe('string');
    const full = await check('POST', '/search/jql', '/search/jql', 200, { jql: 'rtoMinutes >= 60', fields: ['*all'], properties: ['sc.invocation'], expand: 'names,schema,renderedFields' });
    expect(full.issues.map((i: any) => i.key)).toEqual(['OPS-1']);
    expect(full.isLast).toBe(true);
    await check('POST', '/search/jql', '/search/jql', 400, { jql: 'nonsense = 1' });
    expect((await check('POST', '/search/approximate-count', '/search/approximate-count', 200, { jql: 'project = OPS' })).count).toBe(2);
    await check('POST', '/search/approximate-count', '/search/approximate-count', 400, { jql: 'project = ' });
  });

  it('GET and POST /issue/{issueIdOrKey}/comment, GET /issue/{issueIdOrKey}/comment/{id}', async () => {
    const list = await check('GET', '/issue/{issueIdOrKey}/comment', '/issue/OPS-1/comment?expand=renderedBody,properties', 200);
    expect(list.comments.map((c: any) => c.jsdPublic)).toEqual([true, false]);
    const added = await check('POST', '/issue/{issueIdOrKey}/comment', '/issue/OPS-2/comment', 201, { body: adf('Contract comment') });
    expect(added.body).toEqual(adf('Contract comment'));
    await check('POST', '/issue/{issueIdOrKey}/comment', '/issue/OPS-2/comment', 400, { body: 'not adf' });
    expect((await check('GET', '/issue/{issueIdOrKey}/comment/{id}', `/issue/OPS-1/comment/${commentId}`, 200)).id).toBe(commentId);
    await check('GET', '/issue/{issueIdOrKey}/comment/{id}', '/issue/OPS-1/comment/1', 404);
  });

  it('comment properties: GET list, GET, PUT, DELETE /comment/{commentId}/properties[/{propertyKey}]', async () => {
    expect((await check('GET', '/comment/{commentId}/properties', `/comment/${internalCommentId}/properties`, 200)).keys[0].key).toBe('sd.public.comment');
    expect((await check('GET', '/comment/{commentId}/properties/{propertyKey}', `/comment/${internalCommentId}/properties/sd.public.comment`, 200)).value).toEqual({ internal: true });
    await check('PUT', '/comment/{commentId}/properties/{propertyKey}', `/comment/${commentId}/properties/sd.public.comment`, 201, { internal: true });
    await check('PUT', '/comment/{commentId}/properties/{propertyKey}', `/comment/${commentId}/properties/sd.public.comment`, 200, { internal: false });
    await check('DELETE', '/comment/{commentId}/properties/{propertyKey}', `/comment/${commentId}/properties/sd.public.comment`, 204);
  });

  it('issue properties: GET list, GET, PUT (201/200/400), DELETE', async () => {
    expect((await check('GET', '/issue/{issueIdOrKey}/properties', '/issue/OPS-1/properties', 200)).keys.map((k: any) => k.key)).toEqual(['sc.invocation']);
    expect((await check('GET', '/issue/{issueIdOrKey}/properties/{propertyKey}', '/issue/OPS-1/properties/sc.invocation', 200)).value).toEqual({ rtoMinutes: 60 });
    await check('PUT', '/issue/{issueIdOrKey}/properties/{propertyKey}', '/issue/OPS-2/properties/p', 201, { a: 1 });
    await check('PUT', '/issue/{issueIdOrKey}/properties/{propertyKey}', '/issue/OPS-2/properties/p', 200, { a: 2 });
    await check('PUT', '/issue/{issueIdOrKey}/properties/{propertyKey}', '/issue/OPS-2/properties/p', 400, { big: 'x'.repeat(40_000) });
    await check('DELETE', '/issue/{issueIdOrKey}/properties/{propertyKey}', '/issue/OPS-2/properties/p', 204);
    await check('GET', '/issue/{issueIdOrKey}/properties/{propertyKey}', '/issue/OPS-2/properties/p', 404);
  });

  it('remote links: POST (201/200), GET list/by globalId/by id, PUT, DELETE by id and by globalId', async () => {
    const link = { globalId: 'confluence-page=42', relationship: 'Continuity plan', application: { type: 'com.atlassian.confluence', name: 'Confluence' }, object: { url: 'http://localhost:4411/wiki/pages/42', title: 'Payments plan' } };
    const created = await check('POST', '/issue/{issueIdOrKey}/remotelink', '/issue/OPS-1/remotelink', 201, link);
    const updated = await check('POST', '/issue/{issueIdOrKey}/remotelink', '/issue/OPS-1/remotelink', 200, { ...link, object: { ...link.object, title: 'Payments plan v2' } });
    expect(updated.id).toBe(created.id);
    await check('POST', '/issue/{issueIdOrKey}/remotelink', '/issue/OPS-1/remotelink', 400, { object: {} });
    // With `globalId` Jira answers one RemoteIssueLink, which is the schema the document gives.
    expect((await check('GET', '/issue/{issueIdOrKey}/remotelink', '/issue/OPS-1/remotelink?globalId=confluence-page%3D42', 200)).object.title).toBe('Payments plan v2');
    // Without it Jira answers an array of them, while the document declares the single object: each element is checked.
    const list = await call(jira, 'GET', `${P}/issue/OPS-1/remotelink`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    for (const item of list.body) expect(contractErrors('jira', 'GET', `${P}/issue/{issueIdOrKey}/remotelink`, 200, item)).toEqual([]);
    expect((await check('GET', '/issue/{issueIdOrKey}/remotelink/{linkId}', `/issue/OPS-1/remotelink/${created.id}`, 200)).globalId).toBe('confluence-page=42');
    await check('PUT', '/issue/{issueIdOrKey}/remotelink/{linkId}', `/issue/OPS-1/remotelink/${created.id}`, 204, link);
    await check('DELETE', '/issue/{issueIdOrKey}/remotelink/{linkId}', `/issue/OPS-1/remotelink/${created.id}`, 204);
    await check('DELETE', '/issue/{issueIdOrKey}/remotelink/{linkId}', `/issue/OPS-1/remotelink/${created.id}`, 404);
    await check('POST', '/issue/{issueIdOrKey}/remotelink', '/issue/OPS-1/remotelink', 201, link);
    await check('DELETE', '/issue/{issueIdOrKey}/remotelink', '/issue/OPS-1/remotelink?globalId=confluence-page%3D42', 204);
  });

  it('GET /mypermissions', async () => {
    const body = await check('GET', '/mypermissions', '/mypermissions?issueKey=OPS-1&permissions=BROWSE_PROJECTS,EDIT_ISSUES,ADD_COMMENTS,ADMINISTER', 200, undefined, VIEWER);
    expect(body.permissions.EDIT_ISSUES.havePermission).toBe(false);
    expect(body.permissions.BROWSE_PROJECTS.havePermission).toBe(true);
    await check('GET', '/mypermissions', '/mypermissions', 400);
    await check('GET', '/mypermissions', '/mypermissions?permissions=EDIT_ISSUES&issueKey=OPS-404', 404);
  });
});
