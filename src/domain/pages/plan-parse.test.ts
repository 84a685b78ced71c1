import {
  blockTaskItem,
  bulletList,
  code,
  doc,
  em,
  emoji,
  expand,
  hardBreak,
  heading,
  layoutColumn,
  layoutSection,
  link,
  listItem,
  mention,
  orderedList,
  p,
  strong,
  table,
  tableCell,
  tableHeader,
  tableRow,
  taskItem,
  taskList,
  text,
  codeBlock,
} from '@atlaskit/adf-utils/builders';
import type { BlockContent, Inline, TableCellDefinition } from '@atlaskit/adf-schema';
import { storageToAdf } from '../../../workbench/products/confluence/convert';
import { deepFreeze } from './adf-testing';
import { cleanBody } from './page-text';
import { withStepIds, withTemplateIds } from './ids';
import { DEFAULT_ROLE, DEFAULT_STEP_MINUTES, parsePlanPage, type ParsedStep, type PlanParseResult } from './plan-parse';
import { DEFAULT_STEPS, DEFAULT_TEMPLATES, planPageAdf, templateBlocks, type PlanTemplateInput, type StepDraft } from './plan-template';

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

const service = { name: 'Payments API', tier: 1 as const, rtoMinutes: 60, rpoMinutes: 15 };
const STEPS: StepDraft[] = [
  { title: 'Declare the incident', role: 'Incident manager', expectedMinutes: 5 },
  { title: 'Fail over the database', role: 'DBA', expectedMinutes: 20 },
  { title: 'Switch DNS to the standby region', role: 'Network engineer', expectedMinutes: 10 },
  { title: 'Smoke-test payments', role: 'QA', expectedMinutes: 90 },
];
const input: PlanTemplateInput = { services: [service], steps: STEPS, published: { date: '2026-11-22', who: 'Ana' } };

type Cell = string | Inline[] | TableCellDefinition;
const cellOf = (c: Cell) => (typeof c === 'string' ? tableCell()(c === '' ? p() : p(text(c))) : Array.isArray(c) ? tableCell()(p(...c)) : c);
const th = (t: string) => tableHeader()(t === '' ? p() : p(text(t)));
const stepsTable = (header: string[], rows: Cell[][]) => table(tableRow(header.map(th)), ...rows.map((r) => tableRow(r.map(cellOf))));
const li = (...content: Array<Inline | string>) => listItem([p(...content.map((c) => (typeof c === 'string' ? text(c) : c)))]);

/** A page with a Recovery steps section holding `blocks`, between other sections. */
function page(blocks: BlockContent[], { title = 'Recovery steps', level = 2 as 1 | 2 | 3 | 4 | 5 | 6 } = {}) {
  return doc(
    heading({ level: 2 })(text('Scope and services')),
    p(text('Scope.')),
    heading({ level })(text(title)),
    ...blocks,
    heading({ level: 2 })(text('Communication plan')),
    ...templateBlocks({ name: 'Internal update', audience: 'internal', body: 'Down: {{service}}' }),
    heading({ level: 2 })(text('Review history')),
  );
}

function steps(result: PlanParseResult): ParsedStep[] {
  if (!result.readable) throw new Error(`not readable: ${result.reason}: ${result.problems.join(' / ')}`);
  return result.steps;
}

const brief = (s: ParsedStep[]) => s.map((x) => [x.title, x.role, x.expectedMinutes]);
const idOf = (title: string) => withStepIds([{ title }])[0].id;

// ---------------------------------------------------------------------------------------------------------------

describe('parsePlanPage: the template round-trips', () => {
  it('reads back the steps and templates the template wrote, with no problems', () => {
    const result = parsePlanPage(planPageAdf(input));
    expect(result.problems).toEqual([]);
    expect(steps(result)).toEqual(withStepIds(STEPS));
    expect(result.comms).toEqual(withTemplateIds(DEFAULT_TEMPLATES));
    expect(result.commsSectionFound).toBe(true);
  });

  it('round-trips the default steps and custom templates with blank lines, spaces and placeholders', () => {
    const comms = [
      { name: 'Exec brief', audience: 'internal' as const, body: 'Hello {{ service }}\n\n  indented line\n{{unknownPlaceholder}} stays' },
      { name: 'Status page', audience: 'public' as const, body: 'We are on it. {{impact}}' },
    ];
    const result = parsePlanPage(planPageAdf({ ...input, steps: undefined, comms }));
    expect(result.problems).toEqual([]);
    expect(steps(result)).toEqual(withStepIds(DEFAULT_STEPS));
    expect(result.comms).toEqual(withTemplateIds(comms.map((c) => ({ ...c, body: cleanBody(c.body) }))));
    expect(result.comms[0].body).toBe('Hello {{ service }}\n\nindented line\n{{unknownPlaceholder}} stays');
  });

  it('round-trips durations of every size', () => {
    const odd = [0, 1, 59, 60, 61, 90, 600, 1440, 10_080].map((m, i) => ({ title: `Step ${String.fromCharCode(65 + i)}`, role: 'Ops', expectedMinutes: m }));
    expect(steps(parsePlanPage(planPageAdf({ ...input, steps: odd })))).toEqual(withStepIds(odd));
  });

  it('does not modify the page it reads', () => {
    const adf = deepFreeze(planPageAdf(input));
    expect(() => parsePlanPage(adf)).not.toThrow();
  });
});

