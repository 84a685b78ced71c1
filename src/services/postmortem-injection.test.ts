/**
 * Injection through every field that reaches a postmortem page or a findings comment, along the whole
 * service path (record → input → page → Confluence → findings): the incident's summary, the impact, the
 * service's name, the plan's title, each step's title and role, a skip's reason and who skipped it,
 * timeline details and actors, a communication template's name and who posted it, a stand-down reason,
 * and a follow-up's summary. Each corpus string lands in text nodes only (never a node, mark, attribute
 * or link), the page and the comment stay valid ADF, and every link is one the app chose.
 */
import type { IncidentRecord } from '../domain/incident-record';
import { adfErrors, hrefsOf, stringsOutsideText } from '../domain/pages/adf-testing';
import { INJECTION_CASES } from '../domain/pages/injection-corpus';
import { cleanLine } from '../domain/pages/page-text';
import { publishPostmortem } from './postmortem';
import { fakeDeps, type FakeDeps } from './testing/fakes';
import { PAYMENTS_PLAN } from './testing/fixtures';
import { loopSite, scriptedIncident, SITE_URL, type LoopSite } from './testing/loop-fixtures';

let deps: FakeDeps;
let site: LoopSite;

beforeEach(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  deps = fakeDeps();
  site = await loopSite(deps);
});
afterEach(() => jest.restoreAllMocks());

/** Every person-written or catalogue-written string of the stored record replaced by `value`. */
function hostile(record: IncidentRecord, value: string): IncidentRecord {
  const invocations = record.invocations.map((inv) => ({
    ...inv,
    plan: {
      ...inv.plan,
      title: value,
      steps: inv.plan.steps.map((s) => ({ ...s, title: value, role: value })),
      commsTemplates: inv.plan.commsTemplates.map((t) => ({ ...t, name: value })),
    },
    service: { ...inv.service, name: value },
    steps: Object.fromEntries(Object.entries(inv.steps ?? {}).map(([id, r]) => [id, { ...r, byName: value, ...(r.reason ? { reason: value } : {}) }])),
    timeline: inv.timeline.map((e) => ({ ...e, detail: value, actorName: value })),
  }));
  const comments = Object.fromEntries(Object.entries(record.jira.comments).map(([id, byKind]) => [id, Object.fromEntries(Object.entries(byKind).map(([k, w]) => [k, { ...w, by: value }]))]));
  return {
    ...record,
    invocations,
    jira: { ...record.jira, comments },
    postmortem: { ...record.postmortem, impact: value },
    followUps: { f1: { key: 'f1', summary: value, issueId: '99001', issueKey: 'OPS-901', linked: true, createdBy: value, createdAt: record.updatedAt } },
  };
}

function expectOnlyInText(doc: unknown, value: string, allowedHrefs: readonly string[]): void {
  const probes = [value, cleanLine(value)].filter((v) => v.trim().length >= 3);
  for (const { path, value: s } of stringsOutsideText(doc)) {
    if (path.endsWith('/attrs/href') && allowedHrefs.includes(s)) continue;
    for (const probe of probes) if (s.includes(probe)) throw new Error(`hostile text at ${path}: ${JSON.stringify(s).slice(0, 80)}`);
  }
}

// Every field holding the ten-thousand-character case at once would not fit one stored record (240 KiB);
// the app's own limits keep each field far shorter, so that case is cut to what a record can hold.
const RECORD_SAFE = 3_000;

describe.each(INJECTION_CASES.map((c) => [c.name, c.value.slice(0, RECORD_SAFE)] as const))('injection corpus: %s', (_name, value) => {
  it('reaches the postmortem page and the findings comment as text only', async () => {
    const { issue } = await scriptedIncident(deps);
    deps.jira.updateIssue(issue.key, { summary: value });
    const stored = (await deps.store.getRecord(issue.id))!;
    await deps.store.saveRecord(hostile(stored, value), stored.version);
    const published = await publishPostmortem({ issueId: issue.id, actor: { accountId: 'agent-1', displayName: value }, siteUrl: SITE_URL }, deps);
    const page = deps.confluence.latest(published.page.id).body;
    expect(adfErrors(page)).toEqual([]);
    const planUrl = site.plans[PAYMENTS_PLAN.id].pageUrl;
    const allowed = [`${SITE_URL}/browse/${issue.key}`, `${SITE_URL}/browse/OPS-901`, planUrl, published.page.url];
    for (const href of hrefsOf(page)) expect(allowed).toContain(href);
    expectOnlyInText(page, value, allowed);
    expect(published.page.title.length).toBeLessThanOrEqual(255);

    const comments = deps.confluence.pages.get(site.plans[PAYMENTS_PLAN.id].pageId)!.comments;
    expect(comments).toHaveLength(1);
    expect(adfErrors(comments[0].body)).toEqual([]);
    for (const href of hrefsOf(comments[0].body)) expect(href).toBe(published.page.url);
    expectOnlyInText(comments[0].body, value, [published.page.url]);
  });
});
