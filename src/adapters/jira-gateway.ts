/** JiraGateway over `@forge/api` as the app (triggers and checked resolvers). */
import api, { route } from '@forge/api';
import type { IncidentFacts } from '../domain/incident';
import { ContinuityError, notFound } from '../domain/errors';
import { DRILL_PROPERTY_KEY, readDrillMark } from '../domain/drills';
import { ISSUE_PROPERTY_KEY } from '../domain/idempotency';
import type { CommentFacts, CommentMarker, IssuePermissions, JiraFieldIds, JiraGateway, JiraPerson, NewIssue, RemoteLink, SweptIncident } from '../ports';
import { NOT_IDEMPOTENT, productRequest } from './product-request';

/** JSM's field custom types: field ids differ per site, so they are found at run time by type. */
export const AFFECTED_SERVICES_TYPE = 'com.atlassian.jira.plugins.service-entity:service-entity-field-cftype';
/** JSM's "Request Type" field (schema type `sd-customerrequesttype`). */
export const REQUEST_TYPE_TYPE = 'com.atlassian.servicedesk:vp-origin';
const MAJOR_INCIDENT_TYPE_PATTERN = /major-incident/i;

interface JiraField {
  id: string;
  name: string;
  schema?: { custom?: string };
}

interface JiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown> & {
    summary?: string;
    created?: string;
    project?: { key: string };
    issuetype?: { name: string };
    priority?: { id: string; name: string } | null;
    components?: Array<{ name: string }>;
    labels?: string[];
    resolution?: { name: string } | null;
  };
  /** Issue properties asked for with `properties=` (the drill mark). */
  properties?: Record<string, unknown>;
}

interface JiraComment {
  id: string | number;
  created?: string;
  jsdPublic?: boolean;
  visibility?: { type: string; value: string };
  author?: { accountType?: string; displayName?: string };
  properties?: Array<{ key: string; value: unknown }>;
}

/** The fields the app reads of an incident (besides JSM's custom fields, found per site). */
const INCIDENT_FIELDS = ['summary', 'created', 'project', 'issuetype', 'priority', 'components', 'labels', 'resolution'];

export class ForgeJiraGateway implements JiraGateway {
  private jira() {
    return api.asApp();
  }

  async readFieldIds(): Promise<JiraFieldIds> {
    const res = await productRequest('Jira fields', () => this.jira().requestJira(route`/rest/api/3/field`));
    const fields = (await res.json()) as JiraField[];
    return {
      affectedServices: fields.find((f) => f.schema?.custom === AFFECTED_SERVICES_TYPE)?.id,
      majorIncident: fields.find((f) => MAJOR_INCIDENT_TYPE_PATTERN.test(f.schema?.custom ?? ''))?.id,
      requestType: fields.find((f) => f.schema?.custom === REQUEST_TYPE_TYPE)?.id,
      fetchedAt: Date.now(),
    };
  }

  private fieldList(ids: JiraFieldIds): string {
    return [...INCIDENT_FIELDS, ids.affectedServices, ids.majorIncident, ids.requestType].filter(Boolean).join(',');
  }

  async getIncident(issueIdOrKey: string, ids: JiraFieldIds, options: { asUser?: boolean } = {}): Promise<IncidentFacts> {
    const fields = this.fieldList(ids);
    const as = options.asUser ? api.asUser() : this.jira();
    const res = await productRequest(`Issue ${issueIdOrKey}`, () => as.requestJira(route`/rest/api/3/issue/${issueIdOrKey}?fields=${fields}&properties=${DRILL_PROPERTY_KEY}`)).catch((e) => {
      throw e.code === 'NOT_FOUND' ? notFound(`Issue ${issueIdOrKey}`, 'issue') : e;
    });
    return toFacts((await res.json()) as JiraIssue, ids);
  }

