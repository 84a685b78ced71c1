import { z } from 'zod';
import { ContinuityError } from '../../domain/errors';
import { parseInput, stepInput } from './schemas';

const refusal = (schema: z.ZodType<unknown, unknown>, payload: unknown) => {
  try {
    parseInput(schema, payload);
  } catch (error) {
    expect(error).toBeInstanceOf(ContinuityError);
    const { code, message, field } = error as ContinuityError;
    return { code, message, field };
  }
  throw new Error('accepted');
};

describe('parseInput answers in words, naming the field', () => {
  it('a payload that is not an object at all', () => {
    expect(refusal(stepInput, 'OPS-1')).toEqual({ code: 'INVALID_INPUT', message: 'The request was not understood: it must be an object of named values, and it was a string.', field: 'payload' });
  });

  it("a field of the wrong kind, where the schema has no words of its own", () => {
    const schema = z.object({ service: z.object({ name: z.string() }) });
    expect(refusal(schema, { service: 'Payments' })).toEqual({ code: 'INVALID_INPUT', message: 'The value of service is not of the right kind: a group of named values was expected.', field: 'service' });
  });

  it("the schema's own words, as written", () => {
    expect(refusal(stepInput, { invocationId: 'inv-1' })).toMatchObject({ message: 'The step is required.', field: 'stepId' });
  });
});
