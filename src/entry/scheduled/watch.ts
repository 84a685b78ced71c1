/** Scheduled trigger (every five minutes): RTO warnings, the stale outbox and the reconciling sweep. */
import { runWatch } from '../../services/watch';
import { appDeps } from '../deps';

export async function onWatch(): Promise<{ statusCode: number; body: string }> {
  const run = await runWatch(appDeps());
  console.log(
    `Watch: ${run.warningsQueued} warnings queued, ${run.staleRequeued} stale outbox records requeued, swept ${run.swept.incidents} incidents (${run.swept.linked} linked, ${run.swept.propertiesRepaired} properties repaired${run.swept.complete ? '' : ', to be continued'}), ${run.failed.length} failed${run.stoppedEarly ? ', stopped early (time)' : ''}`,
  );
  // A scheduled trigger answers like a web trigger; 200 also when some failed (the next run retries them).
  return { statusCode: 200, body: JSON.stringify(run) };
}
