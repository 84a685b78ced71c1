import { DEFAULT_SETTINGS } from '../domain/incident';
import { ContinuityError, RateLimitedError, notFound } from '../domain/errors';
import type { CatalogueStore, ContinuityStore, JiraGateway } from '../ports';
import { fieldName, loadSettings, saveSettings } from './settings';

/** Just enough of the ports for loading the settings page, with the request type listing under test's control. */
function deps(listRequestTypes: JiraGateway['listRequestTypes']) {
  const store = { getSettings: async () => DEFAULT_SETTINGS, listServices: async () => [] } as unknown as ContinuityStore;
  const jira = {
    currentUserIsAdmin: async () => true,
    listProjects: async () => [{ key: 'OPS', name: 'IT Operations' }],
    listIssueTypeNames: async () => ['Incident'],
    listPriorities: async () => [{ id: '1', name: 'Highest' }],
    listRequestTypes,
  } as unknown as JiraGateway;
  const catalogue = { listServices: async () => ({ items: [] }), listPlans: async () => ({ items: [] }) } as unknown as CatalogueStore;
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

describe('saving settings', () => {
  const base = { projectKeys: [], issueTypeNames: ['Incident'], requestTypeNames: [], p1Priorities: ['Highest'], majorIncidentQualifies: true, fallbackMappings: [] };
  function saving() {
    const d = deps(async () => []);
    const saved: unknown[] = [];
    (d.store as unknown as { putSettings: (s: unknown) => Promise<void> }).putSettings = async (s) => void saved.push(s);
    return { d, saved };
  }

  it('refuses settings under which no incident could ever qualify, and says so', async () => {
    const { d, saved } = saving();
    await expect(saveSettings({ ...base, p1Priorities: [], majorIncidentQualifies: false }, d)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'p1Priorities', message: expect.stringMatching(/^No incident could ever qualify/) });
    // A priority this site does not have qualifies nothing either.
    await expect(saveSettings({ ...base, p1Priorities: ['P0'], majorIncidentQualifies: false }, d)).rejects.toMatchObject({ field: 'p1Priorities' });
    expect(saved).toEqual([]);
    await expect(saveSettings({ ...base, p1Priorities: [], majorIncidentQualifies: true }, d)).resolves.toBeDefined();
    expect(saved).toHaveLength(1);
  });

  it('names a fallback mapping row in words, keeping the field path for the page', async () => {
    const { d } = saving();
    const bad = { ...base, fallbackMappings: [{ kind: 'component', value: 'Payments', serviceId: 'svc-x' }, { kind: 'label', value: '  ', serviceId: 'svc-x' }] };
    await expect(saveSettings(bad, d)).rejects.toMatchObject({ field: 'fallbackMappings.1.value', message: 'Fallback mapping 2, component or label: a component or label must not be empty.' });
    expect(fieldName('tierBands.2.rtoMaxMinutes')).toBe('RTO band, Tier 2 (Silver)');
  });
});
