/**
 * The service catalogue as CSV, for people who keep it in a spreadsheet. Import reads a file into rows
 * (each checked like the catalogue form, with the line it starts on), planImport decides what each row
 * does to the catalogue, and export writes the catalogue back in the same columns.
 *
 * Import rules, which the catalogue page repeats to people:
 * - A header row is required; columns may come in any order and are matched ignoring case, spaces and
 *   hyphens ("Depends on" is depends_on). Unknown columns are ignored with one warning each.
 * - Lists (depends_on, jsm_services, components, labels) are values separated by ";".
 * - On an update, a column left out of the file leaves that field alone; a column present with an
 *   empty cell clears it (RTO and RPO go back to the tier's default, the owner is removed).
 * - The owner is kept as written (account id or email) for the caller to resolve.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import type { Service, Tier } from './catalogue';
import { restoreCell, toCsv } from './csv-cells';
import { cycleGroups, cycleThrough, type DependencyNode } from './dependencies';
import { formatDuration, isBlank } from './durations';
import { serviceFields, withTierDefaults } from './service-input';
import { DEFAULT_TIER_BANDS, type TierBands } from './tiers';
import { cleanText, nameKey, optionalVisibleText } from './visible-text';

export const CSV_COLUMNS = ['name', 'tier', 'rto', 'rpo', 'owner', 'depends_on', 'jsm_services', 'components', 'labels', 'status'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly CsvColumn[] = ['name', 'tier'];

/** Bounds that keep one import within a function's time and memory. */
export const CSV_LIMITS = { rows: 10_000, characters: 5_000_000 } as const;

export type ServiceStatus = 'active' | 'retired';

/** A problem with the file or one of its rows; `line` is the 1-based line in the file where the row starts. */
export interface CsvIssue {
  line: number;
  column?: string;
  reason: string;
}

/** One row, checked: RTO and RPO already defaulted from the tier when empty; dependencies still names. */
export interface CsvServiceRow {
  name: string;
  tier: Tier;
  rtoMinutes: number;
  rpoMinutes: number;
  /** As written: an account id or an email address. */
  owner?: string;
  dependsOn: string[];
  jsmServiceIds: string[];
  components: string[];
  labels: string[];
  status: ServiceStatus;
}

export interface ImportedRow {
  line: number;
  input: CsvServiceRow;
  /** The columns the file has: on an update, only these change. */
  columns: readonly CsvColumn[];
}

export interface CsvImport {
  rows: ImportedRow[];
  errors: CsvIssue[];
  warnings: CsvIssue[];
}

/** Field in the schema → column in the file, to name the column of a refusal. */
const COLUMN_OF: Record<string, CsvColumn> = {
  name: 'name',
  tier: 'tier',
  rto: 'rto',
  rpo: 'rpo',
  owner: 'owner',
  dependsOn: 'depends_on',
  jsmServiceIds: 'jsm_services',
  components: 'components',
  labels: 'labels',
  status: 'status',
};

const statusSchema = z.unknown().optional().transform((input, ctx): ServiceStatus => {
  if (isBlank(input)) return 'active';
  const text = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if (text === 'active' || text === 'retired') return text;
  ctx.issues.push({ code: 'custom', input, message: 'Status must be active or retired (or empty for active).' });
  return z.NEVER;
});

/** An email address is at most 254 characters; account ids are shorter. */
const rowSchema = (bands: TierBands) =>
  z
    .object({ ...serviceFields, owner: optionalVisibleText('Owner', 1, 254), status: statusSchema })
    .transform((fields): CsvServiceRow => {
      const { owner, ...rest } = withTierDefaults<typeof fields>(bands)(fields);
      return owner === undefined ? rest : { ...rest, owner };
    });

/** "Depends on", "DEPENDS-ON" and " depends_on " are all depends_on. */
const normaliseHeader = (cell: string) => cleanText(cell).toLowerCase().replace(/[\s-]+/g, '_');

const splitList = (cell: string) =>
  cell
    .split(';')
    .map((value) => value.trim())
    .filter((value) => value !== '');

const LIST_COLUMNS: Partial<Record<CsvColumn, keyof CsvServiceRow>> = {
  depends_on: 'dependsOn',
  jsm_services: 'jsmServiceIds',
  components: 'components',
  labels: 'labels',
};

