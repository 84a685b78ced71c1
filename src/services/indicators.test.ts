/**
 * The indicators against typed fakes: a seeded data set written through the app's own paths gives the
 * figures counted by hand (drills apart from incidents); many writers at once (interleaving at every
 * storage operation, racing for the same shards) leave aggregates equal to a recompute from scratch;
 * repeated and late reports change nothing; the rebuild repairs lost reports and damaged shards; and
 * reading the indicators costs one storage operation at any catalogue size.
 */
import { indicatorViews } from '../domain/indicators';
import { INDICATOR_SHARDS, sourceKey } from '../domain/indicator-facts';
import { invocationId } from '../domain/invocation';
import { LostRaceError } from '../ports';
import { saveCatalogue } from './catalogue';
import { actOnPanel } from './issue-panel';
import { applyIndicatorUpdates, catalogueReporter, currentAggregates, recordIndicatorChange, ofIncident } from './indicators';
import { rebuildIndicators, recomputeFromData } from './indicators-rebuild';
import { indicatorsCsvExport, indicatorsView } from './indicators-views';
import { linkIncident } from './link-incident';
import { saveRisk } from './risks';
import { fakeDeps, type FakeDeps } from './testing/fakes';
import { deliver, panelDeps, plan, service } from './testing/fixtures';
import { drainSlot } from './drain';
import { asManager, HAND_COUNT, MANAGER, NOW, seedMeasureData, storeDrill } from './testing/measure-fixtures';

let deps: FakeDeps;

beforeEach(() => {
  deps = fakeDeps();
});

describe('on the seeded data set', () => {
  beforeEach(async () => {
    await seedMeasureData(deps);
  });

  it('gives every indicator as counted by hand, drills apart from incidents', async () => {
    const { views } = await indicatorsView(deps);
    expect(views.approvedPlan.critical).toEqual({ ...HAND_COUNT.approvedPlan, share: 0.75 });
    expect(views.testedLast12Months.critical).toEqual({ ...HAND_COUNT.testedLast12Months, share: 0.5 });
    expect(views.reviewedOnTime.critical).toEqual({ ...HAND_COUNT.reviewedOnTime, share: 0.5 });
    expect(views.approvedPlan.byTier['3']).toEqual({ numerator: HAND_COUNT.tier3.approved, denominator: HAND_COUNT.tier3.total, share: 0 });
    expect(views.rtoAttainment.incidents).toEqual(HAND_COUNT.rtoIncidents);
    expect(views.rtoAttainment.drills).toEqual(HAND_COUNT.rtoDrills);
    expect(views.meanRecovery.incidents['1']).toEqual(HAND_COUNT.meanRecoveryIncidentsTier1);
    expect(views.meanRecovery.drills['1']).toEqual(HAND_COUNT.meanRecoveryDrills['1']);
    expect(views.meanRecovery.drills['2']).toEqual(HAND_COUNT.meanRecoveryDrills['2']);
    expect(views.drillsPerQuarter).toEqual(HAND_COUNT.drillsPerQuarter);
    expect(views.drillsCarriedOut).toBe(HAND_COUNT.drillsCarriedOut);
    expect(views.openInvocations).toEqual(HAND_COUNT.openInvocations);
    expect(views.implementationDays).toEqual(HAND_COUNT.implementationDays);
    expect(views.implementationHistogram.map((b) => b.risks)).toEqual(HAND_COUNT.implementationHistogram);
  });

  it('equals a recompute from the data, and the rebuild finds nothing to correct', async () => {
    expect(await currentAggregates(deps)).toEqual(await recomputeFromData(deps));
    const report = await rebuildIndicators(deps);
    expect(report).toMatchObject({ corrected: 0, removed: 0, shardsRepaired: 0, matchesRecompute: true, complete: true });
  });

  it('exports each indicator as CSV, formula-neutralised, and all of them at once', async () => {
    const one = await indicatorsCsvExport({ only: 'rto-attainment' }, deps);
    expect(one.filename).toBe('continuity-indicators-rto-attainment-2026-11-15.csv');
    const lines = one.csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toEqual([
      'indicator,period,scope,value,numerator,denominator',
      'Indicators as of,2026-11-15T12:00:00.000Z,,,,',
      '"RTO attainment, incidents",2026-10,,0,0,1',
      '"RTO attainment, incidents",2026-11,,1,1,1',
      '"RTO attainment, drills",2026-08,,1,1,1',
      '"RTO attainment, drills",2026-11,,0,0,1',
    ]);
    const all = await indicatorsCsvExport({}, deps);
    expect(all.csv).toContain('Services with an approved plan,,Tier 1 and 2,0.75,3,4');
    expect(all.csv).toContain('"Open invocations, drills",,,1,,');
  });

  it('takes back exactly what a recovery added when it is reopened, and counts it again when recovered again', async () => {
    const before = (await indicatorsView(deps)).views;
    // The payments incident that was reopened: recover it again, 90 minutes after it started (RTO missed).
    const record = deps.store.allRecords().find((r) => r.invocations.some((i) => i.planId === 'plan-payments' && i.state === 'open'))!;
    deps.clock.set(record.invocations[0]!.startedAt + 90 * 60_000);
    await actOnPanel({ id: record.issueId, key: record.issueKey }, MANAGER.accountId, { kind: 'recover', invocationId: invocationId(record.issueId, 'plan-payments') }, panelDeps(asManager(deps)));
    await deliver(deps); // the drain that writes the property reports the recovery
    const after = (await indicatorsView(deps)).views;
    expect(after.openInvocations.incidents).toBe(before.openInvocations.incidents - 1);
    expect(after.rtoAttainment.incidents.find((m) => m.month === '2026-11')).toEqual({ month: '2026-11', recovered: 2, withinRto: 1, share: 0.5 });
    expect(await currentAggregates(deps)).toEqual(await recomputeFromData(deps));
  });
});

