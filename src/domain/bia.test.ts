import {
  IMPACT_CATEGORIES,
  mtpdFlag,
  parseBia,
  parseCostThresholds,
  rtoBelowMtpd,
  suggestFromBia,
  type BusinessImpact,
  type ImpactCategory,
  type ImpactRating,
  type ImpactRatings,
} from './bia';
import { deepFreeze, thrown } from './testing';
import type { TierBands } from './tiers';

type Row = [ImpactRating, ImpactRating, ImpactRating, ImpactRating];

/** Ratings at 1 h, 4 h, 24 h and 72 h per category; categories left out are rated 0 throughout. */
function ratings(rows: Partial<Record<ImpactCategory, Row>> = {}): ImpactRatings {
  return Object.fromEntries(
    IMPACT_CATEGORIES.map((c) => {
      const [a, b, d, e] = rows[c] ?? [0, 0, 0, 0];
      return [c, { '1h': a, '4h': b, '24h': d, '72h': e }];
    }),
  ) as ImpactRatings;
}

const bia = (overrides: Partial<BusinessImpact> = {}): BusinessImpact =>
  deepFreeze({ costOfDowntimePerHour: 0, currency: 'EUR', ratings: ratings(), maximumTolerableDowntimeMinutes: 7 * 1440, ...overrides });

describe('parseBia', () => {
  const valid = deepFreeze({
    costOfDowntimePerHour: 25_000,
    currency: ' eur ',
    ratings: ratings({ financial: [1, 2, 3, 4], customer: [2, 3, 3, 4] }),
    maximumTolerableDowntimeMinutes: '1d',
    notes: '  Card payments stop; refunds queue. ',
  });

  it('accepts a full assessment and cleans it', () => {
    expect(parseBia(valid)).toEqual({
      costOfDowntimePerHour: 25_000,
      currency: 'EUR',
      ratings: ratings({ financial: [1, 2, 3, 4], customer: [2, 3, 3, 4] }),
      maximumTolerableDowntimeMinutes: 1440,
      notes: 'Card payments stop; refunds queue.',
    });
  });

  it('accepts zero cost, flat ratings, minutes for the MTPD, and blank notes', () => {
    const parsed = parseBia({ ...valid, costOfDowntimePerHour: 0, ratings: ratings({ regulatory: [2, 2, 2, 2] }), maximumTolerableDowntimeMinutes: 90, notes: '\u200B ' });
    expect(parsed).toMatchObject({ costOfDowntimePerHour: 0, maximumTolerableDowntimeMinutes: 90 });
    expect(parsed).not.toHaveProperty('notes');
  });

  const withRating = (category: ImpactCategory, values: Record<string, unknown>) => ({ ...valid, ratings: { ...valid.ratings, [category]: { ...valid.ratings[category], ...values } } });

  it.each([
    ['bia', 'BIA', 'A business impact analysis must be an object.'],
    ['costOfDowntimePerHour', { ...valid, costOfDowntimePerHour: -1 }, 'Cost of downtime per hour must be a number of 0 or more.'],
    ['costOfDowntimePerHour', { ...valid, costOfDowntimePerHour: '100' }, 'Cost of downtime per hour must be a number of 0 or more.'],
    ['costOfDowntimePerHour', { ...valid, costOfDowntimePerHour: undefined }, 'Cost of downtime per hour is required.'],
    ['currency', { ...valid, currency: 'EURO' }, 'Currency must be a three-letter ISO 4217 code such as EUR or USD.'],
    ['currency', { ...valid, currency: 'QQQ' }, 'Currency must be a three-letter ISO 4217 code such as EUR or USD.'],
    ['currency', { ...valid, currency: undefined }, 'Currency is required.'],
    ['ratings', { ...valid, ratings: undefined }, 'Impact ratings are required.'],
    ['ratings.regulatory', { ...valid, ratings: { ...valid.ratings, regulatory: undefined } }, 'Regulatory impact ratings are required.'],
    ['ratings.customer.24h', withRating('customer', { '24h': 5 }), 'Customer impact at 24 h must be a whole number from 0 (none) to 4 (severe).'],
    ['ratings.customer.1h', withRating('customer', { '1h': 1.5 }), 'Customer impact at 1 h must be a whole number from 0 (none) to 4 (severe).'],
    ['ratings.operational.72h', withRating('operational', { '72h': undefined }), 'Operational impact at 72 h is required.'],
    [
      'ratings.financial.24h',
      withRating('financial', { '24h': 1 }),
      'Financial impact at 24 h (minor) cannot be lower than at 4 h (moderate): impact only grows the longer a service is down.',
    ],
    [
      'ratings.reputational.4h',
      withRating('reputational', { '1h': 4, '4h': 3, '24h': 4, '72h': 4 }),
      'Reputational impact at 4 h (major) cannot be lower than at 1 h (severe): impact only grows the longer a service is down.',
    ],
    ['maximumTolerableDowntimeMinutes', { ...valid, maximumTolerableDowntimeMinutes: '' }, 'Maximum tolerable downtime is required.'],
    ['maximumTolerableDowntimeMinutes', { ...valid, maximumTolerableDowntimeMinutes: '4m' }, 'Maximum tolerable downtime must be at least 5m.'],
    ['maximumTolerableDowntimeMinutes', { ...valid, maximumTolerableDowntimeMinutes: '91d' }, 'Maximum tolerable downtime must be at most 90d.'],
    ['notes', { ...valid, notes: 'x'.repeat(2001) }, 'Notes must be at most 2000 characters.'],
  ])('names %s', (field, input, message) => {
    expect(thrown(() => parseBia(input))).toMatchObject({ code: 'INVALID_INPUT', field, message });
  });
});

