/**
 * Findings: what a postmortem says the plan should learn, fed back to the plan page as one footer
 * comment that mentions the plan's owner. From the same input as the postmortem:
 *   - a service that missed its RTO;
 *   - every skipped step, with the reason given;
 *   - every step that ran well over its expected duration: actual > expected × overrunRatio and at least
 *     minOverrunMinutes over (so "3 min instead of 1" is not a finding); a step expected to take 0 min
 *     overran when it took minOverrunMinutes or more. Actual durations are postmortem-input.stepOutcomes';
 *   - the Lessons people wrote on the published postmortem page, when there are any.
 */
import { bulletList, doc, link, listItem, mention, p, strong, text } from '@atlaskit/adf-utils/builders';
import type { DocNode, Inline, ListItemDefinition } from '@atlaskit/adf-schema';
import { invalidInput } from '../errors';
import { lines, phrase, safeHref, words } from './adf-write';
import { formatMinutes } from './duration';
import { cleanLine, LIMITS, truncate } from './page-text';
import { humanSectionText } from './postmortem';
import { rtoOutcome, stepOutcomes, type PostmortemInput } from './postmortem-input';

interface PlanRef {
  planId: string;
  planTitle: string;
  serviceName: string;
}

export type Finding =
  | (PlanRef & { kind: 'rto-missed'; rtoMinutes: number; achievedMinutes: number; overMinutes: number })
  | (PlanRef & { kind: 'step-skipped'; stepId: string; stepTitle: string; reason: string; byName: string })
  | (PlanRef & { kind: 'step-overran'; stepId: string; stepTitle: string; expectedMinutes: number; actualMinutes: number })
  /** Incident-wide: applies to every plan the incident invoked. */
  | { kind: 'lessons'; text: string };

export interface FindingsOptions {
  /** A step overran when it took more than expected × this (e.g. 1.5). At least 1. */
  overrunRatio: number;
  /** …and at least this many minutes more than expected. Default 5. */
  minOverrunMinutes?: number;
  /** The postmortem page as published (ADF), for the Lessons people wrote on it. */
  postmortemPage?: unknown;
}

/** Lessons longer than this are cut in the comment (the postmortem has them whole). */
export const MAX_LESSONS_CHARS = 2_000;

export function findingsFromPostmortem(input: PostmortemInput, options: FindingsOptions): Finding[] {
  const ratio = options.overrunRatio;
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 1) throw invalidInput('overrunRatio must be a number of at least 1.', 'overrunRatio');
  const minOver = options.minOverrunMinutes ?? 5;
  if (!Number.isFinite(minOver) || minOver < 0) throw invalidInput('minOverrunMinutes must be a number of minutes.', 'minOverrunMinutes');
  const out: Finding[] = [];
  for (const inv of input.invocations) {
    const ref: PlanRef = { planId: inv.planId, planTitle: cleanLine(inv.plan.title), serviceName: cleanLine(inv.service.name) };
    const outcome = rtoOutcome(inv, input.publishedAt);
    if (outcome.kind === 'missed') out.push({ ...ref, kind: 'rto-missed', rtoMinutes: outcome.rtoMinutes, achievedMinutes: outcome.achievedMinutes, overMinutes: outcome.overMinutes });
    const outcomes = stepOutcomes(inv);
    for (const o of outcomes) {
      if (o.status === 'skipped') out.push({ ...ref, kind: 'step-skipped', stepId: o.step.id, stepTitle: cleanLine(o.step.title), reason: cleanLine(o.step.record?.reason ?? ''), byName: cleanLine(o.step.record?.byName ?? '') });
    }
    for (const o of outcomes) {
      if (o.actualMinutes === undefined) continue;
      const expected = Math.max(0, o.step.expectedMinutes);
      if (o.actualMinutes - expected >= minOver && o.actualMinutes > expected * ratio) {
        out.push({ ...ref, kind: 'step-overran', stepId: o.step.id, stepTitle: cleanLine(o.step.title), expectedMinutes: expected, actualMinutes: o.actualMinutes });
      }
    }
  }
  const lessons = options.postmortemPage === undefined ? '' : humanSectionText(options.postmortemPage, 'Lessons');
  if (lessons !== '') out.push({ kind: 'lessons', text: lessons });
  return out;
}

