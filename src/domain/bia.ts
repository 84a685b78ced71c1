/**
 * Business impact analysis (BIA) of one service: what an outage costs per hour, how bad it gets in each
 * impact category as it lasts (1 h, 4 h, 24 h, 72 h), and the maximum tolerable downtime (MTPD, also
 * called maximum tolerable period of disruption). From these the app suggests a tier and an RTO; a
 * person decides. The rule is in suggestFromBia, and the reasoning it returns says it in words.
 */
import { z } from 'zod';
import { TIER_NAMES, type Tier } from './catalogue';
import { durationSchema, formatDuration, MINUTES_PER_DAY } from './durations';
import { DEFAULT_TIER_BANDS, tierForRto, type TierBands } from './tiers';
import { parseOrRefuse } from './validation';
import { optionalVisibleText } from './visible-text';

export const IMPACT_CATEGORIES = ['financial', 'customer', 'regulatory', 'reputational', 'operational'] as const;
export type ImpactCategory = (typeof IMPACT_CATEGORIES)[number];

export const CATEGORY_NAMES: Record<ImpactCategory, string> = {
  financial: 'Financial',
  customer: 'Customer',
  regulatory: 'Regulatory',
  reputational: 'Reputational',
  operational: 'Operational',
};

/** How long the outage has lasted when its impact is rated, shortest first. */
export const IMPACT_HORIZONS = ['1h', '4h', '24h', '72h'] as const;
export type ImpactHorizon = (typeof IMPACT_HORIZONS)[number];
export const HORIZON_MINUTES: Record<ImpactHorizon, number> = { '1h': 60, '4h': 240, '24h': 1440, '72h': 4320 };
export const HORIZON_WORDS: Record<ImpactHorizon, string> = { '1h': '1 h', '4h': '4 h', '24h': '24 h', '72h': '72 h' };

export type ImpactRating = 0 | 1 | 2 | 3 | 4;
export const RATING_NAMES: Record<ImpactRating, string> = { 0: 'none', 1: 'minor', 2: 'moderate', 3: 'major', 4: 'severe' };
/** The rating from which an outage is no longer bearable: the RTO must come before it. */
export const MAJOR: ImpactRating = 3;

export type ImpactRatings = Record<ImpactCategory, Record<ImpactHorizon, ImpactRating>>;

export interface BusinessImpact {
  costOfDowntimePerHour: number;
  /** ISO 4217 code of the cost. */
  currency: string;
  ratings: ImpactRatings;
  maximumTolerableDowntimeMinutes: number;
  notes?: string;
}

/** An MTPD above three months is a different exercise (business continuity, not IT recovery). */
export const MAX_MTPD_MINUTES = 90 * MINUTES_PER_DAY;
export const MIN_MTPD_MINUTES = 5;

const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));
const currencyMessage = 'Currency must be a three-letter ISO 4217 code such as EUR or USD.';

export const currencySchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'Currency is required.' : currencyMessage) })
  .trim()
  .toUpperCase()
  .refine((code) => /^[A-Z]{3}$/.test(code) && supportedCurrencies.has(code), { error: currencyMessage });

const money = (label: string) => {
  const message = `${label} must be a number of 0 or more.`;
  return z.number({ error: (issue) => (issue.input === undefined ? `${label} is required.` : message) }).min(0, { error: message }).max(1e12, { error: `${label} must be at most 1,000,000,000,000.` });
};

const ratingSchema = (category: ImpactCategory, horizon: ImpactHorizon) => {
  const message = `${CATEGORY_NAMES[category]} impact at ${HORIZON_WORDS[horizon]} must be a whole number from 0 (none) to 4 (severe).`;
  return z
    .number({ error: (issue) => (issue.input === undefined ? `${CATEGORY_NAMES[category]} impact at ${HORIZON_WORDS[horizon]} is required.` : message) })
    .int({ error: message })
    .min(0, { error: message })
    .max(4, { error: message })
    .transform((n) => n as ImpactRating);
};

/** One category's ratings; impact never falls the longer an outage lasts, so a lower later rating is a mistake. */
const categorySchema = (category: ImpactCategory) =>
  z
    .object(
      Object.fromEntries(IMPACT_HORIZONS.map((h) => [h, ratingSchema(category, h)])) as Record<ImpactHorizon, ReturnType<typeof ratingSchema>>,
      { error: `${CATEGORY_NAMES[category]} impact ratings are required.` },
    )
    .check((ctx) => {
      for (let i = 1; i < IMPACT_HORIZONS.length; i += 1) {
        const before = IMPACT_HORIZONS[i - 1]!;
        const at = IMPACT_HORIZONS[i]!;
        const [earlier, later] = [ctx.value[before], ctx.value[at]];
        if (later < earlier) {
          ctx.issues.push({
            code: 'custom',
            path: [at],
            input: ctx.value,
            message: `${CATEGORY_NAMES[category]} impact at ${HORIZON_WORDS[at]} (${RATING_NAMES[later]}) cannot be lower than at ${HORIZON_WORDS[before]} (${RATING_NAMES[earlier]}): impact only grows the longer a service is down.`,
          });
          return;
        }
      }
    });

