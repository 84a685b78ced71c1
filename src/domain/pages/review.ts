/**
 * The practice review page: an IT service continuity management review for one period, in the shape an
 * ISO/IEC 20000-1 review takes (objectives, scope, roles, the indicators with their trend, strengths,
 * gaps, actions), filled from the app's data for the Service Continuity Manager to finish and share.
 *
 * Sections (heading level 2) are of two kinds, as on the postmortem page:
 *   - the app's: Scope, Roles and responsibilities, Indicators, Strengths, Gaps. Rebuilt from the data
 *     every time the app publishes.
 *   - people's: Objectives (first, seeded with the usual objectives), Actions (seeded with one task per
 *     gap found), Notes, and any section a person adds. Kept verbatim when the app publishes again,
 *     Objectives before the app's sections and the rest after them; seeded only when the page has none.
 * Strengths and gaps are read against TARGET_SHARE: a share at or above it is a strength, below it a
 * gap. Period figures (RTO attainment, drills) are summed over the period's months; the shares and the
 * counts of open work are as of publishing. The trend compares with the previous period: period figures
 * from the same aggregates, shares from the previous period's published review (when there is one).
 */
import { doc, em, p, table, tableRow, taskItem, taskList, bulletList, listItem } from '@atlaskit/adf-utils/builders';
import type { BlockContent, DocNode, Inline, TaskItemDefinition } from '@atlaskit/adf-schema';
import { TIER_NAMES } from '../catalogue';
import { invalidInput } from '../errors';
import { formatInstant } from '../format';
import { indicatorViews, type IndicatorAggregates } from '../indicators';
import type { ReviewPeriod } from '../review-period';
import { blockLines, headingLevel, inlineText, readTree, textUnderHeadings, type ReadNode } from './adf-read';
import { bodyCell, h, headerCell, para, phrase, words, type CellContent } from './adf-write';
import { formatMinutes } from './duration';
import { localId } from './ids';
import { cleanLine, comparable, headingName, LIMITS } from './page-text';

/** A share at or above this reads as a strength; below it, a gap. */
export const TARGET_SHARE = 0.9;

export const APP_SECTIONS = ['Scope', 'Roles and responsibilities', 'Indicators', 'Strengths', 'Gaps'] as const;
export const HUMAN_SECTIONS = ['Objectives', 'Actions', 'Notes'] as const;
export type HumanSection = (typeof HUMAN_SECTIONS)[number];

const HUMAN_ALIASES: Readonly<Record<HumanSection, readonly string[]>> = {
  Objectives: ['objectives', 'objective', 'goals', 'aims'],
  Actions: ['actions', 'action items', 'improvement actions', 'actions agreed', 'next steps'],
  Notes: ['notes', 'conclusions', 'conclusion', 'other notes'],
};
const APP_NAMES = new Set(APP_SECTIONS.map((s) => headingName(s)));
/** Lists in the gaps are cut at this many names (the page says how many more). */
export const MAX_LISTED = 25;

// ---- Figures ----

export interface Ratio {
  numerator: number;
  denominator: number;
}

/** The review's figures: what the page shows, and what the next review compares with. */
export interface ReviewFigures {
  approvedPlan: Ratio;
  tested: Ratio;
  reviewedOnTime: Ratio;
  /** Recoveries in the period, and those within RTO. */
  rtoIncidents: Ratio;
  rtoDrills: Ratio;
  /** Drills carried out (recovered) in the period. */
  drills: number;
  openIncidents: number;
  openDrills: number;
  findingsWaiting: number;
  findingsHandled: number;
  implementation: { count: number; meanDays: number | null; medianDays: number | null };
  /** Incidents ever recovered, by tier: mean minutes achieved and mean RTO. */
  meanRecovery: Record<'1' | '2' | '3', { count: number; achieved: number | null; rto: number | null }>;
}

const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator });
const sumMonths = (buckets: Record<string, number>, months: readonly string[]) => months.reduce((n, m) => n + (buckets[m] ?? 0), 0);

