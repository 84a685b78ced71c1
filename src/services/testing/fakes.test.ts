/**
 * The fakes keep the adapters' promises (the services rely on them): a lost race is a
 * StaleRecordError, slots are claimed once, queries page with cursors that survive records leaving the
 * index, match entries are found by matchKeyString, and every operation is counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { newRecord, type IncidentRecord } from '../../domain/incident-record';
import { StaleRecordError } from '../../ports';
import { fakeDeps, MemoryStore, RECORD_PAGE } from './fakes';
import { service } from './fixtures';
import { saveCatalogue } from '../catalogue';

const T = Date.UTC(2025, 5, 2, 9);
const inSlot = (issueId: string, slot: number): IncidentRecord => ({ ...newRecord(issueId, `OPS-${issueId}`, T), outboxSlot: slot });

describe('MemoryStore', () => {
  it('creates a record only if absent (expected version 0) and then only over the version read', async () => {
    const store = new MemoryStore();
    const first = await store.saveRecord(newRecord('1', 'OPS-1', T), 0);
    expect(first.version).toBe(1);
    await expect(store.saveRecord(newRecord('1', 'OPS-1', T), 0)).rejects.toBeInstanceOf(StaleRecordError);
    const second = await store.saveRecord({ ...first, issueKey: 'OPS-9' }, 1);
    expect(second.version).toBe(2);
    await expect(store.saveRecord({ ...first, issueKey: 'OPS-8' }, 1)).rejects.toBeInstanceOf(StaleRecordError);
    await expect(store.saveRecord(newRecord('2', 'OPS-2', T), 3)).rejects.toBeInstanceOf(StaleRecordError);
    expect(store.peek('1')?.issueKey).toBe('OPS-9');
  });

  it('hands out copies: changing an answer does not change what is stored', async () => {
    const store = new MemoryStore();
    await store.saveRecord(newRecord('1', 'OPS-1', T), 0);
    const read = (await store.getRecord('1'))!;
    read.issueKey = 'OPS-2';
    read.jira.links['1.plan'] = 'link-1';
    expect(store.peek('1')).toMatchObject({ issueKey: 'OPS-1', jira: { links: {} } });
  });

  it('claims a slot once until it is released', async () => {
    const store = new MemoryStore();
    expect(await store.claimSlot(7)).toBe(true);
    expect(await store.claimSlot(7)).toBe(false);
    await store.releaseSlot(7);
    expect(await store.claimSlot(7)).toBe(true);
  });

  it('pages outbox records by slot, and a cursor still finds every record when earlier ones leave the index', async () => {
    const store = new MemoryStore();
    const ids = Array.from({ length: RECORD_PAGE + 5 }, (_, i) => String(1000 + i));
    for (const id of ids) await store.saveRecord(inSlot(id, id === '1000' ? 5 : 6), 0);
    await store.saveRecord(inSlot('999', 9), 0); // outside the range asked for
    const first = await store.outboxRecords(4, 6);
    expect(first.items).toHaveLength(RECORD_PAGE);
    expect(first.items[0].issueId).toBe('1000'); // slot 5 sorts first
    // Drained meanwhile: the first page's records leave the index.
    for (const r of first.items) await store.saveRecord({ ...r, outboxSlot: 0 }, r.version);
    const second = await store.outboxRecords(4, 6, first.cursor);
    expect(second.items.map((r) => r.issueId)).toEqual(ids.slice(RECORD_PAGE));
    expect(second.cursor).toBeUndefined();
  });

  it('counts each operation by kind, a batch of up to 25 being one', async () => {
    const store = new MemoryStore();
    await store.getRecords(Array.from({ length: 26 }, (_, i) => String(i + 1)));
    await store.saveRecord(newRecord('1', 'OPS-1', T), 0);
    await store.outboxRecords(1, 2);
    expect(store.ops.byMethod()).toEqual({ getRecords: 2, saveRecord: 1, outboxRecords: 1 });
    expect([store.ops.reads, store.ops.writes, store.ops.queries]).toEqual([2, 1, 1]);
  });

  it('finds match entries written by the catalogue, by matchKeyString (case-insensitive components, any characters)', async () => {
    const deps = fakeDeps();
    await saveCatalogue({ services: [service('s1', { jsmServiceIds: ['ari:cloud:graph::service/abc/1'], components: ['Card Gateway'] })], plans: [] }, deps.catalogue);
    const found = await deps.store.lookupMatches([
      { kind: 'jsm', value: 'ari:cloud:graph::service/abc/1' },
      { kind: 'component', value: ' card gateway ' },
      { kind: 'label', value: 'unknown' },
    ]);
    expect([...found.keys()].sort()).toEqual(['component:card gateway', 'jsm:ari:cloud:graph::service/abc/1']);
    expect(found.get('component:card gateway')?.[0].service.id).toBe('s1');
  });
});

describe('FakeJira', () => {
  it('applies a write whose answer is lost, then fails as the gateway does (UPSTREAM_UNAVAILABLE)', async () => {
    const { jira } = fakeDeps();
    const issue = jira.addIssue();
    jira.failNext('addComment', 'lost-answer');
    await expect(jira.addComment(issue.id, { type: 'doc' }, { internal: true })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(jira.comments(issue.id)).toHaveLength(1);
  });

  it('upserts a remote link by globalId', async () => {
    const { jira } = fakeDeps();
    const issue = jira.addIssue();
    const link = { globalId: 'g-1', url: 'https://example.com/a', title: 'A' };
    const id = await jira.upsertRemoteLink(issue.id, link);
    expect(await jira.upsertRemoteLink(issue.id, { ...link, title: 'B' })).toBe(id);
    expect(jira.issue(issue.id).remoteLinks).toEqual([{ id, link: { ...link, title: 'B' } }]);
  });

  it('answers a rate limit with its Retry-After, and asks as the signed-in user for permissions', async () => {
    const { jira } = fakeDeps();
    const issue = jira.addIssue();
    jira.failNext('getIncident', { status: 429, retryAfter: 12 });
    await expect(jira.getIncident(issue.id, { fetchedAt: 0 })).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 12 });
    await expect(jira.permissionsOfCurrentUser(issue.id)).rejects.toThrow(/No signed-in user/);
    const viewer = jira.forUser('v', { name: 'V', permissions: { browse: true, edit: false, comment: false } });
    expect(await viewer.permissionsOfCurrentUser(issue.id)).toEqual({ browse: true, edit: false, comment: false });
    expect(jira.callsTo('permissionsOfCurrentUser').map((c) => c.user)).toEqual([undefined, 'v']);
  });
});

describe('test support', () => {
  it('is imported by tests only, never by the app', () => {
    const src = join(__dirname, '..', '..');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
    const importers = files(src)
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith(__dirname))
      .filter((f) => /from '[^']*\/testing\/(fakes|fixtures)'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(importers).toEqual([]);
  });
});
