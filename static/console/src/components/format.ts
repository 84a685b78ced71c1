/** Display helpers: dates in the site's time zone, counts in words. */

export function formatDate(epochMs: number | undefined, timeZone: string): string {
  if (epochMs === undefined) return '—';
  try {
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(epochMs);
  } catch {
    return new Date(epochMs).toISOString().slice(0, 10);
  }
}

/** YYYY-MM-DD in UTC, as date inputs and the plan form read dates. */
export const isoDay = (epochMs: number | undefined): string => (epochMs === undefined ? '' : new Date(epochMs).toISOString().slice(0, 10));

export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "A", "A and B", "A, B and C". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
