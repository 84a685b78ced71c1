/**
 * The catalogue as CSV: preview, import and export (domain/csv.ts reads and writes the file).
 *
 * An import validates everything before it writes anything: every row is read and checked, owners are
 * resolved with Jira, dependencies and cycles are planned against the catalogue as it is. Rows with a
 * problem are reported (line and reason) and left out; the good rows are then written through the
 * same computation as every catalogue change (catalogueWrite), in groups that each fit one storage
 * transaction of at most 25 writes, dependencies before the services that need them. A group is stored
 * whole or not at all, so when storage fails the answer names exactly the rows written; a row too big
 * for one transaction writes its match entries first and its service last, so a stored service always
 * has its entries. Running the same file again converges: rows already stored compare unchanged and
 * are skipped, the rest are written. A call that runs short of time stops between groups and says so;
 * the page calls again with the same file.
 */
import { CSV_UPLOAD_LIMITS, type CsvImportAnswer, type CsvExportAnswer, type CsvInput, type CsvPreview, type CsvPreviewRow } from '../contract/console';
import type { Service, ServiceMatch } from '../domain/catalogue';
import { matchKeyString, type MatchKey } from '../domain/matching';
import { exportServicesCsv, importServicesCsv, planImport, type CsvIssue, type ImportedRow, type PlannedRow, type ServiceDraft } from '../domain/csv';
import { invalidInput } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { catalogueWrite, loadCatalogue, verifyMatches, writeSize, type Catalogue } from './catalogue';
import { newServiceId } from './catalogue-edit';
import { tierBandsOf, type ConsoleDeps } from './catalogue-views';
import { catalogueReporter } from './indicators';
import { requireManager } from './roles';

const CHANGE = 'import services into the catalogue';
/** One storage transaction. */
const TRANSACTION_OPS = 25;
/** Time kept back at the end of the resolver for answering. */
const RESERVE_MS = 6_000;
/** Without a platform clock (tests), a call stops after this long. */
const FALLBACK_BUDGET_MS = 18_000;
const OWNER_EMAILS = 100;
const ACCOUNT_ID = /^[A-Za-z0-9:_-]{1,128}$/;

function checkSize(input: CsvInput): string {
  const csv = typeof input?.csv === 'string' ? input.csv : undefined;
  if (csv === undefined) throw invalidInput('Choose a CSV file to import.', 'csv');
  if (csv.trim() === '') throw invalidInput('The file is empty.', 'csv');
  if (csv.length > CSV_UPLOAD_LIMITS.characters) {
    throw invalidInput(`The file is larger than ${CSV_UPLOAD_LIMITS.characters.toLocaleString('en-US')} characters: split it into smaller files.`, 'csv');
  }
  return csv;
}

/**
 * Account ids for the owners the file names: an account id must be a Jira user the importer can see,
 * an email address must find exactly one. Rows whose owner does not resolve become errors.
 */
async function resolveOwners(rows: readonly ImportedRow[], deps: ConsoleDeps): Promise<{ owners: Map<string, string>; errors: CsvIssue[] }> {
  const written = [...new Set(rows.flatMap((r) => (r.input.owner ? [r.input.owner] : [])))];
  const emails = written.filter((o) => o.includes('@'));
  const ids = written.filter((o) => !o.includes('@') && ACCOUNT_ID.test(o));
  const owners = new Map<string, string>();
  const problems = new Map<string, string>();
  if (ids.length > 0) {
    const found = await deps.jira.usersByIds(ids);
    for (const id of ids) {
      if (found.has(id)) owners.set(id, id);
      else problems.set(id, `Jira has no user with the account id ${id} that you can see.`);
    }
  }
  for (const [index, email] of emails.entries()) {
    if (index >= OWNER_EMAILS) {
      problems.set(email, `The file names more than ${OWNER_EMAILS} owners by email address: use account ids for the rest.`);
      continue;
    }
    const people = (await deps.jira.searchUsers(email, 2)).filter((p) => p.accountType === undefined || p.accountType === 'atlassian');
    if (people.length === 1) owners.set(email, people[0]!.accountId);
    else problems.set(email, people.length === 0 ? `No Jira user you can see has the email address ${email}.` : `${email} matches several Jira users: use the account id.`);
  }
  for (const owner of written) if (!owners.has(owner) && !problems.has(owner)) problems.set(owner, 'Owner must be an Atlassian account id or an email address.');
  const errors = rows.flatMap((r) => (r.input.owner && problems.has(r.input.owner) ? [{ line: r.line, column: 'owner', reason: problems.get(r.input.owner)! }] : []));
  return { owners, errors };
}

