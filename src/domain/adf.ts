/** ADF documents the app writes to Jira, built with Atlassian's own builders (never by string). */
import { doc, p, text, strong, link, orderedList, listItem, mention } from '@atlaskit/adf-utils/builders';
import { formatInstant } from './format';
import type { Invocation } from './invocation';

const FIRST_STEPS = 3;

export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/**
 * The one internal comment posted when a plan is invoked: plan, RTO due time, first steps. Comments are
 * read by many people in many places, so times are written in the site's time zone (settings), labelled.
 */
export function invocationComment(invocation: Invocation, timeZone = 'UTC'): object {
  const { plan, service } = invocation;
  const due = formatInstant(invocation.rtoDueAt, timeZone);
  const limitedBy = slowestDependency(invocation);
  // The committed RTO comes first, as on the panel: a slower dependency must never read as more time.
  const clocks = limitedBy
    ? [
        text(` invoked for ${service.name}. Committed RTO ${formatMinutes(invocation.ownRtoMinutes)}: recover by `),
        strong(formatInstant(invocation.startedAt + invocation.ownRtoMinutes * 60_000, timeZone)),
        text(
          `. ${service.name} cannot meet it unless ${limitedBy.dependencyName} recovers sooner: through ${limitedBy.dependencyName} (own RTO ${formatMinutes(limitedBy.dependencyRtoMinutes)}) the effective RTO is ${formatMinutes(invocation.rtoMinutes)}, by `,
        ),
        strong(due),
      ]
    : [text(` invoked for ${service.name}. RTO ${formatMinutes(invocation.rtoMinutes)}: recover by `), strong(due)];
  const intro = [
    text('Continuity plan '),
    plan.pageUrl ? link({ href: plan.pageUrl })(strong(plan.title)) : strong(plan.title),
    ...clocks,
    text(`. RPO ${formatMinutes(invocation.rpoMinutes)}.`),
  ];
  if (plan.ownerAccountId) intro.push(text(' Plan owner: '), mention({ id: plan.ownerAccountId, text: '@plan owner' }));
  // A draft is invoked all the same (a draft at 3 a.m. beats nothing), but nobody should mistake it for an approved plan.
  if (plan.status === 'draft') intro.unshift(strong('DRAFT plan'), text(' (not yet approved). '));
  if (invocation.isDrill) intro.unshift(...drillLead());
  const content = [p(...intro)];
  const steps = plan.steps.slice(0, FIRST_STEPS);
  if (steps.length > 0) {
    content.push(p(strong('First steps')));
    content.push(orderedList()(...steps.map((s) => listItem([p(text(`${s.title} (${s.role}, ~${formatMinutes(s.expectedMinutes)})`))]))) as never);
  }
  return doc(...content);
}

/** The dependency that makes the effective RTO slower than the service's own, when one does. */
function slowestDependency(invocation: Invocation) {
  if (invocation.rtoMinutes <= invocation.ownRtoMinutes) return undefined;
  return [...invocation.inversions].sort((a, b) => b.dependencyRtoMinutes - a.dependencyRtoMinutes)[0];
}

/** Opens everything the app writes on an exercise issue, so nobody mistakes a drill for an outage. */
function drillLead() {
  return [strong('DRILL'), text(' (an exercise, not an outage). ')];
}

/** A communication update: the filled template's lines as paragraphs (plain text, never markup). */
export function commsComment(templateName: string, text_: string, drill = false): object {
  const lines = text_.split(/\r?\n/).filter((l) => l.trim() !== '');
  return doc(p(...(drill ? drillLead() : []), strong(templateName)), ...lines.map((l) => p(text(l))));
}

/** The RTO warning comment, mentioning the plan owner so they are notified. */
export function warningComment(threshold: 'rto-75' | 'rto-breached', invocation: Invocation, timeZone = 'UTC'): object {
  const { plan } = invocation;
  const due = formatInstant(invocation.rtoDueAt, timeZone);
  const head =
    threshold === 'rto-breached'
      ? [strong('RTO breached: '), text(`${plan.title} did not recover within its RTO of ${formatMinutes(invocation.rtoMinutes)} (due ${due}).`)]
      : [strong('75 % of the RTO has passed: '), text(`${plan.title} must recover by ${due} (RTO ${formatMinutes(invocation.rtoMinutes)}).`)];
  const owner = plan.ownerAccountId ? [text(' '), mention({ id: plan.ownerAccountId, text: '@plan owner' })] : [];
  return doc(p(...(invocation.isDrill ? drillLead() : []), ...head, ...owner));
}
