/** The Indicators tab's charts (static/console/src/tabs/indicators/specs.ts): what each summary says. */
import { specFor } from '../../static/console/src/tabs/indicators/specs';

const tier = (count: number, achieved: number | null, rto: number | null) => ({ count, meanAchievedMinutes: achieved, meanRtoMinutes: rto });

test('mean recovery against RTO gives both figures with their unit', () => {
  const view = {
    tiers: [
      { key: '1', name: 'Tier 1' },
      { key: '2', name: 'Tier 2' },
    ],
    views: { meanRecovery: { incidents: { '1': tier(2, 3.4, 60), '2': tier(0, null, null) }, drills: { '1': tier(0, null, null), '2': tier(0, null, null) } } },
  } as never;
  const spec = specFor('mean-recovery', view);
  expect(spec.summary).toBe('Mean recovery time against RTO by tier: Tier 1 incidents recovered in 3 minutes on average against a mean RTO of 60 minutes.');
  expect(spec.series[1].values).toEqual([60, null]);
});