describe('reports', () => {
  it('applied twice, or late after a newer one, change nothing', async () => {
    await saveCatalogue({ services: [service('payments')], plans: [plan('plan-payments', 'payments')] }, deps.catalogue, undefined, catalogueReporter(deps));
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    await deliver(deps);
    const opened = deps.store.peek(issue.id)!;
    deps.clock.advance(30 * 60_000);
    await actOnPanel(issue, MANAGER.accountId, { kind: 'recover', invocationId: invocationId(issue.id, 'plan-payments') }, panelDeps(asManager(deps)));
    await deliver(deps);
    const recovered = deps.store.peek(issue.id)!;
    const settled = await currentAggregates(deps);

    // The trigger's report of the opening arrives again (a retry), then late (after the recovery).
    expect(await recordIndicatorChange(undefined, ofIncident(opened), deps)).toEqual({ applied: 0, skipped: 1 });
    // The recovery's report again.
    expect(await recordIndicatorChange(ofIncident(opened), ofIncident(recovered), deps)).toEqual({ applied: 0, skipped: 1 });
    expect(await currentAggregates(deps)).toEqual(settled);
    expect(indicatorViews(settled, deps.clock.now()).openInvocations.incidents).toBe(0);
  });

  it('cost nothing when nothing the indicators count changed (a step done, a duplicate event)', async () => {
    await saveCatalogue({ services: [service('payments')], plans: [plan('plan-payments', 'payments')] }, deps.catalogue, undefined, catalogueReporter(deps));
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    deps.store.ops.reset();
    await linkIncident(issue.id, deps, { issueKey: issue.key });
    await actOnPanel(issue, MANAGER.accountId, { kind: 'step-done', invocationId: invocationId(issue.id, 'plan-payments'), stepId: 'fail-over' }, panelDeps(asManager(deps)));
    expect(deps.store.ops.byMethod()).not.toHaveProperty(['indicators.read']);
    expect(deps.store.ops.byMethod()).not.toHaveProperty(['indicators.write']);
  });

  it('never fail the writer: the change stands, the failure is logged, and the next report of the source makes it good', async () => {
    await saveCatalogue({ services: [service('payments')], plans: [plan('plan-payments', 'payments')] }, deps.catalogue, undefined, catalogueReporter(deps));
    deps.store.storage.failures.add('indicators.write', new Error('storage is down'), { times: 1 });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const issue = deps.jira.addIssue({ affectedServices: ['jsm-payments'] });
    const outcome = await linkIncident(issue.id, deps, { issueKey: issue.key });
    expect(outcome.kind).toBe('linked');
    const [drained] = await deliver(deps);
    expect(drained).toMatchObject({ completed: 1, failed: 0 }); // the drain's own work stands
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Indicators not updated (storage is down)'));
    warn.mockRestore();
    expect(indicatorViews(await currentAggregates(deps), deps.clock.now()).openInvocations.incidents).toBe(0);
    // The recovery's report applies the difference from what the aggregates hold (nothing), not from
    // the record before: the opening that was never counted is not taken away.
    deps.clock.advance(20 * 60_000);
    await actOnPanel(issue, MANAGER.accountId, { kind: 'recover', invocationId: invocationId(issue.id, 'plan-payments') }, panelDeps(asManager(deps)));
    await deliver(deps);
    const views = indicatorViews(await currentAggregates(deps), deps.clock.now());
    expect(views.openInvocations.incidents).toBe(0);
    expect(views.meanRecovery.incidents['1'].count).toBe(1);
    expect(await currentAggregates(deps)).toEqual(await recomputeFromData(deps));
  });
});

