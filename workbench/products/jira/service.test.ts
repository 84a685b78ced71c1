import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JiraService } from './service';
import { MAJOR_INCIDENT_TYPE, AFFECTED_SERVICES_TYPE, REQUEST_TYPE_TYPE } from './seed';
import { adf, AGENT, APP, call, CASEY, createIssue, makeJira, SITE_URL, TestClock, VIEWER } from './testing';

describe('seed and metadata', () => {
  it('seeds projects, priorities, statuses, fields and services once', async () => {
    const { jira } = makeJira();
    jira.seedBase(); // idempotent
    const projects = await call(jira, 'GET', '/rest/api/3/project');
    expect(projects.body.map((p: any) => [p.id, p.key, p.name, p.projectTypeKey])).toEqual([
      ['10000', 'OPS', 'IT Operations', 'service_desk'],
      ['10001', 'ENG', 'Engineering', 'software'],
    ]);
    const priorities = await call(jira, 'GET', '/rest/api/3/priority');
    expect(priorities.body.map((p: any) => `${p.id}:${p.name}`)).toEqual(['1:Highest', '2:High', '3:Medium', '4:Low', '5:Lowest']);
    expect(priorities.body[0].statusColor).toBe('#d04437');
    const { affectedServices, majorIncident } = jira.fieldIds();
    expect(affectedServices).toMatch(/^customfield_100\d\d$/);
    expect(majorIncident).toMatch(/^customfield_10\d\d\d$/);
    expect(majorIncident).not.toBe(affectedServices);
    const fields = await call(jira, 'GET', '/rest/api/3/field');
    const services = fields.body.find((f: any) => f.id === affectedServices);
    expect(services.name).toBe('Affected services');
    expect(services.schema).toEqual({ type: 'array', items: 'service-entity-field-cftype', custom: AFFECTED_SERVICES_TYPE, customId: Number(affectedServices.slice(12)) });
    expect(services.clauseNames).toEqual([`cf[${affectedServices.slice(12)}]`, 'Affected services']);
    expect(fields.body.find((f: any) => f.id === majorIncident).schema.custom).toBe(MAJOR_INCIDENT_TYPE);
    expect(jira.services().map((s) => s.name)).toEqual(['Payments', 'Customer portal', 'Reporting']);
    const ops = await call(jira, 'GET', '/rest/api/3/project/OPS');
    expect(ops.body.components.map((c: any) => c.name)).toEqual(['Payments', 'Customer portal', 'Reporting']);
    expect(ops.body.self).toBe(`${SITE_URL}/rest/api/3/project/10000`);
  });

  it('finds groups by name, case aside: every group a person or the app is in', async () => {
    const { jira } = makeJira();
    const found = await call(jira, 'GET', '/rest/api/3/group/bulk?groupName=Continuity-Managers&groupName=nope', undefined, APP);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ startAt: 0, total: 1, isLast: true, values: [{ name: 'continuity-managers', groupId: expect.stringMatching(/^00000000-0000-4000-8000-/) }] });
    const all = await call(jira, 'GET', '/rest/api/3/group/bulk', undefined, APP);
    expect(all.body.values.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['atlassian-addons-admin', 'continuity-managers', 'jira-administrators']));
  });

  it('answers myself per principal, and 401 for an unknown account', async () => {
    const { jira } = makeJira();
    expect((await call(jira, 'GET', '/rest/api/3/myself')).body.displayName).toBe('Alex Agent');
    const app = await call(jira, 'GET', '/rest/api/3/myself', undefined, APP);
    expect(app.body.accountType).toBe('app');
    expect(app.body.accountId).toBe(APP.accountId);
    const res = await jira.handle({ method: 'GET', path: '/rest/api/3/myself', query: new URLSearchParams(), headers: {}, body: undefined, principal: { kind: 'user', accountId: 'nobody' } });
    expect(res.status).toBe(401);
  });

  it('lists create metadata for a project and issue type', async () => {
    const { jira } = makeJira();
    const types = await call(jira, 'GET', '/rest/api/3/issue/createmeta/OPS/issuetypes');
    expect(types.body.issueTypes.map((t: any) => t.name)).toEqual(['Incident', 'Service request', 'Task', 'Change']);
    const fields = await call(jira, 'GET', '/rest/api/3/issue/createmeta/OPS/issuetypes/10004');
    const byId = Object.fromEntries(fields.body.fields.map((f: any) => [f.fieldId, f]));
    expect(byId.summary.required).toBe(true);
    expect(byId.priority.defaultValue.name).toBe('Medium');
    expect(byId[jira.fieldIds().affectedServices].operations).toEqual(['add', 'set', 'remove']);
    const eng = await call(jira, 'GET', '/rest/api/3/issue/createmeta/ENG/issuetypes/10002');
    expect(eng.body.fields.some((f: any) => f.fieldId === jira.fieldIds().affectedServices)).toBe(false);
    expect((await call(jira, 'GET', '/rest/api/3/issue/createmeta/ENG/issuetypes/10004')).status).toBe(400);
  });
});

