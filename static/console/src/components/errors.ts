import type { ResolverError } from '../../../../src/contract/errors';

/** Field errors by field name (the server names one field per refusal), and the message for the rest. */
export interface FormErrors {
  fields: Record<string, string>;
  form?: string;
}

export const noErrors: FormErrors = { fields: {} };

/** Puts the server's refusal next to its field when the form has that field, else above the form. */
export function formErrors(error: ResolverError, fields: readonly string[]): FormErrors {
  const field = error.field;
  if (field) {
    const known = fields.find((f) => field === f || field.startsWith(`${f}.`));
    if (known) return { fields: { [known]: error.message } };
  }
  return { fields: {}, form: error.code === 'FORBIDDEN' || error.code === 'CONFLICT' || error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND' ? error.message : `${error.message} (${error.code})` };
}