/** The figures of `period` from the aggregates, as of `now`. */
export function reviewFigures(aggregates: IndicatorAggregates, period: Pick<ReviewPeriod, 'months'>, now: number): ReviewFigures {
  const v = indicatorViews(aggregates, now);
  const rec = aggregates.recoveries;
  const share = (s: { numerator: number; denominator: number }) => ratio(s.numerator, s.denominator);
  return {
    approvedPlan: share(v.approvedPlan.critical),
    tested: share(v.testedLast12Months.critical),
    reviewedOnTime: share(v.reviewedOnTime.critical),
    rtoIncidents: ratio(sumMonths(rec.incident.metByMonth, period.months), sumMonths(rec.incident.recoveredByMonth, period.months)),
    rtoDrills: ratio(sumMonths(rec.drill.metByMonth, period.months), sumMonths(rec.drill.recoveredByMonth, period.months)),
    drills: sumMonths(rec.drill.recoveredByMonth, period.months),
    openIncidents: v.openInvocations.incidents,
    openDrills: v.openInvocations.drills,
    findingsWaiting: v.findings.waiting,
    findingsHandled: v.findings.handled,
    implementation: v.implementationDays,
    meanRecovery: Object.fromEntries(
      (['1', '2', '3'] as const).map((t) => [t, { count: v.meanRecovery.incidents[t].count, achieved: v.meanRecovery.incidents[t].meanAchievedMinutes, rto: v.meanRecovery.incidents[t].meanRtoMinutes }]),
    ) as ReviewFigures['meanRecovery'],
  };
}

/** The figures kept with a published review, flat, for the next review's trend. */
export function storedFigures(f: ReviewFigures): Record<string, number | null> {
  const share = (r: Ratio) => (r.denominator === 0 ? null : r.numerator / r.denominator);
  return {
    approvedPlan: share(f.approvedPlan),
    tested: share(f.tested),
    reviewedOnTime: share(f.reviewedOnTime),
    rtoIncidents: share(f.rtoIncidents),
    rtoDrills: share(f.rtoDrills),
    drills: f.drills,
    openIncidents: f.openIncidents,
    findingsWaiting: f.findingsWaiting,
    implementationMeanDays: f.implementation.meanDays,
  };
}

// ---- Input ----

export interface ReviewInput {
  period: ReviewPeriod;
  publishedAt: number;
  /** Who published (display name). */
  publishedBy?: string;
  figures: ReviewFigures;
  /** The previous period's figures: period sums from the aggregates, and the rest from its review. */
  previous: { id: string; fromAggregates: ReviewFigures; published?: Record<string, number | null> };
  scope: { servicesByTier: Record<'1' | '2' | '3', number>; plans: number };
  roles: { managerGroups: readonly string[] };
  gaps: {
    withoutApprovedPlan: ReadonlyArray<{ name: string; tier: 1 | 2 | 3 }>;
    /** More Tier 1 and 2 services lack an approved plan than are listed. */
    moreWithoutApprovedPlan: boolean;
    risksWithoutMechanism: ReadonlyArray<{ service: string; threat: string }>;
    moreRisksWithoutMechanism: boolean;
  };
}

export function reviewTitle(period: Pick<ReviewPeriod, 'short'>): string {
  return `IT service continuity review ${period.short}`;
}

// ---- Words ----

const percent = (r: Ratio): string => (r.denominator === 0 ? 'none to count' : `${Math.round((r.numerator / r.denominator) * 100)}% (${r.numerator} of ${r.denominator})`);
const shareOf = (r: Ratio): number | null => (r.denominator === 0 ? null : r.numerator / r.denominator);
const utc = (at: number) => formatInstant(at, 'UTC');

