import type { Service } from './catalogue';
import { matchEntriesAfter } from './catalogue-matches';
import { DEFAULT_SETTINGS, qualify, type ContinuitySettings, type IncidentFacts } from './incident';
import { matchedServices, matchKeys, matchKeyString } from './matching';
import { aService, anIncident, deepFreeze } from './testing';

const settings = (overrides: Partial<ContinuitySettings> = {}): ContinuitySettings => deepFreeze({ ...DEFAULT_SETTINGS, ...overrides });

describe('qualify', () => {
  it('does not qualify a resolved incident, whatever its priority, and marks why', () => {
    const q = qualify(anIncident({ resolved: true, priority: { id: '1', name: 'Highest' }, majorIncident: true }), DEFAULT_SETTINGS);
    expect(q).toEqual({ qualifies: false, resolved: true, reason: 'The incident is resolved.', toQualify: 'Reopen the incident to invoke its continuity plan.' });
  });

  it('qualifies a P1 priority by name, case-insensitively', () => {
    expect(qualify(anIncident({ priority: { id: '1', name: 'Highest' } }), settings())).toEqual({ qualifies: true, because: 'priority' });
    expect(qualify(anIncident({ priority: { id: '1', name: 'HIGHEST' } }), settings())).toEqual({ qualifies: true, because: 'priority' });
    expect(qualify(anIncident({ priority: { id: '9', name: 'p1' } }), settings())).toEqual({ qualifies: true, because: 'priority' });
  });

  it('qualifies a priority configured by id', () => {
    const byId = settings({ p1Priorities: ['10000'] });
    expect(qualify(anIncident({ priority: { id: '10000', name: 'Sev 1' } }), byId)).toEqual({ qualifies: true, because: 'priority' });
    expect(qualify(anIncident({ priority: { id: '10001', name: 'Sev 2' } }), byId)).toMatchObject({ qualifies: false });
  });

  it('does not qualify a lower priority, and says what would make it qualify', () => {
    expect(qualify(anIncident({ priority: { id: '3', name: 'Medium' } }), settings())).toEqual({
      qualifies: false,
      reason: 'Priority Medium is not a P1 priority.',
      toQualify: 'Raise the priority to Highest or flag it as a major incident.',
    });
  });

  it('does not qualify an incident without a priority', () => {
    expect(qualify(anIncident({ priority: null }), settings())).toMatchObject({ qualifies: false, reason: 'Priority none is not a P1 priority.' });
  });

  it('qualifies a flagged major incident when the flag qualifies, whatever its priority', () => {
    const incident = anIncident({ priority: { id: '4', name: 'Low' }, majorIncident: true });
    expect(qualify(incident, settings())).toEqual({ qualifies: true, because: 'major-incident' });
  });

  it('ignores the major-incident flag when it is switched off, and does not suggest it', () => {
    const incident = anIncident({ priority: { id: '4', name: 'Low' }, majorIncident: true });
    expect(qualify(incident, settings({ majorIncidentQualifies: false }))).toEqual({
      qualifies: false,
      reason: 'Priority Low is not a P1 priority.',
      toQualify: 'Raise the priority to Highest.',
    });
  });

  it('prefers priority as the reason when both apply', () => {
    expect(qualify(anIncident({ majorIncident: true }), settings())).toEqual({ qualifies: true, because: 'priority' });
  });

  it('limits to the configured projects, case-insensitively; empty means every project', () => {
    expect(qualify(anIncident({ projectKey: 'OPS' }), settings({ projectKeys: ['ops'] }))).toMatchObject({ qualifies: true });
    expect(qualify(anIncident({ projectKey: 'HR' }), settings({ projectKeys: ['OPS'] }))).toEqual({
      qualifies: false,
      reason: 'Project HR is not covered by continuity settings.',
      toQualify: 'Add the project in the app settings.',
    });
    expect(qualify(anIncident({ projectKey: 'ANY' }), settings({ projectKeys: [] }))).toMatchObject({ qualifies: true });
  });

  it('limits to the configured issue types, case-insensitively; empty means every type', () => {
    expect(qualify(anIncident({ issueTypeName: 'incident' }), settings())).toMatchObject({ qualifies: true });
    expect(qualify(anIncident({ issueTypeName: 'Task' }), settings({ issueTypeNames: ['Incident', 'Outage'] }))).toEqual({
      qualifies: false,
      reason: 'Issue type Task is not a continuity incident type.',
      toQualify: 'Use one of: Incident, Outage.',
    });
    expect(qualify(anIncident({ issueTypeName: 'Task' }), settings({ issueTypeNames: [] }))).toMatchObject({ qualifies: true });
  });

  it('checks the project before the type and the type before the priority or flag', () => {
    const incident = anIncident({ projectKey: 'HR', issueTypeName: 'Task', majorIncident: true });
    expect(qualify(incident, settings({ projectKeys: ['OPS'] }))).toMatchObject({ qualifies: false, reason: 'Project HR is not covered by continuity settings.' });
    expect(qualify(incident, settings())).toMatchObject({ qualifies: false, reason: 'Issue type Task is not a continuity incident type.' });
  });

  it('limits to the configured request types, case-insensitively; empty means any request type or none', () => {
    const outage = settings({ requestTypeNames: ['Report an outage', 'Major outage'] });
    expect(qualify(anIncident({ requestTypeName: 'report an OUTAGE' }), outage)).toEqual({ qualifies: true, because: 'priority' });
    expect(qualify(anIncident({ requestTypeName: 'Report a system problem' }), outage)).toEqual({
      qualifies: false,
      reason: 'Request type Report a system problem is not a continuity request type.',
      toQualify: 'Use one of: Report an outage, Major outage.',
    });
    expect(qualify(anIncident({ requestTypeName: null }), outage)).toEqual({
      qualifies: false,
      reason: 'The incident has no request type.',
      toQualify: 'Use one of: Report an outage, Major outage.',
    });
    expect(qualify(anIncident({ requestTypeName: 'Get IT help' }), settings())).toMatchObject({ qualifies: true });
    expect(qualify(anIncident({ requestTypeName: null }), settings({ requestTypeNames: [] }))).toMatchObject({ qualifies: true });
  });

  it('checks the request type after the project and issue type, and before the priority or flag', () => {
    const outage = settings({ projectKeys: ['OPS'], requestTypeNames: ['Report an outage'] });
    expect(qualify(anIncident({ projectKey: 'HR', requestTypeName: 'Get IT help' }), outage)).toMatchObject({ reason: 'Project HR is not covered by continuity settings.' });
    expect(qualify(anIncident({ issueTypeName: 'Task', requestTypeName: 'Get IT help' }), outage)).toMatchObject({ reason: 'Issue type Task is not a continuity incident type.' });
    expect(qualify(anIncident({ requestTypeName: 'Get IT help', majorIncident: true }), outage)).toMatchObject({ qualifies: false, reason: 'Request type Get IT help is not a continuity request type.' });
    expect(qualify(anIncident({ requestTypeName: 'Report an outage', priority: { id: '3', name: 'Medium' } }), outage)).toMatchObject({ qualifies: false, reason: 'Priority Medium is not a P1 priority.' });
    expect(qualify(anIncident({ resolved: true, requestTypeName: 'Get IT help' }), outage)).toMatchObject({ resolved: true, reason: 'The incident is resolved.' });
  });

  it('with no P1 priorities configured, only the flag qualifies', () => {
    const none = settings({ p1Priorities: [] });
    expect(qualify(anIncident(), none)).toMatchObject({ qualifies: false, toQualify: 'Raise the priority to a P1 priority or flag it as a major incident.' });
    expect(qualify(anIncident({ majorIncident: true }), none)).toEqual({ qualifies: true, because: 'major-incident' });
  });
});

