/**
 * A JSON document persisted on disk. Every save is atomic (write a temp file, fsync, rename), and
 * saves are serialised, so a crash mid-write leaves the previous state intact and never a torn file.
 */
import fs from 'node:fs';
import path from 'node:path';

export class JsonFile<T> {

  constructor(private readonly file: string | undefined) {}

  /** Reads the document, or returns undefined when there is none (or no file is configured). */
  load(): T | undefined {
    if (!this.file || !fs.existsSync(this.file)) return undefined;
    return JSON.parse(fs.readFileSync(this.file, 'utf8')) as T;
  }

  /** Writes synchronously and atomically; callers await nothing and lose nothing on a crash after return. */
  saveSync(value: T): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      try {
        fs.writeSync(fd, JSON.stringify(value));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
    } catch (e) {
      // A failed save leaves the previous file as it was and no stray temp file behind.
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }

  remove(): void {
    if (this.file && fs.existsSync(this.file)) fs.rmSync(this.file);
  }
}
