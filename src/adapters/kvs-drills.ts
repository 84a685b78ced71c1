/**
 * DrillStore over Forge hosted storage: one Custom Entity per drill, written with a version guard
 * (create-if-absent for a new one, a transaction conditioned on the version read for a change), listed
 * through the `by-listing` index: partition upcoming or past, ranged by the date it is scheduled for.
 */
import { Filter, FilterConditions, kvs, Sort } from '@forge/kvs';
import type { Drill, DrillListing } from '../domain/drills';
import { StaleRecordError, type DrillStore, type Page } from '../ports';
import { ENTITY, INDEX } from '../constants';
import { validKey } from './kvs-catalogue';
import { lostRace, storage } from './kvs-errors';

export class KvsDrillStore implements DrillStore {
  async getDrill(id: string): Promise<Drill | undefined> {
    if (!validKey(id)) return undefined;
    return storage('drill', () => kvs.entity<Drill>(ENTITY.drill).get(id));
  }

  async saveDrill(drill: Drill, expectedVersion: number): Promise<Drill> {
    const stored: Drill = { ...drill, version: expectedVersion + 1 };
    try {
      if (expectedVersion === 0) {
        await storage('drill', () => kvs.entity<Drill>(ENTITY.drill).set(drill.id, stored, { keyPolicy: 'FAIL_IF_EXISTS' }));
      } else {
        const unchanged = new Filter<Drill>().and('version', FilterConditions.equalTo(expectedVersion));
        await storage('drill', () => kvs.transact().set(drill.id, stored, { entityName: ENTITY.drill, conditions: unchanged }).execute());
      }
    } catch (error) {
      if (lostRace(error)) throw new StaleRecordError(drill.id);
      throw error;
    }
    return stored;
  }

  async listDrills(listing: DrillListing, limit: number, cursor?: string): Promise<Page<Drill>> {
    let query = kvs
      .entity<Drill>(ENTITY.drill)
      .query()
      .index(INDEX.drillByListing, { partition: [listing] })
      .sort(listing === 'upcoming' ? Sort.ASC : Sort.DESC)
      .limit(limit);
    if (cursor) query = query.cursor(cursor);
    const page = await storage('drills', () => query.getMany());
    return { items: page.results.map((r) => r.value), ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
  }
}
