/**
 * A small, forgiving parser for Confluence storage format (XHTML with `ac:` / `ri:` elements).
 *
 * It never throws and never passes input through: callers rebuild output from the tree it returns
 * (the renderer escapes every text and attribute it emits and only writes element names from its own
 * allow-list), so a misparse can garble a page view but cannot inject markup.
 */

export interface XText {
  type: 'text';
  /** Decoded text (entities resolved; CDATA taken verbatim). */
  text: string;
}

export interface XElement {
  type: 'element';
  /** Lower-cased name, namespace prefix kept (`p`, `ac:structured-macro`, `ri:user`). */
  name: string;
  /** Attribute names lower-cased, values decoded. */
  attrs: Record<string, string>;
  children: XNode[];
}

export type XNode = XText | XElement;

const VOID = new Set(['br', 'hr', 'img', 'col', 'input', 'meta', 'link', 'area', 'base', 'wbr', 'source', 'param', 'embed', 'track']);

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '\u2013', mdash: '\u2014',
  lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', hellip: '\u2026', copy: '\u00a9',
  reg: '\u00ae', trade: '\u2122', bull: '\u2022', middot: '\u00b7', laquo: '\u00ab', raquo: '\u00bb',
  euro: '\u20ac', pound: '\u00a3', yen: '\u00a5', cent: '\u00a2', times: '\u00d7', divide: '\u00f7', deg: '\u00b0',
  plusmn: '\u00b1', para: '\u00b6', sect: '\u00a7', shy: '\u00ad', larr: '\u2190', rarr: '\u2192', uarr: '\u2191',
  darr: '\u2193', harr: '\u2194', le: '\u2264', ge: '\u2265', ne: '\u2260', asymp: '\u2248', infin: '\u221e',
  auml: '\u00e4', ouml: '\u00f6', uuml: '\u00fc', Auml: '\u00c4', Ouml: '\u00d6', Uuml: '\u00dc', szlig: '\u00df',
  eacute: '\u00e9', egrave: '\u00e8', agrave: '\u00e0', aacute: '\u00e1', ccedil: '\u00e7', ntilde: '\u00f1',
  oacute: '\u00f3', iacute: '\u00ed', uacute: '\u00fa', ecirc: '\u00ea', zwj: '\u200d', zwnj: '\u200c', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009',
};

function codePoint(n: number): string {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(n);
}

/** Resolves character references; an unknown named reference is kept as written (and later escaped). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref[0] === '#') return codePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return Object.prototype.hasOwnProperty.call(NAMED, ref) ? NAMED[ref] : whole;
  });
}

const NAME_RE = /[A-Za-z][A-Za-z0-9:._-]*/y;
const ATTR_NAME_RE = /[^\s"'>/=]+/y;
const WS_RE = /[\s]*/y;

function matchAt(re: RegExp, src: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(src);
  return m ? m[0] : null;
}

/** Parses storage XHTML into a tree under a synthetic `#root` element. */
export function parseXhtml(src: string): XElement {
  const root: XElement = { type: 'element', name: '#root', attrs: {}, children: [] };
  const stack: XElement[] = [root];
  const top = () => stack[stack.length - 1];
  const pushText = (text: string) => {
    if (!text) return;
    const kids = top().children;
    const last = kids[kids.length - 1];
    if (last && last.type === 'text') last.text += text;
    else kids.push({ type: 'text', text });
  };

  let i = 0;
  const n = src.length;
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt === -1) {
      pushText(decodeEntities(src.slice(i)));
      break;
    }
    if (lt > i) pushText(decodeEntities(src.slice(i, lt)));
    i = lt;

    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      pushText(src.slice(i + 9, end === -1 ? n : end));
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (src.startsWith('<!', i) || src.startsWith('<?', i)) {
      const end = src.indexOf('>', i + 2);
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (src[i + 1] === '/') {
      const name = matchAt(NAME_RE, src, i + 2);
      if (!name) {
        pushText('<');
        i += 1;
        continue;
      }
      const end = src.indexOf('>', i + 2 + name.length);
      i = end === -1 ? n : end + 1;
      const lname = name.toLowerCase();
      for (let k = stack.length - 1; k > 0; k--) {
        if (stack[k].name === lname) {
          stack.length = k;
          break;
        }
      }
      continue;
    }
    const name = matchAt(NAME_RE, src, i + 1);
    if (!name) {
      pushText('<');
      i += 1;
      continue;
    }
    // A start tag: read attributes until `>` or `/>`.
    let j = i + 1 + name.length;
    const attrs: Record<string, string> = {};
    let selfClosing = false;
    for (;;) {
      j += (matchAt(WS_RE, src, j) ?? '').length;
      if (j >= n) break;
      if (src[j] === '>') {
        j += 1;
        break;
      }
      if (src.startsWith('/>', j)) {
        selfClosing = true;
        j += 2;
        break;
      }
      if (src[j] === '/') {
        j += 1;
        continue;
      }
      const an = matchAt(ATTR_NAME_RE, src, j);
      if (!an) {
        j += 1;
        continue;
      }
      j += an.length;
      j += (matchAt(WS_RE, src, j) ?? '').length;
      let value = '';
      if (src[j] === '=') {
        j += 1;
        j += (matchAt(WS_RE, src, j) ?? '').length;
        const q = src[j];
        if (q === '"' || q === "'") {
          const end = src.indexOf(q, j + 1);
          value = src.slice(j + 1, end === -1 ? n : end);
          j = end === -1 ? n : end + 1;
        } else {
          const m = /[^\s>]*/y;
          m.lastIndex = j;
          value = m.exec(src)?.[0] ?? '';
          if (value.endsWith('/') && src[j + value.length] === '>') value = value.slice(0, -1);
          j += value.length;
        }
      }
      const key = an.toLowerCase();
      if (!(key in attrs)) attrs[key] = decodeEntities(value);
    }
    i = j;
    const lname = name.toLowerCase();
    const el: XElement = { type: 'element', name: lname, attrs, children: [] };
    top().children.push(el);
    if (!selfClosing && !VOID.has(lname)) stack.push(el);
  }
  return root;
}

