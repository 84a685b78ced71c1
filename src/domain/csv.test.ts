import {
  CSV_COLUMNS,
  CSV_LIMITS,
  exportServicesCsv,
  importServicesCsv,
  planImport,
  slugId,
  type ExportableService,
  type ImportedRow,
  type PlannedRow,
} from './csv';
import type { DependencyNode } from './dependencies';
import { deepFreeze } from './testing';

const crlf = (...lines: string[]) => lines.join('\r\n');

describe('importServicesCsv', () => {
  it('reads rows with their line numbers, a BOM and CRLF line ends', () => {
    const result = importServicesCsv(
      '\uFEFF' +
        crlf(
          'name,tier,rto,rpo,owner,depends_on,jsm_services,components,labels,status',
          'Payments,1,30m,5m,557058:abc,Ledger; Orders DB,b:1;b:2,payments-api,pci;customer-facing,active',
          'Ledger,2,,,,,,,,',
        ),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rows).toEqual([
      {
        line: 2,
        columns: [...CSV_COLUMNS],
        input: {
          name: 'Payments',
          tier: 1,
          rtoMinutes: 30,
          rpoMinutes: 5,
          owner: '557058:abc',
          dependsOn: ['Ledger', 'Orders DB'],
          jsmServiceIds: ['b:1', 'b:2'],
          components: ['payments-api'],
          labels: ['pci', 'customer-facing'],
          status: 'active',
        },
      },
      {
        line: 3,
        columns: [...CSV_COLUMNS],
        input: { name: 'Ledger', tier: 2, rtoMinutes: 240, rpoMinutes: 60, dependsOn: [], jsmServiceIds: [], components: [], labels: [], status: 'active' },
      },
    ]);
  });

  it('needs only name and tier, in any order, and matches headers loosely', () => {
    const result = importServicesCsv('Tier,NAME,Depends on,JSM-Services\n3,Reporting,,b:9\n');
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      {
        line: 2,
        columns: ['name', 'tier', 'depends_on', 'jsm_services'],
        input: { name: 'Reporting', tier: 3, rtoMinutes: 1440, rpoMinutes: 1440, dependsOn: [], jsmServiceIds: ['b:9'], components: [], labels: [], status: 'active' },
      },
    ]);
  });

  it('counts the lines of quoted values that span lines, and skips blank lines', () => {
    const text = crlf('name,tier,notes', 'Payments,1,"first line', 'second line, with a comma"', '', '   ', 'Ledger,2,plain', ',,', '"Orders, EU",3,""');
    const result = importServicesCsv(text);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.input.name])).toEqual([
      [2, 'Payments'],
      [6, 'Ledger'],
      [8, 'Orders, EU'],
    ]);
  });

  it('counts lines ending in a lone CR or LF too', () => {
    expect(importServicesCsv('name,tier\rA,1\r\rB,2').rows.map((r) => r.line)).toEqual([2, 4]);
    expect(importServicesCsv('name,tier\n\nA,1\nB,2\n').rows.map((r) => r.line)).toEqual([3, 4]);
  });

  it('warns once about each unknown column, not once per row', () => {
    const result = importServicesCsv(crlf('name,tier,notes,Team', 'A,1,x,y', 'B,2,x,y'));
    expect(result.rows).toHaveLength(2);
    expect(result.warnings).toEqual([
      { line: 1, column: 'notes', reason: 'The column "notes" is not one the catalogue knows; it was ignored.' },
      { line: 1, column: 'Team', reason: 'The column "Team" is not one the catalogue knows; it was ignored.' },
    ]);
  });

  it('warns when values sit under a column with no name, and ignores them', () => {
    expect(importServicesCsv(crlf('name,tier,', 'A,1,')).warnings).toEqual([]);
    const result = importServicesCsv(crlf('name,tier,', 'A,1,stray'));
    expect(result.rows).toHaveLength(1);
    expect(result.warnings).toEqual([{ line: 1, reason: 'Some values sit in a column with no name in the header; they were ignored.' }]);
  });

  it.each([
    ['', 'The file is empty: the first row must be a header naming at least the name and tier columns.'],
    ['\uFEFF\r\n\r\n', 'The file is empty: the first row must be a header naming at least the name and tier columns.'],
    ['name,rto\nA,1h', 'The header has no tier column; it must name at least name and tier (name, tier, rto, rpo, owner, depends_on, jsm_services, components, labels, status).'],
    ['service,level\nA,1', 'The header has no name or tier column; it must name at least name and tier (name, tier, rto, rpo, owner, depends_on, jsm_services, components, labels, status).'],
  ])('refuses the file %j', (text, reason) => {
    expect(importServicesCsv(text)).toEqual({ rows: [], warnings: [], errors: [{ line: 1, reason }] });
  });

  it('says when a file uses semicolons between columns', () => {
    expect(importServicesCsv('name;tier\nA;1').errors[0]?.reason).toMatch(/seems to use ";" between columns/);
  });

  it('refuses a header that names a column twice', () => {
    expect(importServicesCsv('name,tier,Tier\nA,1,2').errors).toEqual([{ line: 1, column: 'tier', reason: 'The header names the tier column twice.' }]);
  });

  it('reports every bad row with its reason and keeps the good ones', () => {
    const text = crlf(
      'name,tier,rto,labels,status',
      'Good,1,30m,,',
      'Bad tier,4,30m,,',
      'Bad rto,1,soon,,',
      ',2,,,',
      'Two problems,9,0m,,',
      'Bad label,1,,two words,',
      'Bad status,1,,,gone',
      'Also good,3,,,retired',
    );
    const result = importServicesCsv(text);
    expect(result.rows.map((r) => [r.line, r.input.name, r.input.status])).toEqual([
      [2, 'Good', 'active'],
      [9, 'Also good', 'retired'],
    ]);
    expect(result.errors).toEqual([
      { line: 3, column: 'tier', reason: 'Tier must be 1, 2 or 3 (Gold, Silver or Bronze).' },
      { line: 4, column: 'rto', reason: 'RTO must be a duration such as 45m, 4h or 1d.' },
      { line: 5, column: 'name', reason: 'Name must not be empty.' },
      { line: 6, column: 'tier', reason: 'Tier must be 1, 2 or 3 (Gold, Silver or Bronze).' },
      { line: 6, column: 'rto', reason: 'RTO must be longer than zero.' },
      { line: 7, column: 'labels', reason: 'A label cannot contain spaces (Jira labels never do).' },
      { line: 8, column: 'status', reason: 'Status must be active or retired (or empty for active).' },
    ]);
  });

  it('refuses a later row with the same name, naming the earlier line', () => {
    const result = importServicesCsv(crlf('name,tier', 'Payments,1', 'Ledger,2', ' payments ,2', 'PAY\u200BMENTS,3'));
    expect(result.rows.map((r) => r.line)).toEqual([2, 3]);
    expect(result.errors).toEqual([
      { line: 4, column: 'name', reason: '"payments" is already on line 2; each service may appear once.' },
      { line: 5, column: 'name', reason: '"PAY\u200BMENTS" is already on line 2; each service may appear once.' },
    ]);
  });

  it('counts a name as taken even when its row has another problem', () => {
    const result = importServicesCsv(crlf('name,tier', 'Payments,7', 'Payments,1'));
    expect(result.rows).toEqual([]);
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'tier'],
      [3, 'name'],
    ]);
  });

  it('refuses a row with more values than the header has columns', () => {
    const result = importServicesCsv(crlf('name,tier', 'Orders, EU,1', 'B,2,', 'C,3'));
    expect(result.rows.map((r) => r.input.name)).toEqual(['B', 'C']);
    expect(result.errors).toEqual([{ line: 2, reason: 'This row has 3 values but the header has 2 columns; a value that contains a comma must be in double quotes.' }]);
  });

  it('treats missing trailing values as empty', () => {
    expect(importServicesCsv(crlf('name,tier,rto', 'A,1')).rows[0]?.input.rtoMinutes).toBe(60);
  });

  it('reports unbalanced quotes on the row where they start', () => {
    const result = importServicesCsv(crlf('name,tier', 'A,1', '"Broken,2', 'C,3'));
    expect(result.rows.map((r) => r.input.name)).toEqual(['A']);
    expect(result.errors).toEqual([{ line: 3, reason: expect.stringMatching(/^The quotes in this row do not match/) }]);
  });

  it('undoes the quote that export puts before formula characters', () => {
    const result = importServicesCsv(crlf('name,tier,labels', "'=SUM(A1),1,'-x;y", "'plain,2,"));
    expect(result.rows.map((r) => [r.input.name, r.input.labels])).toEqual([
      ['=SUM(A1)', ['-x', 'y']],
      ["'plain", []],
    ]);
  });

  it('refuses a file with more rows than the limit', () => {
    const lines = ['name,tier', ...Array.from({ length: CSV_LIMITS.rows + 1 }, (_, i) => `S${i},3`)];
    const result = importServicesCsv(lines.join('\n'));
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ line: CSV_LIMITS.rows + 2, reason: 'The file has more than 10,000 services; split it into smaller files.' }]);
  });

  it('refuses a file larger than the character limit without parsing it', () => {
    expect(importServicesCsv('x'.repeat(CSV_LIMITS.characters + 1)).errors[0]?.reason).toBe('The file is larger than 5,000,000 characters; split it into smaller files.');
  });

  it('uses the bands it is given for empty RTO and RPO', () => {
    const bands = { 1: { rtoMinMinutes: 5, rtoMaxMinutes: 20, rpoMinutes: 1 }, 2: { rtoMinMinutes: 20, rtoMaxMinutes: 60, rpoMinutes: 10 }, 3: { rtoMinMinutes: 60, rtoMaxMinutes: 600, rpoMinutes: 60 } };
    expect(importServicesCsv('name,tier\nA,1', bands).rows[0]?.input).toMatchObject({ rtoMinutes: 20, rpoMinutes: 1 });
  });
});