/** "up from 75%", "down from 3", "unchanged", "no earlier figure". */
function trend(now: number | null, before: number | null | undefined, asPercent: boolean, since: string): string {
  if (now === null || before === null || before === undefined) return 'No earlier figure';
  const show = (x: number) => (asPercent ? `${Math.round(x * 100)}%` : String(Math.round(x * 10) / 10));
  if (show(now) === show(before)) return `Unchanged since ${since}`;
  return `${now > before ? 'Up' : 'Down'} from ${show(before)} in ${since}`;
}

interface Row {
  indicator: string;
  value: string;
  previous: string;
  trend: string;
}

function indicatorRows(input: ReviewInput): Row[] {
  const f = input.figures;
  const prior = input.previous.fromAggregates;
  const published = input.previous.published;
  const since = input.previous.id;
  const shareRow = (indicator: string, r: Ratio, key: string): Row => {
    const before = published?.[key];
    return { indicator, value: percent(r), previous: before === undefined || before === null ? '—' : `${Math.round(before * 100)}%`, trend: trend(shareOf(r), before, true, since) };
  };
  const periodRow = (indicator: string, r: Ratio, was: Ratio): Row => ({
    indicator,
    value: r.denominator === 0 ? 'No recoveries in the period' : percent(r),
    previous: was.denominator === 0 ? '—' : percent(was),
    trend: trend(shareOf(r), shareOf(was), true, since),
  });
  const countRow = (indicator: string, now: number, before: number | null | undefined): Row => ({
    indicator,
    value: String(now),
    previous: before === undefined || before === null ? '—' : String(before),
    trend: trend(now, before, false, since),
  });
  const rows: Row[] = [
    shareRow('Tier 1 and 2 services with an approved plan', f.approvedPlan, 'approvedPlan'),
    shareRow('Tier 1 and 2 services tested in the last 12 months', f.tested, 'tested'),
    shareRow('Tier 1 and 2 plans reviewed on time', f.reviewedOnTime, 'reviewedOnTime'),
    periodRow('RTO attainment, incidents in the period', f.rtoIncidents, prior.rtoIncidents),
    periodRow('RTO attainment, drills in the period', f.rtoDrills, prior.rtoDrills),
    countRow('Disaster practices (drills) carried out in the period', f.drills, prior.drills),
    countRow('Open invocations of incidents (as of publishing)', f.openIncidents, published?.openIncidents),
    countRow('Plans with postmortem findings waiting to be fed in', f.findingsWaiting, published?.findingsWaiting),
  ];
  for (const tier of ['1', '2', '3'] as const) {
    const m = f.meanRecovery[tier];
    if (m.count === 0) continue;
    rows.push({
      indicator: `Mean recovery time against RTO, ${TIER_NAMES[Number(tier) as 1 | 2 | 3]} incidents (all time)`,
      value: `${formatMinutes(Math.round(m.achieved ?? 0))} against ${formatMinutes(Math.round(m.rto ?? 0))} (${m.count} ${m.count === 1 ? 'recovery' : 'recoveries'})`,
      previous: '—',
      trend: (m.achieved ?? 0) <= (m.rto ?? 0) ? 'Within RTO on average' : 'Over RTO on average',
    });
  }
  const impl = f.implementation;
  const before = published?.implementationMeanDays;
  rows.push({
    indicator: 'Implementation duration: days from a risk identified to its mechanism in place',
    value: impl.count === 0 ? 'No mechanism in place yet' : `Mean ${Math.round((impl.meanDays ?? 0) * 10) / 10} days, median ${impl.medianDays} (${impl.count} ${impl.count === 1 ? 'risk' : 'risks'})`,
    previous: before === undefined || before === null ? '—' : `Mean ${Math.round(before * 10) / 10} days`,
    trend: trend(impl.meanDays, before, false, since),
  });
  return rows;
}

