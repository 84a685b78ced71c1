/**
 * Drills on the Service continuity page: schedule an exercise of a plan, list upcoming and past ones,
 * run one, cancel one, and complete one whose automatic report was missed.
 *
 * Running a drill creates the exercise issue (as the person running it, in the project and issue type
 * the settings name) with the drill property in the create request, so the issue is a drill from its
 * very first event: the trigger and the watch's sweep leave it alone, and the run itself invokes the
 * plan on it through the same record and outbox as a real incident (services/link-incident with the
 * plan named and forced). The run is claimed on the drill first, so two clicks create one issue; a run
 * whose invocation could not be stored is finished by running it again.
 */
import { randomUUID } from 'node:crypto';
import { doc, mention, p, strong, text } from '@atlaskit/adf-utils/builders';
import type { DrillsPage, DrillView, RunDrillAnswer, ScheduleDrillInput } from '../contract/loop';
import type { ContinuityPlan } from '../domain/catalogue';
import {
  cancelDrill as cancelled,
  claimRun,
  DRILL_KIND_NAMES,
  DRILL_PROPERTY_KEY,
  drillInputSchema,
  drillIssueSummary,
  newDrill,
  releaseRun,
  startRun,
  type Drill,
  type DrillMark,
} from '../domain/drills';
import { ContinuityError, conflict, invalidInput, notFound } from '../domain/errors';
import { DEFAULT_DRILL_ISSUE_TYPE, type ContinuitySettings } from '../domain/incident';
import type { IncidentRecord } from '../domain/incident-record';
import type { Actor } from '../domain/invocation';
import { parseOrRefuse } from '../domain/validation';
import { StaleRecordError, type AppDeps } from '../ports';
import { peopleNamed } from './catalogue-views';
import { linkIncident } from './link-incident';
import { publishPostmortem } from './postmortem';
import { continuityRole, requireManager } from './roles';

export type DrillDeps = AppDeps;

export { DEFAULT_DRILL_ISSUE_TYPE } from '../domain/incident';
const UPCOMING_SHOWN = 50;
const PAST_PAGE = 25;
const SAVE_ATTEMPTS = 5;

/** Where exercise issues are created: the settings' drill project, or the only incident project named. */
export function drillIssueLocation(settings: ContinuitySettings): { ok: true; projectKey: string; issueTypeName: string } | { ok: false; message: string } {
  const projectKey = settings.drillProjectKey ?? (settings.projectKeys.length === 1 ? settings.projectKeys[0] : undefined);
  if (!projectKey) return { ok: false, message: 'Name the project for exercise issues (drills) in the app settings first.' };
  return { ok: true, projectKey, issueTypeName: settings.drillIssueTypeName ?? DEFAULT_DRILL_ISSUE_TYPE };
}

/** Changes a drill with a version guard: a lost race reads it again and applies the change again. */
async function changeDrill(id: string, deps: Pick<AppDeps, 'drills'>, change: (drill: Drill) => Drill | null): Promise<Drill> {
  for (let attempt = 0; ; attempt++) {
    const current = await deps.drills.getDrill(id);
    if (!current) throw notFound('Drill', 'drillId');
    const next = change(current);
    if (!next) return current;
    try {
      return await deps.drills.saveDrill(next, current.version);
    } catch (error) {
      if (!(error instanceof StaleRecordError) || attempt + 1 >= SAVE_ATTEMPTS) throw error;
    }
  }
}

// ---- Views ----

function drillView(drill: Drill, names: ReadonlyMap<string, { accountId: string; displayName?: string }>, plans: ReadonlyMap<string, ContinuityPlan>, records: ReadonlyMap<string, IncidentRecord>): DrillView {
  const person = (id: string) => names.get(id) ?? { accountId: id };
  const plan = plans.get(drill.planId);
  const record = drill.run?.issueId ? records.get(drill.run.issueId) : undefined;
  const recovered = drill.state === 'running' && record !== undefined && record.invocations.length > 0 && record.invocations.every((i) => i.state !== 'open');
  return {
    id: drill.id,
    plan: { id: drill.planId, title: plan?.title ?? drill.planTitle, ...(plan?.pageUrl ? { url: plan.pageUrl } : {}) },
    service: { id: drill.serviceId, name: drill.serviceName },
    kind: drill.kind,
    kindName: DRILL_KIND_NAMES[drill.kind],
    scheduledFor: drill.scheduledFor,
    participants: drill.participants.map(person),
    ...(drill.notes ? { notes: drill.notes } : {}),
    state: drill.state,
    createdBy: person(drill.createdBy),
    ...(drill.run?.issueKey && drill.run.issueId ? { issue: { key: drill.run.issueKey, id: drill.run.issueId } } : {}),
    ...(drill.run?.startedAt !== undefined ? { startedAt: drill.run.startedAt } : {}),
    ...(recovered ? { awaitingResult: true } : {}),
    ...(drill.result ? { result: drill.result } : {}),
    ...(drill.cancelled ? { cancelled: { at: drill.cancelled.at, by: person(drill.cancelled.by), ...(drill.cancelled.reason ? { reason: drill.cancelled.reason } : {}) } } : {}),
  };
}

