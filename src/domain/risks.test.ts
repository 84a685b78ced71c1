import {
  implementationDurationDays,
  parseInstant,
  parseRiskInput,
  riskFlags,
  riskRating,
  riskScore,
  threatName,
  type RiskInput,
  type Score,
} from './risks';
import { deepFreeze, thrown } from './testing';

const DAY = 86_400_000;
const MAR_1 = Date.UTC(2026, 2, 1);

const valid = deepFreeze({
  serviceId: 'payments',
  threat: { scenario: 'ransomware' },
  likelihood: 3,
  impact: 5,
  mechanism: { kind: 'backup', description: 'Immutable nightly backups', state: 'in-place' },
  identifiedAt: '2026-03-01',
  mechanismInPlaceAt: '2026-03-15T12:00Z',
});

describe('parseRiskInput', () => {
  it('accepts a risk with a common threat and ISO dates', () => {
    expect(parseRiskInput(valid)).toEqual({
      serviceId: 'payments',
      threat: { scenario: 'ransomware' },
      likelihood: 3,
      impact: 5,
      mechanism: { kind: 'backup', description: 'Immutable nightly backups', state: 'in-place' },
      identifiedAt: MAR_1,
      mechanismInPlaceAt: MAR_1 + 14.5 * DAY,
    });
  });

  it('accepts a threat the team describes, epoch dates, and no mechanism yet', () => {
    const parsed = parseRiskInput({ serviceId: 'ledger', threat: { scenario: 'other', description: ' Solar storm ' }, likelihood: 1, impact: 2, identifiedAt: MAR_1 });
    expect(parsed).toEqual({ serviceId: 'ledger', threat: { scenario: 'other', description: 'Solar storm' }, likelihood: 1, impact: 2, identifiedAt: MAR_1 });
  });

  it('drops a description given with a common scenario', () => {
    expect(parseRiskInput({ ...valid, threat: { scenario: 'network-outage', description: 'ignored' } }).threat).toEqual({ scenario: 'network-outage' });
  });

  it.each([
    ['risk', 'ransomware', 'A risk must be an object.'],
    ['serviceId', { ...valid, serviceId: ' ' }, 'Service must not be empty.'],
    ['threat', { ...valid, threat: 'ransomware' }, 'Threat must be one of: cloud-region-loss, ransomware, data-centre-fire, key-vendor-failure, network-outage, key-staff-unavailable, or other with a description.'],
    ['threat.scenario', { ...valid, threat: { scenario: 'meteor' } }, 'Threat must be one of: cloud-region-loss, ransomware, data-centre-fire, key-vendor-failure, network-outage, key-staff-unavailable, or other with a description.'],
    ['threat.description', { ...valid, threat: { scenario: 'other' } }, 'The threat description is required.'],
    ['threat.description', { ...valid, threat: { scenario: 'other', description: '\u200B\u200B\u200B' } }, 'The threat description must contain visible characters.'],
    ['likelihood', { ...valid, likelihood: 0 }, 'Likelihood must be a whole number from 1 to 5.'],
    ['likelihood', { ...valid, likelihood: 2.5 }, 'Likelihood must be a whole number from 1 to 5.'],
    ['impact', { ...valid, impact: 6 }, 'Impact must be a whole number from 1 to 5.'],
    ['impact', { ...valid, impact: undefined }, 'Impact is required.'],
    ['mechanism.kind', { ...valid, mechanism: { ...valid.mechanism, kind: 'prayer' } }, 'Mechanism kind must be one of: plan, standby, vendor-contract, backup, other.'],
    ['mechanism.state', { ...valid, mechanism: { ...valid.mechanism, state: 'done' } }, 'Mechanism state must be none, planned, in-place or tested.'],
    ['mechanism.description', { ...valid, mechanism: { ...valid.mechanism, description: 'ok' } }, 'The mechanism description must be at least 3 characters.'],
    ['identifiedAt', { ...valid, identifiedAt: undefined }, 'Date identified is required.'],
    ['identifiedAt', { ...valid, identifiedAt: 'yesterday' }, 'Date identified must be a date such as 2026-03-01 (or a date and time with its zone).'],
    ['identifiedAt', { ...valid, identifiedAt: '2026-02-30' }, 'Date identified must be a date such as 2026-03-01 (or a date and time with its zone).'],
    ['identifiedAt', { ...valid, identifiedAt: '2026-03-01T09:30' }, 'Date identified must be a date such as 2026-03-01 (or a date and time with its zone).'],
    ['identifiedAt', { ...valid, identifiedAt: -1 }, 'Date identified must be a date such as 2026-03-01 (or a date and time with its zone).'],
    ['mechanismInPlaceAt', { ...valid, mechanismInPlaceAt: undefined }, 'Date in place is required once the mechanism is in place or tested.'],
    ['mechanismInPlaceAt', { ...valid, mechanism: { ...valid.mechanism, state: 'planned' } }, 'Date in place must be empty while the mechanism is not in place.'],
    ['mechanismInPlaceAt', { ...valid, mechanism: undefined }, 'Date in place must be empty while the mechanism is not in place.'],
    ['mechanismInPlaceAt', { ...valid, mechanismInPlaceAt: '2026-02-28' }, 'Date in place cannot be before the date identified.'],
    ['mechanismInPlaceAt', { ...valid, mechanismInPlaceAt: 'soon' }, 'Date in place must be a date such as 2026-03-01 (or a date and time with its zone).'],
    ['mechanismPlannedAt', { ...valid, mechanismPlannedAt: '2026-02-01' }, 'Date planned cannot be before the date identified.'],
  ])('names %s', (field, input, message) => {
    expect(thrown(() => parseRiskInput(input))).toMatchObject({ code: 'INVALID_INPUT', field, message });
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-03-01', MAR_1],
    [' 2026-03-01 ', MAR_1],
    ['2026-03-01T09:30Z', MAR_1 + 9.5 * 3_600_000],
    ['2026-03-01T09:30:00+02:00', MAR_1 + 7.5 * 3_600_000],
  ])('%j is %i', (text, ms) => {
    expect(parseInstant(text)).toBe(ms);
  });

  it.each(['', '2026-13-01', '2026-02-29', '2026-03-01T09:30', '01/03/2026'])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe('riskScore and riskRating', () => {
  it.each([
    [1, 4, 'low'],
    [2, 2, 'low'],
    [1, 5, 'medium'],
    [3, 3, 'medium'],
    [2, 5, 'high'],
    [3, 5, 'high'],
    [4, 4, 'critical'],
    [5, 5, 'critical'],
  ] as const)('likelihood %i × impact %i is %s', (likelihood, impact, rating) => {
    expect(riskRating(riskScore({ likelihood, impact }))).toBe(rating);
  });

  it('bands the 25 cells of the matrix 8 low, 7 medium, 6 high, 4 critical', () => {
    const counts: Record<string, number> = {};
    for (let l = 1; l <= 5; l += 1) {
      for (let i = 1; i <= 5; i += 1) {
        const rating = riskRating(riskScore({ likelihood: l as Score, impact: i as Score }));
        counts[rating] = (counts[rating] ?? 0) + 1;
      }
    }
    expect(counts).toEqual({ low: 8, medium: 7, high: 6, critical: 4 });
  });
});

const risk = (overrides: Partial<RiskInput> = {}): RiskInput =>
  deepFreeze({ serviceId: 'payments', threat: { scenario: 'ransomware' }, likelihood: 2, impact: 2, identifiedAt: MAR_1, ...overrides });

describe('implementationDurationDays', () => {
  it('counts whole days from identified to in place', () => {
    expect(implementationDurationDays(risk({ mechanism: { kind: 'plan', description: 'Plan', state: 'in-place' }, mechanismInPlaceAt: MAR_1 + 10.9 * DAY }))).toBe(10);
    expect(implementationDurationDays(risk({ mechanism: { kind: 'plan', description: 'Plan', state: 'tested' }, mechanismInPlaceAt: MAR_1 }))).toBe(0);
  });

  it('is undefined while the mechanism is not in place', () => {
    expect(implementationDurationDays(risk())).toBeUndefined();
    expect(implementationDurationDays(risk({ mechanism: { kind: 'plan', description: 'Plan', state: 'planned' } }))).toBeUndefined();
    expect(implementationDurationDays(risk({ mechanism: { kind: 'plan', description: 'Plan', state: 'in-place' } }))).toBeUndefined();
  });
});

describe('riskFlags', () => {
  const now = MAR_1 + 100 * DAY;
  const planned = { kind: 'standby', description: 'Warm standby', state: 'planned' } as const;

  it('is empty for a low risk with a mechanism in place', () => {
    expect(riskFlags(risk({ mechanism: { ...planned, state: 'in-place' }, mechanismInPlaceAt: MAR_1 }), now)).toEqual([]);
  });

  it('flags a risk without a mechanism, or with one in state none', () => {
    expect(riskFlags(risk(), now)).toEqual([{ flag: 'no-mechanism', message: 'No mechanism answers this risk yet.' }]);
    expect(riskFlags(risk({ mechanism: { ...planned, state: 'none' } }), now).map((f) => f.flag)).toEqual(['no-mechanism']);
  });

  it('flags a mechanism planned for longer than the limit, from when it was planned', () => {
    expect(riskFlags(risk({ mechanism: planned }), now)).toEqual([
      { flag: 'mechanism-overdue', message: 'The mechanism has been planned for 100 days (more than 90) without being put in place.' },
    ]);
    expect(riskFlags(risk({ mechanism: planned, mechanismPlannedAt: MAR_1 + 20 * DAY }), now)).toEqual([]);
    expect(riskFlags(risk({ mechanism: planned }), now, 100)).toEqual([]);
    expect(riskFlags(risk({ mechanism: planned }), now, 99).map((f) => f.flag)).toEqual(['mechanism-overdue']);
  });

  it('flags a high or critical risk until its mechanism is tested', () => {
    const high = { likelihood: 3, impact: 4 } as const;
    expect(riskFlags(risk({ ...high, mechanism: { ...planned, state: 'in-place' }, mechanismInPlaceAt: MAR_1 }), now)).toEqual([
      { flag: 'high-risk-untested', message: 'A high risk (score 12) without a tested mechanism.' },
    ]);
    expect(riskFlags(risk({ likelihood: 5, impact: 5 }), now).map((f) => f.flag)).toEqual(['no-mechanism', 'high-risk-untested']);
    expect(riskFlags(risk({ ...high, mechanism: { ...planned, state: 'tested' }, mechanismInPlaceAt: MAR_1 }), now)).toEqual([]);
    expect(riskFlags(risk({ likelihood: 3, impact: 3 }), now).map((f) => f.flag)).toEqual(['no-mechanism']);
  });
});

describe('threatName', () => {
  it('names common scenarios and repeats described ones', () => {
    expect(threatName({ scenario: 'cloud-region-loss' })).toBe('Loss of a cloud region');
    expect(threatName({ scenario: 'other', description: 'Solar storm' })).toBe('Solar storm');
  });
});
