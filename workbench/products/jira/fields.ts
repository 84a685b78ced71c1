/**
 * The field catalogue (system fields + the site's custom fields): what `GET /field` lists, what
 * `fields=` selects, what createmeta describes, and how each field's value is rendered on an issue.
 */
import type { CustomFieldRec, IssueRec } from './state';
import { issueLinksJson } from './routes/issuelinks';
import { adfToHtml, jiraDate, type Site } from './site';

export interface FieldDef {
  id: string;
  name: string;
  custom: boolean;
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema?: { type: string; items?: string; system?: string; custom?: string; customId?: number };
  /** Fields that are not returned inside `issue.fields` (issuekey, statusCategory). */
  virtual?: boolean;
  /** Fields a create/edit request may set. */
  settable?: boolean;
}

const sys = (
  id: string,
  name: string,
  schema: FieldDef['schema'] | undefined,
  clauseNames: string[],
  opts: Partial<Pick<FieldDef, 'orderable' | 'navigable' | 'searchable' | 'virtual' | 'settable'>> = {},
): FieldDef => ({
  id,
  name,
  custom: false,
  orderable: opts.orderable ?? true,
  navigable: opts.navigable ?? true,
  searchable: opts.searchable ?? true,
  clauseNames,
  ...(schema ? { schema } : {}),
  virtual: opts.virtual,
  settable: opts.settable ?? false,
});

export const SYSTEM_FIELDS: FieldDef[] = [
  sys('issuetype', 'Issue Type', { type: 'issuetype', system: 'issuetype' }, ['issuetype', 'type'], { settable: true }),
  sys('project', 'Project', { type: 'project', system: 'project' }, ['project'], { settable: true }),
  sys('summary', 'Summary', { type: 'string', system: 'summary' }, ['summary'], { settable: true }),
  sys('description', 'Description', { type: 'string', system: 'description' }, ['description'], { settable: true }),
  sys('status', 'Status', { type: 'status', system: 'status' }, ['status'], { orderable: false }),
  sys('priority', 'Priority', { type: 'priority', system: 'priority' }, ['priority'], { settable: true }),
  sys('labels', 'Labels', { type: 'array', items: 'string', system: 'labels' }, ['labels'], { settable: true }),
  sys('components', 'Components', { type: 'array', items: 'component', system: 'components' }, ['component'], { settable: true }),
  sys('reporter', 'Reporter', { type: 'user', system: 'reporter' }, ['reporter'], { settable: true }),
  sys('assignee', 'Assignee', { type: 'user', system: 'assignee' }, ['assignee'], { settable: true }),
  sys('creator', 'Creator', { type: 'user', system: 'creator' }, ['creator'], { orderable: false }),
  sys('created', 'Created', { type: 'datetime', system: 'created' }, ['created', 'createdDate'], { orderable: false }),
  sys('updated', 'Updated', { type: 'datetime', system: 'updated' }, ['updated', 'updatedDate'], { orderable: false }),
  sys('resolution', 'Resolution', { type: 'resolution', system: 'resolution' }, ['resolution'], { orderable: false }),
  sys('resolutiondate', 'Resolved', { type: 'datetime', system: 'resolutiondate' }, ['resolutiondate', 'resolved'], { orderable: false }),
  sys('statuscategorychangedate', 'Status Category Changed', { type: 'datetime', system: 'statuscategorychangedate' }, ['statusCategoryChangedDate'], { orderable: false }),
  sys('comment', 'Comment', { type: 'comments-page', system: 'comment' }, ['comment'], { navigable: false }),
  sys('issuelinks', 'Linked Issues', { type: 'array', items: 'issuelinks', system: 'issuelinks' }, ['issueLink'], { orderable: false }),
  sys('statusCategory', 'Status Category', { type: 'statusCategory', system: 'statusCategory' }, ['statusCategory'], { orderable: false, virtual: true }),
  sys('issuekey', 'Key', undefined, ['id', 'issue', 'issuekey', 'key'], { orderable: false, searchable: false, virtual: true }),
];

export function customFieldDef(f: CustomFieldRec): FieldDef {
  return {
    id: f.id,
    name: f.name,
    custom: true,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: [`cf[${f.numericId}]`, f.name],
    schema: { ...f.schema },
    settable: true,
  };
}

export function allFields(site: Site): FieldDef[] {
  return [...SYSTEM_FIELDS, ...site.state.customFields.map(customFieldDef)];
}

