/**
 * A JSON document (a product's whole state) persisted through the journal (journal.ts) as record-level
 * changes instead of whole-file rewrites.
 *
 * The document's top-level keys are either collections of records (an array of records with ids, or an
 * object keyed by id) or plain values. A save journals, as ONE line, every record that changed since the
 * last save and every plain value whose JSON changed. Finding changed records is cheap: a record is
 * changed when it is new, replaced by another object, or (`touched`) known to the caller to have been
 * modified in place; without `touched`, every record's JSON is compared with the last saved one.
 */
import { Journal, type JournalOptions } from './journal';

export interface DocumentShape {
  /** Top-level keys holding arrays of records, with each record's id. */
  arrays?: Record<string, (record: any) => string>;
  /** Top-level keys holding objects of records keyed by id. */
  maps?: string[];
}

interface Cached {
  obj: unknown;
  json: string;
}

interface CollectionChanges {
  set: string[];
  del: string[];
}

export class DocumentStore<S extends object> {
  private readonly journal: Journal;
  private readonly arrays: Record<string, (record: any) => string>;
  private readonly maps: Set<string>;
  private cache = new Map<string, Map<string, Cached>>();
  private plainCache = new Map<string, string>();
  private state?: S;

  constructor(readonly file: string | undefined, private readonly shape: DocumentShape, opts?: JournalOptions) {
    this.journal = new Journal(file, opts);
    this.arrays = shape.arrays ?? {};
    this.maps = new Set(shape.maps ?? []);
  }

  /** Reads the snapshot and replays the journal; undefined when nothing is saved. */
  load(): S | undefined {
    const { snapshot, entries, tornTail } = this.journal.open();
    if (!snapshot) return undefined;
    const state = snapshot as Record<string, unknown>;
    for (const entry of entries as Array<{ c?: Record<string, { set?: Record<string, unknown>; del?: string[] }>; p?: Record<string, unknown> }>) {
      for (const [key, change] of Object.entries(entry.c ?? {})) {
        const idOf = this.arrays[key];
        if (idOf) {
          const list = (Array.isArray(state[key]) ? state[key] : (state[key] = [])) as unknown[];
          const index = new Map(list.map((r, i) => [idOf(r), i]));
          for (const [id, record] of Object.entries(change.set ?? {})) {
            const at = index.get(id);
            if (at === undefined) {
              index.set(id, list.length);
              list.push(record);
            } else list[at] = record;
          }
          if (change.del?.length) {
            const gone = new Set(change.del);
            state[key] = list.filter((r) => !gone.has(idOf(r)));
          }
        } else {
          const map = (state[key] && typeof state[key] === 'object' ? state[key] : (state[key] = {})) as Record<string, unknown>;
          for (const [id, record] of Object.entries(change.set ?? {})) map[id] = record;
          for (const id of change.del ?? []) delete map[id];
        }
      }
      for (const [key, value] of Object.entries(entry.p ?? {})) state[key] = value;
    }
    this.attach(state as S);
    // Replayed lines go into a new snapshot; either way every record's saved JSON is now known.
    if (entries.length > 0 || tornTail) this.compact();
    else this.serialise();
    return state as S;
  }

  /** Makes `state` the document that saves diff against (call after loading or replacing it). */
  attach(state: S): void {
    this.state = state;
    this.journal.snapshotText = () => this.serialise();
  }

  /**
   * Journals what changed since the last save as one line. `touched` lists records modified in place;
   * when it is absent every record is compared by its JSON. A new store's first save writes a snapshot.
   */
  save(state: S, touched?: ReadonlySet<object>): void {
    if (!this.journal.enabled) return;
    if (this.state !== state) this.state = state;
    if (!this.journal.hasSnapshot) {
      this.compact();
      return;
    }
    const collections: string[] = [];
    const plain: string[] = [];
    for (const [key, value] of Object.entries(state)) {
      if (this.arrays[key] || this.maps.has(key)) {
        const changes = this.diff(key, value, touched);
        if (changes.set.length || changes.del.length) {
          const set = `{${changes.set.join(',')}}`;
          collections.push(`${JSON.stringify(key)}:{"set":${set},"del":${JSON.stringify(changes.del)}}`);
        }
      } else {
        const json = JSON.stringify(value);
        if (json !== undefined && this.plainCache.get(key) !== json) {
          this.plainCache.set(key, json);
          plain.push(`${JSON.stringify(key)}:${json}`);
        }
      }
    }
    if (collections.length === 0 && plain.length === 0) return;
    this.journal.append(`{"c":{${collections.join(',')}},"p":{${plain.join(',')}}}`);
  }

