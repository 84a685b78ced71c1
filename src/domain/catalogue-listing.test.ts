import type { Service } from './catalogue';
import { listingCursor, listingPlan, mergePages, readListingCursor, serviceIndexAttributes, type ListingIndex } from './catalogue-listing';

const service = (id: string, name: string, tier: 1 | 2 | 3, rtoMinutes: number, status?: 'retired'): Pick<Service, 'id' | 'name' | 'tier' | 'rtoMinutes' | 'status'> => ({ id, name, tier, rtoMinutes, ...(status ? { status } : {}) });

const attribute: Record<ListingIndex, 'sortName' | 'sortTierName' | 'sortRto' | 'sortTierRto'> = { name: 'sortName', tierName: 'sortTierName', rto: 'sortRto', tierRto: 'sortTierRto' };

/** What an index range query answers: values of one partition, ascending, starting with the prefix. */
function query(rows: Array<ReturnType<typeof serviceIndexAttributes> & { id: string }>, index: ListingIndex, listings: string[], prefix: string) {
  return rows
    .filter((r) => listings.includes(r.listing) && r[attribute[index]].startsWith(prefix))
    .map((r) => r[attribute[index]])
    .sort()
    .map((value) => rows.find((r) => r[attribute[index]] === value)!.id);
}

describe('service listing attributes', () => {
  const catalogue = [
    service('a', 'Payments', 1, 60),
    service('b', 'Ledger', 1, 30),
    service('c', 'Customer portal', 2, 240),
    service('d', 'Reporting', 3, 1440),
    service('e', 'Payments archive', 3, 600),
    service('f', 'Old billing', 2, 120, 'retired'),
    service('g', 'Wiki', 3, 45),
  ];
  const approved = new Set(['a', 'd']);
  const rows = catalogue.map((s) => ({ id: s.id, ...serviceIndexAttributes(s, approved.has(s.id)) }));

  it('puts each service in one listing: covered, gap or retired', () => {
    expect(rows.map((r) => `${r.id}:${r.listing}`)).toEqual(['a:covered', 'b:gap', 'c:gap', 'd:covered', 'e:gap', 'f:retired', 'g:gap']);
  });

  it('orders by name with a name that is a prefix of another first, by tier then RTO, and by RTO', () => {
    const plan = (sort: 'name' | 'tier' | 'rto', tier?: 1 | 2 | 3, search?: string) => listingPlan({ view: 'active', sort, tier, search });
    const run = (p: ReturnType<typeof plan>) => query(rows, p.index, p.listings, p.prefix);
    expect(run(plan('name'))).toEqual(['c', 'b', 'a', 'e', 'd', 'g']);
    expect(run(plan('tier'))).toEqual(['b', 'a', 'c', 'g', 'e', 'd']);
    expect(run(plan('rto'))).toEqual(['b', 'g', 'a', 'c', 'e', 'd']);
    expect(run(plan('name', 3))).toEqual(['e', 'd', 'g']);
    expect(run(plan('rto', 3))).toEqual(['g', 'e', 'd']);
    expect(run(plan('name', undefined, ' PAY'))).toEqual(['a', 'e']);
    expect(run(plan('rto', 3, 'pay'))).toEqual(['e']); // a search keeps name order, within the tier
  });

  it('reads the gap partition alone for services without an approved plan, and retired services apart', () => {
    expect(listingPlan({ view: 'no-approved-plan', sort: 'name' }).listings).toEqual(['gap']);
    expect(listingPlan({ view: 'active', sort: 'name' }).listings).toEqual(['covered', 'gap']);
    const retired = listingPlan({ view: 'retired', sort: 'rto' });
    expect(query(rows, retired.index, retired.listings, retired.prefix)).toEqual(['f']);
  });

  it('keeps every value unique even for equal names and RTOs', () => {
    const twins = [service('x', 'Mail', 2, 120), service('y', 'Mail', 2, 120)].map((s) => serviceIndexAttributes(s, false));
    for (const key of ['sortName', 'sortTierName', 'sortRto', 'sortTierRto'] as const) expect(twins[0]![key]).not.toBe(twins[1]![key]);
  });
});

describe('merged pages', () => {
  const sorted = (...values: string[]) => values.map((v) => ({ sortValue: v, item: v }));

  it('shows the first values of both partitions in order and says when more are left', () => {
    const page = mergePages([sorted('a', 'c', 'e'), sorted('b', 'd')], 3);
    expect(page.items.map((i) => i.item)).toEqual(['a', 'b', 'c']);
    expect(page.more).toBe(true);
    expect(mergePages([sorted('a'), sorted('b')], 3).more).toBe(false);
  });

  it('continues after the last value shown, through a cursor only it reads', () => {
    expect(readListingCursor(listingCursor('1:payments  a'))).toBe('1:payments  a');
    expect(readListingCursor('some storage cursor')).toBeUndefined();
    expect(readListingCursor(undefined)).toBeUndefined();
  });
});
