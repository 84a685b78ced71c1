import { DEFAULT_SETTINGS } from '../domain/incident';
import { ContinuityError, RateLimitedError, notFound } from '../domain/errors';
import type { CatalogueStore, ContinuityStore, JiraGateway } from '../ports';
import { loadSettings } from './settings';

/** Just enough of the ports for loading the settings page, with the request type listing under test's control. */
function deps(listRequestTypes: JiraGateway['listRequestTypes']) {
  const store = { getSettings: async () => DEFAULT_SETTINGS } as unknown as ContinuityStore;
  const catalogue = { listServices: async () => ({ items: [] }), listPlans: async () => ({ items: [] }) } as unknown as CatalogueStore;
  const jira = {
    currentUserIsAdmin: async () => true,
    listProjects: async () => [{ key: 'OPS', name: 'IT Operations' }],
    listIssueTypeNames: async () => ['Incident'],
    listPriorities: async () => [{ id: '1', name: 'Highest' }],
    listRequestTypes,
  } as unknown as JiraGateway;
  return { store, jira, catalogue };
}

describe('loading the settings page', () => {
  it('offers the request types, once per name', async () => {
    const view = await loadSettings(
      deps(async () => [
        { id: '11', name: 'Report a system problem' },
        { id: '12', name: 'Report an outage' },
        { id: '31', name: 'Report a System Problem' }, // a second service desk's copy
      ]),
    );
    expect(view.options.requestTypes).toEqual([
      { id: '11', name: 'Report a system problem' },
      { id: '12', name: 'Report an outage' },
    ]);
    expect(view.settings.requestTypeNames).toEqual([]);
  });

  it.each([['not found (no JSM)', notFound('Request types')], ['forbidden', new ContinuityError('FORBIDDEN', 'Request types: not permitted.')]])(
    'offers no request types when JSM answers %s, and the rest of the page still loads',
    async (_what, error) => {
      const view = await loadSettings(deps(async () => Promise.reject(error)));
      expect(view.options.requestTypes).toEqual([]);
      expect(view.options.issueTypes).toEqual(['Incident']);
    },
  );

  it('does not hide a rate limit or an outage as "no request types"', async () => {
    await expect(loadSettings(deps(async () => Promise.reject(new RateLimitedError(5, 'Request types'))))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
