/**
 * Tier bands and the cadences that follow from a tier. A band is the range of RTOs a tier stands for
 * (Tier 1 / Gold: 15 min – 1 h by default) with the RPO a new service of that tier starts with. Bands
 * are settings: an organisation may draw them differently. A service whose RTO falls outside its tier's
 * band is flagged, never refused: the team may have a reason, and a person should look.
 */
import { z } from 'zod';
import { TIER_NAMES, type Tier } from './catalogue';
import { durationSchema, formatDuration, MINUTES_PER_DAY, MINUTES_PER_HOUR } from './durations';
import { parseOrRefuse } from './validation';

export const TIERS: readonly Tier[] = [1, 2, 3];

export interface TierBand {
  /** The fastest RTO the tier stands for. */
  rtoMinMinutes: number;
  /** The slowest RTO the tier allows; also a new service's default RTO. */
  rtoMaxMinutes: number;
  /** The RPO a new service of this tier starts with. */
  rpoMinutes: number;
}

export type TierBands = Readonly<Record<Tier, TierBand>>;

export const DEFAULT_TIER_BANDS: TierBands = {
  1: { rtoMinMinutes: 15, rtoMaxMinutes: 60, rpoMinutes: 15 },
  2: { rtoMinMinutes: 60, rtoMaxMinutes: 4 * MINUTES_PER_HOUR, rpoMinutes: 60 },
  3: { rtoMinMinutes: 4 * MINUTES_PER_HOUR, rtoMaxMinutes: MINUTES_PER_DAY, rpoMinutes: MINUTES_PER_DAY },
};

const bandText = (band: TierBand) => `${formatDuration(band.rtoMinMinutes)} – ${formatDuration(band.rtoMaxMinutes)}`;

const bandSchema = (tier: Tier) =>
  z
    .object(
      {
        rtoMinMinutes: durationSchema(`${TIER_NAMES[tier]} fastest RTO`),
        rtoMaxMinutes: durationSchema(`${TIER_NAMES[tier]} slowest RTO`),
        rpoMinutes: durationSchema(`${TIER_NAMES[tier]} default RPO`),
      },
      { error: `${TIER_NAMES[tier]} band is required.` },
    )
    .check((ctx) => {
      const { rtoMinMinutes: min, rtoMaxMinutes: max } = ctx.value;
      if (min > max) {
        ctx.issues.push({
          code: 'custom',
          path: ['rtoMinMinutes'],
          input: ctx.value,
          message: `${TIER_NAMES[tier]}: the fastest RTO (${formatDuration(min)}) is slower than the slowest (${formatDuration(max)}).`,
        });
      }
    });

/**
 * Bands run from fastest to slowest and do not overlap. They may touch (Tier 1 up to 1 h, Tier 2 from
 * 1 h) and may leave a gap; a gap only means some RTOs are flagged whatever the tier.
 */
export const tierBandsSchema = z
  .object({ 1: bandSchema(1), 2: bandSchema(2), 3: bandSchema(3) }, { error: 'Tier bands must be an object with bands for tiers 1, 2 and 3.' })
  .check((ctx) => {
    for (const tier of [2, 3] as const) {
      const faster = ctx.value[(tier - 1) as Tier];
      const band = ctx.value[tier];
      if (band.rtoMinMinutes < faster.rtoMaxMinutes) {
        ctx.issues.push({
          code: 'custom',
          path: [String(tier), 'rtoMinMinutes'],
          input: ctx.value,
          message: `${TIER_NAMES[tier]} starts at ${formatDuration(band.rtoMinMinutes)}, inside ${TIER_NAMES[(tier - 1) as Tier]} (${bandText(faster)}): bands must not overlap.`,
        });
        return;
      }
    }
  });

/** Validates bands from the admin page or storage; durations may be text ("1h") or minutes. Throws INVALID_INPUT on e.g. 'tierBands.2.rtoMaxMinutes'. */
export function parseTierBands(input: unknown, field = 'tierBands'): TierBands {
  return parseOrRefuse(tierBandsSchema, input, field, 'Tier bands must be an object with bands for tiers 1, 2 and 3.');
}

/** What a new service of `tier` starts with: the slowest RTO its band allows, and the band's RPO. */
export function defaultsForTier(tier: Tier, bands: TierBands = DEFAULT_TIER_BANDS): { rtoMinutes: number; rpoMinutes: number } {
  return { rtoMinutes: bands[tier].rtoMaxMinutes, rpoMinutes: bands[tier].rpoMinutes };
}

export type RtoBandFlag = 'faster-than-band' | 'slower-than-band';
export type RtoBandCheck = { ok: true } | { ok: false; flag: RtoBandFlag; message: string };