  async searchIncidents(jql: string, ids: JiraFieldIds, pageToken?: string): Promise<{ incidents: SweptIncident[]; nextPageToken?: string }> {
    const body = { jql, fields: [...this.fieldList(ids).split(','), 'updated'], properties: [ISSUE_PROPERTY_KEY, DRILL_PROPERTY_KEY], maxResults: 100, ...(pageToken ? { nextPageToken: pageToken } : {}) };
    const res = await productRequest('Incident search', () =>
      this.jira().requestJira(route`/rest/api/3/search/jql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    );
    const page = (await res.json()) as { issues?: Array<JiraIssue & { properties?: Record<string, unknown> }>; nextPageToken?: string };
    return {
      incidents: (page.issues ?? []).map((issue) => {
        const property = issue.properties?.[ISSUE_PROPERTY_KEY];
        const updated = Date.parse(String(issue.fields.updated ?? ''));
        return { facts: toFacts(issue, ids), property: property === undefined ? undefined : JSON.stringify(property), ...(Number.isNaN(updated) ? {} : { updatedAt: updated }) };
      }),
      nextPageToken: page.nextPageToken,
    };
  }

  async setIssueProperty(issueIdOrKey: string, propertyKey: string, value: unknown): Promise<void> {
    await productRequest(`Issue property ${propertyKey}`, () =>
      this.jira().requestJira(route`/rest/api/3/issue/${issueIdOrKey}/properties/${propertyKey}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(value),
      }),
    );
  }

  async upsertRemoteLink(issueIdOrKey: string, link: RemoteLink): Promise<string> {
    const res = await productRequest('Remote link', () =>
      this.jira().requestJira(route`/rest/api/3/issue/${issueIdOrKey}/remotelink`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          globalId: link.globalId,
          application: { type: 'com.atlassian.confluence', name: 'Confluence' },
          relationship: link.relationship ?? 'continuity plan',
          object: { url: link.url, title: link.title, summary: link.summary },
        }),
      }),
    );
    const body = (await res.json()) as { id: number | string };
    return String(body.id);
  }

  async createIssue(issue: NewIssue, options: { asUser: boolean }): Promise<{ id: string; key: string }> {
    const as = options.asUser ? api.asUser() : this.jira();
    const body = {
      fields: {
        project: { key: issue.projectKey },
        issuetype: { name: issue.issueTypeName },
        summary: issue.summary,
        ...(issue.description ? { description: issue.description } : {}),
      },
      // Set in the create request itself, so the issue carries them from its first event on.
      ...(issue.properties?.length ? { properties: issue.properties } : {}),
    };
    const res = await productRequest(
      'New issue',
      () => as.requestJira(route`/rest/api/3/issue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      NOT_IDEMPOTENT,
    );
    const created = (await res.json()) as { id: string | number; key: string };
    return { id: String(created.id), key: created.key };
  }

  async linkIssues(link: { typeName: string; inwardKey: string; outwardKey: string }, options: { asUser: boolean }): Promise<void> {
    const as = options.asUser ? api.asUser() : this.jira();
    await productRequest('Issue link', () =>
      as.requestJira(route`/rest/api/3/issueLink`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: { name: link.typeName }, inwardIssue: { key: link.inwardKey }, outwardIssue: { key: link.outwardKey } }),
      }),
    );
  }

  async findMarkedComment(issueIdOrKey: string, marker: CommentMarker): Promise<string | undefined> {
    let startAt = 0;
    for (;;) {
      const res = await productRequest('Comments', () =>
        this.jira().requestJira(route`/rest/api/3/issue/${issueIdOrKey}/comment?expand=properties&startAt=${startAt}&maxResults=100`),
      );
      const page = (await res.json()) as { comments: Array<{ id: string; properties?: Array<{ key: string; value: unknown }> }>; total: number };
      for (const comment of page.comments) {
        const prop = comment.properties?.find((p) => p.key === marker.key)?.value as CommentMarker['value'] | undefined;
        if (prop && prop.invocationId === marker.value.invocationId && prop.kind === marker.value.kind) return comment.id;
      }
      startAt += page.comments.length;
      if (page.comments.length === 0 || startAt >= page.total) return undefined;
    }
  }

  async getComment(issueIdOrKey: string, commentId: string): Promise<CommentFacts> {
    const res = await productRequest('Comment', () => this.jira().requestJira(route`/rest/api/3/issue/${issueIdOrKey}/comment/${commentId}?expand=properties`)).catch((e) => {
      throw e.code === 'NOT_FOUND' ? notFound(`Comment ${commentId}`, 'comment') : e;
    });
    const c = (await res.json()) as JiraComment;
    // JSM marks internal comments with jsdPublic false and the sd.public.comment property; a comment
    // restricted to a group or role (visibility) is not public either.
    const internal = c.jsdPublic === false || c.properties?.some((p) => p.key === 'sd.public.comment' && (p.value as { internal?: boolean })?.internal === true) === true;
    return { id: String(c.id), created: Date.parse(c.created ?? '') || 0, public: !internal && !c.visibility, authorType: c.author?.accountType ?? 'unknown', authorName: c.author?.displayName };
  }

  async permissionsOfCurrentUser(issueIdOrKey: string): Promise<IssuePermissions> {
    // Asked as the user: Jira answers for them, including project roles and issue security.
    const res = await productRequest('Permissions', () =>
      api.asUser().requestJira(route`/rest/api/3/mypermissions?issueKey=${issueIdOrKey}&permissions=BROWSE_PROJECTS,EDIT_ISSUES,ADD_COMMENTS`),
    );
    const { permissions } = (await res.json()) as MyPermissions;
    return {
      browse: permissions.BROWSE_PROJECTS?.havePermission === true,
      edit: permissions.EDIT_ISSUES?.havePermission === true,
      comment: permissions.ADD_COMMENTS?.havePermission === true,
    };
  }

  async currentUserIsAdmin(): Promise<boolean> {
    const res = await productRequest('Permissions', () => api.asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`));
    const { permissions } = (await res.json()) as MyPermissions;
    return permissions.ADMINISTER?.havePermission === true;
  }

  async currentUserName(): Promise<string | undefined> {
    const res = await productRequest('Current user', () => api.asUser().requestJira(route`/rest/api/3/myself`));
    return ((await res.json()) as { displayName?: string }).displayName;
  }

  async listProjects(): Promise<Array<{ key: string; name: string }>> {
    const res = await productRequest('Projects', () => this.jira().requestJira(route`/rest/api/3/project/search?maxResults=100`));
    return ((await res.json()) as { values: Array<{ key: string; name: string }> }).values.map((p) => ({ key: p.key, name: p.name }));
  }

  async listPriorities(): Promise<Array<{ id: string; name: string }>> {
    // /priority/search needs manage:jira-configuration; the plain list needs only read:jira-work.
    const res = await productRequest('Priorities', () => this.jira().requestJira(route`/rest/api/3/priority`));
    return ((await res.json()) as Array<{ id: string; name: string }>).map((p) => ({ id: p.id, name: p.name }));
  }

  async listIssueTypeNames(): Promise<string[]> {
    const res = await productRequest('Issue types', () => this.jira().requestJira(route`/rest/api/3/issuetype`));
    return [...new Set(((await res.json()) as Array<{ name: string }>).map((t) => t.name))];
  }

  async listRequestTypes(): Promise<Array<{ id: string; name: string }>> {
    // JSM's own REST API (not Jira platform v3): paged with start/limit and isLastPage.
    const types: Array<{ id: string; name: string }> = [];
    for (let start = 0; ; ) {
      const res = await productRequest('Request types', () => this.jira().requestJira(route`/rest/servicedeskapi/requesttype?start=${start}&limit=${REQUEST_TYPE_PAGE}`));
      const page = (await res.json()) as { size?: number; isLastPage?: boolean; values?: Array<{ id: string | number; name: string }> };
      const values = page.values ?? [];
      types.push(...values.map((t) => ({ id: String(t.id), name: t.name })));
      if (page.isLastPage !== false || values.length === 0) return types;
      start += values.length;
    }
  }

  async currentUserGroups(): Promise<string[]> {
    // `expand=groups` lists the user's groups (names and ids); asked as the user, it needs no admin rights.
    const res = await productRequest('Current user', () => api.asUser().requestJira(route`/rest/api/3/myself?expand=groups`));
    const body = (await res.json()) as { groups?: { items?: Array<{ name?: string }> } };
    return (body.groups?.items ?? []).flatMap((g) => (typeof g.name === 'string' ? [g.name] : []));
  }

  async groupExists(name: string): Promise<boolean> {
    const res = await productRequest('Groups', () => this.jira().requestJira(route`/rest/api/3/group/bulk?groupName=${name}&maxResults=1`));
    const body = (await res.json()) as { values?: Array<{ name?: string }> };
    return (body.values ?? []).some((g) => typeof g.name === 'string' && g.name.trim().toLowerCase() === name.trim().toLowerCase());
  }

  async searchUsers(query: string, max: number): Promise<JiraPerson[]> {
    // Asked as the user: Jira applies their "Browse users and groups" permission and profile visibility.
    const res = await productRequest('User search', () => api.asUser().requestJira(route`/rest/api/3/user/search?query=${query}&maxResults=${max}`));
    return ((await res.json()) as JiraUser[]).map(person);
  }

  async usersByIds(accountIds: readonly string[]): Promise<Map<string, JiraPerson>> {
    const out = new Map<string, JiraPerson>();
    const ids = [...new Set(accountIds)];
    for (let i = 0; i < ids.length; i += USER_BULK) {
      const chunk = ids.slice(i, i + USER_BULK);
      const query = new URLSearchParams([...chunk.map((id) => ['accountId', id]), ['maxResults', String(USER_BULK)]]);
      const res = await productRequest('Users', () => api.asUser().requestJira(route`/rest/api/3/user/bulk?${query}`));
      for (const user of ((await res.json()) as { values?: JiraUser[] }).values ?? []) out.set(user.accountId, person(user));
    }
    return out;
  }

  async searchFieldValues(jql: string, fieldId: string, pageToken?: string): Promise<{ issues: Array<{ created: number; value: unknown }>; nextPageToken?: string }> {
    const body = { jql, fields: [fieldId, 'created'], maxResults: 100, ...(pageToken ? { nextPageToken: pageToken } : {}) };
    const res = await productRequest('Incident search', () =>
      api.asUser().requestJira(route`/rest/api/3/search/jql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    );
    const page = (await res.json()) as { issues?: JiraIssue[]; nextPageToken?: string };
    return {
      issues: (page.issues ?? []).map((issue) => ({ created: Date.parse(issue.fields.created ?? '') || 0, value: issue.fields[fieldId] })),
      nextPageToken: page.nextPageToken,
    };
  }

  async assetsServices(max: number): Promise<{ state: 'read'; services: Array<{ id: string; name: string }> } | { state: 'unavailable'; reason: string }> {
    // The workspace first: a site without Assets (or a user without access) answers 404/403 here.
    let workspaceId: string | undefined;
    try {
      const res = await productRequest('Assets workspace', () => api.asUser().requestJira(route`/rest/servicedeskapi/assets/workspace`));
      workspaceId = ((await res.json()) as { values?: Array<{ workspaceId?: string }> }).values?.[0]?.workspaceId;
    } catch (error) {
      if (error instanceof ContinuityError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) return { state: 'unavailable', reason: 'This site has no Assets workspace the app can read.' };
      throw error;
    }
    if (!workspaceId) return { state: 'unavailable', reason: 'This site has no Assets workspace.' };
    try {
      // Service objects live in the Services schemas, whose AQL names carry the a_ prefix.
      const res = await productRequest('Assets services', () =>
        api.asUser().requestJira(route`/jsm/assets/workspace/${workspaceId}/v1/object/aql?startAt=0&maxResults=${max}&includeAttributes=false`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ qlQuery: ASSETS_SERVICES_AQL }),
        }),
      );
      const page = (await res.json()) as { values?: Array<{ id?: string | number; globalId?: string; label?: string; name?: string }> };
      const services = (page.values ?? []).flatMap((o) => {
        const id = o.globalId ?? (o.id !== undefined ? String(o.id) : undefined);
        const name = o.label ?? o.name;
        return id && name ? [{ id, name }] : [];
      });
      return { state: 'read', services };
    } catch (error) {
      if (error instanceof ContinuityError && ['NOT_FOUND', 'FORBIDDEN', 'INVALID_INPUT'].includes(error.code)) {
        return { state: 'unavailable', reason: 'Assets did not answer the services query for this user.' };
      }
      throw error;
    }
  }

  async addComment(issueIdOrKey: string, adf: object, options: { internal: boolean; marker?: CommentMarker; asUser?: boolean }): Promise<string> {
    const as = options.asUser ? api.asUser() : this.jira();
    const properties = [{ key: 'sd.public.comment', value: { internal: options.internal } }];
    if (options.marker) properties.push({ key: options.marker.key, value: options.marker.value as never });
    const res = await productRequest('Comment', () =>
      as.requestJira(route`/rest/api/3/issue/${issueIdOrKey}/comment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: adf, properties }),
      }),
      NOT_IDEMPOTENT,
    );
    return String(((await res.json()) as { id: string }).id);
  }
}

