/**
 * Bench catalogues: services matched by a label each, with a plan, written through saveCatalogue (so
 * the match entries the trigger reads, and the indicator aggregates, are written too), in batches,
 * outside any invocation (as the demo seed writes the demo catalogue).
 */
import type { Workbench } from '../workbench';
import { KvsCatalogueStore } from '../../src/adapters/kvs-catalogue';
import { loadCatalogue, saveCatalogue, type Catalogue } from '../../src/services/catalogue';
import { catalogueReporter } from '../../src/services/indicators';
import { KvsIndicatorStore } from '../../src/adapters/kvs-measure';
import type { ContinuityPlan, Service, Tier } from '../../src/domain/catalogue';
import { APP_USER } from '../products/users';
import { request } from './env';

export const labelOf = (prefix: string, i: number) => `${prefix}-${String(i).padStart(5, '0')}`;

export function benchService(prefix: string, i: number, pageUrl: string, pageId = '0'): { service: Service; plan: ContinuityPlan } {
  const id = labelOf(prefix, i);
  const tier = ((i % 3) + 1) as Tier;
  const service: Service = {
    id: `svc-${id}`,
    name: `Bench service ${id}`,
    tier,
    rtoMinutes: [60, 240, 1440][tier - 1],
    rpoMinutes: [5, 60, 240][tier - 1],
    jsmServiceIds: [],
    // A few dependencies, as real catalogues have: each service on the one before it in its group of ten.
    dependsOn: i % 10 === 0 ? [] : [`svc-${labelOf(prefix, i - 1)}`],
    components: [],
    labels: [id],
  };
  const plan: ContinuityPlan = {
    id: `plan-${id}`,
    serviceId: service.id,
    title: `${service.name} continuity plan`,
    pageId,
    pageUrl,
    status: 'approved',
    steps: [
      { id: `${id}-1`, title: 'Confirm the outage and declare a major incident', role: 'Incident manager', expectedMinutes: 5 },
      { id: `${id}-2`, title: 'Fail over to the standby', role: 'On-call engineer', expectedMinutes: 20 },
      { id: `${id}-3`, title: 'Verify the service end to end', role: 'On-call engineer', expectedMinutes: 10 },
    ],
    commsTemplates: [{ id: `${id}-internal`, name: 'Internal update', audience: 'internal', body: '{{service}} is impacted since {{startTime}}. Impact: {{impact}}. Next update by {{nextUpdate}}.' }],
  };
  return { service, plan };
}

/** A Confluence page for a plan (the storm's plans have real pages; the growth fillers do not need them). */
export async function planPage(wb: Workbench, title: string): Promise<{ id: string; url: string }> {
  const spaces = (await wb.confluence.handle(request('GET', '/wiki/api/v2/spaces?keys=CONT', undefined, APP_USER.accountId))).body as { results: Array<{ id: string }> };
  const created = await wb.confluence.handle(request('POST', '/wiki/api/v2/pages', { spaceId: spaces.results[0].id, status: 'current', title, body: { representation: 'storage', value: '<h2>Recovery steps</h2><p>Bench plan.</p>' } }, APP_USER.accountId));
  if (created.status !== 200) throw new Error(`plan page: ${created.status} ${JSON.stringify(created.body)}`);
  const page = created.body as { id: string; _links: { webui: string } };
  return { id: page.id, url: `${wb.siteUrl}/wiki${page._links.webui}` };
}

/** Adds services and plans to the catalogue in batches, counted by the indicators as any catalogue write is; answers the catalogue as it now is. */
export async function addToCatalogue(entries: Array<{ service: Service; plan: ContinuityPlan }>, batch = 500, current?: Catalogue): Promise<Catalogue> {
  const store = new KvsCatalogueStore();
  const report = catalogueReporter({ indicators: new KvsIndicatorStore(), clock: { now: () => Date.now() } });
  let catalogue = current ?? (await loadCatalogue(store));
  for (let i = 0; i < entries.length; i += batch) {
    const part = entries.slice(i, i + batch);
    catalogue = await saveCatalogue({ services: part.map((e) => e.service), plans: part.map((e) => e.plan) }, store, catalogue, report);
  }
  return catalogue;
}
