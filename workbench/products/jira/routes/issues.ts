/**
 * Issues: create, read, edit, changelog and workflow transitions. Every write validates first on a
 * working copy and commits only when the whole request is valid, records a changelog entry for the
 * fields that changed and emits the Forge event.
 */
import { badRequest, fieldErrors, JiraError } from '../errors';
import { issueCreatedEvent, issueUpdatedEvent } from '../events';
import { applyFieldsAndUpdate, diffIssue } from '../issue-ops';
import { issueJson, issueView } from '../issue-json';
import { requirePermission, hasPermission } from '../permissions';
import type { RouteContext, Router } from '../router';
import type { Site } from '../site';
import type { ChangeItem, ChangelogRec, IssueRec, ProjectRec, TransitionRec } from '../state';
import { validateProperty } from './properties';
import { intParam, isObject, listParam, noContent, ok, pageBean, setOwn } from './util';

export function registerIssueRoutes(router: Router): void {
  router.add('POST', '/rest/api/3/issue', createIssue);

  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}', ({ site, params, req }) => {
    const issue = site.issue(params.issueIdOrKey);
    const view = issueView(site, listParam(req.query, 'fields'), '*all', listParam(req.query, 'properties'), req.query.getAll('expand'));
    return ok(issueJson(site, issue, view, () => availableTransitions(site, issue).map((t) => transitionJson(site, t))));
  });

  router.add('PUT', '/rest/api/3/issue/{issueIdOrKey}', (ctx) => {
    const { site, params, req } = ctx;
    const issue = site.issue(params.issueIdOrKey);
    requirePermission(ctx.user, 'EDIT_ISSUES');
    const body = ctx.body();
    if (!isObject(body)) throw badRequest('Invalid request payload. Refer to the REST API documentation and try again.');
    const fields = isObject(body.fields) ? body.fields : {};
    const update = isObject(body.update) ? body.update : {};
    const working = structuredClone(issue);
    const errors: Record<string, string> = {};
    applyFieldsAndUpdate(site, working, site.projectById(issue.projectId), fields, update, ['project', 'issuetype', 'status', 'resolution', 'creator', 'created', 'updated'], errors);
    const properties = propertiesFromBody(body.properties, errors);
    if (Object.keys(errors).length) throw fieldErrors(errors);
    for (const p of properties) setOwn(working.properties, p.key, p.value);
    commitChange(ctx, issue, working);
    if (properties.length) ctx.mutated();
    if (req.query.get('returnIssue') === 'true') {
      return ok(issueJson(site, site.issue(issue.id), issueView(site, undefined, '*all', undefined, req.query.getAll('expand'))));
    }
    return noContent();
  });

  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}/changelog', ({ site, params, req }) => {
    const issue = site.issue(params.issueIdOrKey);
    const startAt = intParam(req.query, 'startAt', 0);
    const maxResults = intParam(req.query, 'maxResults', 100, 0, 100);
    return ok(pageBean(issue.changelog.map((c) => site.changelog_(c)), startAt, maxResults, site.api(`issue/${issue.key}/changelog`)));
  });

  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}/transitions', ({ site, params, req }) => {
    const issue = site.issue(params.issueIdOrKey);
    const only = req.query.get('transitionId');
    const list = availableTransitions(site, issue).filter((t) => !only || t.id === only);
    return ok({ expand: 'transitions', transitions: list.map((t) => transitionJson(site, t)) });
  });

  router.add('POST', '/rest/api/3/issue/{issueIdOrKey}/transitions', (ctx) => {
    const { site, params } = ctx;
    const issue = site.issue(params.issueIdOrKey);
    requirePermission(ctx.user, 'TRANSITION_ISSUES');
    const body = ctx.body();
    const ref = isObject(body) && isObject(body.transition) ? body.transition : undefined;
    if (!ref || (ref.id === undefined && ref.name === undefined)) throw badRequest("Missing 'transition' identifier");
    const transition = availableTransitions(site, issue).find((t) => (ref.id !== undefined && t.id === String(ref.id)) || (typeof ref.name === 'string' && t.name.toLowerCase() === ref.name.toLowerCase()));
    if (!transition) throw badRequest(`Transition id '${String(ref.id ?? ref.name)}' is not valid for this issue.`);
    const fields = isObject((body as Record<string, unknown>).fields) ? { ...((body as Record<string, unknown>).fields as Record<string, unknown>) } : {};
    const update = isObject((body as Record<string, unknown>).update) ? ((body as Record<string, unknown>).update as Record<string, unknown>) : {};
    const working = structuredClone(issue);
    const errors: Record<string, string> = {};
    // A resolution may accompany a transition into a done status.
    const resolutionRef = fields.resolution;
    delete fields.resolution;
    applyFieldsAndUpdate(site, working, site.projectById(issue.projectId), fields, update, ['project', 'issuetype', 'status'], errors);
    const from = site.status(issue.statusId);
    const to = site.status(transition.to);
    working.statusId = to.id;
    if (to.category === 'done') {
      const r = isObject(resolutionRef) ? resolutionRef : {};
      const resolution = resolutionRef === undefined ? site.state.resolutions[0] : site.state.resolutions.find((x) => x.id === String(r.id) || (typeof r.name === 'string' && x.name.toLowerCase() === r.name.toLowerCase()));
      if (!resolution) errors.resolution = 'The resolution selected is invalid.';
      else {
        working.resolution = resolution.id;
        if (issue.resolution === null) working.resolutionDate = ctx.now;
      }
    } else if (resolutionRef !== undefined) {
      errors.resolution = "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown.";
    } else {
      working.resolution = null;
      working.resolutionDate = null;
    }
    if (from.category !== to.category) working.statusCategoryChangeDate = ctx.now;
    if (Object.keys(errors).length) throw fieldErrors(errors);
    commitChange(ctx, issue, working);
    return noContent();
  });
}

