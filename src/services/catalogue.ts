/**
 * Catalogue writes: services and plans, and the match entries the incident path reads instead of the
 * catalogue. A write loads the catalogue (an administrator's action, not a hot path), applies the
 * change in memory, and writes the changed records with every match entry the change affects.
 */
import type { ContinuityPlan, Service } from '../domain/catalogue';
import { matchEntriesAfter, planInForce } from '../domain/catalogue-matches';
import type { CatalogueStore, Page } from '../ports';

export interface Catalogue {
  services: Service[];
  plans: ContinuityPlan[];
}

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

/** Stores services and plans (new or changed) and brings every affected match entry up to date. */
export async function saveCatalogue(change: Partial<Catalogue>, catalogue: CatalogueStore, current?: Catalogue): Promise<Catalogue> {
  const before = current ?? (await loadCatalogue(catalogue));
  const changedServices = change.services ?? [];
  const changedPlans = change.plans ?? [];
  const services = mergeById(before.services, changedServices);
  const plans = mergeById(before.plans, changedPlans);
  const changed = new Set([...changedServices.map((s) => s.id), ...changedPlans.map((p) => p.serviceId)]);
  const previous = before.services.filter((s) => changed.has(s.id));
  // A plan that moved to another service changes what its old service matches too.
  for (const plan of changedPlans) {
    const old = before.plans.find((p) => p.id === plan.id);
    if (old && old.serviceId !== plan.serviceId) changed.add(old.serviceId);
  }
  // Grouped once: filtering every plan for every service made one edit quadratic in the catalogue's size.
  const plansOf = new Map<string, ContinuityPlan[]>();
  for (const plan of plans) {
    const list = plansOf.get(plan.serviceId);
    if (list) list.push(plan);
    else plansOf.set(plan.serviceId, [plan]);
  }
  const plansByService = new Map(services.map((s) => [s.id, planInForce(plansOf.get(s.id) ?? [])]));
  await catalogue.writeCatalogue({
    services: changedServices,
    plans: changedPlans,
    matches: matchEntriesAfter(services, plansByService, changed, previous),
    summary: { services: services.filter((s) => s.status !== 'retired').length, plans: plans.filter((p) => p.status !== 'retired').length },
  });
  return { services, plans };
}

function mergeById<T extends { id: string }>(existing: readonly T[], changes: readonly T[]): T[] {
  const byId = new Map(existing.map((x) => [x.id, x]));
  for (const c of changes) byId.set(c.id, c);
  return [...byId.values()];
}
