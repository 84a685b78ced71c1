import { doc, p, text, link, mention, status, codeBlock, inlineCard, extension, bodiedExtension } from '@atlaskit/adf-utils/builders';
import { renderAdfHtml, renderStorageHtml } from './render';

const FORBIDDEN = /<script|<iframe|<object|<embed|<svg|<math|<style|<form|\son[a-z]+\s*=|javascript:|vbscript:|data:text|style=/i;

describe('renderStorageHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>after</p>', '<p>after</p>'],
    ['<p><img src="x" onerror="alert(1)" /></p>', '<p><img src="x"></p>'],
    ['<p><a href="javascript:alert(1)">x</a></p>', '<p><a>x</a></p>'],
    ['<p><a href=" jav&#x09;ascript:alert(1)">x</a></p>', '<p><a>x</a></p>'],
    ['<p><a href="JaVaScRiPt:alert(1)">x</a></p>', '<p><a>x</a></p>'],
    ['<p><a href="data:text/html;base64,PHNjcmlwdD4=">x</a></p>', '<p><a>x</a></p>'],
    ['<p><a href="https://example.com/a?b=1&amp;c=&quot;2&quot;">ok</a></p>', '<p><a href="https://example.com/a?b=1&amp;c=&quot;2&quot;" rel="nofollow noopener noreferrer">ok</a></p>'],
    ['<p><img src="javascript:alert(1)" alt="&quot; onload=&quot;alert(1)" /></p>', '<p><img alt="&quot; onload=&quot;alert(1)"></p>'],
    ['<p onmouseover="alert(1)" style="x" class="y">t</p>', '<p>t</p>'],
    ['<custom onload="alert(1)">inner</custom>', 'inner'],
    ['<iframe src="https://evil"></iframe><object data="x"></object><embed src="x" /><svg onload="alert(1)"><circle/></svg><math><mi>x</mi></math>', ''],
    ['<style>body{}</style><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
    ['<p><!-- <script>alert(1)</script> -->c</p>', '<p>c</p>'],
    ['<p>"><script>alert(1)</script></p>', '<p>&quot;&gt;</p>'],
    ['<table><tr><td colspan="2" onclick="x">a</td><td rowspan="x">b</td></tr></table>', '<table><tr><td colspan="2">a</td><td>b</td></tr></table>'],
  ])('%s', (input, expected) => {
    const html = renderStorageHtml(input);
    expect(html).toBe(expected);
    expect(html).not.toMatch(/<script|onerror=|onload=\"|onmouseover|onclick|javascript:|<iframe|<svg/i);
  });

  it('renders macros as labelled placeholder boxes with escaped parameters and bodies', () => {
    const html = renderStorageHtml(
      '<ac:structured-macro ac:name="info"><ac:parameter ac:name="title">&lt;b&gt;T</ac:parameter><ac:rich-text-body><p>Body <script>alert(1)</script></p></ac:rich-text-body></ac:structured-macro>' +
        '<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[<script>alert("x")</script>]]></ac:plain-text-body></ac:structured-macro>' +
        '<p>Status: <ac:structured-macro ac:name="status"><ac:parameter ac:name="title">at risk</ac:parameter><ac:parameter ac:name="colour">Red</ac:parameter></ac:structured-macro></p>',
    );
    expect(html).toBe(
      '<div class="wb-macro" data-macro-name="info"><span class="wb-macro-label">Macro: info</span><dl class="wb-macro-params"><dt>title</dt><dd>&lt;b&gt;T</dd></dl><div class="wb-macro-body"><p>Body </p></div></div>' +
        '<div class="wb-macro" data-macro-name="code"><span class="wb-macro-label">Macro: code</span><pre class="wb-macro-plain"><code>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</code></pre></div>' +
        '<p>Status: <span class="wb-status" data-colour="red">AT RISK</span></p>',
    );
    expect(renderStorageHtml('<ac:structured-macro ac:name="x&quot; onload=&quot;alert(1)"></ac:structured-macro>')).toBe(
      '<div class="wb-macro" data-macro-name="x&quot; onload=&quot;alert(1)"><span class="wb-macro-label">Macro: x&quot; onload=&quot;alert(1)</span></div>',
    );
  });

  it('renders a stored Forge macro as a data-forge-macro placeholder', () => {
    const html = renderStorageHtml(
      '<ac:adf-extension><ac:adf-node type="extension"><ac:adf-attribute key="extension-key">app/env/static/plan-status</ac:adf-attribute>' +
        '<ac:adf-attribute key="extension-type">com.atlassian.ecosystem</ac:adf-attribute><ac:adf-attribute key="parameters"><ac:adf-parameter key="guest-params">' +
        '<ac:adf-parameter key="plan-id">&quot;&gt;&lt;script&gt;</ac:adf-parameter></ac:adf-parameter></ac:adf-attribute><ac:adf-attribute key="text">Plan status</ac:adf-attribute></ac:adf-node>' +
        '<ac:adf-fallback><p>fallback</p></ac:adf-fallback></ac:adf-extension>',
    );
    expect(html).toBe(
      '<div class="wb-forge-macro" data-forge-macro="app/env/static/plan-status" data-extension-key="app/env/static/plan-status" data-extension-type="com.atlassian.ecosystem" ' +
        'data-parameters="{&quot;guestParams&quot;:{&quot;planId&quot;:&quot;\\&quot;&gt;&lt;script&gt;&quot;}}"><span class="wb-macro-label">App macro: Plan status</span></div>',
    );
  });

  it('shows the adf-fallback of an ac:adf-extension that is not an extension node', () => {
    const storage = '<ac:adf-extension><ac:adf-node type="decision-list"><ac:adf-node type="decision-item"><ac:adf-content>Go</ac:adf-content></ac:adf-node></ac:adf-node><ac:adf-fallback><ul><li>Go <script>x</script></li></ul></ac:adf-fallback></ac:adf-extension>';
    expect(renderStorageHtml(storage)).toBe('<ul><li>Go </li></ul>');
  });

  it('renders task lists, user links and images as text-only widgets', () => {
    const html = renderStorageHtml(
      '<ac:task-list><ac:task><ac:task-status>complete</ac:task-status><ac:task-body>Done <strong>it</strong></ac:task-body></ac:task></ac:task-list>' +
        '<p><ac:link><ri:user ri:account-id="5b10ac8d82e05b22cc7d4ef5" /></ac:link> <ac:image><ri:attachment ri:filename="&lt;x&gt;.png" /></ac:image> <ac:link><ri:url ri:value="javascript:alert(1)" /></ac:link></p>',
      { userName: (id) => (id === '5b10ac8d82e05b22cc7d4ef5' ? 'Casey <Continuity>' : undefined) },
    );
    expect(html).toBe(
      '<ul class="wb-task-list"><li class="wb-task" data-state="DONE"><span class="wb-task-box">\u2611</span> Done <strong>it</strong></li></ul>' +
        '<p><span class="wb-mention" data-account-id="5b10ac8d82e05b22cc7d4ef5">@Casey &lt;Continuity&gt;</span> <span class="wb-image-placeholder">[image: &lt;x&gt;.png]</span> <span class="wb-link">javascript:alert(1)</span></p>',
    );
  });
});

