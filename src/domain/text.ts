/**
 * Text that people type (skip and stand-down reasons, the impact of an update, names) before it is
 * stored or posted. Pure; validation through zod so every refusal names its field.
 */
import { z } from 'zod';
import { invalidInput } from './errors';

/**
 * C0/C1 control characters except tab and newline, plus the bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that can make text read differently from what it is.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Characters that show nothing: zero-width and format characters, the soft hyphen, variation
 * selectors, tag characters and the Hangul fillers. Text made only of these (and of combining marks,
 * which need a base letter) looks empty, so it must not count as a reason or a name.
 */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2028-\u202F\u205F-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{E0000}-\u{E0FFF}]|\p{M}/gu;

/** Removes control and bidi-override characters; CRLF and lone CR become LF, tabs and newlines stay. */
export function stripControl(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, '');
}

/** How many characters a reader actually sees (spaces at the ends not counted). */
export function visibleLength(text: string): number {
  return [...text.replace(INVISIBLE, '').trim()].length;
}

/** Lone UTF-16 surrogates are not text: Jira and Confluence would store or show garbage. */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * A zod schema for text a person typed: control characters removed, trimmed, well-formed, at most
 * `max` characters, and (when `min` > 0) at least `min` characters a reader can see.
 */
export function personText(what: string, min: number, max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required.` : `${what} must be text.`) })
    .transform((s) => stripControl(s).trim())
    .refine(isWellFormed, { error: `${what} contains characters that are not text (a broken emoji or symbol).` })
    .refine((s) => min === 0 || visibleLength(s) >= min, { error: min === 1 ? `${what} must not be empty.` : `${what} needs at least ${min} visible characters.` })
    .refine((s) => s.length <= max, { error: `Keep ${what.toLowerCase()} to ${max} characters or fewer.` });
}

export const REASON_MIN = 3;
export const REASON_MAX = 500;

const reasonSchema = personText('A reason', REASON_MIN, REASON_MAX);

/** A reason a person gave (skip, stand-down, reopen): 3–500 visible characters, else INVALID_INPUT on `field`. */
export function parseReason(input: unknown, field = 'reason'): string {
  const parsed = reasonSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues[0]?.message ?? 'Invalid reason.', field);
  return parsed.data;
}

export const IMPACT_MAX = 1000;

const impactSchema = personText('The impact', 0, IMPACT_MAX);

/**
 * The impact an agent typed for a comms update, posted to Jira as they typed it: well-formed text of at
 * most 1,000 characters (control characters removed, trimmed). Text that shows nothing is no impact
 * (the update says "under assessment").
 */
export function parseImpact(input: unknown, field = 'impact'): string | undefined {
  if (input === undefined) return undefined;
  const parsed = impactSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues[0]?.message ?? 'Invalid impact.', field);
  return visibleLength(parsed.data) === 0 ? undefined : parsed.data;
}

/** An account id (or 'app') performing an action; an empty one is a programming error at the edge. */
export function requireActor(actor: unknown): string {
  if (typeof actor !== 'string' || actor.trim() === '') throw invalidInput('An actor account id is required.', 'actor');
  return actor;
}
