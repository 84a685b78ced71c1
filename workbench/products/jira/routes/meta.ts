/**
 * Site metadata: server info, users, projects, issue types, create metadata, priorities, fields,
 * statuses. Read-only.
 */
import { APP_USER, findUser } from '../../users';
import { badRequest, notFound } from '../errors';
import { allFields, fieldDetails, type FieldDef } from '../fields';
import type { Router } from '../router';
import type { Site } from '../site';
import { allUsers, jiraDate } from '../site';
import type { ProjectRec } from '../state';
import { intParam, listParam, ok, pageBean } from './util';

const BUILD_DATE = Date.UTC(2026, 9, 1);

export function registerMetaRoutes(router: Router): void {
  router.add('GET', '/rest/api/3/serverInfo', ({ site, now }) =>
    ok({
      baseUrl: site.siteUrl,
      displayUrl: site.siteUrl,
      displayUrlServicedeskHelpCenter: `${site.siteUrl}/servicedesk/customer`,
      version: '1001.0.0-SNAPSHOT',
      versionNumbers: [1001, 0, 0],
      deploymentType: 'Cloud',
      buildNumber: 100290,
      buildDate: jiraDate(BUILD_DATE),
      serverTime: jiraDate(now),
      serverTimeZone: 'Etc/UTC',
      scmInfo: 'workbench',
      serverTitle: 'Jira (workbench)',
    }),
  );

  router.add('GET', '/rest/api/3/myself', ({ site, user, req }) => ok(site.user(user, listParam(req.query, 'expand') ?? [])));

  // Jira's user search matches the start of any word of the display name, or the email address; it needs
  // the "Browse users and groups" permission, which every workbench user has.
  router.add('GET', '/rest/api/3/user/search', ({ site, req }) => {
    const query = (req.query.get('query') ?? '').trim().toLowerCase();
    const accountId = req.query.get('accountId');
    if (!query && !accountId) throw badRequest('The query parameter \'query\' or \'accountId\' is required.');
    const startAt = intParam(req.query, 'startAt', 0);
    const maxResults = intParam(req.query, 'maxResults', 50, 0, 1000);
    const matches = allUsers().filter((u) =>
      accountId ? u.accountId === accountId : u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(query)) || u.displayName.toLowerCase().startsWith(query) || (u.emailAddress !== '' && u.emailAddress.toLowerCase().startsWith(query)),
    );
    return ok(matches.slice(startAt, startAt + maxResults).map((u) => site.user(u)));
  });

  router.add('GET', '/rest/api/3/user/bulk', ({ site, req }) => {
    const ids = req.query.getAll('accountId');
    if (ids.length === 0) throw badRequest('The query parameter accountId is required.');
    if (ids.length > 200) throw badRequest('At most 200 account ids may be requested.');
    const startAt = intParam(req.query, 'startAt', 0);
    const maxResults = intParam(req.query, 'maxResults', 10, 1, 200);
    const found = ids.flatMap((id) => allUsers().filter((u) => u.accountId === id)).map((u) => site.user(u));
    return ok(pageBean(found, startAt, maxResults, `${site.api('user/bulk')}?${ids.map((id) => `accountId=${encodeURIComponent(id)}`).join('&')}`));
  });

  router.add('GET', '/rest/api/3/user', ({ site, req }) => {
    const accountId = req.query.get('accountId');
    if (!accountId) throw badRequest('The query parameter accountId is required.');
    const user = findUser(accountId);
    if (!user || user.accountId !== accountId) throw notFound('Specified user does not exist or you do not have required permissions');
    return ok(site.user(user));
  });

  // Groups by name or id: every group a workbench person (or the app) is in exists.
  router.add('GET', '/rest/api/3/group/bulk', ({ site, req }) => {
    const names = req.query.getAll('groupName').map((n) => n.toLowerCase());
    const ids = req.query.getAll('groupId');
    const startAt = intParam(req.query, 'startAt', 0);
    const maxResults = intParam(req.query, 'maxResults', 50, 1, 50);
    const all = [...new Set([...allUsers(), APP_USER].flatMap((u) => u.groups))].sort().map((name) => site.groupName(name) as { name: string; groupId: string });
    const found = all.filter((g) => (names.length === 0 && ids.length === 0) || names.includes(g.name.toLowerCase()) || ids.includes(g.groupId));
    const page = pageBean(found.map((g) => ({ name: g.name, groupId: g.groupId })), startAt, maxResults, site.api('group/bulk'));
    return ok(page);
  });

  router.add('GET', '/rest/api/3/project', ({ site }) => ok(site.state.projects.map((p) => site.projectListItem(p))));

  router.add('GET', '/rest/api/3/project/search', ({ site, req }) => {
    const q = req.query;
    const startAt = intParam(q, 'startAt', 0);
    const maxResults = intParam(q, 'maxResults', 50, 0, 100);
    const query = (q.get('query') ?? '').toLowerCase();
    const keys = listParam(q, 'keys')?.map((k) => k.toUpperCase());
    const ids = listParam(q, 'id');
    const types = listParam(q, 'typeKey');
    let projects = site.state.projects.filter(
      (p) =>
        (!query || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) &&
        (!keys || keys.includes(p.key)) &&
        (!ids || ids.includes(p.id)) &&
        (!types || types.includes(p.projectTypeKey)),
    );
    const orderBy = q.get('orderBy') ?? 'key';
    const desc = orderBy.startsWith('-');
    const by = orderBy.replace(/^[-+]/, '');
    const keyOf = (p: ProjectRec): string => (by === 'name' ? p.name.toLowerCase() : by === 'id' ? p.id.padStart(12, '0') : p.key);
    projects = [...projects].sort((a, b) => keyOf(a).localeCompare(keyOf(b)) * (desc ? -1 : 1));
    return ok(pageBean(projects.map((p) => site.projectListItem(p)), startAt, maxResults, `${site.api('project/search')}`));
  });

  router.add('GET', '/rest/api/3/project/{projectIdOrKey}', ({ site, params }) => ok(site.projectFull(site.project(params.projectIdOrKey))));

  router.add('GET', '/rest/api/3/issuetype', ({ site }) => ok(site.state.issueTypes.map((t) => site.issueType_(t))));

  router.add('GET', '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes', ({ site, params, req }) => {
    const project = site.project(params.projectIdOrKey);
    const startAt = intParam(req.query, 'startAt', 0);
    const maxResults = intParam(req.query, 'maxResults', 50, 0, 200);
    const types = project.issueTypeIds.map((id) => site.issueType_(site.issueType(id)));
    return ok({ issueTypes: types.slice(startAt, startAt + maxResults), maxResults, startAt, total: types.length });
  });

  router.add('GET', '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}', ({ site, params, req }) => {
    const project = site.project(params.projectIdOrKey);
    if (!project.issueTypeIds.includes(params.issueTypeId)) {
      throw badRequest(`The issue type with id '${params.issueTypeId}' does not exist or is not valid for the project '${project.key}'.`);
    }
    const startAt = intParam(req.query, 'startAt', 0);
    const maxResults = intParam(req.query, 'maxResults', 50, 0, 200);
    const fields = createMetaFields(site, project, params.issueTypeId);
    return ok({ fields: fields.slice(startAt, startAt + maxResults), maxResults, startAt, total: fields.length });
  });

  router.add('GET', '/rest/api/3/priority', ({ site }) => ok(site.state.priorities.map((p) => site.priority_(p))));

  router.add('GET', '/rest/api/3/priority/search', ({ site, req }) => {
    const q = req.query;
    const startAt = intParam(q, 'startAt', 0);
    const maxResults = intParam(q, 'maxResults', 50, 0, 1000);
    const ids = listParam(q, 'id');
    const name = (q.get('priorityName') ?? '').toLowerCase();
    const onlyDefault = q.get('onlyDefault') === 'true';
    const list = site.state.priorities
      .filter((p) => (!ids || ids.includes(p.id)) && (!name || p.name.toLowerCase().includes(name)) && (!onlyDefault || p.isDefault))
      .map((p) => ({ ...site.priority_(p), isDefault: p.isDefault }));
    return ok(pageBean(list, startAt, maxResults, site.api('priority/search')));
  });

  router.add('GET', '/rest/api/3/field', ({ site }) => ok(allFields(site).map(fieldDetails)));

  router.add('GET', '/rest/api/3/status', ({ site }) => ok(site.state.statuses.map((s) => site.status_(s))));
}