describe('parsePlanPage: a steps table people edited', () => {
  const header = ['#', 'Step', 'Role', 'Expected duration'];
  const rows = STEPS.map((s, i) => [String(i + 1), s.title, s.role, s.expectedMinutes === 90 ? '1 h 30 min' : `${s.expectedMinutes} min`]);

  it('edited wording: only the edited step gets a new id', () => {
    const before = steps(parsePlanPage(page([stepsTable(header, rows)])));
    const edited = rows.map((r) => [...r]);
    edited[1][1] = 'Fail over the database to the replica';
    const after = steps(parsePlanPage(page([stepsTable(header, edited)])));
    expect(after.map((s) => s.id)).toEqual([before[0].id, idOf('Fail over the database to the replica'), before[2].id, before[3].id]);
    expect(after[1].id).not.toBe(before[1].id);
  });

  it('edits that keep the wording keep every id: role, duration, case, punctuation, bold, a typed number', () => {
    const before = steps(parsePlanPage(page([stepsTable(header, rows)])));
    const edited: Cell[][] = [
      ['1', [strong('Declare') as Inline, text(' the incident.')], 'Incident commander', '10 min'],
      ['2', '2. fail over the Database', 'DBA', '25 min'],
      ['3', [em('Switch DNS to the standby region') as Inline, text(' 🌐')], 'Network engineer', '10 min'],
      ['4', 'Smoke-test payments!', 'QA', '2 h'],
    ];
    const after = steps(parsePlanPage(page([stepsTable(header, edited)])));
    expect(after.map((s) => s.id)).toEqual(before.map((s) => s.id));
    expect(brief(after)).toEqual([
      ['Declare the incident.', 'Incident commander', 10],
      ['2. fail over the Database', 'DBA', 25],
      ['Switch DNS to the standby region 🌐', 'Network engineer', 10],
      ['Smoke-test payments!', 'QA', 120],
    ]);
  });

  it('reordered rows keep their ids and come out in page order (the # column is ignored)', () => {
    const before = steps(parsePlanPage(page([stepsTable(header, rows)])));
    const reordered = [rows[2], rows[0], rows[3], rows[1]];
    const after = steps(parsePlanPage(page([stepsTable(header, reordered)])));
    expect(after.map((s) => s.id)).toEqual([before[2].id, before[0].id, before[3].id, before[1].id]);
  });

  it('added and removed rows: the others keep their ids', () => {
    const before = steps(parsePlanPage(page([stepsTable(header, rows)])));
    const changed = [rows[0], ['', 'Page the database vendor', 'Incident manager', '5 min'], rows[2], rows[3]];
    const after = steps(parsePlanPage(page([stepsTable(header, changed)])));
    expect(after.map((s) => s.id)).toEqual([before[0].id, idOf('Page the database vendor'), before[2].id, before[3].id]);
    expect(after.map((s) => s.title)).not.toContain('Fail over the database');
  });

  it('finds columns by header name, in any order, with other names and extra columns', () => {
    const t = stepsTable(
      ['Owner', 'Notes', 'Action', 'Runbook', 'ETA'],
      [
        ['DBA', 'Check lag first', 'Fail over the database', 'https://runbooks.example/db', '20 min'],
        ['Network', '', 'Switch DNS', '', '1h 30m'],
      ],
    );
    expect(brief(steps(parsePlanPage(page([t]))))).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Switch DNS', 'Network', 90],
    ]);
  });

  it.each([
    [['Task', 'Who', 'Time'], 'Task/Who/Time'],
    [['Step', 'Step owner', 'Estimate'], 'owner before step'],
    [['Description', 'Responsible', 'Expected time'], 'Description/Responsible'],
    [['Activity', 'Assigned to', 'Duration (min)'], 'Activity'],
  ])('recognises the header %j (%s)', (names) => {
    const t = stepsTable(names, [['Fail over the database', 'DBA', '20']]);
    expect(brief(steps(parsePlanPage(page([t]))))).toEqual([['Fail over the database', 'DBA', 20]]);
  });

  it('reads bare numbers as hours when the duration header says hours', () => {
    const t = stepsTable(['Step', 'Role', 'Duration (hours)'], [['Restore from tape', 'Storage', '2']]);
    expect(brief(steps(parsePlanPage(page([t]))))).toEqual([['Restore from tape', 'Storage', 120]]);
  });

  it('tolerates missing role and duration columns, with defaults and one problem each', () => {
    const result = parsePlanPage(page([stepsTable(['Step', 'Expected'], [['Fail over the database', '20 min'], ['Switch DNS', '']])]));
    expect(brief(steps(result))).toEqual([
      ['Fail over the database', DEFAULT_ROLE, 20],
      ['Switch DNS', DEFAULT_ROLE, DEFAULT_STEP_MINUTES],
    ]);
    expect(result.problems).toEqual(['2 steps name no role; "Recovery team" is assumed.', '1 step gives no expected duration; 15 min is assumed.']);
  });

  it('a table with only a Step column reads the list conventions in its cells', () => {
    const t = stepsTable(['Steps'], [['Fail over the database — DBA — 20 min'], ['Switch DNS (Network, 10 min)'], ['Tell customers']]);
    const result = parsePlanPage(page([t]));
    expect(brief(steps(result))).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Switch DNS', 'Network', 10],
      ['Tell customers', DEFAULT_ROLE, DEFAULT_STEP_MINUTES],
    ]);
  });

  it('does not read the list conventions when the table has role or duration columns', () => {
    const t = stepsTable(['Step', 'Role'], [['Fail over — primary — replica', 'DBA']]);
    expect(brief(steps(parsePlanPage(page([t]))))).toEqual([['Fail over — primary — replica', 'DBA', DEFAULT_STEP_MINUTES]]);
  });

  it('skips empty rows and steps without text, saying so', () => {
    const t = stepsTable(header, [['1', 'Fail over the database', 'DBA', '20 min'], ['', '', '', ''], ['3', '', 'DBA', '5 min'], ['', '', '', ''], ['5', 'Switch DNS', 'Network', '10 min']]);
    const result = parsePlanPage(page([t]));
    expect(brief(steps(result))).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Switch DNS', 'Network', 10],
    ]);
    expect(result.problems).toEqual(['Steps table, row 4 has no step text ("3", "DBA", "5 min"); skipped.', 'Steps table: rows 3, 5 are empty; skipped.']);
  });

  it('says which durations it could not read, and assumes the default', () => {
    const result = parsePlanPage(page([stepsTable(header, [['1', 'Fail over', 'DBA', 'quick']])]));
    expect(brief(steps(result))).toEqual([['Fail over', 'DBA', DEFAULT_STEP_MINUTES]]);
    expect(result.problems).toEqual(['Steps table, row 2: "quick" is not a duration (write "20 min" or "1 h 30 min"); 15 min assumed.']);
  });

  it('merged cells: a role merged down several rows applies to each; a row merged across is a group label', () => {
    const t = table(
      tableRow(header.map(th)),
      tableRow([tableCell({ colspan: 4 })(p(text('Phase 1: Assess')))]),
      tableRow([cellOf('1'), cellOf('Confirm the outage'), tableCell({ rowspan: 2 })(p(text('Incident manager'))), cellOf('5 min')]),
      tableRow([cellOf('2'), cellOf('Open the bridge'), cellOf('5 min')]),
      tableRow([tableCell({ colspan: 4 })(p(text('Phase 2: Recover')))]),
      tableRow([cellOf('3'), cellOf('Fail over the database'), cellOf('DBA'), tableCell({ colspan: 1, rowspan: 1 })(p(text('20 min')))]),
    );
    const result = parsePlanPage(page([t]));
    expect(steps(result).map((s) => [s.title, s.role, s.expectedMinutes, s.phase])).toEqual([
      ['Confirm the outage', 'Incident manager', 5, 'Phase 1: Assess'],
      ['Open the bridge', 'Incident manager', 5, 'Phase 1: Assess'],
      ['Fail over the database', 'DBA', 20, 'Phase 2: Recover'],
    ]);
    expect(result.problems).toEqual([
      'Steps table, row 2 ("Phase 1: Assess") spans the whole table; read as a group label, not a step.',
      'Steps table, row 5 ("Phase 2: Recover") spans the whole table; read as a group label, not a step.',
    ]);
  });

  it('a step cell merged down two rows is read once, the second row reported', () => {
    const t = table(
      tableRow(['Step', 'Role'].map(th)),
      tableRow([tableCell({ rowspan: 2 })(p(text('Fail over the database'))), cellOf('DBA')]),
      tableRow([cellOf('Storage')]),
    );
    const result = parsePlanPage(page([t]));
    expect(brief(steps(result))).toEqual([['Fail over the database', 'DBA', DEFAULT_STEP_MINUTES]]);
    expect(result.problems[0]).toBe('Steps table, row 3 shares its step cell with row 2 (merged); skipped: give each step its own row.');
  });

  it('a cell merged across the role and duration columns counts for the role only', () => {
    const t = table(tableRow(header.map(th)), tableRow([cellOf('1'), cellOf('Fail over'), tableCell({ colspan: 2 })(p(text('DBA'))), ]));
    expect(brief(steps(parsePlanPage(page([t]))))).toEqual([['Fail over', 'DBA', DEFAULT_STEP_MINUTES]]);
  });

  it('rows shorter than the header read as empty cells', () => {
    const t = table(tableRow(header.map(th)), tableRow([cellOf('1'), cellOf('Fail over')]));
    expect(brief(steps(parsePlanPage(page([t]))))).toEqual([['Fail over', DEFAULT_ROLE, DEFAULT_STEP_MINUTES]]);
  });

  it('nested content in a cell: the first line is the title, further paragraphs, lines and list items are details', () => {
    const stepCell = tableCell()(
      p(strong('Fail over') as Inline, text(' the '), link({ href: 'https://wiki.example/db' })(text('database')) as Inline, hardBreak(), text('use the runbook')),
      bulletList(listItem([p(text('check replication lag'))]), listItem([p(text('promote the replica')), bulletList(listItem([p(text('pg_ctl promote'))]))])),
      codeBlock({ language: 'bash' })(text('psql -c "select 1"')),
    );
    const t = table(tableRow(header.map(th)), tableRow([cellOf('1'), stepCell, cellOf([mention({ id: 'acc-1', text: '@Kai Tane' }), text(' (DBA)')]), cellOf([code('20 min') as Inline])]));
    const [step] = steps(parsePlanPage(page([t])));
    expect(step).toMatchObject({
      title: 'Fail over the database',
      role: 'Kai Tane (DBA)',
      expectedMinutes: 20,
      details: ['use the runbook', 'check replication lag', 'promote the replica', 'pg_ctl promote', 'psql -c "select 1"'],
    });
    expect(step.id).toBe(idOf('Fail over the database'));
  });

  it('emoji in titles are kept; emoji nodes read as their text', () => {
    const t = stepsTable(header, [['1', [emoji({ shortName: ':fire:', text: '🔥' }), text(' Put out the fire')], 'Ops', '5 min']]);
    const [step] = steps(parsePlanPage(page([t])));
    expect(step.title).toBe('🔥 Put out the fire');
    expect(step.id).toBe(idOf('Put out the fire'));
  });

  it('duplicate steps get -2, -3 in page order', () => {
    const t = stepsTable(header, [['1', 'Check health', 'Ops', '5 min'], ['2', 'Restart', 'Ops', '5 min'], ['3', 'Check health', 'Ops', '5 min']]);
    const ids = steps(parsePlanPage(page([t]))).map((s) => s.id);
    expect(ids).toEqual([idOf('Check health'), idOf('Restart'), `${idOf('Check health')}-2`]);
  });

  it('a header row repeated further down is skipped', () => {
    const t = table(tableRow(header.map(th)), tableRow([cellOf('1'), cellOf('Fail over'), cellOf('DBA'), cellOf('5 min')]), tableRow(header.map(th)), tableRow([cellOf('2'), cellOf('Switch DNS'), cellOf('Net'), cellOf('5 min')]));
    const result = parsePlanPage(page([t]));
    expect(steps(result).map((s) => s.title)).toEqual(['Fail over', 'Switch DNS']);
    expect(result.problems).toEqual(['Steps table, row 3 repeats the header; skipped.']);
  });

  it('reads several step tables (one per phase) in order', () => {
    const result = parsePlanPage(
      page([
        heading({ level: 3 })(text('Phase 1')),
        stepsTable(header, [['1', 'Assess', 'Lead', '10 min']]),
        heading({ level: 3 })(text('Phase 2')),
        stepsTable(header, [['1', 'Recover', 'Ops', '30 min']]),
      ]),
    );
    expect(brief(steps(result))).toEqual([
      ['Assess', 'Lead', 10],
      ['Recover', 'Ops', 30],
    ]);
  });

  it('prefers the table when the section also has a list, and says the list was not read', () => {
    const result = parsePlanPage(page([stepsTable(header, rows), bulletList(li('Remember to breathe'))]));
    expect(steps(result)).toHaveLength(4);
    expect(result.problems).toEqual(['A list under the steps heading was not read as steps: the steps table is.']);
  });

  it('reports a table in the section that is not a steps table', () => {
    const result = parsePlanPage(page([stepsTable(['Contact', 'Phone'], [['Vendor', '123']]), stepsTable(header, rows)]));
    expect(steps(result)).toHaveLength(4);
    expect(result.problems).toEqual(['A table under the steps heading ("Contact | Phone") names no step, role or duration column; not read as steps.']);
  });
});

