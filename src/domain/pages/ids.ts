/**
 * Ids of what the app reads from a page (recovery steps, message templates) and of the nodes it writes.
 *
 * The step-id rule. A step's id is derived from its wording only:
 *   id = "step-" + 10 base-36 digits of FNV-1a-64( comparable(title) without leading numbering )
 * where comparable() (page-text.ts) is NFKC, lower case, invisible characters dropped, and every run of
 * characters that are not letters or digits one space. So the id
 *   - stays when the row moves (reordering), when the role or duration changes, when formatting,
 *     punctuation, case, emoji, surrounding whitespace or a typed "Step 3:" / "3." prefix changes;
 *   - changes when the words change (that is a different step: a checklist record of the old wording
 *     no longer applies).
 * A title with no letters or digits at all (only emoji) hashes its NFKC text instead.
 * Two steps with the same wording: the first in page order keeps the id, the n-th gets "-n" appended
 * ("step-abc…-2"). Deterministic; only swapping two identically worded steps swaps their ids.
 * Message templates follow the same rule with the prefix "comms-", from the template's name.
 */
import { cleanLine, comparable } from './page-text';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** FNV-1a over the UTF-8 bytes, 64 bits, as base 36 padded to 13 digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK;
  }
  return hash.toString(36).padStart(13, '0');
}

/** The wording a step id is computed from (see the rule above). */
export function stepWording(title: string): string {
  const words = comparable(title).replace(/^(step\s+)?(\d+\s+)+/u, '');
  return words !== '' ? words : cleanLine(title).normalize('NFKC');
}

function idFor(prefix: string, wording: string): string {
  return `${prefix}-${fnv1a64(wording).slice(0, 10)}`;
}

/** Assigns ids in page order, disambiguating repeated wordings with "-2", "-3", … */
function assign<T>(items: readonly T[], prefix: string, wordingOf: (item: T) => string): Array<T & { id: string }> {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = idFor(prefix, wordingOf(item));
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...item, id: n === 1 ? base : `${base}-${n}` };
  });
}

export function withStepIds<T extends { title: string }>(steps: readonly T[]): Array<T & { id: string }> {
  return assign(steps, 'step', (s) => stepWording(s.title));
}

export function withTemplateIds<T extends { name: string }>(templates: readonly T[]): Array<T & { id: string }> {
  return assign(templates, 'comms', (t) => stepWording(t.name));
}

/** A deterministic `localId` for nodes that need one (task lists, status lozenges), unique per seed. */
export function localId(seed: string): string {
  return `sc-${fnv1a64(seed)}`;
}
