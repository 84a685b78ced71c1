/**
 * How the catalogue page lists services without reading the catalogue: every stored service carries
 * index attributes, and each view of the list is one range of one Custom Entity index.
 *
 * - `listing` partitions the indexes: `covered` (active, with an approved plan), `gap` (active, without
 *   one) or `retired`. The "no approved plan" view reads the `gap` partition; the view of every active
 *   service reads `covered` and `gap` and merges the two sorted pages.
 * - Four range attributes give the orders, each a string that ends with the name key and the service id
 *   so that every value is unique: `sortName` (name), `sortTierName` (tier, then name: the tier filter
 *   and a search within a tier are a prefix of it), `sortRto` (RTO, then name) and `sortTierRto` (tier,
 *   then RTO, then name: "sort by tier", and the RTO order within one tier).
 * - Pages continue after the last value shown (keyset paging), not with storage cursors: a merged page
 *   stops part-way through each partition's page, and a value is a place both partitions understand.
 *
 * Name keys never hold two spaces in a row (nameKey collapses white space) nor characters below the
 * space, so a double space before the id sorts "abc" before "abc d", as a reader expects.
 */
import type { ContinuityPlan, Service, Tier } from './catalogue';
import { nameKey } from './visible-text';

export type Listing = 'covered' | 'gap' | 'retired';

export interface ServiceIndexAttributes {
  listing: Listing;
  hasApprovedPlan: boolean;
  nameKey: string;
  sortName: string;
  sortTierName: string;
  sortRto: string;
  sortTierRto: string;
}

export type ListingIndex = 'name' | 'tierName' | 'rto' | 'tierRto';

const SEPARATOR = '  ';
/** RTOs are at most 30 days (43,200 minutes): six digits keep them in numeric order as text. */
const pad = (minutes: number) => String(Math.max(0, Math.min(999_999, Math.round(minutes)))).padStart(6, '0');

/** Whether a service has a plan in force that is approved (retired plans never count). */
export function hasApprovedPlan(plans: readonly Pick<ContinuityPlan, 'status'>[]): boolean {
  return plans.some((p) => p.status === 'approved');
}

export function serviceIndexAttributes(service: Pick<Service, 'id' | 'name' | 'tier' | 'rtoMinutes' | 'status'>, approved: boolean): ServiceIndexAttributes {
  const key = nameKey(service.name);
  const tail = `${key}${SEPARATOR}${service.id}`;
  return {
    listing: service.status === 'retired' ? 'retired' : approved ? 'covered' : 'gap',
    hasApprovedPlan: approved,
    nameKey: key,
    sortName: tail,
    sortTierName: `${service.tier}:${tail}`,
    sortRto: `${pad(service.rtoMinutes)}:${tail}`,
    sortTierRto: `${service.tier}:${pad(service.rtoMinutes)}:${tail}`,
  };
}

export interface ListingRequest {
  view: 'active' | 'no-approved-plan' | 'retired';
  sort: 'name' | 'tier' | 'rto';
  tier?: Tier;
  search?: string;
}

/** Which index to read, which partitions, and the prefix every value of the view starts with. */
export interface ListingPlan {
  index: ListingIndex;
  listings: Listing[];
  prefix: string;
}

export function listingPlan(request: ListingRequest): ListingPlan {
  const listings: Listing[] = request.view === 'retired' ? ['retired'] : request.view === 'no-approved-plan' ? ['gap'] : ['covered', 'gap'];
  const search = request.search ? nameKey(request.search) : '';
  const tier = request.tier ? `${request.tier}:` : '';
  // A search is in name order: a prefix of the name can only narrow an index that starts with the name.
  if (search !== '' || request.sort === 'name') return { index: tier ? 'tierName' : 'name', listings, prefix: `${tier}${search}` };
  if (request.sort === 'tier') return { index: 'tierRto', listings, prefix: tier };
  return tier ? { index: 'tierRto', listings, prefix: tier } : { index: 'rto', listings, prefix: '' };
}

export interface Sorted<T> {
  sortValue: string;
  item: T;
}

/**
 * One page from several partitions' pages, each sorted ascending, read after the same value, and
 * holding up to `limit + 1` values: the first `limit` values overall, and whether any value is left
 * (then some partition holds more, and the next page starts after the last value shown).
 */
export function mergePages<T>(pages: ReadonlyArray<ReadonlyArray<Sorted<T>>>, limit: number): { items: Array<Sorted<T>>; more: boolean } {
  const all = pages.flat().sort((a, b) => (a.sortValue < b.sortValue ? -1 : a.sortValue > b.sortValue ? 1 : 0));
  return { items: all.slice(0, limit), more: all.length > limit };
}

const CURSOR_PREFIX = 'after:';

/** The cursor the page hands the front end: the last value shown. */
export function listingCursor(lastSortValue: string): string {
  return `${CURSOR_PREFIX}${lastSortValue}`;
}

/** The value to read after, from a cursor; undefined for a cursor this module did not make. */
export function readListingCursor(cursor: string | undefined): string | undefined {
  return cursor?.startsWith(CURSOR_PREFIX) ? cursor.slice(CURSOR_PREFIX.length) : undefined;
}
