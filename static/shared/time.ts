/**
 * Times and clocks for the front ends (pure, no React). Times are shown in the viewer's time zone (from
 * Forge's context) with the offset, so a reader in another zone is never misled; durations in the
 * app's compact words.
 */

export type ClockState = 'running' | 'warning' | 'breached';

/** Neutral until the last 25 % of the interval, then warning (amber), then breached (red). */
export function clockState(startedAt: number, dueAt: number, now: number): ClockState {
  if (now >= dueAt) return 'breached';
  return (now - startedAt) / Math.max(1, dueAt - startedAt) >= 0.75 ? 'warning' : 'running';
}

/** "1 h 05 min 09 s" style, compact for a countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s)} s` : `${m} min ${pad(s)} s`;
}

/** "45 min", "4 h", "1 h 30 min", "2 d 4 h". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes >= 48 * 60 && minutes % 60 === 0) {
    const d = Math.floor(minutes / 1440);
    const h = (minutes % 1440) / 60;
    return h === 0 ? `${d} d` : `${d} d ${h} h`;
  }
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset', timeZone });
    } catch {
      f = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset', timeZone: 'UTC' });
    }
    formatters.set(key, f);
  }
  return f;
}

/** "22 Nov, 03:15 GMT-5": day, time and the zone's offset (GMT alone for UTC). */
export function formatTime(epochMs: number, timeZone?: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(epochMs)) parts[p.type] = p.value;
  return `${parts.day} ${parts.month}, ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}
