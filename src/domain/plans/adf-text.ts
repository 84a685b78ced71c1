/** All text of an ADF node, paragraphs of a document on their own lines. Pure. */
export function adfPlainText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { type?: string; text?: unknown; content?: unknown[] };
  if (n.type === 'text' && typeof n.text === 'string') return n.text;
  return Array.isArray(n.content) ? n.content.map(adfPlainText).join(n.type === 'doc' ? '\n' : '') : '';
}