describe('many writers at once', () => {
  it('lose nothing and count nothing twice: the aggregates equal a recompute from scratch', async () => {
    const services = Array.from({ length: 12 }, (_, i) => service(`svc-${i}`, { name: `Service ${i}`, tier: ((i % 3) + 1) as 1 | 2 | 3, rtoMinutes: 60 * (1 + (i % 3)) }));
    await saveCatalogue({ services, plans: services.map((s, i) => plan(`plan-${s.id}`, s.id, { status: i % 2 === 0 ? 'approved' : 'draft' })) }, deps.catalogue, undefined, catalogueReporter(deps));
    deps.clock.set(NOW);
    let lostRaces = 0;
    const write = deps.indicators.write.bind(deps.indicators);
    deps.indicators.write = async (...args) => {
      try {
        return await write(...args);
      } catch (error) {
        if (error instanceof LostRaceError) lostRaces += 1;
        throw error;
      }
    };
    // Forty incidents on twelve services, all linked at once.
    const issues = Array.from({ length: 40 }, (_, i) => deps.jira.addIssue({ affectedServices: [`jsm-svc-${i % 12}`] }));
    await Promise.all(issues.map((issue) => linkIncident(issue.id, deps, { issueKey: issue.key })));
    // The drains report to the indicators while everyone else writes to them too.
    const drains = () => Promise.all(deps.queue.take().map(({ slot }) => drainSlot(slot, deps)));
    const opened = deps.queue.take();
    // Then at once: half recovered, a quarter recovered and reopened, drills stored, risks recorded,
    // and plans approved in the catalogue.
    const manager = asManager(deps);
    const act = (issue: { id: string; key: string }, kind: 'recover' | 'reopen') =>
      actOnPanel(issue, MANAGER.accountId, { kind, invocationId: invocationId(issue.id, `plan-svc-${issues.indexOf(issue as never) % 12}`) } as never, panelDeps(manager));
    deps.clock.advance(45 * 60_000);
    await Promise.all([
      ...opened.map(({ slot }) => drainSlot(slot, deps)),
      ...issues.slice(0, 30).map((issue) => act(issue, 'recover')),
      ...Array.from({ length: 6 }, (_, i) => storeDrill(deps, String(70_000 + i), services[i]!, NOW - i * 86_400_000, i % 2 === 0 ? 40 : undefined)),
      ...Array.from({ length: 8 }, (_, i) =>
        saveRisk({ risk: { serviceId: `svc-${i}`, threat: { scenario: 'ransomware' }, likelihood: 2, impact: 3, identifiedAt: '2026-01-01', ...(i % 2 === 0 ? { mechanism: { kind: 'backup', description: 'Immutable backups', state: 'in-place' }, mechanismInPlaceAt: `2026-0${1 + (i % 8)}-15` } : {}) } as never }, MANAGER.accountId, manager),
      ),
    ]);
    deps.clock.advance(5_000);
    await Promise.all([
      drains(),
      ...issues.slice(20, 30).map((issue) => act(issue, 'reopen')),
      ...[1, 3, 5].map(async (i) => {
        const current = await deps.catalogue.getPlan(`plan-svc-${i}`);
        const { loadCatalogue } = await import('./catalogue');
        await saveCatalogue({ plans: [{ ...current!, status: 'approved', lastReviewedAt: NOW }] }, deps.catalogue, await loadCatalogue(deps.catalogue), catalogueReporter(deps));
      }),
    ]);
    deps.clock.advance(5_000);
    await drains();
    expect(lostRaces).toBeGreaterThan(0);
    const incremental = await currentAggregates(deps);
    expect(incremental).toEqual(await recomputeFromData(deps));
    const views = indicatorViews(incremental, NOW);
    expect(views.openInvocations).toEqual({ incidents: 20, drills: 3 });
    expect(views.drillsCarriedOut).toBe(3);
    expect(views.implementationDays.count).toBe(4);
    // And the rebuild, run afterwards, agrees and corrects nothing.
    expect(await rebuildIndicators(deps)).toMatchObject({ corrected: 0, removed: 0, shardsRepaired: 0, matchesRecompute: true });
  });
});