const row = (line: number, input: Partial<ImportedRow['input']> & { name: string }, columns: ImportedRow['columns'] = CSV_COLUMNS): ImportedRow => ({
  line,
  columns,
  input: { tier: 2, rtoMinutes: 240, rpoMinutes: 60, dependsOn: [], jsmServiceIds: [], components: [], labels: [], status: 'active', ...input },
});

const existing: DependencyNode[] = deepFreeze([
  { id: 'payments', name: 'Payments', dependsOn: ['ledger'] },
  { id: 'ledger', name: 'Ledger', dependsOn: [] },
  { id: 'db', name: 'Orders DB', dependsOn: [] },
]);

describe('planImport', () => {
  it('updates services with the same name and creates the rest', () => {
    const plan = planImport(existing, [
      row(2, { name: 'PAYMENTS', tier: 1, rtoMinutes: 30, owner: 'ann@example.com', dependsOn: ['ledger', 'Reporting'] }),
      row(3, { name: 'Reporting', tier: 3, rtoMinutes: 1440, rpoMinutes: 1440, dependsOn: ['Orders DB'] }),
    ]);
    expect(plan.errors).toEqual([]);
    expect(plan.rows).toEqual<PlannedRow[]>([
      {
        action: 'update',
        line: 2,
        id: 'payments',
        changes: {
          name: 'PAYMENTS',
          tier: 1,
          rtoMinutes: 30,
          rpoMinutes: 60,
          owner: 'ann@example.com',
          dependsOn: ['ledger', 'reporting'],
          jsmServiceIds: [],
          components: [],
          labels: [],
          status: 'active',
        },
      },
      {
        action: 'create',
        line: 3,
        id: 'reporting',
        service: { name: 'Reporting', tier: 3, rtoMinutes: 1440, rpoMinutes: 1440, owner: null, dependsOn: ['db'], jsmServiceIds: [], components: [], labels: [], status: 'active' },
      },
    ]);
  });

  it('changes on an update only what the file has columns for', () => {
    const plan = planImport(existing, [row(2, { name: 'Ledger', tier: 1, rtoMinutes: 60 }, ['name', 'tier', 'labels'])]);
    expect(plan.rows).toEqual([{ action: 'update', line: 2, id: 'ledger', changes: { name: 'Ledger', tier: 1, labels: [] } }]);
  });

  it('gives a new service every field, whatever columns the file has', () => {
    const plan = planImport([], [row(2, { name: 'Mail', tier: 3, rtoMinutes: 1440, rpoMinutes: 1440 }, ['name', 'tier'])]);
    expect(plan.rows[0]).toMatchObject({ action: 'create', service: { owner: null, dependsOn: [], status: 'active', rtoMinutes: 1440 } });
  });

  it('resolves dependencies by existing id as well as by name', () => {
    expect(planImport(existing, [row(2, { name: 'Web', dependsOn: ['db', 'Orders DB'] })]).rows[0]).toMatchObject({ service: { dependsOn: ['db'] } });
  });

  it('refuses a dependency on a name found nowhere', () => {
    const plan = planImport(existing, [row(2, { name: 'Web', dependsOn: ['Ghost'] }), row(3, { name: 'Mail' })]);
    expect(plan.rows.map((r) => r.line)).toEqual([3]);
    expect(plan.errors).toEqual([{ line: 2, column: 'depends_on', reason: 'No service named "Ghost" in the catalogue or in this file.' }]);
  });

  it('refuses a row that closes a cycle with the catalogue, naming the cycle', () => {
    // Payments already depends on Ledger; the file makes Ledger depend on Payments.
    const plan = planImport(existing, [row(4, { name: 'Ledger', dependsOn: ['Payments'] }), row(5, { name: 'Mail' })]);
    expect(plan.rows.map((r) => r.line)).toEqual([5]);
    expect(plan.errors).toEqual([{ line: 4, column: 'depends_on', reason: 'These dependencies would form a cycle: Ledger → Payments → Ledger.' }]);
  });

  it('refuses new services that depend on each other, and the rows that need them', () => {
    const plan = planImport(existing, [
      row(2, { name: 'A', dependsOn: ['B'] }),
      row(3, { name: 'B', dependsOn: ['A'] }),
      row(4, { name: 'C', dependsOn: ['A'] }),
      row(5, { name: 'D', dependsOn: ['C', 'Ledger'] }),
      row(6, { name: 'E', dependsOn: ['Ledger'] }),
    ]);
    expect(plan.rows.map((r) => [r.line, r.id])).toEqual([[6, 'e']]);
    expect(plan.errors).toEqual([
      { line: 2, column: 'depends_on', reason: 'These dependencies would form a cycle: A → B → A.' },
      { line: 3, column: 'depends_on', reason: 'These dependencies would form a cycle: A → B → A.' },
      { line: 4, column: 'depends_on', reason: '"A" cannot be imported (see line 2), so nothing can depend on it yet.' },
      { line: 5, column: 'depends_on', reason: '"C" cannot be imported (see line 4), so nothing can depend on it yet.' },
    ]);
  });

  it('refuses a service that depends on itself', () => {
    expect(planImport(existing, [row(2, { name: 'Mail', dependsOn: ['mail'] })]).errors).toEqual([
      { line: 2, column: 'depends_on', reason: 'These dependencies would form a cycle: Mail → Mail.' },
    ]);
  });

  it('leaves alone a cycle the catalogue already had that no row touches', () => {
    const looped = [...existing, { id: 'x', name: 'X', dependsOn: ['y'] }, { id: 'y', name: 'Y', dependsOn: ['x'] }];
    expect(planImport(looped, [row(2, { name: 'Mail', dependsOn: ['X'] })]).errors).toEqual([]);
  });

  it('keeps existing dependencies of rows without a depends_on column when looking for cycles', () => {
    // Ledger keeps no dependencies; Payments (file, no depends_on column) keeps depending on Ledger.
    const plan = planImport(existing, [row(2, { name: 'Payments' }, ['name', 'tier']), row(3, { name: 'Ledger', dependsOn: ['Payments'] })]);
    expect(plan.errors).toEqual([{ line: 3, column: 'depends_on', reason: 'These dependencies would form a cycle: Ledger → Payments → Ledger.' }]);
  });

  it('refuses repeated names passed in directly', () => {
    expect(planImport([], [row(2, { name: 'A' }), row(7, { name: 'a' })]).errors).toEqual([
      { line: 7, column: 'name', reason: '"a" is already on line 2; each service may appear once.' },
    ]);
  });

  it('makes new ids unique, or uses the ids it is given', () => {
    const plan = planImport([{ id: 'payments-eu', name: 'Old', dependsOn: [] }], [row(2, { name: 'Payments (EU)' }), row(3, { name: 'Payments EU!' })]);
    expect(plan.rows.map((r) => r.id)).toEqual(['payments-eu-2', 'payments-eu-3']);
    let n = 0;
    expect(planImport([], [row(2, { name: 'A' })], { newId: () => `svc-${(n += 1)}` }).rows[0]?.id).toBe('svc-1');
  });

  it('does not change its inputs', () => {
    const rows = deepFreeze([row(2, { name: 'Ledger', dependsOn: ['Payments'] }), row(3, { name: 'New', dependsOn: ['Ledger'] })]);
    expect(() => planImport(existing, rows)).not.toThrow();
  });
});

