/** ADF documents the app writes to Jira, built with Atlassian's own builders (never by string). */
import { doc, p, text, strong, link, orderedList, listItem, mention } from '@atlaskit/adf-utils/builders';
import type { ContinuityPlan, Service } from './catalogue';
import type { Invocation } from './invocation';

const FIRST_STEPS = 3;

export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The one internal comment posted when a plan is invoked: plan, RTO due time, first steps. */
export function invocationComment(invocation: Invocation, plan: ContinuityPlan, service: Service): object {
  const due = new Date(invocation.rtoDueAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const intro = [
    text('Continuity plan '),
    link({ href: plan.pageUrl })(strong(plan.title)),
    text(` invoked for ${service.name}. RTO ${formatMinutes(invocation.rtoMinutes)}: recover by `),
    strong(due),
    text(`. RPO ${formatMinutes(invocation.rpoMinutes)}.`),
  ];
  if (plan.ownerAccountId) intro.push(text(' Plan owner: '), mention({ id: plan.ownerAccountId, text: '@plan owner' }));
  const content = [p(...intro)];
  const steps = plan.steps.slice(0, FIRST_STEPS);
  if (steps.length > 0) {
    content.push(p(strong('First steps')));
    content.push(orderedList()(...steps.map((s) => listItem([p(text(`${s.title} (${s.role}, ~${formatMinutes(s.expectedMinutes)})`))]))) as never);
  }
  return doc(...content);
}
