/**
 * From the app's records to the facts the indicators add up (see indicators.ts), and the rule that keeps
 * the stored aggregates exact when many writers report changes at once.
 *
 * Every source of facts has a stable key: `service:<id>`, `invocation:<issueId>.<planId>`,
 * `risk:<id>`, `finding:<planId>` (a plan's postmortem findings: waiting, or all handled). The store keeps, per source, its CONTRIBUTION: the facts the aggregates
 * currently hold for it and the source version they came from. A change is reported as the source's
 * new facts and version; what is applied is the difference between the stored contribution and the
 * new facts (never a before supplied by the caller). So:
 *   - reporting the same change twice applies it once (the second finds its facts already there);
 *   - a report older than the contribution (a slower writer, a retried event) is ignored;
 *   - a report that was lost (the writer died after storing its record) is made good by the next
 *     report of the same source, or by the reconciling rebuild, because the difference is always taken
 *     from what the aggregates actually hold.
 * The aggregates live in SHARDS; a source always belongs to the same shard (a hash of its key), and its
 * contribution is only ever written together with its shard, in one transaction guarded by both
 * versions. The sum of the shards is the aggregate (sumAggregates).
 */
import type { ContinuityPlan, Service } from './catalogue';
import { hasApprovedPlan } from './catalogue-listing';
import { planInForce } from './catalogue-matches';
import type { Invocation } from './invocation';
import type { FindingFacts, IndicatorChange, InvocationFacts, RiskFacts, ServiceFacts } from './indicators';
import { implementationDurationDays, type RiskInput } from './risks';
import { DEFAULT_REVIEW_CADENCE, nextReviewDueAt, type ReviewCadence } from './tiers';

export type SourceEntity = IndicatorChange['entity'];

export type SourceFacts =
  | { entity: 'service'; facts?: ServiceFacts }
  | { entity: 'invocation'; facts?: InvocationFacts }
  | { entity: 'finding'; facts?: FindingFacts }
  | { entity: 'risk'; facts?: RiskFacts };

/** One source's facts as of one version of it; no facts: the source is gone (deleted) or counts nowhere. */
export type SourceUpdate = SourceFacts & {
  key: string;
  /** Grows with every change of the source (a record's version, a write's time). */
  version: number;
};

/** What the aggregates hold for one source. */
export type Contribution = SourceFacts & {
  key: string;
  /** The source version the facts came from. */
  sourceVersion: number;
};

/** How many shards the aggregates are kept in: a storm of P1s spreads its writes over them. */
export const INDICATOR_SHARDS = 16;

/** The shard of a source: fixed by its key (FNV-1a over its UTF-16 code units; stable across releases). */
export function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % INDICATOR_SHARDS;
}

export const sourceKey = {
  service: (serviceId: string) => `service:${serviceId}`,
  invocation: (invocationId: string) => `invocation:${invocationId}`,
  risk: (riskId: string) => `risk:${riskId}`,
  finding: (planId: string) => `finding:${planId}`,
};

/** Key order-insensitive equality of plain JSON values (facts are small). */
export function sameFacts(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * What reporting `update` changes in the aggregates, given what they hold for the source:
 *   - `skip`: the update is older than the contribution, or already there;
 *   - `version-only`: same facts from a newer version: only the contribution's version moves (so an
 *     older report that differs, arriving later, is still recognised as older);
 *   - `apply`: the change to apply (before = the contribution's facts, after = the update's), and the
 *     contribution to store; no facts after means the contribution is removed.
 */
export type ContributionStep =
  | { kind: 'skip' }
  | { kind: 'version-only'; contribution: Contribution }
  | { kind: 'apply'; change: IndicatorChange; contribution: Contribution };

export function contributionStep(stored: Contribution | undefined, update: SourceUpdate): ContributionStep {
  if (stored && update.version < stored.sourceVersion) return { kind: 'skip' };
  const contribution = { entity: update.entity, key: update.key, sourceVersion: update.version, ...(update.facts !== undefined ? { facts: update.facts } : {}) } as Contribution;
  if (stored && sameFacts(stored.facts, update.facts)) {
    return update.version === stored.sourceVersion ? { kind: 'skip' } : { kind: 'version-only', contribution };
  }
  if (!stored && update.facts === undefined) return { kind: 'skip' };
  const change = { entity: update.entity, before: stored?.facts, after: update.facts } as IndicatorChange;
  return { kind: 'apply', change, contribution };
}

// ---- Facts of the app's records ----

/**
 * A service's facts from the service and its plans: an approved plan among them (retired plans never
 * count); its last test, the latest of its live plans' tests; its next review due, from the plan in
 * force's last review and the tier's cadence. A plan that was never reviewed was due from the start,
 * so it counts as overdue (due at 0); a service without a live plan has no review date.
 */
export function serviceFacts(service: Service, plans: readonly ContinuityPlan[], cadence: ReviewCadence = DEFAULT_REVIEW_CADENCE): ServiceFacts {
  const live = plans.filter((p) => p.serviceId === service.id && p.status !== 'retired');
  const tested = live.map((p) => p.lastTestedAt).filter((t): t is number => t !== undefined);
  const inForce = planInForce(live);
  const facts: ServiceFacts = { tier: service.tier, hasApprovedPlan: hasApprovedPlan(live) };
  if (service.status === 'retired') facts.retired = true;
  if (tested.length > 0) facts.lastTestedAt = Math.max(...tested);
  if (inForce) facts.reviewDueAt = inForce.lastReviewedAt === undefined ? 0 : nextReviewDueAt(service.tier, inForce.lastReviewedAt, cadence);
  return facts;
}