/** `FieldDetails` for `GET /field`. */
export function fieldDetails(f: FieldDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: f.id,
    key: f.id,
    name: f.name,
    custom: f.custom,
    orderable: f.orderable,
    navigable: f.navigable,
    searchable: f.searchable,
    clauseNames: f.clauseNames,
  };
  if (f.schema) out.schema = f.schema;
  return out;
}

/** The fields that appear in `issue.fields` (every non-virtual field). */
export function issueFieldDefs(site: Site): FieldDef[] {
  return allFields(site).filter((f) => !f.virtual);
}

/**
 * Resolves Jira's `fields` parameter (`*all`, `*navigable`, ids, `-id` exclusions, comma lists, repeated
 * params) to the set of field ids to return. Unknown names are ignored, as Jira does.
 */
export function selectFields(site: Site, specs: string[] | undefined, fallback: '*all' | 'id'): Set<string> {
  const defs = issueFieldDefs(site);
  const items = (specs && specs.length ? specs : [fallback]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const selected = new Set<string>();
  const excluded = new Set<string>();
  for (const item of items) {
    if (item === '*all') defs.forEach((f) => selected.add(f.id));
    else if (item === '*navigable') defs.filter((f) => f.navigable).forEach((f) => selected.add(f.id));
    else if (item.startsWith('-')) excluded.add(item.slice(1));
    else if (item === 'id' || item === 'key') continue;
    else if (defs.some((f) => f.id === item)) selected.add(item);
  }
  for (const x of excluded) selected.delete(x);
  return selected;
}

/** The REST value of one field of an issue. */
export function fieldValue(site: Site, issue: IssueRec, fieldId: string): unknown {
  const project = site.projectById(issue.projectId);
  switch (fieldId) {
    case 'issuetype':
      return site.issueType_(site.issueType(issue.issueTypeId));
    case 'project':
      return site.projectSummary(project);
    case 'summary':
      return issue.summary;
    case 'description':
      return issue.description ?? null;
    case 'status':
      return site.status_(site.status(issue.statusId));
    case 'priority':
      return site.priority_(site.priority(issue.priorityId), false);
    case 'labels':
      return [...issue.labels];
    case 'components':
      return issue.componentIds
        .map((id) => project.components.find((c) => c.id === id))
        .filter((c): c is NonNullable<typeof c> => !!c)
        .map((c) => site.component_(project, c));
    case 'reporter':
      return site.userDetailsById(issue.reporterId);
    case 'assignee':
      return site.userDetailsById(issue.assigneeId);
    case 'creator':
      return site.userDetailsById(issue.creatorId);
    case 'created':
      return jiraDate(issue.created);
    case 'updated':
      return jiraDate(issue.updated);
    case 'resolution':
      return site.resolution_(issue.resolution);
    case 'resolutiondate':
      return issue.resolutionDate === null ? null : jiraDate(issue.resolutionDate);
    case 'statuscategorychangedate':
      return jiraDate(issue.statusCategoryChangeDate);
    case 'issuelinks':
      return issueLinksJson(site, issue);
    case 'comment':
      return {
        comments: issue.comments.map((c) => site.comment_(issue, c)),
        self: site.api(`issue/${issue.id}/comment`),
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      };
    default: {
      const cf = site.customField(fieldId);
      if (!cf) return null;
      const raw = issue.custom[cf.id];
      if (raw === undefined || raw === null) return null;
      if (cf.kind === 'affectedServices') {
        const refs = site.serviceRefs(raw);
        return refs.length ? refs : null;
      }
      if (cf.kind === 'requestType') {
        const t = site.findRequestType(String(raw));
        return t ? site.customerRequest_(issue, t) : null;
      }
      return raw;
    }
  }
}

/** `renderedFields`: rich text as HTML, dates as display strings, everything else null. */
export function renderedValue(site: Site, issue: IssueRec, fieldId: string): unknown {
  switch (fieldId) {
    case 'description':
      return issue.description ? adfToHtml(issue.description) : null;
    case 'created':
    case 'updated':
    case 'resolutiondate':
    case 'statuscategorychangedate': {
      const v = fieldValue(site, issue, fieldId);
      return typeof v === 'string' ? new Date(v).toUTCString() : null;
    }
    case 'comment':
      return {
        comments: issue.comments.map((c) => ({ ...site.comment_(issue, c), body: adfToHtml(c.body) })),
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      };
    default: {
      const v = fieldValue(site, issue, fieldId);
      return typeof v === 'string' ? v : null;
    }
  }
}
