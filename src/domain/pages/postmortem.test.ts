import { bulletList, doc, heading, listItem, p, panel, strong, text, layoutSection, layoutColumn } from '@atlaskit/adf-utils/builders';
import type { Inline } from '@atlaskit/adf-schema';
import { ContinuityError } from '../errors';
import { cellText, readingOrder, readTree, sections, tableGrid } from './adf-read';
import { adfErrors, deepFreeze, headingTitles, hrefsOf, MINUTE, T0, textsOf } from './adf-testing';
import { humanSectionText, postmortemAdf, postmortemTitle, rtoResultText } from './postmortem';
import { rtoOutcome, stepOutcomes, type PostmortemInput, type PostmortemInvocation } from './postmortem-input';

const at = (minutes: number) => T0 + minutes * MINUTE;

const payments: PostmortemInvocation = {
  planId: 'plan-pay',
  plan: { title: 'Payments recovery', url: 'https://acme.atlassian.net/wiki/spaces/OPS/pages/1001' },
  service: { name: 'Payments API', tier: 1 },
  state: 'recovered',
  rtoMinutes: 60,
  ownRtoMinutes: 30,
  rpoMinutes: 15,
  startedAt: T0,
  recoveredAt: at(85),
  achievedMinutes: 85,
  rtoMet: false,
  dataLossMinutes: 5,
  steps: [
    { id: 's1', title: 'Declare the incident', role: 'Incident manager', expectedMinutes: 5, record: { status: 'done', byName: 'Ana Lima', at: at(5) } },
    { id: 's2', title: 'Fail over the database', role: 'DBA', expectedMinutes: 20, record: { status: 'done', byName: 'Kai Tane', at: at(50) } },
    { id: 's3', title: 'Switch DNS', role: 'Network', expectedMinutes: 10, record: { status: 'skipped', byName: 'Kai Tane', at: at(55), reason: 'The provider had already failed DNS over' } },
    { id: 's4', title: 'Smoke-test payments', role: 'QA', expectedMinutes: 15, record: { status: 'done', byName: 'Mere Hohaia', at: at(80) } },
    { id: 's5', title: 'Write to the regulator', role: 'Compliance', expectedMinutes: 30 },
  ],
  timeline: [
    { at: at(1), actorName: 'Service Continuity', detail: 'Incident qualified; plan "Payments recovery" invoked for Payments API.' },
    { at: at(50), actorName: 'Kai Tane', detail: 'Step "Fail over the database" done.' },
    { at: at(85), actorName: 'Ana Lima', detail: 'Recovery declared.' },
  ],
  commsSent: [{ at: at(10), templateName: 'Internal update', audience: 'internal', byName: 'Ana Lima' }],
};

const ledger: PostmortemInvocation = {
  planId: 'plan-ledger',
  plan: { title: 'Ledger recovery', url: 'https://acme.atlassian.net/wiki/spaces/OPS/pages/1002' },
  service: { name: 'Ledger', tier: 2 },
  state: 'recovered',
  rtoMinutes: 240,
  rpoMinutes: 60,
  startedAt: T0,
  recoveredAt: at(100),
  steps: [{ id: 'l1', title: 'Replay the journal', role: 'DBA', expectedMinutes: 60, record: { status: 'done', byName: 'Kai Tane', at: at(100) } }],
  timeline: [{ at: at(30), actorName: 'Kai Tane', detail: 'Journal replay started.' }],
  commsSent: [{ at: at(40), templateName: 'Customer notice', audience: 'public', byName: 'Ana Lima' }],
};

const input: PostmortemInput = {
  incident: { key: 'OPS-42', summary: 'Payments down in eu-west-1', url: 'https://acme.atlassian.net/browse/OPS-42', createdAt: T0, impact: 'Card payments failed for 85 minutes.\nAbout 1,200 orders were delayed.' },
  drill: false,
  publishedAt: at(24 * 60),
  invocations: [payments],
};

function table(page: unknown, title: string, nth = 0): string[][] {
  const section = sections(readingOrder(readTree(page).root)).find((s) => s.title === title)!;
  const t = section.blocks.filter((b) => b.node.type === 'table')[nth];
  return tableGrid(t.node).map((row) => row.map((c) => (c ? cellText(c.node) : '')));
}