/** Counts line breaks (CRLF, LF or a lone CR) as it is asked about offsets further into the text. */
function lineCounter(text: string): (offset: number) => number {
  let position = 0;
  let line = 1;
  return (offset) => {
    for (; position < offset; position += 1) {
      const ch = text.charCodeAt(position);
      if (ch === 10 || (ch === 13 && text.charCodeAt(position + 1) !== 10)) line += 1;
    }
    return line;
  };
}

const QUOTES_REASON = 'The quotes in this row do not match: a value with a comma, quote or line break must be wrapped in double quotes, with any quote inside written twice.';

/**
 * Reads a catalogue CSV. Every row is checked; good rows are kept even when others are bad. A problem
 * with the whole file (no header, a required column missing, too large) is an error on line 1 (or the
 * header's line) and no rows are returned.
 */
export function importServicesCsv(text: string, bands: TierBands = DEFAULT_TIER_BANDS): CsvImport {
  const errors: CsvIssue[] = [];
  const warnings: CsvIssue[] = [];
  const rows: ImportedRow[] = [];
  if (text.length > CSV_LIMITS.characters) {
    return { rows, warnings, errors: [{ line: 1, reason: `The file is larger than ${CSV_LIMITS.characters.toLocaleString('en-US')} characters; split it into smaller files.` }] };
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lineAt = lineCounter(body);
  const schema = rowSchema(bands);

  let header: Header | undefined;
  let fileError = false;
  let start = 0;
  const firstLineOfName = new Map<string, number>();
  let unnamedWithValues = false;
  let dataRows = 0;

  Papa.parse<string[]>(body, {
    delimiter: ',',
    header: false,
    skipEmptyLines: false,
    dynamicTyping: false,
    step: (result, parser) => {
      const line = lineAt(start);
      start = result.meta.cursor;
      const cells = result.data;
      if (cells.every((cell) => cell.trim() === '') && result.errors.length === 0) return;
      if (!header) {
        header = readHeader(cells, line, errors, warnings);
        if (!header) {
          fileError = true;
          parser.abort();
        }
        return;
      }
      dataRows += 1;
      if (dataRows > CSV_LIMITS.rows) {
        errors.push({ line, reason: `The file has more than ${CSV_LIMITS.rows.toLocaleString('en-US')} services; split it into smaller files.` });
        fileError = true;
        parser.abort();
        return;
      }
      if (result.errors.some((e) => e.type === 'Quotes')) {
        errors.push({ line, reason: QUOTES_REASON });
        return;
      }
      const row = readRow(cells, header, schema);
      if (row.strayValues) unnamedWithValues = true;
      if (row.name !== undefined) {
        const earlier = firstLineOfName.get(nameKey(row.name));
        if (earlier !== undefined) {
          errors.push({ line, column: 'name', reason: `${JSON.stringify(row.name)} is already on line ${earlier}; each service may appear once.` });
          return;
        }
        firstLineOfName.set(nameKey(row.name), line);
      }
      if (!row.input) {
        errors.push(...row.problems.map((problem) => ({ line, ...problem })));
        return;
      }
      rows.push({ line, input: row.input, columns: header.present });
    },
  });

  if (fileError) return { rows: [], errors, warnings };
  if (!header) return { rows: [], warnings, errors: [{ line: 1, reason: 'The file is empty: the first row must be a header naming at least the name and tier columns.' }] };
  if (unnamedWithValues) warnings.push({ line: header.line, reason: 'Some values sit in a column with no name in the header; they were ignored.' });
  return { rows, errors, warnings };
}

type RowReading = {
  /** The checked row, when it has no problem. */
  input?: CsvServiceRow;
  problems: Array<{ column?: string; reason: string }>;
  /** The row's name when it is readable, even if other cells are not: a repeated name is still a repeat. */
  name?: string;
  /** Values under a column with no name in the header. */
  strayValues: boolean;
};

/** Checks one data row against the header: one problem per bad column, in the order of the schema. */
function readRow(cells: readonly string[], header: Header, schema: ReturnType<typeof rowSchema>): RowReading {
  if (cells.slice(header.columns.length).some((cell) => cell.trim() !== '')) {
    const reason = `This row has ${cells.length} values but the header has ${header.columns.length} columns; a value that contains a comma must be in double quotes.`;
    return { problems: [{ reason }], strayValues: false };
  }
  const record: Record<string, unknown> = {};
  let strayValues = false;
  header.columns.forEach((column, index) => {
    const cell = restoreCell(cells[index] ?? '');
    if (!column) strayValues ||= header.unnamed.has(index) && cell.trim() !== '';
    else record[LIST_COLUMNS[column] ?? column] = LIST_COLUMNS[column] ? splitList(cell) : cell;
  });
  const parsed = schema.safeParse(record);
  if (parsed.success) return { input: parsed.data, name: parsed.data.name, problems: [], strayValues };
  const problems: RowReading['problems'] = [];
  for (const issue of parsed.error.issues) {
    const column = COLUMN_OF[String(issue.path[0])] ?? 'name';
    if (!problems.some((p) => p.column === column)) problems.push({ column, reason: issue.message });
  }
  const name = problems.some((p) => p.column === 'name') ? undefined : serviceFields.name.safeParse(record.name).data;
  return { problems, name, strayValues };
}

interface Header {
  line: number;
  /** The catalogue column at each position; undefined for unknown and unnamed columns. */
  columns: Array<CsvColumn | undefined>;
  present: CsvColumn[];
  /** Positions of columns with an empty header cell. */
  unnamed: ReadonlySet<number>;
}

function readHeader(cells: string[], line: number, errors: CsvIssue[], warnings: CsvIssue[]): Header | undefined {
  const names = cells.map(normaliseHeader);
  const known = new Set<string>(CSV_COLUMNS);
  const columns = names.map((name) => (known.has(name) ? (name as CsvColumn) : undefined));
  const present = CSV_COLUMNS.filter((column) => names.includes(column));
  const twice = present.find((column) => names.indexOf(column) !== names.lastIndexOf(column));
  if (twice) {
    errors.push({ line, column: twice, reason: `The header names the ${twice} column twice.` });
    return undefined;
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !present.includes(column));
  if (missing.length > 0) {
    const semicolons = cells.length === 1 && (cells[0] ?? '').includes(';') ? ' The file seems to use ";" between columns; save it as comma-separated CSV.' : '';
    errors.push({ line, reason: `The header has no ${missing.join(' or ')} column; it must name at least name and tier (${CSV_COLUMNS.join(', ')}).${semicolons}` });
    return undefined;
  }
  names.forEach((name, index) => {
    if (name !== '' && !known.has(name)) warnings.push({ line, column: cells[index]?.trim(), reason: `The column ${JSON.stringify(cells[index]?.trim())} is not one the catalogue knows; it was ignored.` });
  });
  const unnamed = new Set(names.flatMap((name, index) => (name === '' ? [index] : [])));
  return { line, columns, present, unnamed };
}

// ---- Planning an import ----

export type ExistingService = DependencyNode;

/** A service as the import leaves it. Dependencies are ids; `owner` is as written in the file (null: none). */
export interface ServiceDraft {
  name: string;
  tier: Tier;
  rtoMinutes: number;
  rpoMinutes: number;
  owner: string | null;
  dependsOn: string[];
  jsmServiceIds: string[];
  components: string[];
  labels: string[];
  status: ServiceStatus;
}

export type PlannedRow =
  | { action: 'create'; line: number; id: string; service: ServiceDraft }
  /** Only the fields whose columns are in the file; `name` always (the file's spelling wins). */
  | { action: 'update'; line: number; id: string; changes: Partial<ServiceDraft> & { name: string } };

export interface ImportPlan {
  /** In file order; rows with errors are left out. */
  rows: PlannedRow[];
  errors: CsvIssue[];
}

export interface PlanOptions {
  /** The id for a new service; by default a slug of its name made unique ("customer-portal-2"). */
  newId?: (name: string, taken: ReadonlySet<string>) => string;
}

/** "Customer Portal (EU)" → "customer-portal-eu", unique among `taken`. */
export function slugId(name: string, taken: ReadonlySet<string>): string {
  const base =
    nameKey(name)
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'service';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

const draftOf = (input: CsvServiceRow, dependsOn: string[]): ServiceDraft => ({
  name: input.name,
  tier: input.tier,
  rtoMinutes: input.rtoMinutes,
  rpoMinutes: input.rpoMinutes,
  owner: input.owner ?? null,
  dependsOn,
  jsmServiceIds: input.jsmServiceIds,
  components: input.components,
  labels: input.labels,
  status: input.status,
});

/** The draft fields each column carries. */
const FIELDS_OF: Record<CsvColumn, ReadonlyArray<keyof ServiceDraft>> = {
  name: ['name'],
  tier: ['tier'],
  rto: ['rtoMinutes'],
  rpo: ['rpoMinutes'],
  owner: ['owner'],
  depends_on: ['dependsOn'],
  jsm_services: ['jsmServiceIds'],
  components: ['components'],
  labels: ['labels'],
  status: ['status'],
};

/**
 * Decides what each imported row does: update the service with the same name (ignoring case, spaces
 * and invisible characters), or create one. Dependency names resolve against the catalogue and the
 * file (an existing id also works). A row fails when a dependency is unknown, when it depends on a new
 * service whose row failed, or when its dependencies would close a cycle; the cycle is named. Cycles
 * the catalogue already had, that no row touches, are not this import's business.
 */
export function planImport(existing: readonly ExistingService[], rows: readonly ImportedRow[], options: PlanOptions = {}): ImportPlan {
  const byKey = new Map<string, ExistingService>();
  for (const service of existing) if (!byKey.has(nameKey(service.name))) byKey.set(nameKey(service.name), service);
  const existingIds = new Set(existing.map((s) => s.id));
  const { targets, errors } = targetsOf(rows, byKey, existingIds, options.newId ?? slugId);
  const lookup: Lookup = { targetByKey: new Map(targets.map((t) => [nameKey(t.row.input.name), t])), byKey, existingIds };

  // Failing a row can strand rows that need it, and a graph without failed rows can still hold another
  // cycle: repeat until neither happens. Every round fails at least one row, so this ends.
  const failed = new Map<number, CsvIssue>();
  for (;;) {
    const resolution = resolveDependencies(targets, failed, lookup);
    resolution.failures.forEach((issue) => failed.set(issue.line, issue));
    if (resolution.failures.length > 0) continue;
    const cycles = cycleFailures(existing, targets, failed, resolution.resolved);
    cycles.forEach((issue) => failed.set(issue.line, issue));
    if (cycles.length > 0) continue;
    const planned = targets.flatMap((target) => {
      const dependsOn = resolution.resolved.get(target.row.line);
      return failed.has(target.row.line) || !dependsOn ? [] : [plannedRow(target, dependsOn)];
    });
    return { rows: planned, errors: [...errors, ...failed.values()].sort((a, b) => a.line - b.line) };
  }
}

/** Each row's target: the existing service of the same name, or a new id. Of repeated names the later row fails. */
function targetsOf(rows: readonly ImportedRow[], byKey: ReadonlyMap<string, ExistingService>, existingIds: ReadonlySet<string>, newId: NonNullable<PlanOptions['newId']>) {
  const taken = new Set(existingIds);
  const targets: Target[] = [];
  const errors: CsvIssue[] = [];
  const firstLine = new Map<string, number>();
  for (const row of [...rows].sort((a, b) => a.line - b.line)) {
    const key = nameKey(row.input.name);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      errors.push({ line: row.line, column: 'name', reason: `${JSON.stringify(row.input.name)} is already on line ${earlier}; each service may appear once.` });
      continue;
    }
    firstLine.set(key, row.line);
    const match = byKey.get(key);
    const id = match?.id ?? newId(row.input.name, taken);
    taken.add(id);
    targets.push({ row, id, create: !match });
  }
  return { targets, errors };
}

function plannedRow({ row, id, create }: Target, dependsOn: string[]): PlannedRow {
  const draft = draftOf(row.input, dependsOn);
  if (create) return { action: 'create', line: row.line, id, service: draft };
  const changes: Partial<ServiceDraft> & { name: string } = { name: draft.name };
  for (const column of row.columns) for (const field of FIELDS_OF[column]) Object.assign(changes, { [field]: draft[field] });
  return { action: 'update', line: row.line, id, changes };
}

/** Rows whose dependencies close a cycle in the graph the import would leave; each names the cycle. */
function cycleFailures(existing: readonly ExistingService[], targets: readonly Target[], failed: ReadonlyMap<number, CsvIssue>, resolved: ReadonlyMap<number, string[]>): CsvIssue[] {
  const graph = graphAfter(existing, targets, failed, resolved);
  const changed = new Map(targets.filter((t) => !failed.has(t.row.line) && (t.create || t.row.columns.includes('depends_on'))).map((t) => [t.id, t]));
  const names = new Map(graph.map((node) => [node.id, node.name]));
  return cycleGroups(graph).flatMap((group) => {
    // A cycle no row touches was there before the import; it is not this import's to refuse.
    const members = group.flatMap((id) => changed.get(id) ?? []).sort((a, b) => a.row.line - b.row.line);
    if (members.length === 0) return [];
    const cycle = (cycleThrough(graph, members[0]!.id) ?? [members[0]!.id]).map((id) => names.get(id) ?? id);
    return members.map((member) => ({ line: member.row.line, column: 'depends_on', reason: `These dependencies would form a cycle: ${cycle.join(' → ')}.` }));
  });
}

type Target = { row: ImportedRow; id: string; create: boolean };

interface Lookup {
  targetByKey: ReadonlyMap<string, Target>;
  byKey: ReadonlyMap<string, ExistingService>;
  existingIds: ReadonlySet<string>;
}

/** Dependency ids for every row not yet failed, and the rows whose dependencies cannot resolve. */
function resolveDependencies(targets: readonly Target[], failed: ReadonlyMap<number, CsvIssue>, lookup: Lookup) {
  const resolved = new Map<number, string[]>();
  const failures: CsvIssue[] = [];
  for (const { row } of targets) {
    if (failed.has(row.line)) continue;
    const ids: string[] = [];
    let problem: string | undefined;
    for (const name of row.input.dependsOn) {
      const key = nameKey(name);
      const target = lookup.targetByKey.get(key);
      if (target && target.create && failed.has(target.row.line)) {
        problem = `${JSON.stringify(name)} cannot be imported (see line ${target.row.line}), so nothing can depend on it yet.`;
        break;
      }
      const id = target?.id ?? lookup.byKey.get(key)?.id ?? (lookup.existingIds.has(name) ? name : undefined);
      if (id === undefined) {
        problem = `No service named ${JSON.stringify(name)} in the catalogue or in this file.`;
        break;
      }
      if (!ids.includes(id)) ids.push(id);
    }
    if (problem) failures.push({ line: row.line, column: 'depends_on', reason: problem });
    else resolved.set(row.line, ids);
  }
  return { resolved, failures };
}

/** The dependency graph as it would be after the import: rows without depends_on keep the existing dependencies. */
function graphAfter(existing: readonly ExistingService[], targets: readonly Target[], failed: ReadonlyMap<number, CsvIssue>, resolved: ReadonlyMap<number, string[]>): DependencyNode[] {
  const nodes = new Map<string, DependencyNode>(existing.map((s) => [s.id, s]));
  for (const { row, id, create } of targets) {
    if (failed.has(row.line)) continue;
    const dependsOn = row.columns.includes('depends_on') || create ? resolved.get(row.line)! : (nodes.get(id)?.dependsOn ?? []);
    nodes.set(id, { id, name: row.input.name, dependsOn });
  }
  return [...nodes.values()];
}

// ---- Export ----

export type ExportableService = Pick<Service, 'id' | 'name' | 'tier' | 'rtoMinutes' | 'rpoMinutes' | 'ownerAccountId'> & {
  dependsOn: readonly string[];
  components: readonly string[];
  labels: readonly string[];
  jsmServiceIds?: readonly string[];
  /** A catalogue entry mapped to a single JSM service; used when jsmServiceIds is absent. */
  jsmServiceId?: string;
  status?: ServiceStatus;
};

/**
 * One row per service in the import's columns; dependencies by name (ids not in `services` are left
 * out: they name nothing the file could import). Cells a spreadsheet would run as formulas are
 * neutralised (see csv-cells.ts); importing the file gives back the same services.
 */
export function exportServicesCsv(services: readonly ExportableService[], options: { bom?: boolean } = {}): string {
  const names = new Map(services.map((s) => [s.id, s.name]));
  const rows = services.map((s) => [
    s.name,
    String(s.tier),
    formatDuration(s.rtoMinutes),
    formatDuration(s.rpoMinutes),
    s.ownerAccountId ?? '',
    s.dependsOn.flatMap((id) => names.get(id) ?? []).join(';'),
    (s.jsmServiceIds ?? (s.jsmServiceId ? [s.jsmServiceId] : [])).join(';'),
    s.components.join(';'),
    s.labels.join(';'),
    s.status ?? 'active',
  ]);
  return toCsv(CSV_COLUMNS, rows, options);
}
