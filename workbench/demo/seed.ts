/**
 * Demo data on first start: the base Jira/JSM and Confluence sites, the continuity catalogue (three
 * services of different tiers) with a plan for each, and a few incidents. Everything goes through the
 * paths a person's clicks take: an administrator names the Service Continuity Managers' group on the
 * app's settings page; Casey, in that group, creates the services and plans on the Service continuity
 * page (its resolver, as the page calls it) and has the app learn the JSM services from the incidents;
 * incidents are raised through Jira's REST API, so the app's trigger links them as on a real site. Casey
 * publishes each plan as a Confluence page from the app's template (`plans/create-page`), so the plans'
 * steps and templates are what the app read back from its own pages, and moves it to approved through
 * the plan lifecycle (the page's status line and review history follow). Casey also enters two business
 * impact analyses and the risk register.
 * `empty` seeds only the base sites (users, groups, projects, JSM services, the CONT space): the app as
 * a customer first installs it.
 */
import type { Workbench } from '../workbench';
import type { ProductRequest } from '../products/types';
import { PLANS, type PlanStatus } from '../../src/contract/plans';
import { APP_USER, CONTINUITY_MANAGERS_GROUP, DEFAULT_USER, USERS } from '../products/users';
import { CONSOLE, CONSOLE_MODULE_KEY } from '../../src/contract/console';
import { MEASURE } from '../../src/contract/measure';
import { DEMO_SERVICES, type DemoService } from './plans';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;
const SETTINGS_MODULE_KEY = 'continuity-settings';
/** The way from a new plan page (a draft) to the demo plan's status. */
const LIFECYCLE: PlanStatus[] = ['draft', 'in-review', 'approved'];

function request(method: string, path: string, body?: unknown, accountId = APP_USER.accountId): ProductRequest {
  const url = new URL(path, 'http://workbench.local');
  return { method, path: url.pathname, query: url.searchParams, headers: { 'content-type': 'application/json' }, body, rawBody: body ? JSON.stringify(body) : undefined, principal: { kind: 'user', accountId } };
}

/**
 * Casey's plan for a demo service: the plan record first (owner, dates, the steps and templates to start
 * the page with), then its page from the app's template, read back at once (from then on the page is
 * where the team edits the plan), then its way through the lifecycle to the demo's status.
 */
async function publishDemoPlan(wb: Workbench, demo: DemoService, serviceId: string, now: number): Promise<void> {
  const { title, status, reviewedDaysAgo, testedDaysAgo, steps, commsTemplates } = demo.plan;
  await onConsole(wb, CONSOLE.savePlan, {
    plan: {
      serviceId,
      title,
      ownerAccountId: demo.plan.ownerAccountId,
      status: 'draft',
      lastReviewedOn: reviewedDaysAgo === undefined ? '' : dayOf(now - reviewedDaysAgo * DAY),
      lastTestedOn: testedDaysAgo === undefined ? '' : dayOf(now - testedDaysAgo * DAY),
      steps,
      commsTemplates,
    },
  });
  const published = await onConsole(wb, PLANS.createPage, { serviceId });
  for (const next of LIFECYCLE.slice(1, LIFECYCLE.indexOf(status) + 1)) {
    await onConsole(wb, PLANS.setStatus, { planId: published.id, status: next });
  }
}

export interface SeedOptions {
  /** Only the base sites: no catalogue, plans or incidents. */
  empty?: boolean;
}

type Answer = { ok: true; data: any } | { ok: false; error: { code: string; message: string; field?: string } };

/** Calls a resolver as the page of `moduleKey` would, as `accountId`; a refusal stops the seed. */
async function resolver(wb: Workbench, moduleKey: string, type: string, functionKey: string, payload: unknown, accountId: string): Promise<any> {
  const context = { cloudId: 'workbench', moduleKey, siteUrl: wb.siteUrl, extension: { type } };
  const answer = (await wb.runtime.invokeResolver(moduleKey, { functionKey, payload }, context, accountId)) as Answer;
  if (!answer.ok) throw new Error(`Demo seed: ${functionKey} refused (${answer.error.code}${answer.error.field ? ` on ${answer.error.field}` : ''}: ${answer.error.message})`);
  return answer.data;
}

