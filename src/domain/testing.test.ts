import { deepFreeze } from './testing';

describe('deepFreeze (the helper the mutation tests rely on)', () => {
  it('makes writes anywhere in the graph throw', () => {
    const value = deepFreeze({ a: { b: [1, { c: 2 }] } });
    expect(() => {
      (value.a.b as number[]).push(3);
    }).toThrow(TypeError);
    expect(() => {
      (value.a.b[1] as { c: number }).c = 3;
    }).toThrow(TypeError);
    expect(() => {
      (value as { d?: number }).d = 1;
    }).toThrow(TypeError);
  });
});
