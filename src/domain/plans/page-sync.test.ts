import { doc, h2, p, text } from './testing';
import type { ContinuityPlan } from '../catalogue';
import { planPageAdf } from '../pages/plan-template';
import { isNewer, readBack, stepsProblemText } from './page-sync';

const basePlan: ContinuityPlan = {
  id: 'plan-1',
  serviceId: 'svc-1',
  title: 'Payments plan',
  pageId: '101',
  pageUrl: 'https://site.example/wiki/spaces/CONT/pages/101',
  status: 'approved',
  steps: [{ id: 'old', title: 'Old step', role: 'DBA', expectedMinutes: 5 }],
  commsTemplates: [{ id: 'c', name: 'Old template', audience: 'internal', body: 'x' }],
};

const page = (steps: Array<{ title: string; role: string; expectedMinutes: number }>) =>
  planPageAdf({ services: [{ name: 'Payments', tier: 1, rtoMinutes: 60, rpoMinutes: 15 }], steps, published: { date: '2026-01-01', who: 'Ana' } });

const v3 = page([
  { title: 'Fail over the database', role: 'DBA', expectedMinutes: 20 },
  { title: 'Smoke-test', role: 'QA', expectedMinutes: 10 },
]);

describe('readBack', () => {
  it('reads steps, templates, version and editor from a newer version', () => {
    const out = readBack(basePlan, { version: 3, editedBy: 'acc-ana', editedAt: 1000, body: v3 });
    expect(out.kind).toBe('read');
    expect(out.plan.steps.map((s) => [s.title, s.role, s.expectedMinutes])).toEqual([
      ['Fail over the database', 'DBA', 20],
      ['Smoke-test', 'QA', 10],
    ]);
    expect(out.plan.commsTemplates.map((t) => t.name)).toEqual(['Internal update', 'Customer notice']);
    expect(out.plan.pageVersion).toBe(3);
    expect(out.plan.lastEdit).toEqual({ version: 3, pageId: '101', by: 'acc-ana', at: 1000 });
    expect(out.kind === 'read' && out.stepsChanged).toBe(true);
  });

  it('changes nothing for the same or an older version (duplicate and reordered events)', () => {
    const read = readBack(basePlan, { version: 5, body: v3 }).plan;
    const same = readBack(read, { version: 5, body: page([{ title: 'Other', role: 'x', expectedMinutes: 1 }]) });
    expect(same.kind).toBe('already-read');
    expect(same.plan).toBe(read);
    const older = readBack(read, { version: 4, body: page([{ title: 'Older', role: 'x', expectedMinutes: 1 }]) });
    expect(older.plan).toBe(read);
    expect(isNewer(read, 6)).toBe(true);
    expect(isNewer(read, 5)).toBe(false);
  });

  it('keeps the last good steps when the steps section is gone, flagged since that version and its editor', () => {
    const good = readBack(basePlan, { version: 3, body: v3 }).plan;
    const broken = doc(h2('Scope and services'), p(text('Only scope now')));
    const out = readBack(good, { version: 4, editedBy: 'acc-kai', body: broken });
    expect(out.kind).toBe('steps-unreadable');
    expect(out.plan.steps).toEqual(good.steps);
    expect(out.plan.stepsProblem).toEqual({ sinceVersion: 4, editedBy: 'acc-kai', reason: 'no-steps-section' });
    // Still broken at version 5 by someone else: the flag keeps the version where the steps were lost.
    const later = readBack(out.plan, { version: 5, editedBy: 'acc-lee', body: broken });
    expect(later.plan.stepsProblem).toEqual({ sinceVersion: 4, editedBy: 'acc-kai', reason: 'no-steps-section' });
    expect(later.plan.pageVersion).toBe(5);
    expect(stepsProblemText(later.plan.stepsProblem!, (id) => (id === 'acc-kai' ? 'Kai' : undefined))).toBe(
      'The plan page has had no readable recovery steps since version 4, edited by Kai. Incidents get the last readable steps.',
    );
    // Repaired: the flag goes, the new steps come in.
    const fixed = readBack(later.plan, { version: 6, body: page([{ title: 'Restore', role: 'Ops', expectedMinutes: 30 }]) });
    expect(fixed.plan.stepsProblem).toBeUndefined();
    expect(fixed.plan.steps.map((s) => s.title)).toEqual(['Restore']);
  });

  it('keeps the templates when the page has no communication section, and takes them when it has', () => {
    const noComms = doc(h2('Recovery steps'), p(text('1. Fail over — DBA — 10 min')));
    const out = readBack(basePlan, { version: 2, body: noComms });
    expect(out.plan.commsTemplates).toBe(basePlan.commsTemplates);
    expect(out.kind === 'read' && out.templatesChanged).toBe(false);
  });

  it('takes the page address the read gives and does not mutate the plan', () => {
    const frozen = Object.freeze({ ...basePlan });
    const out = readBack(frozen, { version: 2, url: 'https://site.example/wiki/spaces/CONT/pages/101/Renamed', body: v3 });
    expect(out.plan.pageUrl).toBe('https://site.example/wiki/spaces/CONT/pages/101/Renamed');
    expect(frozen.pageUrl).toBe(basePlan.pageUrl);
  });

  it('reads a page the plan was bound to since from scratch, whatever its version', () => {
    const read = readBack(basePlan, { version: 9, body: v3 }).plan;
    const rebound = { ...read, pageId: '202' };
    const out = readBack(rebound, { version: 2, body: page([{ title: 'On the new page', role: 'Ops', expectedMinutes: 5 }]) });
    expect(out.kind).toBe('read');
    expect(out.plan.steps.map((s) => s.title)).toEqual(['On the new page']);
    expect(out.plan.lastEdit).toMatchObject({ version: 2, pageId: '202' });
  });

  it('flags a body that is not a document', () => {
    const out = readBack(basePlan, { version: 2, body: 'not adf' });
    expect(out.kind).toBe('steps-unreadable');
    expect(out.plan.steps).toBe(basePlan.steps);
    expect(out.plan.stepsProblem?.reason).toBe('not-a-document');
  });
});
