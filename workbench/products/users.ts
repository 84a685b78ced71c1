/**
 * The workbench's people. Basic auth with any credentials maps to the demo agent; a username equal to
 * one of these emails (or account ids) maps to that person, so tests can act as someone with fewer rights.
 */
export interface WorkbenchUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
  /** Jira admin (administer the app's settings). */
  jiraAdmin: boolean;
  /** May edit and comment on issues; a viewer can only browse. */
  canEdit: boolean;
  /** Jira groups (`myself?expand=groups`); the app's settings may name one as Service Continuity Managers. */
  groups: readonly string[];
  /** The IANA time zone of their Jira profile (what Forge's context calls `timezone`); UTC when absent. */
  timeZone?: string;
}

/** The group the demo names in the app settings as Service Continuity Managers (Casey is in it). */
export const CONTINUITY_MANAGERS_GROUP = 'continuity-managers';

export const USERS: readonly WorkbenchUser[] = [
  { accountId: '5b10a2844c20165700ede21g', displayName: 'Alex Agent', emailAddress: 'alex.agent@example.com', jiraAdmin: true, canEdit: true, groups: ['jira-administrators', 'jira-servicemanagement-users'] },
  { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Casey Continuity', emailAddress: 'casey.continuity@example.com', jiraAdmin: false, canEdit: true, groups: [CONTINUITY_MANAGERS_GROUP, 'jira-servicemanagement-users'], timeZone: 'America/New_York' },
  { accountId: '5b109f2e9729b51b54dc274d', displayName: 'Vic Viewer', emailAddress: 'vic.viewer@example.com', jiraAdmin: false, canEdit: false, groups: ['jira-servicemanagement-users'] },
];

/** The account the app acts as for `asApp()` calls (Forge apps have their own bot user). */
export const APP_USER: WorkbenchUser = {
  accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
  displayName: 'Service Continuity (app)',
  emailAddress: '',
  jiraAdmin: true,
  canEdit: true,
  groups: ['atlassian-addons-admin'],
};

export const DEFAULT_USER = USERS[0];

export function findUser(idOrEmail: string): WorkbenchUser | undefined {
  const needle = idOrEmail.toLowerCase();
  return [...USERS, APP_USER].find((u) => u.accountId.toLowerCase() === needle || (u.emailAddress && u.emailAddress.toLowerCase() === needle));
}

/** Parses a Basic auth header: any credentials are accepted; unknown names map to the default user. */
export function userFromBasicAuth(header: string | undefined): WorkbenchUser | null {
  if (!header || !/^basic\s+/i.test(header)) return null;
  const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
  const name = decoded.split(':')[0] ?? '';
  return findUser(name) ?? DEFAULT_USER;
}
