/**
 * Fast, crash-safe persistence: a snapshot plus an append-only journal.
 *
 * - Every mutation is ONE line appended to `<file>.journal` (`{"s":seq,"e":entry}\n`), written to the OS
 *   before the request returns; a crash of the process loses nothing that was answered.
 * - Lines appended in the same tick share one fdatasync (group commit): `durable()` resolves once the
 *   line is on disk, and callers await it before answering.
 * - Loading reads the snapshot, then replays the journal lines newer than the snapshot's sequence
 *   number. A torn last line (a crash mid-write) is ignored and cut off, so a mutation is all or nothing;
 *   a bad line followed by good ones is corruption and is refused.
 * - Compaction writes the whole state as a new snapshot (temp file, fsync, rename, fsync of the folder)
 *   and empties the journal. It runs when the journal outgrows the snapshot (and at least 1 MiB), on
 *   open when the journal is not empty, and on close. A crash at any point leaves a loadable pair: the
 *   snapshot records the last sequence number it contains, so older journal lines are skipped.
 *
 * The snapshot stays a plain JSON document of the state (with one extra key, `__journalSeq`), so data
 * folders written by the earlier whole-file saves still load.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SEQ_KEY = '__journalSeq';

export interface JournalOptions {
  /** Compact once the journal holds this many bytes and more than the snapshot. Default 1 MiB. */
  compactAfterBytes?: number;
  /** Skip fdatasync (tests of logic only); lines still reach the OS before a request returns. */
  fsync?: boolean;
}

export interface OpenedJournal {
  /** The snapshot's state without `__journalSeq`, or undefined when there is none. */
  snapshot?: Record<string, unknown>;
  /** The entries of the journal lines newer than the snapshot, in order. */
  entries: unknown[];
  /** A torn last line was found and cut off. */
  tornTail: boolean;
}

export class Journal {
  readonly journalFile?: string;
  private fd?: number;
  private seq = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private unsynced = false;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private syncScheduled = false;
  private readonly compactAfterBytes: number;
  private readonly fsync: boolean;
  /** Set by the owner: the whole state as a JSON object text (for compaction). */
  snapshotText?: () => string;
  private compactScheduled = false;
  private snapshotOnDisk = false;

  constructor(readonly file: string | undefined, opts: JournalOptions = {}) {
    this.journalFile = file ? `${file}.journal` : undefined;
    this.compactAfterBytes = opts.compactAfterBytes ?? 1024 * 1024;
    this.fsync = opts.fsync ?? true;
  }

  get enabled(): boolean {
    return this.file !== undefined;
  }

  /** Whether a snapshot exists (after `open()`); the first save of a new store writes one. */
  get hasSnapshot(): boolean {
    return this.snapshotOnDisk;
  }

  /** Reads the snapshot and the journal after it; cuts off a torn last line. */
  open(): OpenedJournal {
    if (!this.file || !this.journalFile) return { entries: [], tornTail: false };
    let snapshot: Record<string, unknown> | undefined;
    let snapshotSeq = 0;
    if (fs.existsSync(this.file)) {
      const text = fs.readFileSync(this.file, 'utf8');
      this.snapshotBytes = Buffer.byteLength(text);
      snapshot = JSON.parse(text) as Record<string, unknown>;
      this.snapshotOnDisk = true;
      snapshotSeq = typeof snapshot[SEQ_KEY] === 'number' ? (snapshot[SEQ_KEY] as number) : 0;
      delete snapshot[SEQ_KEY];
    }
    this.seq = snapshotSeq;
    const entries: unknown[] = [];
    let tornTail = false;
    if (fs.existsSync(this.journalFile)) {
      const buf = fs.readFileSync(this.journalFile);
      let offset = 0;
      let goodEnd = 0;
      let bad: number | undefined;
      while (offset < buf.length) {
        const nl = buf.indexOf(0x0a, offset);
        const end = nl < 0 ? buf.length : nl;
        const line = buf.subarray(offset, end).toString('utf8');
        const parsed = nl < 0 ? undefined : parseLine(line);
        if (parsed) {
          if (bad !== undefined) throw new Error(`${this.journalFile}: line at byte ${bad} is corrupt but later lines are not; refusing to load a damaged journal`);
          if (parsed.s > snapshotSeq) entries.push(parsed.e);
          this.seq = Math.max(this.seq, parsed.s);
          goodEnd = end + 1;
        } else if (line.trim().length > 0 || nl < 0) {
          bad ??= offset;
        }
        offset = end + 1;
      }
      if (goodEnd < buf.length) {
        // A torn tail: the mutation it held was never acknowledged. Cut it off so appends start clean.
        tornTail = bad !== undefined;
        fs.truncateSync(this.journalFile, goodEnd);
      }
      this.journalBytes = goodEnd;
    }
    return { snapshot, entries, tornTail };
  }

