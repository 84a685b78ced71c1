/**
 * Where a workbench runs: `npm start` writes `workbench.json` (url, pid) into its data directory and
 * removes it when it stops; `npm run workbench -- <command>` reads it to find the workbench to control.
 */
import fs from 'node:fs';
import path from 'node:path';

export const RUNNING_FILE = 'workbench.json';

export interface RunningRecord {
  url: string;
  pid: number;
  startedAt: string;
}

export class NoWorkbenchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoWorkbenchError';
  }
}

/** Records this process as the workbench of `dataDir`; the returned function removes the record (if still ours). */
export function recordRunning(dataDir: string, url: string): () => void {
  const file = path.join(dataDir, RUNNING_FILE);
  const record: RunningRecord = { url, pid: process.pid, startedAt: new Date().toISOString() };
  fs.mkdirSync(dataDir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(temp, file);
  return () => {
    try {
      if ((JSON.parse(fs.readFileSync(file, 'utf8')) as RunningRecord).pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The URL of the workbench running on `dataDir`, or a NoWorkbenchError that says what to do. */
export function runningUrl(dataDir: string): string {
  const file = path.join(dataDir, RUNNING_FILE);
  const start = 'Start one with `npm start` (in another terminal), or pass --url http://127.0.0.1:PORT.';
  let record: RunningRecord;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8')) as RunningRecord;
  } catch {
    throw new NoWorkbenchError(`No workbench is running for ${dataDir}. ${start}`);
  }
  if (typeof record.url !== 'string' || typeof record.pid !== 'number') throw new NoWorkbenchError(`${file} is not a workbench record. ${start}`);
  if (!alive(record.pid)) throw new NoWorkbenchError(`No workbench is running: the one at ${record.url} (process ${record.pid}) has stopped. ${start}`);
  return record.url;
}
