/**
 * Durations as people type them ("45m", "4h", "1d", "1h 30m", "90 min", "2 hours") and as the app writes
 * them back ("1d 2h"). Stored as whole minutes: RTO, RPO and cadences are never finer than a minute.
 * parse-duration does the arithmetic; this module decides what counts as a duration at all, because
 * parse-duration itself skips words it does not know ("5 apples" would be 5 ms) and reads "1,5h" as 15 h.
 */
import parse from 'parse-duration';
import { z } from 'zod';
import { invalidInput } from './errors';

export const MINUTES_PER_HOUR = 60;
export const MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR;
/** Nothing the app measures (RTO, RPO, cadences) is sensibly longer than a month. */
export const MAX_DURATION_MINUTES = 30 * MINUTES_PER_DAY;

/** The words used in messages for the duration fields the app knows; others are given by the caller. */
const LABELS: Record<string, string> = { rto: 'RTO', rpo: 'RPO' };

/** A number with an optional unit: "45m", "1.5 hours", ".5h", "90". */
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(\p{L}*)/gu;
/** Digits split by a space, comma or underscore ("1 30", "1,5h"): parse-duration would glue them together. */
const SPLIT_NUMBER = /\d[\s,_]+\d/;
/** Long enough for "1 day 23 hours and 59 minutes", short enough that no input costs much to read. */
const MAX_INPUT_LENGTH = 100;

export type DurationReading = { ok: true; minutes: number } | { ok: false; message: string };

const example = (label: string) => `${label} must be a duration such as 45m, 4h or 1d.`;

function isUnit(name: string): boolean {
  const lower = name.toLowerCase();
  const value = parse.unit[lower] ?? (lower.endsWith('s') ? parse.unit[lower.slice(0, -1)] : undefined);
  return typeof value === 'number';
}

/** Why `text` is not a duration, or undefined when its shape is one parse-duration reads as written. */
function shapeProblem(text: string, label: string): string | undefined {
  if (text.length > MAX_INPUT_LENGTH || SPLIT_NUMBER.test(text)) return example(label);
  const parts = [...text.matchAll(PART)];
  if (parts.length === 0) return example(label);
  const residue = text.replace(PART, ' ').replace(/\band\b/giu, ' ').replace(/[\s,]+/g, '');
  if (residue !== '') return example(label);
  for (const [index, part] of parts.entries()) {
    const unit = part[2] ?? '';
    // A bare number is minutes when it stands alone; after "1h" it is the next smaller unit ("1h30" is 90 min).
    if (unit === '' && index > 0 && (parts[index - 1]?.[2] ?? '') === '') return example(label);
    if (unit !== '' && !isUnit(unit)) return `${label}: ${JSON.stringify(unit)} is not a unit of time; use m, h or d.`;
  }
  return undefined;
}

/** Reads a duration (text, or a number of minutes) without throwing; `label` names the field in messages. */
export function readDuration(input: unknown, label: string, maxMinutes = MAX_DURATION_MINUTES): DurationReading {
  const tooLong = { ok: false as const, message: `${label} must be at most ${formatDuration(maxMinutes)}.` };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: example(label) };
    if (input <= 0) return { ok: false, message: `${label} must be longer than zero.` };
    if (!Number.isInteger(input)) return { ok: false, message: `${label} must be a whole number of minutes.` };
    return input > maxMinutes ? tooLong : { ok: true, minutes: input };
  }
  if (input === undefined || input === null) return { ok: false, message: `${label} is required.` };
  if (typeof input !== 'string') return { ok: false, message: example(label) };
  const text = input.trim();
  if (text === '') return { ok: false, message: `${label} is required.` };
  const negative = /^[-\u2212]/.test(text);
  const body = negative ? text.slice(1).trimStart() : text;
  const problem = shapeProblem(body, label);
  if (problem) return { ok: false, message: problem };
  const parsed = parse(body, 'm');
  if (parsed === null || !Number.isFinite(parsed)) return { ok: false, message: example(label) };
  // "0.1h" is 6.000000000000001 min in floating point; a millionth of a minute is noise, not precision.
  const minutes = Math.round(parsed * 1e6) / 1e6;
  if (negative || minutes <= 0) return { ok: false, message: `${label} must be longer than zero.` };
  if (!Number.isInteger(minutes)) return { ok: false, message: `${label} must be a whole number of minutes.` };
  return minutes > maxMinutes ? tooLong : { ok: true, minutes };
}

/**
 * Whole minutes from a person's duration ("1h 30m" → 90; a number is already minutes). Throws
 * INVALID_INPUT on `field`; `label` (default "RTO" for 'rto', "RPO" for 'rpo', else the field) names it in words.
 */
export function parseDuration(input: unknown, field: string, label = LABELS[field] ?? field, maxMinutes = MAX_DURATION_MINUTES): number {
  const reading = readDuration(input, label, maxMinutes);
  if (!reading.ok) throw invalidInput(reading.message, field);
  return reading.minutes;
}

/** A zod schema for a required duration: text or minutes in, whole minutes out. */
export function durationSchema(label: string, maxMinutes = MAX_DURATION_MINUTES) {
  return z.unknown().optional().transform((input, ctx) => {
    const reading = readDuration(input, label, maxMinutes);
    if (reading.ok) return reading.minutes;
    ctx.issues.push({ code: 'custom', message: reading.message, input });
    return z.NEVER;
  });
}

/** True for what a form or a CSV cell sends when a person left a field empty. */
export const isBlank = (input: unknown): boolean => input === undefined || input === null || (typeof input === 'string' && input.trim() === '');

/** Like durationSchema, but an empty value is undefined (the caller supplies a default). */
export function optionalDurationSchema(label: string, maxMinutes = MAX_DURATION_MINUTES) {
  const required = durationSchema(label, maxMinutes);
  return z.unknown().optional().transform((input, ctx): number | undefined => {
    if (isBlank(input)) return undefined;
    const parsed = required.safeParse(input);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', message: issue.message, input });
    return z.NEVER;
  }).optional(); // .optional() so that zod lets an object leave the key out altogether
}

/** Minutes written compactly in days, hours and minutes: 45 → "45m", 240 → "4h", 1560 → "1d 2h". */
export function formatDuration(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0) throw invalidInput('A duration must be a whole number of minutes, zero or more.', 'minutes');
  if (minutes === 0) return '0m';
  const days = Math.floor(minutes / MINUTES_PER_DAY);
  const hours = Math.floor((minutes % MINUTES_PER_DAY) / MINUTES_PER_HOUR);
  const rest = minutes % MINUTES_PER_HOUR;
  return [days && `${days}d`, hours && `${hours}h`, rest && `${rest}m`].filter(Boolean).join(' ');
}