describe('suggestFromBia with the default bands', () => {
  it('major impact within 1 h: Tier 1 at its fastest RTO', () => {
    expect(suggestFromBia(bia({ ratings: ratings({ financial: [3, 4, 4, 4], customer: [4, 4, 4, 4], regulatory: [1, 2, 3, 3] }) }))).toEqual({
      tier: 1,
      rtoMinutes: 15,
      rpoMinutes: 15,
      reasoning: [
        'Financial and customer impact is major or worse within 1 h, so recovery must be as fast as Tier 1 (Gold) allows: 15m.',
        'An RTO of 15m falls in Tier 1 (Gold).',
        "The RPO is Tier 1 (Gold)'s default of 15m.",
      ],
    });
  });

  it('major first at 4 h: RTO 1 h, Tier 2', () => {
    expect(suggestFromBia(bia({ ratings: ratings({ operational: [1, 3, 4, 4] }) }))).toEqual({
      tier: 2,
      rtoMinutes: 60,
      rpoMinutes: 60,
      reasoning: [
        'Operational impact becomes major or worse at 4 h; the longest assessed outage before that is 1 h, so the RTO is 1h.',
        'An RTO of 1h falls in Tier 2 (Silver).',
        "The RPO is Tier 2 (Silver)'s default of 1h.",
      ],
    });
  });

  it.each([
    ['24 h', ratings({ regulatory: [0, 2, 3, 3] }), 3, 240],
    ['72 h', ratings({ reputational: [0, 1, 2, 3] }), 3, 1440],
  ] as const)('major first at %s: Tier %i, RTO %i min', (_, r, tier, rto) => {
    expect(suggestFromBia(bia({ ratings: r }))).toMatchObject({ tier, rtoMinutes: rto });
  });

  it('no major impact within 72 h: the slowest RTO any tier allows', () => {
    const suggestion = suggestFromBia(bia({ ratings: ratings({ financial: [1, 1, 2, 2] }) }));
    expect(suggestion).toMatchObject({ tier: 3, rtoMinutes: 1440, rpoMinutes: 1440 });
    expect(suggestion.reasoning.slice(0, 2)).toEqual([
      'No category becomes major within 72 h, the longest assessed outage.',
      'No tier allows an RTO that long; the slowest, Tier 3 (Bronze), allows up to 1d, so the RTO is 1d.',
    ]);
  });
});

describe('suggestFromBia and cost of downtime', () => {
  const thresholds = deepFreeze({ currency: 'EUR', tier1PerHour: 100_000, tier2PerHour: 10_000 });
  const slowImpact = ratings({ regulatory: [0, 2, 3, 3] }); // Tier 3, RTO 4 h on impact alone

  it('raises the tier and brings the RTO down to the tier\'s slowest', () => {
    const suggestion = suggestFromBia(bia({ ratings: slowImpact, costOfDowntimePerHour: 150_000 }), undefined, thresholds);
    expect(suggestion).toMatchObject({ tier: 1, rtoMinutes: 60, rpoMinutes: 15 });
    expect(suggestion.reasoning).toContain('Downtime costs 150,000 EUR per hour, at or above the Tier 1 (Gold) threshold of 100,000 EUR: Tier 1 (Gold), with an RTO of at most 1h.');
  });

  it('raises to Tier 2 from the Tier 2 threshold, the threshold itself included', () => {
    expect(suggestFromBia(bia({ ratings: slowImpact, costOfDowntimePerHour: 10_000 }), undefined, thresholds)).toMatchObject({ tier: 2, rtoMinutes: 240 });
  });

  it('never lowers the tier', () => {
    const fast = ratings({ customer: [3, 3, 3, 3] });
    expect(suggestFromBia(bia({ ratings: fast, costOfDowntimePerHour: 0 }), undefined, thresholds)).toMatchObject({ tier: 1, rtoMinutes: 15 });
  });

  it('leaves the tier alone below the thresholds', () => {
    expect(suggestFromBia(bia({ ratings: slowImpact, costOfDowntimePerHour: 9_999.99 }), undefined, thresholds)).toMatchObject({ tier: 3, rtoMinutes: 240 });
  });

  it('does not compare costs in another currency, and says so', () => {
    const suggestion = suggestFromBia(bia({ ratings: slowImpact, currency: 'USD', costOfDowntimePerHour: 1e6 }), undefined, thresholds);
    expect(suggestion.tier).toBe(3);
    expect(suggestion.reasoning).toContain('Cost of downtime not compared: the thresholds are in EUR, this assessment is in USD.');
  });
});