describe('parsePlanPage: pages converted from the storage format', () => {
  it('reads a header row of <th> cells (tableHeader)', () => {
    const adf = storageToAdf(
      '<h2>Recovery steps</h2><table><tbody><tr><th><p>#</p></th><th><p>Step</p></th><th><p>Role</p></th><th><p>Expected duration</p></th></tr>' +
        '<tr><td><p>1</p></td><td><p><strong>Fail over</strong> the database</p></td><td><p>DBA</p></td><td><p>20 min</p></td></tr>' +
        '<tr><td><p>2</p></td><td><p>Switch DNS<br/>then wait for TTL</p></td><td><p>Network</p></td><td><p>1 h</p></td></tr></tbody></table>' +
        '<h2>Communication plan</h2><h4>Internal</h4><p>Audience: internal</p><p>{{service}} down</p>',
    );
    const result = parsePlanPage(adf);
    expect(brief(steps(result))).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Switch DNS', 'Network', 60],
    ]);
    expect(steps(result)[1].details).toEqual(['then wait for TTL']);
    expect(result.comms.map((c) => [c.name, c.audience, c.body])).toEqual([['Internal', 'internal', '{{service}} down']]);
  });

  it('reads a header row of <td> cells (tableCell) by its names', () => {
    const adf = storageToAdf('<h2>Recovery steps</h2><table><tbody><tr><td>Step</td><td>Owner</td><td>Time</td></tr><tr><td>Restore backups</td><td>Storage</td><td>2 hours</td></tr></tbody></table>');
    expect(brief(steps(parsePlanPage(adf)))).toEqual([['Restore backups', 'Storage', 120]]);
  });

  it('reads a table with a <th> first column (row headers)', () => {
    const adf = storageToAdf('<h2>Recovery steps</h2><table><tbody><tr><th>#</th><th>Step</th><th>Role</th><th>Expected duration</th></tr><tr><th>1</th><td>Restore backups</td><td>Storage</td><td>2 hours</td></tr></tbody></table>');
    expect(brief(steps(parsePlanPage(adf)))).toEqual([['Restore backups', 'Storage', 120]]);
  });

  it('guesses the columns of a table without a header, and says so', () => {
    const t = table(tableRow([cellOf('1'), cellOf('Fail over the database'), cellOf('DBA'), cellOf('20 min')]), tableRow([cellOf('2'), cellOf('Switch DNS'), cellOf('Network'), cellOf('10 min')]));
    const result = parsePlanPage(page([t]));
    expect(brief(steps(result))).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Switch DNS', 'Network', 10],
    ]);
    expect(result.problems).toEqual(['Steps table: the table has no header naming its columns; read column 2 as the steps, column 3 as the roles, column 4 as the durations.']);
  });

  it('reads a named step column it does not recognise when there is a duration column, and says so', () => {
    const result = parsePlanPage(page([stepsTable(['No.', 'Item', 'Minutes'], [['1', 'Fail over', '20']])]));
    expect(brief(steps(result))).toEqual([['Fail over', DEFAULT_ROLE, 20]]);
    expect(result.problems[0]).toBe('Steps table: no column is named Step; the column "Item" was read as the steps.');
  });
});

