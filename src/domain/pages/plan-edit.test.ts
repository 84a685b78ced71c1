import { doc, heading, layoutColumn, layoutSection, p, panel, status, table, tableCell, tableHeader, tableRow, text, bulletList, listItem, expand } from '@atlaskit/adf-utils/builders';
import { ContinuityError } from '../errors';
import { cellText, readingOrder, readTree, sections, tableGrid } from './adf-read';
import { adfErrors, deepFreeze, textsOf } from './adf-testing';
import { parsePlanPage } from './plan-parse';
import { appendReviewHistory, applyAll, reviewHistoryEntry, setStatusLine, statusLineOf, toPageDoc, type PageDoc } from './plan-edit';
import { planPageAdf, statusLine } from './plan-template';

const template = (): PageDoc => planPageAdf({ services: [{ name: 'Payments API', tier: 1, rtoMinutes: 60, rpoMinutes: 15 }], published: { date: '2026-11-01', who: 'Ana' } });
const entry = { date: '2026-11-22', who: 'Service Continuity app', change: 'Drill DR-7: 2 findings (see the postmortem)' };

function reviewRows(page: unknown, title = 'Review history'): string[][] {
  const section = sections(readingOrder(readTree(page).root)).find((s) => s.title === title)!;
  const t = section.blocks.find((b) => b.node.type === 'table')!;
  return tableGrid(t.node).map((row) => row.map((c) => (c ? cellText(c.node) : '')));
}

/** Whether `inner` appears in `outer` in order (every text a person wrote is still there). */
function isSubsequence(inner: readonly string[], outer: readonly string[]): boolean {
  let i = 0;
  for (const s of outer) if (i < inner.length && s === inner[i]) i++;
  return i === inner.length;
}

/** A plan page after a person's edits: reworded text, a new step, a renamed and moved review section. */
function editedByAPerson(): PageDoc {
  const page = structuredClone(template()) as PageDoc;
  page.content.splice(2, 0, p(text('Note from Kai: the DR site moved to Sydney on 3 Nov.')));
  const content = page.content as Array<{ type: string; content?: unknown[] }>;
  const stepsTable = content.find((n, i) => n.type === 'table' && i > 0 && JSON.stringify(content[i - 2] ?? {}).includes('Recovery steps'))!;
  stepsTable.content!.push(tableRow([tableCell()(p(text('8'))), tableCell()(p(text('Call the insurer'))), tableCell()(p(text('Finance'))), tableCell()(p(text('10 min')))]));
  return page;
}

