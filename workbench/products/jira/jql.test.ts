import type { IndexedPropertyDef } from './jql';
import { parsePeriod, parseJqlDate, textMatches } from './jql';
import { adf, APP, call, CASEY, createIssue, makeJira, VIEWER, type TestJira } from './testing';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const INDEXED: IndexedPropertyDef[] = [
  {
    propertyKey: 'sc.invocation',
    values: [
      { path: 'rtoDueAt', type: 'date', searchAlias: 'rtoDue' },
      { path: 'rtoMinutes', type: 'number', searchAlias: 'rtoMinutes' },
      { path: 'planId', type: 'string' },
      { path: 'state', type: 'string', searchAlias: 'invocationState' },
      { path: 'notes', type: 'text' },
      { path: 'owner', type: 'user' },
    ],
  },
];

/**
 * Five issues over five days (clock starts 2026-11-22 03:13:43 UTC):
 *   OPS-1 Highest  "Payments gateway down"     labels p1,payments  Payments      services Payments       major   invocation rto 60
 *   OPS-2 High     "Customer portal is slow"   labels portal       Customer portal services Customer portal        invocation rto 240
 *   OPS-3 Medium   "Reporting export broken"   (none)              Reporting                                        (no property)
 *   OPS-4 Low      "Question about invoices"   labels billing      -             (reported by Casey)               invocation rto 30
 *   ENG-1 Lowest   "Refactor payments client"  labels tech-debt    -             Task                              (no property)
 *   OPS-5 Medium   "placeholder"               -                   -             Service request, created with ENG-1
 * OPS-2 is then in progress, OPS-3 resolved (and commented).
 */
