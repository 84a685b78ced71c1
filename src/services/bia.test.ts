/**
 * The BIA on the Service continuity page against typed fakes: the suggestion and its reasoning on known
 * inputs, the MTPD flag (own RTO, and effective RTO through a dependency), cost thresholds from the
 * settings, the role checked server-side, a save over someone else's refused, and applying the
 * suggestion to the service through the catalogue (match entries and indicators follow).
 */
import { ContinuityError } from '../domain/errors';
import type { ImpactRatings } from '../domain/bia';
import { matchKeyString } from '../domain/matching';
import { biaView, saveBia, suggestBia } from './bia';
import { saveCatalogue } from './catalogue';
import { catalogueReporter, currentAggregates } from './indicators';
import { indicatorViews } from '../domain/indicators';
import { fakeDeps, type FakeDeps } from './testing/fakes';
import { plan, service } from './testing/fixtures';
import { asManager, asReader, MANAGER } from './testing/measure-fixtures';

let deps: FakeDeps;

/** Every category rated `low` up to `horizon` and major (3) from there. */
function ratings(majorFrom: '1h' | '4h' | '24h' | '72h' | 'never'): ImpactRatings {
  const order = ['1h', '4h', '24h', '72h'] as const;
  const row = Object.fromEntries(order.map((h, i) => [h, majorFrom !== 'never' && i >= order.indexOf(majorFrom) ? 3 : 1]));
  return { financial: { ...row }, customer: { ...row }, regulatory: { '1h': 0, '4h': 0, '24h': 0, '72h': 0 }, reputational: { ...row }, operational: { ...row } } as ImpactRatings;
}

const form = (overrides: Record<string, unknown> = {}) => ({ costOfDowntimePerHour: 5_000, currency: 'EUR', ratings: ratings('24h'), maximumTolerableDowntime: '3d', ...overrides }) as never;

beforeEach(async () => {
  deps = fakeDeps();
  await saveCatalogue(
    {
      services: [service('payments', { name: 'Payments', tier: 2, rtoMinutes: 240, rpoMinutes: 60 }), service('ledger', { name: 'Ledger', tier: 3, rtoMinutes: 1440, dependsOn: [] }), service('checkout', { name: 'Checkout', tier: 1, rtoMinutes: 60, dependsOn: ['ledger'] })],
      plans: [plan('plan-payments', 'payments')],
    },
    deps.catalogue,
    undefined,
    catalogueReporter(deps),
  );
});

