/** The admin settings page against typed fakes of the ports. */
import { DEFAULT_SETTINGS } from '../domain/incident';
import { DEFAULT_COMMS_CADENCE, DEFAULT_REVIEW_CADENCE, DEFAULT_TIER_BANDS } from '../domain/tiers';
import { checkTypedSettings, fieldName, loadSettings, saveSettings } from './settings';
import { asUser, fakeDeps, FULL_PERMISSIONS, type FakeDeps, type JiraFailure } from './testing/fakes';
import { PAYMENTS, PAYMENTS_PLAN, ready, service } from './testing/fixtures';

const ADMIN = 'admin-1';
let deps: FakeDeps;
let admin: FakeDeps;

beforeEach(async () => {
  deps = fakeDeps();
  await ready(deps, { services: [PAYMENTS, service('legacy', { name: 'Legacy billing', status: 'retired' })], plans: [PAYMENTS_PLAN] });
  admin = asUser(deps, ADMIN, { name: 'Ada Admin', permissions: FULL_PERMISSIONS, admin: true });
});

const settingsInput = (change: Record<string, unknown> = {}) => ({ ...DEFAULT_SETTINGS, fallbackMappings: [], ...change });

describe('loading the settings page', () => {
  it('offers each request type name once, dropping a second service desk’s copy whatever its case', async () => {
    deps.jira.setRequestTypes([
      { id: '11', name: 'Report a system problem' },
      { id: '12', name: 'Report an outage' },
      { id: '31', name: 'Report a System Problem' },
    ]);
    const view = await loadSettings(admin);
    expect(view.options.requestTypes).toEqual([
      { id: '11', name: 'Report a system problem' },
      { id: '12', name: 'Report an outage' },
    ]);
  });

  it('answers the defaults, every field filled in, when nothing was saved yet', async () => {
    const view = await loadSettings(admin);
    expect(view.settings).toEqual({
      ...DEFAULT_SETTINGS,
      requestTypeNames: [],
      fallbackMappings: [],
      tierBands: DEFAULT_TIER_BANDS,
      commsCadence: DEFAULT_COMMS_CADENCE,
      reviewCadence: DEFAULT_REVIEW_CADENCE,
      managerGroups: [],
      siteTimeZone: 'UTC',
      changeIssueTypeNames: [],
      planSpaceKey: '',
      planParentPageId: '',
      postmortemSpaceKey: '',
      postmortemParentPageId: '',
      postmortemOnRecovery: false,
      drillProjectKey: '',
      drillIssueTypeName: '',
      followUpIssueTypeName: '',
      costThresholds: null,
    });
  });

  it('offers the active catalogue services only, with the projects, issue types and priorities Jira lists', async () => {
    const view = await loadSettings(admin);
    expect(view.options.services).toEqual([{ id: PAYMENTS.id, name: PAYMENTS.name }]);
    expect(view.options.projects).toEqual([{ key: 'OPS', name: 'IT Operations' }]);
    expect(view.options.issueTypes).toEqual(['Incident', 'Service request']);
    expect(view.options.priorities.map((p) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low']);
  });

  it.each<[string, JiraFailure]>([
    ['not found (no JSM)', { status: 404 }],
    ['forbidden', { status: 403 }],
  ])('offers no request types when JSM answers %s, and the rest of the page still loads', async (_what, failure) => {
    deps.jira.failNext('listRequestTypes', failure);
    const view = await loadSettings(admin);
    expect(view.options.requestTypes).toEqual([]);
    expect(view.options.issueTypes).toEqual(['Incident', 'Service request']);
    expect(view.options.projects).toHaveLength(1);
    expect(view.options.priorities).toHaveLength(4);
    expect(view.options.services).toHaveLength(1);
  });

  it.each<[string, JiraFailure, string]>([
    ['a rate limit', { status: 429, retryAfter: 5 }, 'RATE_LIMITED'],
    ['an outage', { status: 503 }, 'UPSTREAM_UNAVAILABLE'],
  ])('does not hide %s as "no request types"', async (_what, failure, code) => {
    deps.jira.failNext('listRequestTypes', failure);
    await expect(loadSettings(admin)).rejects.toMatchObject({ code });
  });

  it('is for Jira administrators only', async () => {
    const agent = asUser(deps, 'agent-9', { name: 'Agent', permissions: FULL_PERMISSIONS, admin: false });
    await expect(loadSettings(agent)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(deps.jira.callsTo('listProjects')).toEqual([]);
  });
});

describe('saving the settings', () => {
  it('stores valid settings and answers the page as it now reads', async () => {
    const view = await saveSettings(settingsInput({ projectKeys: ['OPS'], fallbackMappings: [{ kind: 'label', value: 'payments', serviceId: PAYMENTS.id }] }), admin);
    expect(view.settings).toMatchObject({ projectKeys: ['OPS'], fallbackMappings: [{ kind: 'label', value: 'payments', serviceId: PAYMENTS.id }] });
    expect((await deps.store.getSettings()).projectKeys).toEqual(['OPS']);
  });

  it.each([
    ['a service not in the catalogue', 'nowhere'],
    ['a retired service', 'legacy'],
  ])('refuses a fallback mapping to %s, naming the field, and stores nothing', async (_what, serviceId) => {
    const input = settingsInput({ fallbackMappings: [{ kind: 'label', value: 'payments', serviceId: PAYMENTS.id }, { kind: 'component', value: 'Billing', serviceId }] });
    await expect(saveSettings(input, admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'fallbackMappings.1.serviceId' });
    expect(deps.store.ops.count({ method: 'putSettings' })).toBe(0);
  });

  it('stores where plan pages go and the change request types; an empty space or parent page is none', async () => {
    const view = await saveSettings(settingsInput({ planSpaceKey: 'CONT', planParentPageId: '', changeIssueTypeNames: ['Change'] }), admin);
    expect(view.settings).toMatchObject({ planSpaceKey: 'CONT', planParentPageId: '', changeIssueTypeNames: ['Change'] });
    expect(await deps.store.getSettings()).toMatchObject({ planSpaceKey: 'CONT', changeIssueTypeNames: ['Change'] });
    expect((await deps.store.getSettings()).planParentPageId).toBeUndefined();
    await saveSettings(settingsInput({ planSpaceKey: ' ', planParentPageId: '' }), admin);
    expect((await deps.store.getSettings()).planSpaceKey).toBeUndefined();
    await expect(saveSettings(settingsInput({ planParentPageId: 'home' }), admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'planParentPageId' });
  });

  it('refuses a non-administrator before reading or storing anything', async () => {
    const agent = asUser(deps, 'agent-9', { name: 'Agent', permissions: FULL_PERMISSIONS });
    await expect(saveSettings(settingsInput(), agent)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(deps.store.ops.total).toBe(0);
  });
});

describe('saving settings that cannot be saved wrong', () => {
  it('refuses settings under which no incident could ever qualify, and says so', async () => {
    await expect(saveSettings(settingsInput({ p1Priorities: [], majorIncidentQualifies: false }), admin)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      field: 'p1Priorities',
      message: expect.stringMatching(/^No incident could ever qualify/),
    });
    // A priority this site does not have qualifies nothing either.
    await expect(saveSettings(settingsInput({ p1Priorities: ['P0'], majorIncidentQualifies: false }), admin)).rejects.toMatchObject({ field: 'p1Priorities' });
    expect(deps.store.storage.settings).toBeUndefined();
    await expect(saveSettings(settingsInput({ p1Priorities: [], majorIncidentQualifies: true }), admin)).resolves.toBeDefined();
    expect(deps.store.storage.settings).toMatchObject({ p1Priorities: [], majorIncidentQualifies: true });
  });

  it('names a fallback mapping row in words, keeping the field path for the page', async () => {
    const bad = settingsInput({ fallbackMappings: [{ kind: 'component', value: 'Payments', serviceId: PAYMENTS.id }, { kind: 'label', value: '  ', serviceId: PAYMENTS.id }] });
    await expect(saveSettings(bad, admin)).rejects.toMatchObject({ field: 'fallbackMappings.1.value', message: 'Fallback mapping 2, component or label: a component or label must not be empty.' });
    expect(fieldName('tierBands.2.rtoMaxMinutes')).toBe('RTO band, Tier 2 (Silver)');
  });
});

describe('every setting on the page', () => {
  const kept = { planSpaceKey: 'CONT', postmortemSpaceKey: 'PM', postmortemParentPageId: '123', postmortemOnRecovery: true, drillProjectKey: 'OPS', drillIssueTypeName: 'Incident', followUpIssueTypeName: 'Service request', costThresholds: { currency: 'EUR', tier1PerHour: 100_000, tier2PerHour: 10_000 } };

  it('loads where postmortems go, drills, follow-ups and the BIA cost thresholds as stored, and a save from the page keeps them', async () => {
    await deps.store.putSettings({ ...(await deps.store.getSettings()), ...kept });
    const view = await loadSettings(admin);
    expect(view.settings).toMatchObject(kept);
    await saveSettings({ ...view.settings, p1Priorities: ['High'] }, admin);
    expect(await deps.store.getSettings()).toMatchObject({ ...kept, p1Priorities: ['High'] });
  });

  it('saves them from the form, and empty (or null thresholds) clears them back to their defaults', async () => {
    const view = await saveSettings(settingsInput({ ...kept, costThresholds: { currency: 'eur', tier1PerHour: 100_000, tier2PerHour: 10_000 } }), admin);
    expect(view.settings).toMatchObject(kept);
    expect(await deps.store.getSettings()).toMatchObject(kept);
    const cleared = { postmortemSpaceKey: '', postmortemParentPageId: ' ', drillProjectKey: '', drillIssueTypeName: '', followUpIssueTypeName: '', costThresholds: null };
    const after = await saveSettings({ ...view.settings, ...cleared, postmortemOnRecovery: false }, admin);
    expect(after.settings).toMatchObject({ ...cleared, postmortemParentPageId: '', postmortemOnRecovery: false, planSpaceKey: 'CONT' });
    const stored = await deps.store.getSettings();
    for (const key of Object.keys(cleared)) expect({ key, value: stored[key as keyof typeof stored] }).toEqual({ key, value: undefined });
  });

  it('names a bad drill project or cost threshold in words, with its field', async () => {
    await expect(saveSettings(settingsInput({ drillProjectKey: 'ops' }), admin)).rejects.toMatchObject({ field: 'drillProjectKey', message: expect.stringMatching(/^The drill project key is 2–10 characters/) });
    await expect(saveSettings(settingsInput({ costThresholds: { currency: 'EUR', tier1PerHour: 1, tier2PerHour: 2 } }), admin)).rejects.toMatchObject({ field: 'costThresholds.tier1PerHour', message: 'The Tier 1 cost threshold must be at least the Tier 2 threshold.' });
    expect(fieldName('costThresholds.tier2PerHour')).toBe('Tier 2 cost threshold');
    expect(fieldName('followUpIssueTypeName')).toBe('Follow-up issue type');
    expect(deps.store.ops.count({ method: 'putSettings' })).toBe(0);
  });
});

describe('Check configuration of the settings as the form holds them', () => {
  it('checks what is typed, before it is saved, and saves nothing', async () => {
    deps.confluence.addSpace('CONT', 'Continuity');
    const view = await loadSettings(admin);
    const report = await checkTypedSettings({ ...view.settings, drillProjectKey: 'NOPE', postmortemSpaceKey: 'CONT', followUpIssueTypeName: 'Incident' }, admin);
    const said = (area: string) => report.findings.filter((f) => f.area === area).map((f) => `${f.status}: ${f.message}`);
    expect(said('drills')[0]).toBe('problem: No project with the key NOPE exists (or the app cannot see it): drills cannot be raised.');
    expect(said('spaces')).toContain('ok: Postmortems: the home page "Continuity Home" of Continuity exists and the app may write there.');
    expect(said('follow-ups')).toEqual(["ok: Follow-up actions are created as Incident issues in the incident's project; the issue type exists."]);
    expect(report.ok).toBe(false);
    expect(deps.store.ops.count({ method: 'putSettings' })).toBe(0);
  });

  it('refuses settings a save would refuse, naming the field, before asking Jira or Confluence anything', async () => {
    const view = await loadSettings(admin);
    const before = deps.jira.callsTo('listProjects').length;
    await expect(checkTypedSettings({ ...view.settings, postmortemParentPageId: 'home' }, admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'postmortemParentPageId', message: 'The postmortems parent page is a Confluence page id (digits).' });
    await expect(checkTypedSettings(undefined, admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'settings' });
    expect(deps.jira.callsTo('listProjects').length).toBe(before);
    expect(deps.confluence.calls).toEqual([]);
  });

  it('is for Jira administrators only, checked on the server', async () => {
    const manager = asUser(deps, 'manager-9', { name: 'Manager', permissions: FULL_PERMISSIONS, admin: false, groups: ['continuity-managers'] });
    await deps.store.putSettings({ ...(await deps.store.getSettings()), managerGroups: ['continuity-managers'] });
    await expect(checkTypedSettings(settingsInput(), manager)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(deps.jira.callsTo('readFieldIds')).toEqual([]);
  });
});