async function fixture(): Promise<TestJira & { t0: number }> {
  const t = makeJira({ indexedProperties: INDEXED });
  const { jira, clock } = t;
  const t0 = clock.now();
  const { affectedServices, majorIncident } = jira.fieldIds();
  const [payments, portal] = jira.services();
  await createIssue(jira, { summary: 'Payments gateway down', priority: { name: 'Highest' }, labels: ['p1', 'payments'], components: [{ name: 'Payments' }], [affectedServices]: [{ id: payments.id }], [majorIncident]: 'MAJOR_INCIDENT', assignee: { accountId: CASEY.accountId } });
  clock.advance(DAY);
  await createIssue(jira, { summary: 'Customer portal is slow', priority: { name: 'High' }, labels: ['portal'], components: [{ name: 'Customer portal' }], [affectedServices]: [{ id: portal.id }], description: adf('Login page takes 30 seconds to deploy the session') });
  clock.advance(DAY);
  await createIssue(jira, { summary: 'Reporting export broken', priority: { name: 'Medium' }, components: [{ name: 'Reporting' }] });
  clock.advance(DAY);
  await createIssue(jira, { summary: 'Question about invoices', priority: { name: 'Low' }, labels: ['billing'] }, CASEY, {});
  await call(jira, 'PUT', '/rest/api/3/issue/OPS-4', { fields: {} });
  clock.advance(DAY);
  const eng = await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ENG' }, issuetype: { name: 'Task' }, summary: 'Refactor payments client', priority: { name: 'Lowest' }, labels: ['tech-debt'] } });
  expect(eng.body.key).toBe('ENG-1');
  await call(jira, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Service request' }, summary: 'placeholder' } });
  await call(jira, 'POST', '/rest/api/3/issue/OPS-3/comment', { body: adf('Root cause: expired certificate') });
  await call(jira, 'POST', '/rest/api/3/issue/OPS-2/transitions', { transition: { id: '11' } });
  await call(jira, 'POST', '/rest/api/3/issue/OPS-3/transitions', { transition: { id: '21' } });
  await call(jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/sc.invocation', { rtoDueAt: new Date(t0 + HOUR).toISOString(), rtoMinutes: 60, planId: 'plan-pay', state: 'OPEN', notes: 'Failover to secondary region', owner: CASEY.accountId });
  await call(jira, 'PUT', '/rest/api/3/issue/OPS-2/properties/sc.invocation', { rtoDueAt: new Date(t0 + DAY + 4 * HOUR).toISOString(), rtoMinutes: 240, planId: 'plan-portal', state: 'RECOVERED' });
  await call(jira, 'PUT', '/rest/api/3/issue/OPS-4/properties/sc.invocation', { rtoDueAt: new Date(t0 + 3 * DAY + 30 * 60_000).toISOString(), rtoMinutes: 30, planId: 'plan-billing', state: 'OPEN' });
  return { ...t, t0 };
}

async function keys(t: TestJira, jql: string, as = undefined as any): Promise<string[]> {
  const res = await call(t.jira, 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'], maxResults: 100 }, as);
  if (res.status !== 200) throw new Error(`${jql}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.issues.map((i: any) => i.key);
}

async function error(t: TestJira, jql: string): Promise<string> {
  const res = await call(t.jira, 'POST', '/rest/api/3/search/jql', { jql });
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual({});
  return res.body.errorMessages[0];
}

describe('JQL search', () => {
  let t: TestJira & { t0: number };
  beforeAll(async () => {
    t = await fixture();
  });

  it('filters by project, issue type, status, status category and resolution', async () => {
    expect(await keys(t, 'project = OPS ORDER BY key ASC')).toEqual(['OPS-1', 'OPS-2', 'OPS-3', 'OPS-4', 'OPS-5']);
    expect(await keys(t, 'project in (ENG, "IT Operations") AND issuetype = Incident ORDER BY key')).toEqual(['OPS-1', 'OPS-2', 'OPS-3', 'OPS-4']);
    expect(await keys(t, 'type = "Service request"')).toEqual(['OPS-5']);
    expect(await keys(t, 'project != OPS')).toEqual(['ENG-1']);
    expect(await keys(t, 'status = "Work in progress"')).toEqual(['OPS-2']);
    expect(await keys(t, 'status not in (Open, "Work in progress")')).toEqual(['OPS-3']);
    expect(await keys(t, 'statusCategory = Done')).toEqual(['OPS-3']);
    expect(await keys(t, 'project = OPS AND statusCategory != Done AND resolution = Unresolved ORDER BY key')).toEqual(['OPS-1', 'OPS-2', 'OPS-4', 'OPS-5']);
    expect(await keys(t, 'resolution is not EMPTY')).toEqual(['OPS-3']);
  });

  it('filters by priority with equality and comparisons, keys and key ranges', async () => {
    expect(await keys(t, 'priority = Highest')).toEqual(['OPS-1']);
    expect(await keys(t, 'priority in (1, High) ORDER BY key')).toEqual(['OPS-1', 'OPS-2']);
    expect(await keys(t, 'priority >= High ORDER BY key')).toEqual(['OPS-1', 'OPS-2']);
    expect(await keys(t, 'priority > High')).toEqual(['OPS-1']);
    expect(await keys(t, 'priority < Medium ORDER BY key')).toEqual(['ENG-1', 'OPS-4']);
    expect(await keys(t, 'priority <= Low AND project = OPS')).toEqual(['OPS-4']);
    expect(await keys(t, 'key = OPS-2')).toEqual(['OPS-2']);
    expect(await keys(t, 'issuekey in (OPS-1, ENG-1) ORDER BY key')).toEqual(['ENG-1', 'OPS-1']);
    expect(await keys(t, 'key > OPS-3 ORDER BY key')).toEqual(['OPS-4', 'OPS-5']);
    expect(await keys(t, 'key != OPS-1 AND project = OPS ORDER BY key')).toEqual(['OPS-2', 'OPS-3', 'OPS-4', 'OPS-5']);
  });

  it('matches text with ~ and !~ on summary, description, comments and text', async () => {
    expect(await keys(t, 'summary ~ payments ORDER BY key')).toEqual(['ENG-1', 'OPS-1']);
    expect(await keys(t, 'summary ~ "pay*" ORDER BY key')).toEqual(['ENG-1', 'OPS-1']);
    expect(await keys(t, 'summary ~ "\\"portal is slow\\""')).toEqual(['OPS-2']);
    expect(await keys(t, 'summary ~ "portal slow"')).toEqual(['OPS-2']);
    expect(await keys(t, 'project = OPS AND summary !~ payments ORDER BY key')).toEqual(['OPS-2', 'OPS-3', 'OPS-4', 'OPS-5']);
    expect(await keys(t, 'description ~ login')).toEqual(['OPS-2']);
    expect(await keys(t, 'comment ~ certificate')).toEqual(['OPS-3']);
    expect(await keys(t, 'text ~ deploy')).toEqual(['OPS-2']); // prefix: "deploy" in description
    expect(await keys(t, 'text ~ certificate')).toEqual(['OPS-3']);
    expect(await keys(t, 'description is EMPTY AND project = ENG')).toEqual(['ENG-1']);
  });

  it('filters labels, components, users with = != IN NOT IN IS EMPTY', async () => {
    expect(await keys(t, 'labels = payments')).toEqual(['OPS-1']);
    expect(await keys(t, 'labels in (portal, billing) ORDER BY key')).toEqual(['OPS-2', 'OPS-4']);
    // Jira: != and NOT IN leave out issues with no labels at all.
    expect(await keys(t, 'labels != p1 ORDER BY key')).toEqual(['ENG-1', 'OPS-2', 'OPS-4']);
    expect(await keys(t, 'labels not in (p1, portal) ORDER BY key')).toEqual(['ENG-1', 'OPS-4']);
    expect(await keys(t, 'labels is EMPTY ORDER BY key')).toEqual(['OPS-3', 'OPS-5']);
    expect(await keys(t, 'labels in (billing, EMPTY) ORDER BY key')).toEqual(['OPS-3', 'OPS-4', 'OPS-5']);
    expect(await keys(t, 'component = Payments')).toEqual(['OPS-1']);
    expect(await keys(t, 'component in ("Customer portal", 10002) ORDER BY key')).toEqual(['OPS-2', 'OPS-3']);
    expect(await keys(t, 'component is EMPTY ORDER BY key')).toEqual(['ENG-1', 'OPS-4', 'OPS-5']);
    expect(await keys(t, `assignee = ${CASEY.accountId}`)).toEqual(['OPS-1']);
    expect(await keys(t, 'assignee = currentUser()', CASEY)).toEqual(['OPS-1']);
    expect(await keys(t, 'reporter = "casey.continuity@example.com"')).toEqual(['OPS-4']);
    expect(await keys(t, 'assignee is EMPTY AND project = OPS ORDER BY key')).toEqual(['OPS-2', 'OPS-3', 'OPS-4', 'OPS-5']);
  });

  it('compares created/updated with absolute dates, relative periods and functions', async () => {
    // The clock is now t0 + 4 days.
    expect(await keys(t, 'created >= -1d ORDER BY key')).toEqual(['ENG-1', 'OPS-4', 'OPS-5']);
    expect(await keys(t, 'created > "-2d 1h" ORDER BY key')).toEqual(['ENG-1', 'OPS-3', 'OPS-4', 'OPS-5']);
    expect(await keys(t, 'created < "2026-11-23" ORDER BY key')).toEqual(['OPS-1']);
    expect(await keys(t, 'created >= "2026/11/23 00:00" AND created <= "2026-11-24 23:59" ORDER BY key')).toEqual(['OPS-2', 'OPS-3']);
    expect(await keys(t, 'created < startOfDay(-3) ORDER BY key')).toEqual(['OPS-1']);
    expect(await keys(t, 'created <= now() AND project = ENG')).toEqual(['ENG-1']);
    // OPS-2 and OPS-3 were transitioned "now"; OPS-4 was edited with no change (not updated).
    expect(await keys(t, 'updated >= -1h AND project = OPS ORDER BY key')).toEqual(['OPS-2', 'OPS-3', 'OPS-5']);
    expect(await keys(t, 'created = "2026-11-22 03:13"')).toEqual([]);
  });

  it('searches the JSM custom fields by cf[N], customfield_N and name', async () => {
    const { affectedServices, majorIncident } = t.jira.fieldIds();
    const n = affectedServices.slice('customfield_'.length);
    expect(await keys(t, `cf[${n}] = Payments`)).toEqual(['OPS-1']);
    expect(await keys(t, `${affectedServices} in ("Customer portal", Payments) ORDER BY key`)).toEqual(['OPS-1', 'OPS-2']);
    expect(await keys(t, `"Affected services" = "${t.jira.services()[1].id}"`)).toEqual(['OPS-2']);
    expect(await keys(t, '"Affected services" is EMPTY AND project = OPS ORDER BY key')).toEqual(['OPS-3', 'OPS-4', 'OPS-5']);
    expect(await keys(t, '"Major incident" is not EMPTY')).toEqual(['OPS-1']);
    expect(await keys(t, `${majorIncident} = MAJOR_INCIDENT`)).toEqual(['OPS-1']);
  });

  it('searches indexed issue properties by path and alias, typed', async () => {
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    expect(await keys(t, 'issue.property[sc.invocation].rtoMinutes > 45 ORDER BY key')).toEqual(['OPS-1', 'OPS-2']);
    expect(await keys(t, 'rtoMinutes <= 60 ORDER BY key')).toEqual(['OPS-1', 'OPS-4']);
    expect(await keys(t, 'issue.property[sc.invocation].planId = plan-portal')).toEqual(['OPS-2']);
    expect(await keys(t, 'invocationState = OPEN ORDER BY key')).toEqual(['OPS-1', 'OPS-4']);
    expect(await keys(t, 'invocationState != OPEN')).toEqual(['OPS-2']); // issues without the property are not "!= OPEN"
    expect(await keys(t, 'issue.property[sc.invocation].planId is EMPTY ORDER BY key')).toEqual(['ENG-1', 'OPS-3', 'OPS-5']);
    expect(await keys(t, `rtoDue < "${iso(t.t0 + 2 * DAY)}" ORDER BY key`)).toEqual(['OPS-1', 'OPS-2']);
    expect(await keys(t, 'rtoDue < now() ORDER BY rtoDue DESC')).toEqual(['OPS-4', 'OPS-2', 'OPS-1']);
    expect(await keys(t, 'issue.property[sc.invocation].notes ~ failover')).toEqual(['OPS-1']);
    expect(await keys(t, `issue.property[sc.invocation].owner = ${CASEY.accountId}`)).toEqual(['OPS-1']);
    expect(await error(t, 'issue.property[sc.invocation].unindexed = 1')).toBe("Field 'issue.property[sc.invocation].unindexed' does not exist or you do not have permission to view it.");
    expect(await error(t, 'rtoMinutes > lots')).toBe("The value 'lots' is not a valid number for the field 'rtoMinutes'.");
    expect(await error(t, 'invocationState ~ OPEN')).toBe("The operator '~' is not supported by the 'invocationState' field.");
  });

  it('supports AND, OR, NOT and parentheses', async () => {
    expect(await keys(t, 'project = OPS AND (priority = Highest OR labels = billing) ORDER BY key')).toEqual(['OPS-1', 'OPS-4']);
    expect(await keys(t, 'project = OPS AND NOT (priority = Highest OR labels = billing) ORDER BY key')).toEqual(['OPS-2', 'OPS-3', 'OPS-5']);
    expect(await keys(t, 'priority = Lowest OR priority = Highest ORDER BY key')).toEqual(['ENG-1', 'OPS-1']);
    expect(await keys(t, 'NOT project = OPS')).toEqual(['ENG-1']);
  });

  it('orders by created, updated, priority, key and properties; default created DESC', async () => {
    expect(await keys(t, 'project = OPS')).toEqual(['OPS-5', 'OPS-4', 'OPS-3', 'OPS-2', 'OPS-1']);
    expect(await keys(t, 'project in (OPS, ENG) ORDER BY created ASC')).toEqual(['OPS-1', 'OPS-2', 'OPS-3', 'OPS-4', 'ENG-1', 'OPS-5']);
    expect(await keys(t, 'project in (OPS, ENG) ORDER BY priority DESC, key ASC')).toEqual(['OPS-1', 'OPS-2', 'OPS-3', 'OPS-5', 'OPS-4', 'ENG-1']);
    expect(await keys(t, 'project in (OPS, ENG) ORDER BY key DESC')).toEqual(['OPS-5', 'OPS-4', 'OPS-3', 'OPS-2', 'OPS-1', 'ENG-1']);
    expect(await keys(t, 'project = OPS ORDER BY updated DESC, key ASC')).toEqual(['OPS-2', 'OPS-3', 'OPS-5', 'OPS-4', 'OPS-1']);
    expect(await keys(t, 'project = OPS ORDER BY issue.property[sc.invocation].rtoMinutes ASC')).toEqual(['OPS-4', 'OPS-1', 'OPS-2', 'OPS-3', 'OPS-5']);
    expect(await error(t, 'project = OPS ORDER BY labels')).toBe("Not able to sort using field 'labels'.");
  });

  it('answers 400 naming the problem for syntax errors, unknown fields, values and operators', async () => {
    expect(await error(t, 'project = ')).toMatch(/^Error in the JQL Query: .*\(line 1, character 11\)$/);
    expect(await error(t, 'project = OPS AND')).toMatch(/^Error in the JQL Query/);
    expect(await error(t, 'flavour = vanilla')).toBe("Field 'flavour' does not exist or you do not have permission to view it.");
    expect(await error(t, 'project = NOPE')).toBe("The value 'NOPE' does not exist for the field 'project'.");
    expect(await error(t, 'status = Pending')).toBe("The value 'Pending' does not exist for the field 'status'.");
    expect(await error(t, 'summary = "Payments gateway down"')).toBe("The operator '=' is not supported by the 'summary' field.");
    expect(await error(t, 'status was Open')).toBe("The operator 'was' is not supported by the 'status' field.");
    expect(await error(t, 'created > yesterday')).toMatch(/^Date value 'yesterday' for field 'created' is invalid/);
    expect(await error(t, 'created > someday()')).toBe("Unable to find JQL function 'someday()'.");
    expect(await error(t, 'ORDER BY created DESC')).toBe('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    expect(await error(t, 'key = OPS-999')).toBe("An issue with key 'OPS-999' does not exist for field 'key'.");
  });

  it('pages with nextPageToken and returns every issue exactly once', async () => {
    const { jira } = t;
    for (let i = 0; i < 7; i++) await createIssue(jira, { summary: `Bulk ${i}`, labels: ['bulk'] });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await call(jira, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project in (OPS, ENG) ORDER BY key ASC')}&maxResults=3&fields=summary${token ? `&nextPageToken=${token}` : ''}`);
      expect(res.status).toBe(200);
      pages++;
      seen.push(...res.body.issues.map((i: any) => i.key));
      expect(res.body.isLast).toBe(res.body.nextPageToken === undefined);
      token = res.body.nextPageToken;
    } while (token);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(13);
    expect(new Set(seen).size).toBe(13);
    expect(seen.slice(0, 2)).toEqual(['ENG-1', 'OPS-1']);
    const count = await call(jira, 'POST', '/rest/api/3/search/approximate-count', { jql: 'labels = bulk' });
    expect(count.body).toEqual({ count: 7 });
    const bad = await call(jira, 'GET', `/rest/api/3/search/jql?jql=project%20%3D%20OPS&nextPageToken=garbage`);
    expect(bad.status).toBe(400);
  });

  it('returns ids only by default, and the requested fields and properties otherwise', async () => {
    const ids = await call(t.jira, 'GET', '/rest/api/3/search/jql?jql=key%20%3D%20OPS-1');
    expect(ids.body).toEqual({ issues: [{ id: '10000' }], isLast: true });
    const full = await call(t.jira, 'POST', '/rest/api/3/search/jql', { jql: 'key = OPS-1', fields: ['summary', 'status'], properties: ['sc.invocation'], expand: 'names' }, APP);
    const issue = full.body.issues[0];
    expect(issue.key).toBe('OPS-1');
    expect(issue.fields).toEqual({ summary: 'Payments gateway down', status: expect.objectContaining({ name: 'Open' }) });
    expect(issue.properties['sc.invocation'].planId).toBe('plan-pay');
    expect(issue.names).toEqual({ summary: 'Summary', status: 'Status' });
    // Viewers can search too (browse permission).
    expect(await keys(t, 'key = OPS-1', VIEWER)).toEqual(['OPS-1']);
  });

  it('follows indexed properties set after construction', async () => {
    const fresh = makeJira();
    await createIssue(fresh.jira, { summary: 'x' });
    await call(fresh.jira, 'PUT', '/rest/api/3/issue/OPS-1/properties/p', { n: 5 });
    expect((await call(fresh.jira, 'POST', '/rest/api/3/search/jql', { jql: 'issue.property[p].n = 5' })).status).toBe(400);
    fresh.jira.setIndexedProperties([{ propertyKey: 'p', values: [{ path: 'n', type: 'number', searchAlias: 'pn' }] }]);
    expect(await keys(fresh, 'pn = 5')).toEqual(['OPS-1']);
  });
});

