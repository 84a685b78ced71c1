/**
 * The risk register: per service, the threats that could cause a disaster, how likely and how bad each
 * is (scored 1–5 × 1–5), and the mechanism that answers it (a plan, a standby, a vendor contract, a
 * backup) with how far along it is. The time from a risk being identified to its mechanism being in
 * place is one of the practice's indicators.
 */
import { isValid, parseISO } from 'date-fns';
import { z } from 'zod';
import { parseOrRefuse } from './validation';
import { visibleText } from './visible-text';

export const THREAT_SCENARIOS = ['cloud-region-loss', 'ransomware', 'data-centre-fire', 'key-vendor-failure', 'network-outage', 'key-staff-unavailable'] as const;
export type ThreatScenario = (typeof THREAT_SCENARIOS)[number];

export const THREAT_NAMES: Record<ThreatScenario, string> = {
  'cloud-region-loss': 'Loss of a cloud region',
  ransomware: 'Ransomware',
  'data-centre-fire': 'Data-centre fire',
  'key-vendor-failure': 'Failure of a key vendor',
  'network-outage': 'Network outage',
  'key-staff-unavailable': 'Key staff unavailable',
};

/** A common scenario, or one the team describes itself. */
export type Threat = { scenario: ThreatScenario } | { scenario: 'other'; description: string };

export const MECHANISM_KINDS = ['plan', 'standby', 'vendor-contract', 'backup', 'other'] as const;
export type MechanismKind = (typeof MECHANISM_KINDS)[number];

/** none → planned → in place → tested. */
export const MECHANISM_STATES = ['none', 'planned', 'in-place', 'tested'] as const;
export type MechanismState = (typeof MECHANISM_STATES)[number];

export interface Mechanism {
  kind: MechanismKind;
  description: string;
  state: MechanismState;
}

export type Score = 1 | 2 | 3 | 4 | 5;

export interface RiskInput {
  serviceId: string;
  threat: Threat;
  likelihood: Score;
  impact: Score;
  mechanism?: Mechanism;
  /** Epoch ms. */
  identifiedAt: number;
  /** When the mechanism was planned (epoch ms); the identification date stands in when absent. */
  mechanismPlannedAt?: number;
  /** When the mechanism was in place (epoch ms); present exactly when its state is in place or tested. */
  mechanismInPlaceAt?: number;
}

export interface Risk extends RiskInput {
  id: string;
}

const DAY_MS = 86_400_000;

/**
 * Epoch ms from an ISO 8601 date ("2026-03-01", taken as midnight UTC) or date-time with its zone
 * ("2026-03-01T09:30Z"). A time without a zone is refused: it is a different instant in every zone.
 */
export function parseInstant(text: string): number | undefined {
  const trimmed = text.trim();
  const hasTime = trimmed.includes('T');
  if (hasTime && !/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(trimmed)) return undefined;
  const date = parseISO(hasTime ? trimmed : `${trimmed}T00:00:00Z`);
  return isValid(date) ? date.getTime() : undefined;
}

/** An instant from the form: epoch ms, or ISO 8601 text (see parseInstant). */
const instant = (label: string) =>
  z.unknown().optional().transform((input, ctx): number => {
    if (input === undefined || input === null || input === '') {
      ctx.issues.push({ code: 'custom', input, message: `${label} is required.` });
      return z.NEVER;
    }
    const ms = typeof input === 'number' ? input : typeof input === 'string' ? parseInstant(input) : undefined;
    if (ms !== undefined && Number.isInteger(ms) && ms >= 0) return ms;
    ctx.issues.push({ code: 'custom', input, message: `${label} must be a date such as 2026-03-01 (or a date and time with its zone).` });
    return z.NEVER;
  });

const optionalInstant = (label: string) => {
  const required = instant(label);
  return z.unknown().transform((input, ctx): number | undefined => {
    if (input === undefined || input === null || input === '') return undefined;
    const parsed = required.safeParse(input);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', input, message: issue.message });
    return z.NEVER;
  }).optional();
};

const score = (label: string) => {
  const message = `${label} must be a whole number from 1 to 5.`;
  return z
    .number({ error: (issue) => (issue.input === undefined ? `${label} is required.` : message) })
    .int({ error: message })
    .min(1, { error: message })
    .max(5, { error: message })
    .transform((n) => n as Score);
};

const threatSchema = z.discriminatedUnion(
  'scenario',
  [
    z.object({ scenario: z.enum(THREAT_SCENARIOS) }),
    z.object({ scenario: z.literal('other'), description: visibleText('The threat description', 3, 300) }),
  ],
  { error: `Threat must be one of: ${THREAT_SCENARIOS.join(', ')}, or other with a description.` },
);

const mechanismSchema = z.object(
  {
    kind: z.enum(MECHANISM_KINDS, { error: `Mechanism kind must be one of: ${MECHANISM_KINDS.join(', ')}.` }),
    description: visibleText('The mechanism description', 3, 1000),
    state: z.enum(MECHANISM_STATES, { error: 'Mechanism state must be none, planned, in-place or tested.' }),
  },
  { error: 'Mechanism must be an object with kind, description and state.' },
);