async function views(drills: readonly Drill[], deps: DrillDeps): Promise<DrillView[]> {
  const running = drills.flatMap((d) => (d.state === 'running' && d.run?.issueId ? [d.run.issueId] : []));
  const [names, plans, records] = await Promise.all([
    peopleNamed(drills.flatMap((d) => [...d.participants, d.createdBy, ...(d.cancelled ? [d.cancelled.by] : [])]), deps),
    deps.catalogue.getPlans([...new Set(drills.map((d) => d.planId))]),
    running.length > 0 ? deps.store.getRecords(running) : Promise.resolve(new Map<string, IncidentRecord>()),
  ]);
  return drills.map((d) => drillView(d, names, plans, records));
}

async function allPlans(deps: DrillDeps): Promise<ContinuityPlan[]> {
  const out: ContinuityPlan[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.catalogue.listPlans(cursor);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export async function listDrills(pastCursor: string | undefined, deps: DrillDeps): Promise<DrillsPage> {
  const settings = await deps.store.getSettings();
  const [upcoming, past, plans, role] = await Promise.all([
    pastCursor ? Promise.resolve({ items: [] as Drill[] }) : deps.drills.listDrills('upcoming', UPCOMING_SHOWN),
    deps.drills.listDrills('past', PAST_PAGE, pastCursor),
    allPlans(deps),
    continuityRole(deps, settings),
  ]);
  const services = await deps.catalogue.getServices([...new Set(plans.map((p) => p.serviceId))]);
  const [upcomingViews, pastViews] = await Promise.all([views(upcoming.items, deps), views(past.items, deps)]);
  return {
    upcoming: upcomingViews,
    past: pastViews,
    ...(past.cursor ? { pastCursor: past.cursor } : {}),
    plans: plans
      .filter((p) => p.status !== 'retired')
      .map((p) => ({ id: p.id, title: p.title, serviceName: services.get(p.serviceId)?.name ?? p.serviceId, ...(p.lastTestedAt !== undefined ? { lastTestedAt: p.lastTestedAt } : {}) }))
      .sort((a, b) => a.title.localeCompare(b.title)),
    canManage: role.manager,
    issueLocation: drillIssueLocation(settings),
    serverTime: deps.clock.now(),
  };
}

async function viewOf(drill: Drill, deps: DrillDeps): Promise<DrillView> {
  return (await views([drill], deps))[0];
}

// ---- Changes ----

export async function scheduleDrill(input: ScheduleDrillInput, actor: Actor, deps: DrillDeps): Promise<DrillView> {
  const parsed = parseOrRefuse(drillInputSchema, input, '', 'A drill must be an object.', 'drill');
  await requireManager(deps, 'schedule drills');
  const plan = await deps.catalogue.getPlan(parsed.planId);
  if (!plan) throw notFound('Plan', 'planId');
  if (plan.status === 'retired') throw invalidInput(`${plan.title} is retired: exercise the plan in force instead.`, 'planId');
  const service = await deps.catalogue.getService(plan.serviceId);
  const drill = newDrill(`drill-${randomUUID()}`, parsed, plan, service?.name ?? plan.serviceId, actor.accountId, deps.clock.now());
  return viewOf(await deps.drills.saveDrill(drill, 0), deps);
}

export async function cancelDrill(drillId: string, actor: Actor, reason: string | undefined, deps: DrillDeps): Promise<DrillView> {
  await requireManager(deps, 'cancel drills');
  const drill = await changeDrill(drillId, deps, (d) => cancelled(d, actor.accountId, deps.clock.now(), reason));
  return viewOf(drill, deps);
}

/** A participant may run the drill they take part in; anyone else must be a Service Continuity Manager. */
async function requireRunner(drill: Drill, actor: Actor, deps: DrillDeps, what: string): Promise<void> {
  if (!drill.participants.includes(actor.accountId)) await requireManager(deps, what);
}

function issueDescription(drill: Drill, plan: ContinuityPlan): object {
  const people = drill.participants.flatMap((id, i) => [...(i > 0 ? [text(', ')] : []), mention({ id, text: '@participant' })]);
  return doc(
    p(strong('DRILL'), text(` — this issue is an exercise (${DRILL_KIND_NAMES[drill.kind].toLowerCase()}) of the continuity plan "${plan.title}", not an outage. Nothing about it is posted to customers.`)),
    p(text(`Scheduled for ${new Date(drill.scheduledFor).toISOString().replace('T', ' ').slice(0, 16)} UTC. The RTO clock runs from this issue's creation.`)),
    ...(people.length > 0 ? [p(text('Participants: '), ...people)] : []),
    ...(drill.notes ? [p(text(drill.notes))] : []),
  );
}

/**
 * Runs the drill: creates the exercise issue (once) and invokes the plan on it. Running a drill whose
 * issue exists invokes the plan again (a no-op once it is stored): that finishes a run cut short.
 */
export async function runDrill(drillId: string, actor: Actor, deps: DrillDeps): Promise<RunDrillAnswer> {
  const drill = await deps.drills.getDrill(drillId);
  if (!drill) throw notFound('Drill', 'drillId');
  await requireRunner(drill, actor, deps, 'run drills');
  let running = drill;
  if (!(drill.state === 'running' && drill.run?.issueId && drill.run.issueKey)) {
    const settings = await deps.store.getSettings();
    const location = drillIssueLocation(settings);
    if (!location.ok) throw invalidInput(location.message, 'drillProjectKey');
    const plan = await deps.catalogue.getPlan(drill.planId);
    if (!plan || plan.status === 'retired') throw invalidInput(`The plan "${drill.planTitle}" is ${plan ? 'retired' : 'gone'}: cancel this drill and schedule one of the plan in force.`, 'drillId');
    const token = randomUUID();
    const by = actor.displayName ?? actor.accountId;
    const claimed = await changeDrill(drillId, deps, (d) => claimRun(d, token, by, deps.clock.now()));
    const mark: DrillMark = { drillId: drill.id, planId: drill.planId, kind: drill.kind };
    let issue: { id: string; key: string };
    try {
      issue = await deps.jira.createIssue(
        { projectKey: location.projectKey, issueTypeName: location.issueTypeName, summary: drillIssueSummary(claimed), description: issueDescription(claimed, plan), properties: [{ key: DRILL_PROPERTY_KEY, value: mark }] },
        { asUser: true },
      );
    } catch (error) {
      // Refused by Jira: the drill can be run again at once. A lost answer keeps the claim until it expires.
      if (!(error instanceof ContinuityError && error.code === 'UPSTREAM_UNAVAILABLE')) await changeDrill(drillId, deps, (d) => releaseRun(d, token)).catch(() => undefined);
      throw error;
    }
    running = await changeDrill(drillId, deps, (d) => (d.run?.claim?.token === token ? startRun(d, issue, actor.accountId, deps.clock.now()) : null));
    if (running.run?.issueId !== issue.id) throw conflict('The drill was changed while it started; refresh the page.', 'drillId');
  }
  const issue = { id: running.run!.issueId!, key: running.run!.issueKey! };
  await linkIncident(issue.id, deps, { plan: running.planId, force: true });
  return { drill: await viewOf(running, deps), issue };
}

/**
 * Records the result of a drill whose exercise issue recovered and publishes its report, when the
 * automatic run after the recovery did not (the queue refused it, or Confluence was down).
 */
export async function completeDrillNow(drillId: string, actor: Actor, siteUrl: string | undefined, deps: DrillDeps): Promise<DrillView> {
  const drill = await deps.drills.getDrill(drillId);
  if (!drill) throw notFound('Drill', 'drillId');
  await requireRunner(drill, actor, deps, 'complete drills');
  const issueId = drill.run?.issueId;
  if (!issueId) throw conflict('This drill has not run yet.', 'drillId');
  const record = await deps.store.getRecord(issueId);
  if (!record || record.invocations.length === 0 || record.invocations.some((i) => i.state === 'open')) throw conflict('The exercise is still running: declare recovery (or stand it down) on its issue first.', 'drillId');
  const published = await publishPostmortem({ issueId, actor, ...(siteUrl ? { siteUrl } : {}) }, deps);
  return viewOf(published.drill ?? (await deps.drills.getDrill(drillId))!, deps);
}
