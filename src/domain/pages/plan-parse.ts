/**
 * Reads a continuity plan page (ADF) back into the recovery steps and message templates the app shows
 * on incidents. People edit these pages freely, so the reader is tolerant and says what it did not read:
 * nothing is dropped silently; every row or item it skips, shortens or fills in is a sentence in
 * `problems`, for the plan owner.
 *
 * Recovery steps: the section under the heading that reads as "Recovery steps" (any case, emoji,
 * numbering; also "Steps to recover", "Recovery procedure", "Runbook"; when several do, see
 * adf-read.findSection), up to the next heading of the same or a higher level. Blocks inside layouts,
 * expands, panels and quotes count as part of the section.
 *   - Tables come first. A steps table has a header row naming its columns: the step (step, action, task,
 *     description, what…), the role (role, owner, who, responsible…) and the expected duration (expected,
 *     duration, time, estimate, ETA…). A "#" column is ignored: the order is the rows' order. Other
 *     columns are ignored. Missing role or duration columns are allowed (defaults below); a table with
 *     neither reads the list conventions of step-line.ts in its step cells. Merged cells: a cell merged
 *     across rows (a shared role) applies to each row; one merged across a whole row is a label (a phase).
 *     A step cell's first line is the title; its further lines (paragraphs, hard breaks, nested lists) are
 *     the step's details.
 *   - Without a steps table: ordered, bullet and task lists, each item one step by the conventions of
 *     step-line.ts. A nested list under an item with no role or duration of its own, whose items do have
 *     them, is a group ("Phase 1" with its steps); otherwise nested items are the item's details.
 *   - A table with no recognisable header, when nothing else is there, is read by its content (a column
 *     of durations, a column of numbers, the first other column as the step), with a problem saying so.
 * Steps get ids by the rule in ids.ts (from the wording; stable across reordering and other columns).
 *
 * Message templates: the section under "Communication plan" (or "Communications", "Comms", "Message
 * templates"): each heading below the section heading names a template; the first line after it may be
 * "Audience: internal" or "Audience: customers" (also staff, employees / public, external, clients); the
 * rest is the text, one line per paragraph, `{{placeholders}}` as written. A table with name, audience and
 * message columns is read too.
 */
import type { CommsTemplate, RecoveryStep } from '../catalogue';
import { blockLines, cellAt, cellText, findSection, headingLevel, inlineText, readingOrder, readTree, tableGrid, type GridCell, type Placed, type ReadNode } from './adf-read';
import { MAX_STEP_MINUTES, parseMinutes, formatMinutes } from './duration';
import { withStepIds, withTemplateIds } from './ids';
import { cleanBody, cleanLine, codePointLength, comparable, LIMITS, truncate } from './page-text';
import { isCommsHeading, isStepsHeading, PLAN_SECTIONS } from './plan-sections';
import { hasConventions, readStepLine } from './step-line';

export const DEFAULT_ROLE = 'Recovery team';
export const DEFAULT_STEP_MINUTES = 15;

export interface ParsedStep extends RecoveryStep {
  /** Further lines the page gives for the step: extra paragraphs, hard-broken lines, nested items. */
  details?: string[];
  /** The label of the group (a merged table row, a parent list item) the step sits under. */
  phase?: string;
}

interface ParseCommon {
  comms: CommsTemplate[];
  /** Whether the page has a Communication plan section (when it has not, keep the templates you had). */
  commsSectionFound: boolean;
  problems: string[];
}

export type PlanParseResult =
  | (ParseCommon & { readable: true; steps: ParsedStep[] })
  | (ParseCommon & { readable: false; reason: 'not-a-document' | 'no-steps-section' | 'no-steps-in-section' });

interface RawStep {
  title: string;
  role?: string;
  minutes?: number;
  details: string[];
  phase?: string;
  /** Where it came from, for problems: 'steps table, row 4' or 'list item 3'. */
  where: string;
}

const quote = (s: string) => `"${truncate(cleanLine(s), 60)}"`;

// ---------------------------------------------------------------------------------------------------------------
// Tables

type Column = 'number' | 'step' | 'role' | 'duration' | 'other';

