/**
 * The JSM queue page: the project's incidents found by JQL as the signed-in person, with the app's
 * continuity columns read from its issue property `service-continuity` the way a JQL-driven column
 * reads it (`properties=` on the search), and the form that raises an incident.
 */
import type { Workbench } from '../workbench';
import type { ProductRequest } from '../products/types';
import { MAJOR_INCIDENT_VALUE } from '../products/jira/seed';
import { incidentList, type Chrome, type IssueRow } from '../host/pages';
import { serviceNames } from './issue-page';

export const CONTINUITY_PROPERTY = 'service-continuity';
const NONE = '—';

function asUser(accountId: string, p: string): ProductRequest {
  const url = new URL(p, 'http://workbench.local');
  return { method: 'GET', path: url.pathname, query: url.searchParams, headers: {}, body: undefined, principal: { kind: 'user', accountId } };
}

const STATE_NAMES: Record<string, string> = { open: 'Open', recovered: 'Recovered', 'stood-down': 'Stood down' };

/** The continuity columns of one incident, from the app's property (whatever its shape, never trusted). */
export function continuityColumns(property: unknown, now: number): Pick<IssueRow, 'continuity' | 'rtoDue' | 'rtoOverdue'> {
  if (!property || typeof property !== 'object') return { continuity: NONE, rtoDue: NONE };
  const p = property as { openInvocations?: unknown; nextRtoDueAt?: unknown; states?: unknown };
  const open = typeof p.openInvocations === 'number' ? p.openInvocations : 0;
  const states = Array.isArray(p.states) ? p.states.filter((s): s is string => typeof s === 'string') : [];
  const continuity = open > 0 ? `Open · ${open} plan${open === 1 ? '' : 's'}` : states.length ? states.map((s) => STATE_NAMES[s] ?? s).join(', ') : NONE;
  const due = typeof p.nextRtoDueAt === 'string' ? Date.parse(p.nextRtoDueAt) : NaN;
  if (Number.isNaN(due)) return { continuity, rtoDue: NONE };
  return { continuity, rtoDue: `${new Date(due).toISOString().slice(0, 16).replace('T', ' ')} UTC`, rtoOverdue: due <= now };
}

export async function renderIncidentList(wb: Workbench, chrome: Chrome, project: string): Promise<string> {
  const ids = wb.jira.fieldIds();
  const jql = `project = ${project} ORDER BY created DESC`;
  const search = await wb.jira.handle(
    asUser(chrome.user.accountId, `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=summary,priority,status,created,${ids.affectedServices}&properties=${CONTINUITY_PROPERTY}&maxResults=100`),
  );
  const now = wb.clock.now();
  const issues: IssueRow[] = ((search.body as { issues?: Array<{ key: string; fields: Record<string, any>; properties?: Record<string, unknown> }> }).issues ?? []).map((i) => ({
    key: i.key,
    summary: i.fields.summary,
    priority: i.fields.priority?.name ?? '',
    status: i.fields.status?.name ?? '',
    created: String(i.fields.created ?? '').slice(0, 16).replace('T', ' '),
    services: serviceNames(wb, i.fields[ids.affectedServices]),
    ...continuityColumns(i.properties?.[CONTINUITY_PROPERTY], now),
  }));
  const priorities = ((await wb.jira.handle(asUser(chrome.user.accountId, '/rest/api/3/priority'))).body as Array<{ id: string; name: string }>) ?? [];
  const requestTypes = ((await wb.jira.handle(asUser(chrome.user.accountId, '/rest/servicedeskapi/requesttype'))).body as { values?: Array<{ id: string; name: string }> })?.values ?? [];
  return incidentList(chrome, project, issues, {
    priorities,
    requestTypes,
    services: wb.jira.services(),
    affectedField: ids.affectedServices,
    requestTypeField: ids.requestType,
    majorField: ids.majorIncident,
    majorValue: JSON.stringify(MAJOR_INCIDENT_VALUE),
  });
}
