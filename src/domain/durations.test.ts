import {
  durationSchema,
  formatDuration,
  MAX_DURATION_MINUTES,
  optionalDurationSchema,
  parseDuration,
  readDuration,
} from './durations';
import { thrown } from './testing';

describe('parseDuration', () => {
  it.each([
    ['45m', 45],
    ['4h', 240],
    ['1d', 1440],
    ['1h 30m', 90],
    ['1h30m', 90],
    ['1h30', 90],
    ['90 min', 90],
    ['90 mins', 90],
    ['2 hours', 120],
    ['1 hour and 30 minutes', 90],
    ['1h, 30m', 90],
    ['1.5h', 90],
    ['.5h', 30],
    ['0.1h', 6],
    ['120s', 2],
    ['1w', 7 * 1440],
    ['90', 90],
    ['  4H  ', 240],
    ['30d', MAX_DURATION_MINUTES],
  ])('reads %j as %i minutes', (input, minutes) => {
    expect(parseDuration(input, 'rto')).toBe(minutes);
  });

  it('takes a number as minutes', () => {
    expect(parseDuration(45, 'rto')).toBe(45);
  });

  it.each([
    ['', 'RTO is required.'],
    ['   ', 'RTO is required.'],
    [undefined, 'RTO is required.'],
    [null, 'RTO is required.'],
    ['soon', 'RTO must be a duration such as 45m, 4h or 1d.'],
    ['5 apples', 'RTO: "apples" is not a unit of time; use m, h or d.'],
    ['1 fortnight', 'RTO: "fortnight" is not a unit of time; use m, h or d.'],
    ['1,5h', 'RTO must be a duration such as 45m, 4h or 1d.'],
    ['1 30', 'RTO must be a duration such as 45m, 4h or 1d.'],
    ['4h please', 'RTO must be a duration such as 45m, 4h or 1d.'],
    ['+4h', 'RTO must be a duration such as 45m, 4h or 1d.'],
    ['4h!', 'RTO must be a duration such as 45m, 4h or 1d.'],
    ['1'.repeat(101), 'RTO must be a duration such as 45m, 4h or 1d.'],
    [true, 'RTO must be a duration such as 45m, 4h or 1d.'],
    [{ minutes: 5 }, 'RTO must be a duration such as 45m, 4h or 1d.'],
    [Number.NaN, 'RTO must be a duration such as 45m, 4h or 1d.'],
    [Number.POSITIVE_INFINITY, 'RTO must be a duration such as 45m, 4h or 1d.'],
    ['0', 'RTO must be longer than zero.'],
    ['0h', 'RTO must be longer than zero.'],
    ['-5m', 'RTO must be longer than zero.'],
    [0, 'RTO must be longer than zero.'],
    [-15, 'RTO must be longer than zero.'],
    ['30s', 'RTO must be a whole number of minutes.'],
    ['90s', 'RTO must be a whole number of minutes.'],
    [1.5, 'RTO must be a whole number of minutes.'],
    ['31d', 'RTO must be at most 30d.'],
    ['1mo', 'RTO must be at most 30d.'],
    [MAX_DURATION_MINUTES + 1, 'RTO must be at most 30d.'],
  ])('refuses %j: %s', (input, message) => {
    expect(thrown(() => parseDuration(input, 'rto'))).toMatchObject({ code: 'INVALID_INPUT', field: 'rto', message });
  });

  it('names the field it was given, in the words it was given', () => {
    expect(thrown(() => parseDuration('x', 'rpo'))).toMatchObject({ field: 'rpo', message: 'RPO must be a duration such as 45m, 4h or 1d.' });
    expect(thrown(() => parseDuration('', 'cadence.tier1', 'Tier 1 update cadence'))).toMatchObject({
      field: 'cadence.tier1',
      message: 'Tier 1 update cadence is required.',
    });
  });

  it('honours a smaller maximum', () => {
    expect(parseDuration('2h', 'x', 'Cadence', 120)).toBe(120);
    expect(thrown(() => parseDuration('2h 1m', 'x', 'Cadence', 120)).message).toBe('Cadence must be at most 2h.');
  });
});

describe('readDuration', () => {
  it('answers without throwing', () => {
    expect(readDuration('4h', 'RTO')).toEqual({ ok: true, minutes: 240 });
    expect(readDuration('nope', 'RTO')).toEqual({ ok: false, message: 'RTO must be a duration such as 45m, 4h or 1d.' });
  });
});

describe('duration schemas', () => {
  it('turns text or minutes into minutes and reports the message on failure', () => {
    expect(durationSchema('RTO').parse('1h 30m')).toBe(90);
    expect(durationSchema('RTO').parse(15)).toBe(15);
    expect(durationSchema('RTO').safeParse('').error?.issues[0]?.message).toBe('RTO is required.');
  });

  it('lets an optional duration be blank', () => {
    const schema = optionalDurationSchema('RPO');
    expect(schema.parse('')).toBeUndefined();
    expect(schema.parse('  ')).toBeUndefined();
    expect(schema.parse(undefined)).toBeUndefined();
    expect(schema.parse(null)).toBeUndefined();
    expect(schema.parse('15m')).toBe(15);
    expect(schema.safeParse('0m').error?.issues[0]?.message).toBe('RPO must be longer than zero.');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0m'],
    [1, '1m'],
    [45, '45m'],
    [60, '1h'],
    [90, '1h 30m'],
    [240, '4h'],
    [1440, '1d'],
    [1560, '1d 2h'],
    [1441, '1d 1m'],
    [1 * 1440 + 2 * 60 + 5, '1d 2h 5m'],
    [MAX_DURATION_MINUTES, '30d'],
  ])('writes %i minutes as %j', (minutes, text) => {
    expect(formatDuration(minutes)).toBe(text);
  });

  it('reads back every duration it writes, up to the maximum', () => {
    const mismatches: number[] = [];
    for (let minutes = 1; minutes <= MAX_DURATION_MINUTES; minutes += 1) {
      if (parseDuration(formatDuration(minutes), 'rto') !== minutes) mismatches.push(minutes);
    }
    expect(mismatches).toEqual([]);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %p', (minutes) => {
    expect(thrown(() => formatDuration(minutes))).toMatchObject({ code: 'INVALID_INPUT', field: 'minutes' });
  });
});
