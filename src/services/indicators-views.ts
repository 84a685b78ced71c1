/**
 * The Indicators tab: every indicator from the aggregates alone (one storage read, whatever the size of
 * the catalogue and however many incidents there were), each exportable as CSV, and the rebuild for a
 * Service Continuity Manager.
 */
import type { IndicatorsCsvAnswer, IndicatorsCsvInput, IndicatorsView, RebuildAnswer } from '../contract/measure';
import { TIER_NAMES } from '../domain/catalogue';
import { indicatorsCsv, indicatorViews, type IndicatorId } from '../domain/indicators';
import type { AppDeps } from '../ports';
import { currentAggregates } from './indicators';
import { rebuildIndicators } from './indicators-rebuild';
import { requireManager } from './roles';

export const INDICATOR_TITLES: Record<IndicatorId, string> = {
  'approved-plan': 'Tier 1 and 2 services with an approved plan',
  tested: 'Tier 1 and 2 services tested in the last 12 months',
  'reviewed-on-time': 'Tier 1 and 2 plans reviewed on time',
  'rto-attainment': 'RTO attainment over time, incidents and drills',
  'mean-recovery': 'Mean recovery time against RTO, by tier',
  'drills-per-quarter': 'Drills per quarter',
  'practices-carried-out': 'Disaster practices carried out',
  'open-invocations': 'Open invocations',
  findings: 'Plans with postmortem findings waiting',
  'implementation-duration': 'Implementation duration: risk identified to mechanism in place',
};

/** Time kept back at the end of an invocation for answering. */
const RESERVE_MS = 4_000;

export async function indicatorsView(deps: Pick<AppDeps, 'indicators' | 'clock'>): Promise<IndicatorsView> {
  const views = indicatorViews(await currentAggregates(deps), deps.clock.now());
  return {
    views,
    tiers: (['1', '2', '3'] as const).map((key) => ({ key, name: TIER_NAMES[Number(key) as 1 | 2 | 3] })),
    indicators: (Object.keys(INDICATOR_TITLES) as IndicatorId[]).map((id) => ({ id, title: INDICATOR_TITLES[id] })),
  };
}

export async function indicatorsCsvExport(input: IndicatorsCsvInput, deps: Pick<AppDeps, 'indicators' | 'clock'>): Promise<IndicatorsCsvAnswer> {
  const now = deps.clock.now();
  const views = indicatorViews(await currentAggregates(deps), now);
  const day = new Date(now).toISOString().slice(0, 10);
  return { filename: `continuity-indicators${input.only ? `-${input.only}` : ''}-${day}.csv`, csv: indicatorsCsv(views, input.only ? { only: input.only } : {}) };
}

/** The rebuild (indicators-rebuild.ts) for a Service Continuity Manager, within the invocation's time. */
export async function rebuildAsManager(deps: AppDeps): Promise<RebuildAnswer> {
  await requireManager(deps, 'rebuild the indicators');
  const outOfTime = () => {
    const left = deps.remainingMs();
    return left !== undefined && left < RESERVE_MS;
  };
  return rebuildIndicators(deps, outOfTime);
}