/**
 * Which catalogue services an incident affects, end to end through the pure pieces the app uses: the
 * match entries a catalogue write keeps (catalogue-matches), the keys an incident looks up and the
 * services they answer (matching).
 */
function affectedServices(incident: IncidentFacts, catalogue: readonly Service[], settings: Pick<ContinuitySettings, 'fallbackMappings'> = {}): Service[] {
  const entries = matchEntriesAfter(catalogue, new Map(), new Set(catalogue.map((s) => s.id)));
  const found = new Map(entries.map((e) => [matchKeyString(e.key), e.matches]));
  const ids = matchedServices(matchKeys(incident, settings), found).map((m) => m.service.id);
  return catalogue.filter((s) => ids.includes(s.id));
}

describe('affectedServices', () => {
  const catalogue = deepFreeze([
    aService({ id: 'payments', jsmServiceIds: ['jsm-1'], components: ['Payments API'], labels: ['pay'] }),
    aService({ id: 'network', jsmServiceIds: ['jsm-2'], components: [], labels: ['dc-east'] }),
    aService({ id: 'email', components: ['Mail'], labels: [] }),
  ]);
  const ids = (services: { id: string }[]) => services.map((s) => s.id);

  it('matches by the JSM Affected services field', () => {
    expect(ids(affectedServices(anIncident({ affectedServiceIds: ['jsm-2', 'jsm-1'] }), catalogue))).toEqual(['payments', 'network']);
  });

  it('does not fall back when Affected services is set but matches nothing in the catalogue', () => {
    const incident = anIncident({ affectedServiceIds: ['jsm-unknown'], components: ['Mail'], labels: ['pay'] });
    expect(affectedServices(incident, catalogue, { fallbackMappings: [{ kind: 'label', value: 'pay', serviceId: 'email' }] })).toEqual([]);
  });

  it('uses only Affected services when it matches, even if components would match more', () => {
    expect(ids(affectedServices(anIncident({ affectedServiceIds: ['jsm-2'], components: ['Mail'] }), catalogue))).toEqual(['network']);
  });

  it('falls back to the services\' own components and labels, case-insensitively', () => {
    expect(ids(affectedServices(anIncident({ components: ['payments api'] }), catalogue))).toEqual(['payments']);
    expect(ids(affectedServices(anIncident({ labels: ['DC-EAST'] }), catalogue))).toEqual(['network']);
    expect(ids(affectedServices(anIncident({ components: ['MAIL'], labels: ['pay'] }), catalogue))).toEqual(['payments', 'email']);
  });

  it('does not confuse a component with a label of the same name', () => {
    expect(affectedServices(anIncident({ components: ['pay'] }), catalogue)).toEqual([]);
  });

  it('falls back to configured mappings by component and by label', () => {
    const fallbackMappings = deepFreeze([
      { kind: 'component' as const, value: 'Checkout', serviceId: 'payments' },
      { kind: 'label' as const, value: 'smtp', serviceId: 'email' },
    ]);
    expect(ids(affectedServices(anIncident({ components: ['checkout'] }), catalogue, { fallbackMappings }))).toEqual(['payments']);
    expect(ids(affectedServices(anIncident({ labels: ['SMTP'] }), catalogue, { fallbackMappings }))).toEqual(['email']);
    // A mapping by label does not match a component of that name.
    expect(affectedServices(anIncident({ components: ['smtp'] }), catalogue, { fallbackMappings })).toEqual([]);
  });

  it('lists each service once, in catalogue order, when a mapping and its own labels both match', () => {
    const fallbackMappings = [{ kind: 'label' as const, value: 'outage', serviceId: 'email' }, { kind: 'label' as const, value: 'outage', serviceId: 'payments' }];
    expect(ids(affectedServices(anIncident({ labels: ['outage', 'pay'] }), catalogue, { fallbackMappings }))).toEqual(['payments', 'email']);
  });

  it('ignores mappings to services not in the catalogue', () => {
    expect(affectedServices(anIncident({ labels: ['x'] }), catalogue, { fallbackMappings: [{ kind: 'label', value: 'x', serviceId: 'gone' }] })).toEqual([]);
  });

  it('accepts whole settings without mappings (stored before they existed) and no settings at all', () => {
    expect(ids(affectedServices(anIncident({ labels: ['pay'] }), catalogue, DEFAULT_SETTINGS))).toEqual(['payments']);
    expect(ids(affectedServices(anIncident({ labels: ['pay'] }), catalogue))).toEqual(['payments']);
  });

  it('finds nothing when the incident has no services, components or labels', () => {
    expect(affectedServices(anIncident(), catalogue)).toEqual([]);
  });
});