  /**
   * Appends one mutation (its entry as JSON text) and writes it to the OS now; throws if the write
   * fails (the caller undoes the mutation). `durable()` waits for it to reach the disk.
   */
  append(entryJson: string): void {
    if (!this.journalFile) return;
    const line = Buffer.from(`{"s":${this.seq + 1},"e":${entryJson}}\n`, 'utf8');
    if (this.fd === undefined) {
      fs.mkdirSync(path.dirname(this.journalFile), { recursive: true });
      this.fd = fs.openSync(this.journalFile, 'a');
    }
    let written = 0;
    try {
      while (written < line.length) written += fs.writeSync(this.fd, line, written, line.length - written);
    } catch (error) {
      // Leave no partial line behind: the journal must end at a line boundary.
      if (written > 0) fs.ftruncateSync(this.fd, this.journalBytes);
      throw error;
    }
    this.seq++;
    this.journalBytes += line.length;
    this.unsynced = true;
    if (this.snapshotText && !this.compactScheduled && this.journalBytes > Math.max(this.compactAfterBytes, this.snapshotBytes)) {
      this.compactScheduled = true;
      setImmediate(() => {
        this.compactScheduled = false;
        if (this.snapshotText && this.journalBytes > Math.max(this.compactAfterBytes, this.snapshotBytes)) this.compact(this.snapshotText());
      });
    }
  }

  /** Resolves once everything appended so far is on disk (one fdatasync for all appends of a tick). */
  durable(): Promise<void> {
    if (!this.unsynced || this.fd === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.syncScheduled) {
        this.syncScheduled = true;
        setImmediate(() => this.sync());
      }
    });
  }

  private sync(): void {
    this.syncScheduled = false;
    const waiters = this.waiters;
    this.waiters = [];
    try {
      if (this.fd !== undefined && this.unsynced && this.fsync) fs.fdatasyncSync(this.fd);
      this.unsynced = false;
      for (const w of waiters) w.resolve();
    } catch (error) {
      for (const w of waiters) w.reject(error as Error);
    }
  }

  /** Writes `stateJson` (a JSON object text) as the new snapshot and empties the journal. */
  compact(stateJson: string): void {
    if (!this.file) return;
    const text = stateJson.trim() === '{}' ? `{"${SEQ_KEY}":${this.seq}}` : `{"${SEQ_KEY}":${this.seq},${stateJson.trim().slice(1)}`;
    writeAtomically(this.file, text);
    this.snapshotOnDisk = true;
    this.snapshotBytes = Buffer.byteLength(text);
    if (this.journalBytes > 0 && this.journalFile) {
      if (this.fd !== undefined) {
        fs.ftruncateSync(this.fd, 0);
        if (this.fsync) fs.fdatasyncSync(this.fd);
      } else fs.truncateSync(this.journalFile, 0);
      this.journalBytes = 0;
    }
    this.unsynced = false;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  /** Compacts (when there is anything journalled), closes the journal and removes it. */
  close(stateJson?: string): void {
    if (!this.file || !this.journalFile) return;
    if (stateJson !== undefined && (this.journalBytes > 0 || !this.hasSnapshot)) this.compact(stateJson);
    if (this.fd !== undefined) {
      if (this.unsynced && this.fsync) fs.fdatasyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    if (this.journalBytes === 0) fs.rmSync(this.journalFile, { force: true });
  }

  /** Deletes the snapshot and the journal (a reset); the sequence starts again. */
  remove(): void {
    if (!this.file || !this.journalFile) return;
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    fs.rmSync(this.file, { force: true });
    fs.rmSync(this.journalFile, { force: true });
    this.seq = 0;
    this.journalBytes = 0;
    this.snapshotBytes = 0;
    this.snapshotOnDisk = false;
    this.unsynced = false;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  /** Bytes in the journal since the last compaction. */
  get pendingBytes(): number {
    return this.journalBytes;
  }
}

function parseLine(line: string): { s: number; e: unknown } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(line) as { s?: unknown; e?: unknown };
    return typeof v.s === 'number' && 'e' in v ? { s: v.s, e: v.e } : undefined;
  } catch {
    return undefined;
  }
}

/** temp file, fsync, rename over, fsync of the folder: the old file or the new one, never a torn one. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Some filesystems cannot fsync a directory; the rename itself is still atomic.
  }
}
