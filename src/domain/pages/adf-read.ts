/**
 * Reading pages people edit. A page body is untrusted JSON: `readTree` copies it into a well-formed tree
 * first (every node has a type, attrs and a content array), keeping every node's index so that a path
 * found here addresses the same node in the original document (plan-edit.ts relies on that). Text is
 * read with adf-utils' traversal (`reduce`); sections are found by heading text in reading order.
 */
import { reduce } from '@atlaskit/adf-utils/traverse';
import type { ADFEntity } from '@atlaskit/adf-utils/types';
import { headingName } from './page-text';

export interface ReadNode {
  type: string;
  attrs: Record<string, unknown>;
  content: ReadNode[];
  marks: Array<{ type: string; attrs: Record<string, unknown> }>;
  text?: string;
}

/** Deeper than this, content is not read (Confluence itself nests far less). */
export const MAX_DEPTH = 48;

export interface ReadTree {
  root: ReadNode;
  /** Whether the value was an ADF document (`type: 'doc'` with a content array). */
  isDoc: boolean;
  /** Whether content deeper than MAX_DEPTH was left unread. */
  tooDeep: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy that is safe to walk; malformed nodes become `{ type: 'unknown' }` in place, so indices are kept. */
export function readTree(value: unknown): ReadTree {
  let tooDeep = false;
  const copy = (v: unknown, depth: number): ReadNode => {
    if (!isRecord(v) || typeof v.type !== 'string') return { type: 'unknown', attrs: {}, content: [], marks: [] };
    const node: ReadNode = {
      type: v.type,
      attrs: isRecord(v.attrs) ? { ...v.attrs } : {},
      content: [],
      marks: Array.isArray(v.marks) ? v.marks.filter((m): m is Record<string, unknown> => isRecord(m) && typeof m.type === 'string').map((m) => ({ type: m.type as string, attrs: isRecord(m.attrs) ? { ...m.attrs } : {} })) : [],
    };
    if (typeof v.text === 'string') node.text = v.text;
    if (Array.isArray(v.content)) {
      if (depth >= MAX_DEPTH) tooDeep = v.content.length > 0 || tooDeep;
      else node.content = v.content.map((c) => copy(c, depth + 1));
    }
    return node;
  };
  const root = copy(value, 0);
  return { root, isDoc: isRecord(value) && value.type === 'doc' && Array.isArray(value.content), tooDeep };
}

// ---------------------------------------------------------------------------------------------------------------
// Text

function attrString(node: ReadNode, key: string): string {
  const v = node.attrs[key];
  return typeof v === 'string' ? v : '';
}

/** What one inline node reads as. A mention reads as the person's name (its text without the "@"). */
function inlinePiece(node: ReadNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'mention':
      return attrString(node, 'text').replace(/^@/u, '');
    case 'emoji':
      return attrString(node, 'text') || attrString(node, 'shortName');
    case 'hardBreak':
      return '\n';
    case 'inlineCard':
      return attrString(node, 'url');
    case 'status':
      return attrString(node, 'text');
    case 'date': {
      const ms = Number(node.attrs.timestamp);
      return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString().slice(0, 10) : '';
    }
    default:
      // placeholders (editor hints), inline extensions, media: no text of the page's own
      return '';
  }
}

/** The text of a text block (paragraph, heading, task item, code block), hard breaks as "\n". */
export function inlineText(node: ReadNode): string {
  return reduce(node as ADFEntity, (acc: string, n: ADFEntity) => acc + inlinePiece(n as ReadNode), '');
}

const TEXT_BLOCKS = new Set(['paragraph', 'heading', 'taskItem', 'decisionItem', 'codeBlock']);
const LISTS = new Set(['bulletList', 'orderedList', 'taskList', 'decisionList']);

export interface LineOptions {
  /** Prefix list items with "- " (ordered: "1. "), as a plain-text rendering would. */
  listMarkers?: boolean;
}

/**
 * A block as lines of text, in reading order: a paragraph is one line per hard break, a list one line
 * per item (nested items follow their parent), a table one line per row with cells joined by " | ".
 * An empty paragraph is one empty line.
 */
export function blockLines(node: ReadNode, options: LineOptions = {}): string[] {
  if (TEXT_BLOCKS.has(node.type)) return inlineText(node).split('\n');
  if (node.type === 'blockTaskItem') return node.content.flatMap((c) => blockLines(c, options));
  if (LISTS.has(node.type)) {
    const start = Number(node.attrs.order);
    let n = Number.isInteger(start) && start >= 0 ? start : 1;
    return node.content.flatMap((item) => {
      const lines = LISTS.has(item.type) ? blockLines(item, options) : itemLines(item, options);
      if (!options.listMarkers || LISTS.has(item.type) || lines.length === 0 || lines[0].trim() === '') return lines;
      const marker = node.type === 'orderedList' ? `${n++}. ` : '- ';
      return [marker + lines[0], ...lines.slice(1).map((l) => (l === '' ? l : `  ${l}`))];
    });
  }
  if (node.type === 'table') {
    return node.content.map((row) => row.content.map((cell) => cellText(cell)).join(' | '));
  }
  return node.content.flatMap((c) => blockLines(c, options));
}

function itemLines(item: ReadNode, options: LineOptions): string[] {
  if (item.type === 'taskItem' || item.type === 'decisionItem') return inlineText(item).split('\n');
  return item.content.flatMap((c) => blockLines(c, options));
}