describe('the rebuild', () => {
  it('makes good a lost report, a missing contribution and a damaged shard, while a writer keeps working', async () => {
    await seedMeasureData(deps);
    // A writer that died after storing its record: the stand-down was never reported.
    const open = deps.store.allRecords().find((r) => r.invocations.some((i) => i.state === 'open' && !i.isDrill))!;
    const stale = deps.store.peek(open.issueId)!;
    await deps.store.saveRecord({ ...stale, invocations: stale.invocations.map((i) => ({ ...i, state: 'stood-down' as const, stoodDownAt: NOW })) }, stale.version);
    // A contribution lost while its shard still counts it, and the fullest other shard wiped.
    const riskKey = [...deps.indicators.contributionValues.keys()].find((k) => k.startsWith('risk:'))!;
    const riskShard = deps.indicators.contributionValues.get(riskKey)!.shard;
    deps.indicators.contributionValues.delete(riskKey);
    const perShard = new Map<number, number>();
    for (const c of deps.indicators.contributionValues.values()) if (c.shard !== riskShard) perShard.set(c.shard, (perShard.get(c.shard) ?? 0) + 1);
    const fullest = [...perShard].sort((a, b) => b[1] - a[1])[0]![0];
    deps.indicators.shardValues.delete(fullest);
    const truth = await recomputeFromData(deps);
    expect(await currentAggregates(deps)).not.toEqual(truth);

    // Meanwhile an agent recovers the other open incident.
    const other = deps.store.allRecords().find((r) => r.issueId !== open.issueId && r.invocations.some((i) => i.state === 'open' && !i.isDrill))!;
    const recover = actOnPanel({ id: other.issueId, key: other.issueKey }, MANAGER.accountId, { kind: 'recover', invocationId: other.invocations[0]!.id }, panelDeps(asManager(deps)));
    const [report] = await Promise.all([rebuildIndicators(deps), recover]);
    expect(report.complete).toBe(true);
    expect(report.corrected).toBeGreaterThanOrEqual(2);
    expect(report.shardsRepaired).toBeGreaterThanOrEqual(2);
    const repaired = await currentAggregates(deps);
    expect(repaired).toEqual(await recomputeFromData(deps));
    expect(indicatorViews(repaired, NOW).openInvocations.incidents).toBe(0);
  });

  it('counts plans with postmortem findings waiting and handled, as the plans change', async () => {
    const waiting = { waiting: [{ incidentKey: 'OPS-1', drill: false, count: 2, postedAt: NOW }] };
    const withFindings = plan('plan-payments', 'payments', { findings: waiting });
    await saveCatalogue({ services: [service('payments')], plans: [withFindings, plan('plan-quiet', 'payments', { status: 'retired' })] }, deps.catalogue, undefined, catalogueReporter(deps));
    expect(indicatorViews(await currentAggregates(deps), NOW).findings).toEqual({ waiting: 1, handled: 0 });
    await saveCatalogue({ plans: [{ ...withFindings, findings: { waiting: [], lastHandled: { by: MANAGER.accountId, at: NOW, postmortems: 1 } } }] }, deps.catalogue, undefined, catalogueReporter(deps));
    expect(indicatorViews(await currentAggregates(deps), NOW).findings).toEqual({ waiting: 0, handled: 1 });
    expect(await currentAggregates(deps)).toEqual(await recomputeFromData(deps));
  });

  it('takes out what a deleted service and a deleted plan contributed', async () => {
    const waiting = { waiting: [{ incidentKey: 'OPS-1', drill: false, count: 2, postedAt: NOW }] };
    await saveCatalogue({ services: [service('payments'), service('mail', { tier: 3 })], plans: [plan('plan-payments', 'payments', { findings: waiting })] }, deps.catalogue, undefined, catalogueReporter(deps));
    await applyIndicatorUpdates([{ entity: 'finding', key: sourceKey.finding('plan-gone'), version: 1, facts: { waiting: true } }], deps);
    // Deleted behind the app's back (no report).
    deps.store.storage.services.delete('mail');
    const report = await rebuildIndicators(deps);
    expect(report.removed).toBe(2);
    const views = indicatorViews(await currentAggregates(deps), deps.clock.now());
    expect(views.approvedPlan.byTier['3'].denominator).toBe(0);
    expect(views.findings.waiting).toBe(1);
    expect(report.matchesRecompute).toBe(true);
  });

  it('stops when out of time and carries on when run again', async () => {
    await seedMeasureData(deps);
    for (const key of [...deps.indicators.shardValues.keys()]) deps.indicators.shardValues.delete(key);
    let calls = 0;
    const first = await rebuildIndicators(deps, () => ++calls > 3);
    expect(first.complete).toBe(false);
    const second = await rebuildIndicators(deps);
    expect(second).toMatchObject({ complete: true, matchesRecompute: true });
    expect(second.shardsRepaired).toBeGreaterThan(0);
  });
});

describe('reading the indicators', () => {
  it('costs one storage operation, at 10 services as at 2,000', async () => {
    const cost = async (size: number) => {
      const d = fakeDeps();
      const services = Array.from({ length: size }, (_, i) => service(`svc-${i}`, { name: `Service ${i}`, tier: ((i % 3) + 1) as 1 | 2 | 3 }));
      await saveCatalogue({ services, plans: services.map((s) => plan(`plan-${s.id}`, s.id)) }, d.catalogue, undefined, catalogueReporter(d));
      d.store.ops.reset();
      const view = await indicatorsView(d);
      expect(view.views.approvedPlan.byTier['1'].denominator + view.views.approvedPlan.byTier['2'].denominator + view.views.approvedPlan.byTier['3'].denominator).toBe(size);
      return d.store.ops.byMethod();
    };
    expect(await cost(10)).toEqual({ 'indicators.read': 1 });
    expect(await cost(2_000)).toEqual({ 'indicators.read': 1 });
    expect(INDICATOR_SHARDS).toBeLessThanOrEqual(25);
  });
});