function sectionLines(page: unknown, title: string): string[] {
  const section = sections(readingOrder(readTree(page).root)).find((s) => s.title === title)!;
  return section.blocks.filter((b) => b.node.type === 'paragraph').map((b) => textsOf(b.node).join(''));
}

describe('postmortemAdf', () => {
  it('is valid ADF with the app sections, then Follow-up actions, Lessons and Notes', () => {
    const page = postmortemAdf(deepFreeze(input));
    expect(adfErrors(page)).toEqual([]);
    expect(headingTitles(page, 2)).toEqual(['Summary', 'Impact', 'Services', 'RTO and RPO', 'Timeline', 'Recovery steps', 'Communications', 'Follow-up actions', 'Lessons', 'Notes']);
  });

  it('opens with a title line linking the incident and a line saying which sections the app rewrites', () => {
    const page = postmortemAdf(input);
    expect(textsOf(page.content[0])).toEqual(['Postmortem for ', 'OPS-42', ': Payments down in eu-west-1']);
    expect(hrefsOf(page.content[0])).toEqual(['https://acme.atlassian.net/browse/OPS-42']);
    expect(textsOf(page.content[1]).join('')).toBe(
      'Written by the app on 23 Nov 2026, 03:00 UTC. The sections from Summary to Communications are rewritten each time the app publishes; write in Follow-up actions, Lessons and Notes, or add sections of your own: those are kept.',
    );
    expect(postmortemTitle(input)).toBe('Postmortem: OPS-42 Payments down in eu-west-1');
  });

  it('a drill is labelled "Exercise (drill)" in a panel at the top and in the title line', () => {
    const page = postmortemAdf({ ...input, drill: true });
    expect(adfErrors(page)).toEqual([]);
    expect(page.content[0].type).toBe('panel');
    expect(textsOf(page.content[0]).join('')).toMatch(/^Exercise \(drill\)\. This postmortem is for a drill, not a real incident/);
    expect(textsOf(page.content[1]).join('')).toBe('Exercise (drill) — postmortem for OPS-42: Payments down in eu-west-1');
    expect(postmortemTitle({ ...input, drill: true })).toBe('Exercise (drill) postmortem: OPS-42 Payments down in eu-west-1');
    expect(sectionLines(page, 'Summary')[0]).toMatch(/^The drill OPS-42 was raised at 22 Nov 2026, 03:00 UTC/);
  });

  it('summary says which plans ran and whether each service recovered within its RTO', () => {
    expect(sectionLines(postmortemAdf(input), 'Summary')).toEqual([
      'The incident OPS-42 was raised at 22 Nov 2026, 03:00 UTC and invoked one continuity plan: Payments recovery (Payments API).',
      '1 of 1 service did not recover within the RTO: Payments API missed its RTO by 25 min.',
    ]);
    expect(sectionLines(postmortemAdf({ ...input, invocations: [ledger] }), 'Summary')[1]).toBe('The service recovered within its RTO.');
    expect(sectionLines(postmortemAdf({ ...input, invocations: [payments, ledger] }), 'Summary')[1]).toBe('1 of 2 services did not recover within the RTO: Payments API missed its RTO by 25 min.');
  });

  it('impact is the incident\'s words, one paragraph per line, or a sentence saying none was recorded', () => {
    expect(sectionLines(postmortemAdf(input), 'Impact')).toEqual(['Card payments failed for 85 minutes.', 'About 1,200 orders were delayed.']);
    expect(sectionLines(postmortemAdf({ ...input, incident: { ...input.incident, impact: undefined } }), 'Impact')).toEqual(['No impact was recorded on the incident.']);
  });

  it('lists the services with tier, plan (linked) and state', () => {
    const page = postmortemAdf({ ...input, invocations: [payments, ledger] });
    expect(table(page, 'Services')).toEqual([
      ['Service', 'Tier', 'Plan', 'State'],
      ['Payments API', 'Tier 1 (Gold)', 'Payments recovery', 'Recovered at 22 Nov 2026, 04:25 UTC'],
      ['Ledger', 'Tier 2 (Silver)', 'Ledger recovery', 'Recovered at 22 Nov 2026, 04:40 UTC'],
    ]);
    expect(hrefsOf(page)).toEqual(expect.arrayContaining([payments.plan.url, ledger.plan.url]));
  });

  it('RTO target vs achieved per service, met or missed by how much in words and minutes, and the RPO', () => {
    const page = postmortemAdf({ ...input, invocations: [payments, ledger] });
    expect(table(page, 'RTO and RPO')).toEqual([
      ['Service', 'RTO target', 'Achieved', 'Result', 'RPO target', 'Data loss'],
      ['Payments API', '1 h (own 30 min; the rest set by a dependency)', '1 h 25 min', 'Missed by 25 min', '15 min', '5 min, within the RPO'],
      ['Ledger', '4 h', '1 h 40 min', 'Met, 2 h 20 min (140 minutes) inside the target', '1 h', 'Not recorded'],
    ]);
  });

  it('steps done and skipped with reasons, actual vs expected duration per step', () => {
    const page = postmortemAdf(input);
    expect(sectionLines(page, 'Recovery steps')[1]).toBe('3 of 5 steps done, 1 skipped, 1 not done.');
    expect(table(page, 'Recovery steps')).toEqual([
      ['#', 'Step', 'Role', 'Result', 'By', 'Completed (UTC)', 'Expected', 'Actual', 'Difference'],
      ['1', 'Declare the incident', 'Incident manager', 'Done', 'Ana Lima', '22 Nov 2026, 03:05 UTC', '5 min', '5 min', 'as expected'],
      ['2', 'Fail over the database', 'DBA', 'Done', 'Kai Tane', '22 Nov 2026, 03:50 UTC', '20 min', '45 min', '+25 min'],
      ['3', 'Switch DNS', 'Network', 'Skipped: The provider had already failed DNS over', 'Kai Tane', '22 Nov 2026, 03:55 UTC', '10 min', '', ''],
      ['4', 'Smoke-test payments', 'QA', 'Done', 'Mere Hohaia', '22 Nov 2026, 04:20 UTC', '15 min', '25 min', '+10 min'],
      ['5', 'Write to the regulator', 'Compliance', 'Not done', '', '', '30 min', '', ''],
    ]);
  });

  it('one steps table per plan, under a heading naming service and plan, when several plans ran', () => {
    const page = postmortemAdf({ ...input, invocations: [payments, ledger] });
    expect(headingTitles(page, 3)).toEqual(['Payments API — Payments recovery', 'Ledger — Ledger recovery']);
    expect(table(page, 'Recovery steps', 1)[1]).toEqual(['1', 'Replay the journal', 'DBA', 'Done', 'Kai Tane', '22 Nov 2026, 04:40 UTC', '1 h', '1 h 40 min', '+40 min']);
  });

  it('one timeline of every plan, in time order, times in UTC, prefixed with the service when several plans ran', () => {
    expect(table(postmortemAdf({ ...input, invocations: [payments, ledger] }), 'Timeline')).toEqual([
      ['Time (UTC)', 'Who', 'What'],
      ['22 Nov 2026, 03:01 UTC', 'Service Continuity', 'Payments API: Incident qualified; plan "Payments recovery" invoked for Payments API.'],
      ['22 Nov 2026, 03:30 UTC', 'Kai Tane', 'Ledger: Journal replay started.'],
      ['22 Nov 2026, 03:50 UTC', 'Kai Tane', 'Payments API: Step "Fail over the database" done.'],
      ['22 Nov 2026, 04:25 UTC', 'Ana Lima', 'Payments API: Recovery declared.'],
    ]);
    expect(table(postmortemAdf(input), 'Timeline')[1][2]).toBe('Incident qualified; plan "Payments recovery" invoked for Payments API.');
  });

  it('communications sent, or a sentence when none were', () => {
    expect(table(postmortemAdf({ ...input, invocations: [payments, ledger] }), 'Communications')).toEqual([
      ['Time (UTC)', 'Message', 'Audience', 'Sent by', 'Service'],
      ['22 Nov 2026, 03:10 UTC', 'Internal update', 'Internal', 'Ana Lima', 'Payments API'],
      ['22 Nov 2026, 03:40 UTC', 'Customer notice', 'Customers', 'Ana Lima', 'Ledger'],
    ]);
    expect(sectionLines(postmortemAdf({ ...input, invocations: [{ ...payments, commsSent: [] }] }), 'Communications')).toEqual(['No communications were sent through the app.']);
  });

  it('an invocation still open, or stood down, says so instead of a result', () => {
    const open = { ...payments, state: 'open' as const, recoveredAt: undefined, achievedMinutes: undefined, rtoMet: undefined };
    const page = postmortemAdf({ ...input, publishedAt: at(90), invocations: [open, { ...ledger, state: 'stood-down', recoveredAt: undefined, standDownReason: 'False alarm' }] });
    expect(adfErrors(page)).toEqual([]);
    expect(table(page, 'RTO and RPO').slice(1).map((r) => [r[2], r[3]])).toEqual([
      ['1 h 30 min so far', 'Not recovered when published; 30 min past the target'],
      ['—', 'Stood down: False alarm; not measured'],
    ]);
    expect(sectionLines(page, 'Summary')[1]).toBe('1 of 2 services did not recover within the RTO: Payments API had not recovered when this was published.');
  });

  it('links only to http(s) URLs the app supplies', () => {
    const page = postmortemAdf({ ...input, incident: { ...input.incident, url: 'javascript:alert(1)' }, invocations: [{ ...payments, plan: { title: 'P', url: 'data:text/html,x' } }] });
    expect(hrefsOf(page)).toEqual([]);
    expect(textsOf(page)).toEqual(expect.arrayContaining(['OPS-42', 'P']));
  });

  it('refuses an input it cannot build from', () => {
    expect(() => postmortemAdf({ ...input, invocations: [] })).toThrow(ContinuityError);
    expect(() => postmortemAdf({ ...input, publishedAt: Number.NaN })).toThrow(/publishedAt/);
    expect(() => postmortemAdf({ ...input, invocations: [{ ...payments, timeline: [{ at: Number.NaN, actorName: 'x', detail: 'y' }] }] })).toThrow(/timeline/);
  });

  it('caps the timeline and says how many events are not listed', () => {
    const timeline = Array.from({ length: 1_005 }, (_, i) => ({ at: at(i), actorName: 'app', detail: `event ${i}` }));
    const page = postmortemAdf({ ...input, invocations: [{ ...payments, timeline }] });
    expect(table(page, 'Timeline')).toHaveLength(1_001);
    expect(sectionLines(page, 'Timeline')).toEqual(["5 later events are not listed; the incident's audit trail has them all."]);
  });
});

