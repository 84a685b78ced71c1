/**
 * A product's state journalled record by record: only what changed goes into the line, replay restores
 * order, replacement, in-place edits and deletions, and a crash loses no acknowledged save.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentStore } from './document-store';
import { Journal } from './journal';
import { makeJira, call, createIssue, adf } from '../products/jira/testing';
import { JiraService } from '../products/jira';
import { TestClock, SITE_URL } from '../products/jira/testing';

interface Doc {
  version: number;
  items: Array<{ id: string; n: number; tags?: string[] }>;
  pages: Record<string, { title: string }>;
  counter: number;
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-store-'));
  file = path.join(dir, 'doc.json');
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const shape = { arrays: { items: (i: { id: string }) => i.id }, maps: ['pages'] };
const open = () => {
  const store = new DocumentStore<Doc>(file, shape);
  const state = store.load() ?? { version: 1, items: [], pages: {}, counter: 0 };
  store.attach(state);
  return { store, state };
};

test('a save journals only the records that changed, and replay rebuilds the document', () => {
  const { store, state } = open();
  state.items.push({ id: 'a', n: 1 }, { id: 'b', n: 1 }, { id: 'c', n: 1 });
  state.pages['1'] = { title: 'One' };
  store.save(state); // the first save writes the snapshot
  const append = jest.spyOn(Journal.prototype, 'append');

  state.items[1].n = 2; // in place, and said so
  state.items.push({ id: 'd', n: 1 }); // new
  state.counter = 7;
  store.save(state, new Set([state.items[1]]));
  expect(JSON.parse(append.mock.calls[0][0])).toEqual({ c: { items: { set: { b: { id: 'b', n: 2 }, d: { id: 'd', n: 1 } }, del: [] } }, p: { counter: 7 } });

  state.items[0] = { id: 'a', n: 5 }; // replaced
  state.items.splice(2, 1); // c deleted
  delete state.pages['1'];
  state.pages['2'] = { title: 'Two' };
  store.save(state, new Set());
  expect(JSON.parse(append.mock.calls[1][0])).toEqual({ c: { items: { set: { a: { id: 'a', n: 5 } }, del: ['c'] }, pages: { set: { 2: { title: 'Two' } }, del: ['1'] } }, p: {} });

  store.save(state, new Set()); // nothing changed: no line
  expect(append).toHaveBeenCalledTimes(2);

  // No close(): a crash. The next open replays the journal.
  const reopened = open();
  expect(reopened.state).toEqual({ version: 1, items: [{ id: 'a', n: 5 }, { id: 'b', n: 2 }, { id: 'd', n: 1 }], pages: { 2: { title: 'Two' } }, counter: 7 });
});

test('without `touched` every record is compared, so in-place edits are found', () => {
  const { store, state } = open();
  state.items.push({ id: 'a', n: 1 }, { id: 'b', n: 1 });
  store.save(state);
  state.items[0].tags = ['x'];
  store.save(state);
  expect(open().state.items[0]).toEqual({ id: 'a', n: 1, tags: ['x'] });
});

test('a clean close leaves one snapshot and no journal', () => {
  const { store, state } = open();
  state.items.push({ id: 'a', n: 1 });
  store.save(state);
  state.items.push({ id: 'b', n: 1 });
  store.save(state, new Set());
  store.close();
  expect(fs.readdirSync(dir)).toEqual(['doc.json']);
  expect(open().state.items.map((i) => i.id)).toEqual(['a', 'b']);
});

test('the local Jira journals one line per write holding only the issue it changed, and survives a crash', async () => {
  const jira = makeJira({ file }).jira;
  for (let i = 0; i < 20; i++) await createIssue(jira, { summary: `Incident ${i}` });
  const journal = `${file}.journal`;
  const before = fs.statSync(journal).size;
  expect((await call(jira, 'PUT', '/rest/api/3/issue/OPS-7/properties/continuity', { openInvocations: 1 })).status).toBeLessThan(300);
  const line = fs.readFileSync(journal, 'utf8').slice(before);
  expect(Object.keys(JSON.parse(line).e.c.issues.set)).toHaveLength(1);
  expect(line.length).toBeLessThan(fs.statSync(file).size / 5);
  await call(jira, 'POST', '/rest/api/3/issue/OPS-7/comment', { body: adf('a comment') });
  const commentId = String((await call(jira, 'GET', '/rest/api/3/issue/OPS-7/comment')).body.comments[0].id);
  await call(jira, 'PUT', `/rest/api/3/comment/${commentId}/properties/sd.public.comment`, { internal: true });
  fs.appendFileSync(journal, '{"s":9999,"e":{"c":{"issues":{"set":{"1'); // torn

  const reopened = new JiraService({ file, clock: new TestClock(), siteUrl: SITE_URL });
  expect((await call(reopened, 'GET', '/rest/api/3/issue/OPS-7/properties/continuity')).body.value).toEqual({ openInvocations: 1 });
  expect((await call(reopened, 'GET', `/rest/api/3/comment/${commentId}/properties/sd.public.comment`)).body.value).toEqual({ internal: true });
  expect((await call(reopened, 'GET', '/rest/api/3/search/jql?jql=project%3DOPS&fields=summary&maxResults=100')).body.issues).toHaveLength(20);
});
