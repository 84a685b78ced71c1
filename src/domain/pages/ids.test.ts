import { fnv1a64, localId, stepWording, withStepIds, withTemplateIds } from './ids';

describe('step ids', () => {
  const id = (title: string) => withStepIds([{ title }])[0].id;

  it('are "step-" and ten base-36 digits', () => {
    expect(id('Fail over the database')).toMatch(/^step-[0-9a-z]{10}$/);
  });

  it('do not change with case, punctuation, emoji, spacing, formatting-only characters or typed numbering', () => {
    const base = id('Fail over the database');
    for (const variant of ['fail over the database', 'Fail over the database.', '🔥 Fail over the database', '  Fail  over the   database ', 'Step 3: Fail over the database', '3. Fail over the database', 'Fail over\u200B the database']) {
      expect(id(variant)).toBe(base);
    }
  });

  it('change when the words change', () => {
    expect(id('Fail over the database')).not.toBe(id('Fail over the replica database'));
    expect(id('Restore step 2')).not.toBe(id('Restore step 3'));
  });

  it('stay with the wording when steps are reordered', () => {
    const a = withStepIds([{ title: 'A' }, { title: 'B' }, { title: 'C' }]);
    const b = withStepIds([{ title: 'C' }, { title: 'A' }, { title: 'B' }]);
    const byTitle = (steps: Array<{ title: string; id: string }>) => Object.fromEntries(steps.map((s) => [s.title, s.id]));
    expect(byTitle(b)).toEqual(byTitle(a));
  });

  it('disambiguate repeated wordings in page order with -2, -3', () => {
    const steps = withStepIds([{ title: 'Check health' }, { title: 'Restart' }, { title: 'check health.' }, { title: 'Check health' }]);
    const base = steps[0].id;
    expect(steps.map((s) => s.id)).toEqual([base, steps[1].id, `${base}-2`, `${base}-3`]);
    expect(new Set(steps.map((s) => s.id)).size).toBe(4);
  });

  it('hash emoji-only titles by their text', () => {
    expect(stepWording('🔥🔥')).toBe('🔥🔥');
    expect(id('🔥🔥')).not.toBe(id('🚒'));
  });

  it('keep other fields and do not mutate the input', () => {
    const input = Object.freeze([Object.freeze({ title: 'A', role: 'DBA', id: 'old' })]);
    const [out] = withStepIds(input);
    expect(out).toEqual({ title: 'A', role: 'DBA', id: expect.stringMatching(/^step-/) });
    expect(input[0].id).toBe('old');
  });

  it('template ids follow the same rule with "comms-"', () => {
    const [a, b] = withTemplateIds([{ name: 'Internal update' }, { name: 'internal update!' }]);
    expect(a.id).toMatch(/^comms-[0-9a-z]{10}$/);
    expect(b.id).toBe(`${a.id}-2`);
  });

  it('FNV-1a 64 matches the published test vectors', () => {
    expect(fnv1a64('')).toBe(BigInt('0xcbf29ce484222325').toString(36).padStart(13, '0'));
    expect(fnv1a64('a')).toBe(BigInt('0xaf63dc4c8601ec8c').toString(36).padStart(13, '0'));
    expect(fnv1a64('foobar')).toBe(BigInt('0x85944171f73967e8').toString(36).padStart(13, '0'));
  });

  it('localId is deterministic per seed', () => {
    expect(localId('x')).toBe(localId('x'));
    expect(localId('x')).not.toBe(localId('y'));
  });
});
