/**
 * Changing services from the catalogue page: create, edit, retire, restore and delete. Every change is
 * the Service Continuity Manager's (checked server-side first), validated before anything is written,
 * and stored through saveCatalogue so the match entries the incident path reads follow at once.
 *
 * Retire, not delete: a service with plans, open invocations, dependents or settings mappings is
 * retired (no longer matched, its history kept). Delete exists for a service nothing refers to, the
 * usual reason being a typo made a minute ago.
 */
import type { DeleteServiceAnswer, SaveServiceInput, ServiceChangeAnswer, ServiceRefInput } from '../contract/console';
import type { Service } from '../domain/catalogue';
import { slugId } from '../domain/csv';
import { wouldCreateCycle } from '../domain/dependencies';
import { conflict, invalidInput, notFound } from '../domain/errors';
import { parseServiceInput } from '../domain/service-input';
import { rtoBandCheck } from '../domain/tiers';
import { nameKey } from '../domain/visible-text';
import type { JsmDirectory } from '../ports';
import { approvedServices, loadCatalogue, saveCatalogue, type Catalogue } from './catalogue';
import { openInvocations } from './catalogue-invocations';
import { serviceRows, tierBandsOf, type ConsoleDeps } from './catalogue-views';
import { catalogueReporter } from './indicators';
import { requireManager } from './roles';

const CHANGE = 'change the service catalogue';

/** "Customer Portal (EU)" → "svc-customer-portal-eu", unique among `taken`. */
export function newServiceId(name: string, taken: ReadonlySet<string>): string {
  return uniqueId(`svc-${slugId(name, new Set())}`, taken);
}

export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

/** Refuses a change over one the person did not see: someone saved the record after their form loaded it. */
export function checkUnchanged(record: { updatedAt?: number; name?: string; title?: string }, expectedUpdatedAt: number | undefined): void {
  if (expectedUpdatedAt === undefined || record.updatedAt === undefined || record.updatedAt === expectedUpdatedAt) return;
  throw conflict(`${record.name ?? record.title} was changed by someone else after you opened it: reload it and make your change again.`);
}

/** The warnings a saved service deserves: an RTO outside its band, JSM ids no incident carries. */
function serviceWarnings(service: Service, directory: JsmDirectory | undefined, bands: ReturnType<typeof tierBandsOf>): string[] {
  const warnings: string[] = [];
  const band = rtoBandCheck(service.tier, service.rtoMinutes, bands);
  if (!band.ok) warnings.push(band.message);
  const seen = new Set((directory?.services ?? []).map((s) => s.id));
  for (const id of service.jsmServiceIds) {
    if (!seen.has(id)) warnings.push(`No incident the app has read names the JSM service id ${id}: check that it is the id the Affected services field carries.`);
  }
  return warnings;
}

/** Dependency ids from what the form sent (ids, or names), each checked. */
function resolveDependencies(names: readonly string[], self: Service | undefined, catalogue: Catalogue): string[] {
  const byId = new Map(catalogue.services.map((s) => [s.id, s]));
  const byName = new Map(catalogue.services.map((s) => [nameKey(s.name), s]));
  return names.map((value, index) => {
    const found = byId.get(value) ?? byName.get(nameKey(value));
    const field = `dependsOn.${index}`;
    if (!found) throw invalidInput(`No service named ${JSON.stringify(value)} in the catalogue.`, field);
    if (self && found.id === self.id) throw invalidInput('A service cannot depend on itself.', field);
    if (found.status === 'retired' && !self?.dependsOn.includes(found.id)) throw invalidInput(`${found.name} is retired: a service cannot start depending on it.`, field);
    return found.id;
  });
}

async function respond(service: Service, catalogue: Catalogue, deps: ConsoleDeps, extraWarnings: string[] = []): Promise<ServiceChangeAnswer> {
  const [settings, directory] = await Promise.all([deps.store.getSettings(), deps.catalogue.getJsmDirectory()]);
  const bands = tierBandsOf(settings);
  const approved = approvedServices(catalogue.plans).has(service.id);
  const [row] = await serviceRows([{ service, hasApprovedPlan: approved }], { bands, directory }, deps);
  return { service: row!, warnings: [...(service.status === 'retired' ? [] : serviceWarnings(service, directory, bands)), ...extraWarnings] };
}