/** Strengths and gaps read from the figures (TARGET_SHARE), in words. */
export function strengthsAndGaps(input: ReviewInput): { strengths: string[]; gaps: string[]; actions: string[] } {
  const f = input.figures;
  const strengths: string[] = [];
  const gaps: string[] = [];
  const actions: string[] = [];
  const target = `${Math.round(TARGET_SHARE * 100)}%`;
  const judge = (r: Ratio, what: string, action: string) => {
    const s = shareOf(r);
    if (s === null) return;
    if (s >= TARGET_SHARE) strengths.push(`${percent(r)} of Tier 1 and 2 services ${what}, at or above the ${target} target.`);
    else {
      gaps.push(`Only ${percent(r)} of Tier 1 and 2 services ${what}, below the ${target} target.`);
      actions.push(action);
    }
  };
  judge(f.approvedPlan, 'have an approved plan', 'Get a plan approved for every Tier 1 and 2 service listed under Gaps.');
  judge(f.tested, 'were tested in the last 12 months', 'Schedule a test of every Tier 1 and 2 plan not tested in the last 12 months.');
  judge(f.reviewedOnTime, 'had their plan reviewed on time', 'Review the plans that are overdue for review.');
  const rto = shareOf(f.rtoIncidents);
  if (rto !== null) {
    const missed = f.rtoIncidents.denominator - f.rtoIncidents.numerator;
    if (rto >= TARGET_SHARE) strengths.push(`${percent(f.rtoIncidents)} of incident recoveries in the period were within their RTO.`);
    else {
      gaps.push(`${missed} of ${f.rtoIncidents.denominator} incident recoveries in the period missed their RTO.`);
      actions.push('Go through the postmortems of the incidents that missed their RTO and feed their findings into the plans.');
    }
  }
  const drillRto = shareOf(f.rtoDrills);
  if (drillRto !== null && drillRto < TARGET_SHARE) gaps.push(`${f.rtoDrills.denominator - f.rtoDrills.numerator} of ${f.rtoDrills.denominator} drills in the period did not recover within the RTO.`);
  if (f.drills > 0) strengths.push(`${f.drills} disaster ${f.drills === 1 ? 'practice was' : 'practices were'} carried out in the period${drillRto !== null && drillRto >= TARGET_SHARE ? `, ${percent(f.rtoDrills)} within RTO` : ''}.`);
  else {
    gaps.push('No disaster practice (drill) was carried out in the period.');
    actions.push('Plan at least one drill of a Tier 1 service for the next period.');
  }
  if (f.openIncidents > 0) gaps.push(`${f.openIncidents} ${f.openIncidents === 1 ? 'invocation is' : 'invocations are'} still open on incidents.`);
  if (f.findingsWaiting > 0) {
    gaps.push(`${f.findingsWaiting} ${f.findingsWaiting === 1 ? 'plan has' : 'plans have'} postmortem findings waiting to be fed in.`);
    actions.push('Feed the waiting postmortem findings into their plans.');
  } else if (f.findingsHandled > 0) strengths.push('Every postmortem finding has been fed back into its plan.');
  const without = input.gaps.withoutApprovedPlan;
  if (without.length > 0) {
    gaps.push(`Tier 1 and 2 services without an approved plan: ${without.slice(0, MAX_LISTED).map((s) => `${cleanLine(s.name)} (Tier ${s.tier})`).join(', ')}${input.gaps.moreWithoutApprovedPlan ? ', and more (see the Services tab).' : '.'}`);
  }
  const risks = input.gaps.risksWithoutMechanism;
  if (risks.length > 0) {
    gaps.push(`Risks with no continuity mechanism: ${risks.slice(0, MAX_LISTED).map((r) => `${cleanLine(r.threat)} for ${cleanLine(r.service)}`).join('; ')}${input.gaps.moreRisksWithoutMechanism ? '; and more.' : '.'}`);
    actions.push('Decide a continuity mechanism (a plan, a standby, a vendor contract) for each risk that has none.');
  }
  return { strengths, gaps, actions };
}

// ---- Sections ----