const NUMBER_HEADER = /^(#|№|n°|no\.?|nr\.?|num(ber)?|seq(uence)?|order|step\s*(#|no\.?|nr\.?|number)|)$/iu;

/** What a header cell names. Order matters: "Step owner" is a role, "Expected time" a duration. */
export function classifyHeader(textOfHeader: string): Column {
  const raw = cleanLine(textOfHeader);
  if (NUMBER_HEADER.test(raw)) return raw === '' ? 'other' : 'number';
  const name = comparable(raw);
  if (/\b(expected|duration|durations|time|timing|estimate|estimated|est|eta|minutes|mins|hours|effort|how long|takes)\b/u.test(name)) return 'duration';
  if (/\b(role|roles|owner|owners|who|responsible|assignee|assigned|team|actor|person|performed by|by)\b/u.test(name)) return 'role';
  if (/\b(step|steps|action|actions|task|tasks|activity|activities|what|description|instruction|instructions|procedure)\b/u.test(name)) return 'step';
  return 'other';
}

interface TableLayout {
  step: number;
  role?: number;
  duration?: number;
  /** Bare numbers in the duration column are hours when the header says so ("Duration (h)"). */
  hours: boolean;
  /** The first data row. */
  start: number;
  /** Set when the columns were guessed rather than read from a header. */
  guessed?: string;
}

function rowTexts(row: ReadonlyArray<GridCell | undefined>): string[] {
  return row.map((_, c) => {
    const cell = cellAt(row, c);
    return cell ? cellText(cell.node) : '';
  });
}

/** The columns of a steps table from its header row, or undefined when the first row names no step column. */
function layoutFromHeader(grid: ReadonlyArray<ReadonlyArray<GridCell | undefined>>): TableLayout | undefined {
  if (grid.length === 0) return undefined;
  const headers = rowTexts(grid[0]);
  const kinds = headers.map(classifyHeader);
  const hoursHint = (c: number) => /\b(h|hr|hrs|hour|hours)\b/u.test(comparable(headers[c])) && !/\bmin/u.test(comparable(headers[c]));
  let step = kinds.indexOf('step');
  let guessed: string | undefined;
  const role = kinds.indexOf('role');
  const duration = kinds.indexOf('duration');
  if (step < 0) {
    // A table naming only roles (a contacts table) is not a steps table; one with durations is.
    if (duration < 0) return undefined;
    step = kinds.indexOf('other');
    if (step < 0) return undefined;
    guessed = `no column is named Step; the column ${quote(headers[step] || `${step + 1}`)} was read as the steps.`;
  }
  return {
    step,
    ...(role >= 0 ? { role } : {}),
    ...(duration >= 0 ? { duration } : {}),
    hours: duration >= 0 && hoursHint(duration),
    start: 1,
    ...(guessed ? { guessed } : {}),
  };
}

/** Columns guessed from the content of a table with no recognisable header. */
function guessLayout(grid: ReadonlyArray<ReadonlyArray<GridCell | undefined>>): TableLayout | undefined {
  const width = grid[0]?.length ?? 0;
  const start = grid[0]?.every((c) => !c || c.header) ? 1 : 0;
  const columns = Array.from({ length: width }, (_, c) => grid.slice(start).map((row) => (cellAt(row, c) ? cellText(cellAt(row, c)!.node) : '')).filter((t) => t !== ''));
  const share = (values: string[], test: (v: string) => boolean) => (values.length === 0 ? 0 : values.filter(test).length / values.length);
  const isNumberCol = (c: number) => share(columns[c], (v) => /^\d+[.)]?$/u.test(v)) >= 0.8;
  const isDurationCol = (c: number) => share(columns[c], (v) => parseMinutes(v) !== undefined) >= 0.6;
  const used = new Set<number>();
  const duration = Array.from({ length: width }, (_, c) => c).find((c) => columns[c].length > 0 && !isNumberCol(c) && isDurationCol(c));
  if (duration !== undefined) used.add(duration);
  for (let c = 0; c < width; c++) if (isNumberCol(c)) used.add(c);
  const rest = Array.from({ length: width }, (_, c) => c).filter((c) => !used.has(c) && columns[c].length > 0);
  if (rest.length === 0) return undefined;
  const [step, role] = rest;
  const parts = [`column ${step + 1} as the steps`, ...(role !== undefined ? [`column ${role + 1} as the roles`] : []), ...(duration !== undefined ? [`column ${duration + 1} as the durations`] : [])];
  return {
    step,
    ...(role !== undefined ? { role } : {}),
    ...(duration !== undefined ? { duration } : {}),
    hours: false,
    start,
    guessed: `the table has no header naming its columns; read ${parts.join(', ')}.`,
  };
}