describe('appendReviewHistory', () => {
  it('adds one row at the end of the Review history table and changes nothing else', () => {
    const before = deepFreeze(template());
    const after = appendReviewHistory(before, entry);
    expect(adfErrors(after)).toEqual([]);
    expect(reviewRows(after)).toEqual([
      ['Date', 'Who', 'Change'],
      ['2026-11-01', 'Ana', 'Published from the template'],
      ['2026-11-22', 'Service Continuity app', 'Drill DR-7: 2 findings (see the postmortem)'],
    ]);
    const changed = after.content.map((n, i) => n !== before.content[i]);
    expect(changed.filter(Boolean)).toHaveLength(1);
    expect(after.content).toHaveLength(before.content.length);
  });

  it('is idempotent: the same entry again returns the page unchanged (the same object)', () => {
    const once = appendReviewHistory(template(), entry);
    expect(appendReviewHistory(once, entry)).toBe(once);
    expect(appendReviewHistory(once, { ...entry, change: 'drill dr-7 2 findings see the postmortem', who: 'SERVICE CONTINUITY APP' })).toBe(once);
  });

  it('different entries add a row each', () => {
    const page = applyAll(template(), [reviewHistoryEntry(entry), reviewHistoryEntry({ ...entry, change: 'Reviewed after DR-8' }), reviewHistoryEntry(entry)]);
    expect(reviewRows(page).slice(1).map((r) => r[2])).toEqual(['Published from the template', 'Drill DR-7: 2 findings (see the postmortem)', 'Reviewed after DR-8']);
  });

  it('keeps every word of a page someone else edited', () => {
    const edited = deepFreeze(editedByAPerson());
    const after = appendReviewHistory(edited, entry);
    expect(adfErrors(after)).toEqual([]);
    expect(isSubsequence(textsOf(edited), textsOf(after))).toBe(true);
    expect(textsOf(after)).toEqual(expect.arrayContaining(['Note from Kai: the DR site moved to Sydney on 3 Nov.', 'Call the insurer']));
    const steps = parsePlanPage(after);
    expect(steps.readable && steps.steps.map((s) => s.title)).toContain('Call the insurer');
  });

  it('after a version conflict, re-applying to the newer version keeps both sides', () => {
    const v1 = template();
    const transforms = [reviewHistoryEntry(entry), statusLineOf('approved')];
    const ours = applyAll(v1, transforms);
    // Meanwhile a person saved v2 from v1; the app's PUT of `ours` is refused, so it re-reads v2 and re-applies.
    const v2 = editedByAPerson();
    const merged = applyAll(v2, transforms);
    expect(isSubsequence(textsOf(v2), textsOf(merged))).toBe(true);
    expect(reviewRows(merged).at(-1)).toEqual(['2026-11-22', 'Service Continuity app', 'Drill DR-7: 2 findings (see the postmortem)']);
    expect(merged.content[0]).toEqual(statusLine('approved'));
    expect(applyAll(merged, transforms)).toBe(merged);
    expect(reviewRows(merged)).toHaveLength(reviewRows(ours).length);
  });

  it('recreates the section at the end when a person deleted it, and adds to it afterwards', () => {
    const page = template();
    const at = page.content.findIndex((n) => JSON.stringify(n).includes('"Review history"'));
    const withoutReviews = deepFreeze({ ...page, content: page.content.slice(0, at) });
    const after = appendReviewHistory(withoutReviews, entry);
    expect(adfErrors(after)).toEqual([]);
    expect(after.content.slice(0, at)).toEqual(withoutReviews.content);
    expect(reviewRows(after)).toEqual([['Date', 'Who', 'Change'], ['2026-11-22', 'Service Continuity app', 'Drill DR-7: 2 findings (see the postmortem)']]);
    expect(appendReviewHistory(after, entry)).toBe(after);
  });

  it('adds a table to a section that has none, after the section\'s text', () => {
    const page = doc(heading({ level: 2 })(text('Review history')), p(text('Reviews are listed here.')), heading({ level: 2 })(text('Appendix')), p(text('x')));
    const after = appendReviewHistory(page, entry);
    expect(adfErrors(after)).toEqual([]);
    expect(after.content.map((n) => (n as { type: string }).type)).toEqual(['heading', 'paragraph', 'table', 'heading', 'paragraph']);
  });

  it('puts the table next to a panel, not inside it (panels cannot hold tables)', () => {
    const page = doc(heading({ level: 2 })(text('Revision history')), panel({ panelType: 'info' as never })(p(text('Keep this up to date.'))));
    const after = appendReviewHistory(page, entry);
    expect(adfErrors(after)).toEqual([]);
    expect(after.content.map((n) => (n as { type: string }).type)).toEqual(['heading', 'panel', 'table']);
  });

  it('finds a renamed section inside a layout and inside an expand', () => {
    const inLayout = doc(layoutSection()([layoutColumn({ width: 50 })([heading({ level: 3 })(text('📝 Change log')), table(tableRow([tableHeader()(p(text('When'))), tableHeader()(p(text('By'))), tableHeader()(p(text('What')))]))]), layoutColumn({ width: 50 })([p(text('side'))])]));
    const after = appendReviewHistory(inLayout, entry);
    expect(adfErrors(after)).toEqual([]);
    expect(reviewRows(after, '📝 Change log')[1]).toEqual(['2026-11-22', 'Service Continuity app', 'Drill DR-7: 2 findings (see the postmortem)']);
    const inExpand = doc(heading({ level: 2 })(text('Version history')), expand({ title: 'History' })(p(text('old'))));
    const after2 = appendReviewHistory(inExpand, entry);
    expect(adfErrors(after2)).toEqual([]);
  });

  it('fills columns by their names, in any order, extra columns left empty, widths copied from the header', () => {
    const page = doc(
      heading({ level: 2 })(text('Review history')),
      table(
        tableRow([tableHeader({ colwidth: [120] })(p(text('Version'))), tableHeader({ colwidth: [200] })(p(text('Reviewed by'))), tableHeader()(p(text('Date'))), tableHeader()(p(text('Summary of changes'))), tableHeader()(p(text('Approved?')))]),
        tableRow([tableCell()(p(text('1.0'))), tableCell()(p(text('Ana'))), tableCell()(p(text('2026-01-01'))), tableCell()(p(text('First'))), tableCell()(p(text('yes')))]),
      ),
    );
    const after = appendReviewHistory(page, entry);
    expect(adfErrors(after)).toEqual([]);
    expect(reviewRows(after)[2]).toEqual(['', 'Service Continuity app', '2026-11-22', 'Drill DR-7: 2 findings (see the postmortem)', '']);
    const row = ((after.content[1] as { content: Array<{ content: Array<{ attrs?: unknown }> }> }).content[2]).content;
    expect(row.map((c) => c.attrs)).toEqual([{ colwidth: [120] }, { colwidth: [200] }, undefined, undefined, undefined]);
  });

  it('adds at the top of a table that lists the newest review first', () => {
    const page = doc(
      heading({ level: 2 })(text('Review history')),
      table(
        tableRow([tableHeader()(p(text('Date'))), tableHeader()(p(text('Who'))), tableHeader()(p(text('Change')))]),
        tableRow([tableCell()(p(text('2026-10-01'))), tableCell()(p(text('Kai'))), tableCell()(p(text('Second')))]),
        tableRow([tableCell()(p(text('2026-01-01'))), tableCell()(p(text('Ana'))), tableCell()(p(text('First')))]),
      ),
    );
    expect(reviewRows(appendReviewHistory(page, entry)).map((r) => r[2])).toEqual(['Change', 'Drill DR-7: 2 findings (see the postmortem)', 'Second', 'First']);
  });

  it('a table with no header: the first three columns; a table without a Who column: the name goes with the change', () => {
    const noHeader = doc(heading({ level: 2 })(text('Review history')), table(tableRow([tableCell()(p(text('2026-01-01'))), tableCell()(p(text('Ana'))), tableCell()(p(text('First')))])));
    expect(reviewRows(appendReviewHistory(noHeader, entry))[1]).toEqual(['2026-11-22', 'Service Continuity app', 'Drill DR-7: 2 findings (see the postmortem)']);
    const noWho = doc(heading({ level: 2 })(text('Review history')), table(tableRow([tableHeader()(p(text('Date'))), tableHeader()(p(text('Change')))])));
    expect(reviewRows(appendReviewHistory(noWho, entry))[1]).toEqual(['2026-11-22', 'Drill DR-7: 2 findings (see the postmortem) (Service Continuity app)']);
  });

  it('refuses an entry without a date or change, and a body that is not a document', () => {
    expect(() => appendReviewHistory(template(), { ...entry, change: '  ' })).toThrow(ContinuityError);
    expect(() => appendReviewHistory({ type: 'paragraph' } as never, entry)).toThrow(/not an ADF document/);
    expect(() => toPageDoc(JSON.parse('{"type":"doc","content":{}}'))).toThrow(ContinuityError);
    const read = JSON.parse(JSON.stringify(template())) as unknown;
    expect(appendReviewHistory(toPageDoc(read), entry).content).toHaveLength(template().content.length);
  });
});

