/**
 * JSM change requests that prompt a plan review. Pure. A change request is an issue of a type named in
 * the settings (`changeIssueTypeNames`, compared ignoring case); the catalogue services it affects
 * (through the Affected services field, as for incidents) have their plans flagged "review due".
 */
import type { ContinuitySettings } from '../incident';

/** Whether an issue of this type is a change request under the settings (none are when none are named). */
export function isChangeRequestType(issueTypeName: string | undefined, settings: Pick<ContinuitySettings, 'changeIssueTypeNames'>): boolean {
  const names = (settings.changeIssueTypeNames ?? []).map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  return issueTypeName !== undefined && names.includes(issueTypeName.trim().toLowerCase());
}

interface IssueEventShape {
  eventType?: string;
  issue?: { fields?: { issuetype?: { name?: unknown } } };
  changelog?: { items?: Array<{ field?: string; fieldId?: string }> };
}

/** The issue type's name as the event carries it (created and updated events carry the issue's fields). */
export function eventIssueType(event: IssueEventShape): string | undefined {
  const name = event.issue?.fields?.issuetype?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Whether an issue event may change which services a change request affects: its creation, or an
 * update touching a custom field (Affected services' id differs per site) or the issue type; an update
 * without a changelog counts (it cannot be told apart).
 */
export function mayAffectServices(event: IssueEventShape): boolean {
  if (event.eventType !== 'avi:jira:updated:issue') return true;
  const items = event.changelog?.items;
  if (!items || items.length === 0) return true;
  return items.some((i) => (i.fieldId ?? '').startsWith('customfield_') || (i.fieldId ?? i.field ?? '').toLowerCase() === 'issuetype');
}
