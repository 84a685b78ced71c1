/** How the app writes instants for people: "22 Nov 2026, 03:15 UTC", in a chosen IANA time zone. */
import { invalidInput } from './errors';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      // en-US parts ("Sep", not en-GB's "Sept"), assembled in the day-month-year order below.
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      });
    } catch {
      throw invalidInput(`Unknown time zone ${JSON.stringify(timeZone)}.`, 'timeZone');
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Formats epoch milliseconds as "22 Nov 2026, 03:15 UTC" (24-hour clock) in `timeZone` (default UTC). */
export function formatInstant(epochMs: number, timeZone = 'UTC'): string {
  if (!Number.isFinite(epochMs)) throw invalidInput('Not a valid time.', 'time');
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  return `${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}
