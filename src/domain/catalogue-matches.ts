/**
 * Keeping the match entries current. A catalogue write (a service, its dependencies, its JSM mapping, a
 * plan) changes what some lookup keys stand for: the changed services' own keys, old and new, and those
 * of every service whose effective RTO depends on them. This computes exactly those entries from the
 * catalogue as it will be, so the trigger's one batch read always finds current services and plans.
 */
import { planSnapshot, serviceSnapshot, type ContinuityPlan, type Service, type ServiceMatch } from './catalogue';
import type { FallbackMapping } from './incident';
import { matchKeyString, type MatchKey } from './matching';
import { effectiveRto } from './rto';

/** Which of a service's plans is in force: approved first, then in review, then draft; never retired. */
export function planInForce(plans: readonly ContinuityPlan[]): ContinuityPlan | undefined {
  const rank: Record<string, number> = { approved: 0, 'in-review': 1, draft: 2 };
  return [...plans].filter((p) => p.status !== 'retired').sort((a, b) => rank[a.status] - rank[b.status] || a.id.localeCompare(b.id))[0];
}

/** The lookup keys a service answers to (a retired service answers to none). */
export function serviceKeys(service: Service): MatchKey[] {
  if (service.status === 'retired') return [];
  return [
    { kind: 'service', value: service.id },
    ...service.jsmServiceIds.map((value) => ({ kind: 'jsm' as const, value })),
    ...service.components.map((value) => ({ kind: 'component' as const, value })),
    ...service.labels.map((value) => ({ kind: 'label' as const, value })),
  ];
}

export function serviceMatch(service: Service, byId: ReadonlyMap<string, Service>, plan: ContinuityPlan | undefined): ServiceMatch {
  const rto = effectiveRto(service.id, byId);
  return { service: serviceSnapshot(service), effectiveRtoMinutes: rto.effectiveMinutes, inversions: rto.inversions, plan: plan ? planSnapshot(plan) : null };
}

/** The services whose effective RTO may change when `changed` change: themselves and all that depend on them. */
export function affectedByChange(changed: ReadonlySet<string>, services: readonly Service[]): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const s of services) for (const d of s.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), s.id]);
  const out = new Set<string>();
  const stack = [...changed];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(dependents.get(id) ?? []));
  }
  return out;
}

/**
 * The match entries to write after a change: every key of an affected service (before or after the
 * change), each answered with all the active services that carry that key now.
 */
export function matchEntriesAfter(
  services: readonly Service[],
  plansByService: ReadonlyMap<string, ContinuityPlan | undefined>,
  changed: ReadonlySet<string>,
  previous: readonly Service[] = [],
): Array<{ key: MatchKey; matches: ServiceMatch[] }> {
  const byId = new Map(services.map((s) => [s.id, s]));
  return matchEntriesFor(services, plansByService, keysAffected(services, changed, previous), byId);
}

/** Every key of a changed service (before or after) and of every service whose effective RTO depends on it. */
function keysAffected(services: readonly Service[], changed: ReadonlySet<string>, previous: readonly Service[]): MatchKey[] {
  const affected = affectedByChange(changed, services);
  const keys = new Map<string, MatchKey>();
  for (const s of [...previous, ...services.filter((x) => affected.has(x.id))]) {
    for (const k of [...serviceKeys(s), { kind: 'service' as const, value: s.id }]) keys.set(matchKeyString(k), k);
  }
  return [...keys.values()];
}

/** The entries of these keys: each answered with all the active services that carry it. */
export function matchEntriesFor(
  services: readonly Service[],
  plansByService: ReadonlyMap<string, ContinuityPlan | undefined>,
  keys: readonly MatchKey[],
  byId: ReadonlyMap<string, Service> = new Map(services.map((s) => [s.id, s])),
): Array<{ key: MatchKey; matches: ServiceMatch[] }> {
  const holders = new Map<string, Service[]>();
  for (const s of services) for (const k of serviceKeys(s)) holders.set(matchKeyString(k), [...(holders.get(matchKeyString(k)) ?? []), s]);
  return keys.map((key) => ({
    key,
    matches: (holders.get(matchKeyString(key)) ?? []).sort((a, b) => a.name.localeCompare(b.name)).map((s) => serviceMatch(s, byId, plansByService.get(s.id))),
  }));
}

/** Fallback mappings whose service is not (or no longer) an active catalogue service. */
export function unknownMappings(mappings: readonly FallbackMapping[], services: ReadonlyMap<string, Service>): number[] {
  return mappings.map((m, i) => (services.get(m.serviceId)?.status === 'retired' || !services.has(m.serviceId) ? i : -1)).filter((i) => i >= 0);
}