const isInPlace = (state: MechanismState | undefined) => state === 'in-place' || state === 'tested';

export const riskInputSchema = z
  .object(
    {
      serviceId: visibleText('Service', 1, 200),
      threat: threatSchema,
      likelihood: score('Likelihood'),
      impact: score('Impact'),
      mechanism: mechanismSchema.optional(),
      identifiedAt: instant('Date identified'),
      mechanismPlannedAt: optionalInstant('Date planned'),
      mechanismInPlaceAt: optionalInstant('Date in place'),
    },
    { error: 'A risk must be an object.' },
  )
  .check((ctx) => {
    const risk = ctx.value;
    const fail = (path: string, message: string) => ctx.issues.push({ code: 'custom', path: [path], input: risk, message });
    const inPlace = isInPlace(risk.mechanism?.state);
    if (inPlace && risk.mechanismInPlaceAt === undefined) fail('mechanismInPlaceAt', 'Date in place is required once the mechanism is in place or tested.');
    else if (!inPlace && risk.mechanismInPlaceAt !== undefined) fail('mechanismInPlaceAt', 'Date in place must be empty while the mechanism is not in place.');
    else if (risk.mechanismInPlaceAt !== undefined && risk.mechanismInPlaceAt < risk.identifiedAt) fail('mechanismInPlaceAt', 'Date in place cannot be before the date identified.');
    else if (risk.mechanismPlannedAt !== undefined && risk.mechanismPlannedAt < risk.identifiedAt) fail('mechanismPlannedAt', 'Date planned cannot be before the date identified.');
  });

/** Validates a risk from the register's form; throws INVALID_INPUT on e.g. 'mechanism.state' or 'likelihood'. */
export function parseRiskInput(input: unknown): RiskInput {
  const { mechanism, mechanismPlannedAt, mechanismInPlaceAt, ...required } = parseOrRefuse(riskInputSchema, input, '', 'A risk must be an object.', 'risk');
  // Optional keys are left out rather than present as undefined, so stored risks compare equal.
  return {
    ...required,
    ...(mechanism && { mechanism }),
    ...(mechanismPlannedAt !== undefined && { mechanismPlannedAt }),
    ...(mechanismInPlaceAt !== undefined && { mechanismInPlaceAt }),
  };
}

// ---- Scores ----

export type RiskRating = 'low' | 'medium' | 'high' | 'critical';

export const riskScore = (risk: Pick<RiskInput, 'likelihood' | 'impact'>): number => risk.likelihood * risk.impact;

/**
 * The rating of a 5 × 5 score: 1–4 low, 5–9 medium, 10–15 high, 16–25 critical. So "likely (4) and
 * major (4)" is critical, "possible (3) and moderate (3)" medium, and any risk rated 5 on one axis is
 * at least medium.
 */
export function riskRating(score: number): RiskRating {
  if (score >= 16) return 'critical';
  if (score >= 10) return 'high';
  if (score >= 5) return 'medium';
  return 'low';
}

// ---- Time to a mechanism ----

/** Whole days from identification to the mechanism being in place; undefined while it is not in place. */
export function implementationDurationDays(risk: Pick<RiskInput, 'identifiedAt' | 'mechanismInPlaceAt' | 'mechanism'>): number | undefined {
  if (!isInPlace(risk.mechanism?.state) || risk.mechanismInPlaceAt === undefined) return undefined;
  return Math.max(0, Math.floor((risk.mechanismInPlaceAt - risk.identifiedAt) / DAY_MS));
}

// ---- Flags ----

export type RiskFlagKind = 'no-mechanism' | 'mechanism-overdue' | 'high-risk-untested';

export interface RiskFlag {
  flag: RiskFlagKind;
  message: string;
}

export const DEFAULT_PLANNED_LIMIT_DAYS = 90;

/**
 * What needs a person's attention on a risk at `now`: no mechanism at all; a mechanism planned for more
 * than `plannedLimitDays` (counted from when it was planned, else from when the risk was identified);
 * a high or critical risk whose mechanism has not been tested.
 */
export function riskFlags(risk: RiskInput, now: number, plannedLimitDays = DEFAULT_PLANNED_LIMIT_DAYS): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const state = risk.mechanism?.state ?? 'none';
  if (state === 'none') flags.push({ flag: 'no-mechanism', message: 'No mechanism answers this risk yet.' });
  if (state === 'planned') {
    const days = Math.floor((now - (risk.mechanismPlannedAt ?? risk.identifiedAt)) / DAY_MS);
    if (days > plannedLimitDays) {
      flags.push({ flag: 'mechanism-overdue', message: `The mechanism has been planned for ${days} days (more than ${plannedLimitDays}) without being put in place.` });
    }
  }
  const score = riskScore(risk);
  const rating = riskRating(score);
  if ((rating === 'high' || rating === 'critical') && state !== 'tested') {
    flags.push({ flag: 'high-risk-untested', message: `A ${rating} risk (score ${score}) without a tested mechanism.` });
  }
  return flags;
}

/** The threat in words: the scenario's name, or the team's own description. */
export const threatName = (threat: Threat): string => (threat.scenario === 'other' ? threat.description : THREAT_NAMES[threat.scenario]);
