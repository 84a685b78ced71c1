/** Escaping and URL rules shared by the page-view renderers. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/**
 * A link or image target that cannot run script: http(s), mailto, or a relative / fragment reference.
 * Anything else (javascript:, data:, vbscript:, obfuscated schemes) yields undefined and the attribute is dropped.
 */
export function safeUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (!value) return undefined;
  // Browsers ignore control characters and whitespace inside a scheme: judge the squeezed form.
  // eslint-disable-next-line no-control-regex
  const squeezed = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  if (/^(https?:|mailto:)/.test(squeezed)) return value;
  const colon = squeezed.indexOf(':');
  const firstDelim = squeezed.search(/[/?#]/);
  if (colon === -1 || (firstDelim !== -1 && firstDelim < colon)) return value;
  return undefined;
}

/** `data-*` attribute text for a JSON value (escaped for a double-quoted attribute). */
export function jsonAttr(value: unknown): string {
  return escapeHtml(JSON.stringify(value ?? null));
}
