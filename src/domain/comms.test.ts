import type { CommsTemplate, Tier } from './catalogue';
import { COMMS_CADENCE_MINUTES, fillTemplate, nextUpdateDue, recordCommsPosted, type CommsFacts } from './comms';
import { formatInstant } from './format';
import { anInvocation, deepFreeze, MINUTE, T0, thrown } from './testing';

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

describe('nextUpdateDue', () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 240],
  ] as Array<[Tier, number]>)('Tier %i: every %i minutes from the start', (tier, cadence) => {
    expect(COMMS_CADENCE_MINUTES[tier]).toBe(cadence);
    expect(nextUpdateDue(T0, tier, T0)).toBe(T0 + cadence * MINUTE);
    expect(nextUpdateDue(T0, tier, T0 + 1)).toBe(T0 + cadence * MINUTE);
    expect(nextUpdateDue(T0, tier, T0 + cadence * MINUTE - 1)).toBe(T0 + cadence * MINUTE);
  });

  it('is strictly after now: exactly on a multiple, the next one is due', () => {
    expect(nextUpdateDue(T0, 1, T0 + 30 * MINUTE)).toBe(T0 + 60 * MINUTE);
    expect(nextUpdateDue(T0, 1, T0 + 95 * MINUTE)).toBe(T0 + 120 * MINUTE);
  });

  it('is the first update when the clock reads before the start', () => {
    expect(nextUpdateDue(T0, 2, T0 - 10 * MINUTE)).toBe(T0 + 60 * MINUTE);
  });

  it('refuses an unknown tier with INVALID_INPUT on tier', () => {
    expect(thrown(() => nextUpdateDue(T0, 4 as Tier, T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'tier' });
  });
});

describe('recordCommsPosted', () => {
  it('appends a comment-posted entry by the person who posted', () => {
    const inv = deepFreeze(anInvocation());
    const next = recordCommsPosted(inv, 'tpl-status', 'public', 'acc-agent', T0 + 30 * MINUTE);
    expect(next.timeline).toHaveLength(2);
    expect(next.timeline[1]).toEqual({ at: T0 + 30 * MINUTE, actor: 'acc-agent', kind: 'comment-posted', detail: 'Posted a public update from template tpl-status.' });
    expect(inv.timeline).toHaveLength(1);
  });

  it('is allowed after recovery (the "we are back" update)', () => {
    const next = recordCommsPosted(anInvocation({ state: 'recovered' }), 'tpl-internal', 'internal', 'acc-agent', T0);
    expect(next.timeline.at(-1)!.detail).toBe('Posted an internal update from template tpl-internal.');
  });

  it('keeps the timeline ordered when the clock is behind', () => {
    const next = recordCommsPosted(anInvocation(), 'tpl-status', 'public', 'acc-agent', T0);
    expect(next.timeline.map((e) => e.at)).toEqual([T0 + MINUTE, T0 + MINUTE]);
  });

  it('refuses an empty template id, an unknown audience and an empty actor', () => {
    expect(thrown(() => recordCommsPosted(anInvocation(), ' ', 'public', 'acc', T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'templateId' });
    expect(thrown(() => recordCommsPosted(anInvocation(), 'tpl', 'everyone' as 'public', 'acc', T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'audience' });
    expect(thrown(() => recordCommsPosted(anInvocation(), 'tpl', 'public', '', T0))).toMatchObject({ code: 'INVALID_INPUT', field: 'actor' });
  });
});