describe('issues', () => {
  it('creates an issue with custom fields, emits avi:jira:created:issue, and reads it back', async () => {
    const { jira, events } = makeJira();
    const { affectedServices, majorIncident } = jira.fieldIds();
    const payments = jira.services()[0];
    const res = await call(jira, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'OPS' },
        issuetype: { name: 'Incident' },
        summary: 'Payments are down',
        description: adf('Card payments fail with 502.'),
        priority: { id: '1' },
        labels: ['p1', 'payments'],
        components: [{ name: 'Payments' }],
        [affectedServices]: [{ id: payments.id }],
        [majorIncident]: 'MAJOR_INCIDENT',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: '10000', key: 'OPS-1', self: `${SITE_URL}/rest/api/3/issue/10000` });

    expect(events).toHaveLength(1);
    expect(events[0].eventType).toBe('avi:jira:created:issue');
    const payload = events[0].payload as any;
    expect(payload.issue.id).toBe('10000');
    expect(payload.issue.key).toBe('OPS-1');
    expect(payload.issue.fields.summary).toBe('Payments are down');
    expect(payload.issue.fields.issuetype.name).toBe('Incident');
    expect(payload.issue.fields.project.key).toBe('OPS');
    expect(payload.issue.fields.status.name).toBe('Open');
    expect(payload.issue.fields.reporter).toEqual({ accountId: AGENT.accountId });
    expect(payload.issue.fields.assignee).toBeNull();
    expect(payload.issue.fields.creator).toEqual({ accountId: AGENT.accountId });
    expect(payload.issue.fields.created).toBe('2026-11-22T03:13:43.000+0000');
    expect(payload.atlassianId).toBe(AGENT.accountId);
    expect(payload.associatedUsers).toEqual([{ accountId: AGENT.accountId }]);

    const got = await call(jira, 'GET', '/rest/api/3/issue/OPS-1?expand=renderedFields,names');
    expect(got.status).toBe(200);
    expect(got.body.key).toBe('OPS-1');
    expect(got.body.fields.priority.name).toBe('Highest');
    expect(got.body.fields.labels).toEqual(['p1', 'payments']);
    expect(got.body.fields.components.map((c: any) => c.name)).toEqual(['Payments']);
    expect(got.body.fields[affectedServices]).toEqual([{ id: payments.id, name: 'Payments' }]);
    expect(got.body.fields[majorIncident]).toBe('MAJOR_INCIDENT');
    expect(got.body.fields.created).toBe('2026-11-22T03:13:43.000+0000');
    expect(got.body.names.summary).toBe('Summary');
    expect(got.body.renderedFields.description).toBe('<p>Card payments fail with 502.</p>');
    const byId = await call(jira, 'GET', '/rest/api/3/issue/10000?fields=summary,priority');
    expect(Object.keys(byId.body.fields).sort()).toEqual(['priority', 'summary']);
  });

  it('validates create: project, issue type, summary, priority, custom fields', async () => {
    const { jira, events } = makeJira();
    const { affectedServices, majorIncident } = jira.fieldIds();
    const empty = await call(jira, 'POST', '/rest/api/3/issue', { fields: {} });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({
      errorMessages: [],
      errors: { project: 'Specify a valid project ID or key', issuetype: 'Specify an issue type', summary: 'You must specify a summary of the issue.' },
    });
    const bad = await call(jira, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'OPS' }, issuetype: { id: '10004' }, summary: 'x', priority: { name: 'Urgent' }, [affectedServices]: [{ id: 'nope' }], [majorIncident]: true, foo: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({
      priority: 'The priority selected is invalid.',
      [affectedServices]: "The service with id 'nope' does not exist.",
      [majorIncident]: "The value of 'Major incident' must be 'MAJOR_INCIDENT' or null.",
      foo: "Field 'foo' cannot be set. It is not on the appropriate screen, or unknown.",
    });
    const wrongType = await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ENG' }, issuetype: { name: 'Incident' }, summary: 'x' } });
    expect(wrongType.body.errors).toEqual({ issuetype: 'Specify a valid issue type' });
    const jsmFieldOnEng = await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ENG' }, issuetype: { name: 'Task' }, summary: 'x', [majorIncident]: null } });
    expect(jsmFieldOnEng.body.errors[majorIncident]).toMatch(/cannot be set/);
    const malformed = await call(jira, 'POST', '/rest/api/3/issue', '{"fields": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errorMessages).toEqual(['Invalid request payload. Refer to the REST API documentation and try again.']);
    const viewer = await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'x' } }, VIEWER);
    expect(viewer.status).toBe(400);
    expect(viewer.body.errorMessages).toEqual(['You do not have permission to create issues in this project.']);
    expect(events).toHaveLength(0);
    expect((await call(jira, 'POST', '/rest/api/3/search/approximate-count', { jql: 'project = OPS' })).body.count).toBe(0);
  });

  it('edits fields and update operations, records the changelog and emits avi:jira:updated:issue', async () => {
    const { jira, events, clock } = makeJira();
    const { affectedServices } = jira.fieldIds();
    const [payments, portal] = jira.services();
    await createIssue(jira, { summary: 'Slow portal', labels: ['a'], [affectedServices]: [{ id: payments.id }] });
    clock.advance(60_000);
    const res = await call(jira, 'PUT', '/rest/api/3/issue/OPS-1', {
      fields: { summary: 'Portal is down', priority: { name: 'High' }, assignee: { accountId: CASEY.accountId } },
      update: { labels: [{ add: 'b' }, { remove: 'a' }], [affectedServices]: [{ add: { id: portal.id } }] },
    });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();

    const changelog = await call(jira, 'GET', '/rest/api/3/issue/OPS-1/changelog');
    expect(changelog.body.total).toBe(1);
    const entry = changelog.body.values[0];
    expect(entry.author.accountId).toBe(AGENT.accountId);
    expect(entry.created).toBe('2026-11-22T03:14:43.000+0000');
    expect(entry.items).toEqual([
      { field: 'summary', fieldtype: 'jira', fieldId: 'summary', fromString: 'Slow portal', toString: 'Portal is down' },
      { field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' },
      { field: 'labels', fieldtype: 'jira', fieldId: 'labels', fromString: 'a', toString: 'b' },
      { field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', to: CASEY.accountId, toString: 'Casey Continuity' },
      { field: 'Affected services', fieldtype: 'custom', fieldId: affectedServices, from: payments.id, fromString: 'Payments', to: `${payments.id},${portal.id}`, toString: 'Payments, Customer portal' },
    ]);

    const updated = events.filter((e) => e.eventType === 'avi:jira:updated:issue');
    expect(updated).toHaveLength(1);
    const p = updated[0].payload as any;
    expect(p.issue.key).toBe('OPS-1');
    expect(p.issue.fields.summary).toBe('Portal is down');
    expect(p.issue.fields.updated).toBe('2026-11-22T03:14:43.000+0000');
    expect(p.changelog.id).toBe(entry.id);
    expect(p.changelog.items[3]).toEqual({ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, fromString: null, to: CASEY.accountId, toString: 'Casey Continuity' });

    const got = await call(jira, 'GET', '/rest/api/3/issue/OPS-1');
    expect(got.body.fields.updated).toBe('2026-11-22T03:14:43.000+0000');
    expect(got.body.fields.assignee.displayName).toBe('Casey Continuity');

    // A no-op edit changes nothing and emits nothing.
    const before = events.length;
    expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-1', { fields: { summary: 'Portal is down' } })).status).toBe(204);
    expect(events.length).toBe(before);

    // Invalid edits are refused whole.
    const bad = await call(jira, 'PUT', '/rest/api/3/issue/OPS-1', { fields: { summary: 'New', status: { id: '5' }, labels: ['has space'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({ status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.", labels: "The label 'has space' contains spaces which is invalid." });
    expect((await call(jira, 'GET', '/rest/api/3/issue/OPS-1?fields=summary')).body.fields.summary).toBe('Portal is down');
    expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-1', { fields: { summary: 'x' } }, VIEWER)).status).toBe(403);
  });

  it('lists and performs workflow transitions with resolution', async () => {
    const { jira, events } = makeJira();
    await createIssue(jira, { summary: 'Outage' });
    const list = await call(jira, 'GET', '/rest/api/3/issue/OPS-1/transitions');
    expect(list.body.transitions.map((t: any) => `${t.id}:${t.name}->${t.to.name}`)).toEqual(['11:Start work->Work in progress', '21:Resolve->Resolved', '41:Close->Closed']);
    expect((await call(jira, 'POST', '/rest/api/3/issue/OPS-1/transitions', { transition: { id: '51' } })).body.errorMessages).toEqual(["Transition id '51' is not valid for this issue."]);
    expect((await call(jira, 'POST', '/rest/api/3/issue/OPS-1/transitions', { transition: { id: '21' } })).status).toBe(204);
    const got = await call(jira, 'GET', '/rest/api/3/issue/OPS-1?fields=status,resolution,resolutiondate');
    expect(got.body.fields.status.name).toBe('Resolved');
    expect(got.body.fields.status.statusCategory.key).toBe('done');
    expect(got.body.fields.resolution.name).toBe('Done');
    expect(got.body.fields.resolutiondate).toBe('2026-11-22T03:13:43.000+0000');
    const p = events[events.length - 1].payload as any;
    expect(p.changelog.items.map((i: any) => `${i.field}:${i.fromString}->${i.toString}`)).toEqual(['status:Open->Resolved', 'resolution:null->Done']);
    expect((await call(jira, 'POST', '/rest/api/3/issue/OPS-1/transitions', { transition: { id: '51' } }, VIEWER)).status).toBe(403);
    expect((await call(jira, 'POST', '/rest/api/3/issue/OPS-1/transitions', { transition: { id: '51' } })).status).toBe(204);
    expect((await call(jira, 'GET', '/rest/api/3/issue/OPS-1?fields=resolution')).body.fields.resolution).toBeNull();
  });

  it('answers 404 in Jira shape for a missing issue and an unknown route', async () => {
    const { jira } = makeJira();
    const missing = await call(jira, 'GET', '/rest/api/3/issue/OPS-99');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    const route = await call(jira, 'GET', '/rest/api/3/nothing/here');
    expect(route.status).toBe(404);
    expect(route.body).toEqual({ errorMessages: [`null for uri: ${SITE_URL}/rest/api/3/nothing/here`], errors: {} });
    expect((await call(jira, 'DELETE', '/rest/api/3/serverInfo')).status).toBe(405);
  });
});

describe('comments', () => {
  it('adds public and internal comments, exposes sd.public.comment, emits avi:jira:commented:issue', async () => {
    const { jira, events } = makeJira();
    await createIssue(jira, { summary: 'Outage' });
    const pub = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: adf('We are on it.') });
    expect(pub.status).toBe(201);
    expect(pub.body.jsdPublic).toBe(true);
    const internal = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: adf('Plan invoked.'), properties: [{ key: 'sd.public.comment', value: { internal: true } }] }, APP);
    expect(internal.status).toBe(201);
    expect(internal.body.jsdPublic).toBe(false);
    expect(internal.body.author.accountType).toBe('app');
    const prop = await call(jira, 'GET', `/rest/api/3/comment/${internal.body.id}/properties/sd.public.comment`);
    expect(prop.body).toEqual({ key: 'sd.public.comment', value: { internal: true } });
    const list = await call(jira, 'GET', '/rest/api/3/issue/OPS-1/comment?expand=properties');
    expect(list.body.total).toBe(2);
    expect(list.body.comments.map((c: any) => c.jsdPublic)).toEqual([true, false]);
    expect(list.body.comments[1].properties).toEqual([{ key: 'sd.public.comment', value: { internal: true } }]);
    const one = await call(jira, 'GET', `/rest/api/3/issue/OPS-1/comment/${pub.body.id}`);
    expect(one.body.body).toEqual(adf('We are on it.'));
    const commented = events.filter((e) => e.eventType === 'avi:jira:commented:issue');
    expect(commented).toHaveLength(2);
    expect((commented[1].payload as any).comment.id).toBe(internal.body.id);
    expect((commented[1].payload as any).comment.jsdPublic).toBe(false);
    expect((commented[1].payload as any).atlassianId).toBe(APP.accountId);
  });

  it('refuses non-ADF, invalid ADF, empty bodies and viewers', async () => {
    const { jira } = makeJira();
    await createIssue(jira, { summary: 'Outage' });
    const text = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: 'plain text' });
    expect(text.status).toBe(400);
    expect(text.body.errors).toEqual({ comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
    const invalid = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'blink', text: 'x' }] }] } });
    expect(invalid.body.errors.comment).toMatch(/Atlassian Document/);
    const empty = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: { type: 'doc', version: 1, content: [] } });
    expect(empty.body.errors).toEqual({ comment: 'Comment body can not be empty!' });
    const viewer = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: adf('hi') }, VIEWER);
    expect(viewer.status).toBe(403);
    expect(viewer.body.errorMessages).toEqual(['You do not have permission to comment on this issue.']);
  });
});

