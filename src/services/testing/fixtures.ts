/**
 * Test data and small steps the service tests share (test support only): catalogue entries, a site
 * made ready (settings, warm field cache, counters at zero), and running the outbox's queued drains.
 */
import type { ContinuityPlan, Service } from '../../domain/catalogue';
import type { ContinuitySettings } from '../../domain/incident';
import { drainStartsAt } from '../../domain/outbox';
import { saveCatalogue } from '../catalogue';
import { drainSlot, type DrainRun } from '../drain';
import type { PanelDeps } from '../issue-panel';
import { FIELD_IDS, FULL_PERMISSIONS, VIEWER_PERMISSIONS, type FakeDeps } from './fakes';

export function service(id: string, overrides: Partial<Service> = {}): Service {
  return {
    id,
    name: `Service ${id}`,
    tier: 1,
    rtoMinutes: 60,
    rpoMinutes: 15,
    jsmServiceIds: [`jsm-${id}`],
    dependsOn: [],
    components: [],
    labels: [],
    status: 'active',
    ...overrides,
  };
}

export function plan(id: string, serviceId: string, overrides: Partial<ContinuityPlan> = {}): ContinuityPlan {
  return {
    id,
    serviceId,
    title: `Plan ${id}`,
    pageId: `9${id.replace(/\D/g, '') || '1'}`,
    pageUrl: `https://example.atlassian.net/wiki/spaces/BCP/pages/${id}`,
    ownerAccountId: 'owner-1',
    status: 'approved',
    steps: [
      { id: 'fail-over', title: 'Fail over to the standby', role: 'DBA', expectedMinutes: 15 },
      { id: 'verify', title: 'Verify payments', role: 'Service owner', expectedMinutes: 10 },
    ],
    commsTemplates: [
      { id: 'status', name: 'Status update', audience: 'internal', body: '{{service}} is down. Impact: {{impact}}. Next update {{nextUpdate}}.' },
      { id: 'customers', name: 'Customer notice', audience: 'public', body: 'We are restoring {{service}}.' },
    ],
    ...overrides,
  };
}

/** Services `payments` and `ledger`, each with an approved plan, and `reporting` without one. */
export const PAYMENTS = service('payments', { name: 'Payments', rtoMinutes: 60 });
export const LEDGER = service('ledger', { name: 'Ledger', rtoMinutes: 120 });
export const REPORTING = service('reporting', { name: 'Reporting', rtoMinutes: 240, tier: 2 });
export const PAYMENTS_PLAN = plan('plan-payments', 'payments', { title: 'Payments failover' });
export const LEDGER_PLAN = plan('plan-ledger', 'ledger', { title: 'Ledger restore' });

export const AGENT = { accountId: 'agent-1', name: 'Alice Agent' };
export const SECOND_AGENT = { accountId: 'agent-2', name: 'Bob Builder' };
export const VIEWER = { accountId: 'viewer-1', name: 'Vera Viewer' };

/**
 * Makes the site ready the way a running installation is: the catalogue written through saveCatalogue
 * (so match entries exist), settings stored, Jira's field ids cached, two agents and a viewer known to
 * Jira; then every counter is set back to zero so a test counts only what it does.
 */
export async function ready(
  deps: FakeDeps,
  catalogue: { services: Service[]; plans: ContinuityPlan[] } = { services: [PAYMENTS, LEDGER, REPORTING], plans: [PAYMENTS_PLAN, LEDGER_PLAN] },
  settings?: Partial<ContinuitySettings>,
): Promise<void> {
  await saveCatalogue(catalogue, deps.catalogue);
  if (settings) await deps.store.putSettings({ ...(await deps.store.getSettings()), ...settings });
  await deps.store.putJiraFields({ ...FIELD_IDS, fetchedAt: deps.clock.now() });
  deps.jira.setUser(AGENT.accountId, { name: AGENT.name, permissions: FULL_PERMISSIONS });
  deps.jira.setUser(SECOND_AGENT.accountId, { name: SECOND_AGENT.name, permissions: FULL_PERMISSIONS });
  deps.jira.setUser(VIEWER.accountId, { name: VIEWER.name, permissions: VIEWER_PERMISSIONS });
  resetCounts(deps);
}

export function resetCounts(deps: FakeDeps): void {
  deps.store.ops.reset();
  deps.jira.resetCalls();
}

/**
 * Delivers every queued outbox event to a drain, as the queue would: the clock first moves to when the
 * slot's drain may start (so the drain does not wait), then the slot is drained. Answers the runs.
 */
export async function deliver(deps: FakeDeps): Promise<DrainRun[]> {
  const runs: DrainRun[] = [];
  for (let events = deps.queue.take(); events.length > 0; events = deps.queue.take()) {
    for (const { slot } of events) {
      if (deps.clock.now() < drainStartsAt(slot)) deps.clock.set(drainStartsAt(slot));
      runs.push(await drainSlot(slot, deps));
    }
  }
  return runs;
}

/** Moves the clock to when a drain of `slot` may start, if it is not there yet. */
export function toDrainTime(deps: FakeDeps, slot: number): void {
  if (deps.clock.now() < drainStartsAt(slot)) deps.clock.set(drainStartsAt(slot));
}

export function panelDeps<D extends FakeDeps>(deps: D): D & PanelDeps {
  return { ...deps, links: { plans: 'https://example.atlassian.net/wiki', settingsModuleKey: 'continuity-settings', consoleModuleKey: 'continuity-console' } };
}

/** The plain text of an ADF document (comments posted by the app), for assertions on what it says. */
export function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[]; attrs?: { text?: string } };
  return (n.text ?? n.attrs?.text ?? '') + (n.content ?? []).map(adfText).join(n.content && n.content.length > 1 ? ' ' : '');
}