describe('suggestFromBia and the MTPD', () => {
  it('keeps the RTO below the MTPD and lets the tier follow', () => {
    const suggestion = suggestFromBia(bia({ ratings: ratings({ operational: [1, 3, 4, 4] }), maximumTolerableDowntimeMinutes: 60 }));
    expect(suggestion).toMatchObject({ tier: 1, rtoMinutes: 45, rpoMinutes: 15 });
    expect(suggestion.reasoning).toContain(
      'The RTO must be below the maximum tolerable downtime of 1h; keeping a quarter of it for noticing the outage and deciding to invoke the plan, the RTO is 45m, which makes it Tier 1 (Gold).',
    );
  });

  it('leaves an RTO already below the MTPD alone', () => {
    expect(suggestFromBia(bia({ ratings: ratings({ operational: [1, 3, 4, 4] }), maximumTolerableDowntimeMinutes: 61 }))).toMatchObject({ tier: 2, rtoMinutes: 60 });
  });

  it('caps within the same tier without a tier note', () => {
    const suggestion = suggestFromBia(bia({ ratings: ratings({ financial: [0, 0, 0, 3] }), maximumTolerableDowntimeMinutes: 12 * 60 }));
    expect(suggestion).toMatchObject({ tier: 3, rtoMinutes: 540 });
    expect(suggestion.reasoning.at(-2)).toMatch(/the RTO is 9h\.$/);
  });
});

describe('suggestFromBia with edited bands', () => {
  it('uses the bands it is given', () => {
    const bands: TierBands = {
      1: { rtoMinMinutes: 5, rtoMaxMinutes: 240, rpoMinutes: 5 },
      2: { rtoMinMinutes: 240, rtoMaxMinutes: 1440, rpoMinutes: 30 },
      3: { rtoMinMinutes: 1440, rtoMaxMinutes: 4320, rpoMinutes: 240 },
    };
    expect(suggestFromBia(bia({ ratings: ratings({ customer: [4, 4, 4, 4] }) }), bands)).toMatchObject({ tier: 1, rtoMinutes: 5 });
    expect(suggestFromBia(bia({ ratings: ratings({ customer: [2, 2, 3, 4] }) }), bands)).toMatchObject({ tier: 2, rtoMinutes: 240, rpoMinutes: 30 });
    expect(suggestFromBia(bia(), bands)).toMatchObject({ tier: 3, rtoMinutes: 4320 });
  });
});

describe('rtoBelowMtpd', () => {
  it.each([
    [7, 5],
    [5, 3],
    [30, 20],
    [60, 45],
    [180, 135],
    [240, 180],
    [2 * 1440, 36 * 60],
  ])('MTPD %i min → RTO %i min', (mtpd, rto) => {
    expect(rtoBelowMtpd(mtpd)).toBe(rto);
    expect(rtoBelowMtpd(mtpd)).toBeLessThan(mtpd);
  });
});

describe('mtpdFlag', () => {
  const mtpd = { maximumTolerableDowntimeMinutes: 240 };

  it('is quiet when both RTOs are below the MTPD', () => {
    expect(mtpdFlag({ rtoMinutes: 60 }, mtpd, 239)).toBeUndefined();
    expect(mtpdFlag({ rtoMinutes: 60 }, mtpd)).toBeUndefined();
  });

  it('flags an own RTO equal to or above the MTPD', () => {
    expect(mtpdFlag({ rtoMinutes: 240 }, mtpd)).toEqual({
      flag: 'rto-not-below-mtpd',
      which: 'own',
      message: 'RTO 4h is not below the maximum tolerable downtime of 4h: recovery on target would take longer than the business can bear.',
    });
  });

  it('flags an effective RTO that dependencies push past the MTPD', () => {
    expect(mtpdFlag({ rtoMinutes: 60 }, mtpd, 360)).toEqual({
      flag: 'rto-not-below-mtpd',
      which: 'effective',
      message: 'Its dependencies make the effective RTO 6h, not below the maximum tolerable downtime of 4h.',
    });
  });
});

describe('parseCostThresholds', () => {
  it('accepts thresholds and names a bad field', () => {
    expect(parseCostThresholds({ currency: 'usd', tier1PerHour: 100, tier2PerHour: 10 })).toEqual({ currency: 'USD', tier1PerHour: 100, tier2PerHour: 10 });
    expect(thrown(() => parseCostThresholds({ currency: 'USD', tier1PerHour: 5, tier2PerHour: 10 }))).toMatchObject({
      field: 'costThresholds.tier1PerHour',
      message: 'The Tier 1 cost threshold must be at least the Tier 2 threshold.',
    });
    expect(thrown(() => parseCostThresholds({ currency: 'USD', tier1PerHour: 5 }))).toMatchObject({ field: 'costThresholds.tier2PerHour', message: 'Tier 2 cost threshold is required.' });
  });
});
