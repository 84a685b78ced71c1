import {
  DEFAULT_COMMS_CADENCE,
  DEFAULT_REVIEW_CADENCE,
  DEFAULT_TIER_BANDS,
  defaultsForTier,
  nextReviewDueAt,
  nextUpdateDueAt,
  parseCommsCadence,
  parseReviewCadence,
  parseTierBands,
  rtoBandCheck,
  tierForRto,
  type TierBands,
} from './tiers';
import { deepFreeze, MINUTE, T0, thrown } from './testing';

const bands = deepFreeze({
  1: { rtoMinMinutes: 15, rtoMaxMinutes: 60, rpoMinutes: 15 },
  2: { rtoMinMinutes: 60, rtoMaxMinutes: 240, rpoMinutes: 60 },
  3: { rtoMinMinutes: 240, rtoMaxMinutes: 1440, rpoMinutes: 1440 },
});

describe('parseTierBands', () => {
  it('accepts the defaults unchanged', () => {
    expect(parseTierBands(DEFAULT_TIER_BANDS)).toEqual(bands);
  });

  it('reads durations written as text', () => {
    const parsed = parseTierBands({
      1: { rtoMinMinutes: '10m', rtoMaxMinutes: '30m', rpoMinutes: '5m' },
      2: { rtoMinMinutes: '1h', rtoMaxMinutes: '8h', rpoMinutes: '1h' },
      3: { rtoMinMinutes: '8h', rtoMaxMinutes: '3d', rpoMinutes: '1d' },
    });
    expect(parsed).toEqual({
      1: { rtoMinMinutes: 10, rtoMaxMinutes: 30, rpoMinutes: 5 },
      2: { rtoMinMinutes: 60, rtoMaxMinutes: 480, rpoMinutes: 60 },
      3: { rtoMinMinutes: 480, rtoMaxMinutes: 4320, rpoMinutes: 1440 },
    });
  });

  it('accepts a gap between bands', () => {
    expect(parseTierBands({ ...bands, 2: { rtoMinMinutes: 120, rtoMaxMinutes: 240, rpoMinutes: 60 } })[2].rtoMinMinutes).toBe(120);
  });

  it.each([
    ['tierBands', 'gold', 'Tier bands must be an object with bands for tiers 1, 2 and 3.'],
    ['tierBands.2', { 1: bands[1], 3: bands[3] }, 'Tier 2 (Silver) band is required.'],
    ['tierBands.1.rtoMaxMinutes', { ...bands, 1: { ...bands[1], rtoMaxMinutes: 'soon' } }, 'Tier 1 (Gold) slowest RTO must be a duration such as 45m, 4h or 1d.'],
    ['tierBands.3.rpoMinutes', { ...bands, 3: { ...bands[3], rpoMinutes: 0 } }, 'Tier 3 (Bronze) default RPO must be longer than zero.'],
    ['tierBands.2.rtoMinMinutes', { ...bands, 2: { ...bands[2], rtoMinMinutes: '5h' } }, 'Tier 2 (Silver): the fastest RTO (5h) is slower than the slowest (4h).'],
    ['tierBands.2.rtoMinMinutes', { ...bands, 2: { ...bands[2], rtoMinMinutes: 30 } }, 'Tier 2 (Silver) starts at 30m, inside Tier 1 (Gold) (15m – 1h): bands must not overlap.'],
    ['tierBands.3.rtoMinMinutes', { ...bands, 3: { ...bands[3], rtoMinMinutes: 120 } }, 'Tier 3 (Bronze) starts at 2h, inside Tier 2 (Silver) (1h – 4h): bands must not overlap.'],
  ])('names %s', (field, input, message) => {
    expect(thrown(() => parseTierBands(input))).toMatchObject({ code: 'INVALID_INPUT', field, message });
  });

  it('uses the field prefix it is given', () => {
    expect(thrown(() => parseTierBands({ ...bands, 1: { ...bands[1], rpoMinutes: '' } }, 'settings.bands')).field).toBe('settings.bands.1.rpoMinutes');
  });
});

describe('defaultsForTier', () => {
  it.each([
    [1, { rtoMinutes: 60, rpoMinutes: 15 }],
    [2, { rtoMinutes: 240, rpoMinutes: 60 }],
    [3, { rtoMinutes: 1440, rpoMinutes: 1440 }],
  ] as const)('Tier %i starts with the slowest RTO of its band and its RPO', (tier, defaults) => {
    expect(defaultsForTier(tier, bands)).toEqual(defaults);
  });

  it('follows edited bands', () => {
    const edited: TierBands = { ...bands, 2: { rtoMinMinutes: 60, rtoMaxMinutes: 120, rpoMinutes: 30 } };
    expect(defaultsForTier(2, edited)).toEqual({ rtoMinutes: 120, rpoMinutes: 30 });
  });
});