function preamble(input: ReviewInput): BlockContent[] {
  return [
    para(...phrase(`IT service continuity management review for ${input.period.label}.`)),
    p(
      em(
        `Written by the app on ${utc(input.publishedAt)}${input.publishedBy ? ` for ${cleanLine(input.publishedBy)}` : ''}. Scope, Roles and responsibilities, Indicators, Strengths and Gaps are rewritten each time the app publishes this period's review; write in Objectives, Actions and Notes, or add sections of your own: those are kept.`,
      ) as Inline,
    ),
  ];
}

function isAppPreambleBlock(node: ReadNode): boolean {
  if (node.type !== 'paragraph') return false;
  const text = comparable(inlineText(node));
  return text.startsWith('it service continuity management review for') || text.startsWith('written by the app on');
}

function scopeSection(input: ReviewInput): BlockContent[] {
  const t = input.scope.servicesByTier;
  const total = t['1'] + t['2'] + t['3'];
  return [
    h(2, 'Scope'),
    para(...words(`Period: ${input.period.label}.`, LIMITS.paragraph)),
    para(
      ...words(
        `Services in scope: ${total} active ${total === 1 ? 'service' : 'services'} in the continuity catalogue: ${t['1']} in ${TIER_NAMES[1]}, ${t['2']} in ${TIER_NAMES[2]}, ${t['3']} in ${TIER_NAMES[3]}. Retired services are out of scope. Continuity plans: ${input.scope.plans}.`,
        LIMITS.paragraph,
      ),
    ),
    para(...words(`Recoveries and drills are counted over the period; plan coverage, tests, reviews and open work are as of ${utc(input.publishedAt)}.`, LIMITS.paragraph)),
  ];
}

function rolesSection(input: ReviewInput): BlockContent[] {
  const groups = input.roles.managerGroups.map((g) => cleanLine(g)).filter(Boolean);
  const managers = groups.length > 0 ? `Jira administrators and the members of ${groups.join(', ')}` : 'Jira administrators (no manager group is named in the app settings)';
  const item = (text: string) => listItem([p(...words(text, LIMITS.paragraph))]);
  return [
    h(2, 'Roles and responsibilities'),
    bulletList(
      item(`Service Continuity Manager (owns the practice, approves plans, business impact analyses and the risk register): ${managers}.`),
      item('Service owners: named for each service in the continuity catalogue; they keep its business impact analysis and plan current.'),
      item('Recovery teams: the roles named in each plan\u2019s recovery steps; they run the plan when it is invoked and in drills.'),
      item('Incident managers: invoke plans on major incidents, declare recovery and publish the postmortem.'),
    ),
  ];
}

function indicatorsSection(input: ReviewInput): BlockContent[] {
  const headers = ['Indicator', input.period.short, input.previous.id, 'Trend'];
  const rows = indicatorRows(input);
  return [
    h(2, 'Indicators'),
    table(tableRow(headers.map((x) => headerCell(x))), ...rows.map((r) => tableRow([r.indicator, r.value, r.previous, r.trend].map((c: CellContent) => bodyCell(c))))),
    para(...words(`Shares compare with the review published for ${input.previous.id}${input.previous.published ? '' : ' (none was published, so there is no earlier figure)'}; period figures compare with ${input.previous.id} itself.`, LIMITS.paragraph)),
  ];
}

function listSection(title: string, items: readonly string[], none: string): BlockContent[] {
  if (items.length === 0) return [h(2, title), para(...words(none))];
  return [h(2, title), bulletList(...items.map((text) => listItem([p(...words(text, LIMITS.paragraph))])))];
}