/** `FieldCreateMetadata` for every field a create request may set on this project and issue type. */
function createMetaFields(site: Site, project: ProjectRec, issueTypeId: string): Array<Record<string, unknown>> {
  const userSearch = `${site.api('user/search')}?query=`;
  const meta = (f: FieldDef, extra: Record<string, unknown>): Record<string, unknown> => ({
    required: false,
    schema: f.schema,
    name: f.name,
    fieldId: f.id,
    key: f.id,
    hasDefaultValue: false,
    operations: ['set'],
    ...extra,
  });
  const out: Array<Record<string, unknown>> = [];
  for (const f of allFields(site)) {
    if (!f.settable) continue;
    if (f.custom) {
      const cf = site.customField(f.id)!;
      if (!cf.projectIds.includes(project.id)) continue;
      out.push(meta(f, cf.kind === 'affectedServices' ? { operations: ['add', 'set', 'remove'] } : {}));
      continue;
    }
    switch (f.id) {
      case 'issuetype':
        out.push(meta(f, { required: true, operations: [], allowedValues: [site.issueType_(site.issueType(issueTypeId))] }));
        break;
      case 'project':
        out.push(meta(f, { required: true, allowedValues: [site.projectSummary(project)] }));
        break;
      case 'summary':
        out.push(meta(f, { required: true }));
        break;
      case 'priority': {
        const def = site.defaultPriority();
        out.push(meta(f, { allowedValues: site.state.priorities.map((p) => site.priority_(p)), hasDefaultValue: true, defaultValue: site.priority_(def) }));
        break;
      }
      case 'labels':
        out.push(meta(f, { operations: ['add', 'set', 'remove'], autoCompleteUrl: site.api('label/suggest?query=') }));
        break;
      case 'components':
        out.push(meta(f, { operations: ['add', 'set', 'remove'], allowedValues: project.components.map((c) => site.component_(project, c)) }));
        break;
      case 'reporter':
        out.push(meta(f, { required: true, hasDefaultValue: true, autoCompleteUrl: userSearch }));
        break;
      case 'assignee':
        out.push(meta(f, { autoCompleteUrl: userSearch }));
        break;
      default:
        out.push(meta(f, {}));
    }
  }
  return out;
}