interface MyPermissions {
  permissions: Record<string, { havePermission: boolean }>;
}

interface JiraUser {
  accountId: string;
  displayName?: string;
  accountType?: string;
  active?: boolean;
}

const person = (user: JiraUser): JiraPerson => ({ accountId: user.accountId, displayName: user.displayName ?? user.accountId, accountType: user.accountType, active: user.active });

/** Accounts per bulk request (Jira answers up to 200; a URL stays short with 50). */
const USER_BULK = 50;

/** JSM's service objects (Software Registry schema, "a_" AQL names): untested against a real site. */
export const ASSETS_SERVICES_AQL = 'objectSchema = "a_software_registry"';

const REQUEST_TYPE_PAGE = 50;

/**
 * The Request Type field's value is a customer request object, `{ _links, requestType: { id, name,
 * issueTypeId, serviceDeskId, ... }, currentStatus }`, or null for an issue not raised through one.
 */
function requestTypeName(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const name = (value as { requestType?: { name?: unknown } }).requestType?.name;
  return typeof name === 'string' && name !== '' ? name : null;
}

/** JSM stores the major-incident flag as a value object or string; anything set and not "false" counts. */
function isMajorIncident(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'string') return value.toLowerCase() !== 'false' && value !== '';
  if (typeof value === 'object' && 'value' in (value as object)) return /major/i.test(String((value as { value: unknown }).value));
  return Boolean(value);
}

