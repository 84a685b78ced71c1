/**
 * Communications during an invocation: filling a plan's templates with the incident's facts, and when
 * the next update is due (the tier's cadence from the last update). Pure; the caller turns the text
 * into ADF with Atlassian's builders (so nothing here escapes HTML) and posts it once (see idempotency.ts).
 */
import type { CommsTemplate, Tier } from './catalogue';
import { DEFAULT_COMMS_CADENCE, nextUpdateDueAt, type CommsCadence } from './tiers';
import { invalidInput } from './errors';
import { formatInstant } from './format';
import { stripControl } from './text';

export interface CommsFacts {
  /** The affected service's name. */
  service: string;
  /** The agent's words on the impact. */
  impact: string;
  /** When the incident started (epoch ms). */
  startTime: number;
  /** When the next update is due (epoch ms), e.g. from nextUpdateDue. */
  nextUpdate: number;
  incidentKey: string;
  rtoDueAt: number;
  /** IANA time zone the times are written in; UTC when absent. */
  timeZone?: string;
}

export interface FilledTemplate {
  text: string;
  /** Placeholders the template uses that the app does not know, whole and as written (e.g. `{{servce}}`), in order of first use. */
  unknown: string[];
}

/** The placeholders a template may use. */
export const PLACEHOLDERS = ['service', 'impact', 'startTime', 'nextUpdate', 'incidentKey', 'rtoDue'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** `{{name}}`, with optional spaces inside the braces. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/**
 * Fills `{{placeholders}}` (names case-insensitive, spaces inside the braces allowed) in one pass, so a
 * value that itself contains `{{…}}` is never expanded. Unknown placeholders stay visible as written, so
 * a typo shows in the preview instead of vanishing, and are listed in `unknown`. Control characters are
 * stripped from the values and from the result.
 */
export function fillTemplate(template: CommsTemplate, facts: CommsFacts): FilledTemplate {
  const timeZone = facts.timeZone ?? 'UTC';
  const values: Record<Placeholder, () => string> = {
    service: () => stripControl(facts.service),
    impact: () => stripControl(facts.impact),
    incidentKey: () => stripControl(facts.incidentKey),
    startTime: () => formatInstant(facts.startTime, timeZone),
    nextUpdate: () => formatInstant(facts.nextUpdate, timeZone),
    rtoDue: () => formatInstant(facts.rtoDueAt, timeZone),
  };
  const byLowerName = new Map<string, Placeholder>(PLACEHOLDERS.map((p) => [p.toLowerCase(), p]));
  const unknown: string[] = [];
  const text = stripControl(template.body).replace(PLACEHOLDER, (whole: string, name: string) => {
    const known = byLowerName.get(name.trim().toLowerCase());
    if (known) return values[known]();
    if (!unknown.includes(whole)) unknown.push(whole);
    return whole;
  });
  return { text: stripControl(text), unknown };
}

/** Whether the next stakeholder update is on track, due soon (amber) or overdue (red). */
export type UpdateDueState = 'on-track' | 'due-soon' | 'overdue';

export interface UpdateDue {
  /** When the next update is due (epoch ms): the tier's cadence after the last update, or after the start. */
  dueAt: number;
  /** The last update counted (epoch ms), absent when none was posted yet. */
  lastUpdateAt?: number;
  cadenceMinutes: number;
  state: UpdateDueState;
}

/**
 * When the next stakeholder update is due: the tier's cadence (settings.commsCadence) after the last
 * update posted (through the panel, or a public reply an agent wrote in Jira), or after the incident's
 * start when there was none. Amber in the last quarter of the interval, red once it has passed.
 */
export function updateDue(startedAt: number, lastUpdateAt: number | undefined, tier: Tier, now: number, cadence: CommsCadence = DEFAULT_COMMS_CADENCE): UpdateDue {
  if (!Object.prototype.hasOwnProperty.call(cadence, tier)) {
    throw invalidInput(`Unknown tier ${JSON.stringify(tier)}; expected 1, 2 or 3.`, 'tier');
  }
  // An update posted before the incident's start (a clock skew) does not move the first deadline earlier.
  const from = lastUpdateAt !== undefined && lastUpdateAt > startedAt ? lastUpdateAt : startedAt;
  const dueAt = nextUpdateDueAt(tier, from, cadence);
  const quarter = (cadence[tier] * 60_000) / 4;
  const state: UpdateDueState = now >= dueAt ? 'overdue' : now >= dueAt - quarter ? 'due-soon' : 'on-track';
  return { dueAt, ...(lastUpdateAt !== undefined ? { lastUpdateAt } : {}), cadenceMinutes: cadence[tier], state };
}

/** What an update says of the impact when the agent left the box empty. */
export const IMPACT_UNDER_ASSESSMENT = 'under assessment';

/**
 * The update's text: the template filled with the incident's facts. The agent's words on the impact are
 * never dropped: a template without `{{impact}}` gets them appended as a last line ("Impact: …"); one
 * with it says "under assessment" when the agent wrote nothing.
 */
export function composeUpdate(template: CommsTemplate, facts: CommsFacts): FilledTemplate {
  const impact = stripControl(facts.impact).trim();
  if (usesImpact(template)) return fillTemplate(template, { ...facts, impact: impact || IMPACT_UNDER_ASSESSMENT });
  const filled = fillTemplate(template, facts);
  return impact === '' ? filled : { ...filled, text: `${filled.text}\nImpact: ${impact}` };
}

/** Whether the template has a place for the agent's words on the impact. */
export function usesImpact(template: Pick<CommsTemplate, 'body'>): boolean {
  return /\{\{\s*impact\s*\}\}/i.test(template.body);
}
