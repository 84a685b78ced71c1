/**
 * Catalogue writes: services and plans, and the match entries the incident path reads instead of the
 * catalogue. A write loads the catalogue (an administrator's action, not a hot path), applies the
 * change in memory, and writes the changed records with every match entry the change affects, and the
 * index attributes the catalogue page lists services by (see domain/catalogue-listing.ts).
 */
import type { ContinuityPlan, Service, ServiceMatch } from '../domain/catalogue';
import type { MatchKey } from '../domain/matching';
import { hasApprovedPlan } from '../domain/catalogue-listing';
import { matchEntriesAfter, matchEntriesFor, planInForce } from '../domain/catalogue-matches';
import type { CatalogueStore, CatalogueSummary, CatalogueWrite, Page, ServiceRecord } from '../ports';

export interface Catalogue {
  services: Service[];
  plans: ContinuityPlan[];
}

export interface CatalogueChange {
  services?: Service[];
  plans?: ContinuityPlan[];
  /** Services to remove (the caller checked that nothing refers to them). */
  deleteServiceIds?: string[];
}

/** Bumped when the services' index attributes change meaning: services stored before are re-indexed. */
export const INDEX_VERSION = 1;

async function all<T>(list: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export async function loadCatalogue(catalogue: CatalogueStore): Promise<Catalogue> {
  const [services, plans] = await Promise.all([all((c) => catalogue.listServices(c)), all((c) => catalogue.listPlans(c))]);
  return { services, plans };
}

/** Whether each service has an approved plan, from the plans as they are. */
export function approvedServices(plans: readonly ContinuityPlan[]): Set<string> {
  const byService = new Map<string, ContinuityPlan[]>();
  for (const p of plans) byService.set(p.serviceId, [...(byService.get(p.serviceId) ?? []), p]);
  return new Set([...byService.entries()].filter(([, list]) => hasApprovedPlan(list)).map(([id]) => id));
}

export function catalogueSummary(catalogue: Catalogue): CatalogueSummary {
  const active = catalogue.services.filter((s) => s.status !== 'retired');
  const approved = approvedServices(catalogue.plans);
  return {
    services: active.length,
    plans: catalogue.plans.filter((p) => p.status !== 'retired').length,
    withoutApprovedPlan: active.filter((s) => !approved.has(s.id)).length,
    indexVersion: INDEX_VERSION,
  };
}

/**
 * What storing `change` over `before` writes, computed without I/O: the changed records, the services
 * whose plan coverage may have moved (their listing changes), every affected match entry, and the
 * counts. `after` is the catalogue as it will be.
 */
export function catalogueWrite(before: Catalogue, change: CatalogueChange): { write: CatalogueWrite; after: Catalogue } {
  const deleted = new Set(change.deleteServiceIds ?? []);
  const changedServices = (change.services ?? []).filter((s) => !deleted.has(s.id));
  const changedPlans = change.plans ?? [];
  const services = mergeById(before.services.filter((s) => !deleted.has(s.id)), changedServices);
  const plans = mergeById(before.plans, changedPlans);
  const changed = new Set([...changedServices.map((s) => s.id), ...changedPlans.map((p) => p.serviceId), ...deleted]);
  // A plan that moved to another service changes what its old service matches too.
  for (const plan of changedPlans) {
    const old = before.plans.find((p) => p.id === plan.id);
    if (old && old.serviceId !== plan.serviceId) changed.add(old.serviceId);
  }
  const previous = before.services.filter((s) => changed.has(s.id));
  const plansByService = plansInForce(services, plans);
  const approved = approvedServices(plans);
  // Every changed service, and every service whose plans changed: its listing (covered or gap) may move.
  const records: ServiceRecord[] = services.filter((s) => changed.has(s.id)).map((service) => ({ service, hasApprovedPlan: approved.has(service.id) }));
  const after = { services, plans };
  return {
    after,
    write: {
      services: records,
      plans: changedPlans,
      deleteServiceIds: [...deleted],
      matches: matchEntriesAfter(services, plansByService, changed, previous),
      summary: catalogueSummary(after),
    },
  };
}

/** The number of storage operations a write takes (a transaction holds at most 25). */
export function writeSize(write: CatalogueWrite): number {
  return (write.services?.length ?? 0) + (write.plans?.length ?? 0) + (write.deleteServiceIds?.length ?? 0) + (write.matches?.length ?? 0) + (write.summary ? 1 : 0);
}

/** What a catalogue write tells once it is stored (the indicators: services/indicators.ts catalogueReporter). */
export type CatalogueReporter = (before: Catalogue, after: Catalogue) => Promise<unknown>;

/**
 * Stores services and plans (new or changed) and brings every affected match entry up to date. Two
 * managers saving at once could each compute a shared entry (a label both services carry) from a
 * catalogue without the other's change; so after writing, the entries this save touched are computed
 * again from the catalogue as stored and rewritten where they differ. Whichever save checks last sees
 * both changes, so the entries converge on the stored services, as the issue property does. Then
 * `report` is handed the catalogue before and after (as stored, when it was read again), so what is
 * counted from the catalogue follows.
 */
export async function saveCatalogue(change: CatalogueChange, catalogue: CatalogueStore, current?: Catalogue, report?: CatalogueReporter): Promise<Catalogue> {
  const before = current ?? (await loadCatalogue(catalogue));
  const { write, after } = catalogueWrite(before, change);
  // Services rewritten only because their plans changed (their listing may move) are taken as stored now,
  // not from the snapshot read at the start: a plan save must never undo someone's edit of the service.
  const changedHere = new Set((change.services ?? []).map((s) => s.id));
  const onlyListed = (write.services ?? []).filter((r) => !changedHere.has(r.service.id)).map((r) => r.service.id);
  if (onlyListed.length > 0) {
    const stored = await catalogue.getServices(onlyListed);
    write.services = (write.services ?? []).flatMap((r) => (changedHere.has(r.service.id) ? [r] : stored.has(r.service.id) ? [{ ...r, service: stored.get(r.service.id)! }] : []));
  }
  await catalogue.writeCatalogue(write);
  const stored = (await verifyMatches(catalogue, write.matches ?? [])) ?? after;
  await report?.(before, stored);
  return stored;
}

/**
 * After a catalogue write: computes the entries this write touched again from the catalogue as stored,
 * rewrites those that differ, and brings the counts up to date. Answers the stored catalogue (undefined
 * when nothing was touched). Concurrent writers each check after writing, so the last check sees both.
 */
export async function verifyMatches(catalogue: CatalogueStore, touched: ReadonlyArray<{ key: MatchKey; matches: readonly ServiceMatch[] }>): Promise<Catalogue | undefined> {
  if (touched.length === 0) return undefined;
  const stored = await loadCatalogue(catalogue);
  const recomputed = matchEntriesFor(stored.services, plansInForce(stored.services, stored.plans), touched.map((t) => t.key));
  const stale = recomputed.filter((e, i) => JSON.stringify(e.matches) !== JSON.stringify(touched[i].matches));
  if (stale.length > 0) await catalogue.writeCatalogue({ matches: stale, summary: catalogueSummary(stored) });
  return stored;
}

/**
 * Services stored before the current index attributes existed are not on the catalogue page: write
 * them again (once; the summary remembers the version). Answers whether anything was re-indexed.
 */
export async function reindexIfNeeded(catalogue: CatalogueStore, summary: CatalogueSummary | undefined): Promise<boolean> {
  if (summary?.indexVersion === INDEX_VERSION || (summary !== undefined && summary.services === 0 && summary.plans === 0)) return false;
  const current = await loadCatalogue(catalogue);
  if (summary === undefined && current.services.length === 0 && current.plans.length === 0) return false;
  const approved = approvedServices(current.plans);
  await catalogue.writeCatalogue({
    services: current.services.map((service) => ({ service, hasApprovedPlan: approved.has(service.id) })),
    summary: catalogueSummary(current),
  });
  return true;
}

/** The plan in force of every service. Grouped once: filtering every plan for every service made one edit quadratic. */
function plansInForce(services: readonly Service[], plans: readonly ContinuityPlan[]): Map<string, ContinuityPlan | undefined> {
  const plansOf = new Map<string, ContinuityPlan[]>();
  for (const plan of plans) {
    const list = plansOf.get(plan.serviceId);
    if (list) list.push(plan);
    else plansOf.set(plan.serviceId, [plan]);
  }
  return new Map(services.map((s) => [s.id, planInForce(plansOf.get(s.id) ?? [])]));
}

function mergeById<T extends { id: string }>(existing: readonly T[], changes: readonly T[]): T[] {
  const byId = new Map(existing.map((x) => [x.id, x]));
  for (const c of changes) byId.set(c.id, c);
  return [...byId.values()];
}
