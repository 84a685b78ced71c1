import { checkServiceInput, parseServiceInput, tierSchema } from './service-input';
import { deepFreeze, thrown } from './testing';
import type { TierBands } from './tiers';

const minimal = deepFreeze({ name: 'Payments', tier: 1 });

describe('parseServiceInput', () => {
  it('fills RTO and RPO from the tier band and lists with nothing', () => {
    expect(parseServiceInput(minimal)).toEqual({
      name: 'Payments',
      tier: 1,
      rtoMinutes: 60,
      rpoMinutes: 15,
      dependsOn: [],
      jsmServiceIds: [],
      components: [],
      labels: [],
    });
  });

  it('takes the defaults of edited bands', () => {
    const bands: TierBands = {
      1: { rtoMinMinutes: 10, rtoMaxMinutes: 30, rpoMinutes: 5 },
      2: { rtoMinMinutes: 30, rtoMaxMinutes: 120, rpoMinutes: 30 },
      3: { rtoMinMinutes: 120, rtoMaxMinutes: 2880, rpoMinutes: 720 },
    };
    expect(parseServiceInput({ name: 'Ledger', tier: 3 }, bands)).toMatchObject({ rtoMinutes: 2880, rpoMinutes: 720 });
  });

  it('reads a full service and cleans every field', () => {
    const input = deepFreeze({
      name: '  Customer portal\u200B ',
      ownerAccountId: ' 557058:f0a1b2c3-d4e5 ',
      tier: '2',
      rto: '1h 30m',
      rpo: 30,
      dependsOn: ['Payments', ' payments ', 'Ledger'],
      jsmServiceIds: ['b:123', 'b:123', 'b:456'],
      components: ['Web', 'web', 'API'],
      labels: [' portal ', 'PORTAL', 'customer-facing'],
    });
    expect(parseServiceInput(input)).toEqual({
      name: 'Customer portal',
      ownerAccountId: '557058:f0a1b2c3-d4e5',
      tier: 2,
      rtoMinutes: 90,
      rpoMinutes: 30,
      dependsOn: ['Payments', 'Ledger'],
      jsmServiceIds: ['b:123', 'b:456'],
      components: ['Web', 'API'],
      labels: ['portal', 'customer-facing'],
    });
  });

  it('treats blank RTO, RPO and owner as not given', () => {
    const parsed = parseServiceInput({ ...minimal, tier: 2, rto: '', rpo: '  ', ownerAccountId: '' });
    expect(parsed).toMatchObject({ rtoMinutes: 240, rpoMinutes: 60 });
    expect(parsed).not.toHaveProperty('ownerAccountId');
  });

  it('keeps an explicit RTO outside the band (that is a flag, not a refusal)', () => {
    expect(parseServiceInput({ ...minimal, rto: '8h' }).rtoMinutes).toBe(480);
  });

  it('accepts the limits themselves', () => {
    const parsed = parseServiceInput({
      ...minimal,
      name: 'n'.repeat(120),
      labels: Array.from({ length: 50 }, (_, i) => `l${i}`.padEnd(100, 'x')),
      dependsOn: Array.from({ length: 50 }, (_, i) => `Service ${i}`),
    });
    expect(parsed.name).toHaveLength(120);
    expect(parsed.labels).toHaveLength(50);
    expect(parsed.dependsOn).toHaveLength(50);
  });

  it.each([
    ['service', 'Payments', 'A service must be an object.'],
    ['name', { tier: 1 }, 'Name is required.'],
    ['name', { ...minimal, name: ' ' }, 'Name must not be empty.'],
    ['name', { ...minimal, name: '\u200B\u3164' }, 'Name must contain visible characters.'],
    ['name', { ...minimal, name: '\u0301' }, 'Name must contain visible characters.'],
    ['name', { ...minimal, name: 'Pay\uD800' }, 'Name contains a broken character (an unpaired surrogate).'],
    ['name', { ...minimal, name: 'n'.repeat(121) }, 'Name must be at most 120 characters.'],
    ['name', { ...minimal, name: 'Billing; legacy' }, 'Name cannot contain ";" (it separates values in the CSV).'],
    ['name', { ...minimal, name: 'Billing\nlegacy' }, 'Name must be on one line.'],
    ['name', { ...minimal, name: 'Billing\tlegacy' }, 'Name must be on one line.'],
    ['tier', { name: 'Payments' }, 'Tier is required.'],
    ['tier', { ...minimal, tier: 4 }, 'Tier must be 1, 2 or 3 (Gold, Silver or Bronze).'],
    ['tier', { ...minimal, tier: 'platinum' }, 'Tier must be 1, 2 or 3 (Gold, Silver or Bronze).'],
    ['rto', { ...minimal, rto: 'soon' }, 'RTO must be a duration such as 45m, 4h or 1d.'],
    ['rto', { ...minimal, rto: '0m' }, 'RTO must be longer than zero.'],
    ['rpo', { ...minimal, rpo: -5 }, 'RPO must be longer than zero.'],
    ['rpo', { ...minimal, rpo: '31d' }, 'RPO must be at most 30d.'],
    ['ownerAccountId', { ...minimal, ownerAccountId: 'ann@example.com' }, 'Owner must be an Atlassian account id.'],
    ['dependsOn', { ...minimal, dependsOn: 'Ledger' }, 'Dependencies must be a list.'],
    ['dependsOn.1', { ...minimal, dependsOn: ['Ledger', ''] }, 'A dependency must not be empty.'],
    ['dependsOn', { ...minimal, dependsOn: Array.from({ length: 51 }, (_, i) => `S${i}`) }, 'At most 50 dependencies.'],
    ['jsmServiceIds.0', { ...minimal, jsmServiceIds: [' '] }, 'A JSM service id must not be empty.'],
    ['jsmServiceIds.0', { ...minimal, jsmServiceIds: ['a b'] }, 'A JSM service id cannot contain spaces or ";".'],
    ['jsmServiceIds', { ...minimal, jsmServiceIds: Array.from({ length: 21 }, (_, i) => `j${i}`) }, 'At most 20 JSM services.'],
    ['components.0', { ...minimal, components: ['a;b'] }, 'A component cannot contain ";" (it separates values in the CSV).'],
    ['labels.1', { ...minimal, labels: ['ok', 'x'.repeat(101)] }, 'A label must be at most 100 characters.'],
    ['labels.0', { ...minimal, labels: ['two words'] }, 'A label cannot contain spaces (Jira labels never do).'],
    ['labels.0', { ...minimal, labels: [3] }, 'A label must be text.'],
    ['labels', { ...minimal, labels: Array.from({ length: 51 }, (_, i) => `l${i}`) }, 'At most 50 labels.'],
  ])('names %s', (field, input, message) => {
    expect(thrown(() => parseServiceInput(input))).toMatchObject({ code: 'INVALID_INPUT', field, message });
  });
});

describe('checkServiceInput', () => {
  it('answers with the value or the problem', () => {
    expect(checkServiceInput(minimal)).toMatchObject({ ok: true, value: { name: 'Payments' } });
    expect(checkServiceInput({ ...minimal, tier: 9 })).toEqual({ ok: false, field: 'tier', message: 'Tier must be 1, 2 or 3 (Gold, Silver or Bronze).' });
  });
});

describe('tierSchema', () => {
  it.each([
    [1, 1],
    ['1', 1],
    [' 2 ', 2],
    ['Tier 3', 3],
    ['tier2', 2],
    ['T1', 1],
    ['Gold', 1],
    ['SILVER', 2],
    ['bronze', 3],
    ['Tier 1 (Gold)', 1],
    ['tier 3  (bronze)', 3],
  ] as const)('reads %j as Tier %i', (input, tier) => {
    expect(tierSchema.parse(input)).toBe(tier);
  });

  it.each([0, 1.5, '12', 'Tier 4', 'Tier 1 (Bronze)', true])('refuses %j', (input) => {
    expect(tierSchema.safeParse(input).success).toBe(false);
  });
});