describe('suggestions with reasoning', () => {
  it('suggests a tier and RTO from where impact becomes major, with the rule in words', async () => {
    expect(await suggestBia({ serviceId: 'payments', bia: form({ ratings: ratings('4h') }) }, asReader(deps))).toEqual({
      tier: 2,
      tierName: 'Tier 2 (Silver)',
      rto: { minutes: 60, text: '1h' },
      rpo: { minutes: 60, text: '1h' },
      reasoning: [
        'Financial, customer, reputational and operational impact becomes major or worse at 4 h; the longest assessed outage before that is 1 h, so the RTO is 1h.',
        'An RTO of 1h falls in Tier 2 (Silver).',
        "The RPO is Tier 2 (Silver)'s default of 1h.",
      ],
      differs: { tier: false, rto: true, rpo: false },
    });
    const later = await suggestBia({ serviceId: 'payments', bia: form({ ratings: ratings('24h') }) }, asReader(deps));
    expect([later.tierName, later.rto.text, later.reasoning[1]]).toEqual(['Tier 3 (Bronze)', '4h', 'An RTO of 4h falls in Tier 3 (Bronze).']);
    const fast = await suggestBia({ serviceId: 'payments', bia: form({ ratings: ratings('1h') }) }, asReader(deps));
    expect([fast.tierName, fast.rto.text, fast.differs]).toEqual(['Tier 1 (Gold)', '15m', { tier: true, rto: true, rpo: true }]);
  });

  it('keeps the RTO below the MTPD and says why', async () => {
    const s = await suggestBia({ serviceId: 'payments', bia: form({ ratings: ratings('never'), maximumTolerableDowntime: '8h' }) }, asReader(deps));
    expect(s.rto.text).toBe('6h');
    expect(s.reasoning.at(-2)).toBe('The RTO must be below the maximum tolerable downtime of 8h; keeping a quarter of it for noticing the outage and deciding to invoke the plan, the RTO is 6h.');
  });

  it('raises the tier for the cost of downtime when the settings have thresholds in the same currency', async () => {
    await deps.store.putSettings({ ...(await deps.store.getSettings()), costThresholds: { currency: 'EUR', tier1PerHour: 100_000, tier2PerHour: 10_000 } });
    const s = await suggestBia({ serviceId: 'payments', bia: form({ ratings: ratings('never'), costOfDowntimePerHour: 150_000 }) }, asReader(deps));
    expect([s.tierName, s.rto.text]).toEqual(['Tier 1 (Gold)', '1h']);
    expect(s.reasoning).toContain('Downtime costs 150,000 EUR per hour, at or above the Tier 1 (Gold) threshold of 100,000 EUR: Tier 1 (Gold), with an RTO of at most 1h.');
    const usd = await suggestBia({ serviceId: 'payments', bia: form({ ratings: ratings('never'), costOfDowntimePerHour: 150_000, currency: 'USD' }) }, asReader(deps));
    expect(usd.reasoning).toContain('Cost of downtime not compared: the thresholds are in EUR, this assessment is in USD.');
  });

  it('refuses a BIA that cannot be right, beside its field', async () => {
    const bad = { ...ratings('24h'), customer: { '1h': 3, '4h': 1, '24h': 3, '72h': 3 } };
    await expect(suggestBia({ serviceId: 'payments', bia: form({ ratings: bad }) }, asReader(deps))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'ratings.customer.4h' });
    await expect(suggestBia({ serviceId: 'payments', bia: form({ maximumTolerableDowntime: 'soon' }) }, asReader(deps))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'maximumTolerableDowntime' });
    await expect(suggestBia({ serviceId: 'nope', bia: form() }, asReader(deps))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('saving', () => {
  it('needs the Service Continuity Manager role, checked on the server', async () => {
    const refused = await saveBia({ serviceId: 'payments', bia: form() }, 'reader-1', asReader(deps)).catch((e: ContinuityError) => e);
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
    expect(deps.measure.bias.size).toBe(0);
  });

  it('stores the BIA and shows it with its suggestion, and refuses a save over a newer one', async () => {
    const saved = await saveBia({ serviceId: 'payments', bia: form({ notes: 'Agreed with finance' }) }, MANAGER.accountId, asManager(deps));
    expect(saved.view.bia).toMatchObject({ costOfDowntimePerHour: 5_000, currency: 'EUR', maximumTolerableDowntime: { minutes: 4320, text: '3d' }, notes: 'Agreed with finance', version: 1, updatedBy: { accountId: MANAGER.accountId, displayName: 'Mina Manager' } });
    expect(saved.view.suggestion?.tierName).toBe('Tier 3 (Bronze)');
    expect(saved.view.mtpdFlag).toBeUndefined();
    const again = await saveBia({ serviceId: 'payments', expectedVersion: 1, bia: form({ costOfDowntimePerHour: 6_000 }) }, MANAGER.accountId, asManager(deps));
    expect(again.view.bia?.version).toBe(2);
    const stale = await saveBia({ serviceId: 'payments', expectedVersion: 1, bia: form() }, MANAGER.accountId, asManager(deps)).catch((e: ContinuityError) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('changed by someone else') });
  });

  it('flags a service whose own RTO is not below its MTPD', async () => {
    await saveBia({ serviceId: 'payments', bia: form({ maximumTolerableDowntime: '4h' }) }, MANAGER.accountId, asManager(deps));
    const view = await biaView('payments', asReader(deps));
    expect(view.mtpdFlag).toEqual({ flag: 'rto-not-below-mtpd', which: 'own', message: 'RTO 4h is not below the maximum tolerable downtime of 4h: recovery on target would take longer than the business can bear.' });
  });

  it('flags a service whose dependencies make its effective RTO not below its MTPD', async () => {
    await saveBia({ serviceId: 'checkout', bia: form({ ratings: ratings('1h'), maximumTolerableDowntime: '12h' }) }, MANAGER.accountId, asManager(deps));
    const view = await biaView('checkout', asReader(deps));
    expect(view.service.effectiveRto?.text).toBe('1d');
    expect(view.mtpdFlag).toMatchObject({ which: 'effective', message: 'Its dependencies make the effective RTO 1d, not below the maximum tolerable downtime of 12h.' });
  });

  it('applies the suggestion to the service through the catalogue: the match entries and indicators follow', async () => {
    const answer = await saveBia({ serviceId: 'payments', bia: form({ ratings: ratings('1h') }), applySuggestion: true }, MANAGER.accountId, asManager(deps));
    expect(answer.applied).toEqual({ tierName: 'Tier 1 (Gold)', rto: { minutes: 15, text: '15m' }, rpo: { minutes: 15, text: '15m' } });
    expect(answer.view.service).toMatchObject({ tier: 1, rto: { minutes: 15 } });
    expect(answer.view.suggestion?.differs).toEqual({ tier: false, rto: false, rpo: false });
    const match = deps.store.storage.matches.get(matchKeyString({ kind: 'service', value: 'payments' }))![0]!;
    expect(match.service).toMatchObject({ tier: 1, rtoMinutes: 15 });
    const views = indicatorViews(await currentAggregates(deps), deps.clock.now());
    expect(views.approvedPlan.byTier['1']).toMatchObject({ numerator: 1, denominator: 2 });
  });

  it('refuses a retired service', async () => {
    const current = (await deps.catalogue.getService('ledger'))!;
    await saveCatalogue({ services: [{ ...current, status: 'retired' }] }, deps.catalogue);
    await expect(saveBia({ serviceId: 'ledger', bia: form() }, MANAGER.accountId, asManager(deps))).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is retired') });
  });
});