interface Prepared {
  current: Catalogue;
  settings: ContinuitySettings;
  /** Every good row as the service it leaves, in file order. */
  rows: Array<{ line: number; name: string; action: 'create' | 'update'; service: Service; changes: string[] }>;
  errors: CsvIssue[];
  warnings: CsvIssue[];
}

const FIELD_WORDS: Array<[keyof Service, string]> = [
  ['name', 'name'],
  ['tier', 'tier'],
  ['rtoMinutes', 'RTO'],
  ['rpoMinutes', 'RPO'],
  ['ownerAccountId', 'owner'],
  ['dependsOn', 'dependencies'],
  ['jsmServiceIds', 'JSM services'],
  ['components', 'components'],
  ['labels', 'labels'],
  ['status', 'status'],
];

const same = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000') : (a ?? undefined) === (b ?? undefined);

/** The fields, in words, on which two versions of a service differ. */
export function changedFields(before: Service, after: Service): string[] {
  return FIELD_WORDS.filter(([field]) => !same(field === 'status' ? (before.status ?? 'active') : before[field], field === 'status' ? (after.status ?? 'active') : after[field])).map(([, words]) => words);
}

function serviceOf(row: PlannedRow, existing: Service | undefined, owners: ReadonlyMap<string, string>, actor: string, now: number): Service {
  const draft: Partial<ServiceDraft> = row.action === 'create' ? row.service : row.changes;
  const base: Service = existing ?? { id: row.id, name: draft.name!, tier: 3, rtoMinutes: 0, rpoMinutes: 0, jsmServiceIds: [], dependsOn: [], components: [], labels: [], status: 'active' };
  const { owner, ...fields } = draft;
  const next: Service = { ...base, ...fields, id: row.id };
  if (owner === null) delete next.ownerAccountId;
  else if (owner !== undefined) next.ownerAccountId = owners.get(owner) ?? owner;
  return { ...next, updatedAt: now, updatedBy: actor };
}

async function prepare(input: CsvInput, actor: string, deps: ConsoleDeps): Promise<Prepared> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, CHANGE, settings);
  const csv = checkSize(input);
  const read = importServicesCsv(csv, tierBandsOf(settings));
  if (read.rows.length + read.errors.length > CSV_UPLOAD_LIMITS.rows) {
    throw invalidInput(`The file has more than ${CSV_UPLOAD_LIMITS.rows.toLocaleString('en-US')} services: split it into smaller files.`, 'csv');
  }
  const { owners, errors: ownerErrors } = await resolveOwners(read.rows, deps);
  const badOwner = new Set(ownerErrors.map((e) => e.line));
  const current = await loadCatalogue(deps.catalogue);
  const plan = planImport(
    current.services,
    read.rows.filter((r) => !badOwner.has(r.line)),
    { newId: newServiceId },
  );
  const byId = new Map(current.services.map((s) => [s.id, s]));
  const now = deps.clock.now();
  const rows = plan.rows.map((row) => {
    const existing = byId.get(row.id);
    const service = serviceOf(row, existing, owners, actor, now);
    return { line: row.line, name: service.name, action: row.action, service, changes: existing ? changedFields(existing, service) : [] };
  });
  return { current, settings, rows, errors: [...read.errors, ...ownerErrors, ...plan.errors].sort((a, b) => a.line - b.line), warnings: read.warnings };
}

export async function previewCsv(input: CsvInput, actor: string, deps: ConsoleDeps): Promise<CsvPreview> {
  const prepared = await prepare(input, actor, deps);
  const rows: CsvPreviewRow[] = prepared.rows.map((r) => ({
    line: r.line,
    name: r.name,
    action: r.action === 'update' && r.changes.length === 0 ? 'unchanged' : r.action,
    changes: r.changes,
  }));
  return { rows, errors: prepared.errors, warnings: prepared.warnings };
}

