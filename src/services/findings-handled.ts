/**
 * "Mark findings handled" on the plan registry: the plan's owner (or a Service Continuity Manager) says
 * the plan has taken in the findings postmortems fed back to it; its row stops saying "findings
 * waiting". Under the plan's lock and through saveCatalogue, like every plan change.
 */
import type { FindingsHandledAnswer } from '../contract/loop';
import { notFound } from '../domain/errors';
import { markHandled } from '../domain/plan-findings';
import type { AppDeps } from '../ports';
import { withPlanLock } from './plans/lock';
import { savePlans } from './plans/save';
import { continuityRole } from './roles';

export async function markFindingsHandled(planId: string, accountId: string, deps: AppDeps): Promise<FindingsHandledAnswer> {
  const plan = await deps.catalogue.getPlan(planId);
  if (!plan) throw notFound('Plan', 'planId');
  const isOwner = plan.ownerAccountId === accountId;
  const isManager = isOwner ? false : (await continuityRole(deps)).manager;
  return withPlanLock(
    planId,
    deps,
    async () => {
      const current = (await deps.catalogue.getPlan(planId)) ?? plan;
      const waiting = current.findings?.waiting.length ?? 0;
      const next = markHandled(current.findings, { accountId, isOwner, isManager }, deps.clock.now());
      if (next !== current.findings) await savePlans([{ ...current, findings: next!, updatedAt: deps.clock.now(), updatedBy: accountId }], deps);
      return { planId, postmortems: waiting };
    },
    { waitMs: 5_000 },
  );
}
