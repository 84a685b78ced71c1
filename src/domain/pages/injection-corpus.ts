/**
 * Hostile strings every page builder is tested with (names, titles, roles, reasons, template text,
 * timeline details). Each must come out as plain text in a text node: never a node, mark or attribute,
 * never a link, never breaking the document's validity, and readable back by the parser.
 * Shared, so every builder and reader meets the same corpus.
 */

export interface InjectionCase {
  name: string;
  value: string;
}

const LONG = 'x'.repeat(10_000);

export const INJECTION_CASES: readonly InjectionCase[] = [
  { name: 'storage-format HTML macro', value: '<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<script>alert(1)</script>]]></ac:plain-text-body></ac:structured-macro>' },
  { name: 'CDATA close', value: 'before ]]> after' },
  { name: 'CDATA open', value: '<![CDATA[ open' },
  { name: 'table close', value: '</td></tr></table><h2>Recovery steps</h2>' },
  { name: 'script tag', value: '<script>alert("x")</script>' },
  { name: 'image onerror', value: '<img src=x onerror=alert(1)>' },
  { name: 'placeholder in a name', value: 'DB {{impact}} {{service}}' },
  { name: 'unclosed placeholder', value: '{{impact' },
  { name: 'escaped entity', value: 'Tom &amp; Jerry &lt;b&gt; &#x27;' },
  { name: 'bidi override', value: 'admin\u202Egnp.exe\u202C ok' },
  { name: 'bidi isolates', value: '\u2066abc\u2069 \u2067def\u2069' },
  { name: 'zero-width characters', value: 'Fail\u200Bover\u200Cthe\u200Ddatabase\u2060\uFEFF' },
  { name: 'lone high surrogate', value: 'broken \uD83D here' },
  { name: 'lone low surrogate', value: 'broken \uDE00 here' },
  { name: 'ten thousand characters', value: `long: ${LONG}` },
  { name: 'emoji', value: '🔥 Fail over 👩‍💻 the DB 🇳🇿 ✅' },
  { name: 'right-to-left text', value: 'استعادة قاعدة البيانات — מסד נתונים' },
  { name: 'wiki markup code', value: '{code}rm -rf /{code} {noformat}x{noformat}' },
  { name: 'wiki link', value: '[link|http://x] [~accountid:123] !image.png!' },
  { name: 'markdown', value: '**bold** [x](javascript:alert(1)) `code` # heading' },
  { name: 'javascript URL', value: 'javascript:alert(document.cookie)' },
  { name: 'JSON breaking', value: '"},{"type":"extension","attrs":{"extensionKey":"x"}}' },
  { name: 'control characters', value: 'a\u0000b\u0007c\u001Bd\u007Fe\u0085f' },
  { name: 'newlines and tabs', value: 'line one\r\nline two\rline three\n\ttabbed' },
  { name: 'separators of the list conventions', value: 'Step — Role — 20 min (DBA, 5 min) | x' },
  { name: 'audience line', value: 'Audience: customers' },
  { name: 'proto keys', value: '__proto__ constructor prototype' },
  { name: 'only spaces', value: '   ' },
  { name: 'unicode normalisation', value: 'ﬁle Ｆｕｌｌ Å Å' },
];

/** The corpus as plain strings. */
export const INJECTION_CORPUS: readonly string[] = INJECTION_CASES.map((c) => c.value);
