import type { ContinuityStore, JiraGateway } from '../ports';
import { continuityRole, managerRole, requireManager } from './roles';

function deps(admin: boolean, groups: string[], managerGroups?: string[]) {
  const asked: string[] = [];
  const jira = {
    currentUserIsAdmin: async () => (asked.push('admin'), admin),
    currentUserGroups: async () => (asked.push('groups'), groups),
  } as unknown as JiraGateway;
  const store = { getSettings: async () => ({ managerGroups }) } as unknown as ContinuityStore;
  return { deps: { jira, store }, asked };
}

describe('the Service Continuity Manager role', () => {
  it('belongs to Jira administrators and to members of a manager group (ignoring case)', () => {
    expect(managerRole({ admin: true, groups: [] })).toMatchObject({ manager: true, reason: 'You are a Jira administrator.' });
    expect(managerRole({ admin: false, groups: ['Continuity-Managers'] }, ['continuity-managers '])).toEqual({ manager: true, reason: 'You are a member of continuity-managers.' });
    expect(managerRole({ admin: false, groups: ['jira-users'] }, ['continuity-managers']).manager).toBe(false);
  });

  it('says how to get the role when the user does not hold it', () => {
    expect(managerRole({ admin: false, groups: [] }).reason).toBe(
      'You can read the catalogue. Jira administrators can change it, and a Jira administrator can name manager groups in the app settings.',
    );
    expect(managerRole({ admin: false, groups: [] }, ['sc-managers', 'ops-leads']).reason).toBe('You can read the catalogue. Jira administrators and members of sc-managers, ops-leads can change it.');
  });

  it('asks Jira for groups only when the settings name manager groups', async () => {
    const none = deps(false, ['continuity-managers']);
    expect((await continuityRole(none.deps)).manager).toBe(false);
    expect(none.asked).toEqual(['admin']);
    const named = deps(false, ['continuity-managers'], ['continuity-managers']);
    expect((await continuityRole(named.deps)).manager).toBe(true);
    expect(named.asked.sort()).toEqual(['admin', 'groups']);
  });

  it('refuses a change with FORBIDDEN naming what was tried', async () => {
    await expect(requireManager(deps(false, []).deps, 'change the service catalogue')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^Only a Service Continuity Manager can change the service catalogue\. You can read/),
    });
    await expect(requireManager(deps(true, []).deps, 'change the service catalogue')).resolves.toBeUndefined();
  });
});