/**
 * A plan's postmortem findings: waiting for its owner, or all handled; none for a plan that never had
 * findings fed back (or is retired: its findings wait for nobody).
 */
export function findingFacts(plan: ContinuityPlan): FindingFacts | undefined {
  if (!plan.findings || plan.status === 'retired') return undefined;
  if (plan.findings.waiting.length > 0) return { waiting: true };
  return plan.findings.lastHandled ? { waiting: false } : undefined;
}

/**
 * The updates a catalogue write makes: every service whose facts differ between the catalogue before
 * and after (a plan approved or retired, a test or review recorded, a tier changed, a service retired,
 * added or deleted), and every plan whose findings changed (fed back, handled), at `version` (the
 * write's time).
 */
export function catalogueUpdates(
  before: { services: readonly Service[]; plans: readonly ContinuityPlan[] },
  after: { services: readonly Service[]; plans: readonly ContinuityPlan[] },
  version: number,
  cadence: ReviewCadence = DEFAULT_REVIEW_CADENCE,
): SourceUpdate[] {
  const factsOf = (catalogue: typeof before) => {
    const plansOf = new Map<string, ContinuityPlan[]>();
    for (const plan of catalogue.plans) plansOf.set(plan.serviceId, [...(plansOf.get(plan.serviceId) ?? []), plan]);
    return new Map(catalogue.services.map((s) => [s.id, serviceFacts(s, plansOf.get(s.id) ?? [], cadence)]));
  };
  const old = factsOf(before);
  const now = factsOf(after);
  const updates: SourceUpdate[] = [];
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const facts = now.get(id);
    if (!sameFacts(old.get(id), facts)) updates.push({ entity: 'service', key: sourceKey.service(id), version, ...(facts ? { facts } : {}) });
  }
  const findingsOf = (catalogue: typeof before) => new Map(catalogue.plans.map((p) => [p.id, findingFacts(p)]));
  const oldFindings = findingsOf(before);
  const nowFindings = findingsOf(after);
  for (const id of new Set([...oldFindings.keys(), ...nowFindings.keys()])) {
    const facts = nowFindings.get(id);
    if (!sameFacts(oldFindings.get(id), facts)) updates.push({ entity: 'finding', key: sourceKey.finding(id), version, ...(facts ? { facts } : {}) });
  }
  return updates;
}

/** Whether an invocation is a drill's (drills run on the incident pipeline and set `drill`). */
export const isDrill = (invocation: Pick<Invocation, 'isDrill'>): boolean => invocation.isDrill === true;

/** An invocation's facts: open, recovered (with its RTO result) or stood down (neither). */
export function invocationFacts(invocation: Invocation): InvocationFacts {
  const facts: InvocationFacts = { isDrill: isDrill(invocation), tier: invocation.service.tier, open: invocation.state === 'open' };
  if (invocation.state === 'recovered' && invocation.recoveredAt !== undefined) {
    facts.recovery = {
      rtoMinutes: invocation.rtoMinutes,
      achievedMinutes: invocation.achievedMinutes ?? Math.max(0, Math.round((invocation.recoveredAt - invocation.startedAt) / 60_000)),
      rtoMet: invocation.rtoMet === true,
      recoveredAt: invocation.recoveredAt,
    };
  }
  return facts;
}

/**
 * The invocation updates an incident record's change makes: every invocation whose facts differ
 * between the record before (absent for a new record) and after, at the stored record's version.
 */
export function incidentUpdates(before: { invocations: readonly Invocation[] } | undefined, after: { invocations: readonly Invocation[]; version: number }): SourceUpdate[] {
  const old = new Map((before?.invocations ?? []).map((i) => [i.id, invocationFacts(i)]));
  const updates: SourceUpdate[] = [];
  for (const invocation of after.invocations) {
    const facts = invocationFacts(invocation);
    if (!sameFacts(old.get(invocation.id), facts)) updates.push({ entity: 'invocation', key: sourceKey.invocation(invocation.id), version: after.version, facts });
  }
  return updates;
}

/** A risk's facts: the whole days to its mechanism, once in place. */
export function riskFacts(risk: Pick<RiskInput, 'identifiedAt' | 'mechanismInPlaceAt' | 'mechanism'>): RiskFacts {
  const days = implementationDurationDays(risk);
  return days === undefined ? {} : { implementationDays: days };
}

/** The update of a risk as stored at `version`; without the risk, its deletion (the version after its last). */
export function riskUpdate(riskId: string, version: number, risk?: Pick<RiskInput, 'identifiedAt' | 'mechanismInPlaceAt' | 'mechanism'>): SourceUpdate {
  return risk ? { entity: 'risk', key: sourceKey.risk(riskId), version, facts: riskFacts(risk) } : { entity: 'risk', key: sourceKey.risk(riskId), version };
}
