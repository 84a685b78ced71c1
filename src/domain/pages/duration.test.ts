import { MAX_STEP_MINUTES, parseMinutes } from './duration';

describe('parseMinutes', () => {
  it.each([
    ['20 min', 20],
    ['20 mins', 20],
    ['20 minutes', 20],
    ['90 minutes', 90],
    ['1 h', 60],
    ['1h', 60],
    ['2 hours', 120],
    ['1 hour', 60],
    ['1h 30m', 90],
    ['1h30m', 90],
    ['1 h 30 min', 90],
    ['1 hour and 30 minutes', 90],
    ['1 h, 30 min', 90],
    ['1.5 h', 90],
    ['1,5 h', 90],
    ['1 d', 1440],
    ['2 days', 2880],
    ['1 week', 10080],
    ['30 s', 1],
    ['45 sec', 1],
    ['0 min', 0],
    ['~20 min', 20],
    ['about 20 min', 20],
    ['approx. 1 h', 60],
    ['up to 2 hours', 120],
    ['20 min.', 20],
    ['  20 MIN  ', 20],
    ['20-30 min', 30],
    ['20 – 30 min', 30],
    ['20 to 30 minutes', 30],
    ['1:30', 90],
    ['0:45', 45],
    ['１５ min', 15],
  ])('reads %j as %d minutes', (text, minutes) => {
    expect(parseMinutes(text)).toBe(minutes);
  });

  it.each(['', 'quick', 'DBA', 'Phase 2', 'Restart 3 nodes', 'Step 2 of 5', '20', '2 replicas', 'min', '1 h and then some', '3 months', 'soon-ish', 'NaN min', '-5 min'])('does not read %j as a duration', (text) => {
    expect(parseMinutes(text)).toBeUndefined();
  });

  it('reads a bare number only in a duration column, in the unit its header names', () => {
    expect(parseMinutes('20', { bareNumberUnit: 'minutes' })).toBe(20);
    expect(parseMinutes('2', { bareNumberUnit: 'hours' })).toBe(120);
    expect(parseMinutes('1.25', { bareNumberUnit: 'hours' })).toBe(75);
  });

  it('allows up to a week for one step (the parser clamps longer ones)', () => {
    expect(MAX_STEP_MINUTES).toBe(7 * 24 * 60);
  });
});
