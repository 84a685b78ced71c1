/**
 * Small pieces every page builder shares, on top of Atlassian's builders (`@atlaskit/adf-utils/builders`).
 * Every string a person or product supplied goes into a text node through `words`/`lines`, cleaned
 * (page-text.ts), never into a node type, mark or attribute; links are made only from URLs the app
 * supplies, and only http(s) ones.
 */
import { heading, link, p, table, tableCell, tableHeader, tableRow, text } from '@atlaskit/adf-utils/builders';
import type { Inline, ParagraphDefinition, TableCellDefinition, TableDefinition, TableHeaderDefinition, HeadingDefinition } from '@atlaskit/adf-schema';
import { cleanBody, cleanInline, cleanLine, LIMITS, truncate } from './page-text';

/** A single line of text as inline content: cleaned, empty text dropped (ADF text nodes may not be empty). */
export function words(value: unknown, max: number = LIMITS.line): Inline[] {
  const s = truncate(cleanLine(value), max);
  return s === '' ? [] : [text(s)];
}

/** A piece of a line that sits beside other inline nodes: as words(), but its outer spaces stay. */
export function phrase(value: unknown, max: number = LIMITS.line): Inline[] {
  const s = truncate(cleanInline(value), max);
  return s === '' ? [] : [text(s)];
}

/** Multi-line text as paragraphs, one per line; blank lines become empty paragraphs so the text reads back as written. */
export function lines(value: unknown, max: number = LIMITS.paragraph): ParagraphDefinition[] {
  const body = truncate(cleanBody(value), max);
  if (body === '') return [];
  return body.split('\n').map((line) => (line.trim() === '' ? p() : p(text(line))));
}

export function para(...content: Inline[]): ParagraphDefinition {
  return p(...content);
}

export function h(level: 1 | 2 | 3 | 4 | 5 | 6, title: string): HeadingDefinition {
  return heading({ level })(...words(title));
}

/**
 * A URL the app may link to: absolute http or https, no credentials. Anything else (javascript:, data:,
 * relative paths, text that merely looks like a link) is refused, and the caller writes plain text.
 */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  if (trimmed === '' || trimmed.length > 2_000 || /[\s<>"`]/u.test(trimmed)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.toString();
}

/** `label` linked to `url` when the URL is safe (safeHref), else the label alone. */
export function linked(label: string, url: unknown): Inline[] {
  const content = words(label);
  const href = safeHref(url);
  if (!href || content.length === 0) return content;
  return [link({ href })(content[0] as never) as Inline];
}

export type CellContent = string | Inline[];

function cellParagraph(content: CellContent): ParagraphDefinition {
  return typeof content === 'string' ? p(...words(content)) : p(...content);
}

export function headerCell(content: CellContent, attrs?: TableHeaderDefinition['attrs']): TableHeaderDefinition {
  return tableHeader(attrs)(cellParagraph(content));
}

export function bodyCell(content: CellContent, attrs?: TableCellDefinition['attrs']): TableCellDefinition {
  return tableCell(attrs)(cellParagraph(content));
}

/** A table with one header row; every row has one cell per header. */
export function simpleTable(headers: readonly string[], rows: ReadonlyArray<readonly CellContent[]>): TableDefinition {
  const width = headers.length;
  return table(
    tableRow(headers.map((label) => headerCell(label))),
    ...rows.map((cells) => tableRow(Array.from({ length: width }, (_, i) => bodyCell(cells[i] ?? '')))),
  );
}
