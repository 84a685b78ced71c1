import { applyAll, emptyAggregates, type IndicatorChange } from '../indicators';
import { parsePeriod, quarterContaining, suggestedPeriods } from '../review-period';
import { adfErrors, deepFreeze, headingTitles, hrefsOf, markTypes, nodeTypes, sectionText, stringsOutsideText, textsOf } from './adf-testing';
import { INJECTION_CASES } from './injection-corpus';
import { cleanLine } from './page-text';
import { reviewAdf, reviewFigures, reviewSectionText, reviewTitle, storedFigures, strengthsAndGaps, type ReviewInput } from './review';

const NOW = Date.UTC(2026, 10, 15, 12);
const at = (y: number, m: number, d = 10) => Date.UTC(y, m - 1, d, 9);

/** Four critical services (three approved, two tested, three reviewed on time), recoveries in Q3 and Q4. */
const changes: IndicatorChange[] = [
  { entity: 'service', after: { tier: 1, hasApprovedPlan: true, lastTestedAt: at(2026, 6), reviewDueAt: at(2027, 1) } },
  { entity: 'service', after: { tier: 1, hasApprovedPlan: true, lastTestedAt: at(2026, 9), reviewDueAt: at(2027, 2) } },
  { entity: 'service', after: { tier: 2, hasApprovedPlan: true, reviewDueAt: at(2026, 12) } },
  { entity: 'service', after: { tier: 2, hasApprovedPlan: false, reviewDueAt: at(2026, 3) } },
  { entity: 'invocation', after: { isDrill: false, tier: 1, open: false, recovery: { rtoMinutes: 60, achievedMinutes: 40, rtoMet: true, recoveredAt: at(2026, 8) } } },
  { entity: 'invocation', after: { isDrill: false, tier: 1, open: false, recovery: { rtoMinutes: 60, achievedMinutes: 50, rtoMet: true, recoveredAt: at(2026, 10) } } },
  { entity: 'invocation', after: { isDrill: false, tier: 2, open: false, recovery: { rtoMinutes: 240, achievedMinutes: 300, rtoMet: false, recoveredAt: at(2026, 11) } } },
  { entity: 'invocation', after: { isDrill: true, tier: 1, open: false, recovery: { rtoMinutes: 60, achievedMinutes: 45, rtoMet: true, recoveredAt: at(2026, 7) } } },
  { entity: 'invocation', after: { isDrill: false, tier: 1, open: true } },
  { entity: 'finding', after: { waiting: true } },
  { entity: 'risk', after: { implementationDays: 20 } },
];
const aggregates = deepFreeze(applyAll(emptyAggregates(), changes));

function input(overrides: Partial<ReviewInput> = {}): ReviewInput {
  const period = parsePeriod('2026-Q4');
  return {
    period,
    publishedAt: NOW,
    publishedBy: 'Casey Continuity',
    figures: reviewFigures(aggregates, period, NOW),
    previous: { id: period.previousId, fromAggregates: reviewFigures(aggregates, parsePeriod(period.previousId), NOW), published: { approvedPlan: 0.5, tested: 0.5, reviewedOnTime: 0.75, openIncidents: 3, findingsWaiting: 1, implementationMeanDays: 40 } },
    scope: { servicesByTier: { '1': 2, '2': 2, '3': 0 }, plans: 3 },
    roles: { managerGroups: ['continuity-managers'] },
    gaps: { withoutApprovedPlan: [{ name: 'Customer portal', tier: 2 }], moreWithoutApprovedPlan: false, risksWithoutMechanism: [{ service: 'Ledger', threat: 'Ransomware' }], moreRisksWithoutMechanism: false },
    ...overrides,
  };
}

const rows = (page: unknown) => {
  const table = (page as { content: Array<{ type: string; content?: unknown[] }> }).content.find((n) => n.type === 'table')!;
  return (table.content as Array<{ content: unknown[] }>).map((row) => row.content.map((cell) => textsOf(cell).join('')));
};

describe('periods', () => {
  it('reads quarters and years in UTC, with their months and the period before', () => {
    expect(parsePeriod('2026-Q4')).toEqual({
      id: '2026-Q4',
      kind: 'quarter',
      start: Date.UTC(2026, 9, 1),
      end: Date.UTC(2027, 0, 1),
      short: 'Q4 2026',
      label: 'Q4 2026 (1 October to 31 December 2026)',
      months: ['2026-10', '2026-11', '2026-12'],
      previousId: '2026-Q3',
    });
    expect(parsePeriod('2026-Q1').previousId).toBe('2025-Q4');
    expect(parsePeriod('2025')).toMatchObject({ kind: 'year', label: '2025 (1 January to 31 December 2025)', previousId: '2024' });
    expect(parsePeriod('2025').months).toHaveLength(12);
    expect(() => parsePeriod('2026-Q5')).toThrow('The review period is a quarter such as 2026-Q4, or a year such as 2026.');
    expect(quarterContaining(NOW)).toBe('2026-Q4');
    expect(suggestedPeriods(NOW)).toEqual(['2026-Q3', '2026-Q4', '2025']);
  });
});

