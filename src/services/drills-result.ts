/**
 * A drill's result, once its exercise issue has no open invocation: achieved recovery time against the
 * RTO (or stood down), the findings fed back and the report page. The drill is then past, and the
 * plan's "last tested" moves to the recovery (only a recovered drill tested the plan), through
 * saveCatalogue under the plan's lock like every plan change. Recording it again (a republished
 * report) updates the result and never moves "last tested" back.
 */
import { completeDrill, drillOutcome, type Drill, type DrillResult } from '../domain/drills';
import type { IncidentRecord } from '../domain/incident-record';
import { StaleRecordError, type AppDeps } from '../ports';
import { withPlanLock } from './plans/lock';
import { savePlans } from './plans/save';

export type DrillResultDeps = Pick<AppDeps, 'drills' | 'catalogue' | 'planPages' | 'clock' | 'store' | 'indicators'>;

const ATTEMPTS = 5;

export async function recordDrillResult(record: IncidentRecord, report: { url: string; title: string } | undefined, findings: number | undefined, deps: DrillResultDeps): Promise<Drill | undefined> {
  const mark = record.drill;
  if (!mark) return undefined;
  const outcome = drillOutcome(record.invocations, deps.clock.now());
  if (!outcome) return undefined;
  let drill: Drill | undefined;
  for (let attempt = 0; ; attempt++) {
    const current = await deps.drills.getDrill(mark.drillId);
    if (!current) return undefined;
    const previous = current.result;
    const result: DrillResult = {
      ...outcome,
      ...(findings !== undefined ? { findings } : previous?.findings !== undefined ? { findings: previous.findings } : {}),
      ...(report ? { report } : previous?.report ? { report: previous.report } : {}),
    };
    try {
      drill = await deps.drills.saveDrill(completeDrill(current, result, deps.clock.now()), current.version);
      break;
    } catch (error) {
      if (!(error instanceof StaleRecordError) || attempt + 1 >= ATTEMPTS) throw error;
    }
  }
  if (outcome.outcome !== 'stood-down') {
    await withPlanLock(
      mark.planId,
      deps,
      async () => {
        const plan = await deps.catalogue.getPlan(mark.planId);
        if (plan && (plan.lastTestedAt ?? 0) < outcome.completedAt) await savePlans([{ ...plan, lastTestedAt: outcome.completedAt }], deps);
      },
      { waitMs: 10_000 },
    );
  }
  return drill;
}