describe('issue properties', () => {
  it('sets (201 then 200), gets, lists and deletes properties, within the size limit', async () => {
    const { jira, events } = makeJira();
    await createIssue(jira, { summary: 'Outage' });
    const before = events.length;
    expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/sc.invocation', { planId: 'p1', rtoDue: 1 })).status).toBe(201);
    expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/sc.invocation', { planId: 'p1', rtoDue: 2 })).status).toBe(200);
    expect((await call(jira, 'GET', '/rest/api/3/issue/OPS-1/properties/sc.invocation')).body).toEqual({ key: 'sc.invocation', value: { planId: 'p1', rtoDue: 2 } });
    const keys = await call(jira, 'GET', '/rest/api/3/issue/OPS-1/properties');
    expect(keys.body).toEqual({ keys: [{ self: `${SITE_URL}/rest/api/3/issue/10000/properties/sc.invocation`, key: 'sc.invocation' }] });
    const withProps = await call(jira, 'GET', '/rest/api/3/issue/OPS-1?fields=summary&properties=sc.invocation');
    expect(withProps.body.properties).toEqual({ 'sc.invocation': { planId: 'p1', rtoDue: 2 } });

    const atLimit = 'x'.repeat(32_768 - 2); // JSON string quotes make it exactly 32,768 characters
    expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/big', atLimit)).status).toBe(400); // a raw string is not JSON
    expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/big', JSON.stringify(atLimit))).status).toBe(201);
    const over = await call(jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/big', JSON.stringify(atLimit + 'x'));
    expect(over.status).toBe(400);
    expect(over.body.errorMessages[0]).toMatch(/32768/);
    expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/x', { a: 1 }, VIEWER)).status).toBe(403);
    expect((await call(jira, 'DELETE', '/rest/api/3/issue/OPS-1/properties/sc.invocation')).status).toBe(204);
    const gone = await call(jira, 'GET', '/rest/api/3/issue/OPS-1/properties/sc.invocation');
    expect(gone.status).toBe(404);
    expect(gone.body.errorMessages).toEqual(["The property with key 'sc.invocation' does not exist."]);
    // Properties are not fields: no event, no changelog.
    expect(events.length).toBe(before);
    expect((await call(jira, 'GET', '/rest/api/3/issue/OPS-1/changelog')).body.total).toBe(0);
  });

  it('stores awkward keys such as __proto__ as plain properties', async () => {
    const { jira } = makeJira();
    await createIssue(jira, { summary: 'Outage' });
    expect((await call(jira, 'GET', '/rest/api/3/issue/OPS-1/properties/constructor')).status).toBe(404);
    expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/__proto__', { polluted: true })).status).toBe(201);
    expect((await call(jira, 'GET', '/rest/api/3/issue/OPS-1/properties/__proto__')).body.value).toEqual({ polluted: true });
    expect(({} as any).polluted).toBeUndefined();
  });
});

describe('remote links', () => {
  it('upserts by globalId: one link per globalId, 201 then 200 with the same id', async () => {
    const { jira } = makeJira();
    await createIssue(jira, { summary: 'Outage' });
    const link = (title: string) => ({ globalId: 'confluence-page=123', application: { type: 'com.atlassian.confluence', name: 'Confluence' }, relationship: 'Continuity plan', object: { url: 'http://localhost:4411/wiki/pages/123', title } });
    const first = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/remotelink', link('Plan v1'));
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: 10000, self: `${SITE_URL}/rest/api/3/issue/OPS-1/remotelink/10000` });
    const second = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/remotelink', link('Plan v2'));
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(10000);
    const other = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/remotelink', { object: { url: 'https://example.com', title: 'Status page' } });
    expect(other.status).toBe(201);
    expect(other.body.id).toBe(10001);
    const list = await call(jira, 'GET', '/rest/api/3/issue/OPS-1/remotelink');
    expect(list.body.map((l: any) => [l.id, l.object.title])).toEqual([[10000, 'Plan v2'], [10001, 'Status page']]);
    const byGlobal = await call(jira, 'GET', '/rest/api/3/issue/OPS-1/remotelink?globalId=confluence-page%3D123');
    expect(byGlobal.body.relationship).toBe('Continuity plan');
    const missingTitle = await call(jira, 'POST', '/rest/api/3/issue/OPS-1/remotelink', { object: { url: 'https://x' } });
    expect(missingTitle.status).toBe(400);
    expect(missingTitle.body.errors).toEqual({ title: "'title' is required." });
    expect((await call(jira, 'DELETE', '/rest/api/3/issue/OPS-1/remotelink/10001')).status).toBe(204);
    expect((await call(jira, 'DELETE', '/rest/api/3/issue/OPS-1/remotelink/10001')).status).toBe(404);
    expect((await call(jira, 'GET', '/rest/api/3/issue/OPS-1/remotelink')).body).toHaveLength(1);
  });
});

