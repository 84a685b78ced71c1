/**
 * Test support for the loop's services: a site whose plans have real pages in the fake Confluence
 * (a CONT space with a Postmortems parent page), and an incident scripted at known times (steps done,
 * skipped, an update posted, recovery declared), plus readers for the tables of a published page.
 */
import { doc, p, text } from '@atlaskit/adf-utils/builders';
import type { ContinuityPlan, Service } from '../../domain/catalogue';
import type { ContinuitySettings } from '../../domain/incident';
import { invocationId } from '../../domain/invocation';
import { cellText, readingOrder, readTree, sections, tableGrid } from '../../domain/pages/adf-read';
import { actOnPanel } from '../issue-panel';
import { linkIncident } from '../link-incident';
import { asUser, type FakeDeps, type FakeIssue } from './fakes';
import { AGENT, deliver, panelDeps, PAYMENTS, LEDGER, PAYMENTS_PLAN, LEDGER_PLAN, ready, resetCounts } from './fixtures';

export const SITE_URL = 'https://acme.atlassian.net';
export const MINUTE = 60_000;

export interface LoopSite {
  spaceId: string;
  postmortemsParentId: string;
  plans: Record<string, ContinuityPlan>;
}

/**
 * The catalogue (Payments and Ledger with plans whose pages exist in Confluence), settings naming the
 * CONT space and its Postmortems page, and the agents known to Jira.
 */
export async function loopSite(deps: FakeDeps, settings: Partial<ContinuitySettings> = {}, services: Service[] = [PAYMENTS, LEDGER], basePlans: ContinuityPlan[] = [PAYMENTS_PLAN, LEDGER_PLAN]): Promise<LoopSite> {
  deps.jira.setIssueTypes(['Incident', 'Service request', 'Task']);
  const space = deps.confluence.addSpace('CONT', 'Service Continuity');
  const parent = deps.confluence.addPage(space.id, 'Postmortems', doc(p(text('Postmortems of continuity incidents.'))));
  const plans: Record<string, ContinuityPlan> = {};
  for (const plan of basePlans) {
    const page = deps.confluence.addPage(space.id, plan.title, doc(p(text(`The plan ${plan.title}.`))));
    plans[plan.id] = { ...plan, pageId: page.id, pageUrl: `${SITE_URL}/wiki/spaces/CONT/pages/${page.id}` };
  }
  await ready(deps, { services, plans: Object.values(plans) }, { postmortemSpaceKey: 'CONT', postmortemParentPageId: parent.id, drillProjectKey: 'OPS', ...settings });
  return { spaceId: space.id, postmortemsParentId: parent.id, plans };
}

/** The panel's deps for a signed-in user. */
export const asAgent = (deps: FakeDeps, user: { accountId: string } = AGENT) => ({ ...panelDeps(asUser(deps, user.accountId)), siteUrl: SITE_URL });

/**
 * A P1 on Payments raised at t0 (the clock's time when called), worked as scripted: the update posted at
 * +10 min, "Fail over to the standby" (expected 15 min) done at +40, "Verify payments" (expected 10 min)
 * skipped at +45, recovery declared at +70 against an RTO of 60 (missed by 10).
 */
export async function scriptedIncident(deps: FakeDeps, services: string[] = ['jsm-payments']): Promise<{ issue: FakeIssue; t0: number }> {
  const t0 = deps.clock.now();
  const issue = deps.jira.addIssue({ affectedServices: services, summary: 'Payments are failing in eu-west-1', created: t0 });
  await linkIncident(issue.id, deps, { issueKey: issue.key });
  await deliver(deps);
  const agent = asAgent(deps);
  const inv = invocationId(issue.id, PAYMENTS_PLAN.id);
  deps.clock.set(t0 + 10 * MINUTE);
  await actOnPanel(issue, AGENT.accountId, { kind: 'post-comms', invocationId: inv, templateId: 'status', audience: 'internal', impact: 'Card payments fail', seen: 0 }, agent);
  deps.clock.set(t0 + 40 * MINUTE);
  await actOnPanel(issue, AGENT.accountId, { kind: 'step-done', invocationId: inv, stepId: 'fail-over' }, agent);
  deps.clock.set(t0 + 45 * MINUTE);
  await actOnPanel(issue, AGENT.accountId, { kind: 'step-skip', invocationId: inv, stepId: 'verify', reason: 'Payments verified themselves in the fail-over' }, agent);
  deps.clock.set(t0 + 70 * MINUTE);
  for (const id of services.length > 1 ? [inv, invocationId(issue.id, LEDGER_PLAN.id)] : [inv]) await actOnPanel(issue, AGENT.accountId, { kind: 'recover', invocationId: id }, agent);
  await deliver(deps);
  deps.clock.set(t0 + 24 * 60 * MINUTE);
  resetCounts(deps);
  return { issue, t0 };
}

/** The rows of the `nth` table of a page's section, as text. */
export function sectionTable(page: unknown, title: string, nth = 0): string[][] {
  const section = sections(readingOrder(readTree(page).root)).find((s) => s.title === title);
  if (!section) throw new Error(`No section ${title}`);
  const table = section.blocks.filter((b) => b.node.type === 'table')[nth];
  if (!table) throw new Error(`No table ${nth} in ${title}`);
  return tableGrid(table.node).map((row) => row.map((c) => (c ? cellText(c.node) : '')));
}
