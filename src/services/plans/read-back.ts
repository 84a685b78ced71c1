/**
 * Reading a plan page back after a page event: the steps, templates and last edit of its plan follow
 * the page. Idempotent by page version (domain/plans/page-sync.ts): the event's own version, when it
 * carries one, skips a read the plan already reflects; otherwise the page is read (as it is now, with
 * its version) and applied only if newer. The plan's lock makes a read of an older version that
 * finishes late unable to overwrite a newer one.
 */
import { readBack, isNewer, type ReadBackOutcome } from '../../domain/plans/page-sync';
import type { AppDeps } from '../../ports';
import { withPlanLock } from './lock';
import { savePlans } from './save';
import { withEditorName } from './views';

export type ReadBackDeps = Pick<AppDeps, 'confluence' | 'catalogue' | 'planPages' | 'clock' | 'store' | 'indicators'>;

export type RefreshOutcome = { kind: 'not-a-plan' } | { kind: 'already-read'; planId: string } | { kind: ReadBackOutcome['kind']; planId: string; version: number };

export async function refreshFromPage(pageId: string, deps: ReadBackDeps, eventVersion?: number): Promise<RefreshOutcome> {
  const bound = await deps.planPages.planForPage(pageId);
  if (!bound || bound.status === 'retired') return { kind: 'not-a-plan' };
  if (eventVersion !== undefined && !isNewer(bound, eventVersion)) return { kind: 'already-read', planId: bound.id };
  return withPlanLock(bound.id, deps, async () => {
    // Read again under the lock: the index may lag, and another holder may have read a newer version.
    const plan = (await deps.catalogue.getPlan(bound.id)) ?? bound;
    if (plan.pageId !== pageId) return { kind: 'not-a-plan' } as const;
    if (eventVersion !== undefined && !isNewer(plan, eventVersion)) return { kind: 'already-read', planId: plan.id } as const;
    const page = await deps.confluence.getPage(pageId, { body: true });
    const outcome = readBack(plan, { version: page.version, url: page.url, editedBy: page.editedBy, editedAt: page.editedAt, body: page.body });
    if (outcome.kind === 'already-read') return { kind: 'already-read', planId: plan.id } as const;
    await savePlans([await withEditorName(outcome.plan, deps)], deps);
    return { kind: outcome.kind, planId: plan.id, version: page.version };
  });
}