describe('mypermissions', () => {
  const KEYS = 'BROWSE_PROJECTS,CREATE_ISSUES,EDIT_ISSUES,ADD_COMMENTS,TRANSITION_ISSUES,ADMINISTER';
  const perms = async (as: any, query = '') => {
    const { jira } = makeJira();
    await createIssue(jira, { summary: 'x' });
    const res = await call(jira, 'GET', `/rest/api/3/mypermissions?permissions=${KEYS}${query}`, undefined, as);
    return Object.fromEntries(Object.entries(res.body.permissions).map(([k, v]: [string, any]) => [k, v.havePermission]));
  };

  it('derives permissions from the demo user flags; the app has everything', async () => {
    expect(await perms(VIEWER, '&issueKey=OPS-1')).toEqual({ BROWSE_PROJECTS: true, CREATE_ISSUES: false, EDIT_ISSUES: false, ADD_COMMENTS: false, TRANSITION_ISSUES: false, ADMINISTER: false });
    expect(await perms(CASEY, '&projectKey=OPS')).toEqual({ BROWSE_PROJECTS: true, CREATE_ISSUES: true, EDIT_ISSUES: true, ADD_COMMENTS: true, TRANSITION_ISSUES: true, ADMINISTER: false });
    expect(await perms(AGENT)).toEqual({ BROWSE_PROJECTS: true, CREATE_ISSUES: true, EDIT_ISSUES: true, ADD_COMMENTS: true, TRANSITION_ISSUES: true, ADMINISTER: true });
    expect(await perms(APP)).toEqual({ BROWSE_PROJECTS: true, CREATE_ISSUES: true, EDIT_ISSUES: true, ADD_COMMENTS: true, TRANSITION_ISSUES: true, ADMINISTER: true });
  });

  it('answers 400 without permissions, 404 for a missing issue', async () => {
    const { jira } = makeJira();
    expect((await call(jira, 'GET', '/rest/api/3/mypermissions')).status).toBe(400);
    expect((await call(jira, 'GET', '/rest/api/3/mypermissions?permissions=NOPE')).body.errorMessages).toEqual(["The permission key 'NOPE' does not exist."]);
    const missing = await call(jira, 'GET', '/rest/api/3/mypermissions?permissions=EDIT_ISSUES&issueKey=OPS-404');
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessages).toEqual(['Issue does not exist or you do not have permission to see it.']);
  });
});