describe('slugId', () => {
  it.each([
    ['Customer Portal (EU)', 'customer-portal-eu'],
    ['Café  Ordering', 'cafe-ordering'],
    ['支付', 'service'],
    ['--x--', 'x'],
  ])('%j → %j', (name, id) => {
    expect(slugId(name, new Set())).toBe(id);
  });
});

describe('exportServicesCsv', () => {
  const services: ExportableService[] = deepFreeze([
    {
      id: 'pay',
      name: 'Payments',
      tier: 1,
      rtoMinutes: 30,
      rpoMinutes: 5,
      ownerAccountId: '557058:abc',
      dependsOn: ['led', 'gone'],
      jsmServiceIds: ['b:1', 'b:2'],
      components: ['payments-api'],
      labels: ['pci', 'customer-facing'],
    },
    { id: 'led', name: 'Ledger, EU', tier: 2, rtoMinutes: 1560, rpoMinutes: 60, dependsOn: [], components: [], labels: [], status: 'retired' },
  ]);

  it('writes one row per service in the import columns', () => {
    expect(exportServicesCsv(services, { bom: false })).toBe(
      crlf(
        'name,tier,rto,rpo,owner,depends_on,jsm_services,components,labels,status',
        'Payments,1,30m,5m,557058:abc,"Ledger, EU",b:1;b:2,payments-api,pci;customer-facing,active',
        '"Ledger, EU",2,1d 2h,1h,,,,,,retired',
      ),
    );
  });

  it('writes a single JSM service when the service has no list of them', () => {
    const text = exportServicesCsv([{ ...services[1]!, jsmServiceId: 'b:7' }], { bom: false });
    expect(text.split('\r\n')[1]).toBe('"Ledger, EU",2,1d 2h,1h,,,b:7,,,retired');
  });

  it('starts with a byte order mark by default', () => {
    expect(exportServicesCsv([]).startsWith('\uFEFFname,tier')).toBe(true);
  });

  it('neutralises cells a spreadsheet would run', () => {
    const text = exportServicesCsv([{ ...services[1]!, name: '=HYPERLINK("http://x")', labels: ['-x', '@y'], components: ['+z'] }], { bom: false });
    expect(text.split('\r\n')[1]).toBe('"\'=HYPERLINK(""http://x"")",2,1d 2h,1h,,,,\'+z,\'-x;@y,retired');
  });
});

