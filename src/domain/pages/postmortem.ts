/**
 * The postmortem page for one incident (or drill), which may have invoked several plans.
 *
 * The page has two kinds of section (all heading level 2):
 *   - the app's: Summary, Impact, Services, RTO and RPO, Timeline, Recovery steps, Communications
 *     (and the lines above the first heading: the drill panel, the title line, the "written by the app"
 *     line). They are rebuilt from the data every time the app publishes.
 *   - people's: Follow-up actions, Lessons, Notes, and any section a person adds under a heading of
 *     their own (level 1 or 2).
 * The human-section rule: `postmortemAdf(input, existing)` takes every section of the existing page
 * whose heading is not one of the app's section titles (compared ignoring case, emoji, numbering and
 * punctuation) and keeps it verbatim (the heading node and every block under it, as the same JSON),
 * in the order the page has them, after the app's sections. Anything a person wrote above the first
 * heading that is not one of the app's own lines is kept too, below those lines. Follow-up actions,
 * Lessons and Notes are added (empty) only when the existing page has none of that name. Text a person
 * typed *inside* an app section is replaced; the line under the title says so.
 * Publishing twice with the same data gives the same page.
 */
import { doc, em, heading, p, panel, table, tableRow, taskItem, taskList, text } from '@atlaskit/adf-utils/builders';
import type { BlockContent, DocNode, Inline, PanelAttributes } from '@atlaskit/adf-schema';
import { TIER_NAMES } from '../catalogue';
import { invalidInput } from '../errors';
import { formatInstant } from '../format';
import { blockLines, headingLevel, inlineText, readTree, textUnderHeadings, type ReadNode } from './adf-read';
import { bodyCell, h, headerCell, lines, linked, para, phrase, words, type CellContent } from './adf-write';
import { formatMinutes } from './duration';
import { localId } from './ids';
import { cleanBody, cleanLine, comparable, headingName, LIMITS } from './page-text';
import { requirePostmortemInput, rtoOutcome, stepOutcomes, type PostmortemInput, type PostmortemInvocation, type RtoOutcome } from './postmortem-input';

export const APP_SECTIONS = ['Summary', 'Impact', 'Services', 'RTO and RPO', 'Timeline', 'Recovery steps', 'Communications', 'Follow-up issues'] as const;
export const HUMAN_SECTIONS = ['Follow-up actions', 'Lessons', 'Notes'] as const;
export type HumanSection = (typeof HUMAN_SECTIONS)[number];

/** Other names people give the human sections; a page with any of them keeps it instead of getting a new one. */
const HUMAN_ALIASES: Readonly<Record<HumanSection, readonly string[]>> = {
  'Follow-up actions': ['follow up actions', 'follow ups', 'follow up', 'action items', 'actions', 'next steps'],
  Lessons: ['lessons', 'lessons learned', 'lessons learnt', 'what we learned', 'learnings'],
  Notes: ['notes', 'additional notes', 'other notes'],
};

const APP_NAMES = new Set(APP_SECTIONS.map((s) => headingName(s)));

export const DRILL_LABEL = 'Exercise (drill)';
/** Timeline rows beyond this are summarised in one line (a page is not a log store). */
export const MAX_TIMELINE_ROWS = 1_000;

const utc = (at: number) => formatInstant(at, 'UTC');

export function postmortemTitle(input: Pick<PostmortemInput, 'incident' | 'drill'>): string {
  const head = input.drill ? `${DRILL_LABEL} postmortem` : 'Postmortem';
  return cleanLine(`${head}: ${input.incident.key} ${input.incident.summary}`).slice(0, 255);
}

// ---------------------------------------------------------------------------------------------------------------
// The app's lines and sections

function preamble(input: PostmortemInput): BlockContent[] {
  const { incident } = input;
  const drillPanel = panel({ panelType: 'note' as PanelAttributes['panelType'] })(
    p(
      ...words(
        `${DRILL_LABEL}. This postmortem is for a drill, not a real incident: the RTO results measure the plan under test conditions, and no customer was affected by the incident itself.`,
      ),
    ),
  );
  const title = p(...phrase(input.drill ? `${DRILL_LABEL} — postmortem for ` : 'Postmortem for '), ...linked(incident.key, incident.url), ...phrase(`: ${cleanLine(incident.summary)}`));
  const note = p(
    em(
      `Written by the app on ${utc(input.publishedAt)}. The sections from Summary to ${input.followUps?.length ? 'Follow-up issues' : 'Communications'} are rewritten each time the app publishes; write in Follow-up actions, Lessons and Notes, or add sections of your own: those are kept.`,
    ) as Inline,
  );
  return [...(input.drill ? [drillPanel] : []), title, note];
}