describe('parsePlanPage: lists and task lists instead of a table', () => {
  it('an ordered list with the dash convention', () => {
    const list = orderedList({ order: 1 })(li('Fail over the database — DBA — 20 min'), li('Switch DNS – Network – 1h 30m'), li('Tell customers'));
    const result = parsePlanPage(page([list]));
    expect(brief(steps(result))).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Switch DNS', 'Network', 90],
      ['Tell customers', DEFAULT_ROLE, DEFAULT_STEP_MINUTES],
    ]);
    expect(result.problems).toEqual(['1 step names no role; "Recovery team" is assumed.', '1 step gives no expected duration; 15 min is assumed.']);
  });

  it('a bullet list with the parenthesis convention, marks and mentions', () => {
    const list = bulletList(li(strong('Fail over') as Inline, text(' the database (DBA, 20 min)')), li(text('Switch DNS — '), mention({ id: 'a', text: '@Kai' }), text(' — 2 hours')));
    expect(brief(steps(parsePlanPage(page([list]))))).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Switch DNS', 'Kai', 120],
    ]);
  });

  it('the same step as a table row and as a list item gets the same id', () => {
    const fromTable = steps(parsePlanPage(page([stepsTable(['Step', 'Role', 'Expected duration'], [['Fail over the database', 'DBA', '20 min']])])));
    const fromList = steps(parsePlanPage(page([bulletList(li('Fail over the database — DBA — 20 min'))])));
    expect(fromList).toEqual(fromTable);
  });

  it('a task list (checkboxes), states ignored, same conventions', () => {
    const tasks = taskList({ localId: 'tl' })(
      taskItem({ localId: 't1', state: 'DONE' })(text('Fail over the database — DBA — 20 min')),
      taskItem({ localId: 't2', state: 'TODO' })(text('Switch DNS (Network, 10 min)')),
      taskItem({ localId: 't3', state: 'TODO' })(),
    );
    const result = parsePlanPage(page([tasks]));
    expect(brief(steps(result))).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Switch DNS', 'Network', 10],
    ]);
    expect(result.problems).toEqual(['List, item 3 is empty; skipped.']);
  });

  it('a task list with block task items and nested task lists', () => {
    const tasks = taskList({ localId: 'tl' })(
      blockTaskItem({ localId: 'b1', state: 'TODO' })(p(text('Fail over the database — DBA — 20 min')), p(text('check the lag first'))) as never,
      taskList({ localId: 'nested' })(taskItem({ localId: 'n1', state: 'TODO' })(text('verify writes'))),
      taskItem({ localId: 't2', state: 'TODO' })(text('Switch DNS')),
    );
    const result = steps(parsePlanPage(page([tasks])));
    expect(result.map((s) => [s.title, s.details])).toEqual([
      ['Fail over the database', ['check the lag first', 'verify writes']],
      ['Switch DNS', undefined],
    ]);
  });

  it('nested lists: details under a step, steps under a group label', () => {
    const list = orderedList()(
      listItem([p(text('Phase 1: Assess')), orderedList()(li('Confirm the outage — Incident manager — 5 min'), li('Open the bridge — Incident manager — 5 min'))]),
      listItem([p(text('Fail over the database — DBA — 20 min')), bulletList(li('check lag'), li('promote the replica'))]),
      listItem([p(text('Restore from backup')), bulletList(li('pick the last clean snapshot'))]),
    );
    const result = steps(parsePlanPage(page([list])));
    expect(result.map((s) => [s.title, s.role, s.expectedMinutes, s.phase, s.details])).toEqual([
      ['Confirm the outage', 'Incident manager', 5, 'Phase 1: Assess', undefined],
      ['Open the bridge', 'Incident manager', 5, 'Phase 1: Assess', undefined],
      ['Fail over the database', 'DBA', 20, undefined, ['check lag', 'promote the replica']],
      ['Restore from backup', DEFAULT_ROLE, DEFAULT_STEP_MINUTES, undefined, ['pick the last clean snapshot']],
    ]);
  });

  it('reads every list in the section, in order', () => {
    const result = steps(parsePlanPage(page([p(text('First:')), bulletList(li('A — Ops — 5 min')), p(text('Then:')), orderedList()(li('B — Ops — 5 min'))])));
    expect(result.map((s) => s.title)).toEqual(['A', 'B']);
  });

  it('a list item with hard breaks: the first line is the step, the rest details', () => {
    const list = bulletList(listItem([p(text('Fail over — DBA — 20 min'), hardBreak(), text('see runbook'))]));
    expect(steps(parsePlanPage(page([list])))[0]).toMatchObject({ title: 'Fail over', role: 'DBA', expectedMinutes: 20, details: ['see runbook'] });
  });
});

