import { saveCatalogue } from './catalogue';
import type { ContinuityPlan, Service } from '../domain/catalogue';
import type { CatalogueStore, CatalogueWrite } from '../ports';

const service = (id: string, over: Partial<Service> = {}): Service => ({ id, name: id, tier: 1, rtoMinutes: 60, rpoMinutes: 5, jsmServiceIds: [], dependsOn: [], components: [], labels: [id], ...over });
const plan = (id: string, serviceId: string, status: ContinuityPlan['status']): ContinuityPlan => ({ id, serviceId, title: id, pageId: '1', pageUrl: `https://example.test/${id}`, status, steps: [], commsTemplates: [] });

function recordingStore(): { store: CatalogueStore; writes: CatalogueWrite[] } {
  const writes: CatalogueWrite[] = [];
  const none = async () => {
    throw new Error('not used');
  };
  const store = { writeCatalogue: async (w: CatalogueWrite) => void writes.push(w) } as unknown as CatalogueStore;
  for (const k of ['getService', 'getServices', 'listServices', 'listPlans', 'serviceByName', 'getPlan', 'getPlans', 'planByTitle', 'plansForService', 'matchEntries']) (store as unknown as Record<string, unknown>)[k] = none;
  return { store, writes };
}

test('each match entry carries the plan in force of its own service, whatever the order plans are stored in', async () => {
  const { store, writes } = recordingStore();
  const services = [service('svc-a'), service('svc-b'), service('svc-c')];
  const plans = [plan('plan-b-draft', 'svc-b', 'draft'), plan('plan-a', 'svc-a', 'approved'), plan('plan-b', 'svc-b', 'approved'), plan('plan-a-old', 'svc-a', 'retired')];
  await saveCatalogue({ services, plans }, store, { services: [], plans: [] });
  const byKey = new Map(writes[0].matches!.map((m) => [`${m.key.kind}:${m.key.value}`, m.matches]));
  expect(byKey.get('label:svc-a')?.map((m) => m.plan?.id)).toEqual(['plan-a']);
  expect(byKey.get('label:svc-b')?.map((m) => m.plan?.id)).toEqual(['plan-b']);
  expect(byKey.get('label:svc-c')?.map((m) => m.plan)).toEqual([null]);
});
