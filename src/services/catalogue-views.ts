/**
 * What the catalogue page reads. Every view is bounded whatever the catalogue's size: a page of the
 * service list is one or two index queries (see domain/catalogue-listing.ts), one batch read of the
 * page's match entries (effective RTO and inversions, kept current by saveCatalogue), at most a few
 * batch reads for dependency names, and one Jira call for the owners' names. Nothing here writes,
 * except the one-off re-indexing of services stored before the catalogue page existed.
 */
import {
  SERVICE_PAGE_SIZE,
  type ConsoleView,
  type DurationView,
  type Person,
  type ServiceChoice,
  type ServiceDetail,
  type ServicePage,
  type ServiceQuery,
  type ServiceRow,
  type TierBandView,
} from '../contract/console';
import { TIER_NAMES, type Service, type ServiceMatch } from '../domain/catalogue';
import { hasApprovedPlan, listingCursor, listingPlan, mergePages, readListingCursor } from '../domain/catalogue-listing';
import { formatDuration } from '../domain/durations';
import { ContinuityError, notFound } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { matchKeyString } from '../domain/matching';
import { DEFAULT_TIER_BANDS, rtoBandCheck, TIERS, type TierBands } from '../domain/tiers';
import { mtpdFlag } from '../domain/bia';
import type { AppDeps, JsmDirectory, StoredBia } from '../ports';
import { reindexIfNeeded } from './catalogue';
import { continuityRole } from './roles';

export type ConsoleDeps = AppDeps;

/** Dependency names resolved per page: a few batch reads at most; beyond that a row shows ids. */
const DEPENDENCY_NAMES = 75;

export const durationView = (minutes: number): DurationView => ({ minutes, text: formatDuration(minutes) });

export const tierBandsOf = (settings: Pick<ContinuitySettings, 'tierBands'>): TierBands => settings.tierBands ?? DEFAULT_TIER_BANDS;

export function tierBandViews(bands: TierBands): TierBandView[] {
  return TIERS.map((tier) => ({ tier, name: TIER_NAMES[tier], rtoMin: durationView(bands[tier].rtoMinMinutes), rtoMax: durationView(bands[tier].rtoMaxMinutes), rpo: durationView(bands[tier].rpoMinutes) }));
}

/** What rows need besides the services: read once per view. */
export interface RowContext {
  bands: TierBands;
  directory?: JsmDirectory;
}

/**
 * People's display names, asked of Jira as the signed-in user. Names are for display only: when Jira
 * cannot answer (rate limit, outage), rows show the account without a name rather than failing.
 */
export async function peopleNamed(accountIds: readonly string[], deps: Pick<ConsoleDeps, 'jira'>): Promise<Map<string, Person>> {
  const ids = [...new Set(accountIds.filter(Boolean))];
  const out = new Map<string, Person>(ids.map((id) => [id, { accountId: id }]));
  if (ids.length === 0) return out;
  try {
    for (const [id, user] of await deps.jira.usersByIds(ids)) out.set(id, { accountId: id, displayName: user.displayName });
  } catch (error) {
    if (!(error instanceof ContinuityError)) throw error;
  }
  return out;
}

/** The list rows of these services, with what the page shows beside each. */
export async function serviceRows(entries: ReadonlyArray<{ service: Service; hasApprovedPlan: boolean }>, context: RowContext, deps: ConsoleDeps): Promise<ServiceRow[]> {
  const services = entries.map((e) => e.service);
  const active = services.filter((s) => s.status !== 'retired');
  const onPage = new Map(services.map((s) => [s.id, s]));
  const dependencyIds = [...new Set(services.flatMap((s) => s.dependsOn))].filter((id) => !onPage.has(id)).slice(0, DEPENDENCY_NAMES);
  const [matches, dependencies, people, bias] = await Promise.all([
    active.length > 0 ? deps.store.lookupMatches(active.map((s) => ({ kind: 'service' as const, value: s.id }))) : Promise.resolve(new Map<string, ServiceMatch[]>()),
    dependencyIds.length > 0 ? deps.catalogue.getServices(dependencyIds) : Promise.resolve(new Map<string, Service>()),
    peopleNamed(services.flatMap((s) => (s.ownerAccountId ? [s.ownerAccountId] : [])), deps),
    // The BIAs of the page's services, for the MTPD flag: one batch read beside the others.
    active.length > 0 ? deps.measure.getBias(active.map((s) => s.id)) : Promise.resolve(new Map<string, StoredBia>()),
  ]);
  const nameOf = (id: string) => onPage.get(id)?.name ?? dependencies.get(id)?.name;
  const seen = new Map((context.directory?.services ?? []).map((s) => [s.id, s.name]));
  return entries.map(({ service, hasApprovedPlan: approved }) => {
    const match = matches.get(matchKeyString({ kind: 'service', value: service.id }))?.find((m) => m.service.id === service.id);
    const bia = bias.get(service.id);
    const flag = bia && service.status !== 'retired' ? mtpdFlag(service, bia, match?.effectiveRtoMinutes) : undefined;
    const row = serviceRow(service, approved, { match, nameOf, seen, people, bands: context.bands });
    return flag ? { ...row, mtpd: { which: flag.which, message: flag.message } } : row;
  });
}

interface RowParts {
  match?: ServiceMatch;
  nameOf: (id: string) => string | undefined;
  seen: ReadonlyMap<string, string>;
  people: ReadonlyMap<string, Person>;
  bands: TierBands;
}

