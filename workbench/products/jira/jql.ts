/**
 * JQL for the local Jira: parsed by Atlassian's own grammar (`@atlaskit/jql-ast`'s `JastBuilder`, built
 * on `@atlaskit/jql-parser`), then compiled here into a predicate and a comparator over issue records.
 *
 * Covered: project, issuetype/type, status, statusCategory, priority (incl. > <), resolution,
 * key/issuekey/id (incl. > < within a project), summary/description/comment/text (~ !~), labels,
 * component, assignee/reporter/creator (incl. currentUser()), created/updated/resolved (dates,
 * relative periods, now()/startOfDay()/...), the JSM custom fields (`cf[N]`, `customfield_N`, name),
 * and indexed issue properties (`issue.property[key].path` and their search aliases) typed as
 * number/date/string/text/user. Operators = != > >= < <= IN, NOT IN, ~, !~, IS [NOT] EMPTY; AND, OR,
 * NOT, parentheses; ORDER BY created, updated, priority, key, summary, status, issuetype, resolved and
 * indexed properties. Anything else is a 400 naming the problem, worded as Jira words it.
 *
 * Jira semantics kept on purpose: `!=` and `NOT IN` never match an issue whose field is empty
 * (`assignee != x` leaves out unassigned issues), a search without a WHERE clause is "unbounded" and
 * refused by `/search/jql`, and the default order is `created DESC`.
 */
import { JastBuilder } from '@atlaskit/jql-ast';
import type { Clause, Field, Operand, OrderByField, TerminalClause } from '@atlaskit/jql-ast';
import { adfText, userById, allUsers, type Site } from './site';
import type { IssueRec } from './state';

export type IndexedValueType = 'number' | 'string' | 'text' | 'user' | 'date';

export interface IndexedPropertyDef {
  propertyKey: string;
  values: Array<{ path: string; type: IndexedValueType; searchAlias?: string }>;
}

export class JqlError extends Error {}

export interface JqlEnv {
  site: Site;
  now: number;
  currentAccountId: string;
  indexed: IndexedPropertyDef[];
}

export interface CompiledJql {
  /** False for a query without a WHERE clause (`/search/jql` refuses those). */
  bounded: boolean;
  matches(issue: IssueRec): boolean;
  compare(a: IssueRec, b: IssueRec): number;
}

type Atom = { kind: 'value'; text: string } | { kind: 'empty' } | { kind: 'function'; name: string; args: string[] };
type Scalar = string | number;

/** How one field is searched and sorted. */
interface FieldSpec {
  label: string;
  operators: ReadonlySet<string>;
  /** The field's values on an issue (empty array = EMPTY). */
  values(issue: IssueRec): Scalar[];
  /** Turns one operand atom into the canonical values it stands for; throws JqlError on an unknown value. */
  resolve(atom: Atom): Scalar[];
  /** For > >= < <=: the ordinal of a value. */
  rank?(value: Scalar): number | null;
  /** For ~ and !~. */
  like?(issue: IssueRec, query: string): boolean;
  /** Compares two canonical values for = and IN (default: strict equality). */
  same?(a: Scalar, b: Scalar): boolean;
  /** For ordered comparisons that only hold within a group (issue keys: within one project). */
  group?(value: Scalar): string;
  /** An operand value that means EMPTY for this field (`resolution = Unresolved`). */
  meansEmpty?(atom: Atom): boolean;
}

const EQ = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const ORD = [...EQ, '>', '>=', '<', '<='];
const TEXT = ['~', '!~', 'is', 'is not'];
const ops = (...list: string[]): ReadonlySet<string> => new Set(list);

const DAY = 86_400_000;

// ---- public API ----------------------------------------------------------------------------------

