/**
 * A CSV import that storage refuses part-way: the answer names exactly the rows written (each group of
 * rows is one transaction), nothing else was stored, and running the same file again finishes the job
 * without writing the stored rows twice.
 */
import type { ContinuityPlan, Service } from '../domain/catalogue';
import { DEFAULT_SETTINGS } from '../domain/incident';
import { UpstreamError } from '../domain/errors';
import { serviceKeys } from '../domain/catalogue-matches';
import { matchKeyString } from '../domain/matching';
import type { AppDeps, CatalogueStore, CatalogueWrite, ContinuityStore, JiraGateway } from '../ports';
import { importCsv } from './catalogue-csv';
import { MemoryStorage } from './testing/fakes';
import { MemoryIndicators, MemoryMeasure } from './testing/measure-fakes';

/** The catalogue in memory; `failOn` makes that write (1-based) fail as storage would. */
class MemoryCatalogue {
  services = new Map<string, Service>();
  plans = new Map<string, ContinuityPlan>();
  matches = new Map<string, string[]>();
  writes: CatalogueWrite[] = [];
  failOn?: number;

  port(): CatalogueStore {
    return {
      listServices: async () => ({ items: [...this.services.values()] }),
      listPlans: async () => ({ items: [...this.plans.values()] }),
      writeCatalogue: async (write: CatalogueWrite) => {
        if (this.writes.length + 1 === this.failOn) {
          this.failOn = undefined;
          throw new UpstreamError(503, 'App storage (catalogue)');
        }
        this.writes.push(write);
        for (const { key, matches } of write.matches ?? []) this.matches.set(matchKeyString(key), matches.map((m) => m.service.id));
        for (const { service } of write.services ?? []) this.services.set(service.id, service);
      },
    } as unknown as CatalogueStore;
  }
}

function deps(catalogue: MemoryCatalogue): AppDeps {
  const jira = { currentUserIsAdmin: async () => true, usersByIds: async () => new Map(), searchUsers: async () => [] } as unknown as JiraGateway;
  const store = { getSettings: async () => DEFAULT_SETTINGS } as unknown as ContinuityStore;
  const storage = new MemoryStorage();
  // The import uses no plan page, drill or postmortem port.
  const unused = {} as Pick<AppDeps, 'confluence' | 'planPages' | 'planQueue' | 'drills' | 'loopQueue'>;
  return {
    store,
    jira,
    catalogue: catalogue.port(),
    queue: { push: async () => undefined },
    indicators: new MemoryIndicators(storage),
    measure: new MemoryMeasure(storage),
    ...unused,
    clock: { now: () => 1_000 },
    remainingMs: () => undefined,
  };
}

// Twelve labels each, one shared: one row's writes (service, its match entries, the counts) fill more than half a transaction.
const labels = (name: string) => ['shared', ...Array.from({ length: 11 }, (_, i) => `${name.toLowerCase()}-${i}`)].join(';');
const csv = ['name,tier,labels', ...['Alpha', 'Bravo', 'Charlie', 'Delta'].map((name) => `${name},2,${labels(name)}`)].join('\n');

test('storage failing mid-import: the rows written are named, and running the import again converges', async () => {
  const memory = new MemoryCatalogue();
  memory.failOn = 2;
  const first = await importCsv({ csv }, 'casey', deps(memory));
  expect(first.written).toEqual([{ line: 2, name: 'Alpha', action: 'create' }]);
  expect(first.notWritten.map((r) => r.line)).toEqual([3, 4, 5]);
  expect(first.failure).toEqual({ message: 'Storage refused the rows on line 3: App storage (catalogue) failed with HTTP 503.', lines: [3] });
  expect(first.done).toBe(false);
  // Exactly what the answer says is stored, with its match entries.
  expect([...memory.services.keys()]).toEqual(['svc-alpha']);
  for (const key of serviceKeys(memory.services.get('svc-alpha')!)) expect(memory.matches.get(matchKeyString(key))).toEqual(['svc-alpha']);
  // Every write fitted one transaction.
  for (const write of memory.writes) expect((write.services?.length ?? 0) + (write.matches?.length ?? 0) + (write.summary ? 1 : 0)).toBeLessThanOrEqual(25);

  const again = await importCsv({ csv }, 'casey', deps(memory));
  expect(again).toMatchObject({ done: true, unchanged: [2], notWritten: [] });
  expect(again.written.map((r) => r.line)).toEqual([3, 4, 5]);
  expect([...memory.services.keys()].sort()).toEqual(['svc-alpha', 'svc-bravo', 'svc-charlie', 'svc-delta']);
  // A label shared by all four now matches all four: the entries converged.
  expect(memory.matches.get('label:shared')).toEqual(['svc-alpha', 'svc-bravo', 'svc-charlie', 'svc-delta']);
});

test('small rows share a transaction, dependencies first', async () => {
  const memory = new MemoryCatalogue();
  const answer = await importCsv({ csv: 'name,tier,depends_on\nPortal,2,Ledger\nLedger,2,\nMail,3,\n' }, 'casey', deps(memory));
  expect(answer.written.map((r) => r.name)).toEqual(['Ledger', 'Portal', 'Mail']);
  expect(memory.writes).toHaveLength(1);
});
