/**
 * Text going into and coming out of Confluence pages: the one place that decides which characters the
 * app writes, how long a field may be, and how text is compared. Pure.
 *
 * What the app writes is what a person typed, minus what cannot be stored or shown safely:
 *  - control characters and the bidirectional overrides and isolates (see text.stripControl);
 *  - lone UTF-16 surrogates, which have no UTF-8 encoding: each becomes U+FFFD;
 *  - single-line fields (titles, roles, names) have their whitespace collapsed to single spaces.
 * Zero-width joiners and the like stay: emoji sequences need them.
 */
import { stripControl } from '../text';

export const LIMITS = {
  /** Steps read from a plan page; the rest are reported. */
  steps: 100,
  /** A step title, in code points. */
  stepTitle: 300,
  role: 100,
  templates: 20,
  templateName: 200,
  templateBody: 20_000,
  /** Any single-line cell the app writes (names, "who", changes). */
  line: 2_000,
  /** Free text the app copies from the incident (summary, impact, reasons, timeline details). */
  paragraph: 20_000,
} as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Lone surrogates become U+FFFD; well-formed pairs (emoji) stay. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Multi-line text: no control or bidi-override characters, well formed, LF line ends, each line trimmed
 * (Confluence's storage format does not keep a paragraph's leading spaces, so the app does not write
 * them), outer blank lines removed.
 */
export function cleanBody(value: unknown): string {
  const lines = stripControl(wellFormed(String(value ?? ''))).split('\n').map((l) => l.trim());
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.join('\n');
}

/** Single-line text: as cleanBody, with every run of whitespace (newlines and tabs included) one space. */
export function cleanLine(value: unknown): string {
  return stripControl(wellFormed(String(value ?? '')))
    .replace(/\s+/gu, ' ')
    .trim();
}

/** A piece of a line (text beside a link or a lozenge): as cleanLine, but its outer spaces stay. */
export function cleanInline(value: unknown): string {
  return stripControl(wellFormed(String(value ?? ''))).replace(/\s+/gu, ' ');
}

/** Length in code points (what a person counts), not UTF-16 units. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** At most `max` code points: a longer text keeps its first max − 1 and ends with "…". Never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (codePointLength(text) <= max) return text;
  const out: string[] = [];
  for (const ch of text) {
    if (out.length >= max - 1) break;
    out.push(ch);
  }
  return `${out.join('').replace(/\s+$/u, '')}…`;
}

/** Invisible characters that must not make two texts compare different (zero-width, bidi marks, BOM, soft hyphen). */
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/**
 * The form used to compare texts a person may have re-typed: NFKC, lower case, invisible characters
 * removed, every run of characters that are not letters or digits one space. "Fail over the DB." and
 * "fail over the db" compare equal; emoji and punctuation do not count.
 */
export function comparable(text: string): string {
  return cleanLine(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(INVISIBLE, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A heading as a name: comparable() without leading numbering ("2.", "3)", "II.", "Section 4:"), so
 * "🔧 3. Recovery Steps" reads as "recovery steps".
 */
export function headingName(text: string): string {
  return comparable(text)
    .replace(/^(section|part|chapter)\s+/u, '')
    .replace(/^(\d+\s+)+/u, '')
    .replace(/^[ivx]+\s+(?=\p{L})/u, '')
    .trim();
}
