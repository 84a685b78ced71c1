/**
 * Deciding and storing: given an incident, work out which continuity plans it invokes and store them
 * in its record, then hand every Jira write to the outbox. This is the whole of the trigger's work
 * (and the automation action's, and the watch's for incidents whose events were lost), so it does the
 * minimum that cannot be lost:
 *   1. one storage read: settings, cached Jira field ids, the incident's record;
 *   2. one Jira read: the issue with the fields it needs (skipped when the caller has them);
 *   3. one storage read: the match entries of its affected services (whatever the catalogue's size);
 *   4. one conditional write of the record, in the outbox;
 *   5. one create-if-absent write claiming the drain of its outbox slot, and a queue push if it won.
 * Every step is idempotent: duplicate, reordered or retried events converge on the same record.
 */
import { planSnapshot, serviceSnapshot, type PlanSnapshot, type ServiceMatch } from '../domain/catalogue';
import { ContinuityError, notFound } from '../domain/errors';
import { qualify, type IncidentFacts } from '../domain/incident';
import { assess } from '../domain/assessment';
import { enqueue, findInvocation, newRecord, putInvocation, type Assessment, type IncidentRecord } from '../domain/incident-record';
import { invocationId, newInvocation, type Invocation } from '../domain/invocation';
import { matchedServices, matchKeys, unmatchedValues, type MatchKey } from '../domain/matching';
import { slotAt } from '../domain/outbox';
import { reopenBecauseQualifiesAgain, standDownBecauseNotQualifying } from '../domain/recovery';
import { QueueRefusedError, type AppDeps, type IncidentContext, type JiraFieldIds } from '../ports';
import { requestDrain, saveWithRetry } from './outbox';

/** The watch reads JSM's field ids from Jira again after this long (a field added to the site is found within a day). */
export const FIELD_CACHE_MS = 24 * 60 * 60_000;

export interface LinkOptions {
  /** Invoke even if the incident does not qualify (an automation rule decided it should). */
  force?: boolean;
  /** Invoke this plan (id or title) only. */
  plan?: string;
  /** Invoke the plan of this service (id or name) only. */
  service?: string;
  /** The incident's facts, when the caller already read them (the watch's search). */
  facts?: IncidentFacts;
  /** The issue key from the event, to store a record for later if the issue cannot be read now. */
  issueKey?: string;
  /** The outbox is linking a record the trigger deferred: keep it in its slot, clear the flag. */
  fromOutbox?: boolean;
}

export type LinkOutcome = {
  issueKey: string;
  record?: IncidentRecord;
  /**
   * The record is stored but the queue refused the push of its drain event: the trigger asks Forge to run
   * it again (which pushes again); the watch finds the record anyway.
   */
  drainRefused?: true;
} & (
  | { kind: 'not-qualifying'; reason: string; toQualify: string }
  | { kind: 'no-service'; reason: string }
  | { kind: 'no-plan'; reason: string }
  | { kind: 'linked'; invocations: Invocation[]; servicesWithoutPlan: string[] }
  /** The issue could not be read (Jira rate limit or outage): stored, and the outbox links it later. */
  | { kind: 'deferred'; reason: string }
);

export async function linkIncident(issueIdOrKey: string, deps: AppDeps, options: LinkOptions = {}): Promise<LinkOutcome> {
  // Records are kept by issue id; an automation rule names the issue by key, so that path reads it first.
  const byKey = !/^\d+$/.test(issueIdOrKey);
  let context = await deps.store.incidentContext(byKey ? undefined : issueIdOrKey);
  let facts: IncidentFacts;
  try {
    facts = options.facts ?? (await readIncident(issueIdOrKey, context, deps));
  } catch (error) {
    if (error instanceof ContinuityError && (error.code === 'RATE_LIMITED' || error.code === 'UPSTREAM_UNAVAILABLE') && options.issueKey && !byKey) {
      return defer(issueIdOrKey, options.issueKey, context.record, error.message, deps);
    }
    throw error;
  }
  if (byKey) context = { ...context, record: await deps.store.getRecord(facts.issueId) };
  return decide(facts, context, deps, options);
}

/**
 * The outbox's side of a deferred link: read the issue now and decide, keeping the record (which the
 * drain holds) in its slot. An issue deleted meanwhile simply leaves the outbox.
 */