describe('persistence', () => {
  it('keeps issues, comments, properties, links and field ids across a new instance on the same file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-'));
    const file = path.join(dir, 'jira.json');
    try {
      const first = makeJira({ file });
      const ids = first.jira.fieldIds();
      await createIssue(first.jira, { summary: 'Persist me', [ids.affectedServices]: [{ id: first.jira.services()[2].id }] });
      await call(first.jira, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: adf('note') });
      await call(first.jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/k', { v: 1 });
      await call(first.jira, 'POST', '/rest/api/3/issue/OPS-1/remotelink', { globalId: 'g', object: { url: 'https://x', title: 't' } });

      const second = new JiraService({ file, clock: new TestClock(), siteUrl: SITE_URL });
      second.seedBase(); // no effect: already seeded
      expect(second.fieldIds()).toEqual(ids);
      const issue = await call(second, 'GET', `/rest/api/3/issue/OPS-1?properties=*all&fields=summary,comment,${ids.affectedServices}`);
      expect(issue.body.fields.summary).toBe('Persist me');
      expect(issue.body.fields[ids.affectedServices]).toEqual([{ id: second.services()[2].id, name: 'Reporting' }]);
      expect(issue.body.fields.comment.total).toBe(1);
      expect(issue.body.properties).toEqual({ k: { v: 1 } });
      expect((await call(second, 'GET', '/rest/api/3/issue/OPS-1/remotelink')).body[0].globalId).toBe('g');
      // Counters survive: the next issue is OPS-2.
      expect((await createIssue(second, { summary: 'Next' })).key).toBe('OPS-2');
      second.reset();
      expect(new JiraService({ file, clock: new TestClock(), siteUrl: SITE_URL }).services()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('JSM request types', () => {
  // JSM's REST API is not in ../shared/atlassian-openapi, so the contract suite cannot check these shapes:
  // they are pinned here (PagedDTO and RequestTypeDTO as JSM's reference and public clients show them).
  const ids = (jira: ReturnType<typeof makeJira>['jira']) => jira.fieldIds();
  const byName = (jira: ReturnType<typeof makeJira>['jira'], name: string) => jira.requestTypes().find((t) => t.name === name)!.id;

  it('seeds a Request Type field of JSM custom type vp-origin, beside the other JSM fields', async () => {
    const { jira } = makeJira();
    const { requestType, affectedServices, majorIncident } = jira.fieldIds();
    expect(requestType).toMatch(/^customfield_10\d\d\d$/);
    expect(new Set([requestType, affectedServices, majorIncident]).size).toBe(3);
    const field = (await call(jira, 'GET', '/rest/api/3/field')).body.find((f: any) => f.id === requestType);
    expect(field).toMatchObject({ name: 'Request Type', custom: true, schema: { type: 'sd-customerrequesttype', custom: REQUEST_TYPE_TYPE, customId: Number(requestType.slice(12)) } });
    expect(jira.requestTypes().map((t) => t.name)).toEqual(['Get IT help', 'Report a system problem', 'Report an outage']);
  });

  it('lists request types as a JSM page, paged with start and limit; 401 without credentials', async () => {
    const { jira } = makeJira();
    const all = await call(jira, 'GET', '/rest/servicedeskapi/requesttype');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ size: 3, start: 0, limit: 50, isLastPage: true, _links: { base: SITE_URL } });
    expect(all.body.values[1]).toEqual({
      _links: { self: `${SITE_URL}/rest/servicedeskapi/servicedesk/1/requesttype/11` },
      id: '11',
      name: 'Report a system problem',
      description: expect.any(String),
      helpText: '',
      issueTypeId: '10004',
      serviceDeskId: '1',
      portalId: '1',
      groupIds: ['1'],
      icon: { id: expect.any(String), _links: { iconUrls: expect.any(Object) } },
    });
    const first = await call(jira, 'GET', '/rest/servicedeskapi/requesttype?start=0&limit=2');
    expect(first.body).toMatchObject({ size: 2, start: 0, limit: 2, isLastPage: false });
    expect(first.body._links.next).toBe(`${SITE_URL}/rest/servicedeskapi/requesttype?start=2&limit=2`);
    const second = await call(jira, 'GET', '/rest/servicedeskapi/requesttype?start=2&limit=2');
    expect(second.body).toMatchObject({ size: 1, start: 2, isLastPage: true });
    expect(second.body.values.map((t: any) => t.name)).toEqual(['Report an outage']);
    expect((await call(jira, 'GET', '/rest/servicedeskapi/requesttype?searchQuery=outage')).body.values.map((t: any) => t.id)).toEqual(['12']);
    expect((await call(jira, 'GET', '/rest/servicedeskapi/requesttype?serviceDeskId=2')).body.values).toEqual([]);
    const anonymous = await jira.handle({ method: 'GET', path: '/rest/servicedeskapi/requesttype', query: new URLSearchParams(), headers: {}, body: undefined, principal: { kind: 'user', accountId: 'nobody' } });
    expect(anonymous.status).toBe(401);
  });

  it('sets the request type by id on create and edit, and reads it back as a customer request', async () => {
    const { jira, events } = makeJira();
    const field = ids(jira).requestType;
    const { key, id } = await createIssue(jira, { summary: 'Checkout down', [field]: byName(jira, 'Report a system problem') });
    const got = await call(jira, 'GET', `/rest/api/3/issue/${key}?fields=${field}`);
    expect(got.body.fields[field]).toEqual({
      _links: {
        jiraRest: `${SITE_URL}/rest/api/3/issue/${id}`,
        web: `${SITE_URL}/servicedesk/customer/portal/1/${key}`,
        agent: `${SITE_URL}/browse/${key}`,
        self: `${SITE_URL}/rest/servicedeskapi/request/${id}`,
      },
      requestType: expect.objectContaining({ id: '11', name: 'Report a system problem', issueTypeId: '10004', serviceDeskId: '1' }),
      currentStatus: { status: 'Open', statusCategory: 'NEW', statusDate: expect.objectContaining({ iso8601: '2026-11-22T03:13:43.000+0000', epochMillis: Date.UTC(2026, 10, 22, 3, 13, 43) }) },
    });
    expect(await call(jira, 'PUT', `/rest/api/3/issue/${key}`, { fields: { [field]: byName(jira, 'Report an outage') } })).toMatchObject({ status: 204 });
    expect((await call(jira, 'GET', `/rest/api/3/issue/${key}?fields=${field}`)).body.fields[field].requestType.name).toBe('Report an outage');
    const updated = events.at(-1)!.payload as any;
    expect(updated.changelog.items).toEqual([expect.objectContaining({ fieldId: field, from: '11', fromString: 'Report a system problem', to: '12', toString: 'Report an outage' })]);
    const search = await call(jira, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('"Request Type" = "report an outage"')}`);
    expect(search.body.issues.map((i: any) => i.id)).toEqual([id]);
    await call(jira, 'PUT', `/rest/api/3/issue/${key}`, { fields: { [field]: null } });
    expect((await call(jira, 'GET', `/rest/api/3/issue/${key}?fields=${field}`)).body.fields[field]).toBeNull();
  });

  it("refuses unknown ids and non-string values with Jira's field errors", async () => {
    const { jira, events } = makeJira();
    const field = ids(jira).requestType;
    const create = (value: unknown, project = 'OPS', issuetype = 'Incident') =>
      call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: project }, issuetype: { name: issuetype }, summary: 'x', [field]: value } });
    const unknown = await create('999');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ errorMessages: [], errors: { [field]: "The request type with id '999' does not exist in this service project." } });
    expect((await create({ id: '11' })).body).toEqual({ errorMessages: [], errors: { [field]: 'Operation value must be a string' } });
    expect((await create('11', 'ENG', 'Task')).body.errors[field]).toMatch(/cannot be set/);
    expect(events).toHaveLength(0);
  });

  it('adds the field and the request types to a site saved before they existed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-'));
    const file = path.join(dir, 'jira.json');
    try {
      const { jira } = makeJira({ file });
      const before = jira.fieldIds();
      const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
      delete saved.requestTypes;
      saved.customFields = saved.customFields.filter((f: any) => f.kind !== 'requestType');
      fs.writeFileSync(file, JSON.stringify(saved));
      const reopened = new JiraService({ file, clock: new TestClock(), siteUrl: SITE_URL });
      reopened.seedBase();
      const after = reopened.fieldIds();
      expect(after).toMatchObject({ affectedServices: before.affectedServices, majorIncident: before.majorIncident });
      expect([before.affectedServices, before.majorIncident]).not.toContain(after.requestType);
      expect(reopened.requestTypes()).toHaveLength(3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('issue security levels', () => {
  it('hide an issue from people outside the level: 404 on the issue, its comments and permissions, absent from searches', async () => {
    const { jira } = makeJira();
    const open = await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Open incident' } });
    const secret = await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Security incident', security: { id: '10100' } } });
    expect(secret.status).toBe(201);
    expect((await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'x', security: { id: '999' } } })).body.errors.security).toMatch(/not valid/);
    for (const who of [VIEWER, CASEY]) {
      expect((await call(jira, 'GET', `/rest/api/3/issue/${secret.body.key}`, undefined, who)).status).toBe(404);
      expect((await call(jira, 'GET', `/rest/api/3/issue/${secret.body.key}/comment`, undefined, who)).status).toBe(404);
      expect((await call(jira, 'GET', `/rest/api/3/mypermissions?issueKey=${secret.body.key}&permissions=BROWSE_PROJECTS`, undefined, who)).status).toBe(404);
      const found = await call(jira, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project = OPS')}`, undefined, who);
      expect(found.body.issues.map((i: any) => i.id)).toEqual([open.body.id]);
    }
    for (const who of [AGENT, APP]) {
      expect((await call(jira, 'GET', `/rest/api/3/issue/${secret.body.key}`, undefined, who)).status).toBe(200);
      const perms = await call(jira, 'GET', `/rest/api/3/mypermissions?issueKey=${secret.body.key}&permissions=BROWSE_PROJECTS`, undefined, who);
      expect(perms.body.permissions.BROWSE_PROJECTS.havePermission).toBe(true);
    }
  });
});
