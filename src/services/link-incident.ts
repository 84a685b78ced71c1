/**
 * The heart of the trigger path: given an incident, invoke the continuity plan of every affected
 * service exactly once and write the link to Jira (issue property, remote link, one internal comment).
 * Every step is idempotent, so duplicate, reordered or retried events (and the automation action)
 * converge on the same result, and running it again repairs whatever an earlier run failed to write.
 * An incident that stops qualifying has its open invocations stood down; one that qualifies again has
 * them reopened. A resolved incident is left as it is.
 */
import type { ContinuityPlan, Service } from '../domain/catalogue';
import { affectedServices, qualify, type Qualification } from '../domain/incident';
import { invocationComment } from '../domain/adf';
import { ISSUE_PROPERTY_KEY } from '../domain/idempotency';
import { issueProperty, newInvocation, remoteLinkGlobalId, withTimeline, type Invocation } from '../domain/invocation';
import { reopenBecauseQualifiesAgain, standDownBecauseNotQualifying } from '../domain/recovery';
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
  /** Work out what would happen, writing nothing (a panel opened by someone who cannot edit). */
  dryRun?: boolean;
}

export type LinkOutcome = { issueKey: string } & (
  | { kind: 'not-qualifying'; qualification: Extract<Qualification, { qualifies: false }>; stoodDown: Invocation[] }
  | { kind: 'no-service'; catalogueEmpty: boolean }
  | { kind: 'linked'; invocations: Invocation[]; servicesWithoutPlan: Service[] }
  | { kind: 'would-link'; plans: ContinuityPlan[]; servicesWithoutPlan: Service[] }
);

export async function linkIncidentToPlans(issueIdOrKey: string, deps: LinkDeps, options: LinkOptions = {}): Promise<LinkOutcome> {
  const { store, jira, clock } = deps;
  const incident = await jira.getIncident(issueIdOrKey);
  const settings = await store.getSettings();
  const qualification = qualify(incident, settings);
  if (!qualification.qualifies && !options.force) {
    // A resolved incident keeps its invocations as they are: its recovery is history, not a false alarm.
    const stoodDown = qualification.resolved || options.dryRun ? [] : await standDownOpenInvocations(incident.issueId, qualification.reason, deps);
    return { issueKey: incident.issueKey, kind: 'not-qualifying', qualification, stoodDown };
  }

  const catalogue = await store.listServices();
  const byId = new Map(catalogue.map((s) => [s.id, s]));
  const targets = await chooseTargets(options, incident, catalogue, settings, store);
  if (targets.length === 0) return { issueKey: incident.issueKey, kind: 'no-service', catalogueEmpty: catalogue.length === 0 };
  const servicesWithoutPlan = targets.filter((t) => !t.plan).map((t) => t.service);
  const withPlan = targets.filter((t): t is { service: Service; plan: ContinuityPlan } => Boolean(t.plan));
  if (options.dryRun) return { issueKey: incident.issueKey, kind: 'would-link', plans: withPlan.map((t) => t.plan), servicesWithoutPlan };

  // Forced: a rule invoked a plan the settings would not, so the settings must not stand it down.
  const forced = options.force === true && !qualification.qualifies;
  const why = options.force ? 'an automation rule invoked the plan again' : 'the incident qualifies again';
  const stored: Array<{ invocation: Invocation; plan: ContinuityPlan; service: Service }> = [];
  for (const { service, plan } of withPlan) {
    const candidate = newInvocation(incident, service, plan, effectiveRto(service.id, byId), clock.now(), forced);
    let { invocation } = await store.createInvocation(candidate);
    const reopenable = invocation.state === 'stood-down' && invocation.stoodDownBy === 'app';
    if (reopenable || (forced && invocation.state === 'open' && !invocation.forced)) {
      invocation = await store.updateInvocation(invocation.id, (cur) => {
        let next = reopenBecauseQualifiesAgain(cur, why, clock.now());
        if (forced && next.state === 'open' && !next.forced) next = { ...next, forced: true };
        return next === cur ? null : next;
      });
    }
    stored.push({ invocation, plan, service });
  }

  const linked: Invocation[] = [];
  try {
    for (const item of stored) linked.push(await writeLinkToJira(item.invocation, item.plan, item.service, deps));
  } finally {
    // Even when a link or comment failed (the watch repairs those), JQL must find the stored invocations.
    if (stored.length > 0) await syncIssueProperty(incident.issueId, deps);
  }
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
  // An invocation an automation rule forced does not depend on the settings' qualification.
  const open = (await deps.store.invocationsForIssue(issueId)).filter((i) => i.state === 'open' && !i.forced);
  const stood: Invocation[] = [];
  for (const inv of open) {
    stood.push(
      await deps.store.updateInvocation(inv.id, (cur) => {
        if (cur.state !== 'open' || cur.forced) return null;
        return standDownBecauseNotQualifying(cur, reason, deps.clock.now());
      }),
    );
  }
  if (stood.length > 0) await syncIssueProperty(issueId, deps);
  return stood;
}

