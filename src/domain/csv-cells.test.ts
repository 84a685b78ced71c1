import Papa from 'papaparse';
import { neutraliseCell, restoreCell, toCsv } from './csv-cells';

describe('neutraliseCell', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil")', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF201'])(
    'prefixes %j with a quote',
    (value) => {
      expect(neutraliseCell(value)).toBe(`'${value}`);
    },
  );

  it.each(['Payments', '', ' =1', 'a=b', "'quoted", '1-2', '#1'])('leaves %j alone', (value) => {
    expect(neutraliseCell(value)).toBe(value);
  });

  it('adds one more quote to a value that already starts with quotes before a formula character', () => {
    expect(neutraliseCell("'=1")).toBe("''=1");
    expect(neutraliseCell("''-x")).toBe("'''-x");
  });
});

describe('restoreCell', () => {
  it('undoes exactly what neutraliseCell did, for every kind of value', () => {
    const values = ['=1+1', '-x', '@x', '\tx', '\rx', "'=1", "''=1", "'x", "'", "''", '', 'plain', '\uFF1Dx', "'\uFF0Bx"];
    expect(values.map((v) => restoreCell(neutraliseCell(v)))).toEqual(values);
  });

  it('leaves a cell that was not neutralised alone', () => {
    expect(restoreCell("'quoted")).toBe("'quoted");
    expect(restoreCell('=1')).toBe('=1');
  });
});

describe('toCsv', () => {
  it('writes CRLF lines with a byte order mark, quoting only where needed, every cell neutralised', () => {
    const text = toCsv(['name', 'note'], [
      ['=cmd', 'a, b'],
      ['Ledger', 'say "hi"'],
    ]);
    expect(text).toBe('\uFEFFname,note\r\n\'=cmd,"a, b"\r\nLedger,"say ""hi"""');
  });

  it('can leave the byte order mark out', () => {
    expect(toCsv(['a'], [['1']], { bom: false })).toBe('a\r\n1');
  });

  it('writes what a CSV reader reads back, line breaks included', () => {
    const rows = [['multi\nline', 'x'], ['-5', ' padded ']];
    const parsed = Papa.parse<string[]>(toCsv(['a', 'b'], rows, { bom: false }), { delimiter: ',' }).data;
    expect(parsed).toEqual([['a', 'b'], ['multi\nline', 'x'], ["'-5", ' padded ']]);
  });
});
