/**
 * The app's own edits to a plan page, as pure transforms `(page) => page`. A transform changes only the
 * node it is about (a row added to one table, one status lozenge) and copies every other node of the page
 * it is given as it is, so after a version conflict (Confluence answers 409) the caller re-reads the newer
 * version and applies the same transforms to it: nobody's text is lost, and re-applying is harmless
 * because every transform is idempotent (applied to its own output, it returns that output unchanged,
 * the same object).
 *
 * Transforms never validate or repair the rest of the page: nodes the app does not understand are the
 * page's business and are kept exactly.
 */
import { text } from '@atlaskit/adf-utils/builders';
import type { PlanStatus } from '../catalogue';
import { invalidInput } from '../errors';
import { cellAt, cellText, findSection, inlineText, readingOrder, readTree, tableGrid, type ReadNode } from './adf-read';
import { h, simpleTable, words } from './adf-write';
import { cleanLine, comparable, LIMITS, truncate } from './page-text';
import { isReviewHeading, PLAN_SECTIONS } from './plan-sections';
import { statusLine, STATUS_LINE_LABEL } from './plan-template';

/** A page body: an ADF document as JSON (a DocNode from the builders is one). */
export type PageDoc = { type: 'doc'; version: 1; content: unknown[] };

export type PageTransform = (page: PageDoc) => PageDoc;

type Json = Record<string, unknown>;

/** A page body read from Confluence (`atlas_doc_format`, parsed), checked to be a document; else INVALID_INPUT on 'page'. */
export function toPageDoc(page: unknown): PageDoc {
  return requireDoc(page);
}

function requireDoc(page: unknown): PageDoc {
  const p = page as Json | null;
  if (!p || typeof p !== 'object' || p.type !== 'doc' || !Array.isArray(p.content)) throw invalidInput('The page body is not an ADF document.', 'page');
  return p as PageDoc;
}

/** The page with the node at `path` replaced by `fn(node)`; every node off the path is the same object as before. */
function replaceAt(node: Json, path: readonly number[], fn: (node: Json) => Json): Json {
  if (path.length === 0) return fn(node);
  const [i, ...rest] = path;
  const content = [...(node.content as unknown[])];
  content[i] = replaceAt(content[i] as Json, rest, fn);
  return { ...node, content };
}

function insertInto(root: Json, parentPath: readonly number[], index: number, nodes: readonly unknown[]): Json {
  return replaceAt(root, parentPath, (parent) => {
    const content = Array.isArray(parent.content) ? parent.content : [];
    return { ...parent, content: [...content.slice(0, index), ...nodes, ...content.slice(index)] };
  });
}

function nodeAt(root: ReadNode, path: readonly number[]): ReadNode {
  return path.reduce((n, i) => n.content[i], root);
}

/** Nodes a table may be placed in. */
const TABLE_PARENTS = new Set(['doc', 'layoutColumn', 'expand', 'bodiedExtension']);

// ---------------------------------------------------------------------------------------------------------------
// Review history

export interface ReviewEntry {
  /** As it should read, e.g. "2026-11-22". */
  date: string;
  /** A person's name, or the app's. */
  who: string;
  change: string;
}

type ReviewColumn = 'date' | 'who' | 'change' | 'other';

function classifyReviewHeader(header: string): ReviewColumn {
  const name = comparable(header);
  if (/\b(date|when|day|reviewed on|on)\b/u.test(name)) return 'date';
  if (/\b(who|by|author|reviewer|reviewed by|person|name|owner|editor)\b/u.test(name)) return 'who';
  if (/\b(change|changes|changed|what|summary|description|notes?|comments?|details)\b/u.test(name)) return 'change';
  return 'other';
}

function cleanEntry(entry: ReviewEntry): ReviewEntry {
  const out = { date: truncate(cleanLine(entry.date), LIMITS.line), who: truncate(cleanLine(entry.who), LIMITS.line), change: truncate(cleanLine(entry.change), LIMITS.line) };
  if (out.date === '' || out.change === '') throw invalidInput('A review history entry needs a date and a change.', 'change');
  return out;
}

