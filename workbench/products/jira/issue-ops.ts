/**
 * Writing issue fields: the `fields` / `update` semantics of create, edit and transition, with Jira's
 * validation messages (collected per field, so one request reports every bad field at once), and the
 * changelog items each change produces.
 */
import { checkAdf, NOT_ADF_MESSAGE } from './adf';
import { findSecurityLevel, hasPermission } from './permissions';
import { MAJOR_INCIDENT_VALUE } from './seed';
import { adfText, userById, type Site } from './site';
import type { ChangeItem, IssueRec, ProjectRec } from './state';
import { isObject } from './routes/util';

export type FieldOp = 'set' | 'add' | 'remove';

export const cannotBeSet = (fieldId: string): string =>
  `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;

const SUMMARY_REQUIRED = 'You must specify a summary of the issue.';

/**
 * Applies one operation on one field to `issue` (a working copy). Problems go to `errors[fieldId]`;
 * the caller commits the copy only when `errors` stays empty.
 */
export function applyFieldOp(site: Site, issue: IssueRec, project: ProjectRec, fieldId: string, op: FieldOp, value: unknown, errors: Record<string, string>): void {
  const fail = (message: string): void => {
    errors[fieldId] ??= message;
  };
  const onlySet = (): boolean => {
    if (op !== 'set') fail(`The operation '${op}' is not supported by the field '${fieldId}'.`);
    return op === 'set';
  };
  switch (fieldId) {
    case 'summary': {
      if (!onlySet()) return;
      if (typeof value !== 'string' || !value.trim()) return fail(SUMMARY_REQUIRED);
      if (value.length > 255) return fail('Summary must be less than 255 characters.');
      if (/[\r\n]/.test(value)) return fail('The summary is invalid because it contains newline characters.');
      issue.summary = value;
      return;
    }
    case 'description': {
      if (!onlySet()) return;
      if (value === null) {
        issue.description = null;
        return;
      }
      if (!checkAdf(value).ok) return fail(NOT_ADF_MESSAGE);
      issue.description = value;
      return;
    }
    case 'priority': {
      if (!onlySet()) return;
      if (value === null) {
        issue.priorityId = site.defaultPriority().id;
        return;
      }
      const ref = isObject(value) ? value : {};
      const p = site.state.priorities.find((x) => (ref.id !== undefined && x.id === String(ref.id)) || (typeof ref.name === 'string' && x.name.toLowerCase() === ref.name.toLowerCase()));
      if (!p) return fail('The priority selected is invalid.');
      issue.priorityId = p.id;
      return;
    }
    case 'labels': {
      const check = (l: unknown): l is string => {
        if (typeof l !== 'string' || !l) {
          fail('The label is invalid: labels are non-empty strings.');
          return false;
        }
        if (/\s/.test(l)) {
          fail(`The label '${l}' contains spaces which is invalid.`);
          return false;
        }
        if (l.length > 255) {
          fail('The label must be less than 255 characters.');
          return false;
        }
        return true;
      };
      if (op === 'set') {
        const list = value === null ? [] : value;
        if (!Array.isArray(list)) return fail('The labels must be given as a list.');
        if (!list.every(check)) return;
        issue.labels = [...new Set(list as string[])];
      } else if (check(value)) {
        issue.labels = op === 'add' ? [...new Set([...issue.labels, value])] : issue.labels.filter((l) => l !== value);
      }
      return;
    }
    case 'components': {
      const find = (ref: unknown): string | undefined => {
        const r = isObject(ref) ? ref : {};
        const c = project.components.find((x) => (r.id !== undefined && x.id === String(r.id)) || (typeof r.name === 'string' && x.name.toLowerCase() === r.name.toLowerCase()));
        if (!c) {
          fail(r.id !== undefined ? `Component with id '${String(r.id)}' does not exist.` : `Component name '${String(r.name ?? '')}' is not valid.`);
          return undefined;
        }
        return c.id;
      };
      if (op === 'set') {
        const list = value === null ? [] : value;
        if (!Array.isArray(list)) return fail('The components must be given as a list.');
        const ids = list.map(find);
        if (ids.some((x) => x === undefined)) return;
        issue.componentIds = [...new Set(ids as string[])];
      } else {
        const id = find(value);
        if (id === undefined) return;
        issue.componentIds = op === 'add' ? [...new Set([...issue.componentIds, id])] : issue.componentIds.filter((c) => c !== id);
      }
      return;
    }
    case 'security': {
      if (!onlySet()) return;
      if (value === null) {
        issue.securityLevelId = null;
        return;
      }
      const id = isObject(value) && value.id !== undefined ? String(value.id) : undefined;
      if (!id || !findSecurityLevel(id)) return fail(`Security level '${id ?? ''}' is not valid for this project.`);
      issue.securityLevelId = id;
      return;
    }
    case 'assignee':
    case 'reporter': {
      if (!onlySet()) return;
      if (value === null) {
        if (fieldId === 'reporter') return fail('Reporter is required.');
        issue.assigneeId = null;
        return;
      }
      const accountId = isObject(value) && typeof value.accountId === 'string' ? value.accountId : undefined;
      const user = userById(accountId);
      if (!user) return fail(`Specified user does not exist or you do not have required permissions: '${accountId ?? ''}'.`);
      if (fieldId === 'assignee') {
        if (!hasPermission(user, 'ASSIGNABLE_USER')) return fail(`User '${user.displayName}' cannot be assigned issues.`);
        issue.assigneeId = user.accountId;
      } else issue.reporterId = user.accountId;
      return;
    }
    default: {
      const cf = site.customField(fieldId);
      if (!cf || !cf.projectIds.includes(project.id)) return fail(cannotBeSet(fieldId));
      if (cf.kind === 'majorIncident') {
        if (!onlySet()) return;
        if (value === null || value === MAJOR_INCIDENT_VALUE) {
          issue.custom[cf.id] = value;
          return;
        }
        return fail(`The value of '${cf.name}' must be '${MAJOR_INCIDENT_VALUE}' or null.`);
      }
      if (cf.kind === 'requestType') {
        // Set with the request type's id as a plain string (an object is refused, as JSM does).
        if (!onlySet()) return;
        if (value === null) {
          issue.custom[cf.id] = null;
          return;
        }
        if (typeof value !== 'string') return fail('Operation value must be a string');
        const t = site.findRequestType(value);
        if (!t || t.projectId !== project.id) return fail(`The request type with id '${value}' does not exist in this service project.`);
        issue.custom[cf.id] = t.id;
        return;
      }
      // Affected services: a list of `{ id }` service references.
      const current = Array.isArray(issue.custom[cf.id]) ? (issue.custom[cf.id] as string[]) : [];
      const ref = (v: unknown): string | undefined => {
        const id = isObject(v) && typeof v.id === 'string' ? v.id : undefined;
        if (id === undefined) {
          fail(`Specify each of '${cf.name}' as an object with a service 'id'.`);
          return undefined;
        }
        if (!site.state.services.some((s) => s.id === id)) {
          fail(`The service with id '${id}' does not exist.`);
          return undefined;
        }
        return id;
      };
      if (op === 'set') {
        const list = value === null ? [] : value;
        if (!Array.isArray(list)) return fail(`Specify '${cf.name}' as a list of service references.`);
        const ids = list.map(ref);
        if (ids.some((x) => x === undefined)) return;
        const next = [...new Set(ids as string[])];
        issue.custom[cf.id] = next.length ? next : null;
      } else {
        const id = ref(value);
        if (id === undefined) return;
        const next = op === 'add' ? [...new Set([...current, id])] : current.filter((x) => x !== id);
        issue.custom[cf.id] = next.length ? next : null;
      }
    }
  }
}

/**
 * Applies a request's `fields` (set) and `update` (lists of `{ set | add | remove }`) to a working copy.
 * `readOnly` names fields that exist but may not be written here (project and issue type on edit).
 */
export function applyFieldsAndUpdate(
  site: Site,
  issue: IssueRec,
  project: ProjectRec,
  fields: Record<string, unknown>,
  update: Record<string, unknown>,
  readOnly: string[],
  errors: Record<string, string>,
): void {
  for (const [fieldId, value] of Object.entries(fields)) {
    if (readOnly.includes(fieldId)) {
      errors[fieldId] = cannotBeSet(fieldId);
      continue;
    }
    if (fieldId in update) {
      errors[fieldId] = `Field '${fieldId}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    applyFieldOp(site, issue, project, fieldId, 'set', value, errors);
  }
  for (const [fieldId, operations] of Object.entries(update)) {
    if (readOnly.includes(fieldId)) {
      errors[fieldId] = cannotBeSet(fieldId);
      continue;
    }
    if (!Array.isArray(operations)) {
      errors[fieldId] = `The update of '${fieldId}' must be a list of operations.`;
      continue;
    }
    for (const operation of operations) {
      const entries = isObject(operation) ? Object.entries(operation) : [];
      if (entries.length !== 1 || !['set', 'add', 'remove'].includes(entries[0][0])) {
        errors[fieldId] ??= `Each operation on '${fieldId}' must be one of 'set', 'add' or 'remove'.`;
        continue;
      }
      applyFieldOp(site, issue, project, fieldId, entries[0][0] as FieldOp, entries[0][1], errors);
    }
  }
}

