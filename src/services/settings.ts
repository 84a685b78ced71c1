/**
 * The admin settings: Jira admins only, validated, with the choices the form needs. Settings that
 * cannot work are refused with a message in words that names the field (and the row, for lists), so
 * the page can put it next to that field:
 *   - settings under which no incident could ever qualify (no P1 priority of this site ticked and the
 *     Major incident flag off);
 *   - a fallback mapping to a service that is not in the catalogue (it would silently never match).
 */
import type { ConfigCheckReport, PlanLocationCheck, PlanLocationInput, SettingsData, SettingsView } from '../contract/settings';
import { TIER_NAMES } from '../domain/catalogue';
import { planInForce } from '../domain/catalogue-matches';
import { ContinuityError, forbidden, invalidInput } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { parseSettings } from '../domain/settings';
import { DEFAULT_COMMS_CADENCE, DEFAULT_REVIEW_CADENCE, DEFAULT_TIER_BANDS } from '../domain/tiers';
import type { AppDeps, JiraGateway } from '../ports';
import { loadCatalogue } from './catalogue';
import { checkSettings, type CheckDeps } from './config-check';
import { checkPlanLocation } from './plans/confluence';

export type SettingsDeps = Pick<AppDeps, 'store' | 'jira' | 'catalogue'>;

async function requireAdmin(jira: JiraGateway): Promise<void> {
  if (!(await jira.currentUserIsAdmin())) throw forbidden('Only Jira administrators can change continuity settings.');
}

/**
 * The request types to choose from, one per name: settings match by name, and every service desk made
 * from the same template has its own "Report a system problem". A Jira site without JSM answers the
 * servicedeskapi with 404 (or 403): it has no request types, and the rest of the page still works.
 * Rate limits and outages are not swallowed.
 */
async function requestTypesOrNone(jira: JiraGateway): Promise<Array<{ id: string; name: string }>> {
  try {
    const seen = new Set<string>();
    return (await jira.listRequestTypes()).filter((t) => !seen.has(t.name.toLowerCase()) && seen.add(t.name.toLowerCase()));
  } catch (error) {
    if (error instanceof ContinuityError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) return [];
    throw error;
  }
}

/** Every optional setting with its default, as the form edits it. */
export function formSettings(settings: ContinuitySettings): SettingsData {
  return {
    projectKeys: settings.projectKeys,
    issueTypeNames: settings.issueTypeNames,
    requestTypeNames: settings.requestTypeNames ?? [],
    p1Priorities: settings.p1Priorities,
    majorIncidentQualifies: settings.majorIncidentQualifies,
    fallbackMappings: settings.fallbackMappings ?? [],
    tierBands: settings.tierBands ?? DEFAULT_TIER_BANDS,
    commsCadence: settings.commsCadence ?? DEFAULT_COMMS_CADENCE,
    reviewCadence: settings.reviewCadence ?? DEFAULT_REVIEW_CADENCE,
    managerGroups: settings.managerGroups ?? [],
    siteTimeZone: settings.siteTimeZone ?? 'UTC',
    changeIssueTypeNames: settings.changeIssueTypeNames ?? [],
    planSpaceKey: settings.planSpaceKey ?? '',
    planParentPageId: settings.planParentPageId ?? '',
    postmortemSpaceKey: settings.postmortemSpaceKey ?? '',
    postmortemParentPageId: settings.postmortemParentPageId ?? '',
    postmortemOnRecovery: settings.postmortemOnRecovery ?? false,
    drillProjectKey: settings.drillProjectKey ?? '',
    drillIssueTypeName: settings.drillIssueTypeName ?? '',
    followUpIssueTypeName: settings.followUpIssueTypeName ?? '',
    costThresholds: settings.costThresholds ?? null,
  };
}

/**
 * "Check where plans go" on the settings page (Jira admins): the space and parent page as typed (saved or
 * not) exist, and the app may write there, in plain words (services/plans/confluence.ts).
 */
export async function checkPlanPlace(input: PlanLocationInput, deps: SettingsDeps & Pick<AppDeps, 'confluence'>): Promise<PlanLocationCheck> {
  await requireAdmin(deps.jira);
  const planSpaceKey = input.planSpaceKey?.trim() || undefined;
  const planParentPageId = input.planParentPageId?.trim() || undefined;
  // The same rules as saving (domain/settings.ts), said before anything is asked of Confluence.
  if (planSpaceKey && !/^[A-Za-z0-9~]{1,255}$/.test(planSpaceKey)) return { ok: false, field: 'planSpaceKey', message: 'The plan space key is the space key Confluence shows (letters and digits), such as CONT.' };
  if (planParentPageId && !/^\d{1,19}$/.test(planParentPageId)) return { ok: false, field: 'planParentPageId', message: 'The parent page is a Confluence page id (digits).' };
  const check = await checkPlanLocation({ planSpaceKey, planParentPageId }, deps);
  return check.ok ? { ok: true, message: check.message } : { ok: false, field: check.field, message: check.message };
}

/**
 * "Check configuration" on the settings page (Jira admins): the settings as the form holds them, checked
 * before they are saved (so the admin sees what a change would do) and never saved by the check. They are
 * validated as a save validates them (a refusal names the field) and laid over the stored settings as a
 * save lays them. The Service continuity page's check (config-check.ts) is of the saved settings.
 */
export async function checkTypedSettings(input: unknown, deps: SettingsDeps & CheckDeps): Promise<ConfigCheckReport> {
  await requireAdmin(deps.jira);
  const settings = { ...(await deps.store.getSettings()), ...inWords(() => parseSettings(input)) };
  return checkSettings(settings, deps);
}

