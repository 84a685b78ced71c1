/**
 * The demo's service catalogue and continuity plans (three tiers, one dependency inversion to show, one
 * plan overdue for review and one never tested), as a Service Continuity Manager would enter them on the
 * Service continuity page: dependencies by name, dates as days before the demo starts. The seed creates
 * them through the page's resolver, in this order (a service after the services it depends on).
 */
import type { CommsTemplate, PlanStatus, RecoveryStep, Tier } from '../../src/domain/catalogue';

export interface DemoService {
  jsmServiceName: string;
  scenario: string;
  service: { name: string; tier: Tier; rtoMinutes: number; rpoMinutes: number; ownerAccountId: string; dependsOn: string[]; components: string[]; labels: string[] };
  plan: { title: string; ownerAccountId: string; status: PlanStatus; reviewedDaysAgo?: number; testedDaysAgo?: number; steps: RecoveryStep[]; commsTemplates: CommsTemplate[] };
}

const OWNER = '5b10ac8d82e05b22cc7d4ef5'; // Casey Continuity, the Service Continuity Manager

export const DEMO_SERVICES: DemoService[] = [
  {
    jsmServiceName: 'Payments',
    scenario: 'Primary payment gateway region outage',
    service: { name: 'Payments', tier: 1, rtoMinutes: 60, rpoMinutes: 5, ownerAccountId: OWNER, dependsOn: [], components: ['Payments'], labels: ['payments'] },
    plan: {
      title: 'Payments continuity plan',
      ownerAccountId: OWNER,
      status: 'approved',
      reviewedDaysAgo: 40,
      testedDaysAgo: 60,
      steps: [
        { id: 'pay-1', title: 'Confirm the outage and declare a major incident', role: 'Incident manager', expectedMinutes: 5 },
        { id: 'pay-2', title: 'Fail payment traffic over to the secondary region', role: 'Payments on-call engineer', expectedMinutes: 15 },
        { id: 'pay-3', title: 'Verify card authorisations succeed end to end', role: 'Payments on-call engineer', expectedMinutes: 10 },
        { id: 'pay-4', title: 'Reconcile transactions captured during the outage', role: 'Finance operations', expectedMinutes: 20 },
        { id: 'pay-5', title: 'Notify the card schemes and merchants', role: 'Communications lead', expectedMinutes: 5 },
      ],
      commsTemplates: [
        { id: 'pay-internal', name: 'Internal update', audience: 'internal', body: '{{service}} is impacted since {{startTime}}. Impact: {{impact}}. Recovery plan invoked; next update by {{nextUpdate}}.' },
        { id: 'pay-public', name: 'Customer status update', audience: 'public', body: 'Some card payments are failing since {{startTime}}. We are working on it and will update you by {{nextUpdate}}.' },
      ],
    },
  },
  {
    jsmServiceName: 'Reporting',
    scenario: 'Data warehouse loss',
    service: { name: 'Reporting', tier: 3, rtoMinutes: 1440, rpoMinutes: 240, ownerAccountId: OWNER, dependsOn: [], components: ['Reporting'], labels: ['reporting'] },
    plan: {
      title: 'Reporting continuity plan',
      ownerAccountId: OWNER,
      status: 'approved',
      reviewedDaysAgo: 120, // never tested
      steps: [
        { id: 'rep-1', title: 'Restore the warehouse from the nightly backup', role: 'Data engineer', expectedMinutes: 240 },
        { id: 'rep-2', title: 'Replay the ingestion pipeline since the backup', role: 'Data engineer', expectedMinutes: 360 },
        { id: 'rep-3', title: 'Validate the key dashboards', role: 'Analytics lead', expectedMinutes: 60 },
      ],
      commsTemplates: [{ id: 'rep-internal', name: 'Internal update', audience: 'internal', body: '{{service}} is degraded since {{startTime}}. Impact: {{impact}}. Next update by {{nextUpdate}}.' }],
    },
  },
  {
    jsmServiceName: 'Customer portal',
    scenario: 'Customer portal unavailable',
    service: { name: 'Customer portal', tier: 2, rtoMinutes: 240, rpoMinutes: 60, ownerAccountId: OWNER, dependsOn: ['Payments', 'Reporting'], components: ['Customer portal'], labels: ['portal'] },
    plan: {
      title: 'Customer portal continuity plan',
      ownerAccountId: OWNER,
      status: 'approved',
      reviewedDaysAgo: 200, // Tier 2 plans are reviewed every 180 days: this one is overdue
      testedDaysAgo: 230,
      steps: [
        { id: 'por-1', title: 'Switch the portal to the static maintenance page', role: 'Web on-call engineer', expectedMinutes: 10 },
        { id: 'por-2', title: 'Restore the portal database from the latest snapshot', role: 'Database administrator', expectedMinutes: 60 },
        { id: 'por-3', title: 'Redeploy the portal to the standby cluster', role: 'Web on-call engineer', expectedMinutes: 30 },
        { id: 'por-4', title: 'Run the smoke tests and reopen the portal', role: 'QA on-call', expectedMinutes: 20 },
      ],
      commsTemplates: [
        { id: 'por-internal', name: 'Internal update', audience: 'internal', body: '{{service}} is down since {{startTime}}. Impact: {{impact}}. Next update by {{nextUpdate}}.' },
        { id: 'por-public', name: 'Customer status update', audience: 'public', body: 'Our customer portal is unavailable since {{startTime}}. Next update by {{nextUpdate}}.' },
      ],
    },
  },
];
