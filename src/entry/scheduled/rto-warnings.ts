/** Scheduled trigger (every five minutes): RTO warnings and repairs. No user: everything runs as the app. */
import { invocationRemainingMs } from '../../adapters/product-request';
import { sendRtoWarnings } from '../../services/rto-warnings';
import { appDeps } from '../deps';

export async function onRtoWatch(): Promise<{ statusCode: number; body: string }> {
  const run = await sendRtoWarnings(appDeps(), invocationRemainingMs);
  console.log(
    `RTO watch: ${run.checked} open invocations, ${run.sent.length} warnings sent, ${run.repaired.links} links and ${run.repaired.properties} properties repaired, ${run.failed.length} failed${run.stoppedEarly ? ', stopped early (time)' : ''}`,
  );
  // A scheduled trigger answers like a web trigger; 200 also when some failed (the next run retries them).
  return { statusCode: 200, body: JSON.stringify(run) };
}
