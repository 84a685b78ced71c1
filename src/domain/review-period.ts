/**
 * The period a practice review covers: a calendar quarter ('2026-Q4') or year ('2026'), in UTC (as the
 * indicator months are). A period's recoveries and drills are summed over its months; its previous
 * period is the one of the same length just before it.
 */
import { invalidInput } from './errors';

export interface ReviewPeriod {
  id: string;
  kind: 'quarter' | 'year';
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  /** 'Q4 2026' or '2026'. */
  short: string;
  /** 'Q4 2026 (1 October to 31 December 2026)'. */
  label: string;
  /** '2026-10', '2026-11', '2026-12'. */
  months: string[];
  previousId: string;
}

const PERIOD = /^(\d{4})(?:-Q([1-4]))?$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function parsePeriod(id: string): ReviewPeriod {
  const match = PERIOD.exec(typeof id === 'string' ? id.trim() : '');
  if (!match) throw invalidInput('The review period is a quarter such as 2026-Q4, or a year such as 2026.', 'period');
  const year = Number(match[1]);
  if (year < 2000 || year > 2999) throw invalidInput('The review period must be a year between 2000 and 2999.', 'period');
  const quarter = match[2] === undefined ? undefined : Number(match[2]);
  const firstMonth = quarter === undefined ? 0 : (quarter - 1) * 3;
  const count = quarter === undefined ? 12 : 3;
  const start = Date.UTC(year, firstMonth, 1);
  const end = Date.UTC(year, firstMonth + count, 1);
  const months = Array.from({ length: count }, (_, i) => `${year}-${String(firstMonth + i + 1).padStart(2, '0')}`);
  const lastDay = new Date(end - 86_400_000).getUTCDate();
  const short = quarter === undefined ? String(year) : `Q${quarter} ${year}`;
  const label = `${short} (1 ${MONTHS[firstMonth]} to ${lastDay} ${MONTHS[firstMonth + count - 1]} ${year})`;
  const previousId = quarter === undefined ? String(year - 1) : quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
  return { id: quarter === undefined ? String(year) : `${year}-Q${quarter}`, kind: quarter === undefined ? 'year' : 'quarter', start, end, short, label, months, previousId };
}

/** The quarter an instant falls in ('2026-Q4'). */
export function quarterContaining(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/** The periods a person most likely reviews at `now`: the last quarter that has ended, the current quarter, and the last year. */
export function suggestedPeriods(now: number): string[] {
  const current = parsePeriod(quarterContaining(now));
  const year = new Date(now).getUTCFullYear();
  return [current.previousId, current.id, String(year - 1)];
}