function freshHumanSection(name: HumanSection, input: ReviewInput, actions: readonly string[]): BlockContent[] {
  if (name === 'Objectives') {
    return listSection('Objectives', [
      'Recover every Tier 1 and 2 service within its RTO, and never beyond its maximum tolerable downtime.',
      `Keep an approved plan, tested at least once a year, for every Tier 1 and 2 service (target ${Math.round(TARGET_SHARE * 100)}% or more).`,
      'Review every plan on its tier\u2019s cadence and whenever its service changes.',
      'Carry out at least one disaster practice (drill) each quarter, and feed every postmortem finding back into its plan.',
    ], '');
  }
  if (name === 'Actions') {
    const items = actions.length > 0 ? actions : ['Agree the actions of this review.'];
    const tasks = items.map((text, i) => taskItem({ localId: localId(`review:${input.period.id}:action-${i + 1}`), state: 'TODO' })(...words(text, LIMITS.paragraph)));
    return [h(2, 'Actions'), taskList({ localId: localId(`review:${input.period.id}:actions`) })(...(tasks as [TaskItemDefinition, ...TaskItemDefinition[]]))];
  }
  return [h(2, name), p()];
}

// ---- The existing page ----

interface ExistingSection {
  name: string;
  nodes: unknown[];
}

function readExisting(existing: unknown): { preamble: unknown[]; sections: ExistingSection[] } {
  const tree = readTree(existing);
  if (!tree.isDoc) throw invalidInput('The existing review page is not an ADF document; refusing to publish over it.', 'existing');
  const raw = (existing as { content: unknown[] }).content;
  const out: { preamble: unknown[]; sections: ExistingSection[] } = { preamble: [], sections: [] };
  tree.root.content.forEach((node, i) => {
    if (node.type === 'heading' && headingLevel(node) <= 2) out.sections.push({ name: headingName(inlineText(node)), nodes: [raw[i]] });
    else if (out.sections.length > 0) out.sections[out.sections.length - 1]!.nodes.push(raw[i]);
    else if (!isAppPreambleBlock(node)) out.preamble.push(raw[i]);
  });
  return out;
}

const humanKind = (name: string): HumanSection | undefined => HUMAN_SECTIONS.find((s) => HUMAN_ALIASES[s].includes(name));

/**
 * The review page. With `existing` (the page as it is now), the people's sections are kept as the
 * module comment says; an `existing` that is not an ADF document is refused rather than overwritten.
 * Publishing twice with the same input gives the same document.
 */
export function reviewAdf(input: ReviewInput, existing?: unknown): DocNode {
  const { strengths, gaps, actions } = strengthsAndGaps(input);
  const appBlocks: BlockContent[] = [
    ...scopeSection(input),
    ...rolesSection(input),
    ...indicatorsSection(input),
    ...listSection('Strengths', strengths, 'No indicator reached its target in this period.'),
    ...listSection('Gaps', gaps, 'No gap found in the figures for this period.'),
  ];
  if (existing === undefined) {
    return doc(...preamble(input), ...freshHumanSection('Objectives', input, actions), ...appBlocks, ...freshHumanSection('Actions', input, actions), ...freshHumanSection('Notes', input, actions));
  }
  const page = readExisting(existing);
  const kept = page.sections.filter((s) => !APP_NAMES.has(s.name));
  const objectives = kept.filter((s) => humanKind(s.name) === 'Objectives');
  const rest = kept.filter((s) => humanKind(s.name) !== 'Objectives');
  const present = new Set(kept.map((s) => humanKind(s.name)).filter((k): k is HumanSection => k !== undefined));
  const missing = (['Actions', 'Notes'] as const).filter((s) => !present.has(s));
  return doc(
    ...preamble(input),
    ...(page.preamble as BlockContent[]),
    ...(objectives.length > 0 ? (objectives.flatMap((s) => s.nodes) as BlockContent[]) : freshHumanSection('Objectives', input, actions)),
    ...appBlocks,
    ...(rest.flatMap((s) => s.nodes) as BlockContent[]),
    ...missing.flatMap((s) => freshHumanSection(s, input, actions)),
  );
}

/** The text people wrote in a human section of a review page, one line per block; '' when none. */
export function reviewSectionText(page: unknown, section: HumanSection): string {
  return textUnderHeadings(page, (heading) => humanKind(headingName(heading)) === section);
}
