/**
 * The app's continuity settings as they arrive from the admin page or from storage: validated with
 * zod, and refused with INVALID_INPUT naming the first bad field as a dotted path ('p1Priorities.0',
 * 'fallbackMappings.3.serviceId'), so the form can put the message next to the field.
 */
import { z } from 'zod';
import { costThresholdsSchema } from './bia';
import { invalidInput } from './errors';
import type { ContinuitySettings } from './incident';
import { stripControl } from './text';
import { commsCadenceSchema, reviewCadenceSchema, tierBandsSchema } from './tiers';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const SETTINGS_LIMITS = {
  projectKeys: 50,
  issueTypeNames: 50,
  requestTypeNames: 50,
  p1Priorities: 20,
  fallbackMappings: 200,
  text: 100,
} as const;

/** Jira's own rule for project keys: an upper-case letter, then 1–9 upper-case letters, digits or underscores. */
export const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

/** "X is required." when the value is missing, else "X must be <expected>.". */
const typeError = (what: string, expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${what} is required.` : `${what} must be ${expected}.`;

/** A name (issue type, request type, priority, component, label, service id): control characters removed, trimmed, 1–100 characters. */
const name = (what: string) =>
  z
    .string({ error: typeError(what, 'text') })
    .transform((s) => stripControl(s).trim())
    .pipe(
      z
        .string()
        .min(1, { error: `${what} must not be empty.` })
        .max(SETTINGS_LIMITS.text, { error: `${what} must be at most ${SETTINGS_LIMITS.text} characters.` }),
    );

const list = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.array(item, { error: typeError(what, 'a list') }).max(max, { error: `At most ${max} ${what.toLowerCase()}.` });

export const fallbackMappingSchema = z.object({
  kind: z.enum(['component', 'label'], { error: 'Kind must be "component" or "label".' }),
  value: name('A component or label'),
  serviceId: name('A service id'),
});

export const settingsSchema = z.object({
  projectKeys: list(
    z
      .string({ error: typeError('A project key', 'text') })
      .trim()
      .regex(PROJECT_KEY, { error: 'A project key is 2–10 characters: an upper-case letter, then upper-case letters, digits or _.' }),
    SETTINGS_LIMITS.projectKeys,
    'Project keys',
  ),
  issueTypeNames: list(name('An issue type name'), SETTINGS_LIMITS.issueTypeNames, 'Issue types'),
  /** Optional for settings stored before request types existed; always present after parsing. */
  requestTypeNames: list(name('A request type name'), SETTINGS_LIMITS.requestTypeNames, 'Request types').default([]),
  p1Priorities: list(name('A priority'), SETTINGS_LIMITS.p1Priorities, 'Priorities'),
  majorIncidentQualifies: z.boolean({ error: typeError('Major incident qualifies', 'true or false') }),
  /** Optional for settings stored before mappings existed; always present after parsing. */
  fallbackMappings: list(fallbackMappingSchema, SETTINGS_LIMITS.fallbackMappings, 'Fallback mappings').default([]),
  tierBands: tierBandsSchema.optional(),
  commsCadence: commsCadenceSchema.optional(),
  reviewCadence: reviewCadenceSchema.optional(),
  managerGroups: list(name('A group name'), 20, 'Service Continuity Manager groups').optional(),
  siteTimeZone: z
    .string({ error: typeError('The site time zone', 'text') })
    .refine((zone) => isTimeZone(zone), { error: 'The site time zone must be an IANA time zone such as Europe/London or UTC.' })
    .optional(),
  changeIssueTypeNames: list(name('A change request type'), SETTINGS_LIMITS.issueTypeNames, 'Change request types').optional(),
  planSpaceKey: z
    .string({ error: typeError('The plan space key', 'text') })
    .trim()
    .regex(/^[A-Za-z0-9~]{1,255}$/, { error: 'The plan space key is the space key Confluence shows (letters and digits), such as CONT.' })
    .optional(),
  planParentPageId: z
    .string({ error: typeError('The parent page', 'text') })
    .trim()
    .regex(/^\d{1,19}$/, { error: 'The parent page is a Confluence page id (digits).' })
    .optional(),
  postmortemSpaceKey: z
    .string({ error: typeError('The postmortem space key', 'text') })
    .trim()
    .regex(/^[A-Za-z0-9~]{1,255}$/, { error: 'The postmortem space key is the space key Confluence shows (letters and digits), such as CONT.' })
    .optional(),
  postmortemParentPageId: z
    .string({ error: typeError('The postmortems parent page', 'text') })
    .trim()
    .regex(/^\d{1,19}$/, { error: 'The postmortems parent page is a Confluence page id (digits).' })
    .optional(),
  postmortemOnRecovery: z.boolean({ error: typeError('Publish the postmortem on recovery', 'true or false') }).optional(),
  drillProjectKey: z
    .string({ error: typeError('The drill project key', 'text') })
    .trim()
    .regex(PROJECT_KEY, { error: 'The drill project key is 2–10 characters: an upper-case letter, then upper-case letters, digits or _.' })
    .optional(),
  drillIssueTypeName: name('The drill issue type').optional(),
  followUpIssueTypeName: name('The follow-up issue type').optional(),
  /** null (the form's "no thresholds") is none, like an empty place (see EMPTY_IS_NONE). */
  costThresholds: costThresholdsSchema
    .nullable()
    .transform((t) => t ?? undefined)
    .optional(),
}) satisfies z.ZodType<ContinuitySettings, unknown>;

export type ParsedSettings = z.output<typeof settingsSchema>;

/**
 * Settings a form leaves empty for "none" (a Confluence place, a project or issue type whose default then
 * applies): empty is the setting cleared. The key stays, undefined, so that a save laid over the stored
 * settings clears it too.
 */
export const EMPTY_IS_NONE: readonly string[] = ['planSpaceKey', 'planParentPageId', 'postmortemSpaceKey', 'postmortemParentPageId', 'drillProjectKey', 'drillIssueTypeName', 'followUpIssueTypeName'];

function withoutEmpty(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out = { ...(input as Record<string, unknown>) };
  for (const key of EMPTY_IS_NONE) if (typeof out[key] === 'string' && (out[key] as string).trim() === '') out[key] = undefined;
  return out;
}

/**
 * Validates settings from outside (the admin form, storage). Strings come back trimmed; unknown keys are
 * dropped; `requestTypeNames` and `fallbackMappings` default to []. Throws INVALID_INPUT whose field is the first bad path
 * ('settings' when the input is not an object at all).
 */
export function parseSettings(input: unknown): ParsedSettings {
  const parsed = settingsSchema.safeParse(withoutEmpty(input));
  if (parsed.success) return parsed.data;
  // Every field at fault, once each in form order, so the form can show them all at once.
  const faults = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'settings';
    const message = issue.code === 'invalid_type' && issue.path.length === 0 ? 'Settings must be an object.' : issue.message;
    if (!faults.has(field)) faults.set(field, message);
  }
  const [[field, message], ...others] = [...faults.entries()];
  throw invalidInput(message ?? 'Invalid settings.', field, others.map(([f, m]) => ({ field: f, message: m })));
}
