/** The admin settings: Jira admins only, validated, with the choices the form needs. */
import type { SettingsView } from '../contract/settings';
import { ContinuityError, forbidden, invalidInput } from '../domain/errors';
import { parseSettings } from '../domain/settings';
import type { AppDeps, JiraGateway } from '../ports';
import { loadCatalogue } from './catalogue';

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

export async function loadSettings(deps: SettingsDeps): Promise<SettingsView> {
  await requireAdmin(deps.jira);
  const [settings, projects, issueTypes, requestTypes, priorities, services] = await Promise.all([
    deps.store.getSettings(),
    deps.jira.listProjects(),
    deps.jira.listIssueTypeNames(),
    requestTypesOrNone(deps.jira),
    deps.jira.listPriorities(),
    loadCatalogue(deps.catalogue).then((c) => c.services.filter((s) => s.status !== 'retired')),
  ]);
  return {
    settings: { ...settings, fallbackMappings: settings.fallbackMappings ?? [] },
    options: { projects, issueTypes, requestTypes, priorities, services: services.map((s) => ({ id: s.id, name: s.name })) },
  };
}

export async function saveSettings(input: unknown, deps: SettingsDeps): Promise<SettingsView> {
  await requireAdmin(deps.jira);
  const settings = parseSettings(input);
  // A mapping to a service that is not in the catalogue would silently never match: refuse it.
  const known = new Set((await loadCatalogue(deps.catalogue)).services.filter((s) => s.status !== 'retired').map((s) => s.id));
  const unknown = settings.fallbackMappings.findIndex((m) => !known.has(m.serviceId));
  if (unknown >= 0) {
    throw invalidInput(`Service "${settings.fallbackMappings[unknown].serviceId}" is not in the continuity catalogue.`, `fallbackMappings.${unknown}.serviceId`);
  }
  await deps.store.putSettings(settings);
  return loadSettings(deps);
}
