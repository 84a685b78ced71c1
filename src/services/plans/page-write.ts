/**
 * The app's writes to a plan page: version + 1 of the version it read, and on a conflict (someone
 * saved meanwhile) read the page again and apply the same transforms to the newer version. The
 * transforms (domain/pages/plan-edit.ts) change only what they are about and are idempotent, so
 * neither the person's text nor the app's change is lost, and a retried write never doubles a row.
 */
import { ContinuityError } from '../../domain/errors';
import { applyAll, toPageDoc, type PageTransform } from '../../domain/pages/plan-edit';
import type { AppDeps, ConfluencePage } from '../../ports';

/** Attempts before giving up on a page that keeps changing under the app. */
export const WRITE_ATTEMPTS = 4;

export interface PageWrite {
  /** The page as it is after the write (or as read, when the transforms changed nothing). */
  page: ConfluencePage & { body: unknown };
  written: boolean;
  /** Conflicts met on the way (someone saved between the app's read and its write). */
  conflicts: number;
}

export async function writePlanPage(pageId: string, transforms: readonly PageTransform[], deps: Pick<AppDeps, 'confluence'>, message?: string): Promise<PageWrite> {
  let conflicts = 0;
  for (;;) {
    const read = await deps.confluence.getPage(pageId, { body: true });
    const before = toPageDoc(read.body);
    const after = applyAll(before, transforms);
    if (after === before) return { page: { ...read, body: before }, written: false, conflicts };
    try {
      const written = await deps.confluence.updatePage({ id: pageId, title: read.title, version: read.version + 1, body: after, ...(message ? { message } : {}) });
      return { page: { ...written, body: after }, written: true, conflicts };
    } catch (error) {
      if (!(error instanceof ContinuityError && error.code === 'CONFLICT') || conflicts + 1 >= WRITE_ATTEMPTS) throw error;
      conflicts += 1;
    }
  }
}