/** Whether an RTO sits inside its tier's band; outside is a flag for a person to look at, not an error. */
export function rtoBandCheck(tier: Tier, rtoMinutes: number, bands: TierBands = DEFAULT_TIER_BANDS): RtoBandCheck {
  const band = bands[tier];
  const rto = formatDuration(rtoMinutes);
  if (rtoMinutes < band.rtoMinMinutes) {
    return { ok: false, flag: 'faster-than-band', message: `RTO ${rto} is faster than the ${TIER_NAMES[tier]} band of ${bandText(band)}.` };
  }
  if (rtoMinutes > band.rtoMaxMinutes) {
    return { ok: false, flag: 'slower-than-band', message: `RTO ${rto} is slower than the ${TIER_NAMES[tier]} band of ${bandText(band)}.` };
  }
  return { ok: true };
}

/**
 * The tier an RTO belongs to. Where bands touch (1 h ends Tier 1 and starts Tier 2) it is the slower
 * tier, so "the longest tolerable outage is 1 h" reads as Tier 2, as practitioners band it. An RTO in a
 * gap goes to the next slower tier (whose band it beats); one slower than every band is the slowest tier.
 */
export function tierForRto(rtoMinutes: number, bands: TierBands = DEFAULT_TIER_BANDS): Tier {
  const slowestFirst = [...TIERS].reverse();
  const containing = slowestFirst.find((tier) => bands[tier].rtoMinMinutes <= rtoMinutes && rtoMinutes <= bands[tier].rtoMaxMinutes);
  return containing ?? TIERS.find((tier) => rtoMinutes <= bands[tier].rtoMaxMinutes) ?? 3;
}

// ---- Cadences ----

/** How often the incident's stakeholders get an update while a plan is invoked, in minutes. */
export type CommsCadence = Readonly<Record<Tier, number>>;
export const DEFAULT_COMMS_CADENCE: CommsCadence = { 1: 30, 2: 60, 3: 120 };
/** More often than every 5 minutes is noise for readers and a flood of comments on the issue. */
export const MIN_COMMS_CADENCE_MINUTES = 5;
export const MAX_COMMS_CADENCE_MINUTES = MINUTES_PER_DAY;

const commsCadenceFor = (tier: Tier) => {
  const label = `${TIER_NAMES[tier]} update cadence`;
  return durationSchema(label, MAX_COMMS_CADENCE_MINUTES).refine((minutes) => minutes >= MIN_COMMS_CADENCE_MINUTES, {
    error: `${label} must be at least ${formatDuration(MIN_COMMS_CADENCE_MINUTES)}.`,
  });
};

export const commsCadenceSchema = z.object(
  { 1: commsCadenceFor(1), 2: commsCadenceFor(2), 3: commsCadenceFor(3) },
  { error: 'Update cadence must be an object with a cadence for tiers 1, 2 and 3.' },
);

export function parseCommsCadence(input: unknown, field = 'commsCadence'): CommsCadence {
  return parseOrRefuse(commsCadenceSchema, input, field, 'Update cadence must be an object with a cadence for tiers 1, 2 and 3.');
}

/** How often a plan must be reviewed, in days. */
export type ReviewCadence = Readonly<Record<Tier, number>>;
export const DEFAULT_REVIEW_CADENCE: ReviewCadence = { 1: 90, 2: 180, 3: 365 };
export const MIN_REVIEW_CADENCE_DAYS = 7;
export const MAX_REVIEW_CADENCE_DAYS = 3 * 365;

const reviewCadenceFor = (tier: Tier) => {
  const label = `${TIER_NAMES[tier]} review cadence`;
  const range = `a whole number of days from ${MIN_REVIEW_CADENCE_DAYS} to ${MAX_REVIEW_CADENCE_DAYS}`;
  return z
    .number({ error: (issue) => (issue.input === undefined ? `${label} is required.` : `${label} must be ${range}.`) })
    .int({ error: `${label} must be ${range}.` })
    .min(MIN_REVIEW_CADENCE_DAYS, { error: `${label} must be ${range}.` })
    .max(MAX_REVIEW_CADENCE_DAYS, { error: `${label} must be ${range}.` });
};

export const reviewCadenceSchema = z.object(
  { 1: reviewCadenceFor(1), 2: reviewCadenceFor(2), 3: reviewCadenceFor(3) },
  { error: 'Review cadence must be an object with a number of days for tiers 1, 2 and 3.' },
);

export function parseReviewCadence(input: unknown, field = 'reviewCadence'): ReviewCadence {
  return parseOrRefuse(reviewCadenceSchema, input, field, 'Review cadence must be an object with a number of days for tiers 1, 2 and 3.');
}

const DAY_MS = MINUTES_PER_DAY * 60_000;

/** When a plan reviewed at `lastReviewedAt` is next due for review (epoch ms; days are UTC days). */
export function nextReviewDueAt(tier: Tier, lastReviewedAt: number, cadence: ReviewCadence = DEFAULT_REVIEW_CADENCE): number {
  return lastReviewedAt + cadence[tier] * DAY_MS;
}

/** When the next stakeholder update is due after one sent at `lastUpdateAt` (epoch ms). */
export function nextUpdateDueAt(tier: Tier, lastUpdateAt: number, cadence: CommsCadence = DEFAULT_COMMS_CADENCE): number {
  return lastUpdateAt + cadence[tier] * 60_000;
}
