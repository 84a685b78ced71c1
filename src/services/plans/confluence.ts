/**
 * Confluence as the plan features see it: connected or not (said plainly, never as a failure of
 * something else), and where new plan pages go (the settings' space and parent page), checked the way
 * the admin page shows it.
 */
import { ConfluenceNotConnectedError, ContinuityError, invalidInput } from '../../domain/errors';
import type { ContinuitySettings } from '../../domain/incident';
import type { AppDeps, ConfluenceSpace } from '../../ports';

export type ConfluenceDeps = Pick<AppDeps, 'confluence'>;

/** Throws CONFLUENCE_NOT_CONNECTED when the installation says Confluence is not connected. */
export function requireConnected(deps: ConfluenceDeps): void {
  if (deps.confluence.connection() === 'not-connected') throw new ConfluenceNotConnectedError();
}

export function isNotConnected(error: unknown): boolean {
  return error instanceof ContinuityError && error.code === 'CONFLUENCE_NOT_CONNECTED';
}

export interface PlanLocation {
  space: ConfluenceSpace;
  parentId: string;
}

/**
 * The space and parent page new plans are published under: the settings' space (required) and parent
 * page (the space's home page when none is named). Throws INVALID_INPUT naming the setting at fault.
 */
export async function planLocation(settings: Pick<ContinuitySettings, 'planSpaceKey' | 'planParentPageId'>, deps: ConfluenceDeps): Promise<PlanLocation> {
  requireConnected(deps);
  if (!settings.planSpaceKey) throw invalidInput('Name the Confluence space for plan pages in the app settings first.', 'planSpaceKey');
  const space = await deps.confluence.spaceByKey(settings.planSpaceKey);
  if (!space) throw invalidInput(`Confluence has no space with the key ${settings.planSpaceKey} that the app can see.`, 'planSpaceKey');
  const parentId = settings.planParentPageId ?? space.homepageId;
  if (!parentId) throw invalidInput(`Name the parent page for plan pages: the space ${space.key} has no home page.`, 'planParentPageId');
  return { space, parentId };
}

export type LocationCheck =
  | { ok: true; message: string; spaceName: string; parentTitle: string }
  | { ok: false; field: 'planSpaceKey' | 'planParentPageId' | 'confluence'; message: string };

/**
 * Whether plan pages can be published where the settings say, in plain words for the admin page: the
 * space exists, the parent page exists in it, and the app may write there (the parent page's
 * operations, asked as the app).
 */
export async function checkPlanLocation(settings: Pick<ContinuitySettings, 'planSpaceKey' | 'planParentPageId'>, deps: ConfluenceDeps): Promise<LocationCheck> {
  if (deps.confluence.connection() === 'not-connected') return { ok: false, field: 'confluence', message: new ConfluenceNotConnectedError().message };
  try {
    const { space, parentId } = await planLocation(settings, deps);
    const parent = await deps.confluence.getPage(parentId).catch((error) => {
      if (error instanceof ContinuityError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) return undefined;
      throw error;
    });
    if (!parent) return { ok: false, field: 'planParentPageId', message: `Confluence has no page ${parentId} that the app can see.` };
    if (parent.spaceId !== space.id) return { ok: false, field: 'planParentPageId', message: `Page "${parent.title}" is not in the space ${space.key}.` };
    const operations = await deps.confluence.pageOperations(parentId, 'app');
    if (!operations.includes('update')) return { ok: false, field: 'planParentPageId', message: `The app may not write under "${parent.title}": give it edit permission in the space ${space.key}.` };
    return { ok: true, spaceName: space.name, parentTitle: parent.title, message: `Plan pages are published in ${space.name} (${space.key}) under "${parent.title}", and the app can write there.` };
  } catch (error) {
    if (error instanceof ContinuityError && error.code === 'INVALID_INPUT') return { ok: false, field: (error.field as 'planSpaceKey' | 'planParentPageId') ?? 'planSpaceKey', message: error.message };
    if (error instanceof ContinuityError && error.code === 'CONFLUENCE_NOT_CONNECTED') return { ok: false, field: 'confluence', message: error.message };
    throw error;
  }
}