describe('parsePlanPage: finding the section', () => {
  const list = bulletList(li('Fail over — DBA — 20 min'));

  it.each(['Recovery Steps', 'RECOVERY STEPS', 'Steps to recover', '🔧 Recovery steps', '3. Recovery steps', '3) Recovery steps 🚒', 'Recovery steps (updated March)', 'Recovery procedure', 'Runbook'])('finds the heading %j', (title) => {
    expect(steps(parsePlanPage(page([list], { title })))).toHaveLength(1);
  });

  it.each([1, 3, 4] as const)('at heading level %d', (level) => {
    expect(steps(parsePlanPage(page([list], { level })))).toHaveLength(1);
  });

  it('a heading with an emoji node, a mention or marks', () => {
    const adf = doc(heading({ level: 2 })(emoji({ shortName: ':tools:', text: '🛠️' }), text(' '), strong('Recovery') as Inline, text(' steps')), list);
    expect(steps(parsePlanPage(adf))).toHaveLength(1);
  });

  it('ends at the next heading of the same or a higher level, not at a lower one', () => {
    const adf = doc(heading({ level: 2 })(text('Recovery steps')), heading({ level: 3 })(text('Database')), bulletList(li('A — Ops — 5 min')), heading({ level: 2 })(text('Other')), bulletList(li('Not a step')));
    expect(steps(parsePlanPage(adf)).map((s) => s.title)).toEqual(['A']);
  });

  it('finds steps inside layouts and expands', () => {
    const adf = doc(
      layoutSection()([layoutColumn({ width: 50 })([heading({ level: 2 })(text('Recovery steps'))]), layoutColumn({ width: 50 })([stepsTable(['Step', 'Role'], [['A', 'Ops']])])]),
      expand({ title: 'More' })(p(text('x'))),
    );
    expect(steps(parsePlanPage(adf)).map((s) => s.title)).toEqual(['A']);
  });

  it('steps section removed: no readable steps, templates still read', () => {
    const adf = doc(heading({ level: 2 })(text('Scope')), p(text('x')), heading({ level: 2 })(text('Communication plan')), ...templateBlocks({ name: 'Update', audience: 'internal', body: 'Hi' }));
    const result = parsePlanPage(adf);
    expect(result).toMatchObject({ readable: false, reason: 'no-steps-section' });
    expect(result.comms.map((c) => c.name)).toEqual(['Update']);
    expect(result.problems).toEqual(['The page has no "Recovery steps" heading; the steps were not read.']);
  });

  it('a steps section with only prose: no readable steps', () => {
    const result = parsePlanPage(page([p(text('TBD by the DBA team.'))]));
    expect(result).toMatchObject({ readable: false, reason: 'no-steps-in-section' });
    expect(result.problems).toContain('The section "Recovery steps" has no steps the app can read (a table with a Step column, or a list).');
  });

  it('a steps table whose rows are all empty: no readable steps', () => {
    const result = parsePlanPage(page([stepsTable(['Step', 'Role'], [['', ''], ['', '']])]));
    expect(result).toMatchObject({ readable: false, reason: 'no-steps-in-section' });
    expect(result.problems[0]).toBe('Steps table: rows 2, 3 are empty; skipped.');
  });

  it.each([null, undefined, 42, 'text', [], { type: 'paragraph' }, { type: 'doc', content: 'x' }])('not a document (%j)', (value) => {
    expect(parsePlanPage(value)).toMatchObject({ readable: false, reason: 'not-a-document', problems: ['The page body is not an ADF document.'] });
  });

  it('malformed nodes do not stop the reader', () => {
    const adf = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 'two' }, content: [{ type: 'text', text: 'Recovery steps' }] },
        null,
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A — Ops — 5 min' }, { type: 'text' }, 5, { type: 'mention' }] }] }, 'junk', { type: 'listItem' }] },
        { type: 'table', content: [{ type: 'tableRow', content: 'x' }] },
      ],
    };
    const result = parsePlanPage(adf);
    expect(steps(result).map((s) => s.title)).toEqual(['A']);
  });
});

