import { doc, p, text, strong, em, code, link, heading, bulletList, orderedList, listItem, codeBlock, panel, table, tableRow, tableHeader, tableCell, status, mention, date, rule, extension } from '@atlaskit/adf-utils/builders';
import { adfProblem } from './adf-validate';
import { adfToStorage, storageToAdf, readAdfExtension, type AdfNode } from './convert';
import { parseXhtml, storageProblem, type XElement } from './xhtml';

const FORGE_KEY = '9a81c16f-31e6-4be7-be6e-dfc872fe4155/35d2082a-431b-46b7-90da-75a526882f2f/static/plan-status';

describe('ADF → storage', () => {
  it('writes text marks, lists, code, panels, tables, status, mentions and dates as storage XHTML', () => {
    const adf = doc(
      heading({ level: 2 })(text('Recovery & <steps>')),
      p(strong('bold'), text(' '), em('it'), text(' '), code('x < y'), text(' '), link({ href: 'https://example.com/?a=1&b=2' })(text('link'))),
      bulletList(listItem([p(text('one'))])),
      orderedList({ order: 3 })(listItem([p(text('three'))])),
      codeBlock({ language: 'bash' })(text('echo "]]>" done')),
      panel({ panelType: 'warning' as never })(p(text('careful'))),
      table(tableRow([tableHeader({})(p(text('H'))), tableCell({ colspan: 2 })(p(text('C')))] as never)),
      p(status({ text: 'Tier 1', color: 'red', localId: 's1' }), text(' '), mention({ id: 'acc-1', text: '@Casey' }), text(' '), date({ timestamp: String(Date.parse('2026-04-02T00:00:00Z')) })),
      rule(),
    ) as AdfNode;
    const storage = adfToStorage(adf);
    expect(storage).toBe(
      '<h2>Recovery &amp; &lt;steps&gt;</h2>' +
        '<p><strong>bold</strong> <em>it</em> <code>x &lt; y</code> <a href="https://example.com/?a=1&amp;b=2">link</a></p>' +
        '<ul><li><p>one</p></li></ul>' +
        '<ol start="3"><li><p>three</p></li></ol>' +
        '<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[echo "]]]]><![CDATA[>" done]]></ac:plain-text-body></ac:structured-macro>' +
        '<ac:structured-macro ac:name="note" ac:schema-version="1"><ac:rich-text-body><p>careful</p></ac:rich-text-body></ac:structured-macro>' +
        '<table><tbody><tr><th><p>H</p></th><td colspan="2"><p>C</p></td></tr></tbody></table>' +
        '<p><ac:structured-macro ac:name="status" ac:schema-version="1"><ac:parameter ac:name="title">Tier 1</ac:parameter><ac:parameter ac:name="colour">Red</ac:parameter></ac:structured-macro> <ac:link><ri:user ri:account-id="acc-1" /></ac:link> <time datetime="2026-04-02" /></p>' +
        '<hr />',
    );
    expect(storageProblem(storage)).toBeUndefined();
    // The CDATA split keeps the code text intact.
    const back = storageToAdf(storage);
    expect(back.content?.find((n) => n.type === 'codeBlock')).toEqual({ type: 'codeBlock', attrs: { language: 'bash' }, content: [{ type: 'text', text: 'echo "]]>" done' }] });
  });

  it('writes a Forge macro as ac:adf-extension with kebab-case keys and typed values, and reads it back', () => {
    const node = extension({
      extensionType: 'com.atlassian.ecosystem',
      extensionKey: FORGE_KEY,
      text: 'Plan status',
      layout: 'default',
      localId: 'abc-1',
      parameters: { localId: 'abc-1', extensionTitle: 'Plan status', guestParams: { planId: 'plan-7', showDrills: true, maxRows: 5, tags: ['a', 'b'], empty: [] } },
    }) as unknown as AdfNode;
    const storage = adfToStorage(doc(node as never) as AdfNode);
    expect(storage).toBe(
      '<ac:adf-extension><ac:adf-node type="extension">' +
        `<ac:adf-attribute key="extension-key">${FORGE_KEY}</ac:adf-attribute>` +
        '<ac:adf-attribute key="extension-type">com.atlassian.ecosystem</ac:adf-attribute>' +
        '<ac:adf-attribute key="parameters"><ac:adf-parameter key="local-id">abc-1</ac:adf-parameter><ac:adf-parameter key="extension-title">Plan status</ac:adf-parameter>' +
        '<ac:adf-parameter key="guest-params"><ac:adf-parameter key="plan-id">plan-7</ac:adf-parameter><ac:adf-parameter key="show-drills" type="boolean">true</ac:adf-parameter>' +
        '<ac:adf-parameter key="max-rows" type="integer">5</ac:adf-parameter><ac:adf-parameter key="tags"><ac:adf-parameter-value>a</ac:adf-parameter-value><ac:adf-parameter-value>b</ac:adf-parameter-value></ac:adf-parameter>' +
        '<ac:adf-parameter key="empty"><ac:adf-parameter-value /></ac:adf-parameter></ac:adf-parameter></ac:adf-attribute>' +
        '<ac:adf-attribute key="text">Plan status</ac:adf-attribute><ac:adf-attribute key="layout">default</ac:adf-attribute><ac:adf-attribute key="local-id">abc-1</ac:adf-attribute>' +
        '</ac:adf-node></ac:adf-extension>',
    );
    expect(storageProblem(storage)).toBeUndefined();
    const back = storageToAdf(storage);
    expect(back).toEqual({ type: 'doc', version: 1, content: [node] });
    expect(adfProblem(back)).toBeUndefined();
  });

  it('reads a Forge macro as Confluence stores it (with an adf-fallback copy)', () => {
    const storage =
      '<ac:adf-extension><ac:adf-node type="extension"><ac:adf-attribute key="extension-key">app/env/static/m</ac:adf-attribute>' +
      '<ac:adf-attribute key="extension-type">com.atlassian.ecosystem</ac:adf-attribute><ac:adf-attribute key="parameters">' +
      '<ac:adf-parameter key="guest-params"><ac:adf-parameter key="index" type="integer">3</ac:adf-parameter></ac:adf-parameter></ac:adf-attribute>' +
      '</ac:adf-node><ac:adf-fallback><ac:adf-node type="extension"><ac:adf-attribute key="extension-key">ignored</ac:adf-attribute></ac:adf-node></ac:adf-fallback></ac:adf-extension>';
    const root = parseXhtml(storage);
    expect(readAdfExtension(root.children[0] as XElement)).toEqual({
      type: 'extension',
      attrs: { extensionKey: 'app/env/static/m', extensionType: 'com.atlassian.ecosystem', parameters: { guestParams: { index: 3 } } },
    });
  });
});