/** A table cell (or any block container) as one line: its non-empty lines joined with a space. */
export function cellText(node: ReadNode): string {
  return blockLines(node)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading order and sections

/** Containers whose blocks read as part of the surrounding page (a table inside an expand still belongs to its section). */
const CONTAINERS = new Set(['layoutSection', 'layoutColumn', 'expand', 'nestedExpand', 'bodiedExtension', 'panel', 'blockquote', 'multiBodiedExtension', 'extensionFrame', 'bodiedSyncBlock']);

export interface Placed {
  node: ReadNode;
  /** Indices from the root: root.content[path[0]].content[path[1]]… */
  path: number[];
}

/** The page's blocks in reading order, containers opened (their blocks listed, not the container). */
export function readingOrder(root: ReadNode): Placed[] {
  const out: Placed[] = [];
  const walk = (node: ReadNode, path: number[]) => {
    node.content.forEach((child, i) => {
      const p = [...path, i];
      if (CONTAINERS.has(child.type)) walk(child, p);
      else out.push({ node: child, path: p });
    });
  };
  walk(root, []);
  return out;
}

export function headingLevel(node: ReadNode): number {
  const level = Number(node.attrs.level);
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 6;
}

/**
 * The lines people wrote under the top-level (h1/h2) headings `isSection` accepts (given the heading's
 * text), one line per paragraph or list item, every such section joined; '' when none.
 */
export function textUnderHeadings(page: unknown, isSection: (headingText: string) => boolean): string {
  const tree = readTree(page);
  if (!tree.isDoc) return '';
  const out: string[] = [];
  let inside = false;
  for (const node of tree.root.content) {
    if (node.type === 'heading' && headingLevel(node) <= 2) {
      inside = isSection(inlineText(node));
      continue;
    }
    if (inside) out.push(...blockLines(node, { listMarkers: true }));
  }
  return out.join('\n');
}

export interface Section {
  heading: Placed;
  level: number;
  /** The heading's text as written. */
  title: string;
  /** Blocks after the heading up to the next heading of the same or a higher level. */
  blocks: Placed[];
}

/** Every heading's section. */
export function sections(order: readonly Placed[]): Section[] {
  const out: Section[] = [];
  order.forEach((item, i) => {
    if (item.node.type !== 'heading') return;
    const level = headingLevel(item.node);
    const blocks: Placed[] = [];
    for (let j = i + 1; j < order.length; j++) {
      const next = order[j];
      if (next.node.type === 'heading' && headingLevel(next.node) <= level) break;
      blocks.push(next);
    }
    out.push({ heading: item, level, title: inlineText(item.node).replace(/\s+/gu, ' ').trim(), blocks });
  });
  return out;
}

/**
 * The section whose heading, read as a name (page-text.headingName), satisfies `matches`. When several
 * do, the one named exactly `canonical` wins, then the highest-level heading, then the first: an h3
 * "Communications" inside the steps does not hide the page's h2 "Communication plan".
 */
export function findSection(order: readonly Placed[], matches: (name: string) => boolean, canonical?: string): Section | undefined {
  const wanted = canonical === undefined ? undefined : headingName(canonical);
  let best: { section: Section; rank: number } | undefined;
  for (const section of sections(order)) {
    const name = headingName(section.title);
    if (!matches(name)) continue;
    const rank = (name === wanted ? 0 : 10) + section.level;
    if (!best || rank < best.rank) best = { section, rank };
  }
  return best?.section;
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

export interface GridCell {
  node: ReadNode;
  header: boolean;
  /** Where the cell starts; a cell spanning rows or columns covers other positions too. */
  row: number;
  col: number;
  colspan: number;
  rowspan: number;
}

/** Spans beyond this are read as this (a page cannot make the app allocate a billion cells). */
const MAX_SPAN = 100;

function span(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_SPAN) : 1;
}

/**
 * The table as a grid of rows × columns, merged cells expanded: a cell with colspan 2 occupies two
 * positions of its row, one with rowspan 3 the same column of three rows. Positions no cell covers are
 * undefined. Rows are the table's rows in order (row 0 is usually the header).
 */
export function tableGrid(table: ReadNode): Array<Array<GridCell | undefined>> {
  const rows = table.content.filter((r) => r.type === 'tableRow');
  const grid: Array<Array<GridCell | undefined>> = rows.map(() => []);
  rows.forEach((row, r) => {
    let c = 0;
    for (const node of row.content) {
      if (node.type !== 'tableCell' && node.type !== 'tableHeader') continue;
      while (grid[r][c]) c++;
      const cell: GridCell = { node, header: node.type === 'tableHeader', row: r, col: c, colspan: span(node.attrs.colspan), rowspan: span(node.attrs.rowspan) };
      for (let dr = 0; dr < cell.rowspan && r + dr < rows.length; dr++) {
        for (let dc = 0; dc < cell.colspan; dc++) grid[r + dr][c + dc] = cell;
      }
      c += cell.colspan;
    }
  });
  const width = Math.max(0, ...grid.map((row) => row.length));
  return grid.map((row) => Array.from({ length: width }, (_, i) => row[i]));
}

/**
 * The cell that holds column `col` of a grid row. A cell merged across columns belongs to the column
 * where it starts; merged across rows, it belongs to every row it covers (a merged "Role" cell applies
 * to each step beside it).
 */
export function cellAt(row: ReadonlyArray<GridCell | undefined>, col: number): GridCell | undefined {
  const cell = row[col];
  return cell && cell.col === col ? cell : undefined;
}
