/**
 * In-memory fakes of the loop's ports (test support only): drills over the fakes' shared storage (its
 * operations counted, its failures programmable, versions guarded as the adapter's conditional writes
 * are) and the postmortem queue.
 */
import type { Drill, DrillListing } from '../../domain/drills';
import { QueueRefusedError, StaleRecordError, type DrillStore, type LoopEvent, type LoopQueue, type Page } from '../../ports';
import type { MemoryStorage } from './fakes';

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class MemoryDrills implements DrillStore {
  readonly drills = new Map<string, Drill>();

  constructor(readonly storage: MemoryStorage) {}

  async getDrill(id: string): Promise<Drill | undefined> {
    return this.storage.op('read', 'getDrill', [id], () => this.drills.get(id));
  }

  async saveDrill(drill: Drill, expectedVersion: number): Promise<Drill> {
    return this.storage.op('write', 'saveDrill', [drill, expectedVersion], () => {
      this.storage.requireKey(drill.id);
      const current = this.drills.get(drill.id);
      if ((current?.version ?? 0) !== expectedVersion) throw new StaleRecordError(drill.id);
      const stored = { ...structuredClone(drill), version: expectedVersion + 1 };
      this.drills.set(drill.id, stored);
      return stored;
    });
  }

  async listDrills(listing: DrillListing, limit: number, cursor?: string): Promise<Page<Drill>> {
    return this.storage.op('query', 'listDrills', [listing, limit, cursor], () => {
      const sign = listing === 'upcoming' ? 1 : -1;
      const all = [...this.drills.values()].filter((d) => d.listing === listing).sort((a, b) => sign * (a.scheduledFor - b.scheduledFor) || a.id.localeCompare(b.id));
      const start = cursor ? Number(cursor) : 0;
      const items = all.slice(start, start + limit);
      return { items, ...(start + limit < all.length ? { cursor: String(start + limit) } : {}) };
    });
  }
}

/** LoopQueue in memory: records what was pushed, refuses when told to. */
export class MemoryLoopQueue implements LoopQueue {
  readonly events: LoopEvent[] = [];
  private refusals = 0;

  refuseNext(times = 1): void {
    this.refusals += times;
  }

  async push(event: LoopEvent): Promise<void> {
    await yieldTurn();
    if (this.refusals > 0) {
      this.refusals -= 1;
      throw new QueueRefusedError('The postmortem queue refused the push (rate limit).', 60);
    }
    this.events.push({ ...event });
  }

  take(): LoopEvent | undefined {
    return this.events.shift();
  }
}