describe('export then import', () => {
  it('gives back the same services, tricky names included', () => {
    const services: ExportableService[] = [
      { id: 'a', name: 'Orders, "EU"', tier: 1, rtoMinutes: 45, rpoMinutes: 5, ownerAccountId: '557058:x', dependsOn: ['b', 'c'], jsmServiceIds: ['b:1'], components: ['Web app'], labels: ['eu'] },
      { id: 'b', name: '=cmd|calc', tier: 2, rtoMinutes: 95, rpoMinutes: 60, dependsOn: ['d'], components: ['-api'], labels: ['+x', '@y'], status: 'retired' },
      { id: 'c', name: "'-quoted", tier: 3, rtoMinutes: 1441, rpoMinutes: 1440, dependsOn: [], components: [], labels: [] },
      { id: 'd', name: 'Ünïcødé 支付 \u{1F4B3}', tier: 3, rtoMinutes: 43200, rpoMinutes: 1, dependsOn: [], components: [], labels: [] },
    ];
    const imported = importServicesCsv(exportServicesCsv(services));
    expect(imported.errors).toEqual([]);
    expect(imported.warnings).toEqual([]);
    const plan = planImport([], imported.rows, { newId: (name) => services.find((s) => s.name === name)!.id });
    expect(plan.errors).toEqual([]);
    const back = plan.rows.map((r) => {
      if (r.action !== 'create') throw new Error('expected creates only');
      const { owner, ...rest } = r.service;
      return { id: r.id, ...rest, ...(owner ? { ownerAccountId: owner } : {}) };
    });
    expect(back).toEqual(services.map((s) => ({ jsmServiceIds: [], status: 'active', ...s })));
  });
});