function readTable(table: ReadNode, layout: TableLayout, label: string, problems: string[]): RawStep[] {
  const grid = tableGrid(table);
  const width = grid[0]?.length ?? 0;
  const out: RawStep[] = [];
  const empty: number[] = [];
  let phase: string | undefined;
  if (layout.guessed) problems.push(`${cap(label)}: ${layout.guessed}`);
  const useConventions = layout.role === undefined && layout.duration === undefined;
  for (let r = layout.start; r < grid.length; r++) {
    const row = grid[r];
    const where = `${label}, row ${r + 1}`;
    const own = row.filter((cell, c): cell is GridCell => !!cell && cell.row === r && cell.col === c);
    const texts = own.map((cell) => cellText(cell.node));
    if (texts.every((t) => cleanLine(t) === '')) {
      if (own.length > 0 || row.every((c) => !c)) empty.push(r + 1);
      else problems.push(`${cap(where)} has no cells of its own (all merged from the row above); skipped.`);
      continue;
    }
    if (width > 1 && own.length === 1 && own[0].colspan >= width) {
      phase = cleanLine(texts[0]);
      problems.push(`${cap(where)} (${quote(texts[0])}) spans the whole table; read as a group label, not a step.`);
      continue;
    }
    if (r > 0 && own.every((cell) => cell.header) && own.length === width && rowTexts(row).map(classifyHeader).includes('step')) {
      problems.push(`${cap(where)} repeats the header; skipped.`);
      continue;
    }
    const stepCell = row[layout.step];
    if (stepCell && stepCell.row !== r) {
      problems.push(`${cap(where)} shares its step cell with row ${stepCell.row + 1} (merged); skipped: give each step its own row.`);
      continue;
    }
    const stepLines = stepCell && stepCell.col === layout.step ? blockLines(stepCell.node).map(cleanLine).filter((l) => l !== '') : [];
    if (stepLines.length === 0) {
      problems.push(`${cap(where)} has no step text (${texts.filter((t) => t.trim() !== '').map(quote).join(', ')}); skipped.`);
      continue;
    }
    const valueOf = (col: number | undefined) => {
      if (col === undefined) return '';
      const cell = row[col];
      return cell && cell.col === col ? cellText(cell.node) : '';
    };
    const step: RawStep = { title: stepLines[0], details: stepLines.slice(1), where, ...(phase ? { phase } : {}) };
    if (useConventions) {
      const read = readStepLine(step.title);
      step.title = read.title;
      if (read.role !== undefined) step.role = read.role;
      if (read.minutes !== undefined) step.minutes = read.minutes;
    } else {
      const role = cleanLine(valueOf(layout.role));
      if (role !== '') step.role = role;
      const durationText = cleanLine(valueOf(layout.duration));
      if (durationText !== '') {
        const minutes = parseMinutes(durationText, { bareNumberUnit: layout.hours ? 'hours' : 'minutes' });
        if (minutes === undefined) problems.push(`${cap(where)}: ${quote(durationText)} is not a duration (write "20 min" or "1 h 30 min"); ${formatMinutes(DEFAULT_STEP_MINUTES)} assumed.`);
        step.minutes = minutes ?? DEFAULT_STEP_MINUTES;
      }
    }
    out.push(step);
  }
  if (empty.length > 0) problems.push(`${cap(label)}: ${empty.length === 1 ? `row ${empty[0]} is` : `rows ${empty.join(', ')} are`} empty; skipped.`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Lists

interface Item {
  lines: string[];
  children: Item[];
}

const LIST_TYPES = new Set(['bulletList', 'orderedList', 'taskList']);

function listItems(list: ReadNode): Item[] {
  if (list.type === 'taskList') {
    const items: Item[] = [];
    for (const child of list.content) {
      if (child.type === 'taskItem') items.push({ lines: inlineText(child).split('\n'), children: [] });
      else if (child.type === 'blockTaskItem') items.push(blockItem(child.content));
      else if (child.type === 'taskList') {
        const nested = listItems(child);
        if (items.length > 0) items[items.length - 1].children.push(...nested);
        else items.push(...nested);
      }
    }
    return items;
  }
  return list.content.filter((c) => c.type === 'listItem').map((item) => blockItem(item.content));
}

function blockItem(blocks: readonly ReadNode[]): Item {
  const item: Item = { lines: [], children: [] };
  for (const block of blocks) {
    if (LIST_TYPES.has(block.type)) item.children.push(...listItems(block));
    else item.lines.push(...blockLines(block));
  }
  return item;
}

function firstLine(item: Item): string {
  return item.lines.map(cleanLine).find((l) => l !== '') ?? '';
}

function flattenLines(items: readonly Item[]): string[] {
  return items.flatMap((i) => [...i.lines.map(cleanLine).filter((l) => l !== ''), ...flattenLines(i.children)]);
}

function readItems(items: readonly Item[], label: string, phase: string | undefined, problems: string[], out: RawStep[]): void {
  items.forEach((item, i) => {
    const where = `${label}, item ${i + 1}`;
    const lines = item.lines.map(cleanLine).filter((l) => l !== '');
    if (lines.length === 0) {
      if (item.children.length > 0) readItems(item.children, `${where} (nested)`, phase, problems, out);
      else problems.push(`${cap(where)} is empty; skipped.`);
      return;
    }
    const isGroup = item.children.length > 0 && !hasConventions(lines[0]) && item.children.some((c) => hasConventions(firstLine(c)));
    if (isGroup) {
      readItems(item.children, `${where} (${quote(lines[0])})`, lines[0], problems, out);
      return;
    }
    const read = readStepLine(lines[0]);
    out.push({
      title: read.title,
      ...(read.role !== undefined ? { role: read.role } : {}),
      ...(read.minutes !== undefined ? { minutes: read.minutes } : {}),
      details: [...lines.slice(1), ...flattenLines(item.children)],
      where,
      ...(phase ? { phase } : {}),
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function firstRowPreview(table: ReadNode): string {
  const grid = tableGrid(table);
  return grid.length > 0 ? rowTexts(grid[0]).filter((t) => t !== '').join(' | ') : '';
}

function collectSteps(blocks: readonly Placed[], problems: string[]): RawStep[] {
  const tables = blocks.filter((b) => b.node.type === 'table');
  const lists = blocks.filter((b) => LIST_TYPES.has(b.node.type));
  const stepTables = tables.map((b) => ({ b, layout: layoutFromHeader(tableGrid(b.node)) })).filter((t): t is { b: Placed; layout: TableLayout } => t.layout !== undefined);
  const out: RawStep[] = [];
  if (stepTables.length > 0) {
    stepTables.forEach(({ b, layout }, i) => out.push(...readTable(b.node, layout, stepTables.length > 1 ? `steps table ${i + 1}` : 'steps table', problems)));
    for (const t of tables) {
      if (!stepTables.some((s) => s.b === t)) problems.push(`A table under the steps heading (${quote(firstRowPreview(t.node))}) names no step, role or duration column; not read as steps.`);
    }
    if (lists.length > 0) problems.push(`${lists.length === 1 ? 'A list' : `${lists.length} lists`} under the steps heading ${lists.length === 1 ? 'was' : 'were'} not read as steps: the steps table is.`);
    return out;
  }
  if (lists.length > 0) {
    lists.forEach((b, i) => readItems(listItems(b.node), lists.length > 1 ? `list ${i + 1}` : 'list', undefined, problems, out));
    if (tables.length > 0) problems.push(`${tables.length === 1 ? 'A table' : `${tables.length} tables`} under the steps heading without a Step column ${tables.length === 1 ? 'was' : 'were'} not read as steps: the list is.`);
    return out;
  }
  if (tables.length > 0) {
    const [first, ...rest] = tables;
    const layout = guessLayout(tableGrid(first.node));
    if (layout) out.push(...readTable(first.node, layout, 'steps table', problems));
    for (const t of rest) problems.push(`A further table under the steps heading (${quote(firstRowPreview(t.node))}) was not read as steps.`);
  }
  return out;
}

function finishSteps(raw: readonly RawStep[], problems: string[]): ParsedStep[] {
  if (raw.length > LIMITS.steps) {
    problems.push(`The page lists ${raw.length} steps; only the first ${LIMITS.steps} are read (from ${quote(raw[LIMITS.steps].title)} on, the rest are left out).`);
  }
  let noRole = 0;
  let noDuration = 0;
  const steps = raw.slice(0, LIMITS.steps).map((s) => {
    const title = cleanLine(s.title);
    const length = codePointLength(title);
    if (length > LIMITS.stepTitle) problems.push(`${cap(s.where)}: the step text is ${length} characters; shortened to ${LIMITS.stepTitle}.`);
    let role = cleanLine(s.role ?? '');
    if (role === '') {
      noRole += 1;
      role = DEFAULT_ROLE;
    } else if (codePointLength(role) > LIMITS.role) {
      problems.push(`${cap(s.where)}: the role is ${codePointLength(role)} characters; shortened to ${LIMITS.role}.`);
      role = truncate(role, LIMITS.role);
    }
    let minutes = s.minutes;
    if (minutes === undefined) {
      noDuration += 1;
      minutes = DEFAULT_STEP_MINUTES;
    } else if (minutes > MAX_STEP_MINUTES) {
      problems.push(`${cap(s.where)}: ${formatMinutes(minutes)} is longer than a step may take; ${formatMinutes(MAX_STEP_MINUTES)} used.`);
      minutes = MAX_STEP_MINUTES;
    }
    const details = s.details.map((d) => truncate(cleanLine(d), LIMITS.line)).filter((d) => d !== '');
    return {
      title: truncate(title, LIMITS.stepTitle),
      role,
      expectedMinutes: minutes,
      ...(details.length > 0 ? { details } : {}),
      ...(s.phase ? { phase: truncate(cleanLine(s.phase), LIMITS.stepTitle) } : {}),
    };
  });
  if (noRole > 0) problems.push(`${noRole === 1 ? '1 step names' : `${noRole} steps name`} no role; "${DEFAULT_ROLE}" is assumed.`);
  if (noDuration > 0) problems.push(`${noDuration === 1 ? '1 step gives' : `${noDuration} steps give`} no expected duration; ${formatMinutes(DEFAULT_STEP_MINUTES)} is assumed.`);
  return withStepIds(steps);
}

// ---------------------------------------------------------------------------------------------------------------
// Message templates

const PUBLIC_WORDS = /\b(customers?|public|external|clients?|users?|status page|partners?|everyone)\b/u;
const INTERNAL_WORDS = /\b(internal|staff|employees?|teams?|colleagues|stakeholders?|management|executives?|company|engineering|support)\b/u;
const AUDIENCE_LINE = /^\s*(audiences?|for|to|recipients?)\s*[:：]\s*(.*)$/iu;

function audienceOf(words: string): CommsTemplate['audience'] | undefined {
  const name = comparable(words);
  const pub = PUBLIC_WORDS.test(name);
  const internal = INTERNAL_WORDS.test(name);
  if (pub && !internal) return 'public';
  if (internal && !pub) return 'internal';
  return undefined;
}

interface RawTemplate {
  name: string;
  lines: string[];
  audienceText?: string;
}

function finishTemplates(raw: readonly RawTemplate[], problems: string[]): CommsTemplate[] {
  const out: Array<Omit<CommsTemplate, 'id'>> = [];
  for (const t of raw) {
    const name = cleanLine(t.name);
    const lines = [...t.lines];
    let audienceText = t.audienceText;
    if (audienceText === undefined) {
      const first = lines.findIndex((l) => l.trim() !== '');
      const m = first >= 0 ? AUDIENCE_LINE.exec(lines[first]) : null;
      if (m) {
        audienceText = m[2];
        lines.splice(0, first + 1);
      }
    }
    const body = cleanBody(lines.join('\n'));
    if (name === '') {
      if (body !== '') problems.push(`A message template has no name (text ${quote(body)}); skipped.`);
      continue;
    }
    if (body === '') {
      problems.push(`The message template ${quote(name)} has no text; skipped.`);
      continue;
    }
    let audience: CommsTemplate['audience'];
    if (audienceText === undefined) {
      audience = audienceOf(name) ?? 'internal';
      problems.push(`The message template ${quote(name)} has no "Audience:" line; read as ${audience === 'public' ? 'customers' : 'internal'}.`);
    } else {
      const read = audienceOf(audienceText);
      audience = read ?? 'internal';
      if (!read) problems.push(`The message template ${quote(name)}: audience ${quote(audienceText)} is not "internal" or "customers"; read as internal.`);
    }
    if (codePointLength(name) > LIMITS.templateName) problems.push(`The message template name ${quote(name)} is longer than ${LIMITS.templateName} characters; shortened.`);
    if (codePointLength(body) > LIMITS.templateBody) problems.push(`The message template ${quote(name)} is longer than ${LIMITS.templateBody} characters; shortened.`);
    out.push({ name: truncate(name, LIMITS.templateName), audience, body: truncate(body, LIMITS.templateBody) });
  }
  if (out.length > LIMITS.templates) problems.push(`The page has ${out.length} message templates; only the first ${LIMITS.templates} are read.`);
  return withTemplateIds(out.slice(0, LIMITS.templates));
}

function templatesFromTable(table: ReadNode): RawTemplate[] | undefined {
  const grid = tableGrid(table);
  if (grid.length === 0) return undefined;
  const names = rowTexts(grid[0]).map((t) => comparable(t));
  const nameCol = names.findIndex((n) => /\b(name|template|title|message name)\b/u.test(n));
  const audienceCol = names.findIndex((n) => /\b(audience|to|for|recipients?)\b/u.test(n));
  const textCol = names.findIndex((n, i) => i !== nameCol && /\b(text|message|body|content|wording|template text)\b/u.test(n));
  if (nameCol < 0 || textCol < 0) return undefined;
  return grid.slice(1).map((row) => {
    const at = (c: number) => (c >= 0 && cellAt(row, c) ? cellAt(row, c)!.node : undefined);
    const textNode = at(textCol);
    return {
      name: at(nameCol) ? cellText(at(nameCol)!) : '',
      lines: textNode ? textNode.content.flatMap((b) => blockLines(b, { listMarkers: true })) : [],
      ...(audienceCol >= 0 ? { audienceText: at(audienceCol) ? cellText(at(audienceCol)!) : '' } : {}),
    };
  });
}

function parseComms(order: readonly Placed[], problems: string[]): { comms: CommsTemplate[]; found: boolean } {
  const section = findSection(order, isCommsHeading, PLAN_SECTIONS.comms);
  if (!section) {
    problems.push('The page has no "Communication plan" heading; no message templates were read.');
    return { comms: [], found: false };
  }
  const headings = section.blocks.filter((b) => b.node.type === 'heading');
  const raw: RawTemplate[] = [];
  if (headings.length > 0) {
    const level = Math.min(...headings.map((b) => headingLevel(b.node)));
    let current: RawTemplate | undefined;
    for (const block of section.blocks) {
      if (block.node.type === 'heading' && headingLevel(block.node) === level) {
        current = { name: inlineText(block.node), lines: [] };
        raw.push(current);
      } else if (current) {
        current.lines.push(...blockLines(block.node, { listMarkers: true }));
      }
    }
  } else {
    for (const block of section.blocks) if (block.node.type === 'table') raw.push(...(templatesFromTable(block.node) ?? []));
  }
  if (raw.length === 0) problems.push('The "Communication plan" section has no message templates (a heading per template, then "Audience:" and the text).');
  return { comms: finishTemplates(raw, problems), found: true };
}

// ---------------------------------------------------------------------------------------------------------------

/** Reads a plan page: its steps and templates, or why the steps could not be read (keep the ones you had). */
export function parsePlanPage(adf: unknown): PlanParseResult {
  const problems: string[] = [];
  const tree = readTree(adf);
  if (!tree.isDoc) {
    problems.push('The page body is not an ADF document.');
    return { readable: false, reason: 'not-a-document', comms: [], commsSectionFound: false, problems };
  }
  if (tree.tooDeep) problems.push('Part of the page is nested too deeply to read; content below that depth was not read.');
  const order = readingOrder(tree.root);
  const { comms, found } = parseComms(order, problems);
  const section = findSection(order, isStepsHeading, PLAN_SECTIONS.steps);
  if (!section) {
    problems.push('The page has no "Recovery steps" heading; the steps were not read.');
    return { readable: false, reason: 'no-steps-section', comms, commsSectionFound: found, problems };
  }
  const raw = collectSteps(section.blocks, problems);
  const steps = finishSteps(raw, problems);
  if (steps.length === 0) {
    problems.push(`The section ${quote(section.title)} has no steps the app can read (a table with a Step column, or a list).`);
    return { readable: false, reason: 'no-steps-in-section', comms, commsSectionFound: found, problems };
  }
  return { readable: true, steps, comms, commsSectionFound: found, problems };
}
