/**
 * The first vertical slice, end to end through the local Forge runtime: a P1 incident created through
 * Jira's REST API is linked by the app's trigger to its service's continuity plan, and the issue panel
 * resolver shows the plan, RTO, RPO and the time the RTO runs out.
 */
import { call, createIncident, panelFor, startWorkbench } from '../support/workbench';
import type { Workbench } from '../../workbench/workbench';

const MINUTE = 60_000;
let wb: Workbench;

beforeEach(async () => {
  ({ wb } = await startWorkbench());
});
afterEach(async () => {
  await wb.stop();
});

async function linksAndComments(key: string) {
  const links = (await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}/remotelink`)).body as Array<{ globalId: string; object: { url: string; title: string } }>;
  const comments = (await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}/comment`)).body as { comments: Array<{ id: string }> };
  const property = await call(wb, 'jira', 'GET', `/rest/api/3/issue/${key}/properties/service-continuity`);
  return { links, comments: comments.comments, property: property.status === 200 ? (property.body as { value: any }).value : undefined };
}

test('a P1 for Payments is linked to the Payments plan: property, remote link, one internal comment', async () => {
  const before = wb.clock.now();
  const issue = await createIncident(wb, { summary: 'Card payments down', priorityId: '1', services: ['Payments'] });

  const { links, comments, property } = await linksAndComments(issue.key);
  expect(links).toHaveLength(1);
  expect(links[0].object.title).toBe('Continuity plan: Payments continuity plan');
  expect(links[0].object.url).toMatch(/\/wiki\/spaces\/CONT\/pages\/\d+/);
  expect(comments).toHaveLength(1);
  expect(property.openInvocations).toBe(1);
  expect(property.planIds).toEqual(['plan-payments']);
  const due = Date.parse(property.nextRtoDueAt);
  // Payments: Tier 1, RTO 60 min, counted from the incident's creation.
  expect(due - before).toBeGreaterThanOrEqual(60 * MINUTE - 1000);
  expect(due - before).toBeLessThanOrEqual(60 * MINUTE + 5000);

  const panel = await panelFor(wb, issue);
  expect(panel.ok).toBe(true);
  expect(panel.data.status).toBe('invoked');
  const [inv] = panel.data.invocations;
  expect(inv.plan.title).toBe('Payments continuity plan');
  expect(inv.service).toMatchObject({ name: 'Payments', tier: 1 });
  expect(inv.rtoMinutes).toBe(60);
  expect(inv.rpoMinutes).toBe(5);
  expect(inv.rtoDueAt).toBe(due);
});

test('the effective RTO follows dependencies and the inversion is named', async () => {
  const issue = await createIncident(wb, { summary: 'Portal down', priorityId: '1', services: ['Customer portal'] });
  const panel = await panelFor(wb, issue);
  const [inv] = panel.data.invocations;
  expect(inv.ownRtoMinutes).toBe(240);
  expect(inv.rtoMinutes).toBe(1440); // Reporting (24 h) sets the pace
  expect(inv.inversions).toEqual([{ dependencyName: 'Reporting', dependencyRtoMinutes: 1440 }]);
});

test('duplicate deliveries of the same event converge on one invocation, one link, one comment', async () => {
  wb.events.configure({ copies: 3 });
  const deliveredBefore = wb.events.deliveries.length;
  const issue = await createIncident(wb, { summary: 'Payments again', priorityId: '1', services: ['Payments'] });
  const { links, comments, property } = await linksAndComments(issue.key);
  expect(links).toHaveLength(1);
  expect(comments).toHaveLength(1);
  expect(property.invocations).toHaveLength(1);
  expect(wb.events.deliveries.slice(deliveredBefore).filter((d) => d.eventType === 'avi:jira:created:issue' && d.ok)).toHaveLength(3);
});

test('an incident that does not qualify is left alone, and the panel says what would make it qualify', async () => {
  const issue = await createIncident(wb, { summary: 'Slow report', priorityId: '3', services: ['Reporting'] });
  const { links, comments, property } = await linksAndComments(issue.key);
  expect(links).toHaveLength(0);
  expect(comments).toHaveLength(0);
  expect(property).toBeUndefined();
  const panel = await panelFor(wb, issue);
  expect(panel.data.status).toBe('not-qualifying');
  expect(panel.data.reason).toBe('Priority Medium is not a P1 priority.');
  expect(panel.data.toQualify).toMatch(/Raise the priority to Highest/);
});

test('Jira answering 429 (with Retry-After) and 503 does not lose the link', async () => {
  wb.faults.add({ product: 'jira', status: 429, retryAfterSeconds: 0, count: 2, pathPrefix: '/rest/api/3/issue/' });
  wb.faults.add({ product: 'jira', status: 503, count: 1, pathPrefix: '/rest/api/3/issue/' });
  const issue = await createIncident(wb, { summary: 'Under load', priorityId: '1', services: ['Payments'] });
  const { links, comments, property } = await linksAndComments(issue.key);
  expect(wb.faults.injected.jira).toBe(3);
  expect(links).toHaveLength(1);
  expect(comments).toHaveLength(1);
  expect(property.openInvocations).toBe(1);
});

test('the demo incidents are linked on first start', async () => {
  const search = await call(wb, 'jira', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('issue.property[service-continuity].openInvocations > 0 ORDER BY key ASC')}&fields=summary`);
  expect(search.status).toBe(200);
  const keys = (search.body as { issues: Array<{ key: string; fields: { summary: string } }> }).issues.map((i) => i.fields.summary);
  expect(keys).toEqual(['Card payments failing in EU region', 'Customer portal returns 502 for all users']);
});