export function isElement(node: XNode | undefined, name?: string): node is XElement {
  return !!node && node.type === 'element' && (name === undefined || node.name === name);
}

/** The concatenated text of a subtree. */
export function textOf(node: XNode): string {
  if (node.type === 'text') return node.text;
  return node.children.map(textOf).join('');
}

export function childElements(node: XElement, name?: string): XElement[] {
  return node.children.filter((c): c is XElement => isElement(c, name));
}

export function firstChild(node: XElement, name: string): XElement | undefined {
  return childElements(node, name)[0];
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const ENTITY_RE = /&(#[0-9]{1,8}|#x[0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/y;
const END_TAG_RE = /<\/([A-Za-z][A-Za-z0-9:._-]*)\s*>/y;
const START_TAG_RE = /<([A-Za-z][A-Za-z0-9:._-]*)((?:\s+[^\s"'<>/=]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;

function entityProblem(text: string, offset: number): string | undefined {
  for (let k = text.indexOf('&'); k !== -1; k = text.indexOf('&', k + 1)) {
    ENTITY_RE.lastIndex = k;
    const m = ENTITY_RE.exec(text);
    if (!m) return `unescaped "&" at offset ${offset + k} (write &amp;)`;
    const ref = m[1];
    if (ref[0] !== '#' && !XML_ENTITIES.has(ref) && !Object.prototype.hasOwnProperty.call(NAMED, ref)) return `unknown entity &${ref}; at offset ${offset + k}`;
  }
  return undefined;
}

/**
 * Confluence parses storage format as XML and refuses a body that is not well formed ("Error parsing xhtml").
 * Returns undefined when `src` is well formed enough for Confluence, else a reason naming the offset: a bare `&`
 * or `<`, an unknown entity, a malformed tag, a mismatched or unclosed element. HTML void elements (`<br>`) are
 * tolerated without a closing slash, as Confluence's parser does.
 */
export function storageProblem(src: string): string | undefined {
  const stack: string[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const lt = src.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    const bad = entityProblem(src.slice(i, textEnd), i);
    if (bad) return bad;
    if (lt === -1) break;
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end === -1) return `unterminated comment at offset ${i}`;
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      if (end === -1) return `unterminated CDATA section at offset ${i}`;
      i = end + 3;
    } else if (src.startsWith('</', i)) {
      END_TAG_RE.lastIndex = i;
      const m = END_TAG_RE.exec(src);
      if (!m) return `malformed end tag at offset ${i}`;
      const name = m[1].toLowerCase();
      const open = stack.pop();
      if (open !== name) return open ? `</${name}> at offset ${i} does not close <${open}>` : `</${name}> at offset ${i} closes nothing`;
      i += m[0].length;
    } else if (src.startsWith('<!', i) || src.startsWith('<?', i)) {
      const end = src.indexOf('>', i + 2);
      if (end === -1) return `malformed declaration at offset ${i}`;
      i = end + 1;
    } else {
      START_TAG_RE.lastIndex = i;
      const m = START_TAG_RE.exec(src);
      if (!m) return `malformed tag or unescaped "<" at offset ${i} (write &lt;)`;
      const attrBad = entityProblem(m[2], i + 1 + m[1].length);
      if (attrBad) return attrBad;
      const name = m[1].toLowerCase();
      if (!m[3] && !VOID.has(name)) stack.push(name);
      i += m[0].length;
    }
  }
  return stack.length ? `<${stack[stack.length - 1]}> is never closed` : undefined;
}
