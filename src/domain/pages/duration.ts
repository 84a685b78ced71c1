/**
 * Durations people write in plan pages ("20 min", "1 h", "1h 30m", "90 minutes", "2 hours", "1:30"),
 * read into whole minutes. The arithmetic is parse-duration's; this module first checks that the whole
 * text *is* a duration, because parse-duration reads numbers out of anything ("Phase 2" is 2 ms to it).
 */
import parseDuration from 'parse-duration';
import { formatMinutes } from '../adf';

export { formatMinutes };

/** The longest expected duration a step may have; a longer one is read as this, with a problem. */
export const MAX_STEP_MINUTES = 7 * 24 * 60;

const UNIT = String.raw`(?:weeks?|wks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\.?`;
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const PART = `${NUMBER}\\s*${UNIT}`;
/** One or more parts: "1 h 30 min", "1h30m", "1 hour and 30 minutes", "1 h, 30 min". */
const PARTS = new RegExp(`^${PART}(?:\\s*(?:,|and|&)?\\s*${PART})*$`, 'u');
/** A range keeps its upper bound (planning for the slow case): "20-30 min", "20 – 30 min", "20 to 30 min". */
const RANGE = new RegExp(`^${NUMBER}\\s*(?:${UNIT})?\\s*(?:-|–|—|to)\\s*(${NUMBER}\\s*${UNIT}(?:\\s*(?:,|and|&)?\\s*${PART})*)$`, 'u');
const CLOCK = /^(\d{1,3}):([0-5]\d)(?:\s*h)?$/u;
const BARE = /^\d+(?:\.\d+)?$/u;
/** Words around a duration that do not change it. */
const HEDGES = /^(?:~|≈|±|about|approx(?:\.|imately)?|ca\.?|circa|around|roughly|est(?:\.|imated)?|up to|max(?:\.|imum)?|at most|within)\s*/u;

export interface DurationOptions {
  /** How to read a bare number ("20"): only in a duration column, where the header says the unit. */
  bareNumberUnit?: 'minutes' | 'hours';
}

/**
 * Whole minutes (rounded up: "30 s" is 1 min), or undefined when the text is not a duration.
 * Tolerates case, "~"/"about"/"up to" and trailing punctuation; a decimal comma ("1,5 h") is a point.
 */
export function parseMinutes(text: string, options: DurationOptions = {}): number | undefined {
  let s = text
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/[.;:!]+$/u, '')
    .trim();
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(HEDGES, '').trim();
  }
  s = s.replace(/(\d),(\d{1,2})(?!\d)/gu, '$1.$2').replace(/\s+/gu, ' ');
  if (s === '') return undefined;
  const clock = CLOCK.exec(s);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  if (BARE.test(s)) {
    if (!options.bareNumberUnit) return undefined;
    return roundUp(Number(s) * (options.bareNumberUnit === 'hours' ? 60 : 1));
  }
  const range = RANGE.exec(s);
  if (range) s = range[1];
  else if (!PARTS.test(s)) return undefined;
  const minutes = parseDuration(s.replace(/\band\b|&|,/gu, ' '), 'm');
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes) || minutes < 0) return undefined;
  return roundUp(minutes);
}

function roundUp(minutes: number): number {
  const whole = Math.ceil(minutes - 1e-9);
  return whole === 0 ? 0 : whole; // never -0
}
