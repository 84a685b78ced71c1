/**
 * The site's permission scheme, derived from the demo users' flags: every user may browse; users who
 * `canEdit` may create, edit, comment and transition; Jira admins also administer. The app account
 * (`asApp()`) holds every permission. Keys and ids are Jira's built-in ones.
 */
import { APP_USER, type WorkbenchUser } from '../users';
import { forbidden } from './errors';

type Grant = 'all' | 'edit' | 'admin';

export interface PermissionDef {
  key: string;
  id: string;
  name: string;
  type: 'GLOBAL' | 'PROJECT';
  description: string;
  grant: Grant;
}

export const PERMISSIONS: PermissionDef[] = [
  { key: 'ADMINISTER', id: '0', name: 'Administer Jira', type: 'GLOBAL', description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.', grant: 'admin' },
  { key: 'SYSTEM_ADMIN', id: '44', name: 'Jira System Administrators', type: 'GLOBAL', description: 'Ability to perform all administration functions.', grant: 'admin' },
  { key: 'USER_PICKER', id: '27', name: 'Browse users and groups', type: 'GLOBAL', description: 'View and select users or groups from the user picker.', grant: 'all' },
  { key: 'ADMINISTER_PROJECTS', id: '23', name: 'Administer Projects', type: 'PROJECT', description: 'Ability to administer a project in Jira.', grant: 'admin' },
  { key: 'BROWSE_PROJECTS', id: '10', name: 'Browse Projects', type: 'PROJECT', description: 'Ability to browse projects and the issues within them.', grant: 'all' },
  { key: 'CREATE_ISSUES', id: '11', name: 'Create Issues', type: 'PROJECT', description: 'Ability to create issues.', grant: 'edit' },
  { key: 'EDIT_ISSUES', id: '12', name: 'Edit Issues', type: 'PROJECT', description: 'Ability to edit issues.', grant: 'edit' },
  { key: 'ASSIGN_ISSUES', id: '13', name: 'Assign Issues', type: 'PROJECT', description: 'Ability to assign issues to other people.', grant: 'edit' },
  { key: 'RESOLVE_ISSUES', id: '14', name: 'Resolve Issues', type: 'PROJECT', description: 'Ability to resolve and reopen issues.', grant: 'edit' },
  { key: 'ADD_COMMENTS', id: '15', name: 'Add Comments', type: 'PROJECT', description: 'Ability to comment on issues.', grant: 'edit' },
  { key: 'DELETE_ISSUES', id: '16', name: 'Delete Issues', type: 'PROJECT', description: 'Ability to delete issues.', grant: 'admin' },
  { key: 'ASSIGNABLE_USER', id: '17', name: 'Assignable User', type: 'PROJECT', description: 'Users with this permission may be assigned to issues.', grant: 'edit' },
  { key: 'CLOSE_ISSUES', id: '18', name: 'Close Issues', type: 'PROJECT', description: 'Ability to close issues.', grant: 'edit' },
  { key: 'WORK_ON_ISSUES', id: '20', name: 'Work On Issues', type: 'PROJECT', description: 'Ability to log work done against an issue.', grant: 'edit' },
  { key: 'LINK_ISSUES', id: '21', name: 'Link Issues', type: 'PROJECT', description: 'Ability to link issues together and create linked issues.', grant: 'edit' },
  { key: 'MOVE_ISSUES', id: '25', name: 'Move Issues', type: 'PROJECT', description: 'Ability to move issues between projects or between workflows of the same project.', grant: 'edit' },
  { key: 'SCHEDULE_ISSUES', id: '28', name: 'Schedule Issues', type: 'PROJECT', description: 'Ability to view or edit an issue\'s due date.', grant: 'edit' },
  { key: 'VIEW_VOTERS_AND_WATCHERS', id: '31', name: 'View Voters and Watchers', type: 'PROJECT', description: 'Ability to view the voters and watchers of an issue.', grant: 'all' },
  { key: 'MANAGE_WATCHERS', id: '32', name: 'Manage Watchers', type: 'PROJECT', description: 'Ability to manage the watchers of an issue.', grant: 'edit' },
  { key: 'EDIT_ALL_COMMENTS', id: '34', name: 'Edit All Comments', type: 'PROJECT', description: 'Ability to edit all comments made on issues.', grant: 'admin' },
  { key: 'EDIT_OWN_COMMENTS', id: '35', name: 'Edit Own Comments', type: 'PROJECT', description: 'Ability to edit own comments made on issues.', grant: 'edit' },
  { key: 'DELETE_ALL_COMMENTS', id: '36', name: 'Delete All Comments', type: 'PROJECT', description: 'Ability to delete all comments made on issues.', grant: 'admin' },
  { key: 'DELETE_OWN_COMMENTS', id: '37', name: 'Delete Own Comments', type: 'PROJECT', description: 'Ability to delete own comments made on issues.', grant: 'edit' },
  { key: 'TRANSITION_ISSUES', id: '46', name: 'Transition Issues', type: 'PROJECT', description: 'Ability to transition issues.', grant: 'edit' },
  { key: 'SERVICEDESK_AGENT', id: '10005', name: 'Service Desk Agent', type: 'PROJECT', description: 'Ability to act as an agent in a service project.', grant: 'edit' },
];

/**
 * Issue security levels: an issue at a level is seen only by its members, whatever the project's
 * permissions say (Jira answers 404 to everyone else, and leaves the issue out of their searches).
 * One level: "Security team", whose members are the Jira administrators (and the app).
 */
export const SECURITY_LEVELS = [{ id: '10100', name: 'Security team', description: 'Only Jira administrators see these issues.' }] as const;

export function findSecurityLevel(id: string): (typeof SECURITY_LEVELS)[number] | undefined {
  return SECURITY_LEVELS.find((l) => l.id === id);
}

/** Whether `user` may see an issue at `securityLevelId` (none: everyone who may browse). */
export function canSeeIssue(user: WorkbenchUser, issue: { securityLevelId?: string | null }): boolean {
  if (!issue.securityLevelId) return true;
  return user === APP_USER || user.accountId === APP_USER.accountId || user.jiraAdmin;
}

export function findPermission(key: string): PermissionDef | undefined {
  return PERMISSIONS.find((p) => p.key === key);
}

export function hasPermission(user: WorkbenchUser, key: string): boolean {
  if (user === APP_USER || user.accountId === APP_USER.accountId) return true;
  const def = findPermission(key);
  if (!def) return false;
  if (def.grant === 'all') return true;
  if (def.grant === 'edit') return user.canEdit || user.jiraAdmin;
  return user.jiraAdmin;
}

const DENIALS: Record<string, string> = {
  CREATE_ISSUES: 'You do not have permission to create issues in this project.',
  EDIT_ISSUES: 'You do not have permission to edit issues in this project.',
  ADD_COMMENTS: 'You do not have permission to comment on this issue.',
  TRANSITION_ISSUES: 'You do not have permission to transition this issue.',
};

/** Throws Jira's 403 when the user lacks the permission. */
export function requirePermission(user: WorkbenchUser, key: string): void {
  if (!hasPermission(user, key)) throw forbidden(DENIALS[key] ?? 'You do not have the permission to perform this operation.');
}
