/**
 * The heart of the trigger path: given an incident, invoke the continuity plan of every affected
 * service exactly once and write the link to Jira (issue property, remote link, one internal comment).
 * Every step is idempotent, so duplicate, reordered or retried events converge on the same result.
 */
import type { ContinuityPlan, Service } from '../domain/catalogue';
import { affectedServices, qualify, type Qualification } from '../domain/incident';
import { invocationComment } from '../domain/adf';
import { issueProperty, newInvocation, remoteLinkGlobalId, withTimeline, type Invocation } from '../domain/invocation';
import { effectiveRto } from '../domain/rto';
import type { Clock, ContinuityStore, JiraGateway } from '../ports';
import { postCommentOnce } from './post-once';

export const ISSUE_PROPERTY_KEY = 'service-continuity';

export interface LinkDeps {
  store: ContinuityStore;
  jira: JiraGateway;
  clock: Clock;
}

export type LinkOutcome = { issueKey: string } & (
  | { kind: 'not-qualifying'; qualification: Extract<Qualification, { qualifies: false }> }
  | { kind: 'no-service' }
  | { kind: 'linked'; invocations: Invocation[]; servicesWithoutPlan: Service[] }
);

export async function linkIncidentToPlans(issueIdOrKey: string, deps: LinkDeps): Promise<LinkOutcome> {
  const { store, jira, clock } = deps;
  const incident = await jira.getIncident(issueIdOrKey);
  const qualification = qualify(incident, await store.getSettings());
  if (!qualification.qualifies) return { issueKey: incident.issueKey, kind: 'not-qualifying', qualification };

  const catalogue = await store.listServices();
  const services = affectedServices(incident, catalogue);
  if (services.length === 0) return { issueKey: incident.issueKey, kind: 'no-service' };

  const byId = new Map(catalogue.map((s) => [s.id, s]));
  const invoked: Array<{ invocation: Invocation; plan: ContinuityPlan; service: Service }> = [];
  const servicesWithoutPlan: Service[] = [];
  for (const service of services) {
    const plan = await store.planForService(service.id);
    if (!plan) {
      servicesWithoutPlan.push(service);
      continue;
    }
    const candidate = newInvocation(incident, service, plan, effectiveRto(service.id, byId), clock.now());
    const { invocation } = await store.createInvocation(candidate);
    invoked.push({ invocation, plan, service });
  }

  const linked: Invocation[] = [];
  for (const item of invoked) linked.push(await writeLinkToJira(item.invocation, item.plan, item.service, deps));
  if (linked.length > 0) await writeIssueProperty(incident.issueId, deps);
  return { issueKey: incident.issueKey, kind: 'linked', invocations: linked, servicesWithoutPlan };
}

/** Rewrites the indexed issue property from every invocation stored for the issue. */
export async function writeIssueProperty(issueId: string, deps: LinkDeps): Promise<void> {
  const all = await deps.store.invocationsForIssue(issueId);
  await deps.jira.setIssueProperty(issueId, ISSUE_PROPERTY_KEY, issueProperty(all));
}

async function writeLinkToJira(invocation: Invocation, plan: ContinuityPlan, service: Service, deps: LinkDeps): Promise<Invocation> {
  const { store, jira, clock } = deps;
  let current = invocation;
  if (!current.jiraWrites.remoteLinkId) {
    // Same globalId every time: Jira updates the link instead of adding a second one.
    const linkId = await jira.upsertRemoteLink(current.issueId, {
      globalId: remoteLinkGlobalId(current),
      url: plan.pageUrl,
      title: `Continuity plan: ${plan.title}`,
      summary: `${service.name}, RTO ${current.rtoMinutes} min`,
    });
    current = await store.updateInvocation(current.id, (inv) =>
      inv.jiraWrites.remoteLinkId
        ? null
        : withTimeline({ ...inv, jiraWrites: { ...inv.jiraWrites, remoteLinkId: linkId } }, { at: clock.now(), actor: 'app', kind: 'linked', detail: `Linked to plan page ${plan.title}.` }),
    );
  }
  const posted = await postCommentOnce(
    current.id,
    'invoked',
    (inv) => ({ adf: invocationComment(inv, plan, service), internal: true }),
    deps,
    (inv) => withTimeline(inv, { at: clock.now(), actor: 'app', kind: 'comment-posted', detail: 'Posted the invocation comment (internal).' }),
  );
  current = posted.invocation;
  return current;
}