export async function saveService(input: SaveServiceInput, actor: string, deps: ConsoleDeps): Promise<ServiceChangeAnswer> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, CHANGE, settings);
  const parsed = parseServiceInput(input.service, tierBandsOf(settings));
  const current = await loadCatalogue(deps.catalogue);
  const existing = input.id === undefined ? undefined : current.services.find((s) => s.id === input.id);
  if (input.id !== undefined && !existing) throw notFound('Service', 'id');
  if (existing) checkUnchanged(existing, input.expectedUpdatedAt);
  const same = current.services.find((s) => s.id !== existing?.id && nameKey(s.name) === nameKey(parsed.name));
  if (same) throw conflict(`A service named ${same.name} already exists${same.status === 'retired' ? ' (retired: restore it instead)' : ''}.`, 'name');
  const id = existing?.id ?? newServiceId(parsed.name, new Set(current.services.map((s) => s.id)));
  const dependsOn = resolveDependencies(parsed.dependsOn, existing ?? undefined, current);
  const cycle = wouldCreateCycle(current.services, id, dependsOn);
  if (cycle) throw invalidInput(`These dependencies would form a cycle: ${cycle.join(' → ')}.`, 'dependsOn');
  if (parsed.ownerAccountId && parsed.ownerAccountId !== existing?.ownerAccountId) {
    const found = await deps.jira.usersByIds([parsed.ownerAccountId]);
    if (!found.has(parsed.ownerAccountId)) throw invalidInput('Jira has no user with this account id that you can see.', 'ownerAccountId');
  }
  const service: Service = {
    id,
    name: parsed.name,
    tier: parsed.tier,
    rtoMinutes: parsed.rtoMinutes,
    rpoMinutes: parsed.rpoMinutes,
    ...(parsed.ownerAccountId ? { ownerAccountId: parsed.ownerAccountId } : {}),
    jsmServiceIds: parsed.jsmServiceIds,
    dependsOn,
    components: parsed.components,
    labels: parsed.labels,
    status: existing?.status ?? 'active',
    updatedAt: deps.clock.now(),
    updatedBy: actor,
  };
  const after = await saveCatalogue({ services: [service] }, deps.catalogue, current, catalogueReporter(deps, settings.reviewCadence));
  return respond(service, after, deps);
}

async function changeStatus(input: ServiceRefInput, actor: string, status: 'active' | 'retired', deps: ConsoleDeps): Promise<ServiceChangeAnswer> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, CHANGE, settings);
  const current = await loadCatalogue(deps.catalogue);
  const existing = current.services.find((s) => s.id === input.id);
  if (!existing) throw notFound('Service', 'id');
  checkUnchanged(existing, input.expectedUpdatedAt);
  const warnings: string[] = [];
  if (status === 'retired') {
    const dependents = current.services.filter((s) => s.status !== 'retired' && s.dependsOn.includes(existing.id)).map((s) => s.name);
    if (dependents.length > 0) warnings.push(`${dependents.join(', ')} still ${dependents.length === 1 ? 'depends' : 'depend'} on ${existing.name}: their effective RTO still counts it.`);
    const plans = current.plans.filter((p) => p.serviceId === existing.id && p.status !== 'retired').length;
    if (plans > 0) warnings.push(`${existing.name} keeps its ${plans === 1 ? 'plan' : `${plans} plans`} as history; incidents no longer invoke ${plans === 1 ? 'it' : 'them'}.`);
  }
  // Retiring twice (or restoring an active service) changes nothing and stores nothing.
  if ((existing.status ?? 'active') === status) return respond(existing, current, deps, warnings);
  const service: Service = { ...existing, status, updatedAt: deps.clock.now(), updatedBy: actor };
  const after = await saveCatalogue({ services: [service] }, deps.catalogue, current, catalogueReporter(deps, settings.reviewCadence));
  return respond(service, after, deps, warnings);
}

export const retireService = (input: ServiceRefInput, actor: string, deps: ConsoleDeps) => changeStatus(input, actor, 'retired', deps);
export const restoreService = (input: ServiceRefInput, actor: string, deps: ConsoleDeps) => changeStatus(input, actor, 'active', deps);

/** Deletes a service nothing refers to; anything that does is named, and retiring offered instead. */
export async function deleteService(input: ServiceRefInput, deps: ConsoleDeps): Promise<DeleteServiceAnswer> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, CHANGE, settings);
  const current = await loadCatalogue(deps.catalogue);
  const existing = current.services.find((s) => s.id === input.id);
  if (!existing) throw notFound('Service', 'id');
  checkUnchanged(existing, input.expectedUpdatedAt);
  const retire = 'retire it instead: it stops being matched and its history stays.';
  const plans = current.plans.filter((p) => p.serviceId === existing.id);
  if (plans.length > 0) throw conflict(`${existing.name} has ${plans.length === 1 ? 'a plan' : `${plans.length} plans`} (${plans.map((p) => p.title).join(', ')}): ${retire}`);
  const dependents = current.services.filter((s) => s.dependsOn.includes(existing.id)).map((s) => s.name);
  if (dependents.length > 0) throw conflict(`${dependents.join(', ')} ${dependents.length === 1 ? 'depends' : 'depend'} on ${existing.name}: remove ${dependents.length === 1 ? 'that dependency' : 'those dependencies'} first, or ${retire}`);
  if ((settings.fallbackMappings ?? []).some((m) => m.serviceId === existing.id)) throw conflict(`The app settings map a component or label to ${existing.name}: remove that mapping first, or ${retire}`);
  const open = await openInvocations(deps);
  const invoked = open.invocations.filter((o) => o.invocation.serviceId === existing.id).map((o) => o.issueKey);
  if (invoked.length > 0) throw conflict(`${existing.name} has open invocations on ${[...new Set(invoked)].join(', ')}: ${retire}`);
  if (!open.complete) throw conflict(`Too many incidents are open to check that none involves ${existing.name}: ${retire}`);
  await saveCatalogue({ deleteServiceIds: [existing.id] }, deps.catalogue, current, catalogueReporter(deps, settings.reviewCadence));
  return { id: existing.id, name: existing.name };
}