export async function linkDeferred(record: IncidentRecord, deps: AppDeps): Promise<IncidentRecord> {
  const context = await deps.store.incidentContext(record.issueId);
  const current = context.record ?? record;
  let facts: IncidentFacts;
  try {
    facts = await readIncident(record.issueId, context, deps);
  } catch (error) {
    if (!(error instanceof ContinuityError && error.code === 'NOT_FOUND')) throw error;
    return saveWithRetry(record.issueId, current, deps, (r) => settle(r, deps.clock.now(), { fromOutbox: true }));
  }
  return (await decide(facts, { ...context, record: current }, deps, { fromOutbox: true })).record ?? current;
}

/** The record after a change, in the outbox if it has writes pending (see enqueue). */
function settle(record: IncidentRecord, now: number, options: LinkOptions): IncidentRecord {
  if (options.fromOutbox) return enqueue(record, record.outboxSlot || slotAt(now), now, { needsLink: false });
  return enqueue(record, slotAt(now), now);
}

async function readIncident(issueId: string, context: IncidentContext, deps: AppDeps): Promise<IncidentFacts> {
  // Read from Jira only when never cached: the watch refreshes stale ids, off the incident's path.
  let fields = context.fields;
  if (!fields) {
    fields = await deps.jira.readFieldIds();
    await deps.store.putJiraFields(fields);
  }
  return deps.jira.getIncident(issueId, fields);
}

/** Jira could not be read: keep the incident in the outbox so the consumer links it once Jira answers. */
async function defer(issueId: string, issueKey: string, existing: IncidentRecord | undefined, why: string, deps: AppDeps): Promise<LinkOutcome> {
  const now = deps.clock.now();
  const base = existing ?? newRecord(issueId, issueKey, now);
  const stored = await saveWithRetry(issueId, base, deps, (record) => (record.outbox?.needsLink ? null : enqueue(record, slotAt(now), now, { needsLink: true })));
  await requestDrain(stored, deps);
  return { issueKey, record: stored, kind: 'deferred', reason: `Jira could not be read (${why}); the outbox links the incident when it answers.` };
}

async function decide(facts: IncidentFacts, context: IncidentContext, deps: AppDeps, options: LinkOptions): Promise<LinkOutcome> {
  const { settings } = context;
  const qualification = qualify(facts, settings);
  const issueKey = facts.issueKey;
  if (!qualification.qualifies && !options.force) {
    // Nothing is stored for incidents that never qualified; a resolved incident keeps its history.
    const record = context.record && (!qualification.resolved || options.fromOutbox) ? await standDownAll(facts, context.record, qualification, deps, options) : context.record;
    return { issueKey, record, kind: 'not-qualifying', reason: qualification.reason, toQualify: qualification.toQualify };
  }

  const { matches, unknown } = await chooseTargets(facts, context, deps, options);
  const withPlan = matches.filter((m): m is ServiceMatch & { plan: PlanSnapshot } => m.plan !== null);
  const servicesWithoutPlan = matches.filter((m) => m.plan === null).map((m) => m.service.name);
  const assessment = assess(facts, matches, unknown, context.catalogueSize, deps.clock.now());
  // A rule invoked a plan the settings would not, so the settings must not stand it down later.
  const forced = options.force === true && !qualification.qualifies;
  const why = options.force ? 'an automation rule invoked the plan again' : 'the incident qualifies again';

  // The record this change was made to (the last one read before the write that succeeded).
  const stored = await saveWithRetry(facts.issueId, context.record ?? newRecord(facts.issueId, issueKey, deps.clock.now()), deps, (current) => {
    const now = deps.clock.now();
    let next = current.issueKey === issueKey ? current : { ...current, issueKey };
    // An exercise issue's record says so (the panel, the postmortem and the drill's result read it).
    if (facts.drill && current.drill?.drillId !== facts.drill.drillId) next = { ...next, drill: facts.drill };
    for (const match of withPlan) {
      // One invocation per service: if the plan in force changed since (a draft approved, a plan replaced),
      // the incident keeps running the one it started with instead of starting a second clock.
      const existing = findInvocation(next, invocationId(facts.issueId, match.plan.id)) ?? next.invocations.find((i) => i.serviceId === match.service.id && !options.plan);
      if (!existing) {
        next = putInvocation(next, newInvocation(facts, match, now, forced));
        continue;
      }
      let updated = facts.resolved ? existing : reopenBecauseQualifiesAgain(existing, why, now);
      if (forced && updated.state === 'open' && !updated.forced) updated = { ...updated, forced: true };
      if (updated !== existing) next = putInvocation(next, updated);
    }
    if (!sameAssessment(next.assessment, assessment)) next = { ...next, assessment };
    if (next === current && !(options.fromOutbox && current.outbox?.needsLink)) return null;
    // The app's comments write times in the site's zone; the record carries it so the drain need not read the settings.
    const zone = settings.siteTimeZone ?? 'UTC';
    if (next.timeZone !== zone) next = { ...next, timeZone: zone };
    return settle(next, now, options);
  }, context.record?.version ?? 0);
  const drainRefused = await requestDrainOrNote(stored, deps);

  const wanted = new Set(withPlan.map((m) => invocationId(facts.issueId, m.plan.id)));
  const invocations = stored.invocations.filter((i) => wanted.has(i.id));
  const base = { issueKey, record: stored, ...(drainRefused ? { drainRefused } : {}) };
  if (matches.length === 0) return { ...base, kind: 'no-service', reason: assessment.reason };
  if (invocations.length === 0) return { ...base, kind: 'no-plan', reason: assessment.reason };
  return { ...base, kind: 'linked', invocations, servicesWithoutPlan };
}

