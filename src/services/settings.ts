/** The admin settings: Jira admins only, validated, with the choices the form needs. */
import type { SettingsView } from '../contract/settings';
import { forbidden, invalidInput } from '../domain/errors';
import { parseSettings } from '../domain/settings';
import type { ContinuityStore, JiraGateway } from '../ports';

export interface SettingsDeps {
  store: ContinuityStore;
  jira: JiraGateway;
}

async function requireAdmin(jira: JiraGateway): Promise<void> {
  if (!(await jira.currentUserIsAdmin())) throw forbidden('Only Jira administrators can change continuity settings.');
}

export async function loadSettings(deps: SettingsDeps): Promise<SettingsView> {
  await requireAdmin(deps.jira);
  const [settings, projects, issueTypes, priorities, services] = await Promise.all([
    deps.store.getSettings(),
    deps.jira.listProjects(),
    deps.jira.listIssueTypeNames(),
    deps.jira.listPriorities(),
    deps.store.listServices(),
  ]);
  return {
    settings: { ...settings, fallbackMappings: settings.fallbackMappings ?? [] },
    options: { projects, issueTypes, priorities, services: services.map((s) => ({ id: s.id, name: s.name })) },
  };
}

export async function saveSettings(input: unknown, deps: SettingsDeps): Promise<SettingsView> {
  await requireAdmin(deps.jira);
  const settings = parseSettings(input);
  // A mapping to a service that is not in the catalogue would silently never match: refuse it.
  const known = new Set((await deps.store.listServices()).map((s) => s.id));
  const unknown = settings.fallbackMappings.findIndex((m) => !known.has(m.serviceId));
  if (unknown >= 0) {
    throw invalidInput(`Service "${settings.fallbackMappings[unknown].serviceId}" is not in the continuity catalogue.`, `fallbackMappings.${unknown}.serviceId`);
  }
  await deps.store.putSettings(settings);
  return loadSettings(deps);
}
