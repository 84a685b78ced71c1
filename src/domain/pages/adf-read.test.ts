import { doc, p, text, heading, table, tableRow, tableCell, tableHeader, mention, emoji, hardBreak, expand, layoutSection, layoutColumn, panel, date, status, bulletList, listItem, code, strong } from '@atlaskit/adf-utils/builders';
import { blockLines, cellAt, findSection, inlineText, MAX_DEPTH, readingOrder, readTree, sections, tableGrid } from './adf-read';
import { headingName } from './page-text';

describe('readTree', () => {
  it('copies a document into a well-formed tree, keeping the index of malformed nodes', () => {
    const tree = readTree({ type: 'doc', version: 1, content: [null, 7, { type: 'paragraph', content: 'oops' }, { type: 'paragraph', content: [{ type: 'text', text: 'hi', marks: [null, { type: 'strong' }] }] }] });
    expect(tree.isDoc).toBe(true);
    expect(tree.root.content.map((n) => n.type)).toEqual(['unknown', 'unknown', 'paragraph', 'paragraph']);
    expect(tree.root.content[2].content).toEqual([]);
    expect(tree.root.content[3].content[0].marks).toEqual([{ type: 'strong', attrs: {} }]);
  });

  it('says when the value is not a document', () => {
    for (const v of [null, undefined, 'doc', [], { type: 'paragraph' }, { type: 'doc' }, { type: 'doc', content: {} }]) expect(readTree(v).isDoc).toBe(false);
  });

  it('stops reading below MAX_DEPTH and says so', () => {
    let node: Record<string, unknown> = { type: 'text', text: 'deep' };
    for (let i = 0; i < MAX_DEPTH + 10; i++) node = { type: 'blockquote', content: [node] };
    const tree = readTree({ type: 'doc', version: 1, content: [node] });
    expect(tree.tooDeep).toBe(true);
    expect(() => readingOrder(tree.root)).not.toThrow();
  });
});

describe('inlineText and blockLines', () => {
  it('reads mentions by name, emoji by their text, hard breaks as new lines, dates as ISO days, inline code as text', () => {
    const para = p(text('Call '), mention({ id: 'acc-1', text: '@Ana Lima' }), text(' '), emoji({ shortName: ':fire:', text: '🔥' }), hardBreak(), code('pg_ctl promote') as never, text(' by '), date({ timestamp: String(Date.UTC(2026, 10, 22)) }), text(' '), status({ text: 'URGENT', color: 'red' }), text(' '), emoji({ shortName: ':custom:' }));
    expect(inlineText(readTree(para).root)).toBe('Call Ana Lima 🔥\npg_ctl promote by 2026-11-22 URGENT :custom:');
  });

  it('lists become one line per item, with markers when asked', () => {
    const list = readTree(bulletList(listItem([p(text('a'))]), listItem([p(text('b')), bulletList(listItem([p(text('c'))]))]))).root;
    expect(blockLines(list)).toEqual(['a', 'b', 'c']);
    expect(blockLines(list, { listMarkers: true })).toEqual(['- a', '- b', '  - c']);
  });
});

describe('reading order and sections', () => {
  const page = doc(
    heading({ level: 1 })(text('Plan')),
    layoutSection()([layoutColumn({ width: 50 })([heading({ level: 2 })(text('🔧 2. Recovery Steps')), p(text('in layout'))]), layoutColumn({ width: 50 })([panel({ panelType: 'info' as never })(p(text('in panel')))])]),
    expand({ title: 'more' })(p(text('in expand'))),
    heading({ level: 3 })(text('Sub')),
    p(text('sub text')),
    heading({ level: 2 })(text('Next')),
    p(strong('after')),
  );

  it('opens layouts, panels and expands', () => {
    const order = readingOrder(readTree(page).root);
    expect(order.map((b) => inlineText(b.node))).toEqual(['Plan', '🔧 2. Recovery Steps', 'in layout', 'in panel', 'in expand', 'Sub', 'sub text', 'Next', 'after']);
    expect(order[3].path).toEqual([1, 1, 0, 0]);
  });

  it('a section runs to the next heading of the same or a higher level', () => {
    const order = readingOrder(readTree(page).root);
    const steps = findSection(order, (name) => name === 'recovery steps')!;
    expect(steps.title).toBe('🔧 2. Recovery Steps');
    expect(steps.blocks.map((b) => inlineText(b.node))).toEqual(['in layout', 'in panel', 'in expand', 'Sub', 'sub text']);
    expect(sections(order).map((s) => headingName(s.title))).toEqual(['plan', 'recovery steps', 'sub', 'next']);
  });
});

describe('tableGrid', () => {
  const cell = (t: string, attrs?: Record<string, number>) => tableCell(attrs as never)(p(text(t)));
  it('expands merged cells: colspan across columns, rowspan down rows', () => {
    const t = table(
      tableRow([tableHeader()(p(text('A'))), tableHeader()(p(text('B'))), tableHeader()(p(text('C')))]),
      tableRow([cell('a1'), cell('b1', { rowspan: 2 }), cell('c1')]),
      tableRow([cell('a2'), cell('c2')]),
      tableRow([cell('wide', { colspan: 3 })]),
      tableRow([cell('short')]),
    );
    const grid = tableGrid(readTree(t).root);
    const texts = grid.map((row) => row.map((c, i) => (cellAt(row, i) ? inlineText(cellAt(row, i)!.node.content[0]) : c ? '<' : '_')));
    expect(texts).toEqual([
      ['A', 'B', 'C'],
      ['a1', 'b1', 'c1'],
      ['a2', 'b1', 'c2'],
      ['wide', '<', '<'],
      ['short', '_', '_'],
    ]);
    expect(grid[0][0]!.header).toBe(true);
  });

  it('caps absurd spans', () => {
    const t = table(tableRow([cell('x', { colspan: 1e9, rowspan: 1e9 })]));
    expect(tableGrid(readTree(t).root)[0]).toHaveLength(100);
  });
});
