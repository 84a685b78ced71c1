/**
 * Text that people type (skip and stand-down reasons, comms values) before it is stored or posted.
 * Pure; validation through zod so every refusal names its field.
 */
import { z } from 'zod';
import { invalidInput } from './errors';

/**
 * C0/C1 control characters except tab and newline, plus the bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that can make text read differently from what it is.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Removes control and bidi-override characters; CRLF and lone CR become LF, tabs and newlines stay. */
export function stripControl(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, '');
}

export const REASON_MIN = 3;
export const REASON_MAX = 500;

const reasonSchema = z
  .string({ error: 'A reason is required.' })
  .transform((s) => stripControl(s).trim())
  .pipe(
    z
      .string()
      .min(REASON_MIN, { error: `Give a reason of at least ${REASON_MIN} characters.` })
      .max(REASON_MAX, { error: `Keep the reason to ${REASON_MAX} characters or fewer.` }),
  );

/** A reason a person gave (skip, stand-down, reopen): trimmed, 3–500 characters, else INVALID_INPUT on `field`. */
export function parseReason(input: unknown, field = 'reason'): string {
  const parsed = reasonSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues[0]?.message ?? 'Invalid reason.', field);
  return parsed.data;
}

/** An account id (or 'app') performing an action; an empty one is a programming error at the edge. */
export function requireActor(actor: unknown): string {
  if (typeof actor !== 'string' || actor.trim() === '') throw invalidInput('An actor account id is required.', 'actor');
  return actor;
}