/** Rows in an order where every dependency in the import is written before the rows that need it. */
function dependenciesFirst<T extends { service: Service }>(rows: readonly T[]): T[] {
  const byId = new Map(rows.map((r) => [r.service.id, r]));
  const placed = new Set<string>();
  const out: T[] = [];
  const visiting = new Set<string>();
  const place = (row: T) => {
    if (placed.has(row.service.id) || visiting.has(row.service.id)) return;
    visiting.add(row.service.id);
    for (const dep of row.service.dependsOn) {
      const needed = byId.get(dep);
      if (needed) place(needed);
    }
    visiting.delete(row.service.id);
    placed.add(row.service.id);
    out.push(row);
  };
  rows.forEach(place);
  return out;
}

export async function importCsv(input: CsvInput, actor: string, deps: ConsoleDeps): Promise<CsvImportAnswer> {
  const started = Date.now();
  const prepared = await prepare(input, actor, deps);
  let state = prepared.current;
  const changed = prepared.rows.filter((r) => r.action === 'create' || r.changes.length > 0);
  const unchanged = prepared.rows.filter((r) => !changed.includes(r)).map((r) => r.line);
  const queue = dependenciesFirst(changed);
  const written: CsvImportAnswer['written'] = [];
  const settle = (rest: typeof queue, failure?: CsvImportAnswer['failure']): CsvImportAnswer => ({
    written,
    unchanged,
    notWritten: rest.map((r) => ({ line: r.line, name: r.name })).sort((a, b) => a.line - b.line),
    errors: prepared.errors,
    warnings: prepared.warnings,
    done: rest.length === 0,
    ...(failure ? { failure } : {}),
  });
  // Whatever was written, the indicators count it (one report for the whole import).
  const answer = async (rest: typeof queue, failure?: CsvImportAnswer['failure']): Promise<CsvImportAnswer> => {
    if (state !== prepared.current) await catalogueReporter(deps, prepared.settings.reviewCadence)(prepared.current, state);
    return settle(rest, failure);
  };
  const timeLeft = () => {
    const left = deps.remainingMs();
    return left !== undefined ? left > RESERVE_MS : Date.now() - started < FALLBACK_BUDGET_MS;
  };

  let next = 0;
  const touched: Array<{ key: MatchKey; matches: ServiceMatch[] }> = [];
  while (next < queue.length) {
    if (!timeLeft()) return answer(queue.slice(next));
    // The largest run of rows, from `next`, whose writes fit one transaction (at least one row).
    let size = 1;
    let planned = catalogueWrite(state, { services: [queue[next]!.service] });
    while (next + size < queue.length) {
      const wider = catalogueWrite(state, { services: queue.slice(next, next + size + 1).map((r) => r.service) });
      if (writeSize(wider.write) > TRANSACTION_OPS) break;
      planned = wider;
      size += 1;
    }
    const group = queue.slice(next, next + size);
    try {
      await deps.catalogue.writeCatalogue(planned.write);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return answer(queue.slice(next), { message: `Storage refused the rows on ${lineList(group.map((r) => r.line))}: ${message}`, lines: group.map((r) => r.line) });
    }
    written.push(...group.map((r) => ({ line: r.line, name: r.name, action: r.action })));
    touched.push(...(planned.write.matches ?? []));
    state = planned.after;
    next += size;
  }
  // Like every catalogue write: the entries the import touched, checked against the catalogue as stored
  // (a manager may have saved a service meanwhile), with the counts brought up to date.
  const last = new Map(touched.map((t) => [matchKeyString(t.key), t]));
  await verifyMatches(deps.catalogue, [...last.values()]).catch((error) => console.warn(`CSV import: match entries not checked (${(error as Error).message}); the next catalogue save checks them.`));
  return answer([]);
}

const lineList = (lines: readonly number[]) => (lines.length === 1 ? `line ${lines[0]}` : `lines ${[...lines].sort((a, b) => a - b).join(', ')}`);

/** The whole catalogue in the import's columns, by name; anyone who can open the page may export. */
export async function exportCsv(deps: ConsoleDeps): Promise<CsvExportAnswer> {
  const { services } = await loadCatalogue(deps.catalogue);
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name));
  const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
  return { filename: `service-catalogue-${day}.csv`, csv: exportServicesCsv(sorted), count: sorted.length };
}