const MAX_PROPERTY_WRITES = 3;

/**
 * Rewrites the indexed issue property from every invocation stored for the issue, then reads the
 * invocations again and rewrites if they changed meanwhile: two runs writing at once may land in
 * either order, but whichever writes last also checks last, so the property converges on the stored
 * state. Throws if Jira refuses; callers that must not fail use syncIssueProperty.
 */
export async function writeIssueProperty(issueId: string, deps: LinkDeps): Promise<void> {
  let written: string | undefined;
  for (let round = 0; round < MAX_PROPERTY_WRITES; round++) {
    const value = JSON.stringify(issueProperty(await deps.store.invocationsForIssue(issueId)));
    if (value === written) return;
    await deps.jira.setIssueProperty(issueId, ISSUE_PROPERTY_KEY, JSON.parse(value));
    written = value;
  }
  // Still changing after several rounds (a busy incident): let the scheduled watch finish the job.
  await deps.store.markPropertyStale(issueId, deps.clock.now());
}

/**
 * Writes the issue property, and if Jira fails (rate limit, outage) notes the issue for the scheduled
 * watch instead of failing: the invocation is already stored, and failing here would tell the user
 * their action was lost when it was not (and a retry would then be refused as a duplicate).
 */
export async function syncIssueProperty(issueId: string, deps: LinkDeps): Promise<boolean> {
  try {
    await writeIssueProperty(issueId, deps);
    return true;
  } catch (error) {
    console.warn(`Issue property of ${issueId} not written (${(error as Error).message}); the RTO watch will retry.`);
    await deps.store.markPropertyStale(issueId, deps.clock.now());
    return false;
  }
}

/** Whether an invocation still lacks its remote link or its invocation comment. */
export function needsJiraRepair(invocation: Invocation): boolean {
  return !invocation.jiraWrites.remoteLinkId || !invocation.jiraWrites.comments.invoked?.id;
}

/**
 * Writes whatever an earlier run failed to write to Jira for this invocation (remote link, invocation
 * comment). Both writes are idempotent, so repairing one that is complete changes nothing.
 */
export async function repairJiraWrites(invocation: Invocation, deps: LinkDeps): Promise<Invocation> {
  if (!needsJiraRepair(invocation)) return invocation;
  const plan = await deps.store.getPlan(invocation.planId);
  const service = await deps.store.getService(invocation.serviceId);
  if (!plan || !service) return invocation; // deleted since: nothing meaningful to link to
  return writeLinkToJira(invocation, plan, service, deps);
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
  if (current.jiraWrites.comments.invoked?.id) return current;
  const posted = await postCommentOnce(
    current.id,
    'invoked',
    (inv) => ({ adf: invocationComment(inv, plan, service), internal: true }),
    deps,
    (inv) => withTimeline(inv, { at: clock.now(), actor: 'app', kind: 'comment-posted', detail: 'Posted the invocation comment (internal).' }),
  );
  return posted.invocation;
}