export function compileJql(jql: string, env: JqlEnv): CompiledJql {
  const jast = new JastBuilder().build(jql ?? '');
  if (jast.errors.length) {
    const e = jast.errors[0] as unknown as { message: string; line?: number; charPositionInLine?: number };
    const where = e.line !== undefined ? ` (line ${e.line}, character ${(e.charPositionInLine ?? 0) + 1})` : '';
    throw new JqlError(`Error in the JQL Query: ${e.message}${where}`);
  }
  const query = jast.query || undefined;
  const where = query && query.where ? compileClause(query.where, env) : () => true;
  const orderFields = query && query.orderBy ? query.orderBy.fields : [];
  const compare = compileOrder(orderFields, env);
  return { bounded: !!(query && query.where), matches: where, compare };
}

// ---- clauses -------------------------------------------------------------------------------------

function compileClause(clause: Clause, env: JqlEnv): (issue: IssueRec) => boolean {
  if (clause.clauseType === 'compound') {
    const parts = clause.clauses.map((c) => compileClause(c, env));
    return clause.operator.value === 'and' ? (i) => parts.every((p) => p(i)) : (i) => parts.some((p) => p(i));
  }
  if (clause.clauseType === 'not') {
    const inner = compileClause(clause.clause, env);
    return (i) => !inner(i);
  }
  return compileTerminal(clause, env);
}

function compileTerminal(clause: TerminalClause, env: JqlEnv): (issue: IssueRec) => boolean {
  const spec = fieldSpec(clause.field, env, 'search');
  const op = clause.operator ? clause.operator.value.toLowerCase() : '';
  if (!spec.operators.has(op)) throw new JqlError(`The operator '${op}' is not supported by the '${spec.label}' field.`);
  if (!clause.operand) throw new JqlError(`Error in the JQL Query: the operator '${op}' needs a value.`);
  const atoms = operandAtoms(clause.operand).map((a): Atom => (spec.meansEmpty && spec.meansEmpty(a) ? { kind: 'empty' } : a));
  const isList = clause.operand.operandType === 'list';
  const same = spec.same ?? ((a: Scalar, b: Scalar) => a === b);
  const contains = (values: Scalar[], wanted: Scalar[]): boolean => values.some((v) => wanted.some((w) => same(v, w)));

  if (op === 'in' || op === 'not in') {
    if (!isList) throw new JqlError(`The operator '${op}' only supports lists; use '(value)'.`);
    const hasEmpty = atoms.some((a) => a.kind === 'empty');
    const wanted = atoms.filter((a) => a.kind !== 'empty').flatMap((a) => spec.resolve(a));
    if (op === 'in') return (i) => {
      const v = spec.values(i);
      return (hasEmpty && v.length === 0) || contains(v, wanted);
    };
    return (i) => {
      const v = spec.values(i);
      return v.length > 0 && !contains(v, wanted);
    };
  }
  if (isList) throw new JqlError(`The operator '${op}' does not support a list of values for the field '${spec.label}'.`);
  const atom = atoms[0];
  if (op === 'is' || op === 'is not') {
    if (atom.kind !== 'empty') throw new JqlError(`The operator '${op}' only supports the values 'EMPTY' and 'NULL' for the field '${spec.label}'.`);
    return op === 'is' ? (i) => spec.values(i).length === 0 : (i) => spec.values(i).length > 0;
  }
  if (op === '~' || op === '!~') {
    if (atom.kind !== 'value') throw new JqlError(`The operator '${op}' needs a text value for the field '${spec.label}'.`);
    const like = spec.like!;
    return op === '~' ? (i) => like(i, atom.text) : (i) => !like(i, atom.text);
  }
  if (op === '=' || op === '!=') {
    if (atom.kind === 'empty') return op === '=' ? (i) => spec.values(i).length === 0 : (i) => spec.values(i).length > 0;
    const wanted = spec.resolve(atom);
    return op === '=' ? (i) => contains(spec.values(i), wanted) : (i) => {
      const v = spec.values(i);
      return v.length > 0 && !contains(v, wanted);
    };
  }
  // > >= < <=
  if (atom.kind === 'empty') throw new JqlError(`The operator '${op}' does not support the value 'EMPTY' for the field '${spec.label}'.`);
  const rank = spec.rank!;
  const boundValue = spec.resolve(atom)[0];
  const bound = boundValue === undefined ? null : rank(boundValue);
  if (bound === null) return () => false;
  const group = spec.group;
  const boundGroup = group ? group(boundValue) : '';
  const test = { '>': (r: number) => r > bound, '>=': (r: number) => r >= bound, '<': (r: number) => r < bound, '<=': (r: number) => r <= bound }[op as '>'];
  return (i) =>
    spec.values(i).some((v) => {
      const r = rank(v);
      return r !== null && (!group || group(v) === boundGroup) && test(r);
    });
}

