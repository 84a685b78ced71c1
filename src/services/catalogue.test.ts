/** Catalogue writes and the match entries the incident path reads instead of the catalogue. */
import { loadCatalogue, saveCatalogue } from './catalogue';
import type { ContinuityPlan, Service } from '../domain/catalogue';
import { matchKeyString } from '../domain/matching';
import { MemoryCatalogue } from './testing/fakes';

const service = (id: string, over: Partial<Service> = {}): Service => ({ id, name: id, tier: 1, rtoMinutes: 60, rpoMinutes: 5, jsmServiceIds: [], dependsOn: [], components: [], labels: [id], ...over });
const plan = (id: string, serviceId: string, status: ContinuityPlan['status']): ContinuityPlan => ({ id, serviceId, title: id, pageId: '1', pageUrl: `https://example.test/${id}`, status, steps: [], commsTemplates: [] });

const entry = (catalogue: MemoryCatalogue, kind: 'label' | 'jsm', value: string) => catalogue.storage.matches.get(matchKeyString({ kind, value })) ?? [];

test('each match entry carries the plan in force of its own service, whatever the order plans are stored in', async () => {
  const catalogue = new MemoryCatalogue();
  const services = [service('svc-a'), service('svc-b'), service('svc-c')];
  const plans = [plan('plan-b-draft', 'svc-b', 'draft'), plan('plan-a', 'svc-a', 'approved'), plan('plan-b', 'svc-b', 'approved'), plan('plan-a-old', 'svc-a', 'retired')];
  await saveCatalogue({ services, plans }, catalogue, { services: [], plans: [] });
  expect(entry(catalogue, 'label', 'svc-a').map((m) => m.plan?.id)).toEqual(['plan-a']);
  expect(entry(catalogue, 'label', 'svc-b').map((m) => m.plan?.id)).toEqual(['plan-b']);
  expect(entry(catalogue, 'label', 'svc-c').map((m) => m.plan)).toEqual([null]);
});

test('two managers saving services that share a label at once: the shared entry ends with both', async () => {
  const catalogue = new MemoryCatalogue();
  await saveCatalogue({ services: [service('svc-a', { labels: [] }), service('svc-b', { labels: [] })] }, catalogue);
  // Both read the catalogue before either writes, as two overlapping requests would.
  const [seenByA, seenByB] = await Promise.all([loadCatalogue(catalogue), loadCatalogue(catalogue)]);
  await Promise.all([
    saveCatalogue({ services: [service('svc-a', { labels: ['shared'] })] }, catalogue, seenByA),
    saveCatalogue({ services: [service('svc-b', { labels: ['shared'] })] }, catalogue, seenByB),
  ]);
  expect(entry(catalogue, 'label', 'shared').map((m) => m.service.id).sort()).toEqual(['svc-a', 'svc-b']);
});