describe('rtoBandCheck', () => {
  it('is ok inside the band, limits included', () => {
    expect(rtoBandCheck(2, 60, bands)).toEqual({ ok: true });
    expect(rtoBandCheck(2, 90, bands)).toEqual({ ok: true });
    expect(rtoBandCheck(2, 240, bands)).toEqual({ ok: true });
  });

  it('flags an RTO faster than the band', () => {
    expect(rtoBandCheck(2, 59, bands)).toEqual({ ok: false, flag: 'faster-than-band', message: 'RTO 59m is faster than the Tier 2 (Silver) band of 1h – 4h.' });
  });

  it('flags an RTO slower than the band', () => {
    expect(rtoBandCheck(1, 90, bands)).toEqual({ ok: false, flag: 'slower-than-band', message: 'RTO 1h 30m is slower than the Tier 1 (Gold) band of 15m – 1h.' });
    expect(rtoBandCheck(3, 2 * 1440, bands)).toMatchObject({ flag: 'slower-than-band' });
  });
});

describe('tierForRto', () => {
  it.each([
    [5, 1],
    [15, 1],
    [59, 1],
    [60, 2],
    [239, 2],
    [240, 3],
    [1440, 3],
    [4320, 3],
  ] as const)('%i minutes is Tier %i', (rto, tier) => {
    expect(tierForRto(rto, bands)).toBe(tier);
  });

  it('puts an RTO in a gap into the next slower tier', () => {
    const gapped: TierBands = { ...bands, 2: { rtoMinMinutes: 120, rtoMaxMinutes: 240, rpoMinutes: 60 } };
    expect(tierForRto(90, gapped)).toBe(2);
    expect(tierForRto(60, gapped)).toBe(1);
  });
});

describe('cadences', () => {
  it('defaults: updates every 30/60/120 minutes, reviews every 90/180/365 days', () => {
    expect(DEFAULT_COMMS_CADENCE).toEqual({ 1: 30, 2: 60, 3: 120 });
    expect(DEFAULT_REVIEW_CADENCE).toEqual({ 1: 90, 2: 180, 3: 365 });
  });

  it('parses edited cadences', () => {
    expect(parseCommsCadence({ 1: '15m', 2: 45, 3: '2h' })).toEqual({ 1: 15, 2: 45, 3: 120 });
    expect(parseReviewCadence({ 1: 30, 2: 90, 3: 365 })).toEqual({ 1: 30, 2: 90, 3: 365 });
  });

  it.each([
    ['commsCadence.1', { 1: '2m', 2: 60, 3: 120 }, 'Tier 1 (Gold) update cadence must be at least 5m.'],
    ['commsCadence.3', { 1: 30, 2: 60, 3: '2d' }, 'Tier 3 (Bronze) update cadence must be at most 1d.'],
    ['commsCadence.2', { 1: 30, 3: 120 }, 'Tier 2 (Silver) update cadence is required.'],
    ['commsCadence', [30, 60, 120], 'Update cadence must be an object with a cadence for tiers 1, 2 and 3.'],
  ])('refuses a comms cadence on %s', (field, input, message) => {
    expect(thrown(() => parseCommsCadence(input))).toMatchObject({ code: 'INVALID_INPUT', field, message });
  });

  it.each([
    ['reviewCadence.1', { 1: 6, 2: 180, 3: 365 }, 'Tier 1 (Gold) review cadence must be a whole number of days from 7 to 1095.'],
    ['reviewCadence.2', { 1: 90, 2: 90.5, 3: 365 }, 'Tier 2 (Silver) review cadence must be a whole number of days from 7 to 1095.'],
    ['reviewCadence.3', { 1: 90, 2: 180, 3: 1096 }, 'Tier 3 (Bronze) review cadence must be a whole number of days from 7 to 1095.'],
    ['reviewCadence.3', { 1: 90, 2: 180, 3: '365' }, 'Tier 3 (Bronze) review cadence must be a whole number of days from 7 to 1095.'],
    ['reviewCadence.2', { 1: 90, 3: 365 }, 'Tier 2 (Silver) review cadence is required.'],
    ['reviewCadence', null, 'Review cadence must be an object with a number of days for tiers 1, 2 and 3.'],
  ])('refuses a review cadence on %s', (field, input, message) => {
    expect(thrown(() => parseReviewCadence(input))).toMatchObject({ code: 'INVALID_INPUT', field, message });
  });

  it('computes when the next review and the next update are due', () => {
    expect(nextReviewDueAt(1, T0)).toBe(T0 + 90 * 1440 * MINUTE);
    expect(nextReviewDueAt(3, T0, { 1: 30, 2: 60, 3: 100 })).toBe(T0 + 100 * 1440 * MINUTE);
    expect(nextUpdateDueAt(2, T0)).toBe(T0 + 60 * MINUTE);
    expect(nextUpdateDueAt(1, T0, { 1: 15, 2: 60, 3: 120 })).toBe(T0 + 15 * MINUTE);
  });
});