async function chooseTargets(facts: IncidentFacts, context: IncidentContext, deps: AppDeps, options: LinkOptions): Promise<{ matches: ServiceMatch[]; unknown: MatchKey[] }> {
  if (options.plan) return { matches: [await matchForPlan(options.plan, deps)], unknown: [] };
  if (options.service) return { matches: [await matchForService(options.service, deps)], unknown: [] };
  const keys = matchKeys(facts, context.settings);
  if (keys.length === 0) return { matches: [], unknown: [] };
  const found = await deps.store.lookupMatches(keys);
  return { matches: matchedServices(keys, found), unknown: unmatchedValues(keys, found) };
}

/** A plan named by an automation rule: by id first, then by title (any characters, case-insensitive). */
async function matchForPlan(wanted: string, deps: AppDeps): Promise<ServiceMatch> {
  const plan = (await deps.catalogue.getPlan(wanted)) ?? (await deps.catalogue.planByTitle(wanted));
  if (!plan || plan.status === 'retired') throw notFound(`Plan "${wanted}"`, 'plan');
  const match = (await deps.store.lookupMatches([{ kind: 'service', value: plan.serviceId }])).get(`service:${plan.serviceId}`)?.[0];
  if (match) return { ...match, plan: planSnapshot(plan) };
  const service = await deps.catalogue.getService(plan.serviceId);
  // A retired service is matched no more: its plans are history, not something to invoke.
  if (!service || service.status === 'retired') throw notFound(`The service of plan "${plan.title}"`, 'plan');
  return { service: serviceSnapshot(service), effectiveRtoMinutes: service.rtoMinutes, inversions: [], plan: planSnapshot(plan) };
}

async function matchForService(wanted: string, deps: AppDeps): Promise<ServiceMatch> {
  const byId = (await deps.store.lookupMatches([{ kind: 'service', value: wanted }])).get(`service:${wanted.trim()}`)?.[0];
  if (byId) return byId;
  const service = await deps.catalogue.serviceByName(wanted);
  const byName = service && (await deps.store.lookupMatches([{ kind: 'service', value: service.id }])).get(`service:${service.id}`)?.[0];
  if (!byName) throw notFound(`Service "${wanted}"`, 'service');
  return byName;
}

function sameAssessment(a: Assessment | undefined, b: Assessment): boolean {
  if (!a) return false;
  const { at: _a, ...restA } = a;
  const { at: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/** Pushes the record's drain event; a refused push is not the caller's failure (the record is stored). */
async function requestDrainOrNote(record: IncidentRecord, deps: AppDeps): Promise<true | undefined> {
  try {
    await requestDrain(record, deps);
    return undefined;
  } catch (error) {
    if (!(error instanceof QueueRefusedError)) throw error;
    console.warn(`${record.issueKey}: ${error.message}; the record is stored and will be drained later.`);
    return true;
  }
}

async function standDownAll(facts: IncidentFacts, record: IncidentRecord, qualification: { reason: string; resolved?: true }, deps: AppDeps, options: LinkOptions): Promise<IncidentRecord> {
  return saveWithRetry(
    facts.issueId,
    record,
    deps,
    (current) => {
      const now = deps.clock.now();
      let next = current;
      // An invocation an automation rule forced does not depend on the settings' qualification.
      for (const invocation of current.invocations) {
        if (qualification.resolved || invocation.state !== 'open' || invocation.forced) continue;
        next = putInvocation(next, standDownBecauseNotQualifying(invocation, qualification.reason, now));
      }
      if (next === current && !(options.fromOutbox && current.outbox?.needsLink)) return null;
      return settle(next, now, options);
    },
    record.version,
  ).then(async (stored) => {
    await requestDrain(stored, deps);
    return stored;
  });
}
