/**
 * The Service Continuity Manager role: who may change the catalogue, its plans and (later) drills and
 * risks. A Jira administrator always may; so may a member of any group named in the settings'
 * `managerGroups`. Everyone who can open the app may read. Both facts are asked of Jira as the
 * signed-in user on every change (server-side; what the page showed is never trusted), and only the
 * calls needed are made: the group list is read only when the settings name groups and the user is
 * not an administrator.
 */
import type { ConsoleRole } from '../contract/console';
import { forbidden } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import type { AppDeps } from '../ports';

export type RoleDeps = Pick<AppDeps, 'jira' | 'store'>;

/** Group names compare as Jira compares them: ignoring case and the spaces at either end. */
const groupKey = (name: string) => name.trim().toLowerCase();

/** Whether someone with these facts holds the role, and why (or how to get it), in words. Pure. */
export function managerRole(facts: { admin: boolean; groups: readonly string[] }, managerGroups: readonly string[] = []): ConsoleRole {
  if (facts.admin) return { manager: true, reason: 'You are a Jira administrator.' };
  const wanted = new Map(managerGroups.map((g) => [groupKey(g), g.trim()]));
  const member = facts.groups.find((g) => wanted.has(groupKey(g)));
  if (member !== undefined) return { manager: true, reason: `You are a member of ${wanted.get(groupKey(member))}.` };
  const how =
    managerGroups.length > 0
      ? `Jira administrators and members of ${managerGroups.map((g) => g.trim()).join(', ')} can change it.`
      : 'Jira administrators can change it, and a Jira administrator can name manager groups in the app settings.';
  return { manager: false, reason: `You can read the catalogue. ${how}` };
}

/** The signed-in user's role, asked of Jira as them. */
export async function continuityRole(deps: RoleDeps, settings?: Pick<ContinuitySettings, 'managerGroups'>): Promise<ConsoleRole> {
  const managerGroups = (settings ?? (await deps.store.getSettings())).managerGroups ?? [];
  if (managerGroups.length === 0) return managerRole({ admin: await deps.jira.currentUserIsAdmin(), groups: [] }, managerGroups);
  // Both questions at once: a manager by group should not wait for the admin answer first.
  const [admin, groups] = await Promise.all([deps.jira.currentUserIsAdmin(), deps.jira.currentUserGroups()]);
  return managerRole({ admin, groups }, managerGroups);
}

/** Throws FORBIDDEN unless the signed-in user holds the role; `what` says what they tried ("change the catalogue"). */
export async function requireManager(deps: RoleDeps, what: string, settings?: Pick<ContinuitySettings, 'managerGroups'>): Promise<void> {
  const role = await continuityRole(deps, settings);
  if (!role.manager) throw forbidden(`Only a Service Continuity Manager can ${what}. ${role.reason}`);
}
