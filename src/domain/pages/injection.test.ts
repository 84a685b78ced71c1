/**
 * Every builder and reader of src/domain/pages meets the shared injection corpus: the output is valid ADF,
 * each hostile string lands only in text nodes (never a node type, mark, attribute or link), and reading
 * the page back gives the text as written (cleaned of what the app never writes; see page-text.ts).
 */
import { heading, p, text } from '@atlaskit/adf-utils/builders';
import { adfToStorage, storageToAdf } from '../../../workbench/products/confluence/convert';
import { cellText, readingOrder, readTree, sections, tableGrid } from './adf-read';
import { adfErrors, hrefsOf, markTypes, nodeTypes, stringsOutsideText, T0, MINUTE, textsOf } from './adf-testing';
import { findingsCommentAdf, findingsFromPostmortem, type Finding } from './findings';
import { withStepIds, withTemplateIds } from './ids';
import { INJECTION_CASES, INJECTION_CORPUS } from './injection-corpus';
import { cleanBody, cleanLine, LIMITS, truncate } from './page-text';
import { appendReviewHistory } from './plan-edit';
import { DEFAULT_ROLE, parsePlanPage } from './plan-parse';
import { planPageAdf } from './plan-template';
import { humanSectionText, postmortemAdf } from './postmortem';
import type { PostmortemInput } from './postmortem-input';

const APP_URL = 'https://acme.atlassian.net/wiki/spaces/OPS/pages/2001';
const ISSUE_URL = 'https://acme.atlassian.net/browse/OPS-42';
const PLAN_URL = 'https://acme.atlassian.net/wiki/spaces/OPS/pages/1001';
const OWNER = '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077';
// eslint-disable-next-line no-control-regex
const UNWRITABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** The hostile string appears nowhere but in text nodes (attribute values the app chose are allowed to be anything else). */
function expectOnlyInText(page: unknown, value: string, allowedHrefs: readonly string[] = []): void {
  const probes = [value, cleanLine(value)].filter((v) => v.trim().length >= 3);
  for (const { path, value: s } of stringsOutsideText(page)) {
    if (path.endsWith('/attrs/href') && allowedHrefs.includes(s)) continue;
    for (const probe of probes) if (s.includes(probe)) throw new Error(`hostile text at ${path}: ${JSON.stringify(s).slice(0, 80)}`);
  }
}

function expectWritable(page: unknown): void {
  for (const t of textsOf(page)) expect(UNWRITABLE.test(t)).toBe(false);
  for (const { value } of stringsOutsideText(page)) expect(UNWRITABLE.test(value)).toBe(false);
}

const line = (value: string, max: number = LIMITS.line) => truncate(cleanLine(value), max);

