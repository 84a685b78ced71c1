/**
 * Communications during an invocation: filling a plan's templates with the incident's facts, the
 * update cadence by tier, and the timeline record of a posted update. Pure; the caller turns the text
 * into ADF with Atlassian's builders (so nothing here escapes HTML) and posts it once (see idempotency.ts).
 */
import type { CommsTemplate, Tier } from './catalogue';
import { invalidInput } from './errors';
import { formatInstant } from './format';
import type { Invocation } from './invocation';
import { requireActor, stripControl } from './text';
import { appendTimeline } from './timeline';

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

/** How often stakeholders get an update while an invocation is open, by the service's tier. */
export const COMMS_CADENCE_MINUTES: Readonly<Record<Tier, number>> = { 1: 30, 2: 60, 3: 240 };

/**
 * When the next update is due: the first multiple of the tier's cadence after the incident's start that
 * is strictly after `now` (an update due exactly now is the one being posted, so the next one is due).
 */
export function nextUpdateDue(startedAt: number, tier: Tier, now: number): number {
  if (!Object.prototype.hasOwnProperty.call(COMMS_CADENCE_MINUTES, tier)) {
    throw invalidInput(`Unknown tier ${JSON.stringify(tier)}; expected 1, 2 or 3.`, 'tier');
  }
  const cadenceMs = COMMS_CADENCE_MINUTES[tier] * 60_000;
  const periods = Math.max(1, Math.floor((now - startedAt) / cadenceMs) + 1);
  return startedAt + periods * cadenceMs;
}

/** Records a posted update on the timeline (kind 'comment-posted'); allowed in any state (the "we are back" update). */
export function recordCommsPosted(invocation: Invocation, templateId: string, audience: CommsTemplate['audience'], actor: string, now: number): Invocation {
  if (typeof templateId !== 'string' || templateId.trim() === '') throw invalidInput('A template id is required.', 'templateId');
  if (audience !== 'internal' && audience !== 'public') throw invalidInput(`Unknown audience ${JSON.stringify(audience)}.`, 'audience');
  requireActor(actor);
  const what = audience === 'public' ? 'a public update' : 'an internal update';
  return appendTimeline(invocation, { actor, kind: 'comment-posted', detail: `Posted ${what} from template ${templateId}.` }, now);
}