describe('setStatusLine', () => {
  it('replaces the lozenge of the status line and is idempotent', () => {
    const page = deepFreeze(template());
    const approved = setStatusLine(page, 'approved');
    expect(adfErrors(approved)).toEqual([]);
    expect(approved.content[0]).toEqual(statusLine('approved'));
    expect(approved.content.slice(1)).toEqual(page.content.slice(1));
    expect(setStatusLine(approved, 'approved')).toBe(approved);
  });

  it('keeps what a person wrote after the lozenge', () => {
    const page = doc(p(text('Plan status: '), status({ text: 'DRAFT', color: 'neutral', localId: 'x' }), text(' — approved by the CAB on 3 Nov')), heading({ level: 2 })(text('Scope')));
    const after = setStatusLine(page, 'approved');
    expect(adfErrors(after)).toEqual([]);
    expect(textsOf(after)).toEqual(['Plan status: ', ' — approved by the CAB on 3 Nov', 'Scope']);
    expect((after.content[0] as { content: Array<{ attrs?: unknown }> }).content[1].attrs).toEqual({ text: 'APPROVED', color: 'green', localId: 'x' });
  });

  it('adds a lozenge to a status line a person typed without one, keeping their words', () => {
    const page = doc(p(text('plan status: under review by Kai')));
    const after = setStatusLine(page, 'in-review');
    expect(adfErrors(after)).toEqual([]);
    expect(textsOf(after)).toEqual(['Plan status: ', ' ', 'under review by Kai']);
  });

  it('adds the line at the top when there is none', () => {
    const page = doc(heading({ level: 2 })(text('Scope')), bulletList(listItem([p(text('a'))])));
    const after = setStatusLine(page, 'retired');
    expect(after.content[0]).toEqual(statusLine('retired'));
    expect(after.content.slice(1)).toEqual(page.content);
  });
});

describe('applyAll', () => {
  it('applies the transforms in order; none returns the page itself', () => {
    const page = template();
    expect(applyAll(page, [])).toBe(page);
    const seen: string[] = [];
    applyAll(page, [(d) => (seen.push('a'), d), (d) => (seen.push('b'), d)]);
    expect(seen).toEqual(['a', 'b']);
  });
});
