/**
 * Confluence page addresses: the page id of a link a person pasted ("Adopt a page" by URL). Pure.
 * Only pages of this site are accepted: the app reads and writes pages by id through its own
 * Confluence, and a link elsewhere would bind a plan to a page it can never read.
 */
import { invalidInput } from '../errors';

/** Page ids are positive integers (Confluence's `long`). */
export const PAGE_ID = /^\d{1,19}$/;

/**
 * The page id in a Confluence page link on `siteUrl`: `/wiki/spaces/KEY/pages/123/Title`,
 * `/wiki/spaces/KEY/pages/edit-v2/123`, `/wiki/pages/viewpage.action?pageId=123`; a bare page id is
 * accepted too. Throws INVALID_INPUT on `field` otherwise (tiny links `/wiki/x/...` need a lookup the
 * app does not make, and say so).
 */
export function pageIdFromAddress(address: unknown, siteUrl: string, field = 'pageUrl'): string {
  if (typeof address !== 'string' || address.trim() === '') throw invalidInput('Paste the link of the Confluence page.', field);
  const text = address.trim();
  if (PAGE_ID.test(text)) return text;
  if (text.length > 2_000) throw invalidInput('The link is too long to be a Confluence page link.', field);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidInput('The link must be a Confluence page link, such as …/wiki/spaces/KEY/pages/123/Title.', field);
  }
  const site = new URL(siteUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidInput('The link must be a web address (https).', field);
  if (url.host.toLowerCase() !== site.host.toLowerCase()) throw invalidInput(`The page must be on this site (${site.host}).`, field);
  const path = url.pathname;
  const inPath = /^\/wiki\/spaces\/[^/]+\/pages\/(?:edit-v2\/)?(\d{1,19})(?:\/|$)/.exec(path);
  if (inPath) return inPath[1];
  if (/^\/wiki\/pages\/(viewpage|editpage)\.action$/.test(path)) {
    const id = url.searchParams.get('pageId');
    if (id && PAGE_ID.test(id)) return id;
  }
  if (/^\/wiki\/x\//.test(path)) throw invalidInput('Short links (…/wiki/x/…) cannot be adopted; open the page and copy its full link.', field);
  throw invalidInput('The link must be a Confluence page link, such as …/wiki/spaces/KEY/pages/123/Title.', field);
}
