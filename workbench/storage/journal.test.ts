/**
 * The journal's crash-safety: torn last lines are ignored, compaction is atomic and never replays old
 * lines twice, writes of one tick share one fdatasync, and a KVS on it survives a crash mid-write.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Journal, SEQ_KEY } from './journal';
import { KvsService } from './kvs-service';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  file = path.join(dir, 'state.json');
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function journalWith(entries: unknown[]): Journal {
  const j = new Journal(file);
  j.open();
  j.compact('{"base":true}');
  for (const e of entries) j.append(JSON.stringify(e));
  return j;
}

test('open replays the snapshot and the journal lines after it', () => {
  const j = journalWith([{ n: 1 }, { n: 2 }]);
  j.close();
  expect(fs.readFileSync(file, 'utf8')).toBe(`{"${SEQ_KEY}":0,"base":true}`);
  expect(new Journal(file).open()).toEqual({ snapshot: { base: true }, entries: [{ n: 1 }, { n: 2 }], tornTail: false });
});

test('a torn last line is ignored and cut off, and later appends start on a clean line', () => {
  journalWith([{ n: 1 }, { n: 2 }]).close();
  fs.appendFileSync(`${file}.journal`, '{"s":3,"e":{"n":3'); // the crash came mid-write
  const j = new Journal(file);
  expect(j.open()).toEqual({ snapshot: { base: true }, entries: [{ n: 1 }, { n: 2 }], tornTail: true });
  j.append(JSON.stringify({ n: 4 }));
  j.close();
  expect(new Journal(file).open().entries).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
});

test('a complete line that lost its newline, or a zero-filled tail, is torn too', () => {
  journalWith([{ n: 1 }]).close();
  fs.appendFileSync(`${file}.journal`, '{"s":2,"e":{"n":2}}');
  expect(new Journal(file).open()).toMatchObject({ entries: [{ n: 1 }], tornTail: true });
  fs.appendFileSync(`${file}.journal`, Buffer.alloc(64));
  expect(new Journal(file).open()).toMatchObject({ entries: [{ n: 1 }], tornTail: true });
});

test('a corrupt line followed by good ones is refused, not skipped', () => {
  journalWith([{ n: 1 }]).close();
  fs.appendFileSync(`${file}.journal`, 'garbage\n{"s":3,"e":{"n":3}}\n');
  expect(() => new Journal(file).open()).toThrow(/corrupt/);
});

test('compaction writes a snapshot atomically and empties the journal; a crash before the truncation replays nothing twice', () => {
  const j = journalWith([{ n: 1 }, { n: 2 }]);
  const oldJournal = fs.readFileSync(`${file}.journal`);
  j.compact('{"base":"compacted"}');
  expect(fs.statSync(`${file}.journal`).size).toBe(0);
  expect(fs.readdirSync(dir).sort()).toEqual(['state.json', 'state.json.journal']);
  // The crash came after the rename, before the journal was emptied: its lines are older than the snapshot.
  j.close();
  fs.writeFileSync(`${file}.journal`, oldJournal);
  expect(new Journal(file).open()).toEqual({ snapshot: { base: 'compacted' }, entries: [], tornTail: false });
});

test('a failed snapshot write leaves the previous snapshot and no temp file', () => {
  const j = journalWith([{ n: 1 }]);
  jest.spyOn(fs, 'renameSync').mockImplementationOnce(() => {
    throw new Error('disk full');
  });
  expect(() => j.compact('{"base":"new"}')).toThrow('disk full');
  expect(fs.readdirSync(dir).sort()).toEqual(['state.json', 'state.json.journal']);
  j.close();
  expect(new Journal(file).open()).toEqual({ snapshot: { base: true }, entries: [{ n: 1 }], tornTail: false });
});

test('the journal compacts itself once it outgrows the snapshot', async () => {
  const j = new Journal(file, { compactAfterBytes: 200 });
  j.open();
  let state = { count: 0 };
  j.snapshotText = () => JSON.stringify(state);
  j.compact(JSON.stringify(state));
  for (let i = 0; i < 20; i++) {
    state = { count: i + 1 };
    j.append(JSON.stringify({ count: i + 1 }));
    await j.durable();
  }
  expect(j.pendingBytes).toBeLessThan(200);
  j.close();
  const opened = new Journal(file).open();
  expect((opened.entries.at(-1) as { count: number } | undefined)?.count ?? opened.snapshot!.count).toBe(20);
});

test('writes of one tick share one fdatasync, and each waits for it', async () => {
  const j = journalWith([]);
  const sync = jest.spyOn(fs, 'fdatasyncSync');
  for (let i = 0; i < 50; i++) j.append(JSON.stringify({ i }));
  const waits = Array.from({ length: 50 }, () => j.durable());
  expect(sync).not.toHaveBeenCalled();
  await Promise.all(waits);
  expect(sync).toHaveBeenCalledTimes(1);
  j.close();
});

test('a KVS survives a crash mid-write: every acknowledged write is there, the torn one is not', async () => {
  const first = new KvsService({ file, entities: [] });
  for (let i = 0; i < 5; i++) expect((await first.handle('/api/v1/set', { key: `k${i}`, value: i })).status).toBe(204);
  expect((await first.handle('/api/v1/transaction', { set: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }] })).status).toBe(200);
  // No close(): the process died. Then the next transaction's line was only half written.
  fs.appendFileSync(`${file}.journal`, '{"s":99,"e":[["k","c",{"value":3,"createdAt":1,"updatedAt":1}],["k","d"');
  const second = new KvsService({ file, entities: [] });
  expect(second.stats().keys).toBe(7);
  expect((await second.handle('/api/v1/get', { key: 'b' })).body).toEqual({ key: 'b', value: 2 });
  expect((await second.handle('/api/v1/get', { key: 'c' })).status).toBe(404);
});