function newReviewTable(entry: ReviewEntry) {
  return simpleTable(['Date', 'Who', 'Change'], [[entry.date, entry.who, entry.change]]);
}

/** A date-like text as a time, for telling whether a table lists newest first. */
function dateValue(textOfDate: string): number | undefined {
  const ms = Date.parse(textOfDate);
  return Number.isFinite(ms) ? ms : undefined;
}

function addRowToTable(page: PageDoc, root: ReadNode, tablePath: readonly number[], entry: ReviewEntry): PageDoc {
  const tableNode = nodeAt(root, tablePath);
  const grid = tableGrid(tableNode);
  const width = Math.max(1, grid[0]?.length ?? 0);
  const headerTexts = (grid[0] ?? []).map((_, c) => (cellAt(grid[0], c) ? cellText(cellAt(grid[0], c)!.node) : ''));
  const kinds = headerTexts.map(classifyReviewHeader);
  const named = kinds.some((k) => k !== 'other');
  const hasHeader = named || (grid[0] ?? []).every((c) => !c || c.header);
  const col = (kind: ReviewColumn, fallback: number) => (named ? kinds.indexOf(kind) : fallback < width ? fallback : -1);
  const cols = { date: col('date', 0), who: col('who', 1), change: col('change', 2) };
  const dataRows = grid.slice(hasHeader ? 1 : 0);
  const valueAt = (row: (typeof grid)[number], c: number) => (c >= 0 && cellAt(row, c) ? cellText(cellAt(row, c)!.node) : '');

  // Idempotent: a row that already says this (same date, who and change, compared as people read them).
  const same = (a: string, b: string) => comparable(a) === comparable(b);
  if (dataRows.some((row) => same(valueAt(row, cols.date), entry.date) && same(valueAt(row, cols.who), cols.who >= 0 ? entry.who : '') && same(valueAt(row, cols.change), entry.change))) return page;

  // Columns the entry has no place for get its remaining words, so nothing is dropped: a table with
  // only Date and Change columns gets "change (who)".
  const change = cols.who < 0 && entry.who !== '' ? `${entry.change} (${entry.who})` : entry.change;
  const header = grid[0];
  const cells = Array.from({ length: width }, (_, c) => {
    const value = c === cols.date ? entry.date : c === cols.who ? entry.who : c === cols.change ? change : '';
    const headCell = header ? cellAt(header, c) : undefined;
    const colwidth = headCell && headCell.colspan === 1 && Array.isArray(headCell.node.attrs.colwidth) ? headCell.node.attrs.colwidth.filter((n): n is number => typeof n === 'number') : undefined;
    return { type: 'tableCell', ...(colwidth && colwidth.length === 1 ? { attrs: { colwidth } } : {}), content: [{ type: 'paragraph', content: words(value) }] };
  });
  if (cols.change < 0) {
    // No column for the change at all: the last column carries the whole entry.
    cells[width - 1].content = [{ type: 'paragraph', content: words(`${entry.date} ${entry.who}: ${entry.change}`) }];
  }
  const row = { type: 'tableRow', content: cells };

  // Newest first when the table already reads that way (its first dated row is later than its last).
  const first = dataRows.length > 1 ? dateValue(valueAt(dataRows[0], cols.date)) : undefined;
  const last = dataRows.length > 1 ? dateValue(valueAt(dataRows[dataRows.length - 1], cols.date)) : undefined;
  const newestFirst = first !== undefined && last !== undefined && first > last;
  return replaceAt(page, tablePath, (t) => {
    const content = Array.isArray(t.content) ? [...t.content] : [];
    if (newestFirst) {
      const firstRow = content.findIndex((r) => (r as Json | null)?.type === 'tableRow');
      content.splice(hasHeader ? firstRow + 1 : firstRow, 0, row);
    } else content.push(row);
    return { ...t, content };
  }) as PageDoc;
}

/**
 * Adds a row (date | who | change) to the plan's Review history table. Columns are found by their
 * header names (date/when, who/by/reviewer, change/what/summary); the row goes last, or first when the
 * table lists the newest review first. Without a table in the section, a table is added at its end;
 * without the section (a person deleted it), the section is added at the end of the page.
 * Idempotent: when a row already says the same (compared ignoring case and punctuation), the page is
 * returned unchanged; that is how a retried or re-applied edit never writes a second row.
 */
