/**
 * The conventions people use to put a role and a duration on one line of a list:
 *   "Fail over the database — DBA — 20 min"      (em/en dash, " - ", " -- " or " | " between the parts)
 *   "Fail over the database (DBA, 20 min)"        (a trailing parenthesis holding a duration)
 *   "Fail over the database"                      (neither: the whole line is the title)
 * Read from the right: the last part is the duration when it is one; the part before it is the role.
 * Without a duration, a role is taken only after an em/en dash or "|" (a " - " alone is too common
 * inside titles: "Restore backups - verify checksums" stays one title). A role has letters, at most
 * six words and 60 characters, and does not end a sentence; anything else stays in the title.
 */
import { parseMinutes } from './duration';

export interface StepLine {
  title: string;
  role?: string;
  minutes?: number;
  /** The text the duration was read from. */
  durationText?: string;
}

/** An em or en dash (spaces optional, except between digits: "2020–2021" is a range), " - ", " -- " or " | ". */
const SEPARATOR = /(\s*(?:(?<!\d)[—–]|[—–](?!\d))\s*|\s+-{1,2}\s+|\s+\|\s+)/u;
const ROLE_LABEL = /^(role|owner|who|by|responsible|performed by)\s*[:：]?\s+/iu;
const DURATION_LABEL = /^(duration|time|takes|eta|est(imate)?|expected)\s*[:：]?\s*/iu;

function roleLike(text: string): boolean {
  const t = text.trim();
  return t.length >= 1 && t.length <= 60 && /\p{L}/u.test(t) && t.split(/\s+/u).length <= 6 && !/[.!?]$/u.test(t) && parseMinutes(t) === undefined;
}

function asRole(text: string): string {
  return text.trim().replace(ROLE_LABEL, '').trim();
}

function asMinutes(text: string): number | undefined {
  return parseMinutes(text.trim().replace(DURATION_LABEL, ''));
}

function parenthesised(line: string): StepLine | undefined {
  const m = /^(.*?\S)\s*\(([^()]+)\)\s*[.;]?$/u.exec(line);
  if (!m) return undefined;
  const parts = m[2].split(/\s*[,;/]\s*|\s+[—–|]\s+|\s+-\s+/u).filter((s) => s.trim() !== '');
  const at = parts.findIndex((s) => asMinutes(s) !== undefined);
  if (at < 0) return undefined;
  const others = parts.filter((_, i) => i !== at).map(asRole);
  const role = others.join(', ');
  if (role !== '' && !roleLike(role)) return undefined;
  return { title: m[1], minutes: asMinutes(parts[at]), durationText: parts[at].trim(), ...(role !== '' ? { role } : {}) };
}

function separated(line: string): StepLine | undefined {
  const tokens = line.split(SEPARATOR);
  const count = (tokens.length + 1) / 2;
  if (count < 2) return undefined;
  const seg = (i: number) => tokens[2 * i];
  let end = count;
  let minutes: number | undefined;
  let durationText: string | undefined;
  const last = asMinutes(seg(end - 1));
  if (last !== undefined) {
    minutes = last;
    durationText = seg(end - 1).trim();
    end -= 1;
  }
  let role: string | undefined;
  if (end >= 2) {
    const candidate = asRole(seg(end - 1));
    const strong = /[—–|]/u.test(tokens[2 * (end - 1) - 1]);
    if ((minutes !== undefined || strong) && roleLike(candidate)) {
      role = candidate;
      end -= 1;
    }
  }
  if (end === count) return undefined;
  const title = tokens.slice(0, 2 * end - 1).join('').trim();
  if (title === '') return undefined;
  return { title, ...(role !== undefined ? { role } : {}), ...(minutes !== undefined ? { minutes, durationText } : {}) };
}

/** A list line read by the conventions above; `title` is the whole line when none applies. */
export function readStepLine(line: string): StepLine {
  const text = line.trim();
  return parenthesised(text) ?? separated(text) ?? { title: text };
}

/** Whether the line carries a role or a duration by the conventions (a group label does not). */
export function hasConventions(line: string): boolean {
  const read = readStepLine(line);
  return read.role !== undefined || read.minutes !== undefined;
}
