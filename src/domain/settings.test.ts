import { DEFAULT_SETTINGS } from './incident';
import { parseSettings, settingsSchema } from './settings';
import { deepFreeze, thrown } from './testing';

const valid = deepFreeze({
  projectKeys: ['OPS', 'PAY_2'],
  issueTypeNames: ['Incident', 'Major incident'],
  requestTypeNames: ['Report an outage'],
  p1Priorities: ['Highest', '1'],
  majorIncidentQualifies: true,
  fallbackMappings: [
    { kind: 'component', value: 'payments-api', serviceId: 'payments' },
    { kind: 'label', value: 'dc-east', serviceId: 'core-network' },
  ],
});

const fieldOf = (input: unknown) => thrown(() => parseSettings(input));

describe('parseSettings', () => {
  it('names every field at fault at once: the first as the field, the rest as others, once each', () => {
    const error = thrown(() => parseSettings({ ...valid, projectKeys: 'OPS', planSpaceKey: 'no such space', costThresholds: { currency: 'EUR', tier1PerHour: 'abc', tier2PerHour: -5 } })) as ReturnType<typeof thrown> & { others?: Array<{ field: string }> };
    expect(error.field).toBe('projectKeys');
    expect(error.others!.map((o) => o.field)).toEqual(['planSpaceKey', 'costThresholds.tier1PerHour', 'costThresholds.tier2PerHour']);
  });

  it('accepts valid settings and returns an equal, separate object', () => {
    const parsed = parseSettings(valid);
    expect(parsed).toEqual(valid);
    expect(parsed).not.toBe(valid);
  });

  it('accepts the defaults and gives them an empty mapping list', () => {
    expect(parseSettings(DEFAULT_SETTINGS)).toEqual({ ...DEFAULT_SETTINGS, fallbackMappings: [] });
    expect(DEFAULT_SETTINGS.requestTypeNames).toEqual([]);
  });

  it('trims names, strips control characters, and drops unknown keys', () => {
    const parsed = parseSettings({ ...valid, p1Priorities: ['  Highest ', 'P\u00001'], projectKeys: [' OPS '], extra: 'ignored' });
    expect(parsed.p1Priorities).toEqual(['Highest', 'P1']);
    expect(parsed.projectKeys).toEqual(['OPS']);
    expect(parsed).not.toHaveProperty('extra');
  });

  it('reads an empty plan space or parent page as none, cleared even when laid over stored settings', () => {
    const parsed = parseSettings({ ...valid, planSpaceKey: ' ', planParentPageId: '' });
    expect(parsed.planSpaceKey).toBeUndefined();
    expect(parsed.planParentPageId).toBeUndefined();
    const laid = { ...valid, planSpaceKey: 'CONT', planParentPageId: '42', ...parsed };
    expect([laid.planSpaceKey, laid.planParentPageId]).toEqual([undefined, undefined]);
    expect(fieldOf({ ...valid, planParentPageId: 'home' })).toMatchObject({ field: 'planParentPageId' });
  });

  it('keeps the BIA cost thresholds (currency upper-cased), refuses bad ones by their field, and reads null as none', () => {
    expect(parseSettings({ ...valid, costThresholds: { currency: 'eur', tier1PerHour: 100_000, tier2PerHour: 10_000 } }).costThresholds).toEqual({ currency: 'EUR', tier1PerHour: 100_000, tier2PerHour: 10_000 });
    expect(fieldOf({ ...valid, costThresholds: { currency: 'EUR', tier1PerHour: 5, tier2PerHour: 10 } })).toMatchObject({ field: 'costThresholds.tier1PerHour', message: 'The Tier 1 cost threshold must be at least the Tier 2 threshold.' });
    expect(fieldOf({ ...valid, costThresholds: { currency: 'EUR', tier1PerHour: '10k', tier2PerHour: 10 } })).toMatchObject({ field: 'costThresholds.tier1PerHour', message: 'Tier 1 cost threshold must be a number of 0 or more.' });
    expect(fieldOf({ ...valid, costThresholds: { currency: 'euro', tier1PerHour: 10, tier2PerHour: 1 } })).toMatchObject({ field: 'costThresholds.currency' });
    const cleared = parseSettings({ ...valid, costThresholds: null });
    expect({ ...valid, costThresholds: { currency: 'EUR', tier1PerHour: 1, tier2PerHour: 1 }, ...cleared }.costThresholds).toBeUndefined();
    expect(parseSettings(valid)).not.toHaveProperty('costThresholds');
  });

  it('accepts empty lists (every project, every type)', () => {
    expect(parseSettings({ ...valid, projectKeys: [], issueTypeNames: [], p1Priorities: [] })).toMatchObject({ projectKeys: [], issueTypeNames: [], p1Priorities: [] });
  });

  it.each([
    ['p1Priorities.0', { ...valid, p1Priorities: [''] }, 'A priority must not be empty.'],
    ['p1Priorities.1', { ...valid, p1Priorities: ['Highest', '   '] }, 'A priority must not be empty.'],
    ['p1Priorities.0', { ...valid, p1Priorities: ['x'.repeat(101)] }, 'A priority must be at most 100 characters.'],
    ['p1Priorities.0', { ...valid, p1Priorities: [3] }, 'A priority must be text.'],
    ['p1Priorities', { ...valid, p1Priorities: Array.from({ length: 21 }, (_, i) => `P${i}`) }, 'At most 20 priorities.'],
    ['p1Priorities', { ...valid, p1Priorities: 'Highest' }, 'Priorities must be a list.'],
    ['p1Priorities', { ...valid, p1Priorities: undefined }, 'Priorities is required.'],
    ['projectKeys.1', { ...valid, projectKeys: ['OPS', 'ops'] }, undefined],
    ['projectKeys.0', { ...valid, projectKeys: ['O'] }, undefined],
    ['projectKeys.0', { ...valid, projectKeys: ['1OPS'] }, undefined],
    ['projectKeys.0', { ...valid, projectKeys: ['ABCDEFGHIJK'] }, undefined],
    ['projectKeys.0', { ...valid, projectKeys: ['OP-S'] }, undefined],
    ['projectKeys', { ...valid, projectKeys: Array.from({ length: 51 }, (_, i) => `P${i}`) }, 'At most 50 project keys.'],
    ['issueTypeNames.0', { ...valid, issueTypeNames: [''] }, 'An issue type name must not be empty.'],
    ['requestTypeNames.1', { ...valid, requestTypeNames: ['Report an outage', ' '] }, 'A request type name must not be empty.'],
    ['requestTypeNames.0', { ...valid, requestTypeNames: [7] }, 'A request type name must be text.'],
    ['requestTypeNames', { ...valid, requestTypeNames: 'Report an outage' }, 'Request types must be a list.'],
    ['requestTypeNames', { ...valid, requestTypeNames: Array.from({ length: 51 }, (_, i) => `T${i}`) }, 'At most 50 request types.'],
    ['majorIncidentQualifies', { ...valid, majorIncidentQualifies: 'yes' }, 'Major incident qualifies must be true or false.'],
    ['majorIncidentQualifies', { ...valid, majorIncidentQualifies: undefined }, 'Major incident qualifies is required.'],
    ['fallbackMappings.1.kind', { ...valid, fallbackMappings: [valid.fallbackMappings[0], { kind: 'team', value: 'x', serviceId: 's' }] }, 'Kind must be "component" or "label".'],
    ['fallbackMappings.0.value', { ...valid, fallbackMappings: [{ kind: 'label', value: ' ', serviceId: 's' }] }, 'A component or label must not be empty.'],
    ['fallbackMappings.0.serviceId', { ...valid, fallbackMappings: [{ kind: 'label', value: 'x', serviceId: 'y'.repeat(101) }] }, 'A service id must be at most 100 characters.'],
    ['fallbackMappings.0', { ...valid, fallbackMappings: ['payments'] }, undefined],
    ['fallbackMappings', { ...valid, fallbackMappings: Array.from({ length: 201 }, (_, i) => ({ kind: 'label', value: `l${i}`, serviceId: 's' })) }, 'At most 200 fallback mappings.'],
  ])('names %s', (field, input, message) => {
    const error = fieldOf(input);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field });
    if (message) expect(error.message).toBe(message);
  });

  it('accepts the limits themselves: 50 keys, 20 priorities, 200 mappings, 100-character names, 10-character keys', () => {
    const parsed = parseSettings({
      ...valid,
      projectKeys: Array.from({ length: 50 }, (_, i) => `P${i}`),
      p1Priorities: [...Array.from({ length: 19 }, (_, i) => `P${i}`), 'x'.repeat(100)],
      fallbackMappings: Array.from({ length: 200 }, (_, i) => ({ kind: 'label', value: `l${i}`, serviceId: 's' })),
    });
    expect(parsed.projectKeys).toHaveLength(50);
    expect(parseSettings({ ...valid, projectKeys: ['ABCDEFGHIJ', 'A_1'] }).projectKeys).toEqual(['ABCDEFGHIJ', 'A_1']);
  });

  it('treats missing fallback mappings (settings stored before they existed) as none', () => {
    const { fallbackMappings: _m, ...old } = valid;
    expect(parseSettings(old).fallbackMappings).toEqual([]);
  });

  it('treats missing request types (settings stored before they existed) as any request type', () => {
    const { requestTypeNames: _r, ...old } = valid;
    expect(parseSettings(old).requestTypeNames).toEqual([]);
  });

  it('trims request type names', () => {
    expect(parseSettings({ ...valid, requestTypeNames: ['  Report an outage\u0007 '] }).requestTypeNames).toEqual(['Report an outage']);
  });

  it('names the first bad field when several are bad', () => {
    expect(fieldOf({ ...valid, projectKeys: ['bad'], p1Priorities: [''] })).toMatchObject({ field: 'projectKeys.0' });
  });

  it.each([null, 'settings', 42, []])('refuses %p as a whole with field settings', (input) => {
    expect(fieldOf(input)).toMatchObject({ code: 'INVALID_INPUT', field: 'settings', message: 'Settings must be an object.' });
  });

  it('does not mutate its input', () => {
    const input = deepFreeze({ ...valid, p1Priorities: [' Highest '] });
    expect(() => parseSettings(input)).not.toThrow();
    expect(input.p1Priorities).toEqual([' Highest ']);
  });

  it('exposes the schema for the contract and the admin form', () => {
    expect(settingsSchema.safeParse(valid).success).toBe(true);
  });
});
