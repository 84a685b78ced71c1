/**
 * Demo data on first start: the base Jira/JSM and Confluence sites, the continuity catalogue (three
 * services of different tiers) with a plan page for each, and a few incidents, created through the
 * products' real REST paths so that the app's trigger links them as it would on a real site.
 * `empty` seeds only the base sites (users, projects, JSM services, the CONT space): an app as a
 * customer first installs it.
 */
import type { Workbench } from '../workbench';
import type { ProductRequest } from '../products/types';
import { APP_USER, DEFAULT_USER } from '../products/users';
import { KvsCatalogueStore } from '../../src/adapters/kvs-catalogue';
import { saveCatalogue } from '../../src/services/catalogue';
import type { ContinuityPlan, Service } from '../../src/domain/catalogue';
import { DEMO_SERVICES, type DemoService } from './plans';

const MINUTE = 60_000;

function request(method: string, path: string, body?: unknown, accountId = APP_USER.accountId): ProductRequest {
  const url = new URL(path, 'http://workbench.local');
  return { method, path: url.pathname, query: url.searchParams, headers: { 'content-type': 'application/json' }, body, rawBody: body ? JSON.stringify(body) : undefined, principal: { kind: 'user', accountId } };
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function planPageBody(demo: DemoService): string {
  const { service, plan } = demo;
  const rows = plan.steps
    .map((s, i) => `<tr><td>${i + 1}</td><td>${escapeXml(s.title)}</td><td>${escapeXml(s.role)}</td><td>${s.expectedMinutes} min</td></tr>`)
    .join('');
  return [
    `<h2>Scope</h2><p>${escapeXml(demo.scenario)} affecting ${escapeXml(service.name)} (Tier ${service.tier}).</p>`,
    `<h2>Objectives</h2><ul><li>RTO: ${service.rtoMinutes} minutes</li><li>RPO: ${service.rpoMinutes} minutes</li></ul>`,
    `<h2>Recovery steps</h2><table><tbody><tr><th>#</th><th>Step</th><th>Role</th><th>Expected</th></tr>${rows}</tbody></table>`,
    `<h2>Communication</h2><ul>${plan.commsTemplates.map((t) => `<li><strong>${escapeXml(t.name)}</strong> (${t.audience}): ${escapeXml(t.body)}</li>`).join('')}</ul>`,
  ].join('');
}

export interface SeedOptions {
  /** Only the base sites: no catalogue, plans or incidents. */
  empty?: boolean;
}

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
  const jsmServices = wb.jira.services();
  const services: Service[] = [];
  const plans: ContinuityPlan[] = [];

  for (const demo of DEMO_SERVICES) {
    const jsm = jsmServices.find((s) => s.name === demo.jsmServiceName);
    services.push({ ...demo.service, jsmServiceIds: jsm ? [jsm.id] : [] });
    const created = await wb.confluence.handle(
      request('POST', '/wiki/api/v2/pages', { spaceId, status: 'current', title: demo.plan.title, body: { representation: 'storage', value: planPageBody(demo) } }),
    );
    if (created.status !== 200) throw new Error(`Demo seed: could not create the plan page (${created.status} ${JSON.stringify(created.body)})`);
    const page = created.body as { id: string; _links: { webui: string; base?: string } };
    plans.push({ ...demo.plan, pageId: page.id, pageUrl: `${wb.siteUrl}/wiki${page._links.webui}` });
  }
  await saveCatalogue({ services, plans }, new KvsCatalogueStore());

  // A few incidents, created in the past with the workbench clock, so their RTO clocks are running.
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
    } finally {
      wb.clock.advance(incident.ago * MINUTE);
    }
  }
}
