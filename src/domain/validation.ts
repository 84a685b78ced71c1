/**
 * From a zod failure to the one refusal the app shows: the first issue's message, and its field as a
 * dotted path ('labels.2', 'tierBands.1.rtoMaxMinutes') so a form can put the message next to the field.
 */
import type { z } from 'zod';
import { invalidInput } from './errors';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The first issue of a failed parse. `prefix` goes in front of its path ('' for none); a problem with
 * the whole input is reported on `wholeField` with `wholeMessage`.
 */
export function firstProblem(error: z.ZodError, prefix: string, wholeMessage: string, wholeField = prefix): FieldProblem {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const field = [prefix, ...path].filter((part) => part !== '').join('.') || wholeField;
  // A whole input of the wrong type gets zod's generic text otherwise ("expected object, received string").
  const message = issue && !(issue.code === 'invalid_type' && path.length === 0) ? issue.message : wholeMessage;
  return { field, message };
}

/** Parses `input` or throws INVALID_INPUT naming the first bad field. */
export function parseOrRefuse<S extends z.ZodType>(schema: S, input: unknown, prefix: string, wholeMessage: string, wholeField = prefix): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problem = firstProblem(parsed.error, prefix, wholeMessage, wholeField);
  throw invalidInput(problem.message, problem.field);
}
