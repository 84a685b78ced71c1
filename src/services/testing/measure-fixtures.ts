/**
 * A seeded data set for the measuring tests (test support only), written through the app's own paths
 * (saveCatalogue with the indicators' reporter, linkIncident, the panel's recover and reopen, saveRisk),
 * with the figures a person counts by hand from the list below. Drills are incident records whose
 * invocations say `drill: true` (drills run on the incident pipeline), stored and reported as a drill's
 * writer would.
 *
 * "Now" is 15 Nov 2026, 12:00 UTC. Services (Tier 1 and 2 are the critical ones):
 *   payments  Tier 1  approved plan, reviewed 30 days ago (due in 60: on time), tested 100 days ago
 *   ledger    Tier 1  approved plan, never reviewed (overdue), never tested
 *   portal    Tier 2  draft plan only, reviewed 200 days ago (due 20 days ago: overdue), tested 400 days ago
 *   reporting Tier 2  approved plan, reviewed 10 days ago, tested 30 days ago
 *   mail      Tier 3  no plan
 *   legacy    Tier 1  retired (counts nowhere)
 * Incidents: payments recovered in 45 min (RTO 60, met) on 14 Nov; ledger recovered in 150 min (RTO 120,
 * missed) on 10 Oct; reporting open; payments again, recovered in 50 min and then reopened (open).
 * Drills: Tier 1 recovered in 50 min (RTO 60, met) on 20 Aug; Tier 2 recovered in 300 min (RTO 240,
 * missed) on 12 Nov; Tier 1 open.
 * Risks: payments 30 days to a standby; ledger 100 days to a tested plan; portal one with no mechanism
 * and one with a backup in place after 5 days.
 */
import type { ContinuityPlan, Service } from '../../domain/catalogue';
import { newRecord, putInvocation, type IncidentRecord } from '../../domain/incident-record';
import { invocationId, type Invocation } from '../../domain/invocation';
import { actOnPanel } from '../issue-panel';
import { saveCatalogue } from '../catalogue';
import { catalogueReporter, ofIncident, recordIndicatorChange } from '../indicators';
import { linkIncident } from '../link-incident';
import { saveRisk } from '../risks';
import { asUser, FULL_PERMISSIONS, type FakeDeps } from './fakes';
import { deliver, panelDeps, plan, service } from './fixtures';

export const NOW = Date.UTC(2026, 10, 15, 12, 0);
const DAY = 86_400_000;
const MINUTE = 60_000;

export const MANAGER = { accountId: 'manager-1', name: 'Mina Manager' };
export const READER = { accountId: 'reader-1', name: 'Rae Reader' };

/** The deps of a resolver request by the manager (a Jira administrator) or a reader. */
export const asManager = (deps: FakeDeps) => asUser(deps, MANAGER.accountId, { name: MANAGER.name, permissions: FULL_PERMISSIONS, admin: true });
export const asReader = (deps: FakeDeps) => asUser(deps, READER.accountId, { name: READER.name, permissions: FULL_PERMISSIONS, admin: false });

export const SERVICES: Service[] = [
  service('payments', { name: 'Payments', tier: 1, rtoMinutes: 60 }),
  service('ledger', { name: 'Ledger', tier: 1, rtoMinutes: 120 }),
  service('portal', { name: 'Customer portal', tier: 2, rtoMinutes: 240 }),
  service('reporting', { name: 'Reporting', tier: 2, rtoMinutes: 240 }),
  service('mail', { name: 'Mail', tier: 3, rtoMinutes: 1440 }),
  service('legacy', { name: 'Legacy billing', tier: 1, rtoMinutes: 60, status: 'retired' }),
];

export const PLANS: ContinuityPlan[] = [
  plan('plan-payments', 'payments', { status: 'approved', lastReviewedAt: NOW - 30 * DAY, lastTestedAt: NOW - 100 * DAY }),
  plan('plan-ledger', 'ledger', { status: 'approved' }),
  plan('plan-portal', 'portal', { status: 'draft', lastReviewedAt: NOW - 200 * DAY, lastTestedAt: NOW - 400 * DAY }),
  plan('plan-reporting', 'reporting', { status: 'approved', lastReviewedAt: NOW - 10 * DAY, lastTestedAt: NOW - 30 * DAY }),
  plan('plan-legacy', 'legacy', { status: 'approved', lastReviewedAt: NOW - 10 * DAY, lastTestedAt: NOW - 10 * DAY }),
];

/** The figures of the data set, counted by hand from the module comment. */
export const HAND_COUNT = {
  approvedPlan: { numerator: 3, denominator: 4 },
  testedLast12Months: { numerator: 2, denominator: 4 },
  reviewedOnTime: { numerator: 2, denominator: 4 },
  tier3: { total: 1, approved: 0 },
  rtoIncidents: [
    { month: '2026-10', recovered: 1, withinRto: 0, share: 0 },
    { month: '2026-11', recovered: 1, withinRto: 1, share: 1 },
  ],
  rtoDrills: [
    { month: '2026-08', recovered: 1, withinRto: 1, share: 1 },
    { month: '2026-11', recovered: 1, withinRto: 0, share: 0 },
  ],
  meanRecoveryIncidentsTier1: { count: 2, meanAchievedMinutes: 97.5, meanRtoMinutes: 90 },
  meanRecoveryDrills: { '1': { count: 1, meanAchievedMinutes: 50, meanRtoMinutes: 60 }, '2': { count: 1, meanAchievedMinutes: 300, meanRtoMinutes: 240 } },
  drillsPerQuarter: [
    { quarter: '2026-Q3', drills: 1 },
    { quarter: '2026-Q4', drills: 1 },
  ],
  drillsCarriedOut: 2,
  openInvocations: { incidents: 2, drills: 1 },
  implementationDays: { count: 3, meanDays: 45, medianDays: 30 },
  implementationHistogram: [1, 1, 0, 1, 0],
};