describe('storage → ADF', () => {
  it('converts simple content into a valid ADF document', () => {
    const storage =
      '<h1>Payments</h1><p>Owner: <ac:link><ri:user ri:account-id="acc-9" /></ac:link>, RTO <strong>1 h</strong>&nbsp;&amp; RPO <em>15 min</em><br />next line</p>' +
      '<ul><li>Fail over<ul><li>nested</li></ul></li><li><p>Para item</p></li></ul>' +
      '<table><tbody><tr><th>Role</th><th>Who</th></tr><tr><td>Lead</td><td><p>Casey</p></td></tr></tbody></table>' +
      '<ac:structured-macro ac:name="info"><ac:rich-text-body><h3>Note</h3><p>Reviewed yearly</p></ac:rich-text-body></ac:structured-macro>' +
      '<ac:structured-macro ac:name="toc"><ac:parameter ac:name="maxLevel">2</ac:parameter></ac:structured-macro>' +
      '<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>Call vendor</ac:task-body></ac:task></ac:task-list>' +
      '<p><ac:structured-macro ac:name="status"><ac:parameter ac:name="title">Approved</ac:parameter><ac:parameter ac:name="colour">Green</ac:parameter></ac:structured-macro> on <time datetime="2026-01-15" /></p>' +
      '<pre>line 1\n  line 2</pre><blockquote><p>quoted</p></blockquote><hr />';
    const adf = storageToAdf(storage);
    expect(adfProblem(adf)).toBeUndefined();
    expect(adf.content?.map((n) => n.type)).toEqual(['heading', 'paragraph', 'bulletList', 'table', 'panel', 'extension', 'taskList', 'paragraph', 'codeBlock', 'blockquote', 'rule']);
    expect(adf.content?.[1]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Owner: ' },
        { type: 'mention', attrs: { id: 'acc-9', text: '' } },
        { type: 'text', text: ', RTO ' },
        { type: 'text', text: '1 h', marks: [{ type: 'strong' }] },
        { type: 'text', text: '\u00a0& RPO ' },
        { type: 'text', text: '15 min', marks: [{ type: 'em' }] },
        { type: 'hardBreak' },
        { type: 'text', text: 'next line' },
      ],
    });
    expect(adf.content?.[2]).toEqual({
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Fail over' }] }, { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'nested' }] }] }] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Para item' }] }] },
      ],
    });
    expect(adf.content?.[4]).toEqual({ type: 'panel', attrs: { panelType: 'info' }, content: [{ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Note' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'Reviewed yearly' }] }] });
    expect(adf.content?.[5]).toEqual({ type: 'extension', attrs: { extensionType: 'com.atlassian.confluence.macro.core', extensionKey: 'toc', parameters: { macroParams: { maxLevel: { value: '2' } }, macroMetadata: { schemaVersion: { value: '1' }, title: 'toc' } } } });
    expect(adf.content?.[6]).toEqual({ type: 'taskList', attrs: { localId: 'task-list-1' }, content: [{ type: 'taskItem', attrs: { localId: '1', state: 'DONE' }, content: [{ type: 'text', text: 'Call vendor' }] }] });
    expect(adf.content?.[7]).toEqual({ type: 'paragraph', content: [{ type: 'status', attrs: { text: 'Approved', color: 'green' } }, { type: 'text', text: ' on ' }, { type: 'date', attrs: { timestamp: String(Date.parse('2026-01-15')) } }] });
    expect(adf.content?.[8]).toEqual({ type: 'codeBlock', content: [{ type: 'text', text: 'line 1\n  line 2' }] });
  });

  it('uses the adf-fallback of an ac:adf-extension it cannot read', () => {
    const storage = '<ac:adf-extension><ac:adf-node type="decision-list"></ac:adf-node><ac:adf-fallback><ul><li>Decided</li></ul></ac:adf-fallback></ac:adf-extension>';
    expect(storageToAdf(storage).content).toEqual([{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Decided' }] }] }] }]);
  });

  it('round-trips what the app writes: ADF → storage → ADF', () => {
    const adf = doc(
      heading({ level: 1 })(text('Plan')),
      p(text('RTO '), strong('60 min'), text(', see '), link({ href: 'https://status.example.com' })(text('status page'))),
      orderedList()(listItem([p(text('Declare'))]), listItem([p(text('Recover'))])),
    ) as AdfNode;
    expect(storageToAdf(adfToStorage(adf))).toEqual(adf);
  });
});

describe('storageProblem', () => {
  it.each([
    ['<p>ok &amp; fine &nbsp;</p><br><hr/>', undefined],
    ['<p>R&D</p>', 'unescaped "&" at offset 4 (write &amp;)'],
    ['<p>a < b</p>', 'malformed tag or unescaped "<" at offset 5 (write &lt;)'],
    ['<p>&bogus;</p>', 'unknown entity &bogus; at offset 3'],
    ['<p><em>x</p></em>', '</p> at offset 8 does not close <em>'],
    ['<p>x', '<p> is never closed'],
    ['</p>', '</p> at offset 0 closes nothing'],
    ['<p><![CDATA[x</p>', 'unterminated CDATA section at offset 3'],
    ['<a href="x&y">l</a>', 'unescaped "&" at offset 10 (write &amp;)'],
  ])('%s → %s', (src, problem) => {
    expect(storageProblem(src)).toBe(problem);
  });
});

describe('conversion robustness (seeded random storage documents)', () => {
  const TAGS = ['p', 'h2', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'code', 'pre', 'blockquote', 'table', 'tr', 'td', 'th', 'span', 'div', 'br', 'hr', 'ac:task-list', 'ac:structured-macro', 'ac:layout-cell', 'time', 'u', 's', 'sub', 'ac:link', 'ac:emoticon'];
  let seed = 20260301;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  function gen(depth: number): string {
    if (depth > 4 || rnd(4) === 0) return ['text', ' ', 'a &amp; b', '\n', 'x<br />y', '&lt;script&gt;'][rnd(6)];
    const t = TAGS[rnd(TAGS.length)];
    const kids = Array.from({ length: rnd(4) }, () => gen(depth + 1)).join('');
    switch (t) {
      case 'br':
      case 'hr':
        return `<${t} />`;
      case 'ac:structured-macro': {
        const name = ['info', 'code', 'status', 'toc', 'expand', 'note', 'panel', 'jira'][rnd(8)];
        const body = rnd(2) ? `<ac:rich-text-body>${kids}</ac:rich-text-body>` : '<ac:plain-text-body><![CDATA[c < d]]></ac:plain-text-body>';
        return `<ac:structured-macro ac:name="${name}"><ac:parameter ac:name="title">T</ac:parameter>${body}</ac:structured-macro>`;
      }
      case 'ac:task-list':
        return `<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>${kids}</ac:task-body></ac:task></ac:task-list>`;
      case 'a':
        return `<a href="https://x.example/?a=1&amp;b=2">${kids}</a>`;
      case 'time':
        return '<time datetime="2026-01-02" />';
      case 'ac:link':
        return '<ac:link><ri:user ri:account-id="abc" /></ac:link>';
      case 'ac:emoticon':
        return '<ac:emoticon ac:name="smile" />';
      default:
        return `<${t}>${kids}</${t}>`;
    }
  }

  it('always yields schema-valid ADF, and well-formed storage on the way back', () => {
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      const storage = Array.from({ length: 1 + rnd(4) }, () => gen(0)).join('');
      const adf = storageToAdf(storage);
      const problem = adfProblem(adf) ?? storageProblem(adfToStorage(adf));
      if (problem) failures.push(`${problem} for ${storage}`);
    }
    expect(failures).toEqual([]);
  });
});
