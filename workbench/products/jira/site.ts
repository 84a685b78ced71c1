/**
 * Lookups over the state and the REST shapes built from it. Every JSON object the local Jira returns
 * for a user, project, issue type, status, priority or field is made here, so the shapes are
 * written once (and checked against Atlassian's OpenAPI document by the contract tests).
 */
import { APP_USER, USERS, type WorkbenchUser } from '../users';
import { issueNotFound, notFound } from './errors';
import type {
  ChangeItem,
  ChangelogRec,
  CommentRec,
  CustomFieldRec,
  IssueRec,
  IssueTypeRec,
  JiraState,
  PriorityRec,
  ProjectRec,
  RequestTypeRec,
  StatusCategoryKey,
  StatusRec,
} from './state';

/** Jira's timestamp format, always in UTC here: `2026-11-22T03:13:43.000+0000`. */
export function jiraDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export const STATUS_CATEGORIES: Record<StatusCategoryKey, { id: number; key: string; colorName: string; name: string }> = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

export function allUsers(): WorkbenchUser[] {
  return [...USERS, APP_USER];
}

export function userById(accountId: string | null | undefined): WorkbenchUser | undefined {
  if (!accountId) return undefined;
  return allUsers().find((u) => u.accountId === accountId);
}

/** Extracts the plain text of an ADF document (text nodes, mentions, emoji), for search and rendering. */
export function adfText(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const rec = n as { type?: string; text?: string; attrs?: { text?: string; shortName?: string }; content?: unknown[] };
    if (typeof rec.text === 'string') out.push(rec.text);
    else if (rec.type === 'mention' && rec.attrs?.text) out.push(rec.attrs.text);
    else if (rec.type === 'emoji' && rec.attrs?.shortName) out.push(rec.attrs.shortName);
    if (Array.isArray(rec.content)) {
      for (const c of rec.content) walk(c);
      if (rec.type === 'paragraph' || rec.type === 'heading' || rec.type === 'listItem') out.push('\n');
    }
  };
  walk(node);
  return out.join('').replace(/\n+$/, '');
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A plain rendering of ADF as HTML paragraphs (what `expand=renderedFields` returns here). */
export function adfToHtml(doc: unknown): string {
  const text = adfText(doc);
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

export class Site {
  constructor(
    private readonly getState: () => JiraState,
    readonly siteUrl: string,
  ) {}

  get state(): JiraState {
    return this.getState();
  }

  api(path: string): string {
    return `${this.siteUrl}/rest/api/3/${path}`;
  }

  // ---- lookups --------------------------------------------------------------------------------

  findProject(idOrKey: string): ProjectRec | undefined {
    const needle = idOrKey.toLowerCase();
    return this.state.projects.find((p) => p.id === idOrKey || p.key.toLowerCase() === needle);
  }

  project(idOrKey: string): ProjectRec {
    const p = this.findProject(idOrKey);
    if (!p) throw notFound(`No project could be found with key '${idOrKey}'.`);
    return p;
  }

  projectById(id: string): ProjectRec {
    return this.state.projects.find((p) => p.id === id)!;
  }

  /** Told of every issue a request reaches, so that its save can journal the ones changed in place. */
  onIssue?: (issue: IssueRec) => void;

  findIssue(idOrKey: string): IssueRec | undefined {
    const upper = idOrKey.toUpperCase();
    const issue = this.state.issues.find((i) => i.id === idOrKey || i.key === upper);
    if (issue) this.onIssue?.(issue);
    return issue;
  }

  issue(idOrKey: string): IssueRec {
    const i = this.findIssue(idOrKey);
    if (!i) throw issueNotFound();
    return i;
  }

  issueType(id: string): IssueTypeRec {
    return this.state.issueTypes.find((t) => t.id === id)!;
  }

  status(id: string): StatusRec {
    return this.state.statuses.find((s) => s.id === id)!;
  }

  priority(id: string): PriorityRec {
    return this.state.priorities.find((p) => p.id === id)!;
  }

  defaultPriority(): PriorityRec {
    return this.state.priorities.find((p) => p.isDefault) ?? this.state.priorities[0];
  }

  customField(id: string): CustomFieldRec | undefined {
    return this.state.customFields.find((f) => f.id === id);
  }

  findRequestType(id: string): RequestTypeRec | undefined {
    return this.state.requestTypes.find((t) => t.id === id);
  }

  customFieldOfKind(kind: CustomFieldRec['kind']): CustomFieldRec | undefined {
    return this.state.customFields.find((f) => f.kind === kind);
  }

  /** Finds a comment anywhere on the site (comment properties are addressed by comment id alone). */
  findComment(commentId: string): { issue: IssueRec; comment: CommentRec } | undefined {
    for (const issue of this.state.issues) {
      const comment = issue.comments.find((c) => c.id === commentId);
      if (comment) {
        this.onIssue?.(issue);
        return { issue, comment };
      }
    }
    return undefined;
  }

  // ---- shapes ---------------------------------------------------------------------------------

  avatarUrls(kind: 'user' | 'project', id: string): Record<'16x16' | '24x24' | '32x32' | '48x48', string> {
    const base = `${this.siteUrl}/workbench/avatars/${kind}/${encodeURIComponent(id)}`;
    return { '16x16': `${base}?size=16`, '24x24': `${base}?size=24`, '32x32': `${base}?size=32`, '48x48': `${base}?size=48` };
  }

  /** `UserDetails` (authors, reporters): no locale, no groups. */
  userDetails(user: WorkbenchUser): Record<string, unknown> {
    const out: Record<string, unknown> = {
      self: this.api(`user?accountId=${encodeURIComponent(user.accountId)}`),
      accountId: user.accountId,
      accountType: user === APP_USER ? 'app' : 'atlassian',
    };
    if (user.emailAddress) out.emailAddress = user.emailAddress;
    out.avatarUrls = this.avatarUrls('user', user.accountId);
    out.displayName = user.displayName;
    out.active = true;
    out.timeZone = user.timeZone ?? 'Etc/UTC';
    return out;
  }

  userDetailsById(accountId: string | null): Record<string, unknown> | null {
    const u = userById(accountId);
    return u ? this.userDetails(u) : null;
  }

  /** `User` (myself, user?accountId=): adds locale, groups (listed with `expand=groups`) and application roles. */
  user(user: WorkbenchUser, expand: readonly string[] = []): Record<string, unknown> {
    return {
      ...this.userDetails(user),
      locale: 'en_US',
      groups: { size: user.groups.length, items: expand.includes('groups') ? user.groups.map((name) => this.groupName(name)) : [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    };
  }

  /** `GroupName`: a group's name, id and URL (ids are stable per name here). */
  groupName(name: string): Record<string, unknown> {
    const groupId = `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padEnd(12, '0').slice(0, 12)}`;
    return { name, groupId, self: this.api(`group?groupId=${groupId}`) };
  }

  statusCategory(key: StatusCategoryKey): Record<string, unknown> {
    const c = STATUS_CATEGORIES[key];
    return { self: this.api(`statuscategory/${c.id}`), id: c.id, key: c.key, colorName: c.colorName, name: c.name };
  }

  status_(s: StatusRec): Record<string, unknown> {
    return {
      self: this.api(`status/${s.id}`),
      description: s.description,
      iconUrl: `${this.siteUrl}/images/icons/statuses/${s.iconName}`,
      name: s.name,
      untranslatedName: s.name,
      id: s.id,
      statusCategory: this.statusCategory(s.category),
    };
  }

  priority_(p: PriorityRec, withDetails = true): Record<string, unknown> {
    const out: Record<string, unknown> = {
      self: this.api(`priority/${p.id}`),
      iconUrl: `${this.siteUrl}/images/icons/priorities/${p.iconName}.svg`,
      name: p.name,
      id: p.id,
    };
    if (withDetails) {
      out.statusColor = p.statusColor;
      out.description = p.description;
    }
    return out;
  }

  issueType_(t: IssueTypeRec): Record<string, unknown> {
    return {
      self: this.api(`issuetype/${t.id}`),
      id: t.id,
      description: t.description,
      iconUrl: `${this.siteUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${t.avatarId}?size=medium`,
      name: t.name,
      subtask: false,
      avatarId: t.avatarId,
      hierarchyLevel: t.hierarchyLevel,
    };
  }

  component_(project: ProjectRec, c: { id: string; name: string; description: string }): Record<string, unknown> {
    return {
      self: this.api(`component/${c.id}`),
      id: c.id,
      name: c.name,
      description: c.description,
    };
  }

  /** The short project shape used in issue fields and `GET /project`. */
  projectSummary(p: ProjectRec): Record<string, unknown> {
    return {
      self: this.api(`project/${p.id}`),
      id: p.id,
      key: p.key,
      name: p.name,
      projectTypeKey: p.projectTypeKey,
      simplified: false,
      avatarUrls: this.avatarUrls('project', p.id),
    };
  }

  /** The list shape (`GET /project`, `project/search`). */
  projectListItem(p: ProjectRec): Record<string, unknown> {
    return {
      expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
      ...this.projectSummary(p),
      style: 'classic',
      isPrivate: false,
      properties: {},
    };
  }

  /** The full shape (`GET /project/{key}`). */
  projectFull(p: ProjectRec): Record<string, unknown> {
    const lead = userById(p.leadAccountId);
    return {
      ...this.projectListItem(p),
      description: p.description,
      lead: lead ? this.userDetails(lead) : undefined,
      components: p.components.map((c) => ({ ...this.component_(p, c), isAssigneeTypeValid: false, assigneeType: 'PROJECT_DEFAULT', project: p.key, projectId: Number(p.id) })),
      issueTypes: p.issueTypeIds.map((id) => this.issueType_(this.issueType(id))),
      assigneeType: 'UNASSIGNED',
      versions: [],
      roles: {},
    };
  }

  resolution_(id: string | null): Record<string, unknown> | null {
    if (!id) return null;
    const r = this.state.resolutions.find((x) => x.id === id);
    if (!r) return null;
    return { self: this.api(`resolution/${r.id}`), id: r.id, description: r.description, name: r.name };
  }

  comment_(issue: IssueRec, c: CommentRec, expand: Set<string> = new Set()): Record<string, unknown> {
    const internal = isInternal(c);
    const out: Record<string, unknown> = {
      self: this.api(`issue/${issue.id}/comment/${c.id}`),
      id: c.id,
      author: this.userDetailsById(c.authorId) ?? undefined,
      body: c.body,
      updateAuthor: this.userDetailsById(c.updateAuthorId) ?? undefined,
      created: jiraDate(c.created),
      updated: jiraDate(c.updated),
      jsdPublic: !internal,
    };
    if (expand.has('renderedBody')) out.renderedBody = adfToHtml(c.body);
    if (expand.has('properties')) out.properties = Object.entries(c.properties).map(([key, value]) => ({ key, value }));
    return out;
  }

  changeItem(i: ChangeItem): Record<string, unknown> {
    // The OpenAPI document types from/to as plain strings: an absent value is left out rather than null.
    const out: Record<string, unknown> = { field: i.field, fieldtype: i.fieldtype, fieldId: i.fieldId };
    if (i.from !== null) out.from = i.from;
    if (i.fromString !== null) out.fromString = i.fromString;
    if (i.to !== null) out.to = i.to;
    if (i.toString !== null) out['toString'] = i.toString;
    return out;
  }

  changelog_(c: ChangelogRec): Record<string, unknown> {
    return {
      id: c.id,
      author: this.userDetailsById(c.authorId) ?? undefined,
      created: jiraDate(c.created),
      items: c.items.map((i) => this.changeItem(i)),
    };
  }

  /** JSM's REST API lives beside the platform's: `/rest/servicedeskapi/...`. */
  serviceDeskApi(path: string): string {
    return `${this.siteUrl}/rest/servicedeskapi/${path}`;
  }

  /** JSM's `RequestTypeDTO`, as `GET /rest/servicedeskapi/requesttype` lists it. */
  requestType_(t: RequestTypeRec): Record<string, unknown> {
    return {
      _links: { self: this.serviceDeskApi(`servicedesk/${t.serviceDeskId}/requesttype/${t.id}`) },
      id: t.id,
      name: t.name,
      description: t.description,
      helpText: t.helpText,
      issueTypeId: t.issueTypeId,
      serviceDeskId: t.serviceDeskId,
      portalId: t.serviceDeskId,
      groupIds: [...t.groupIds],
      icon: { id: '10500', _links: { iconUrls: { '16x16': `${this.siteUrl}/rest/api/2/universal_avatar/view/type/SD_REQTYPE/avatar/10500?size=xsmall` } } },
    };
  }

  /**
   * The Request Type field's value on an issue: JSM's customer request summary, `{ _links, requestType,
   * currentStatus }`, with the request type in the same shape the servicedeskapi lists it.
   */
  customerRequest_(issue: IssueRec, t: RequestTypeRec): Record<string, unknown> {
    const status = this.status(issue.statusId);
    return {
      _links: {
        jiraRest: this.api(`issue/${issue.id}`),
        web: `${this.siteUrl}/servicedesk/customer/portal/${t.serviceDeskId}/${issue.key}`,
        agent: `${this.siteUrl}/browse/${issue.key}`,
        self: this.serviceDeskApi(`request/${issue.id}`),
      },
      requestType: this.requestType_(t),
      currentStatus: {
        status: status.name,
        statusCategory: status.category.toUpperCase(),
        statusDate: {
          iso8601: jiraDate(issue.statusCategoryChangeDate),
          jira: jiraDate(issue.statusCategoryChangeDate),
          friendly: new Date(issue.statusCategoryChangeDate).toUTCString(),
          epochMillis: issue.statusCategoryChangeDate,
        },
      },
    };
  }

  /** Services referenced by the Affected services field, resolved to `{ id, name }`. */
  serviceRefs(ids: unknown): Array<{ id: string; name: string }> {
    if (!Array.isArray(ids)) return [];
    return ids.map((id) => ({ id: String(id), name: this.state.services.find((s) => s.id === id)?.name ?? String(id) }));
  }
}

/** JSM marks internal comments with the `sd.public.comment` property `{ internal: true }`. */
export function isInternal(c: CommentRec): boolean {
  const prop = c.properties['sd.public.comment'];
  return !!prop && typeof prop === 'object' && (prop as { internal?: unknown }).internal === true;
}
