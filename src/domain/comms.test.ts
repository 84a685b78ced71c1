import type { CommsTemplate, Tier } from './catalogue';
import { composeUpdate, fillTemplate, updateDue, usesImpact, type CommsFacts } from './comms';
import { formatInstant } from './format';
import { deepFreeze, MINUTE, T0, thrown } from './testing';

const template = (body: string): CommsTemplate => deepFreeze({ id: 'tpl-status', name: 'Status update', audience: 'public', body });

const facts: CommsFacts = deepFreeze({
  service: 'Payments',
  impact: 'Card payments fail for all customers',
  startTime: Date.UTC(2026, 10, 22, 3, 15),
  nextUpdate: Date.UTC(2026, 10, 22, 3, 45),
  incidentKey: 'OPS-42',
  rtoDueAt: Date.UTC(2026, 10, 22, 4, 15),
});

describe('fillTemplate', () => {
  it('fills every known placeholder, times in UTC by default', () => {
    const body =
      '[{{incidentKey}}] {{service}} is disrupted since {{startTime}}: {{impact}}. We aim to recover by {{rtoDue}}; next update {{nextUpdate}}.';
    expect(fillTemplate(template(body), facts)).toEqual({
      text: '[OPS-42] Payments is disrupted since 22 Nov 2026, 03:15 UTC: Card payments fail for all customers. We aim to recover by 22 Nov 2026, 04:15 UTC; next update 22 Nov 2026, 03:45 UTC.',
      unknown: [],
    });
  });

  it('fills repeated placeholders, spaces inside the braces, and any letter case', () => {
    expect(fillTemplate(template('{{service}} / {{ service }} / {{SERVICE}} / {{IncidentKey}}'), facts).text).toBe('Payments / Payments / Payments / OPS-42');
  });

  it('leaves unknown placeholders visible and lists each once, as written, in order of use', () => {
    const filled = fillTemplate(template('{{servce}} down; owner {{owner}}; again {{servce}}; empty {{}}; {{service}}'), facts);
    expect(filled.text).toBe('{{servce}} down; owner {{owner}}; again {{servce}}; empty {{}}; Payments');
    expect(filled.unknown).toEqual(['{{servce}}', '{{owner}}', '{{}}']);
  });

  it('leaves single braces and unclosed double braces alone, without reporting them', () => {
    const body = 'Braces { like } these, {single}, {{service} and {{ unclosed';
    const filled = fillTemplate(template(body), facts);
    expect(filled).toEqual({ text: body, unknown: [] });
  });

  it('reports a placeholder whose name has spaces as unknown', () => {
    expect(fillTemplate(template('Hi {{ first name }}'), facts)).toEqual({ text: 'Hi {{ first name }}', unknown: ['{{ first name }}'] });
  });

  it('does not expand placeholders inside the values (one pass)', () => {
    const filled = fillTemplate(template('Impact: {{impact}}'), { ...facts, impact: 'see {{rtoDue}} and {{nope}}' });
    expect(filled).toEqual({ text: 'Impact: see {{rtoDue}} and {{nope}}', unknown: [] });
  });

  it('strips control characters from the template and the values, keeping newlines and tabs', () => {
    const filled = fillTemplate(template('Line 1\r\n\tLine 2\u0007 {{service}}\u001b[31m'), { ...facts, service: 'Pay\u0000ments\u202E' });
    expect(filled.text).toBe('Line 1\n\tLine 2 Payments[31m');
  });

  it('does no HTML escaping (the caller builds ADF)', () => {
    expect(fillTemplate(template('{{impact}}'), { ...facts, impact: '<b>&</b>' }).text).toBe('<b>&</b>');
  });

  it('writes times in the requested time zone', () => {
    const filled = fillTemplate(template('{{startTime}} | {{rtoDue}}'), { ...facts, timeZone: 'America/New_York' });
    expect(filled.text).toBe('21 Nov 2026, 22:15 EST | 21 Nov 2026, 23:15 EST');
  });

  it('refuses an unknown time zone with INVALID_INPUT on timeZone', () => {
    expect(thrown(() => fillTemplate(template('{{startTime}}'), { ...facts, timeZone: 'Mars/Olympus' }))).toMatchObject({ code: 'INVALID_INPUT', field: 'timeZone' });
  });
});

describe('formatInstant', () => {
  it('writes "22 Nov 2026, 03:15 UTC" with a 24-hour clock and three-letter months', () => {
    expect(formatInstant(Date.UTC(2026, 10, 22, 3, 15))).toBe('22 Nov 2026, 03:15 UTC');
    expect(formatInstant(Date.UTC(2026, 8, 2, 0, 5))).toBe('2 Sep 2026, 00:05 UTC');
    expect(formatInstant(Date.UTC(2026, 11, 31, 23, 59))).toBe('31 Dec 2026, 23:59 UTC');
  });
});

describe('updateDue', () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
  ] as Array<[Tier, number]>)('Tier %i: the first update is due %i minutes after the start by default', (tier, cadence) => {
    expect(updateDue(T0, undefined, tier, T0)).toEqual({ dueAt: T0 + cadence * MINUTE, cadenceMinutes: cadence, state: 'on-track' });
  });

  it('runs from the last update, not from a fixed grid', () => {
    const due = updateDue(T0, T0 + 47 * MINUTE, 1, T0 + 50 * MINUTE);
    expect(due).toEqual({ dueAt: T0 + 77 * MINUTE, lastUpdateAt: T0 + 47 * MINUTE, cadenceMinutes: 30, state: 'on-track' });
  });

  it('takes the cadence from the settings', () => {
    expect(updateDue(T0, undefined, 3, T0, { 1: 15, 2: 45, 3: 240 }).dueAt).toBe(T0 + 240 * MINUTE);
  });

  it('turns amber in the last quarter of the interval and red once it has passed', () => {
    expect(updateDue(T0, undefined, 1, T0 + 22 * MINUTE).state).toBe('on-track');
    expect(updateDue(T0, undefined, 1, T0 + 23 * MINUTE).state).toBe('due-soon');
    expect(updateDue(T0, undefined, 1, T0 + 30 * MINUTE - 1).state).toBe('due-soon');
    expect(updateDue(T0, undefined, 1, T0 + 30 * MINUTE).state).toBe('overdue');
    expect(updateDue(T0, undefined, 1, T0 + 300 * MINUTE).state).toBe('overdue');
  });

  it('ignores an update dated before the start', () => {
    expect(updateDue(T0, T0 - 10 * MINUTE, 2, T0).dueAt).toBe(T0 + 60 * MINUTE);
  });

  it('refuses an unknown tier with INVALID_INPUT on tier', () => {
    expect(thrown(() => updateDue(T0, undefined, 4 as Tier, T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'tier' });
  });
});

describe('composeUpdate', () => {
  it('fills {{impact}} with the agent\'s words, or "under assessment" when there are none', () => {
    const withImpact = template('Impact: {{impact}}.');
    expect(composeUpdate(withImpact, facts).text).toBe('Impact: Card payments fail for all customers.');
    expect(composeUpdate(withImpact, { ...facts, impact: '  ' }).text).toBe('Impact: under assessment.');
    expect(usesImpact(withImpact)).toBe(true);
  });

  it('appends the impact to a template that has no place for it, so it is never dropped', () => {
    const noImpact = template('{{service}} is down.');
    expect(usesImpact(noImpact)).toBe(false);
    expect(composeUpdate(noImpact, facts).text).toBe('Payments is down.\nImpact: Card payments fail for all customers');
    expect(composeUpdate(noImpact, { ...facts, impact: '' }).text).toBe('Payments is down.');
  });
});