describe('postmortemAdf: publishing again keeps what people wrote', () => {
  /** The first page, then people's edits: follow-ups, lessons, notes, a section of their own, a line at the top. */
  function editedPage() {
    const first = postmortemAdf(input);
    const content = [...first.content] as unknown[];
    const index = (title: string) => content.findIndex((n) => JSON.stringify(n).includes(`"text":"${title}"`) && (n as { type: string }).type === 'heading');
    content.splice(index('Lessons') + 1, 1, p(text('Failover took '), strong('45 min') as Inline, text(' because the replica lagged.')), bulletList(listItem([p(text('Alert on replica lag'))])));
    content.splice(index('Notes') + 1, 1, p(text('Customer calls: 140.')));
    content.push(heading({ level: 2 })(text('🎧 Customer feedback')), p(text('Mostly patient.')), layoutSection()([layoutColumn({ width: 50 })([p(text('In a layout'))]), layoutColumn({ width: 50 })([p(text('and beside it'))])]));
    content.splice(2, 0, p(text('Reviewed by the CAB on 25 Nov.')));
    return deepFreeze({ ...first, content } as typeof first);
  }

  it('keeps Lessons, Notes and a section of their own verbatim, and the line they wrote at the top', () => {
    const existing = editedPage();
    const later = { ...input, publishedAt: at(48 * 60), invocations: [{ ...payments, dataLossMinutes: 20 }] };
    const page = postmortemAdf(later, existing);
    expect(adfErrors(page)).toEqual([]);
    expect(headingTitles(page, 2)).toEqual(['Summary', 'Impact', 'Services', 'RTO and RPO', 'Timeline', 'Recovery steps', 'Communications', 'Follow-up actions', 'Lessons', 'Notes', '🎧 Customer feedback']);
    const tail = (d: { content: unknown[] }) => d.content.slice(d.content.findIndex((n) => JSON.stringify(n).includes('"text":"Follow-up actions"')));
    expect(tail(page)).toEqual(tail(existing));
    expect(textsOf(page.content[2])).toEqual(['Reviewed by the CAB on 25 Nov.']);
    // The app's sections carry the new data.
    expect(table(page, 'RTO and RPO')[1][5]).toBe('20 min, 5 min over the RPO');
    expect(textsOf(page.content[1]).join('')).toMatch(/^Written by the app on 24 Nov 2026, 03:00 UTC/);
  });

  it('publishing the same data twice gives the same page', () => {
    const once = postmortemAdf(input);
    expect(postmortemAdf(input, once)).toEqual(once);
    const drill = postmortemAdf({ ...input, drill: true });
    expect(postmortemAdf({ ...input, drill: true }, drill)).toEqual(drill);
    const edited = editedPage();
    const again = postmortemAdf(input, edited);
    expect(postmortemAdf(input, again)).toEqual(again);
  });

  it('does not repeat the app\'s lines at the top, switching between drill and incident', () => {
    const drill = postmortemAdf({ ...input, drill: true });
    const incident = postmortemAdf(input, drill);
    expect(incident).toEqual(postmortemAdf(input));
  });

  it('replaces what a person typed inside an app section (the line at the top says so)', () => {
    const first = postmortemAdf(input);
    const content = [...first.content];
    const summaryAt = content.findIndex((n) => JSON.stringify(n).includes('"text":"Summary"'));
    content.splice(summaryAt + 1, 0, p(text('My edit in the summary')));
    const page = postmortemAdf(input, { ...first, content });
    expect(textsOf(page)).not.toContain('My edit in the summary');
  });

  it('keeps a renamed human section instead of adding another, and re-adds one a person deleted', () => {
    const first = postmortemAdf(input);
    const content = first.content
      .map((n) => (JSON.stringify(n) === JSON.stringify(heading({ level: 2 })(text('Lessons'))) ? heading({ level: 2 })(text('📚 Lessons learned')) : n))
      .filter((n) => JSON.stringify(n) !== JSON.stringify(heading({ level: 2 })(text('Notes'))));
    const page = postmortemAdf(input, { ...first, content });
    expect(headingTitles(page, 2).slice(7)).toEqual(['Follow-up actions', '📚 Lessons learned', 'Notes']);
  });

  it('keeps human sections under level-1 headings and ignores deeper headings when splitting', () => {
    const existing = doc(heading({ level: 1 })(text('Lessons')), heading({ level: 3 })(text('Database')), p(text('Lag.')), heading({ level: 2 })(text('Timeline')), p(text('old timeline')));
    const page = postmortemAdf(input, existing);
    expect(textsOf(page)).toEqual(expect.arrayContaining(['Lessons', 'Database', 'Lag.']));
    expect(textsOf(page)).not.toContain('old timeline');
    expect(headingTitles(page, 2).slice(7)).toEqual(['Follow-up actions', 'Notes']);
  });

  it('refuses to publish over a body that is not an ADF document', () => {
    expect(() => postmortemAdf(input, { type: 'paragraph' })).toThrow(/refusing to publish over it/);
    expect(() => postmortemAdf(input, 'storage <p>x</p>')).toThrow(ContinuityError);
  });

  it('keeps a person\'s panel at the top unless it is the app\'s drill panel', () => {
    const existing = doc(panel({ panelType: 'warning' as never })(p(text('Draft: do not share'))), p(text('Postmortem for OPS-42: old title')));
    const page = postmortemAdf(input, existing);
    expect(textsOf(page.content[2])).toEqual(['Draft: do not share']);
    expect(textsOf(page).filter((t) => t.includes('old title'))).toEqual([]);
  });
});