describe('parsePlanPage: limits', () => {
  it('reads at most 100 steps, saying how many were left out', () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ title: `Step number ${i + 1} of many`, role: 'Ops', expectedMinutes: 1 }));
    const result = parsePlanPage(page([stepsTable(['Step', 'Role', 'Expected'], many.map((s) => [s.title, s.role, '1 min']))]));
    expect(steps(result)).toHaveLength(100);
    expect(result.problems).toEqual(['The page lists 130 steps; only the first 100 are read (from "Step number 101 of many" on, the rest are left out).']);
  });

  it('shortens titles over 300 characters and roles over 100, saying so', () => {
    const long = `Restore ${'very '.repeat(100)}carefully`;
    const result = parsePlanPage(page([stepsTable(['Step', 'Role', 'Expected'], [[long, 'R'.repeat(150), '5 min']])]));
    const [step] = steps(result);
    expect([...step.title]).toHaveLength(300);
    expect(step.title.endsWith('…')).toBe(true);
    expect([...step.role]).toHaveLength(100);
    expect(result.problems).toEqual(['Steps table, row 2: the step text is 517 characters; shortened to 300.', 'Steps table, row 2: the role is 150 characters; shortened to 100.']);
  });

  it('caps a step duration at a week', () => {
    const result = parsePlanPage(page([stepsTable(['Step', 'Expected'], [['Rebuild the data centre', '3 weeks']])]));
    expect(steps(result)[0].expectedMinutes).toBe(7 * 24 * 60);
    expect(result.problems[0]).toBe('Steps table, row 2: 504 h is longer than a step may take; 168 h used.');
  });
});