export function serviceRow(service: Service, approved: boolean, parts: RowParts): ServiceRow {
  const band = rtoBandCheck(service.tier, service.rtoMinutes, parts.bands);
  const retired = service.status === 'retired';
  return {
    id: service.id,
    name: service.name,
    tier: service.tier,
    tierName: TIER_NAMES[service.tier],
    status: retired ? 'retired' : 'active',
    rto: durationView(service.rtoMinutes),
    rpo: durationView(service.rpoMinutes),
    ...(retired ? {} : { effectiveRto: durationView(parts.match?.effectiveRtoMinutes ?? service.rtoMinutes) }),
    inversions: retired
      ? []
      : (parts.match?.inversions ?? []).map((i) => ({ dependencyId: i.dependencyId, dependencyName: i.dependencyName, dependencyRto: durationView(i.dependencyRtoMinutes) })),
    ...(band.ok ? {} : { band: { flag: band.flag, message: band.message } }),
    ...(service.ownerAccountId ? { owner: parts.people.get(service.ownerAccountId) ?? { accountId: service.ownerAccountId } } : {}),
    dependsOn: service.dependsOn.map((id) => ({ id, name: parts.nameOf(id) })),
    jsmServices: service.jsmServiceIds.map((id) => (parts.seen.has(id) ? { id, name: parts.seen.get(id), seen: true } : { id, seen: false })),
    components: service.components,
    labels: service.labels,
    hasApprovedPlan: approved,
    ...(service.updatedAt !== undefined ? { updatedAt: service.updatedAt } : {}),
  };
}

/** One page of the service list: one index query per partition of the view, merged. */
export async function servicePage(query: ServiceQuery, context: RowContext, deps: ConsoleDeps): Promise<ServicePage> {
  const plan = listingPlan(query);
  const after = readListingCursor(query.cursor);
  const pages = await Promise.all(
    plan.listings.map((listing) => deps.catalogue.servicesByListing({ index: plan.index, listing, prefix: plan.prefix, after, limit: SERVICE_PAGE_SIZE + 1 })),
  );
  const merged = mergePages(
    pages.map((page) => page.map((entry) => ({ sortValue: entry.sortValue, item: entry }))),
    SERVICE_PAGE_SIZE,
  );
  const items = await serviceRows(merged.items.map((m) => m.item), context, deps);
  const last = merged.items[merged.items.length - 1];
  return { items, query: { ...query, cursor: undefined }, ...(merged.more && last ? { cursor: listingCursor(last.sortValue) } : {}) };
}

export const DEFAULT_QUERY: ServiceQuery = { view: 'active', sort: 'name' };

/** Everything the page shows when it opens: one resolver call. */
export async function loadConsole(deps: ConsoleDeps): Promise<ConsoleView> {
  const [settings, summary, directory] = await Promise.all([deps.store.getSettings(), deps.catalogue.getSummary(), deps.catalogue.getJsmDirectory()]);
  // Services stored before the page existed carry no listing attributes yet: once, write them again.
  const reindexed = await reindexIfNeeded(deps.catalogue, summary);
  const bands = tierBandsOf(settings);
  const [role, services, counts] = await Promise.all([
    continuityRole(deps, settings),
    servicePage(DEFAULT_QUERY, { bands, directory }, deps),
    reindexed ? deps.catalogue.getSummary() : Promise.resolve(summary),
  ]);
  return {
    serverTime: deps.clock.now(),
    role,
    services,
    summary: { services: counts?.services ?? 0, plans: counts?.plans ?? 0, ...(counts?.withoutApprovedPlan !== undefined ? { withoutApprovedPlan: counts.withoutApprovedPlan } : {}) },
    tierBands: tierBandViews(bands),
    timeZone: settings.siteTimeZone ?? 'UTC',
    jsm: { ...(directory ? { learnedAt: directory.learnedAt } : {}), known: directory?.services.length ?? 0 },
  };
}

export async function listServices(query: ServiceQuery, deps: ConsoleDeps): Promise<ServicePage> {
  const [settings, directory] = await Promise.all([deps.store.getSettings(), deps.catalogue.getJsmDirectory()]);
  return servicePage(query, { bands: tierBandsOf(settings), directory }, deps);
}

export async function serviceDetail(id: string, deps: ConsoleDeps): Promise<ServiceDetail> {
  const [service, plans, settings, directory] = await Promise.all([
    deps.catalogue.getService(id),
    deps.catalogue.plansForService(id),
    deps.store.getSettings(),
    deps.catalogue.getJsmDirectory(),
  ]);
  if (!service) throw notFound('Service', 'id');
  const [row] = await serviceRows([{ service, hasApprovedPlan: hasApprovedPlan(plans) }], { bands: tierBandsOf(settings), directory }, deps);
  return { ...row!, plans: plans.map((p) => ({ id: p.id, title: p.title, status: p.status })).sort((a, b) => a.title.localeCompare(b.title)) };
}

/** Active services whose name starts with `prefix` (for the dependency and plan pickers): two index queries. */
export async function searchServices(prefix: string, deps: ConsoleDeps, limit = 20): Promise<ServiceChoice[]> {
  const plan = listingPlan({ view: 'active', sort: 'name', search: prefix });
  const pages = await Promise.all(plan.listings.map((listing) => deps.catalogue.servicesByListing({ index: plan.index, listing, prefix: plan.prefix, limit })));
  return mergePages(
    pages.map((page) => page.map((entry) => ({ sortValue: entry.sortValue, item: entry.service }))),
    limit,
  ).items.map(({ item }) => ({ id: item.id, name: item.name, tier: item.tier, rto: durationView(item.rtoMinutes) }));
}

/** People for the owner picker, as Jira's own user picker would offer them to the signed-in user. */
export async function searchPeople(query: string, deps: ConsoleDeps): Promise<Person[]> {
  const found = await deps.jira.searchUsers(query, 10);
  return found.filter((p) => (p.accountType === undefined || p.accountType === 'atlassian') && p.active !== false).map((p) => ({ accountId: p.accountId, displayName: p.displayName }));
}
