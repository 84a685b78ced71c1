/**
 * Who may change plans. A minimal stand-in for services/roles.ts (the Service Continuity Manager role:
 * Jira administrators and the groups named in settings), which the catalogue work brings: until it is
 * merged, a Service Continuity Manager here is a Jira administrator, asked of Jira as the signed-in
 * user. Replace `isManager` with roles.ts `continuityRole(...).manager` on merging.
 */
import { forbidden } from '../../domain/errors';
import type { AppDeps } from '../../ports';

export type RoleDeps = Pick<AppDeps, 'jira'>;

export async function isManager(deps: RoleDeps): Promise<boolean> {
  return deps.jira.currentUserIsAdmin();
}

/** Throws FORBIDDEN unless the signed-in user is a Service Continuity Manager; `what` says what they tried. */
export async function requireManager(deps: RoleDeps, what: string): Promise<void> {
  if (!(await isManager(deps))) throw forbidden(`Only a Service Continuity Manager can ${what}.`);
}