  /** `"id":json` pairs of changed records and the ids removed, updating the cache. */
  private diff(key: string, value: unknown, touched: ReadonlySet<object> | undefined): CollectionChanges {
    const cache = this.cache.get(key) ?? new Map<string, Cached>();
    this.cache.set(key, cache);
    const out: CollectionChanges = { set: [], del: [] };
    const visit = (id: string, record: unknown) => {
      const cached = cache.get(id);
      if (cached && cached.obj === record && touched && !touched.has(record as object)) return;
      const json = JSON.stringify(record);
      if (cached && cached.json === json) {
        cached.obj = record;
        return;
      }
      cache.set(id, { obj: record, json });
      out.set.push(`${JSON.stringify(id)}:${json}`);
    };
    const idOf = this.arrays[key];
    const ids: string[] = [];
    if (idOf) for (const record of (value as unknown[]) ?? []) ids.push(idOf(record)), visit(ids[ids.length - 1], record);
    else for (const [id, record] of Object.entries((value as Record<string, unknown>) ?? {})) ids.push(id), visit(id, record);
    // Records gone since the last save: the cache holds more ids than the document still has.
    if (cache.size > ids.length) {
      const present = new Set(ids);
      for (const id of [...cache.keys()]) {
        if (!present.has(id)) {
          cache.delete(id);
          out.del.push(id);
        }
      }
    }
    return out;
  }

  /** The whole document as JSON, filling the per-record cache on the way. */
  private serialise(): string {
    const state = this.state as Record<string, unknown> | undefined;
    if (!state) return '{}';
    const parts: string[] = [];
    this.cache.clear();
    this.plainCache.clear();
    for (const [key, value] of Object.entries(state)) {
      if (value === undefined) continue;
      const idOf = this.arrays[key];
      if (idOf || this.maps.has(key)) {
        const cache = new Map<string, Cached>();
        this.cache.set(key, cache);
        const items: string[] = [];
        if (idOf) {
          for (const record of value as unknown[]) {
            const json = JSON.stringify(record);
            cache.set(idOf(record), { obj: record, json });
            items.push(json);
          }
          parts.push(`${JSON.stringify(key)}:[${items.join(',')}]`);
        } else {
          for (const [id, record] of Object.entries(value as Record<string, unknown>)) {
            const json = JSON.stringify(record);
            cache.set(id, { obj: record, json });
            items.push(`${JSON.stringify(id)}:${json}`);
          }
          parts.push(`${JSON.stringify(key)}:{${items.join(',')}}`);
        }
      } else {
        const json = JSON.stringify(value);
        this.plainCache.set(key, json);
        parts.push(`${JSON.stringify(key)}:${json}`);
      }
    }
    return `{${parts.join(',')}}`;
  }

  /** Writes the whole document as the snapshot and empties the journal. */
  compact(): void {
    if (this.journal.enabled && this.state) this.journal.compact(this.serialise());
  }

  /** Resolves once every save so far is on disk. */
  durable(): Promise<void> {
    return this.journal.durable();
  }

  /** A clean shutdown: a snapshot of everything, and no journal left. */
  close(): void {
    if (this.journal.enabled && this.state) this.journal.close(this.serialise());
  }

  /** Deletes the files (a reset); the next save writes a fresh snapshot. */
  remove(): void {
    this.journal.remove();
    this.cache.clear();
    this.plainCache.clear();
  }
}
