import { affectedServicesJql, affectedServiceValues, mergeDirectory, servicesSeen } from './jsm-services';

describe('JSM services learned from incidents', () => {
  it('reads the ids and names an Affected services value carries, skipping what has no id', () => {
    expect(affectedServiceValues([{ id: 'a1', name: 'Payments' }, { id: 7 }, { name: 'no id' }, null, 'x'])).toEqual([
      { id: 'a1', name: 'Payments' },
      { id: '7', name: '7' },
    ]);
    expect(affectedServiceValues(null)).toEqual([]);
  });

  it('counts the incidents naming each service and keeps the newest name', () => {
    const seen = servicesSeen([
      { created: 100, value: [{ id: 'a1', name: 'Payments' }] },
      { created: 300, value: [{ id: 'a1', name: 'Payments (EU)' }, { id: 'b2', name: 'Portal' }] },
      { created: 200, value: [{ id: 'a1', name: 'Old name' }] },
    ]);
    expect(seen).toEqual([
      { id: 'a1', name: 'Payments (EU)', source: 'incidents', incidents: 3, lastSeenAt: 300 },
      { id: 'b2', name: 'Portal', source: 'incidents', incidents: 1, lastSeenAt: 300 },
    ]);
  });

  it('keeps services seen before, adds ones only Assets lists, and sorts by name', () => {
    const previous = { learnedAt: 1, incidentsRead: 1, bounded: false, assets: { state: 'not-tried' as const }, services: [{ id: 'z9', name: 'Archive', source: 'incidents' as const, incidents: 2, lastSeenAt: 50 }] };
    const merged = mergeDirectory(previous, [{ id: 'a1', name: 'Payments', source: 'incidents', incidents: 1, lastSeenAt: 100 }], [{ id: 'a1', name: 'Payments object' }, { id: 'w:5', name: 'Billing' }]);
    expect(merged.map((s) => `${s.name}/${s.source}`)).toEqual(['Archive/incidents', 'Billing/assets', 'Payments/incidents']);
  });

  it('asks JQL for incidents with the field set, newest first, in the configured projects', () => {
    expect(affectedServicesJql('customfield_10050', [])).toBe('cf[10050] is not EMPTY ORDER BY created DESC');
    expect(affectedServicesJql('customfield_10050', ['OPS', 'ENG'])).toBe('project in ("OPS", "ENG") AND cf[10050] is not EMPTY ORDER BY created DESC');
  });
});