function operandAtoms(operand: Operand): Atom[] {
  switch (operand.operandType) {
    case 'value':
      return [{ kind: 'value', text: operand.value }];
    case 'keyword':
      return [{ kind: 'empty' }];
    case 'function':
      return [{ kind: 'function', name: operand.function.value, args: operand.arguments.map((a) => a.value) }];
    case 'list':
      return operand.values.flatMap(operandAtoms);
  }
}

// ---- order by ------------------------------------------------------------------------------------

type SortKey = (issue: IssueRec) => Scalar | null;

function compileOrder(fields: OrderByField[], env: JqlEnv): (a: IssueRec, b: IssueRec) => number {
  const keys: Array<{ key: SortKey; dir: number }> = fields.map((f) => ({
    key: sortKeyFor(f.field, env),
    dir: f.direction && f.direction.value.toUpperCase() === 'DESC' ? -1 : 1,
  }));
  if (!keys.length) keys.push({ key: (i) => i.created, dir: -1 });
  const tieDir = keys[keys.length - 1].dir;
  return (a, b) => {
    for (const { key, dir } of keys) {
      const c = compareScalars(key(a), key(b));
      if (c !== 0) return c * dir;
    }
    return (Number(a.id) - Number(b.id)) * tieDir;
  };
}

/** Empty values sort after every value (last in ASC, first in DESC). */
function compareScalars(a: Scalar | null, b: Scalar | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function sortKeyFor(field: Field, env: JqlEnv): SortKey {
  const { site } = env;
  const name = field.value.toLowerCase();
  switch (name) {
    case 'created':
    case 'createddate':
      return (i) => i.created;
    case 'updated':
    case 'updateddate':
      return (i) => i.updated;
    case 'resolved':
    case 'resolutiondate':
      return (i) => i.resolutionDate;
    case 'priority':
      return (i) => site.priority(i.priorityId).rank;
    case 'key':
    case 'issuekey':
    case 'issue':
    case 'id':
      return (i) => keySortValue(i.key);
    case 'summary':
      return (i) => i.summary.toLowerCase();
    case 'status':
      return (i) => site.state.statuses.findIndex((s) => s.id === i.statusId);
    case 'issuetype':
    case 'type':
      return (i) => site.issueType(i.issueTypeId).name;
  }
  const prop = propertyTarget(field, env);
  if (prop) {
    return (i) => {
      const values = extractPath(ownValue(i.properties, prop.propertyKey), prop.path);
      const first = values.map((v) => propertyScalar(v, prop.type)).find((v) => v !== null);
      return first ?? null;
    };
  }
  // A known field that cannot be sorted, or an unknown one.
  fieldSpec(field, env, 'sort');
  throw new JqlError(`Not able to sort using field '${field.value}'.`);
}

/** Sorts keys by project key, then issue number. */
function keySortValue(key: string): string {
  const [project, number] = key.split('-');
  return `${project}-${number.padStart(10, '0')}`;
}

// ---- fields --------------------------------------------------------------------------------------

function unknownField(name: string): JqlError {
  return new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
}

function noValue(value: string, field: string): JqlError {
  return new JqlError(`The value '${value}' does not exist for the field '${field}'.`);
}

function fieldSpec(field: Field, env: JqlEnv, purpose: 'search' | 'sort'): FieldSpec {
  const { site } = env;
  const raw = field.value;
  const name = raw.toLowerCase();
  const state = site.state;
  const byIdOrName = <T extends { id: string; name: string }>(list: T[], label: string) => (atom: Atom): string[] => {
    const text = valueText(atom, label);
    const hit = list.filter((x) => x.id === text || x.name.toLowerCase() === text.toLowerCase());
    if (!hit.length) throw noValue(text, label);
    return hit.map((x) => x.id);
  };

  switch (name) {
    case 'project':
      return {
        label: 'project',
        operators: ops(...EQ),
        values: (i) => [i.projectId],
        resolve: (atom) => {
          const text = valueText(atom, 'project');
          const p = site.findProject(text) ?? state.projects.find((x) => x.name.toLowerCase() === text.toLowerCase());
          if (!p) throw noValue(text, 'project');
          return [p.id];
        },
      };
    case 'issuetype':
    case 'type':
      return { label: raw, operators: ops(...EQ), values: (i) => [i.issueTypeId], resolve: byIdOrName(state.issueTypes, raw) };
    case 'status':
      return { label: 'status', operators: ops(...EQ), values: (i) => [i.statusId], resolve: byIdOrName(state.statuses, 'status') };
    case 'statuscategory':
      return {
        label: 'statusCategory',
        operators: ops(...EQ),
        values: (i) => [site.status(i.statusId).category],
        resolve: (atom) => {
          const text = valueText(atom, 'statusCategory').toLowerCase();
          const map: Record<string, string> = { 'to do': 'new', new: 'new', '2': 'new', 'in progress': 'indeterminate', indeterminate: 'indeterminate', '4': 'indeterminate', done: 'done', '3': 'done' };
          if (!map[text]) throw noValue(valueText(atom, 'statusCategory'), 'statusCategory');
          return [map[text]];
        },
      };
    case 'priority':
      return {
        label: 'priority',
        operators: ops(...ORD),
        values: (i) => [i.priorityId],
        resolve: byIdOrName(state.priorities, 'priority'),
        rank: (v) => state.priorities.find((p) => p.id === v)?.rank ?? null,
      };
    case 'resolution':
      return {
        label: 'resolution',
        operators: ops(...EQ),
        values: (i) => (i.resolution ? [i.resolution] : []),
        resolve: byIdOrName(state.resolutions, 'resolution'),
        // `resolution = Unresolved` is Jira's spelling of "no resolution".
        meansEmpty: (atom) => atom.kind === 'value' && atom.text.toLowerCase() === 'unresolved',
      };
    case 'labels':
      return {
        label: 'labels',
        operators: ops(...EQ),
        values: (i) => i.labels,
        resolve: (atom) => [valueText(atom, 'labels')],
      };
    case 'component':
      return {
        label: 'component',
        operators: ops(...EQ),
        values: (i) => i.componentIds,
        resolve: byIdOrName(state.projects.flatMap((p) => p.components), 'component'),
      };
    case 'key':
    case 'issuekey':
    case 'issue':
    case 'id':
      return {
        label: raw,
        operators: ops(...ORD),
        values: (i) => [i.key],
        resolve: (atom) => {
          const text = valueText(atom, raw);
          const issue = site.findIssue(text);
          if (!issue) throw new JqlError(`An issue with key '${text}' does not exist for field '${raw}'.`);
          return [issue.key];
        },
        // Key comparisons hold within one project: `key > OPS-3` never matches an ENG issue.
        rank: (v) => Number(String(v).split('-')[1]),
        group: (v) => String(v).split('-')[0],
      };
    case 'summary':
      return textSpec('summary', (i) => [i.summary]);
    case 'description':
      return textSpec('description', (i) => (i.description ? [adfText(i.description)] : []));
    case 'comment':
      return textSpec('comment', (i) => i.comments.map((c) => adfText(c.body)));
    case 'text':
      return textSpec('text', (i) => [i.summary, i.description ? adfText(i.description) : '', ...i.comments.map((c) => adfText(c.body))].filter(Boolean));
    case 'created':
    case 'createddate':
      return dateSpec(raw, (i) => [i.created], env);
    case 'updated':
    case 'updateddate':
      return dateSpec(raw, (i) => [i.updated], env);
    case 'resolved':
    case 'resolutiondate':
      return dateSpec(raw, (i) => (i.resolutionDate === null ? [] : [i.resolutionDate]), env);
    case 'assignee':
      return userSpec('assignee', (i) => (i.assigneeId ? [i.assigneeId] : []), env);
    case 'reporter':
      return userSpec('reporter', (i) => (i.reporterId ? [i.reporterId] : []), env);
    case 'creator':
      return userSpec('creator', (i) => [i.creatorId], env);
  }

  const prop = propertyTarget(field, env);
  if (prop) return propertySpec(prop, env);

  const cf = customFieldFor(raw, env);
  if (cf) {
    if (purpose === 'sort') throw new JqlError(`Not able to sort using field '${raw}'.`);
    if (cf.kind === 'affectedServices') {
      return {
        label: raw,
        operators: ops(...EQ),
        values: (i) => (Array.isArray(i.custom[cf.id]) ? (i.custom[cf.id] as string[]) : []),
        resolve: byIdOrName(state.services, raw),
      };
    }
    if (cf.kind === 'requestType') {
      return {
        label: raw,
        operators: ops(...EQ),
        values: (i) => (typeof i.custom[cf.id] === 'string' ? [i.custom[cf.id] as string] : []),
        resolve: byIdOrName(state.requestTypes, raw),
      };
    }
    return {
      label: raw,
      operators: ops(...EQ),
      values: (i) => (typeof i.custom[cf.id] === 'string' ? [i.custom[cf.id] as string] : []),
      resolve: (atom) => [valueText(atom, raw)],
      same: (a, b) => String(a).toLowerCase() === String(b).toLowerCase(),
    };
  }
  throw unknownField(raw);
}

function customFieldFor(raw: string, env: JqlEnv) {
  const fields = env.site.state.customFields;
  const cfMatch = /^cf\[(\d+)\]$/i.exec(raw);
  if (cfMatch) return fields.find((f) => f.numericId === Number(cfMatch[1]));
  const idMatch = /^customfield_(\d+)$/i.exec(raw);
  if (idMatch) return fields.find((f) => f.numericId === Number(idMatch[1]));
  return fields.find((f) => f.name.toLowerCase() === raw.toLowerCase());
}

function valueText(atom: Atom, field: string): string {
  if (atom.kind === 'value') return atom.text;
  if (atom.kind === 'function') throw new JqlError(`Function '${atom.name}' is not supported by the field '${field}'.`);
  throw new JqlError(`The value 'EMPTY' is not supported here for the field '${field}'.`);
}

// ---- text ----------------------------------------------------------------------------------------

function textSpec(label: string, texts: (i: IssueRec) => string[]): FieldSpec {
  return {
    label,
    operators: ops(...TEXT),
    values: texts,
    resolve: (atom) => [valueText(atom, label)],
    like: (issue, query) => textMatches(texts(issue), query),
  };
}

const words = (s: string): string[] => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * Jira's `~`: a quoted phrase matches as a phrase; otherwise every term must match a word, by prefix
 * (a stand-in for Jira's stemming: `deploy` finds `deployment`), with `*` and `?` wildcards.
 */
export function textMatches(texts: string[], query: string): boolean {
  const q = query.trim();
  if (q.length >= 2 && q.startsWith('"') && q.endsWith('"')) {
    const phrase = words(q.slice(1, -1)).join(' ');
    return texts.some((t) => ` ${words(t).join(' ')} `.includes(` ${phrase}`));
  }
  const terms = q.toLowerCase().split(/[^\p{L}\p{N}*?]+/u).filter(Boolean);
  if (!terms.length) return false;
  const all = texts.flatMap(words);
  return terms.every((term) => {
    const re = new RegExp(`^${term.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}`, 'u');
    return all.some((w) => re.test(w));
  });
}

// ---- users ---------------------------------------------------------------------------------------

function userSpec(label: string, values: (i: IssueRec) => string[], env: JqlEnv): FieldSpec {
  return {
    label,
    operators: ops(...EQ),
    values,
    resolve: (atom) => [resolveUser(atom, label, env)],
  };
}

function resolveUser(atom: Atom, label: string, env: JqlEnv): string {
  if (atom.kind === 'function') {
    if (atom.name.toLowerCase() === 'currentuser') return env.currentAccountId;
    throw unknownFunction(atom.name);
  }
  const text = valueText(atom, label);
  const user = userById(text) ?? allUsers().find((u) => u.emailAddress && u.emailAddress.toLowerCase() === text.toLowerCase());
  if (!user) throw noValue(text, label);
  return user.accountId;
}

function unknownFunction(name: string): JqlError {
  return new JqlError(`Unable to find JQL function '${name}()'.`);
}

// ---- dates ---------------------------------------------------------------------------------------

function dateSpec(label: string, values: (i: IssueRec) => number[], env: JqlEnv): FieldSpec {
  return {
    label,
    operators: ops(...ORD),
    values,
    resolve: (atom) => [resolveDate(atom, label, env)],
    rank: (v) => (typeof v === 'number' ? v : null),
  };
}

const PERIOD = /^([+-]?\d+)\s*([wdhm])$/i;
const UNIT_MS: Record<string, number> = { w: 7 * DAY, d: DAY, h: 3_600_000, m: 60_000 };

/** `-1d`, `4w 2d`, `+3h`: a signed period in ms, or null when `text` is not one. */
export function parsePeriod(text: string): number | null {
  const parts = text.trim().split(/\s+/);
  if (!parts.length || !parts[0]) return null;
  let total = 0;
  let sign = 1;
  for (const [n, part] of parts.entries()) {
    const m = PERIOD.exec(part);
    if (!m) return null;
    let amount = Number(m[1]);
    if (n === 0 && m[1].startsWith('-')) sign = -1;
    if (n > 0 && !m[1].startsWith('-') && !m[1].startsWith('+')) amount = sign * Math.abs(amount);
    total += amount * UNIT_MS[m[2].toLowerCase()];
  }
  return total;
}

/** Jira's absolute date formats (read as UTC, the workbench's time zone). */
export function parseJqlDate(text: string): number | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
  return Number.isNaN(ms) ? null : ms;
}

function resolveDate(atom: Atom, label: string, env: JqlEnv): number {
  if (atom.kind === 'function') return dateFunction(atom.name, atom.args, env.now);
  const text = valueText(atom, label);
  const period = parsePeriod(text);
  if (period !== null) return env.now + period;
  const abs = parseJqlDate(text);
  if (abs !== null) return abs;
  if (/^\d{10,}$/.test(text)) return Number(text);
  throw new JqlError(
    `Date value '${text}' for field '${label}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

function dateFunction(name: string, args: string[], now: number): number {
  const fn = name.toLowerCase();
  const d = new Date(now);
  const offset = (unit: string): number => {
    if (!args.length) return 0;
    const a = args[0].trim();
    const p = parsePeriod(/[wdhm]$/i.test(a) ? a : `${a}${unit}`);
    if (p === null) throw new JqlError(`The argument '${a}' of the function '${name}' is invalid.`);
    return p;
  };
  const startOfDay = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  switch (fn) {
    case 'now':
      return now;
    case 'startofday':
      return startOfDay + offset('d');
    case 'endofday':
      return startOfDay + DAY - 1 + offset('d');
    case 'startofweek':
      return startOfDay - weekday * DAY + offset('w');
    case 'endofweek':
      return startOfDay + (7 - weekday) * DAY - 1 + offset('w');
    case 'startofmonth':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) + offset('d');
    case 'endofmonth':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1 + offset('d');
    default:
      throw unknownFunction(name);
  }
}

// ---- issue properties ----------------------------------------------------------------------------

interface PropertyTarget {
  propertyKey: string;
  path: string[];
  type: IndexedValueType;
  label: string;
}

/** `issue.property[key].path` (only when indexed) or a search alias; undefined for other fields. */
function propertyTarget(field: Field, env: JqlEnv): PropertyTarget | undefined {
  if (field.value.toLowerCase() === 'issue.property') {
    const prop = field.properties && field.properties[0];
    const key = prop && prop.key ? prop.key.value : '';
    const pathText = prop && prop.path ? prop.path.map((p) => p.value).join('') : '';
    const path = pathText.split('.').filter(Boolean);
    const label = `issue.property[${key}]${pathText}`;
    for (const def of env.indexed) {
      if (def.propertyKey !== key) continue;
      const v = def.values.find((x) => x.path.split('.').filter(Boolean).join('.') === path.join('.'));
      if (v) return { propertyKey: key, path, type: v.type, label };
    }
    throw unknownField(label);
  }
  const alias = field.value.toLowerCase();
  for (const def of env.indexed) {
    const v = def.values.find((x) => x.searchAlias && x.searchAlias.toLowerCase() === alias);
    if (v) return { propertyKey: def.propertyKey, path: v.path.split('.').filter(Boolean), type: v.type, label: field.value };
  }
  return undefined;
}

function ownValue(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** The values at `path` inside a property value; arrays are indexed element by element, as Jira does. */
export function extractPath(value: unknown, path: string[]): unknown[] {
  let current: unknown[] = value === undefined ? [] : [value];
  for (const segment of path) {
    current = current.flatMap((v) => (Array.isArray(v) ? v : [v])).flatMap((v) => (v && typeof v === 'object' ? [ownValue(v as Record<string, unknown>, segment)] : []));
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== null && v !== undefined);
}

function propertyScalar(value: unknown, type: IndexedValueType): Scalar | null {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'date': {
      if (typeof value === 'number') return value;
      if (typeof value !== 'string') return null;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? null : ms;
    }
    default:
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  }
}

function propertySpec(target: PropertyTarget, env: JqlEnv): FieldSpec {
  const values = (i: IssueRec): Scalar[] =>
    extractPath(ownValue(i.properties, target.propertyKey), target.path)
      .map((v) => propertyScalar(v, target.type))
      .filter((v): v is Scalar => v !== null);
  const { label } = target;
  switch (target.type) {
    case 'number':
      return {
        label,
        operators: ops(...ORD),
        values,
        resolve: (atom) => {
          const text = valueText(atom, label);
          const n = Number(text);
          if (text.trim() === '' || !Number.isFinite(n)) throw new JqlError(`The value '${text}' is not a valid number for the field '${label}'.`);
          return [n];
        },
        rank: (v) => (typeof v === 'number' ? v : null),
      };
    case 'date':
      return { label, operators: ops(...ORD), values, resolve: (atom) => [resolveDate(atom, label, env)], rank: (v) => (typeof v === 'number' ? v : null) };
    case 'text':
      return { ...textSpec(label, (i) => values(i).map(String)), label };
    case 'user':
      return { label, operators: ops(...EQ), values, resolve: (atom) => [resolveUser(atom, label, env)] };
    case 'string':
      return { label, operators: ops(...EQ), values, resolve: (atom) => [valueText(atom, label)] };
  }
}
