import { cleanText, hasLoneSurrogate, nameKey, optionalVisibleText, visibleText } from './visible-text';

const name = visibleText('Name', 1, 120);
const messageFor = (schema: { safeParse: (input: unknown) => { error?: { issues: Array<{ message: string }> } } }, input: unknown) =>
  schema.safeParse(input).error?.issues[0]?.message;

describe('visibleText', () => {
  it.each([
    ['  Payments  ', 'Payments'],
    ['Pay\u0000ments', 'Payments'],
    ['Pay\u202Ements', 'Payments'],
    ['\u200BPayments\u200B', 'Payments'],
    ['\uFEFFPayments', 'Payments'],
    ['\u3164 Payments \u00AD', 'Payments'],
    ['Cafe\u0301', 'Caf\u00E9'],
    ['Pay\u200Dments', 'Pay\u200Dments'],
    ['Line\r\nbreak', 'Line\nbreak'],
    ['\u{1F468}\u200D\u{1F4BB} Dev tools', '\u{1F468}\u200D\u{1F4BB} Dev tools'],
    ['\u0915\u094D\u200D\u0937', '\u0915\u094D\u200D\u0937'],
  ])('cleans %j to %j', (input, output) => {
    expect(name.parse(input)).toBe(output);
  });

  it.each([
    [undefined, 'Name is required.'],
    [42, 'Name must be text.'],
    ['', 'Name must not be empty.'],
    ['   ', 'Name must not be empty.'],
    ['\u0000\u0007', 'Name must not be empty.'],
    ['\u200B', 'Name must contain visible characters.'],
    ['\u200B\u200C\u200D\u200E\u200F', 'Name must contain visible characters.'],
    ['\u2060\u2061\u2062\u2063\u2064', 'Name must contain visible characters.'],
    ['\uFEFF\uFEFF', 'Name must not be empty.'], // JavaScript counts the BOM as white space
    ['\u00AD', 'Name must contain visible characters.'],
    ['\u3164', 'Name must contain visible characters.'],
    ['\u115F\u1160', 'Name must contain visible characters.'],
    ['\uFFA0', 'Name must contain visible characters.'],
    ['\u2800', 'Name must contain visible characters.'],
    ['\u0301\u0301\u0301', 'Name must contain visible characters.'],
    ['\u200B \u0301 \u3164', 'Name must contain visible characters.'],
    ['\uD800', 'Name contains a broken character (an unpaired surrogate).'],
    ['Pay\uDC00ments', 'Name contains a broken character (an unpaired surrogate).'],
    ['Payments\uD83D', 'Name contains a broken character (an unpaired surrogate).'],
    ['x'.repeat(121), 'Name must be at most 120 characters.'],
  ])('refuses %j: %s', (input, message) => {
    expect(messageFor(name, input)).toBe(message);
  });

  it('counts characters, not UTF-16 units, against the maximum', () => {
    expect(name.parse('\u{1F600}'.repeat(120))).toHaveLength(240);
    expect(messageFor(name, '\u{1F600}'.repeat(121))).toBe('Name must be at most 120 characters.');
  });

  it('counts only visible characters against the minimum', () => {
    const reason = visibleText('A reason', 3, 500);
    expect(reason.parse('abc')).toBe('abc');
    expect(messageFor(reason, 'a\u200B\u200Bb')).toBe('A reason must be at least 3 characters.');
    expect(messageFor(reason, 'e\u0301e\u0301')).toBe('A reason must be at least 3 characters.');
  });
});

describe('optionalVisibleText', () => {
  const owner = optionalVisibleText('Owner', 1, 10);

  it('treats missing and blank values as undefined', () => {
    expect(owner.parse(undefined)).toBeUndefined();
    expect(owner.parse(null)).toBeUndefined();
    expect(owner.parse('  ')).toBeUndefined();
    expect(owner.parse('\u200B')).toBeUndefined();
  });

  it('applies the rules to anything else', () => {
    expect(owner.parse(' abc ')).toBe('abc');
    expect(messageFor(owner, 'x'.repeat(11))).toBe('Owner must be at most 10 characters.');
    expect(messageFor(owner, '\uD800')).toBe('Owner contains a broken character (an unpaired surrogate).');
    expect(messageFor(owner, 7)).toBe('Owner must be text.');
  });
});

describe('helpers', () => {
  it('finds lone surrogates but not pairs', () => {
    expect(hasLoneSurrogate('\u{1F600}')).toBe(false);
    expect(hasLoneSurrogate('a\uD83Db')).toBe(true);
    expect(hasLoneSurrogate('\uDE00')).toBe(true);
  });

  it('cleanText composes and trims invisible edges', () => {
    expect(cleanText('\u200B A\u030A \u2060')).toBe('\u00C5');
  });

  it('nameKey matches names that look the same', () => {
    expect(nameKey(' Payments ')).toBe('payments');
    expect(nameKey('Pay\u200Bments')).toBe(nameKey('payments'));
    expect(nameKey('Customer  portal')).toBe(nameKey('customer portal'));
    expect(nameKey('Cafe\u0301')).toBe(nameKey('caf\u00E9'));
    expect(nameKey('Payments')).not.toBe(nameKey('Payment'));
  });
});