function isAppPreambleBlock(node: ReadNode): boolean {
  const words_ = comparable(node.content.flatMap((c) => blockLines(c)).join(' ') || inlineText(node));
  if (node.type === 'panel') return words_.startsWith(comparable(DRILL_LABEL));
  if (node.type !== 'paragraph') return false;
  return words_.startsWith('postmortem for') || words_.startsWith(comparable(`${DRILL_LABEL} postmortem for`)) || words_.startsWith('written by the app on');
}

function rtoTarget(inv: PostmortemInvocation): string {
  const own = inv.ownRtoMinutes;
  return own !== undefined && own !== inv.rtoMinutes ? `${formatMinutes(inv.rtoMinutes)} (own ${formatMinutes(own)}; the rest set by a dependency)` : formatMinutes(inv.rtoMinutes);
}

/** "85 min" stays "1 h 25 min (85 minutes)", so the words and the number are both there. */
function span(minutes: number): string {
  return minutes >= 60 ? `${formatMinutes(minutes)} (${minutes} minutes)` : formatMinutes(minutes);
}

export function rtoResultText(outcome: RtoOutcome): string {
  switch (outcome.kind) {
    case 'met':
      return outcome.spareMinutes === 0 ? 'Met, exactly on the target' : `Met, ${span(outcome.spareMinutes)} inside the target`;
    case 'missed':
      return `Missed by ${span(outcome.overMinutes)}`;
    case 'open':
      return outcome.overMinutes > 0 ? `Not recovered when published; ${span(outcome.overMinutes)} past the target` : `Not recovered when published; ${span(outcome.rtoMinutes - outcome.elapsedMinutes)} left`;
    case 'stood-down':
      return `Stood down${outcome.reason ? `: ${cleanLine(outcome.reason)}` : ''}; not measured`;
  }
}

function achievedText(outcome: RtoOutcome): string {
  if (outcome.kind === 'met' || outcome.kind === 'missed') return formatMinutes(outcome.achievedMinutes);
  if (outcome.kind === 'open') return `${formatMinutes(outcome.elapsedMinutes)} so far`;
  return '—';
}

function dataLossText(inv: PostmortemInvocation): string {
  const loss = inv.dataLossMinutes;
  if (loss === undefined || !Number.isFinite(loss) || loss < 0) return 'Not recorded';
  return loss <= inv.rpoMinutes ? `${formatMinutes(loss)}, within the RPO` : `${formatMinutes(loss)}, ${formatMinutes(loss - inv.rpoMinutes)} over the RPO`;
}

function summarySection(input: PostmortemInput): BlockContent[] {
  const outcomes = input.invocations.map((inv) => ({ inv, outcome: rtoOutcome(inv, input.publishedAt) }));
  const missed = outcomes.filter((o) => o.outcome.kind === 'missed');
  const open = outcomes.filter((o) => o.outcome.kind === 'open');
  const measured = outcomes.filter((o) => o.outcome.kind === 'met' || o.outcome.kind === 'missed');
  const n = input.invocations.length;
  const kind = input.drill ? 'The drill' : 'The incident';
  const first = `${kind} ${cleanLine(input.incident.key)} was raised at ${utc(input.incident.createdAt)} and invoked ${n === 1 ? 'one continuity plan' : `${n} continuity plans`}: ${input.invocations.map((i) => `${cleanLine(i.plan.title)} (${cleanLine(i.service.name)})`).join('; ')}.`;
  let verdict: string;
  if (measured.length === 0 && open.length === 0) verdict = 'Every invocation was stood down; no RTO was measured.';
  else if (missed.length === 0 && open.length === 0) verdict = measured.length === 1 ? 'The service recovered within its RTO.' : `All ${measured.length} services recovered within their RTO.`;
  else {
    const parts = [
      ...missed.map((o) => `${cleanLine(o.inv.service.name)} missed its RTO by ${span((o.outcome as { overMinutes: number }).overMinutes)}`),
      ...open.map((o) => `${cleanLine(o.inv.service.name)} had not recovered when this was published`),
    ];
    verdict = `${missed.length + open.length} of ${n} ${n === 1 ? 'service' : 'services'} did not recover within the RTO: ${parts.join('; ')}.`;
  }
  return [h(2, 'Summary'), para(...words(first, LIMITS.paragraph)), para(...words(verdict, LIMITS.paragraph))];
}

function impactSection(input: PostmortemInput): BlockContent[] {
  const impact = cleanBody(input.incident.impact ?? '');
  return [h(2, 'Impact'), ...(impact !== '' ? lines(impact) : [para(...words('No impact was recorded on the incident.'))])];
}