describe('renderAdfHtml', () => {
  it('names a mentioned person by their account, as Confluence does, the text being only a fallback', () => {
    const named = renderAdfHtml(doc(p(mention({ id: 'acc-casey', text: '@plan owner' }))), { userName: (id) => (id === 'acc-casey' ? 'Casey Continuity' : undefined) });
    expect(named).toBe('<p><span class="wb-mention" data-account-id="acc-casey">@Casey Continuity</span></p>');
    expect(renderAdfHtml(doc(p(mention({ id: 'acc-gone', text: '@plan owner' }))), { userName: () => undefined })).toContain('>@plan owner</span>');
  });

  it('escapes every text and drops unsafe links', () => {
    const html = renderAdfHtml(
      doc(
        p(text('<script>alert(1)</script>'), link({ href: 'javascript:alert(2)' })(text('bad')), text(' '), link({ href: 'https://ok.example/?q="x"' })(text('good'))),
        p(mention({ id: 'acc" onmouseover="x', text: '@<b>Eve</b>' }), status({ text: '<img src=x onerror=alert(3)>', color: 'red', localId: 's' }), inlineCard({ url: 'javascript:alert(4)' })),
        codeBlock({ language: '"><script>' })(text('</code><script>alert(5)</script>')),
      ),
    );
    expect(html).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;bad <a href="https://ok.example/?q=&quot;x&quot;" rel="nofollow noopener noreferrer">good</a></p>' +
        '<p><span class="wb-mention" data-account-id="acc&quot; onmouseover=&quot;x">@&lt;b&gt;Eve&lt;/b&gt;</span><span class="wb-status" data-colour="red">&lt;IMG SRC=X ONERROR=ALERT(3)&gt;</span></p>' +
        '<pre class="wb-code" data-language="&quot;&gt;&lt;script&gt;"><code>&lt;/code&gt;&lt;script&gt;alert(5)&lt;/script&gt;</code></pre>',
    );
    expect(html).not.toMatch(/<script|\son[a-z]+="|javascript:/i);
  });

  it('renders Forge macros as placeholders and other extensions as labelled boxes', () => {
    const html = renderAdfHtml(
      doc(
        extension({ extensionType: 'com.atlassian.ecosystem', extensionKey: 'a/b/static/m', parameters: { guestParams: { n: 1 } } }),
        bodiedExtension({ extensionType: 'com.atlassian.confluence.macro.core', extensionKey: 'details', parameters: { macroParams: { id: { value: 'x' } } } })(p(text('inside'))),
      ),
    );
    expect(html).toBe(
      '<div class="wb-forge-macro" data-forge-macro="a/b/static/m" data-extension-key="a/b/static/m" data-extension-type="com.atlassian.ecosystem" data-parameters="{&quot;guestParams&quot;:{&quot;n&quot;:1}}"><span class="wb-macro-label">App macro: m</span></div>' +
        '<div class="wb-macro" data-macro-name="details"><span class="wb-macro-label">Macro: details</span><dl class="wb-macro-params"><dt>id</dt><dd>x</dd></dl><div class="wb-macro-body"><p>inside</p></div></div>',
    );
  });

  it('never emits a forbidden construct for a hostile document', () => {
    const hostile = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '<svg onload=alert(1)>', marks: [{ type: 'link', attrs: { href: ' vbscript:msgbox(1)' } }] }] }, { type: 'unknownNode', content: [{ type: 'text', text: '<iframe>' }] }, { type: 'heading', attrs: { level: '1 onclick=x' }, content: [] }] };
    const html = renderAdfHtml(hostile);
    expect(html).toBe('<p>&lt;svg onload=alert(1)&gt;</p>&lt;iframe&gt;<h1></h1>');
    expect(html.replace(/&lt;[^&]*&gt;/g, '')).not.toMatch(FORBIDDEN);
  });
});