// ---- create ------------------------------------------------------------------------------------

function createIssue(ctx: RouteContext) {
  const { site, user, now } = ctx;
  const body = ctx.body();
  if (!isObject(body)) throw badRequest('Invalid request payload. Refer to the REST API documentation and try again.');
  const fields = isObject(body.fields) ? { ...body.fields } : {};
  const update = isObject(body.update) ? body.update : {};
  const errors: Record<string, string> = {};

  const projectRef = isObject(fields.project) ? fields.project : {};
  const project =
    (projectRef.id !== undefined ? site.state.projects.find((p) => p.id === String(projectRef.id)) : undefined) ??
    (typeof projectRef.key === 'string' ? site.findProject(projectRef.key) : undefined);
  if (!project) errors.project = 'Specify a valid project ID or key';
  else if (!hasPermission(user, 'CREATE_ISSUES')) throw new JiraError(400, ['You do not have permission to create issues in this project.']);

  const typeRef = isObject(fields.issuetype) ? fields.issuetype : undefined;
  const issueType = typeRef
    ? site.state.issueTypes.find((t) => (typeRef.id !== undefined && t.id === String(typeRef.id)) || (typeof typeRef.name === 'string' && t.name.toLowerCase() === typeRef.name.toLowerCase()))
    : undefined;
  if (!typeRef) errors.issuetype = 'Specify an issue type';
  else if (!issueType || (project && !project.issueTypeIds.includes(issueType.id))) errors.issuetype = 'Specify a valid issue type';
  if (fields.summary === undefined && !('summary' in update)) errors.summary = 'You must specify a summary of the issue.';
  delete fields.project;
  delete fields.issuetype;

  const draft: IssueRec = {
    id: '',
    key: '',
    projectId: project?.id ?? '',
    issueTypeId: issueType?.id ?? '',
    summary: '',
    description: null,
    priorityId: site.defaultPriority().id,
    statusId: site.state.statuses[0].id,
    resolution: null,
    resolutionDate: null,
    statusCategoryChangeDate: now,
    labels: [],
    componentIds: [],
    reporterId: user.accountId,
    assigneeId: null,
    creatorId: user.accountId,
    created: now,
    updated: now,
    custom: {},
    properties: {},
    comments: [],
    changelog: [],
    remoteLinks: [],
  };
  if (project) applyFieldsAndUpdate(site, draft, project, fields, update, ['status', 'resolution', 'creator', 'created', 'updated'], errors);
  const properties = propertiesFromBody(body.properties, errors);
  if (Object.keys(errors).length) throw fieldErrors(errors);

  const p = project as ProjectRec;
  draft.id = String(site.state.counters.issue++);
  draft.key = `${p.key}-${p.nextIssueNumber++}`;
  for (const prop of properties) setOwn(draft.properties, prop.key, prop.value);
  site.state.issues.push(draft);
  ctx.mutated();
  ctx.emit(issueCreatedEvent(site, draft, user.accountId));
  return ok({ id: draft.id, key: draft.key, self: site.api(`issue/${draft.id}`) }, 201);
}

function propertiesFromBody(value: unknown, errors: Record<string, string>): Array<{ key: string; value: unknown }> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.properties = 'The properties must be a list of { key, value } objects.';
    return [];
  }
  const out: Array<{ key: string; value: unknown }> = [];
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.key !== 'string') {
      errors.properties = 'The properties must be a list of { key, value } objects.';
      continue;
    }
    const problem = validateProperty(entry.key, entry.value);
    if (problem) errors.properties = problem;
    else out.push({ key: entry.key, value: entry.value });
  }
  return out;
}

// ---- edit / transition commit --------------------------------------------------------------------

/** Replaces `issue` by `working`, records the changelog and emits `avi:jira:updated:issue` when anything changed. */
export function commitChange(ctx: RouteContext, issue: IssueRec, working: IssueRec): ChangelogRec | undefined {
  const { site, now, user } = ctx;
  const items: ChangeItem[] = diffIssue(site, issue, working);
  if (!items.length) return undefined;
  const entry: ChangelogRec = { id: String(site.state.counters.changelog++), authorId: user.accountId, created: now, items };
  working.updated = now;
  working.changelog.push(entry);
  const index = site.state.issues.findIndex((i) => i.id === issue.id);
  site.state.issues[index] = working;
  ctx.mutated();
  ctx.emit(issueUpdatedEvent(site, working, user.accountId, entry));
  return entry;
}

// ---- workflow ------------------------------------------------------------------------------------

export function availableTransitions(site: Site, issue: IssueRec): TransitionRec[] {
  return site.state.transitions.filter((t) => (t.from.length === 0 || t.from.includes(issue.statusId)) && t.to !== issue.statusId);
}

function transitionJson(site: Site, t: TransitionRec): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    to: site.status_(site.status(t.to)),
    hasScreen: false,
    isGlobal: t.from.length === 0,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
}
