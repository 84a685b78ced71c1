/**
 * Text a person typed that others will read and match on (service names, labels, skip reasons, impact
 * text). Beyond stripControl, it must show something: a name made only of zero-width spaces, Hangul
 * fillers or combining marks looks empty on screen yet is a distinct value, which invites look-alike
 * duplicates and blank rows nobody can click. Lone surrogates are refused outright: they are not text,
 * and storage, JSON and Confluence each treat them differently.
 */
import { z } from 'zod';
import { stripControl } from './text';

/**
 * Characters that render as nothing: Unicode format characters (Cf: zero-width space and joiners
 * U+200B–U+200F, word joiner and invisible operators U+2060–U+2064, BOM U+FEFF, soft hyphen U+00AD, bidi
 * controls, tags), the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, and the blank Braille pattern U+2800.
 */
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/gu;
const COMBINING_MARK = /\p{M}/gu;
/** Whitespace or invisible characters at either end; inside, a joiner may be part of a word or an emoji. */
const EDGES = /^[\s\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]+|[\s\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]+$/gu;
/** Without the u flag, so each UTF-16 unit is seen on its own. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

/** Control characters removed, composed to NFC, and whitespace and invisible characters trimmed from both ends. */
export function cleanText(text: string): string {
  return stripControl(text).normalize('NFC').replace(EDGES, '');
}

/** What a reader sees: the text without invisible characters and combining marks. */
export const visiblePart = (text: string): string => text.replace(INVISIBLE, '').replace(COMBINING_MARK, '').replace(/\s+/g, '');

const codePoints = (text: string): number => [...text].length;

/**
 * A zod schema for text people read. `field` is the field's name in words ("Name", "A label"), used
 * in every message. The result is cleaned (see cleanText); `min` counts visible characters, `max` counts
 * the characters stored (code points), so "é" typed as e + U+0301 is one visible character and two stored.
 */
export function visibleText(field: string, min: number, max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required.` : `${field} must be text.`) })
    .transform((raw, ctx) => {
      const fail = (message: string) => {
        ctx.issues.push({ code: 'custom', input: raw, message });
        return z.NEVER;
      };
      if (hasLoneSurrogate(raw)) return fail(`${field} contains a broken character (an unpaired surrogate).`);
      const text = cleanText(raw);
      const visible = codePoints(visiblePart(text));
      if (stripControl(raw).trim() === '') return fail(`${field} must not be empty.`);
      if (visible === 0) return fail(`${field} must contain visible characters.`);
      if (visible < min) return fail(`${field} must be at least ${min} characters.`);
      if (codePoints(text) > max) return fail(`${field} must be at most ${max} characters.`);
      return text;
    });
}

/** Like visibleText, but a blank value (missing, null, or only whitespace and invisible characters) is undefined. */
export function optionalVisibleText(field: string, min: number, max: number) {
  const required = visibleText(field, min, max);
  return z.unknown().transform((input, ctx): string | undefined => {
    if (input === undefined || input === null) return undefined;
    if (typeof input === 'string' && !hasLoneSurrogate(input) && cleanText(input) === '') return undefined;
    const parsed = required.safeParse(input);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', message: issue.message, input });
    return z.NEVER;
  }).optional(); // .optional() so that zod lets an object leave the key out altogether
}

/**
 * The key two names are the same by: cleaned, invisible characters removed, white space collapsed,
 * lower case. "Payments", " payments " and "Pay\u200Bments" are one service.
 */
export function nameKey(name: string): string {
  return cleanText(name).replace(INVISIBLE, '').replace(/\s+/g, ' ').toLowerCase();
}
