/**
 * The heart of the trigger path: given an incident, invoke the continuity plan of every affected
 * service exactly once and write the link to Jira (issue property, remote link, one internal comment).
 * Every step is idempotent, so duplicate, reordered or retried events (and the automation action)
 * converge on the same result. An incident that stops qualifying has its open invocations stood down.
 */
import type { ContinuityPlan, Service } from '../domain/catalogue';
import { affectedServices, qualify, type Qualification } from '../domain/incident';
import { invocationComment } from '../domain/adf';
import { ISSUE_PROPERTY_KEY } from '../domain/idempotency';
import { issueProperty, newInvocation, remoteLinkGlobalId, withTimeline, type Invocation } from '../domain/invocation';
import { standDownBecauseNotQualifying } from '../domain/recovery';
import { effectiveRto } from '../domain/rto';
import { notFound } from '../domain/errors';
import type { Clock, ContinuityStore, JiraGateway } from '../ports';
import { postCommentOnce } from './post-once';

export interface LinkDeps {
  store: ContinuityStore;
  jira: JiraGateway;
  clock: Clock;
}

export interface LinkOptions {
  /** Invoke even if the incident does not qualify (an automation rule decided it should). */
  force?: boolean;
  /** Invoke this plan (id or title) only. */
  plan?: string;
  /** Invoke the plan of this service (id or name) only. */
  service?: string;
}

export type LinkOutcome = { issueKey: string } & (
  | { kind: 'not-qualifying'; qualification: Extract<Qualification, { qualifies: false }>; stoodDown: Invocation[] }
  | { kind: 'no-service'; catalogueEmpty: boolean }
  | { kind: 'linked'; invocations: Invocation[]; servicesWithoutPlan: Service[] }
);

export async function linkIncidentToPlans(issueIdOrKey: string, deps: LinkDeps, options: LinkOptions = {}): Promise<LinkOutcome> {
  const { store, jira, clock } = deps;
  const incident = await jira.getIncident(issueIdOrKey);
  const settings = await store.getSettings();
  const qualification = qualify(incident, settings);
  if (!qualification.qualifies && !options.force) {
    const stoodDown = await standDownOpenInvocations(incident.issueId, qualification.reason, deps);
    return { issueKey: incident.issueKey, kind: 'not-qualifying', qualification, stoodDown };
  }

  const catalogue = await store.listServices();
  const byId = new Map(catalogue.map((s) => [s.id, s]));
  const targets = await chooseTargets(options, incident, catalogue, settings, store);
  if (targets.length === 0) return { issueKey: incident.issueKey, kind: 'no-service', catalogueEmpty: catalogue.length === 0 };

  const invoked: Array<{ invocation: Invocation; plan: ContinuityPlan; service: Service }> = [];
  const servicesWithoutPlan: Service[] = [];
  for (const { service, plan } of targets) {
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

async function chooseTargets(
  options: LinkOptions,
  incident: Parameters<typeof affectedServices>[0],
  catalogue: Service[],
  settings: Parameters<typeof affectedServices>[2],
  store: ContinuityStore,
): Promise<Array<{ service: Service; plan?: ContinuityPlan }>> {
  const byId = new Map(catalogue.map((s) => [s.id, s]));
  if (options.plan) {
    const wanted = options.plan.trim().toLowerCase();
    let plan = await store.getPlan(options.plan.trim());
    if (!plan) {
      for (const service of catalogue) {
        const candidate = await store.planForService(service.id);
        if (candidate && candidate.title.toLowerCase() === wanted) plan = candidate;
      }
    }
    if (!plan || plan.status === 'retired') throw notFound(`Plan "${options.plan}"`, 'plan');
    const service = byId.get(plan.serviceId);
    if (!service) throw notFound(`The service of plan "${plan.title}"`, 'plan');
    return [{ service, plan }];
  }
  if (options.service) {
    const wanted = options.service.trim().toLowerCase();
    const service = catalogue.find((s) => s.id.toLowerCase() === wanted || s.name.toLowerCase() === wanted);
    if (!service) throw notFound(`Service "${options.service}"`, 'service');
    return [{ service, plan: await store.planForService(service.id) }];
  }
  const services = affectedServices(incident, catalogue, settings);
  return Promise.all(services.map(async (service) => ({ service, plan: await store.planForService(service.id) })));
}

async function standDownOpenInvocations(issueId: string, reason: string, deps: LinkDeps): Promise<Invocation[]> {
  const open = (await deps.store.invocationsForIssue(issueId)).filter((i) => i.state === 'open');
  const stood: Invocation[] = [];
  for (const inv of open) {
    stood.push(await deps.store.updateInvocation(inv.id, (cur) => (cur.state === 'open' ? standDownBecauseNotQualifying(cur, reason, deps.clock.now()) : null)));
  }
  if (stood.length > 0) await writeIssueProperty(issueId, deps);
  return stood;
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
  return posted.invocation;
}
