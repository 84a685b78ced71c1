/**
 * Scheduled trigger (daily): rebuilds the indicators from the data (services/indicators-rebuild.ts),
 * making good any report a writer could not apply, and review dates moved by a change of cadence.
 */
import { rebuildIndicators } from '../../services/indicators-rebuild';
import { appDeps } from '../deps';

/** Time kept back at the end of the run; the next run carries on where this one stopped. */
const RESERVE_MS = 20_000;

export async function onIndicatorsRebuild(): Promise<{ statusCode: number; body: string }> {
  const deps = appDeps();
  const report = await rebuildIndicators(deps, () => {
    const left = deps.remainingMs();
    return left !== undefined && left < RESERVE_MS;
  });
  console.log(
    `Indicators rebuilt: ${report.sources} sources read, ${report.corrected} corrected, ${report.removed} removed, ${report.shardsRepaired} shards repaired${report.complete ? '' : ', stopped early (time)'}${report.complete && !report.matchesRecompute ? ', data changed meanwhile' : ''}`,
  );
  return { statusCode: 200, body: JSON.stringify(report) };
}