export async function loadSettings(deps: SettingsDeps): Promise<SettingsView> {
  await requireAdmin(deps.jira);
  const [settings, projects, issueTypes, requestTypes, priorities, catalogue] = await Promise.all([
    deps.store.getSettings(),
    deps.jira.listProjects(),
    deps.jira.listIssueTypeNames(),
    requestTypesOrNone(deps.jira),
    deps.jira.listPriorities(),
    loadCatalogue(deps.catalogue),
  ]);
  const services = catalogue.services.filter((s) => s.status !== 'retired').sort((a, b) => a.name.localeCompare(b.name));
  const hasPlan = (id: string) => planInForce(catalogue.plans.filter((p) => p.serviceId === id)) !== undefined;
  return {
    settings: formSettings(settings),
    options: { projects, issueTypes, requestTypes, priorities, services: services.map((s) => ({ id: s.id, name: s.name })) },
    catalogue: { withPlan: services.filter((s) => hasPlan(s.id)).map((s) => s.name), withoutPlan: services.filter((s) => !hasPlan(s.id)).map((s) => s.name) },
  };
}

export async function saveSettings(input: unknown, deps: SettingsDeps): Promise<SettingsView> {
  await requireAdmin(deps.jira);
  // A save that does not carry a setting (a caller older than the field) keeps it as stored.
  const settings = { ...(await deps.store.getSettings()), ...inWords(() => parseSettings(input)) };
  const [catalogue, priorities] = await Promise.all([loadCatalogue(deps.catalogue), deps.jira.listPriorities()]);
  // Priorities are matched by id or name; one that this site does not have qualifies nothing.
  const onSite = new Set(priorities.flatMap((p) => [p.id.toLowerCase(), p.name.toLowerCase()]));
  if (!settings.majorIncidentQualifies && !settings.p1Priorities.some((p) => onSite.has(p.toLowerCase()))) {
    throw invalidInput(
      "No incident could ever qualify: no P1 priority is ticked and JSM's Major incident flag does not qualify an incident. Tick at least one P1 priority, or let the Major incident flag qualify.",
      'p1Priorities',
    );
  }
  // A mapping to a service that is not in the catalogue would silently never match: refuse it.
  const known = new Set(catalogue.services.filter((s) => s.status !== 'retired').map((s) => s.id));
  const unknown = settings.fallbackMappings.findIndex((m) => !known.has(m.serviceId));
  if (unknown >= 0) {
    throw invalidInput(`Fallback mapping ${unknown + 1}: service "${settings.fallbackMappings[unknown].serviceId}" is not in the continuity catalogue.`, `fallbackMappings.${unknown}.serviceId`);
  }
  await deps.store.putSettings(settings);
  return loadSettings(deps);
}

/** What a settings field is called on the page, for a field path such as 'fallbackMappings.0.value'. */
export function fieldName(path: string): string {
  const [head, index, leaf] = path.split('.');
  const row = index !== undefined && /^\d+$/.test(index) ? Number(index) + 1 : undefined;
  switch (head) {
    case 'projectKeys':
      return 'Projects';
    case 'issueTypeNames':
      return 'Issue types';
    case 'requestTypeNames':
      return 'Request types';
    case 'p1Priorities':
      return 'P1 priorities';
    case 'majorIncidentQualifies':
      return 'Major incident flag';
    case 'fallbackMappings':
      return row === undefined ? 'Fallback mappings' : `Fallback mapping ${row}${leaf === 'value' ? ', component or label' : leaf === 'serviceId' ? ', service' : leaf === 'kind' ? ', match on' : ''}`;
    case 'tierBands':
    case 'commsCadence':
    case 'reviewCadence': {
      const tier = index !== undefined ? TIER_NAMES[Number(index) as 1 | 2 | 3] : undefined;
      const what = { tierBands: 'RTO band', commsCadence: 'Update cadence', reviewCadence: 'Review cadence' }[head];
      return tier ? `${what}, ${tier}` : what;
    }
    case 'managerGroups':
      return row === undefined ? 'Service Continuity Manager groups' : `Service Continuity Manager group ${row}`;
    case 'siteTimeZone':
      return 'Site time zone';
    case 'changeIssueTypeNames':
      return 'Change request types';
    case 'planSpaceKey':
      return 'Plan space';
    case 'planParentPageId':
      return 'Parent page of plans';
    case 'postmortemSpaceKey':
      return 'Postmortem space';
    case 'postmortemParentPageId':
      return 'Parent page of postmortems';
    case 'postmortemOnRecovery':
      return 'Publish the postmortem on recovery';
    case 'drillProjectKey':
      return 'Drill project';
    case 'drillIssueTypeName':
      return 'Drill issue type';
    case 'followUpIssueTypeName':
      return 'Follow-up issue type';
    case 'costThresholds':
      return index === 'tier1PerHour' ? 'Tier 1 cost threshold' : index === 'tier2PerHour' ? 'Tier 2 cost threshold' : index === 'currency' ? 'Cost threshold currency' : 'BIA cost thresholds';
    default:
      return 'Settings';
  }
}

/** Refusals keep their field path (the page places the message by it) and say in words where the fault is. */
function inWords<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ContinuityError) || error.code !== 'INVALID_INPUT' || !error.field) throw error;
    const others = (error.others ?? []).map((o) => ({ field: o.field, message: placed(o.field, o.message) }));
    throw invalidInput(placed(error.field, error.message), error.field, others);
  }
}

/** Messages of list rows do not say which row: say it ("Fallback mapping 2, …"); the tier messages already name their tier. */
function placed(field: string, message: string): string {
  const [head, index] = field.split('.');
  const needsPlace = (head === 'fallbackMappings' || head === 'managerGroups') && index !== undefined && /^\d+$/.test(index);
  return needsPlace ? `${fieldName(field)}: ${message.replace(/^(A|An|The) /, (w) => w.toLowerCase())}` : message;
}