function toFacts(issue: JiraIssue, ids: JiraFieldIds): IncidentFacts {
  const affected = ids.affectedServices ? issue.fields[ids.affectedServices] : undefined;
  const major = ids.majorIncident ? issue.fields[ids.majorIncident] : undefined;
  const requestType = ids.requestType ? issue.fields[ids.requestType] : undefined;
  return {
    issueId: String(issue.id),
    issueKey: issue.key,
    summary: issue.fields.summary ?? '',
    projectKey: issue.fields.project?.key ?? '',
    issueTypeName: issue.fields.issuetype?.name ?? '',
    requestTypeName: requestTypeName(requestType),
    priority: issue.fields.priority ? { id: issue.fields.priority.id, name: issue.fields.priority.name } : null,
    majorIncident: isMajorIncident(major),
    affectedServiceIds: Array.isArray(affected) ? affected.map((s: { id?: string }) => String(s?.id ?? '')).filter(Boolean) : [],
    affectedServiceNames: Array.isArray(affected)
      ? Object.fromEntries(affected.filter((s: { id?: unknown; name?: unknown }) => s?.id && typeof s.name === 'string' && s.name).map((s: { id: unknown; name: string }) => [String(s.id), s.name]))
      : {},
    components: (issue.fields.components ?? []).map((c) => c.name),
    labels: issue.fields.labels ?? [],
    createdAt: Date.parse(issue.fields.created ?? '') || Date.now(),
    resolved: Boolean(issue.fields.resolution),
    ...drillOf(issue),
  };
}

function drillOf(issue: JiraIssue): Pick<IncidentFacts, 'drill'> {
  const drill = readDrillMark(issue.properties?.[DRILL_PROPERTY_KEY]);
  return drill ? { drill } : {};
}