describe('figures', () => {
  it('sums recoveries and drills over the period\'s months, and takes shares as of publishing', () => {
    const f = input().figures;
    expect(f.approvedPlan).toEqual({ numerator: 3, denominator: 4 });
    expect(f.tested).toEqual({ numerator: 2, denominator: 4 });
    expect(f.reviewedOnTime).toEqual({ numerator: 3, denominator: 4 });
    expect(f.rtoIncidents).toEqual({ numerator: 1, denominator: 2 });
    expect(f.drills).toBe(0);
    expect(input().previous.fromAggregates.rtoIncidents).toEqual({ numerator: 1, denominator: 1 });
    expect(input().previous.fromAggregates.drills).toBe(1);
    expect(storedFigures(f)).toEqual({ approvedPlan: 0.75, tested: 0.5, reviewedOnTime: 0.75, rtoIncidents: 0.5, rtoDrills: null, drills: 0, openIncidents: 1, findingsWaiting: 1, implementationMeanDays: 20 });
  });
});

describe('the page', () => {
  it('has the ISO 20000 review\'s sections, valid ADF, and the indicators with their trend', () => {
    const page = reviewAdf(input());
    expect(adfErrors(page)).toEqual([]);
    expect(headingTitles(page, 2)).toEqual(['Objectives', 'Scope', 'Roles and responsibilities', 'Indicators', 'Strengths', 'Gaps', 'Actions', 'Notes']);
    expect(rows(page)).toEqual([
      ['Indicator', 'Q4 2026', '2026-Q3', 'Trend'],
      ['Tier 1 and 2 services with an approved plan', '75% (3 of 4)', '50%', 'Up from 50% in 2026-Q3'],
      ['Tier 1 and 2 services tested in the last 12 months', '50% (2 of 4)', '50%', 'Unchanged since 2026-Q3'],
      ['Tier 1 and 2 plans reviewed on time', '75% (3 of 4)', '75%', 'Unchanged since 2026-Q3'],
      ['RTO attainment, incidents in the period', '50% (1 of 2)', '100% (1 of 1)', 'Down from 100% in 2026-Q3'],
      ['RTO attainment, drills in the period', 'No recoveries in the period', '100% (1 of 1)', 'No earlier figure'],
      ['Disaster practices (drills) carried out in the period', '0', '1', 'Down from 1 in 2026-Q3'],
      ['Open invocations of incidents (as of publishing)', '1', '3', 'Down from 3 in 2026-Q3'],
      ['Plans with postmortem findings waiting to be fed in', '1', '1', 'Unchanged since 2026-Q3'],
      ['Mean recovery time against RTO, Tier 1 (Gold) incidents (all time)', '45 min against 1 h (2 recoveries)', '—', 'Within RTO on average'],
      ['Mean recovery time against RTO, Tier 2 (Silver) incidents (all time)', '5 h against 4 h (1 recovery)', '—', 'Over RTO on average'],
      ['Implementation duration: days from a risk identified to its mechanism in place', 'Mean 20 days, median 20 (1 risk)', 'Mean 40 days', 'Down from 40 in 2026-Q3'],
    ]);
    expect(sectionText(page, 'Roles and responsibilities')?.[0]).toContain(
      'Service Continuity Manager (owns the practice, approves plans, business impact analyses and the risk register): Jira administrators and the members of continuity-managers.',
    );
    expect(textsOf(page)[0]).toBe('IT service continuity management review for Q4 2026 (1 October to 31 December 2026).');
    expect(reviewTitle(parsePeriod('2026'))).toBe('IT service continuity review 2026');
  });

  it('reads strengths and gaps against the 90% target, and seeds one action per gap', () => {
    const { strengths, gaps, actions } = strengthsAndGaps(input());
    expect(strengths).toEqual([]);
    expect(gaps).toEqual([
      'Only 75% (3 of 4) of Tier 1 and 2 services have an approved plan, below the 90% target.',
      'Only 50% (2 of 4) of Tier 1 and 2 services were tested in the last 12 months, below the 90% target.',
      'Only 75% (3 of 4) of Tier 1 and 2 services had their plan reviewed on time, below the 90% target.',
      '1 of 2 incident recoveries in the period missed their RTO.',
      'No disaster practice (drill) was carried out in the period.',
      '1 invocation is still open on incidents.',
      '1 plan has postmortem findings waiting to be fed in.',
      'Tier 1 and 2 services without an approved plan: Customer portal (Tier 2).',
      'Risks with no continuity mechanism: Ransomware for Ledger.',
    ]);
    expect(actions).toHaveLength(7);
    const page = reviewAdf(input());
    expect(reviewSectionText(page, 'Actions').split('\n')).toEqual(actions.map((a) => `- ${a}`));
    expect(nodeTypes(page)).toContain('taskList');

    const good = strengthsAndGaps(input({ figures: { ...input().figures, approvedPlan: { numerator: 9, denominator: 10 }, drills: 2, rtoDrills: { numerator: 2, denominator: 2 }, findingsWaiting: 0, findingsHandled: 3 } }));
    expect(good.strengths).toEqual([
      '90% (9 of 10) of Tier 1 and 2 services have an approved plan, at or above the 90% target.',
      '2 disaster practices were carried out in the period, 100% (2 of 2) within RTO.',
      'Every postmortem finding has been fed back into its plan.',
    ]);
  });

  it('keeps people\'s sections verbatim and in place when published again, and is the same page for the same data', () => {
    const first = reviewAdf(input());
    expect(reviewAdf(input(), first)).toEqual(first);
    const edited = structuredClone(first) as { content: unknown[] };
    const objectives = edited.content.findIndex((n) => JSON.stringify(n).includes('"Objectives"'));
    const mine = { type: 'paragraph', content: [{ type: 'text', text: 'Recover payments within 30 minutes.', marks: [{ type: 'strong' }] }] };
    edited.content.splice(objectives + 1, 1, mine);
    edited.content.splice(2, 0, { type: 'paragraph', content: [{ type: 'text', text: 'Draft for the audit committee.' }] });
    edited.content.push({ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Sign-off' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'Approved by the CIO.' }] });
    // Text typed inside an app section is replaced.
    const scope = edited.content.findIndex((n) => JSON.stringify(n).includes('"Scope"'));
    edited.content.splice(scope + 1, 0, { type: 'paragraph', content: [{ type: 'text', text: 'typed into scope' }] });

    const again = reviewAdf(input({ figures: { ...input().figures, drills: 3 } }), edited);
    expect(adfErrors(again)).toEqual([]);
    expect(headingTitles(again)).toEqual(['Objectives', 'Scope', 'Roles and responsibilities', 'Indicators', 'Strengths', 'Gaps', 'Actions', 'Notes', 'Sign-off']);
    expect((again.content as unknown[]).find((n) => JSON.stringify(n) === JSON.stringify(mine))).toBeDefined();
    expect(textsOf(again)).toContain('Draft for the audit committee.');
    expect(textsOf(again)).not.toContain('typed into scope');
    expect(sectionText(again, 'Sign-off')).toEqual(['Approved by the CIO.']);
    expect(JSON.stringify(again)).toContain('Disaster practices (drills) carried out in the period');
  });

  it('refuses to publish over a page that is not a document', () => {
    expect(() => reviewAdf(input(), '<p>storage</p>')).toThrow('The existing review page is not an ADF document; refusing to publish over it.');
  });
});

describe.each(INJECTION_CASES.map((c) => [c.name, c.value] as const))('injection corpus: %s', (_name, value) => {
  it('lands only in text nodes of a valid page, as written', () => {
    const page = reviewAdf(
      input({
        publishedBy: value,
        roles: { managerGroups: [value] },
        gaps: { withoutApprovedPlan: [{ name: value, tier: 1 }], moreWithoutApprovedPlan: true, risksWithoutMechanism: [{ service: value, threat: value }], moreRisksWithoutMechanism: false },
      }),
    );
    expect(adfErrors(page)).toEqual([]);
    expect([...markTypes(page)].sort()).toEqual(['em']);
    expect(hrefsOf(page)).toEqual([]);
    const probe = cleanLine(value);
    for (const { path, value: s } of stringsOutsideText(page)) if (probe.trim().length >= 3) expect({ path, hit: s.includes(probe) }).toEqual({ path, hit: false });
    const gaps = (sectionText(page, 'Gaps') ?? []).join('\n');
    if (probe !== '') expect(gaps).toContain(probe.slice(0, 50));
  });
});
