/**
 * The daily look at every plan page (the page events' safety net, like the incident watch's sweep):
 * a page saved while its event was lost, or while Confluence was not connected to the app, is read
 * back the next day. One page read without its body per plan; the body only for pages that changed.
 */
import type { AppDeps } from '../../ports';
import { loadCatalogue } from '../catalogue';
import { isNotConnected } from './confluence';
import { refreshFromPage } from './read-back';

export type ResyncDeps = Pick<AppDeps, 'confluence' | 'catalogue' | 'planPages' | 'clock' | 'remainingMs' | 'store' | 'indicators'>;

const RESERVE_MS = 30_000;

export interface ResyncRun {
  checked: number;
  read: number;
  failed: number;
  stoppedEarly: boolean;
  confluence: 'connected' | 'not-connected';
}

export async function resyncPlanPages(deps: ResyncDeps): Promise<ResyncRun> {
  const run: ResyncRun = { checked: 0, read: 0, failed: 0, stoppedEarly: false, confluence: 'connected' };
  if (deps.confluence.connection() === 'not-connected') return { ...run, confluence: 'not-connected' };
  const { plans } = await loadCatalogue(deps.catalogue);
  for (const plan of plans) {
    if (!plan.pageId || plan.status === 'retired') continue;
    const left = deps.remainingMs();
    if (left !== undefined && left < RESERVE_MS) return { ...run, stoppedEarly: true };
    run.checked += 1;
    try {
      const page = await deps.confluence.getPage(plan.pageId);
      if (plan.pageVersion !== undefined && page.version <= plan.pageVersion) continue;
      const outcome = await refreshFromPage(plan.pageId, deps, page.version);
      if (outcome.kind !== 'already-read' && outcome.kind !== 'not-a-plan') run.read += 1;
    } catch (error) {
      if (isNotConnected(error)) return { ...run, confluence: 'not-connected' };
      run.failed += 1;
    }
  }
  return run;
}