describe('parsePlanPage: message templates people edited', () => {
  function comms(blocks: BlockContent[], title = 'Communication plan') {
    return parsePlanPage(doc(heading({ level: 2 })(text('Recovery steps')), bulletList(li('A — Ops — 5 min')), heading({ level: 2 })(text(title)), ...blocks));
  }

  it('reads renamed sections and h3 template names', () => {
    const result = comms([p(text('Intro text is not a template.')), heading({ level: 3 })(text('Exec brief')), p(text('Audience: internal')), p(text('Body'))], '📣 Communications');
    expect(result.comms).toEqual(withTemplateIds([{ name: 'Exec brief', audience: 'internal', body: 'Body' }]));
  });

  it.each([
    ['Audience: customers', 'public'],
    ['Audience: Customers and partners', 'public'],
    ['audience : external', 'public'],
    ['For: status page', 'public'],
    ['Audience: internal', 'internal'],
    ['Audience: staff', 'internal'],
    ['Audience: Employees', 'internal'],
  ] as const)('audience line %j', (line, audience) => {
    const result = comms([heading({ level: 4 })(text('T')), p(text(line)), p(text('Body'))]);
    expect(result.comms[0].audience).toBe(audience);
    expect(result.problems).toEqual([]);
  });

  it('an audience it cannot read is internal, with a problem', () => {
    const result = comms([heading({ level: 4 })(text('T')), p(text('Audience: the board and customers? internal too')), p(text('Body'))]);
    expect(result.comms[0].audience).toBe('internal');
    expect(result.problems).toEqual(['The message template "T": audience "the board and customers? internal too" is not "internal" or "customers"; read as internal.']);
  });

  it('a missing audience line is guessed from the name, with a problem', () => {
    const result = comms([heading({ level: 4 })(text('Customer notice')), p(text('We are on it.')), heading({ level: 4 })(text('Bridge update')), p(text('Status: {{impact}}'))]);
    expect(result.comms.map((c) => [c.name, c.audience, c.body])).toEqual([
      ['Customer notice', 'public', 'We are on it.'],
      ['Bridge update', 'internal', 'Status: {{impact}}'],
    ]);
    expect(result.problems).toEqual(['The message template "Customer notice" has no "Audience:" line; read as customers.', 'The message template "Bridge update" has no "Audience:" line; read as internal.']);
  });

  it('text with lists, code blocks, hard breaks and marks reads as plain lines', () => {
    const result = comms([
      heading({ level: 4 })(text('Update')),
      p(text('Audience: internal')),
      p(strong('Service:') as Inline, text(' {{service}}'), hardBreak(), text('Since {{startTime}}')),
      bulletList(li('first'), li('second')),
      codeBlock({})(text('{{incidentKey}}')),
    ]);
    expect(result.comms[0].body).toBe('Service: {{service}}\nSince {{startTime}}\n- first\n- second\n{{incidentKey}}');
  });

  it('deeper headings inside a template are part of its text', () => {
    const result = comms([heading({ level: 4 })(text('Update')), p(text('Audience: internal')), heading({ level: 5 })(text('Part two')), p(text('More'))]);
    expect(result.comms).toHaveLength(1);
    expect(result.comms[0].body).toBe('Part two\nMore');
  });

  it('skips templates without a name or text, saying so', () => {
    const result = comms([heading({ level: 4 })(), p(text('Orphan text')), heading({ level: 4 })(text('Empty')), p(text('Audience: internal'))]);
    expect(result.comms).toEqual([]);
    expect(result.problems).toEqual(['A message template has no name (text "Orphan text"); skipped.', 'The message template "Empty" has no text; skipped.']);
  });

  it('reads templates written as a table (Name | Audience | Message)', () => {
    const t = stepsTable(['Name', 'Audience', 'Message'], [['Internal update', 'internal', '{{service}} is down'], ['Customer notice', 'customers', 'Sorry']]);
    const result = comms([t]);
    expect(result.comms.map((c) => [c.name, c.audience, c.body])).toEqual([
      ['Internal update', 'internal', '{{service}} is down'],
      ['Customer notice', 'public', 'Sorry'],
    ]);
  });

  it('no Communication plan section: no templates, and the result says the section was not found', () => {
    const result = parsePlanPage(doc(heading({ level: 2 })(text('Recovery steps')), bulletList(li('A'))));
    expect(result.comms).toEqual([]);
    expect(result.commsSectionFound).toBe(false);
    expect(result.problems).toContain('The page has no "Communication plan" heading; no message templates were read.');
  });

  it('an edited template keeps its id when only its text changes', () => {
    const a = comms([heading({ level: 4 })(text('Internal update')), p(text('Audience: internal')), p(text('One'))]).comms[0];
    const b = comms([heading({ level: 4 })(text('Internal update')), p(text('Audience: customers')), p(text('Two'))]).comms[0];
    expect(b.id).toBe(a.id);
  });
});

describe('parsePlanPage: several headings that could be the section', () => {
  it('an h3 "Communications" step group does not hide the h2 "Communication plan"; the exact name wins', () => {
    const adf = doc(
      heading({ level: 2 })(text('Recovery steps')),
      heading({ level: 3 })(text('Communications')),
      bulletList(li('Tell the bridge — Comms lead — 5 min')),
      heading({ level: 2 })(text('Recovery steps for the database (appendix)')),
      bulletList(li('Not this one')),
      heading({ level: 2 })(text('Communication plan')),
      ...templateBlocks({ name: 'Update', audience: 'internal', body: 'Hi' }),
    );
    const result = parsePlanPage(adf);
    expect(steps(result).map((s) => s.title)).toEqual(['Tell the bridge']);
    expect(result.comms.map((c) => c.name)).toEqual(['Update']);
  });
});
