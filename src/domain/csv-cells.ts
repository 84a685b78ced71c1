/**
 * CSV cells that are safe to open in a spreadsheet. A cell that starts with =, +, -, @, tab or carriage
 * return is read as a formula by Excel, LibreOffice and Google Sheets, so a service named
 * `=HYPERLINK(...)` could run when someone opens the export (OWASP "CSV injection"). Such a cell is
 * written with a leading single quote, which spreadsheets show as text. The full-width forms of
 * = + - @ are treated the same, because some spreadsheet locales read them as formulas too.
 *
 * The quote is undone on import, so an export imports back to the same values. For that to hold for
 * every value, a value that itself starts with quotes before such a character gets one more quote on
 * the way out and loses one on the way in: writing and reading are exact inverses.
 */
import Papa from 'papaparse';

const FORMULA_START = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The cell as written to a CSV: prefixed with ' when a spreadsheet would read it as a formula. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The value a cell written by neutraliseCell stood for (other cells come back unchanged). */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export const BYTE_ORDER_MARK = '\uFEFF';

/**
 * A CSV text (RFC 4180: CRLF line ends, quotes only where needed) with every cell neutralised. A byte
 * order mark goes first unless `bom` is false: without it Excel reads UTF-8 as the local code page.
 */
export function toCsv(fields: readonly string[], rows: ReadonlyArray<readonly string[]>, { bom = true } = {}): string {
  const text = Papa.unparse(
    { fields: fields.map(neutraliseCell), data: rows.map((row) => row.map(neutraliseCell)) },
    { newline: '\r\n', quotes: false, escapeFormulae: false },
  );
  return bom ? BYTE_ORDER_MARK + text : text;
}