const jiraItem = (fieldId: string, field: string, from: string | null, fromString: string | null, to: string | null, toString: string | null): ChangeItem => ({
  field,
  fieldtype: 'jira',
  fieldId,
  from,
  fromString,
  to,
  toString,
});

/** The changelog items between two versions of an issue, one per changed field (per component). */
export function diffIssue(site: Site, before: IssueRec, after: IssueRec): ChangeItem[] {
  const items: ChangeItem[] = [];
  const name = (id: string | null): string | null => (id ? (userById(id)?.displayName ?? id) : null);
  if (before.summary !== after.summary) items.push(jiraItem('summary', 'summary', null, before.summary, null, after.summary));
  if (JSON.stringify(before.description) !== JSON.stringify(after.description)) {
    items.push(jiraItem('description', 'description', null, before.description ? adfText(before.description) : null, null, after.description ? adfText(after.description) : null));
  }
  if (before.priorityId !== after.priorityId) {
    items.push(jiraItem('priority', 'priority', before.priorityId, site.priority(before.priorityId).name, after.priorityId, site.priority(after.priorityId).name));
  }
  if (before.labels.join(' ') !== after.labels.join(' ')) {
    items.push(jiraItem('labels', 'labels', null, before.labels.join(' ') || null, null, after.labels.join(' ') || null));
  }
  const project = site.projectById(after.projectId);
  const componentName = (id: string): string => project.components.find((c) => c.id === id)?.name ?? id;
  for (const id of before.componentIds.filter((c) => !after.componentIds.includes(c))) items.push(jiraItem('components', 'Component', id, componentName(id), null, null));
  for (const id of after.componentIds.filter((c) => !before.componentIds.includes(c))) items.push(jiraItem('components', 'Component', null, null, id, componentName(id)));
  if (before.assigneeId !== after.assigneeId) items.push(jiraItem('assignee', 'assignee', before.assigneeId, name(before.assigneeId), after.assigneeId, name(after.assigneeId)));
  if (before.reporterId !== after.reporterId) items.push(jiraItem('reporter', 'reporter', before.reporterId, name(before.reporterId), after.reporterId, name(after.reporterId)));
  if (before.statusId !== after.statusId) {
    items.push(jiraItem('status', 'status', before.statusId, site.status(before.statusId).name, after.statusId, site.status(after.statusId).name));
  }
  if (before.resolution !== after.resolution) {
    const rname = (id: string | null): string | null => (id ? (site.state.resolutions.find((r) => r.id === id)?.name ?? id) : null);
    items.push(jiraItem('resolution', 'resolution', before.resolution, rname(before.resolution), after.resolution, rname(after.resolution)));
  }
  for (const cf of site.state.customFields) {
    const a = before.custom[cf.id] ?? null;
    const b = after.custom[cf.id] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const ids = (v: unknown): string | null => (Array.isArray(v) && v.length ? v.join(',') : typeof v === 'string' ? v : null);
    const names = (v: unknown): string | null => {
      if (Array.isArray(v)) return v.length ? site.serviceRefs(v).map((s) => s.name).join(', ') : null;
      if (typeof v !== 'string') return null;
      return cf.kind === 'requestType' ? (site.findRequestType(v)?.name ?? v) : v;
    };
    items.push({ field: cf.name, fieldtype: 'custom', fieldId: cf.id, from: ids(a), fromString: names(a), to: ids(b), toString: names(b) });
  }
  return items;
}
