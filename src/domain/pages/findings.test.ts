import { bulletList, doc, heading, listItem, p, text } from '@atlaskit/adf-utils/builders';
import { ContinuityError } from '../errors';
import { adfErrors, deepFreeze, hrefsOf, MINUTE, nodeTypes, T0, textsOf } from './adf-testing';
import { findingsCommentAdf, findingsForPlan, findingsFromPostmortem, findingText, type Finding } from './findings';
import { postmortemAdf } from './postmortem';
import type { PostmortemInput, PostmortemInvocation } from './postmortem-input';

const at = (m: number) => T0 + m * MINUTE;
const step = (id: string, expectedMinutes: number, record?: { status: 'done' | 'skipped'; at: number; reason?: string }) => ({ id, title: `Step ${id}`, role: 'Ops', expectedMinutes, ...(record ? { record: { byName: 'Kai Tane', ...record } } : {}) });

const payments: PostmortemInvocation = {
  planId: 'plan-pay',
  plan: { title: 'Payments recovery', url: 'https://acme.atlassian.net/wiki/pages/1' },
  service: { name: 'Payments API', tier: 1 },
  state: 'recovered',
  rtoMinutes: 60,
  rpoMinutes: 15,
  startedAt: T0,
  recoveredAt: at(85),
  steps: [
    step('a', 5, { status: 'done', at: at(5) }), // 5 vs 5
    step('b', 20, { status: 'done', at: at(50) }), // 45 vs 20: 2.25×
    step('c', 10, { status: 'skipped', at: at(55), reason: 'DNS had already failed over' }),
    step('d', 15, { status: 'done', at: at(80) }), // 25 vs 15: 1.67×
    step('e', 30),
  ],
  timeline: [],
  commsSent: [],
};
const ledger: PostmortemInvocation = { ...payments, planId: 'plan-ledger', plan: { title: 'Ledger recovery' }, service: { name: 'Ledger', tier: 2 }, rtoMinutes: 240, recoveredAt: at(30), steps: [step('x', 1, { status: 'done', at: at(3) }), step('y', 0, { status: 'done', at: at(13) })] };
const input: PostmortemInput = deepFreeze({ incident: { key: 'OPS-42', summary: 'Payments down', createdAt: T0 }, drill: false, publishedAt: at(600), invocations: [payments, ledger] });

const POSTMORTEM_URL = 'https://acme.atlassian.net/wiki/spaces/OPS/pages/2001';
const OWNER = '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077';

describe('findingsFromPostmortem', () => {
  it('finds the missed RTO, skipped steps with reasons and steps well over their expected duration', () => {
    const findings = findingsFromPostmortem(input, { overrunRatio: 1.5 });
    const ref = { planId: 'plan-pay', planTitle: 'Payments recovery', serviceName: 'Payments API' };
    expect(findings).toEqual([
      { ...ref, kind: 'rto-missed', rtoMinutes: 60, achievedMinutes: 85, overMinutes: 25 },
      { ...ref, kind: 'step-skipped', stepId: 'c', stepTitle: 'Step c', reason: 'DNS had already failed over', byName: 'Kai Tane' },
      { ...ref, kind: 'step-overran', stepId: 'b', stepTitle: 'Step b', expectedMinutes: 20, actualMinutes: 45 },
      { ...ref, kind: 'step-overran', stepId: 'd', stepTitle: 'Step d', expectedMinutes: 15, actualMinutes: 25 },
      { planId: 'plan-ledger', planTitle: 'Ledger recovery', serviceName: 'Ledger', kind: 'step-overran', stepId: 'y', stepTitle: 'Step y', expectedMinutes: 0, actualMinutes: 10 },
    ]);
  });

  it('the ratio decides what "well over" means; small overruns in minutes are not findings', () => {
    const overran = (options: { overrunRatio: number; minOverrunMinutes?: number }) => findingsFromPostmortem(input, options).filter((f) => f.kind === 'step-overran').map((f) => (f as { stepId: string }).stepId);
    expect(overran({ overrunRatio: 2 })).toEqual(['b', 'y']);
    expect(overran({ overrunRatio: 1 })).toEqual(['b', 'd', 'y']);
    // x took 3 min against 1: three times over, but only 2 minutes.
    expect(overran({ overrunRatio: 1.5, minOverrunMinutes: 0 })).toEqual(['b', 'd', 'x', 'y']);
    expect(overran({ overrunRatio: 1.5, minOverrunMinutes: 20 })).toEqual(['b']);
  });

  it('adds the Lessons people wrote on the postmortem page, when there are any', () => {
    const page = postmortemAdf(input);
    expect(findingsFromPostmortem(input, { overrunRatio: 1.5, postmortemPage: page }).some((f) => f.kind === 'lessons')).toBe(false);
    const withLessons = doc(heading({ level: 2 })(text('Lessons')), p(text('Replica lag hid the problem.')), bulletList(listItem([p(text('Alert on lag'))])));
    expect(findingsFromPostmortem(input, { overrunRatio: 1.5, postmortemPage: withLessons }).at(-1)).toEqual({ kind: 'lessons', text: 'Replica lag hid the problem.\n- Alert on lag' });
  });

  it('a recovered-in-time incident with every step on time has no findings', () => {
    const clean = { ...input, invocations: [{ ...payments, recoveredAt: at(40), steps: [step('a', 5, { status: 'done', at: at(5) })] }] };
    expect(findingsFromPostmortem(clean, { overrunRatio: 1.5 })).toEqual([]);
  });

  it('refuses a ratio below 1 or not a number', () => {
    for (const overrunRatio of [0.5, Number.NaN, Infinity, -1]) expect(() => findingsFromPostmortem(input, { overrunRatio })).toThrow(ContinuityError);
    expect(() => findingsFromPostmortem(input, { overrunRatio: 1.5, minOverrunMinutes: -1 })).toThrow(/minOverrunMinutes/);
  });

  it('findingsForPlan keeps a plan\'s own findings and the incident-wide lessons', () => {
    const findings: Finding[] = [...findingsFromPostmortem(input, { overrunRatio: 1.5 }), { kind: 'lessons', text: 'x' }];
    expect(findingsForPlan(findings, 'plan-ledger').map((f) => f.kind)).toEqual(['step-overran', 'lessons']);
  });
});

