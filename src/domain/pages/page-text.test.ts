import { cleanBody, cleanLine, codePointLength, comparable, headingName, truncate, wellFormed } from './page-text';

describe('page text', () => {
  it('replaces lone surrogates and keeps pairs', () => {
    expect(wellFormed('a\uD83Db')).toBe('a\uFFFDb');
    expect(wellFormed('a\uDE00b')).toBe('a\uFFFDb');
    expect(wellFormed('a😀b')).toBe('a😀b');
  });

  it('cleanLine collapses whitespace and removes control and bidi-override characters', () => {
    expect(cleanLine('  a\n\tb\r\nc  ')).toBe('a b c');
    expect(cleanLine('x\u202Ey\u2066z\u0000')).toBe('xyz');
    expect(cleanLine(undefined)).toBe('');
    expect(cleanLine(42)).toBe('42');
  });

  it('cleanLine keeps zero-width joiners (emoji sequences need them)', () => {
    expect(cleanLine('👩‍💻')).toBe('👩‍💻');
  });

  it('cleanBody keeps lines and inner blank lines, trims each line, drops outer blank lines', () => {
    expect(cleanBody('\n\n  a  \r\n\r\nb\t\n\n')).toBe('a\n\nb');
  });

  it('truncate counts code points and never splits a surrogate pair', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    const emoji = '😀'.repeat(5);
    expect(truncate(emoji, 3)).toBe('😀😀…');
    expect(codePointLength(truncate(emoji, 3))).toBe(3);
  });

  it('comparable ignores case, punctuation, emoji and invisible characters', () => {
    expect(comparable('🔥 Fail over the DB.')).toBe('fail over the db');
    expect(comparable('Fail\u200B over — the db!')).toBe('fail over the db');
    expect(comparable('Ｆａｉｌ')).toBe('fail');
  });

  it('headingName drops numbering and decoration', () => {
    expect(headingName('🔧 3. Recovery Steps')).toBe('recovery steps');
    expect(headingName('Section 4: Communication plan')).toBe('communication plan');
    expect(headingName('II. Scope')).toBe('scope');
    expect(headingName('2.1 Recovery steps')).toBe('recovery steps');
  });
});
