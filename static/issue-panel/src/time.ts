/** Countdown arithmetic for the panel (pure, so it is unit-tested without a browser). */

export type ClockState = 'running' | 'warning' | 'breached';

export function clockState(startedAt: number, dueAt: number, now: number): ClockState {
  if (now >= dueAt) return 'breached';
  return (now - startedAt) / Math.max(1, dueAt - startedAt) >= 0.75 ? 'warning' : 'running';
}

/** "1 h 05 min 09 s" style, compact for the panel. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s)} s` : `${m} min ${pad(s)} s`;
}

export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export function formatTime(epochMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(epochMs));
}