function servicesSection(input: PostmortemInput): BlockContent[] {
  const stateWords = { open: 'Open', recovered: 'Recovered', 'stood-down': 'Stood down' } as const;
  return [
    h(2, 'Services'),
    tableWith(
      ['Service', 'Tier', 'Plan', 'State'],
      input.invocations.map((inv) => [
        inv.service.name,
        TIER_NAMES[inv.service.tier] ?? `Tier ${cleanLine(inv.service.tier)}`,
        linked(inv.plan.title, inv.plan.url),
        `${stateWords[inv.state] ?? cleanLine(inv.state)}${inv.recoveredAt !== undefined && inv.state === 'recovered' ? ` at ${utc(inv.recoveredAt)}` : ''}`,
      ]),
    ),
  ];
}

function rtoSection(input: PostmortemInput): BlockContent[] {
  return [
    h(2, 'RTO and RPO'),
    tableWith(
      ['Service', 'RTO target', 'Achieved', 'Result', 'RPO target', 'Data loss'],
      input.invocations.map((inv) => {
        const outcome = rtoOutcome(inv, input.publishedAt);
        return [inv.service.name, rtoTarget(inv), achievedText(outcome), rtoResultText(outcome), formatMinutes(inv.rpoMinutes), dataLossText(inv)];
      }),
    ),
    para(...words('Achieved: from the incident being raised (the RTO clock start) to recovery being declared.')),
  ];
}

function timelineSection(input: PostmortemInput): BlockContent[] {
  const several = input.invocations.length > 1;
  const entries = input.invocations
    .flatMap((inv, i) => inv.timeline.map((e, j) => ({ e, prefix: several ? `${cleanLine(inv.service.name)}: ` : '', order: i * 1e6 + j })))
    .sort((a, b) => a.e.at - b.e.at || a.order - b.order);
  const shown = entries.slice(0, MAX_TIMELINE_ROWS);
  const blocks: BlockContent[] = [h(2, 'Timeline')];
  if (shown.length === 0) return [...blocks, para(...words('No events were recorded.'))];
  blocks.push(tableWith(['Time (UTC)', 'Who', 'What'], shown.map(({ e, prefix }) => [utc(e.at), e.actorName, `${prefix}${cleanLine(e.detail)}`])));
  if (entries.length > shown.length) blocks.push(para(...words(`${entries.length - shown.length} later events are not listed; the incident's audit trail has them all.`)));
  return blocks;
}

function difference(minutes: number): string {
  if (minutes === 0) return 'as expected';
  return minutes > 0 ? `+${formatMinutes(minutes)}` : `−${formatMinutes(-minutes)}`;
}

function stepsSection(input: PostmortemInput): BlockContent[] {
  const several = input.invocations.length > 1;
  const blocks: BlockContent[] = [
    h(2, 'Recovery steps'),
    para(
      ...words(
        'Actual: the time from the previous step being completed (or the incident being raised, for the first) to this step being completed. Steps worked in parallel show less than they took.',
      ),
    ),
  ];
  for (const inv of input.invocations) {
    const outcomes = stepOutcomes(inv);
    const done = outcomes.filter((o) => o.status === 'done').length;
    const skipped = outcomes.filter((o) => o.status === 'skipped').length;
    if (several) blocks.push(h(3, `${inv.service.name} — ${inv.plan.title}`));
    if (outcomes.length === 0) {
      blocks.push(para(...words('The plan had no steps.')));
      continue;
    }
    blocks.push(para(...words(`${done} of ${outcomes.length} steps done, ${skipped} skipped, ${outcomes.length - done - skipped} not done.`)));
    blocks.push(
      tableWith(
        ['#', 'Step', 'Role', 'Result', 'By', 'Completed (UTC)', 'Expected', 'Actual', 'Difference'],
        outcomes.map((o) => {
          const r = o.step.record;
          const result = o.status === 'done' ? 'Done' : o.status === 'skipped' ? `Skipped: ${cleanLine(r?.reason ?? '') || 'no reason given'}` : 'Not done';
          return [
            String(o.number),
            o.step.title,
            o.step.role,
            result,
            r?.byName ?? '',
            r ? utc(r.at) : '',
            formatMinutes(Math.max(0, Math.round(o.step.expectedMinutes))),
            o.actualMinutes !== undefined ? formatMinutes(o.actualMinutes) : '',
            o.differenceMinutes !== undefined ? difference(Math.round(o.differenceMinutes)) : '',
          ];
        }),
      ),
    );
  }
  return blocks;
}