describe('JQL helpers', () => {
  it('parses periods and dates', () => {
    expect(parsePeriod('-1d')).toBe(-DAY);
    expect(parsePeriod('4w 2d')).toBe(30 * DAY);
    expect(parsePeriod('-1w 2d')).toBe(-9 * DAY);
    expect(parsePeriod('90m')).toBe(90 * 60_000);
    expect(parsePeriod('soon')).toBeNull();
    expect(parseJqlDate('2026/11/22 14:05')).toBe(Date.UTC(2026, 10, 22, 14, 5));
    expect(parseJqlDate('2026-1-2')).toBe(Date.UTC(2026, 0, 2));
    expect(parseJqlDate('22/11/2026')).toBeNull();
  });

  it('matches text by terms, prefixes, wildcards and phrases', () => {
    expect(textMatches(['Database failover failed'], 'fail')).toBe(true);
    expect(textMatches(['Database failover failed'], 'database failed')).toBe(true);
    expect(textMatches(['Database failover failed'], 'database restored')).toBe(false);
    expect(textMatches(['Database failover failed'], 'd?tabase')).toBe(true);
    expect(textMatches(['Database failover failed'], '"failover failed"')).toBe(true);
    expect(textMatches(['Database failover failed'], '"failed failover"')).toBe(false);
  });
});