const at = (y: number, m: number, d: number, h = 9) => Date.UTC(y, m - 1, d, h);

/** An incident on `jsmService` raised at `createdAt`, linked by the trigger; answers its issue. */
async function raise(deps: FakeDeps, jsmService: string, createdAt: number) {
  deps.clock.set(createdAt);
  const issue = deps.jira.addIssue({ affectedServices: [jsmService], created: createdAt });
  await linkIncident(issue.id, deps, { issueKey: issue.key });
  await deliver(deps); // the outbox's drain writes the property and reports the invocation to the indicators
  return issue;
}

async function act(deps: FakeDeps, issue: { id: string; key: string }, planId: string, kind: 'recover' | 'reopen', when: number) {
  deps.clock.set(when);
  const user = asManager(deps);
  await actOnPanel(issue, MANAGER.accountId, { kind, invocationId: invocationId(issue.id, planId) } as never, panelDeps(user));
  await deliver(deps);
}

/** A drill's record (a drill issue with one invocation), stored and reported as its writer would. */
export async function storeDrill(deps: FakeDeps, issueId: string, svc: Service, startedAt: number, recoveredAfterMinutes?: number): Promise<IncidentRecord> {
  const planId = `plan-${svc.id}`;
  const base: Invocation = {
    id: invocationId(issueId, planId),
    issueId,
    issueKey: `DRILL-${issueId}`,
    planId,
    serviceId: svc.id,
    plan: { id: planId, title: `Plan ${svc.id}`, pageUrl: '', status: 'approved', steps: [], commsTemplates: [] },
    service: { id: svc.id, name: svc.name, tier: svc.tier, rtoMinutes: svc.rtoMinutes, rpoMinutes: svc.rpoMinutes },
    state: 'open',
    startedAt,
    rtoMinutes: svc.rtoMinutes,
    ownRtoMinutes: svc.rtoMinutes,
    rpoMinutes: svc.rpoMinutes,
    rtoDueAt: startedAt + svc.rtoMinutes * MINUTE,
    inversions: [],
    timeline: [],
    updatedAt: startedAt,
    isDrill: true,
  };
  const invocation: Invocation =
    recoveredAfterMinutes === undefined
      ? base
      : { ...base, state: 'recovered', recoveredAt: startedAt + recoveredAfterMinutes * MINUTE, achievedMinutes: recoveredAfterMinutes, rtoMet: recoveredAfterMinutes <= svc.rtoMinutes };
  const record = putInvocation(newRecord(issueId, `DRILL-${issueId}`, startedAt), invocation);
  const stored = await deps.store.saveRecord(record, 0);
  await recordIndicatorChange(undefined, ofIncident(stored), deps);
  return stored;
}

export async function seedMeasureData(deps: FakeDeps): Promise<void> {
  deps.clock.set(NOW - 400 * DAY);
  await saveCatalogue({ services: SERVICES, plans: PLANS }, deps.catalogue, undefined, catalogueReporter(deps));
  await deps.store.putJiraFields({ affectedServices: 'customfield_10001', majorIncident: 'customfield_10002', requestType: 'customfield_10003', fetchedAt: NOW + DAY });

  const i1 = await raise(deps, 'jsm-payments', at(2026, 11, 14));
  await act(deps, i1, 'plan-payments', 'recover', at(2026, 11, 14) + 45 * MINUTE);
  const i2 = await raise(deps, 'jsm-ledger', at(2026, 10, 10));
  await act(deps, i2, 'plan-ledger', 'recover', at(2026, 10, 10) + 150 * MINUTE);
  await raise(deps, 'jsm-reporting', at(2026, 11, 15, 8));
  const i4 = await raise(deps, 'jsm-payments', at(2026, 11, 15, 6));
  await act(deps, i4, 'plan-payments', 'recover', at(2026, 11, 15, 6) + 50 * MINUTE);
  await act(deps, i4, 'plan-payments', 'reopen', at(2026, 11, 15, 7));

  await storeDrill(deps, '90001', SERVICES[0]!, at(2026, 8, 20), 50);
  await storeDrill(deps, '90002', SERVICES[2]!, at(2026, 11, 12), 300);
  await storeDrill(deps, '90003', SERVICES[1]!, at(2026, 11, 15, 10));

  deps.clock.set(NOW);
  const manager = asManager(deps);
  const risk = (serviceId: string, fields: Record<string, unknown>) => saveRisk({ risk: { serviceId, threat: { scenario: 'ransomware' }, likelihood: 3, impact: 4, ...fields } as never }, MANAGER.accountId, manager);
  await risk('payments', { threat: { scenario: 'cloud-region-loss' }, identifiedAt: '2026-01-01', mechanism: { kind: 'standby', description: 'Warm standby in a second region', state: 'in-place' }, mechanismInPlaceAt: '2026-01-31' });
  await risk('ledger', { identifiedAt: '2026-03-01', mechanism: { kind: 'plan', description: 'Restore from immutable backups', state: 'tested' }, mechanismInPlaceAt: '2026-06-09' });
  await risk('portal', { threat: { scenario: 'key-vendor-failure' }, identifiedAt: '2026-09-01', likelihood: 4, impact: 5 });
  await risk('portal', { threat: { scenario: 'data-centre-fire' }, identifiedAt: '2026-06-01', mechanism: { kind: 'backup', description: 'Offsite backups', state: 'in-place' }, mechanismInPlaceAt: '2026-06-06' });
}