export const biaSchema = z.object(
  {
    costOfDowntimePerHour: money('Cost of downtime per hour'),
    currency: currencySchema,
    ratings: z.object(
      Object.fromEntries(IMPACT_CATEGORIES.map((c) => [c, categorySchema(c)])) as Record<ImpactCategory, ReturnType<typeof categorySchema>>,
      { error: 'Impact ratings are required.' },
    ),
    maximumTolerableDowntimeMinutes: durationSchema('Maximum tolerable downtime', MAX_MTPD_MINUTES).refine((m) => m >= MIN_MTPD_MINUTES, {
      error: `Maximum tolerable downtime must be at least ${formatDuration(MIN_MTPD_MINUTES)}.`,
    }),
    notes: optionalVisibleText('Notes', 1, 2000),
  },
  { error: 'A business impact analysis must be an object.' },
);

/** Validates a BIA from the form; the MTPD may be text ("3d") or minutes. Throws INVALID_INPUT on e.g. 'ratings.customer.24h'. */
export function parseBia(input: unknown): BusinessImpact {
  const { notes, ...rest } = parseOrRefuse(biaSchema, input, '', 'A business impact analysis must be an object.', 'bia');
  return notes === undefined ? rest : { ...rest, notes };
}

// ---- Cost thresholds ----

/** Costs per hour from which a service is at least Tier 1 or Tier 2, in one currency (settings). */
export interface CostThresholds {
  currency: string;
  tier1PerHour: number;
  tier2PerHour: number;
}

export const costThresholdsSchema = z
  .object(
    { currency: currencySchema, tier1PerHour: money('Tier 1 cost threshold'), tier2PerHour: money('Tier 2 cost threshold') },
    { error: 'Cost thresholds must be an object.' },
  )
  .check((ctx) => {
    if (ctx.value.tier1PerHour < ctx.value.tier2PerHour) {
      ctx.issues.push({ code: 'custom', path: ['tier1PerHour'], input: ctx.value, message: 'The Tier 1 cost threshold must be at least the Tier 2 threshold.' });
    }
  });

export function parseCostThresholds(input: unknown, field = 'costThresholds'): CostThresholds {
  return parseOrRefuse(costThresholdsSchema, input, field, 'Cost thresholds must be an object.');
}

// ---- Suggestion ----

export interface BiaSuggestion {
  tier: Tier;
  rtoMinutes: number;
  rpoMinutes: number;
  /** The rule applied, step by step, in words a service owner can check. */
  reasoning: string[];
}

const amount = (amount: number, currency: string) => `${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
const list = (words: string[]) => (words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`);

/**
 * An RTO safely below the MTPD: three quarters of it, rounded down to a clean figure. The MTPD counts
 * from the start of the disruption, but recovery starts only once someone has noticed and decided to
 * invoke the plan; the quarter is kept for that.
 */
export function rtoBelowMtpd(mtpdMinutes: number): number {
  const raw = Math.floor((mtpdMinutes * 3) / 4);
  const step = raw >= MINUTES_PER_DAY ? 60 : raw >= 120 ? 15 : raw >= 10 ? 5 : 1;
  return Math.max(1, Math.floor(raw / step) * step);
}

/**
 * The tier and RTO a BIA points to. The rule, in order:
 * 1. The RTO is the longest assessed outage before any category becomes major (3) or worse: major
 *    first at 24 h gives an RTO of 4 h. Major already at 1 h gives the fastest RTO Tier 1 allows. No
 *    major impact within 72 h gives 72 h, brought down to the slowest RTO any tier allows.
 * 2. The tier is the band that RTO falls in (where bands touch, the slower one): so major impact
 *    within 1 h means Tier 1, within 4 h Tier 2, within 24 h or later Tier 3, with the default bands.
 * 3. Cost of downtime can raise the tier (never lower it): at or above the Tier 1 threshold per hour
 *    it is Tier 1, at or above the Tier 2 threshold at least Tier 2, and the RTO comes down to that
 *    tier's slowest. Thresholds are compared only in their own currency.
 * 4. The RTO must be below the MTPD; if it is not, it becomes three quarters of the MTPD rounded down
 *    (see rtoBelowMtpd), and the tier follows if that is faster.
 * 5. The RPO is the tier band's default: a BIA rates impact over time, not tolerable data loss.
 */