describe('humanSectionText', () => {
  it('reads the text people wrote under Lessons (any of its names), lists with markers', () => {
    const page = doc(heading({ level: 2 })(text('Lessons learned')), p(text('Replica lag hid the problem.')), bulletList(listItem([p(text('Alert on lag'))])), heading({ level: 2 })(text('Notes')), p(text('n')));
    expect(humanSectionText(page, 'Lessons')).toBe('Replica lag hid the problem.\n- Alert on lag');
    expect(humanSectionText(page, 'Notes')).toBe('n');
    expect(humanSectionText(page, 'Follow-up actions')).toBe('');
    expect(humanSectionText(postmortemAdf(input), 'Lessons')).toBe('');
    expect(humanSectionText(postmortemAdf(input), 'Follow-up actions')).toBe('');
    expect(humanSectionText('nope', 'Lessons')).toBe('');
  });
});

describe('RTO and step arithmetic', () => {
  it('rtoOutcome: the invocation\'s own verdict and minutes win; else from the times', () => {
    expect(rtoOutcome(payments, 0)).toEqual({ kind: 'missed', rtoMinutes: 60, achievedMinutes: 85, overMinutes: 25 });
    expect(rtoOutcome({ ...payments, achievedMinutes: undefined, rtoMet: undefined, recoveredAt: at(60) }, 0)).toEqual({ kind: 'met', rtoMinutes: 60, achievedMinutes: 60, spareMinutes: 0 });
    expect(rtoOutcome({ ...payments, achievedMinutes: undefined, rtoMet: undefined, recoveredAt: at(59.6) }, 0)).toEqual({ kind: 'met', rtoMinutes: 60, achievedMinutes: 60, spareMinutes: 0 });
    expect(rtoOutcome({ ...payments, state: 'open', recoveredAt: undefined }, at(45))).toEqual({ kind: 'open', rtoMinutes: 60, elapsedMinutes: 45, overMinutes: 0 });
  });

  it('rtoResultText says met or missed by how much, in words and minutes', () => {
    expect(rtoResultText({ kind: 'met', rtoMinutes: 60, achievedMinutes: 42, spareMinutes: 18 })).toBe('Met, 18 min inside the target');
    expect(rtoResultText({ kind: 'met', rtoMinutes: 60, achievedMinutes: 60, spareMinutes: 0 })).toBe('Met, exactly on the target');
    expect(rtoResultText({ kind: 'missed', rtoMinutes: 60, achievedMinutes: 145, overMinutes: 85 })).toBe('Missed by 1 h 25 min (85 minutes)');
    expect(rtoResultText({ kind: 'open', rtoMinutes: 60, elapsedMinutes: 20, overMinutes: 0 })).toBe('Not recovered when published; 40 min left');
  });

  const step = (id: string, expected: number, record?: { status: 'done' | 'skipped'; at: number }) => ({ id, title: id, role: 'r', expectedMinutes: expected, ...(record ? { record: { ...record, byName: 'x' } } : {}) });

  it('actual duration: from the previous completion in time (not plan order), the first from the start', () => {
    const inv = { ...payments, steps: [step('a', 10, { status: 'done', at: at(30) }), step('b', 10, { status: 'done', at: at(12) }), step('c', 10, { status: 'done', at: at(31) })] };
    expect(stepOutcomes(inv).map((o) => [o.step.id, o.actualMinutes, o.differenceMinutes])).toEqual([
      ['a', 18, 8],
      ['b', 12, 2],
      ['c', 1, -9],
    ]);
  });

  it('a skip ends an interval but has no actual duration; unresolved steps have none', () => {
    const inv = { ...payments, steps: [step('a', 10, { status: 'skipped', at: at(20) }), step('b', 10, { status: 'done', at: at(25) }), step('c', 10)] };
    expect(stepOutcomes(inv).map((o) => [o.status, o.actualMinutes])).toEqual([
      ['skipped', undefined],
      ['done', 5],
      ['not-done', undefined],
    ]);
  });

  it('records at the same minute, or before the start, count as 0 min', () => {
    const inv = { ...payments, steps: [step('a', 5, { status: 'done', at: at(-3) }), step('b', 5, { status: 'done', at: at(-3) })] };
    expect(stepOutcomes(inv).map((o) => o.actualMinutes)).toEqual([0, 0]);
  });
});