export function appendReviewHistory(page: PageDoc, entry: ReviewEntry): PageDoc {
  const doc = requireDoc(page);
  const clean = cleanEntry(entry);
  const tree = readTree(doc);
  const section = findSection(readingOrder(tree.root), isReviewHeading, PLAN_SECTIONS.reviews);
  if (!section) return { ...doc, content: [...doc.content, h(2, PLAN_SECTIONS.reviews), newReviewTable(clean)] };
  const table = section.blocks.find((b) => b.node.type === 'table');
  if (table) return addRowToTable(doc, tree.root, table.path, clean);
  // A section without a table: the table goes after the section's last block, in a node that may hold one.
  let anchor = (section.blocks[section.blocks.length - 1] ?? section.heading).path;
  while (anchor.length > 1 && !TABLE_PARENTS.has(nodeAt(tree.root, anchor.slice(0, -1)).type)) anchor = anchor.slice(0, -1);
  return insertInto(doc, anchor.slice(0, -1), anchor[anchor.length - 1] + 1, [newReviewTable(clean)]) as PageDoc;
}

/** appendReviewHistory as a transform, for applyAll. */
export function reviewHistoryEntry(entry: ReviewEntry): PageTransform {
  return (page) => appendReviewHistory(page, entry);
}

// ---------------------------------------------------------------------------------------------------------------
// Status line

function isStatusLine(node: ReadNode): boolean {
  return node.type === 'paragraph' && comparable(inlineText(node)).startsWith(comparable(STATUS_LINE_LABEL));
}

/**
 * Keeps the "Plan status: [LOZENGE]" line at the top of the page current. The first top-level paragraph
 * that starts with "Plan status:" is the line: its first status lozenge is replaced (anything a person
 * wrote after it stays); a line without a lozenge gets one after the label. Without a line, one is added
 * at the top. Idempotent.
 */
export function setStatusLine(page: PageDoc, planStatus: PlanStatus): PageDoc {
  const doc = requireDoc(page);
  const line = statusLine(planStatus) as unknown as { content: Json[] };
  const lozenge = line.content[1];
  const tree = readTree(doc);
  const at = tree.root.content.findIndex(isStatusLine);
  if (at < 0) return { ...doc, content: [line, ...doc.content] };
  const existing = tree.root.content[at];
  const lozengeAt = existing.content.findIndex((n) => n.type === 'status');
  if (lozengeAt >= 0) {
    const attrs = existing.content[lozengeAt].attrs;
    const wanted = (lozenge.attrs ?? {}) as Json;
    if (attrs.text === wanted.text && attrs.color === wanted.color) return doc;
    return replaceAt(doc, [at, lozengeAt], (old) => ({ ...old, attrs: { ...(old.attrs as Json), text: wanted.text, color: wanted.color } })) as PageDoc;
  }
  // No lozenge: the label, a lozenge, then the person's words after the label.
  return replaceAt(doc, [at], (para) => {
    const rest = [...(para.content as Json[])];
    const firstText = rest.findIndex((n) => n?.type === 'text');
    if (firstText >= 0) {
      const remaining = String(rest[firstText].text).replace(/^\s*plan\s+status\s*:?\s*/iu, '');
      if (remaining === '') rest.splice(firstText, 1);
      else rest[firstText] = { ...rest[firstText], text: remaining };
    }
    const words_ = rest.length > 0 ? [text(' '), ...rest] : [];
    return { ...para, content: [...line.content, ...words_] };
  }) as PageDoc;
}

/** setStatusLine as a transform, for applyAll. */
export function statusLineOf(planStatus: PlanStatus): PageTransform {
  return (page) => setStatusLine(page, planStatus);
}

// ---------------------------------------------------------------------------------------------------------------

/** Applies the transforms in order. After a version conflict, call it again on the newer version. */
export function applyAll(page: PageDoc, transforms: readonly PageTransform[]): PageDoc {
  return transforms.reduce((current, transform) => transform(current), requireDoc(page));
}