describe('findingsCommentAdf', () => {
  const findings = [...findingsFromPostmortem(input, { overrunRatio: 1.5 }), { kind: 'lessons' as const, text: 'Replica lag hid the problem.\n- Alert on lag' }];

  it('one valid comment that mentions the owner and lists every finding with a link to the postmortem', () => {
    const comment = findingsCommentAdf(findingsForPlan(findings, 'plan-pay'), { ownerAccountId: OWNER, postmortemUrl: POSTMORTEM_URL, incidentKey: 'OPS-42' });
    expect(adfErrors(comment)).toEqual([]);
    expect(comment.content[0]).toMatchObject({ type: 'paragraph' });
    expect(JSON.stringify(comment.content[0])).toContain(`"id":"${OWNER}"`);
    expect(textsOf(comment.content[0]).join('')).toBe('Findings from the postmortem of OPS-42. , please review this plan against them.');
    const items = (comment.content[1] as { content: unknown[] }).content;
    expect(items).toHaveLength(5);
    expect(items.map((i) => textsOf(i).join(''))).toEqual([
      'RTO missed: Payments API recovered in 1 h 25 min against an RTO of 1 h: missed by 25 min. (postmortem)',
      'Step skipped: "Step c" (Payments API) was skipped by Kai Tane: DNS had already failed over. (postmortem)',
      'Step overran: "Step b" (Payments API) took 45 min; the plan expects 20 min. (postmortem)',
      'Step overran: "Step d" (Payments API) took 25 min; the plan expects 15 min. (postmortem)',
      'Lessons from the postmortem (postmortem):Replica lag hid the problem.- Alert on lag',
    ]);
    expect(hrefsOf(comment)).toEqual(Array(6).fill(POSTMORTEM_URL));
  });

  it('labels a drill', () => {
    const comment = findingsCommentAdf(findings.slice(0, 1), { ownerAccountId: OWNER, postmortemUrl: POSTMORTEM_URL, incidentKey: 'DRILL-7', drill: true });
    expect(textsOf(comment.content[0]).join('')).toMatch(/^Findings from the postmortem of the exercise \(drill\) DRILL-7\./);
  });

  it('says when there is nothing to change', () => {
    const comment = findingsCommentAdf([], { ownerAccountId: OWNER, postmortemUrl: POSTMORTEM_URL, incidentKey: 'OPS-42' });
    expect(adfErrors(comment)).toEqual([]);
    expect(textsOf(comment).join('')).toBe('Findings from the postmortem of OPS-42. : nothing to change in this plan.');
    expect(comment.content).toHaveLength(1);
  });

  it('mentions no one for a malformed account id, and links nothing for a URL that is not http(s)', () => {
    const comment = findingsCommentAdf(findings, { ownerAccountId: '"><script>', postmortemUrl: 'javascript:alert(1)', incidentKey: 'OPS-42' });
    expect(adfErrors(comment)).toEqual([]);
    expect(nodeTypes(comment)).not.toContain('mention');
    expect(hrefsOf(comment)).toEqual([]);
    expect(textsOf(comment.content[0]).join('')).toBe('Findings from the postmortem of OPS-42. Plan owner, please review this plan against them.');
  });

  it('findingText reads each kind as a sentence', () => {
    expect(findings.map(findingText)[0]).toBe('Payments API recovered in 1 h 25 min against an RTO of 1 h: missed by 25 min.');
    expect(findingText({ kind: 'step-skipped', planId: 'p', planTitle: 't', serviceName: 'S', stepId: 'x', stepTitle: 'X', reason: '', byName: '' })).toBe('"X" (S) was skipped: no reason given.');
  });
});
