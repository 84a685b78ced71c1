// Drives the local Jira with the real `jira.js` client (v6, ESM-only, zod-validated responses).
// Usage: node test/clients/jira-js-check.mjs <baseUrl>
// Prints one JSON summary line on stdout; exits 1 on any error, including a response that does not
// match jira.js's schemas (onSchemaMismatch: 'throw').
import { createCloudClient } from 'jira.js';

const baseUrl = process.argv[2];
if (!baseUrl) {
  console.error('usage: node test/clients/jira-js-check.mjs <baseUrl>');
  process.exit(2);
}

const jira = createCloudClient({
  host: baseUrl,
  auth: { type: 'basic', email: 'alex.agent@example.com', apiToken: 'any-token' },
  onSchemaMismatch: 'throw',
  retry: { maxAttempts: 1 },
});

const doc = (text) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

async function main() {
  const summary = {};
  const server = await jira.serverInfo.getServerInfo();
  summary.deploymentType = server.deploymentType;
  summary.baseUrl = server.baseUrl;

  const me = await jira.myself.getCurrentUser();
  summary.myself = me.displayName;

  const projects = await jira.projects.searchProjects({});
  summary.projects = projects.values.map((p) => p.key);
  const ops = await jira.projects.getProject({ projectIdOrKey: 'OPS' });
  summary.opsType = ops.projectTypeKey;

  const types = await jira.issueTypes.getIssueAllTypes();
  summary.issueTypes = types.map((t) => t.name);

  const priorities = await jira.issuePriorities.searchPriorities({});
  summary.priorities = priorities.values.map((p) => `${p.id}:${p.name}`);

  const statuses = await jira.workflowStatuses.getStatuses();
  summary.statuses = statuses.map((s) => s.name);

  const fields = await jira.issueFields.getFields();
  const services = fields.find((f) => f.schema?.custom === 'com.atlassian.jira.plugins.service-entity:service-entity-field-cftype');
  summary.affectedServicesField = services?.id ?? null;

  const created = await jira.issues.createIssue({
    fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Payments down (jira.js)', priority: { name: 'Highest' }, labels: ['p1'] },
  });
  summary.createdKey = created.key;

  const issue = await jira.issues.getIssue({ issueIdOrKey: created.key });
  summary.fetchedSummary = issue.fields.summary;
  summary.fetchedPriority = issue.fields.priority.name;

  await jira.issues.editIssue({ issueIdOrKey: created.key, fields: { summary: 'Payments down in EU (jira.js)' }, update: { labels: [{ add: 'eu' }] } });
  const edited = await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['summary', 'labels'] });
  summary.editedSummary = edited.fields.summary;
  summary.editedLabels = edited.fields.labels;

  const changelog = await jira.issues.getChangeLogs({ issueIdOrKey: created.key });
  summary.changelogFields = changelog.values.flatMap((c) => c.items.map((i) => i.field));

  const comment = await jira.issueComments.addComment({
    issueIdOrKey: created.key,
    body: doc('Continuity plan invoked.'),
    properties: [{ key: 'sd.public.comment', value: { internal: true } }],
  });
  summary.commentJsdPublic = comment.jsdPublic;
  const comments = await jira.issueComments.getComments({ issueIdOrKey: created.key });
  summary.commentCount = comments.total;

  await jira.issueProperties.setIssueProperty({ issueIdOrKey: created.key, propertyKey: 'sc.invocation', body: { planId: 'plan-1', rtoMinutes: 60 } });
  const property = await jira.issueProperties.getIssueProperty({ issueIdOrKey: created.key, propertyKey: 'sc.invocation' });
  summary.property = property.value;

  const link = { issueIdOrKey: created.key, globalId: 'confluence-page=42', relationship: 'Continuity plan', object: { url: `${baseUrl}/wiki/pages/42`, title: 'Payments plan' } };
  const first = await jira.issueRemoteLinks.createOrUpdateRemoteIssueLink(link);
  const second = await jira.issueRemoteLinks.createOrUpdateRemoteIssueLink({ ...link, object: { ...link.object, title: 'Payments plan (v2)' } });
  const links = await jira.issueRemoteLinks.getRemoteIssueLinks({ issueIdOrKey: created.key });
  summary.remoteLinkIds = [first.id, second.id];
  summary.remoteLinkCount = Array.isArray(links) ? links.length : 1;
  summary.remoteLinkTitle = (Array.isArray(links) ? links[0] : links).object.title;

  const search = await jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({ jql: 'project = OPS AND priority = Highest ORDER BY created DESC', fields: ['summary', 'status'], maxResults: 10 });
  summary.searchKeys = search.issues.map((i) => i.key);
  summary.searchIsLast = search.isLast;
  const count = await jira.issueSearch.countIssues({ jql: 'project = OPS' });
  summary.count = count.count;

  const transitions = await jira.issues.getTransitions({ issueIdOrKey: created.key });
  summary.transitions = transitions.transitions.map((t) => t.name);
  await jira.issues.doTransition({ issueIdOrKey: created.key, transition: { id: transitions.transitions.find((t) => t.name === 'Start work').id } });
  const afterTransition = await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ['status'] });
  summary.statusAfterTransition = afterTransition.fields.status.name;

  const perms = await jira.permissions.getMyPermissions({ issueKey: created.key, permissions: 'EDIT_ISSUES,ADD_COMMENTS,ADMINISTER' });
  summary.permissions = Object.fromEntries(Object.entries(perms.permissions).map(([k, v]) => [k, v.havePermission]));

  return summary;
}

main().then(
  (summary) => {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  },
  (error) => {
    console.error(error && error.stack ? error.stack : error);
    if (error && error.report) console.error(JSON.stringify(error.report, null, 2));
    process.exit(1);
  },
);
