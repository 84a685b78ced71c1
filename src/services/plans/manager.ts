/**
 * Who may change plans: a Service Continuity Manager (services/roles.ts: a Jira administrator, or a
 * member of a group the settings name), asked of Jira as the signed-in user on every change.
 */
import type { AppDeps } from '../../ports';
import { continuityRole, requireManager as requireRole } from '../roles';

export type RoleDeps = Pick<AppDeps, 'jira' | 'store'>;

export async function isManager(deps: RoleDeps): Promise<boolean> {
  return (await continuityRole(deps)).manager;
}

/** Throws FORBIDDEN unless the signed-in user is a Service Continuity Manager; `what` says what they tried. */
export async function requireManager(deps: RoleDeps, what: string): Promise<void> {
  await requireRole(deps, what);
}
