/**
 * Writing the postmortem page in Confluence. A new page goes under the configured postmortems parent;
 * an existing one (its id kept on the incident's record, never found by title) gets version + 1 of the
 * version read, built from the page as it is now so the sections people wrote are kept, and on a
 * conflict (someone saved meanwhile) the page is read again and rebuilt from the newer version: neither
 * the person's text nor the app's update is lost.
 */
import type { DocNode } from '@atlaskit/adf-schema';
import { ContinuityError, conflict, invalidInput } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { adfPlainText } from '../domain/plans/adf-text';
import { postmortemAdf, postmortemTitle } from '../domain/pages/postmortem';
import type { PostmortemInput } from '../domain/pages/postmortem-input';
import type { AppDeps, ConfluencePage, ConfluenceSpace } from '../ports';
import { requireConnected } from './plans/confluence';

export type PageDeps = Pick<AppDeps, 'confluence'>;

/** Attempts before giving up on a page that keeps changing under the app. */
export const WRITE_ATTEMPTS = 4;

export interface PostmortemLocation {
  space: ConfluenceSpace;
  parentId: string;
}

/**
 * Where postmortems go: the postmortem space and parent page from the settings; without a postmortem
 * space, the plans' space and parent; without a parent, the space's home page. INVALID_INPUT names the
 * setting at fault.
 */
export async function postmortemLocation(settings: ContinuitySettings, deps: PageDeps): Promise<PostmortemLocation> {
  requireConnected(deps);
  const own = settings.postmortemSpaceKey !== undefined;
  const key = settings.postmortemSpaceKey ?? settings.planSpaceKey;
  if (!key) throw invalidInput('Name the Confluence space for postmortems (or for plan pages) in the app settings first.', 'postmortemSpaceKey');
  const space = await deps.confluence.spaceByKey(key);
  if (!space) throw invalidInput(`Confluence has no space with the key ${key} that the app can see.`, own ? 'postmortemSpaceKey' : 'planSpaceKey');
  const parentId = settings.postmortemParentPageId ?? (own ? undefined : settings.planParentPageId) ?? space.homepageId;
  if (!parentId) throw invalidInput(`Name the parent page for postmortems: the space ${space.key} has no home page.`, 'postmortemParentPageId');
  return { space, parentId };
}

export interface PageWritten {
  page: ConfluencePage;
  /** The body as written (the kept human sections included). */
  body: DocNode;
  created: boolean;
  conflicts: number;
}

/** Updates the existing page, re-reading and rebuilding on a conflict. NOT_FOUND: the page is gone. */
export async function updatePostmortemPage(pageId: string, input: PostmortemInput, deps: PageDeps): Promise<PageWritten> {
  let conflicts = 0;
  for (;;) {
    const read = await deps.confluence.getPage(pageId, { body: true });
    if (read.status !== 'current') throw new ContinuityError('NOT_FOUND', `The postmortem page ${pageId} is ${read.status}.`);
    const body = postmortemAdf(input, read.body);
    try {
      // The title people gave the page is kept: renaming it is theirs to do.
      const page = await deps.confluence.updatePage({ id: pageId, title: read.title, version: read.version + 1, body, message: 'Updated by Service Continuity' });
      return { page, body, created: false, conflicts };
    } catch (error) {
      if (!(error instanceof ContinuityError && error.code === 'CONFLICT') || conflicts + 1 >= WRITE_ATTEMPTS) throw error;
      conflicts += 1;
    }
  }
}

/**
 * Creates the page. Only the holder of the record's creation claim calls this, so a title clash is
 * either the app's own page from an attempt whose answer was lost (version 1, written by the app for
 * this incident: taken) or someone else's page of that title (refused, saying what to do).
 */
export async function createPostmortemPage(input: PostmortemInput, location: PostmortemLocation, deps: PageDeps): Promise<PageWritten> {
  const title = postmortemTitle(input);
  const body = postmortemAdf(input);
  try {
    const page = await deps.confluence.createPage({ spaceId: location.space.id, parentId: location.parentId, title, body });
    return { page, body, created: true, conflicts: 0 };
  } catch (error) {
    if (!(error instanceof ContinuityError) || (error.code !== 'INVALID_INPUT' && error.code !== 'UPSTREAM_UNAVAILABLE')) throw error;
    const found = await deps.confluence.findPageByTitle(location.space.id, title);
    if (!found) throw error;
    const page = await deps.confluence.getPage(found.id, { body: true });
    const text = adfPlainText(page.body);
    if (page.version === 1 && text.includes(input.incident.key) && text.includes('Written by the app on')) return { page, body: page.body as DocNode, created: true, conflicts: 0 };
    throw conflict(`A page titled "${title}" already exists in ${location.space.key}: rename or move it, then publish again.`, 'postmortem');
  }
}