/** The findings that concern one plan: its own and the incident-wide ones (lessons). */
export function findingsForPlan(findings: readonly Finding[], planId: string): Finding[] {
  return findings.filter((f) => f.kind === 'lessons' || f.planId === planId);
}

const LABELS: Readonly<Record<Finding['kind'], string>> = {
  'rto-missed': 'RTO missed',
  'step-skipped': 'Step skipped',
  'step-overran': 'Step overran',
  lessons: 'Lessons',
};

/** One finding as a sentence (without its label). */
export function findingText(finding: Finding): string {
  switch (finding.kind) {
    case 'rto-missed':
      return `${finding.serviceName} recovered in ${formatMinutes(finding.achievedMinutes)} against an RTO of ${formatMinutes(finding.rtoMinutes)}: missed by ${formatMinutes(finding.overMinutes)}.`;
    case 'step-skipped':
      return `"${finding.stepTitle}" (${finding.serviceName}) was skipped${finding.byName ? ` by ${finding.byName}` : ''}: ${finding.reason || 'no reason given'}.`;
    case 'step-overran':
      return `"${finding.stepTitle}" (${finding.serviceName}) took ${formatMinutes(finding.actualMinutes)}; the plan expects ${formatMinutes(finding.expectedMinutes)}.`;
    case 'lessons':
      return truncate(finding.text, MAX_LESSONS_CHARS);
  }
}

export interface FindingsCommentOptions {
  /** The plan owner's Atlassian account id; mentioned so they are notified. */
  ownerAccountId?: string;
  postmortemUrl: string;
  incidentKey: string;
  drill?: boolean;
}

/** Atlassian account ids: "557058:f58131cb-…", "5b10ac8d82e05b22cc7d4ef5", "qm:…". Anything else is not mentioned. */
const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9:_-]{0,127}$/u;

function postmortemLink(url: string | undefined): Inline[] {
  return url ? [...phrase(' ('), link({ href: url })(text('postmortem')) as Inline, ...phrase(')')] : [];
}

function findingItem(finding: Finding, url: string | undefined): ListItemDefinition {
  const label = strong(LABELS[finding.kind]) as Inline;
  if (finding.kind === 'lessons') {
    return listItem([p(label, ...phrase(' from the postmortem'), ...postmortemLink(url), ...phrase(':')), ...lines(findingText(finding), MAX_LESSONS_CHARS + 1)]);
  }
  return listItem([p(label, ...phrase(`: ${findingText(finding)}`, LIMITS.paragraph), ...postmortemLink(url))]);
}

/**
 * The footer comment for a plan page: who should look (the owner, mentioned), where the findings come
 * from (the incident, linked to the postmortem) and one list item per finding, each linking to the
 * postmortem. Links are made only from an http(s) postmortemUrl; a mention only from a well-formed
 * account id. With no findings it says so.
 */
export function findingsCommentAdf(findings: readonly Finding[], options: FindingsCommentOptions): DocNode {
  const url = safeHref(options.postmortemUrl);
  const owner = options.ownerAccountId && ACCOUNT_ID.test(options.ownerAccountId) ? [mention({ id: options.ownerAccountId, text: '@plan owner' })] : words('Plan owner');
  const source = url ? [link({ href: url })(text(cleanLine(options.incidentKey) || 'the incident')) as Inline] : words(options.incidentKey);
  const kind = options.drill ? 'the exercise (drill) ' : '';
  const intro = p(...phrase(`Findings from the postmortem of ${kind}`), ...source, ...phrase('. '), ...owner, ...phrase(findings.length > 0 ? ', please review this plan against them.' : ': nothing to change in this plan.'));
  if (findings.length === 0) return doc(intro);
  return doc(intro, bulletList(...findings.map((f) => findingItem(f, url))));
}
