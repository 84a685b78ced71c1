/**
 * A service as a person enters it, in the catalogue form or a CSV row: validated, cleaned, and with RTO
 * and RPO taken from the tier's band when left empty. Every refusal names its field ('name', 'tier',
 * 'rto', 'labels.2') with a message in words.
 */
import { z } from 'zod';
import { TIER_NAMES, type Tier } from './catalogue';
import { isBlank, optionalDurationSchema } from './durations';
import { DEFAULT_TIER_BANDS, defaultsForTier, type TierBands } from './tiers';
import { parseOrRefuse, type FieldProblem, firstProblem } from './validation';
import { nameKey, optionalVisibleText, visibleText } from './visible-text';

// The invisible-text rules live with the other text rules; re-exported here, where forms first need them.
export { nameKey, optionalVisibleText, visibleText } from './visible-text';

export const SERVICE_LIMITS = {
  name: 120,
  listItem: 100,
  dependsOn: 50,
  jsmServiceIds: 20,
  components: 50,
  labels: 50,
  accountId: 128,
} as const;

/** The CSV writes lists as values separated by ";", so no single value may contain one. */
export const LIST_SEPARATOR = ';';

export interface ServiceInput {
  name: string;
  ownerAccountId?: string;
  tier: Tier;
  rtoMinutes: number;
  rpoMinutes: number;
  /** Names or ids of the services this one cannot recover without, as entered; resolved later. */
  dependsOn: string[];
  jsmServiceIds: string[];
  components: string[];
  labels: string[];
}

/** Words for a tier, lower case: "gold", and the app's own name for it, "tier 1 (gold)". */
const TIER_WORDS: Record<string, Tier> = {
  gold: 1,
  silver: 2,
  bronze: 3,
  ...Object.fromEntries(([1, 2, 3] as const).map((tier) => [TIER_NAMES[tier].toLowerCase(), tier])),
};
const tierMessage = 'Tier must be 1, 2 or 3 (Gold, Silver or Bronze).';

/** 1, "1", "Tier 1", "T1", "Gold" or "Tier 1 (Gold)" (any case) is Tier 1; likewise 2 / Silver and 3 / Bronze. */
export const tierSchema = z.unknown().optional().transform((input, ctx): Tier => {
  if (isBlank(input)) {
    ctx.issues.push({ code: 'custom', input, message: 'Tier is required.' });
    return z.NEVER;
  }
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim().toLowerCase().replace(/\s+/g, ' ') : '';
  const digit = /^(?:tier\s*|t)?([123])$/.exec(text)?.[1];
  const tier = digit ? (Number(digit) as Tier) : TIER_WORDS[text];
  if (tier) return tier;
  ctx.issues.push({ code: 'custom', input, message: tierMessage });
  return z.NEVER;
});

/** visibleText on one line and without ";", so the value survives a CSV list and fits a table cell. */
const listSafeText = (what: string, max: number) =>
  visibleText(what, 1, max).check((ctx) => {
    if (/[\n\t]/.test(ctx.value)) ctx.issues.push({ code: 'custom', input: ctx.value, message: `${what} must be on one line.` });
    else if (ctx.value.includes(LIST_SEPARATOR)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${what} cannot contain "${LIST_SEPARATOR}" (it separates values in the CSV).` });
    }
  });

/** First spelling wins; `key` decides what counts as the same value. */
function dedupe(values: readonly string[], key: (value: string) => string): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const k = key(value);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `what` starts a sentence ("JSM services must be a list."), `plural` ends one ("At most 20 JSM services."). */
const list = <T extends z.ZodType<string, unknown>>(item: T, max: number, what: string, plural: string, key: (value: string) => string) =>
  z
    .array(item, { error: `${what} must be a list.` })
    .max(max, { error: `At most ${max} ${plural}.` })
    .optional()
    .transform((values) => dedupe(values ?? [], key));

const label = listSafeText('A label', SERVICE_LIMITS.listItem).check((ctx) => {
  // Jira labels never contain spaces, so a label with one could never match an incident's labels.
  if (/\s/.test(ctx.value)) ctx.issues.push({ code: 'custom', input: ctx.value, message: 'A label cannot contain spaces (Jira labels never do).' });
});

const jsmServiceId = z
  .string({ error: 'A JSM service id must be text.' })
  .trim()
  .min(1, { error: 'A JSM service id must not be empty.' })
  .max(200, { error: 'A JSM service id must be at most 200 characters.' })
  .regex(/^[^\s;]+$/, { error: 'A JSM service id cannot contain spaces or ";".' });

const accountId = optionalVisibleText('Owner', 1, SERVICE_LIMITS.accountId).check((ctx) => {
  if (ctx.value !== undefined && !/^[A-Za-z0-9:_-]+$/.test(ctx.value)) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: 'Owner must be an Atlassian account id.' });
  }
});

/** The fields a form and a CSV row share; RTO and RPO may still be undefined (see withTierDefaults). */
export const serviceFields = {
  name: listSafeText('Name', SERVICE_LIMITS.name),
  tier: tierSchema,
  rto: optionalDurationSchema('RTO'),
  rpo: optionalDurationSchema('RPO'),
  dependsOn: list(listSafeText('A dependency', SERVICE_LIMITS.name), SERVICE_LIMITS.dependsOn, 'Dependencies', 'dependencies', nameKey),
  jsmServiceIds: list(jsmServiceId, SERVICE_LIMITS.jsmServiceIds, 'JSM services', 'JSM services', (id) => id),
  components: list(listSafeText('A component', SERVICE_LIMITS.listItem), SERVICE_LIMITS.components, 'Components', 'components', nameKey),
  labels: list(label, SERVICE_LIMITS.labels, 'Labels', 'labels', (value) => value.toLowerCase()),
};

/** RTO and RPO left empty take the tier band's defaults; the rest passes through. */
export function withTierDefaults<T extends { tier: Tier; rto?: number; rpo?: number }>(bands: TierBands) {
  return ({ rto, rpo, ...rest }: T) => {
    const defaults = defaultsForTier(rest.tier, bands);
    return { ...rest, rtoMinutes: rto ?? defaults.rtoMinutes, rpoMinutes: rpo ?? defaults.rpoMinutes };
  };
}

/** The catalogue form: `rto` and `rpo` are durations ("4h" or minutes), empty for the tier's default. */
export function serviceInputSchema(bands: TierBands = DEFAULT_TIER_BANDS) {
  return z
    .object({ ...serviceFields, ownerAccountId: accountId }, { error: 'A service must be an object.' })
    .transform((fields): ServiceInput => {
      const { ownerAccountId, ...rest } = withTierDefaults<typeof fields>(bands)(fields);
      return ownerAccountId === undefined ? rest : { ...rest, ownerAccountId };
    });
}

/** Validates a service from the form; throws INVALID_INPUT naming the first bad field. */
export function parseServiceInput(input: unknown, bands: TierBands = DEFAULT_TIER_BANDS): ServiceInput {
  return parseOrRefuse(serviceInputSchema(bands), input, '', 'A service must be an object.', 'service');
}

/** Like parseServiceInput, but answers with the problem instead of throwing (for forms that show every row). */
export function checkServiceInput(input: unknown, bands: TierBands = DEFAULT_TIER_BANDS): { ok: true; value: ServiceInput } | ({ ok: false } & FieldProblem) {
  const parsed = serviceInputSchema(bands).safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, ...firstProblem(parsed.error, '', 'A service must be an object.', 'service') };
}
