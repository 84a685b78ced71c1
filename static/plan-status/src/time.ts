/** Countdown and date text for the plan status box (pure). */

export type ClockState = 'running' | 'warning' | 'breached';

/** Running until the last quarter of the RTO, then warning, then breached. */
export function clockState(dueAt: number, rtoMinutes: number, now: number): ClockState {
  if (now >= dueAt) return 'breached';
  return dueAt - now <= rtoMinutes * 60_000 * 0.25 ? 'warning' : 'running';
}

/** "1 h 05 min 09 s", or "4 min 09 s" under an hour. */
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

export function formatDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