export function suggestFromBia(bia: BusinessImpact, bands: TierBands = DEFAULT_TIER_BANDS, thresholds?: CostThresholds): BiaSuggestion {
  const reasoning: string[] = [];
  const majorAt = IMPACT_HORIZONS.findIndex((h) => IMPACT_CATEGORIES.some((c) => bia.ratings[c][h] >= MAJOR));
  let rto: number;
  if (majorAt === 0) {
    rto = bands[1].rtoMinMinutes;
    reasoning.push(`${majorCategories(bia, '1h')} impact is major or worse within 1 h, so recovery must be as fast as ${TIER_NAMES[1]} allows: ${formatDuration(rto)}.`);
  } else if (majorAt > 0) {
    const first = IMPACT_HORIZONS[majorAt]!;
    const before = IMPACT_HORIZONS[majorAt - 1]!;
    rto = HORIZON_MINUTES[before];
    reasoning.push(`${majorCategories(bia, first)} impact becomes major or worse at ${HORIZON_WORDS[first]}; the longest assessed outage before that is ${HORIZON_WORDS[before]}, so the RTO is ${formatDuration(rto)}.`);
  } else {
    rto = HORIZON_MINUTES['72h'];
    reasoning.push(`No category becomes major within ${HORIZON_WORDS['72h']}, the longest assessed outage.`);
  }
  // Bands are ordered (see tiers.ts), so Tier 3's slowest RTO is the slowest any tier allows.
  if (rto > bands[3].rtoMaxMinutes) {
    rto = bands[3].rtoMaxMinutes;
    reasoning.push(`No tier allows an RTO that long; the slowest, ${TIER_NAMES[3]}, allows up to ${formatDuration(rto)}, so the RTO is ${formatDuration(rto)}.`);
  }
  let tier = tierForRto(rto, bands);
  reasoning.push(`An RTO of ${formatDuration(rto)} falls in ${TIER_NAMES[tier]}.`);

  if (thresholds && thresholds.currency !== bia.currency) {
    reasoning.push(`Cost of downtime not compared: the thresholds are in ${thresholds.currency}, this assessment is in ${bia.currency}.`);
  } else if (thresholds) {
    const costTier: Tier = bia.costOfDowntimePerHour >= thresholds.tier1PerHour ? 1 : bia.costOfDowntimePerHour >= thresholds.tier2PerHour ? 2 : 3;
    if (costTier < tier) {
      const threshold = costTier === 1 ? thresholds.tier1PerHour : thresholds.tier2PerHour;
      tier = costTier;
      rto = Math.min(rto, bands[tier].rtoMaxMinutes);
      reasoning.push(
        `Downtime costs ${amount(bia.costOfDowntimePerHour, bia.currency)} per hour, at or above the ${TIER_NAMES[tier]} threshold of ${amount(threshold, thresholds.currency)}: ${TIER_NAMES[tier]}, with an RTO of at most ${formatDuration(rto)}.`,
      );
    }
  }

  const mtpd = bia.maximumTolerableDowntimeMinutes;
  if (rto >= mtpd) {
    rto = rtoBelowMtpd(mtpd);
    const faster = tierForRto(rto, bands);
    const tierNote = faster < tier ? `, which makes it ${TIER_NAMES[faster]}` : '';
    tier = Math.min(tier, faster) as Tier;
    reasoning.push(
      `The RTO must be below the maximum tolerable downtime of ${formatDuration(mtpd)}; keeping a quarter of it for noticing the outage and deciding to invoke the plan, the RTO is ${formatDuration(rto)}${tierNote}.`,
    );
  }
  const rpo = bands[tier].rpoMinutes;
  reasoning.push(`The RPO is ${TIER_NAMES[tier]}'s default of ${formatDuration(rpo)}.`);
  return { tier, rtoMinutes: rto, rpoMinutes: rpo, reasoning };
}

function majorCategories(bia: BusinessImpact, horizon: ImpactHorizon): string {
  const names = IMPACT_CATEGORIES.filter((c) => bia.ratings[c][horizon] >= MAJOR).map((c) => CATEGORY_NAMES[c]);
  const [first = '', ...rest] = names;
  return list([first, ...rest.map((n) => n.toLowerCase())]);
}

// ---- MTPD flag ----

export interface MtpdFlag {
  flag: 'rto-not-below-mtpd';
  /** Whether the service's own RTO, or only its effective RTO (through its dependencies), is the problem. */
  which: 'own' | 'effective';
  message: string;
}

/**
 * Flags a service whose RTO is not below its MTPD: recovering "on target" would still take longer than
 * the business can bear. Checks the own RTO first, then the effective RTO if given (see rto.ts).
 */
export function mtpdFlag(service: { rtoMinutes: number }, bia: Pick<BusinessImpact, 'maximumTolerableDowntimeMinutes'>, effectiveRtoMinutes?: number): MtpdFlag | undefined {
  const mtpd = bia.maximumTolerableDowntimeMinutes;
  if (service.rtoMinutes >= mtpd) {
    return {
      flag: 'rto-not-below-mtpd',
      which: 'own',
      message: `RTO ${formatDuration(service.rtoMinutes)} is not below the maximum tolerable downtime of ${formatDuration(mtpd)}: recovery on target would take longer than the business can bear.`,
    };
  }
  if (effectiveRtoMinutes !== undefined && effectiveRtoMinutes >= mtpd) {
    return {
      flag: 'rto-not-below-mtpd',
      which: 'effective',
      message: `Its dependencies make the effective RTO ${formatDuration(effectiveRtoMinutes)}, not below the maximum tolerable downtime of ${formatDuration(mtpd)}.`,
    };
  }
  return undefined;
}