describe.each(INJECTION_CASES.map((c) => [c.name, c.value] as const))('injection corpus: %s', (_name, value) => {
  const written = cleanLine(value) !== '';

  it('plan template: valid, text only, and the steps and templates read back as written', () => {
    const page = planPageAdf({
      services: [{ name: value, tier: 1, rtoMinutes: 60, rpoMinutes: 15, dependsOn: [value] }],
      scope: value,
      roles: [{ role: value, person: value, contact: value }],
      steps: [
        { title: value, role: value, expectedMinutes: 20 },
        { title: 'Normal step', role: 'Ops', expectedMinutes: 5 },
      ],
      comms: [
        { name: value, audience: 'public', body: value },
        { name: 'Normal', audience: 'internal', body: `Before\n${value}\nAfter` },
      ],
      vendors: [{ name: value, contact: value, notes: value }],
      published: { date: value, who: value },
    });
    expect(adfErrors(page)).toEqual([]);
    expect([...nodeTypes(page)].sort()).toEqual(['bulletList', 'doc', 'heading', 'listItem', 'paragraph', 'status', 'table', 'tableCell', 'tableHeader', 'tableRow', 'text']);
    expect([...markTypes(page)]).toEqual([]);
    expectOnlyInText(page, value);
    expectWritable(page);

    const result = parsePlanPage(page);
    if (!result.readable) throw new Error(result.problems.join(' / '));
    if (written) {
      expect(result.problems).toEqual([]);
      expect(result.steps).toEqual(
        withStepIds([
          { title: line(value, LIMITS.stepTitle), role: line(value, LIMITS.role), expectedMinutes: 20 },
          { title: 'Normal step', role: 'Ops', expectedMinutes: 5 },
        ]),
      );
      expect(result.comms).toEqual(
        withTemplateIds([
          { name: line(value, LIMITS.templateName), audience: 'public', body: truncate(cleanBody(value), LIMITS.templateBody) },
          { name: 'Normal', audience: 'internal', body: cleanBody(`Before\n${value}\nAfter`) },
        ]),
      );
    } else {
      // Nothing is left of it: the row has no step text, and the parser says so.
      expect(result.steps.map((s) => [s.title, s.role])).toEqual([['Normal step', 'Ops']]);
      expect(result.problems).toContain('Steps table, row 2 has no step text ("1", "20 min"); skipped.');
      expect(result.comms.map((c) => c.name)).toEqual(['Normal']);
    }
  });

  it('plan template: the same steps and templates after a trip through the storage format (the workbench\'s Confluence converter)', () => {
    const page = planPageAdf({
      services: [{ name: value, tier: 1, rtoMinutes: 60, rpoMinutes: 15 }],
      steps: [
        { title: value, role: value, expectedMinutes: 20 },
        { title: 'Normal step', role: 'Ops', expectedMinutes: 5 },
      ],
      comms: [{ name: value, audience: 'public', body: value }, { name: 'Normal', audience: 'internal', body: 'x' }],
      published: { date: value, who: value },
    });
    const direct = parsePlanPage(page);
    const viaStorage = parsePlanPage(storageToAdf(adfToStorage(page as never)));
    expect(viaStorage).toEqual(direct);
  });

  it('plan page typed by a person: the reader cleans what it reads and never throws', () => {
    const page = { type: 'doc', version: 1, content: [heading({ level: 2 })(text('Recovery steps')), { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: value }] }] }] }] };
    const result = parsePlanPage(page);
    if (written) {
      expect(result.readable).toBe(true);
      const [first] = result.readable ? result.steps : [];
      expect(UNWRITABLE.test(first.title + first.role)).toBe(false);
      expect(first.title.length).toBeGreaterThan(0);
    } else expect(result).toMatchObject({ readable: false, reason: 'no-steps-in-section' });
  });

  it('review history row: valid, text only, idempotent', () => {
    const page = planPageAdf({ services: [{ name: 'S', tier: 1, rtoMinutes: 60, rpoMinutes: 15 }], published: { date: '2026-11-01', who: 'Ana' } });
    const entry = { date: '2026-11-22', who: value, change: written ? value : 'Reviewed' };
    const after = appendReviewHistory(page, entry);
    expect(adfErrors(after)).toEqual([]);
    expectOnlyInText(after, value);
    expectWritable(after);
    expect(appendReviewHistory(after, entry)).toBe(after);
    const section = sections(readingOrder(readTree(after).root)).find((s) => s.title === 'Review history')!;
    const rows = tableGrid(section.blocks[0].node).map((row) => row.map((c) => (c ? cellText(c.node) : '')));
    expect(rows.at(-1)).toEqual(['2026-11-22', line(value), written ? line(value) : 'Reviewed']);
  });

  const invocation = {
    planId: 'plan-1',
    plan: { title: value, url: PLAN_URL },
    service: { name: value, tier: 1 as const },
    state: 'recovered' as const,
    rtoMinutes: 60,
    rpoMinutes: 15,
    startedAt: T0,
    recoveredAt: T0 + 90 * MINUTE,
    standDownReason: value,
    steps: [
      { id: value, title: value, role: value, expectedMinutes: 10, record: { status: 'skipped' as const, byName: value, at: T0 + 5 * MINUTE, reason: value } },
      { id: 's2', title: value, role: value, expectedMinutes: 10, record: { status: 'done' as const, byName: value, at: T0 + 60 * MINUTE } },
    ],
    timeline: [{ at: T0 + MINUTE, actorName: value, detail: value }],
    commsSent: [{ at: T0 + 2 * MINUTE, templateName: value, audience: 'public' as const, byName: value }],
  };
  const input: PostmortemInput = { incident: { key: value, summary: value, url: ISSUE_URL, createdAt: T0, impact: value }, drill: true, publishedAt: T0 + 600 * MINUTE, invocations: [invocation] };

  it('postmortem: valid, text only, links only to the app\'s URLs, text recoverable', () => {
    const page = postmortemAdf(input);
    expect(adfErrors(page)).toEqual([]);
    expect([...nodeTypes(page)].sort()).toEqual(['doc', 'heading', 'panel', 'paragraph', 'table', 'tableCell', 'tableHeader', 'tableRow', 'taskItem', 'taskList', 'text']);
    expect([...markTypes(page)].sort()).toEqual(written ? ['em', 'link'] : ['em']);
    expectOnlyInText(page, value, [ISSUE_URL, PLAN_URL]);
    expectWritable(page);
    expect(new Set(hrefsOf(page))).toEqual(new Set(written ? [ISSUE_URL, PLAN_URL] : []));
    const stepRows = (() => {
      const section = sections(readingOrder(readTree(page).root)).find((s) => s.title === 'Recovery steps')!;
      const t = section.blocks.find((b) => b.node.type === 'table')!;
      return tableGrid(t.node).map((row) => row.map((c) => (c ? cellText(c.node) : '')));
    })();
    expect(stepRows[1].slice(1, 5)).toEqual([line(value), line(value), written ? line(`Skipped: ${cleanLine(value)}`) : 'Skipped: no reason given', line(value)]);
  });

  it('postmortem: the URLs themselves hostile make no links', () => {
    const page = postmortemAdf({ ...input, incident: { ...input.incident, url: value }, invocations: [{ ...invocation, plan: { title: 'P', url: value } }] });
    expect(adfErrors(page)).toEqual([]);
    expect(hrefsOf(page)).toEqual([]);
  });

  it('postmortem: a Lessons section holding it is kept verbatim when the app publishes again', () => {
    const first = postmortemAdf(input);
    const content = [...first.content];
    const at = content.findIndex((n) => n.type === 'heading' && textsOf(n).join('') === 'Lessons');
    content.splice(at + 1, 1, ...(written ? [p(text(value))] : [p()]));
    const existing = { ...first, content };
    const again = postmortemAdf({ ...input, publishedAt: input.publishedAt + MINUTE }, existing);
    expect(adfErrors(again)).toEqual([]);
    expect(humanSectionText(again, 'Lessons')).toBe(written ? cleanBody(value) : '');
  });

  it('findings comment: valid, one mention of the owner, links only to the postmortem', () => {
    const findings: Finding[] = [...findingsFromPostmortem(input, { overrunRatio: 1.5 }), ...(written ? [{ kind: 'lessons' as const, text: value }] : [])];
    expect(findings.length).toBeGreaterThan(0);
    const comment = findingsCommentAdf(findings, { ownerAccountId: OWNER, postmortemUrl: APP_URL, incidentKey: value, drill: true });
    expect(adfErrors(comment)).toEqual([]);
    expectOnlyInText(comment, value, [APP_URL]);
    expectWritable(comment);
    expect(new Set(hrefsOf(comment))).toEqual(new Set([APP_URL]));
    expect(nodeTypes(comment)).toEqual(new Set(['doc', 'paragraph', 'text', 'mention', 'bulletList', 'listItem']));
    const hostileOwner = findingsCommentAdf(findings, { ownerAccountId: value, postmortemUrl: value, incidentKey: value });
    expect(adfErrors(hostileOwner)).toEqual([]);
    expect(hrefsOf(hostileOwner)).toEqual([]);
    expect(nodeTypes(hostileOwner)).not.toContain('mention');
  });
});

it('the corpus is the list of hostile strings the tests above use', () => {
  expect(INJECTION_CORPUS).toHaveLength(INJECTION_CASES.length);
  expect(INJECTION_CORPUS.some((s) => s.length >= 10_000)).toBe(true);
});