const onConsole = (wb: Workbench, functionKey: string, payload: unknown) => resolver(wb, CONSOLE_MODULE_KEY, 'jira:globalPage', functionKey, payload, CASEY.accountId);

const dayOf = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

async function contSpaceId(wb: Workbench): Promise<string | undefined> {
  const spaces = (await wb.confluence.handle(request('GET', '/wiki/api/v2/spaces?keys=CONT'))).body as { results?: Array<{ id: string }> };
  return spaces.results?.[0]?.id;
}

export async function seedDemo(wb: Workbench, opts: SeedOptions = {}): Promise<void> {
  // The demo belongs to a new site: a site that already existed (a restart, or one reset to empty) keeps what it has.
  const newSite = !(await contSpaceId(wb));
  wb.jira.seedBase();
  wb.confluence.seedBase();
  if (opts.empty || !newSite) return;
  if (wb.kvs.stats().entities > 0) return; // already seeded: never overwrite a user's data

  const spaceId = await contSpaceId(wb);
  if (!spaceId) throw new Error('Demo seed: the CONT space is missing');

  // An administrator makes the continuity-managers group Service Continuity Managers (the settings page),
  // and names where postmortems go (the CONT space) and where drills create their exercise issues (OPS).
  const loaded = await resolver(wb, SETTINGS_MODULE_KEY, 'jira:adminPage', 'settings/load', {}, DEFAULT_USER.accountId);
  await resolver(wb, SETTINGS_MODULE_KEY, 'jira:adminPage', 'settings/save', { settings: { ...loaded.settings, managerGroups: [CONTINUITY_MANAGERS_GROUP], postmortemSpaceKey: 'CONT', drillProjectKey: 'OPS' } }, DEFAULT_USER.accountId);

  // Casey, a member of that group, enters the catalogue on the Service continuity page.
  const jsmServices = wb.jira.services();
  const now = wb.clock.now();

  // The administrator also names where plan pages go (the CONT space's home page) and which issues are
  // change requests (JSM's Change type): the same settings page, saved again.
  const current = await resolver(wb, SETTINGS_MODULE_KEY, 'jira:adminPage', 'settings/load', {}, DEFAULT_USER.accountId);
  await resolver(wb, SETTINGS_MODULE_KEY, 'jira:adminPage', 'settings/save', { settings: { ...current.settings, planSpaceKey: 'CONT', changeIssueTypeNames: ['Change'] } }, DEFAULT_USER.accountId);

  for (const demo of DEMO_SERVICES) {
    const { name, tier, rtoMinutes, rpoMinutes, ownerAccountId, dependsOn, components, labels } = demo.service;
    const jsm = jsmServices.find((s) => s.name === demo.jsmServiceName);
    const saved = await onConsole(wb, CONSOLE.saveService, {
      service: { name, tier, rto: `${rtoMinutes}m`, rpo: `${rpoMinutes}m`, ownerAccountId, dependsOn, components, labels, jsmServiceIds: jsm ? [jsm.id] : [] },
    });
    await publishDemoPlan(wb, demo, saved.service.id, now);
  }

  // Casey enters two business impact analyses (the customer portal's MTPD is below its RTO: flagged)
  // and the risk register, on the BIA and risks tab.
  const rated = (majorFrom: number) => Object.fromEntries(['1h', '4h', '24h', '72h'].map((h, i) => [h, i >= majorFrom ? 3 : 1]));
  const calm = { '1h': 0, '4h': 1, '24h': 1, '72h': 2 };
  await onConsole(wb, MEASURE.saveBia, {
    serviceId: 'svc-payments',
    bia: { costOfDowntimePerHour: 20000, currency: 'EUR', ratings: { financial: rated(0), customer: rated(0), regulatory: rated(1), reputational: rated(1), operational: calm }, maximumTolerableDowntime: '4h', notes: 'Card payments stop: every order is lost.' },
  });
  await onConsole(wb, MEASURE.saveBia, {
    serviceId: 'svc-customer-portal',
    bia: { costOfDowntimePerHour: 4000, currency: 'EUR', ratings: { financial: rated(2), customer: rated(1), regulatory: calm, reputational: rated(2), operational: calm }, maximumTolerableDowntime: '3h' },
  });
  const risk = (serviceId: string, threat: string, likelihood: number, impact: number, identifiedDaysAgo: number, mechanism?: { kind: string; description: string; state: string; inPlaceDaysAgo?: number }) =>
    onConsole(wb, MEASURE.saveRisk, {
      risk: {
        serviceId,
        threat: { scenario: threat },
        likelihood,
        impact,
        identifiedAt: dayOf(now - identifiedDaysAgo * DAY),
        ...(mechanism ? { mechanism: { kind: mechanism.kind, description: mechanism.description, state: mechanism.state } } : {}),
        ...(mechanism?.inPlaceDaysAgo !== undefined ? { mechanismInPlaceAt: dayOf(now - mechanism.inPlaceDaysAgo * DAY) } : {}),
      },
    });
  await risk('svc-payments', 'cloud-region-loss', 3, 5, 150, { kind: 'standby', description: 'Warm standby in a second region', state: 'in-place', inPlaceDaysAgo: 105 });
  await risk('svc-payments', 'ransomware', 3, 5, 200, { kind: 'plan', description: 'Restore from immutable backups (the continuity plan)', state: 'tested', inPlaceDaysAgo: 80 });
  await risk('svc-customer-portal', 'key-vendor-failure', 3, 4, 30);
  await risk('svc-reporting', 'data-centre-fire', 2, 3, 60, { kind: 'backup', description: 'Nightly offsite backups', state: 'in-place', inPlaceDaysAgo: 54 });

  // A few incidents, created in the past with the workbench clock, so their RTO clocks are running; each
  // one is handled by the app before the clock moves on.
  const ids = wb.jira.fieldIds();
  const service = (name: string) => [{ id: jsmServices.find((s) => s.name === name)!.id }];
  const systemProblem = wb.jira.requestTypes().find((t) => t.name === 'Report a system problem')!.id;
  const incidents = [
    { ago: 25, summary: 'Card payments failing in EU region', priority: '1', services: service('Payments') },
    { ago: 200, summary: 'Customer portal returns 502 for all users', priority: '1', services: service('Customer portal') },
    { ago: 90, summary: 'Nightly sales report is late', priority: '3', services: service('Reporting') },
  ];
  for (const incident of incidents) {
    wb.clock.advance(-incident.ago * MINUTE);
    try {
      const res = await wb.jira.handle(
        request(
          'POST',
          '/rest/api/3/issue',
          {
            fields: {
              project: { key: 'OPS' },
              issuetype: { name: 'Incident' },
              summary: incident.summary,
              priority: { id: incident.priority },
              [ids.affectedServices]: incident.services,
              [ids.requestType]: systemProblem,
            },
          },
          DEFAULT_USER.accountId,
        ),
      );
      if (res.status !== 201) throw new Error(`Demo seed: could not create an incident (${res.status} ${JSON.stringify(res.body)})`);
      // The app handles the incident (its trigger, then the outbox) while the clock still reads its created
      // time: moving the clock first would date the incident's timeline at another incident's time.
      await wb.idle();
    } finally {
      wb.clock.advance(incident.ago * MINUTE);
    }
  }

  // Casey has the app learn the JSM services the incidents name, for the mapping form.
  await wb.idle();
  await onConsole(wb, CONSOLE.learnJsm, {});
}