function commsSection(input: PostmortemInput): BlockContent[] {
  const several = input.invocations.length > 1;
  const sent = input.invocations.flatMap((inv) => inv.commsSent.map((c) => ({ c, service: inv.service.name }))).sort((a, b) => a.c.at - b.c.at);
  const blocks: BlockContent[] = [h(2, 'Communications')];
  if (sent.length === 0) return [...blocks, para(...words('No communications were sent through the app.'))];
  const headers = ['Time (UTC)', 'Message', 'Audience', 'Sent by', ...(several ? ['Service'] : [])];
  blocks.push(tableWith(headers, sent.map(({ c, service }) => [utc(c.at), c.templateName, c.audience === 'public' ? 'Customers' : 'Internal', c.byName, ...(several ? [service] : [])])));
  return blocks;
}

/** The follow-up actions created as Jira issues (the app's list; people plan theirs under Follow-up actions). */
function followUpIssuesSection(input: PostmortemInput): BlockContent[] {
  const followUps = input.followUps ?? [];
  if (followUps.length === 0) return [];
  return [h(2, 'Follow-up issues'), tableWith(['Issue', 'Summary', 'Created by'], followUps.map((f) => [linked(f.key, f.url), f.summary, f.byName ?? '']))];
}

function tableWith(headers: readonly string[], rows: ReadonlyArray<readonly CellContent[]>): BlockContent {
  return table(tableRow(headers.map((x) => headerCell(x))), ...rows.map((cells) => tableRow(headers.map((_, i) => bodyCell(cells[i] ?? '')))));
}

function freshHumanSection(name: HumanSection): BlockContent[] {
  if (name === 'Follow-up actions') return [h(2, name), taskList({ localId: localId('postmortem:follow-ups') })(taskItem({ localId: localId('postmortem:follow-up-1'), state: 'TODO' })())];
  return [h(2, name), p()];
}

// ---------------------------------------------------------------------------------------------------------------
// The existing page

interface ExistingSection {
  name: string;
  /** The heading and the blocks under it, as the page has them. */
  nodes: unknown[];
}

interface ExistingPage {
  /** Blocks above the first heading that are not the app's own lines. */
  preamble: unknown[];
  sections: ExistingSection[];
}

/** Splits the existing page's top level into sections at headings of level 1 and 2. */
function readExisting(existing: unknown): ExistingPage {
  const tree = readTree(existing);
  if (!tree.isDoc) throw invalidInput('The existing postmortem page is not an ADF document; refusing to publish over it.', 'existing');
  const raw = (existing as { content: unknown[] }).content;
  const out: ExistingPage = { preamble: [], sections: [] };
  tree.root.content.forEach((node, i) => {
    if (node.type === 'heading' && headingLevel(node) <= 2) out.sections.push({ name: headingName(inlineText(node)), nodes: [raw[i]] });
    else if (out.sections.length > 0) out.sections[out.sections.length - 1].nodes.push(raw[i]);
    else if (!isAppPreambleBlock(node)) out.preamble.push(raw[i]);
  });
  return out;
}

function humanKind(name: string): HumanSection | undefined {
  return HUMAN_SECTIONS.find((s) => HUMAN_ALIASES[s].includes(name));
}

/**
 * The postmortem page. With `existing` (the page as it is now), the people's sections are kept as
 * described at the top of this module; an `existing` that is not an ADF document is refused rather than
 * overwritten.
 */
export function postmortemAdf(input: PostmortemInput, existing?: unknown): DocNode {
  requirePostmortemInput(input);
  const appBlocks: BlockContent[] = [
    ...summarySection(input),
    ...impactSection(input),
    ...servicesSection(input),
    ...rtoSection(input),
    ...timelineSection(input),
    ...stepsSection(input),
    ...commsSection(input),
    ...followUpIssuesSection(input),
  ];
  if (existing === undefined) return doc(...preamble(input), ...appBlocks, ...HUMAN_SECTIONS.flatMap(freshHumanSection));
  const page = readExisting(existing);
  const kept = page.sections.filter((s) => !APP_NAMES.has(s.name));
  const present = new Set(kept.map((s) => humanKind(s.name)).filter((k): k is HumanSection => k !== undefined));
  const missing = HUMAN_SECTIONS.filter((s) => !present.has(s));
  return doc(...preamble(input), ...(page.preamble as BlockContent[]), ...appBlocks, ...(kept.flatMap((s) => s.nodes) as BlockContent[]), ...missing.flatMap(freshHumanSection));
}

/**
 * The text people wrote in a human section of a postmortem page ("Lessons", …), one line per paragraph
 * or list item, all sections of that name joined; '' when there is none or it is empty.
 */
export function humanSectionText(page: unknown, section: HumanSection): string {
  return cleanBody(textUnderHeadings(page, (heading) => humanKind(headingName(heading)) === section));
}
