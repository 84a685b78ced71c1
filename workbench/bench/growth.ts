/**
 * Figure 4: the P1 path, the panel and the indicators page as the catalogue grows. The trigger reads
 * match entries by key, never the catalogue; the panel reads the incident's own plans; the indicators
 * page reads the aggregates the writes keep current (every service added here is counted in them):
 * their costs must not change with the catalogue's size.
 */
import { loadCatalogue } from '../../src/services/catalogue';
import { KvsCatalogueStore } from '../../src/adapters/kvs-catalogue';
import { DEFAULT_USER } from '../products/users';
import { CONSOLE_MODULE_KEY } from '../../src/contract/console';
import { MEASURE } from '../../src/contract/measure';
import { addToCatalogue, benchService } from './catalogue';
import type { BenchWorkbench } from './env';
import { oneP1, type P1Counts } from './p1';
import type { Figure } from './report';
import { productCalls, storageCalls } from './trace';

interface AtSize {
  services: number;
  buildMs: number;
  counts: P1Counts;
  p1WallMs: number;
  panelStorage: number;
  panelProduct: number;
  panelMs: number;
  indicatorsStorage: number;
  indicatorsProduct: number;
  /** Services the indicators count (Tier 1, 2 and 3): the aggregates hold the whole catalogue. */
  indicatorsCounted: number;
}

export async function growthFigures(b: BenchWorkbench, sizes: number[], log: (l: string) => void = () => undefined): Promise<Figure[]> {
  const { wb } = b;
  await oneP1(b, 'Bench growth warm-up P1');
  let catalogue = await loadCatalogue(new KvsCatalogueStore());
  const at: AtSize[] = [];
  let next = 0;
  for (const size of sizes) {
    const started = performance.now();
    const entries = [];
    while (catalogue.services.length + entries.length < size) entries.push(benchService('growth', next++, `${wb.siteUrl}/wiki/spaces/CONT/pages/0`));
    catalogue = await addToCatalogue(entries, 500, catalogue);
    const buildMs = performance.now() - started;
    log(`  ${catalogue.services.length} services (${(buildMs / 1000).toFixed(1)} s to add ${entries.length})`);

    // The same phase of the outbox slot at every size, so the times compare.
    const p1 = await oneP1(b, `Bench growth P1 at ${size} services`, { phaseMs: 500 });
    wb.runtime.invocationRecords.clear();
    const answer = (await wb.runtime.invokeResolver(
      'continuity-issue-panel',
      { functionKey: 'issue-panel/load' },
      { extension: { type: 'jira:issuePanel', issue: { id: p1.issue.id, key: p1.issue.key, type: 'Incident' }, project: { key: 'OPS' } }, moduleKey: 'continuity-issue-panel', siteUrl: wb.siteUrl },
      DEFAULT_USER.accountId,
    )) as { ok?: boolean };
    if (!answer?.ok) throw new Error(`panel load failed at ${size} services`);
    const [r] = wb.runtime.invocationRecords().filter((x) => x.kind === 'resolver');

    // The indicators page, as the Service continuity page opens its Indicators tab.
    wb.runtime.invocationRecords.clear();
    const indicators = (await wb.runtime.invokeResolver(CONSOLE_MODULE_KEY, { functionKey: MEASURE.indicators }, { extension: { type: 'jira:globalPage' }, moduleKey: CONSOLE_MODULE_KEY, siteUrl: wb.siteUrl }, DEFAULT_USER.accountId)) as {
      ok?: boolean;
      data?: { views: { approvedPlan: { byTier: Record<string, { denominator: number }> } } };
    };
    if (!indicators?.ok || !indicators.data) throw new Error(`indicators failed at ${size} services`);
    const [ir] = wb.runtime.invocationRecords().filter((x) => x.kind === 'resolver');
    const counted = Object.values(indicators.data.views.approvedPlan.byTier).reduce((n, t) => n + t.denominator, 0);
    at.push({
      services: catalogue.services.length,
      buildMs,
      counts: p1.counts,
      p1WallMs: p1.wallMs,
      panelStorage: storageCalls(r).length,
      panelProduct: productCalls(r).length,
      panelMs: r.endedAt! - r.startedAt,
      indicatorsStorage: storageCalls(ir).length,
      indicatorsProduct: productCalls(ir).length,
      indicatorsCounted: counted,
    });
  }

  const g = 'Growth';
  const across = at.map((a) => a.services.toLocaleString('en-GB')).join(' · ');
  const row = (id: string, name: string, values: number[]): Figure => {
    const equal = values.every((v) => v === values[0]);
    return { id: `growth.${id}`, group: g, name, budget: { kind: 'equal', across: `at ${across}` }, measured: values.join(' · '), deterministic: true, status: equal ? 'pass' : 'fail', detail: { values } };
  };
  const timing = (id: string, name: string, values: number[]): Figure => ({ id: `growth.${id}`, group: g, name, measured: values.map((v) => `${Math.round(v)}`).join(' · ') + ' ms', deterministic: false, status: 'n/a', detail: { values } });
  return [
    row('triggerStorage', 'P1: storage ops on the trigger path', at.map((a) => a.counts.triggerStorageOps)),
    row('consumerStoragePerRecord', 'P1: consumer storage ops per record', at.map((a) => a.counts.consumerOpsPerRecord)),
    row('outboxQueries', 'P1: outbox queries per drain', at.map((a) => a.counts.outboxQueriesPerDrain)),
    row('productCalls', 'P1: product calls', at.map((a) => a.counts.productCalls)),
    row('roundTrips', 'P1: sequential product round trips', at.map((a) => a.counts.sequentialRoundTrips)),
    row('panelStorage', 'panel: resolver storage ops', at.map((a) => a.panelStorage)),
    row('panelProduct', 'panel: resolver product calls', at.map((a) => a.panelProduct)),
    {
      ...row('indicatorsStorage', 'indicators page: resolver storage ops', at.map((a) => a.indicatorsStorage)),
      note: `the aggregates count ${at.map((a) => a.indicatorsCounted.toLocaleString('en-GB')).join(' · ')} services`,
      detail: { values: at.map((a) => a.indicatorsStorage), counted: at.map((a) => a.indicatorsCounted) },
    },
    row('indicatorsProduct', 'indicators page: resolver product calls', at.map((a) => a.indicatorsProduct)),
    timing('p1Wall', 'P1: creation → fully linked (no injected latency)', at.map((a) => a.p1WallMs)),
    timing('panelMs', 'panel: resolver duration', at.map((a) => a.panelMs)),
    timing('buildMs', 'catalogue: time to add the services (saveCatalogue, batches of 500)', at.map((a) => a.buildMs)),
  ];
}
