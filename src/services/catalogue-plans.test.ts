import type { ContinuityPlan, Service } from '../domain/catalogue';
import { pageFromUrl, planFlags, stepsText } from './catalogue-plans';

const DAY = 24 * 60 * 60_000;
const NOW = Date.UTC(2026, 11, 1);
const service = (tier: 1 | 2 | 3, status?: 'retired'): Service => ({ id: 's', name: 'S', tier, rtoMinutes: 60, rpoMinutes: 15, jsmServiceIds: [], dependsOn: [], components: [], labels: [], ...(status ? { status } : {}) });
const plan = (fields: Partial<ContinuityPlan> = {}): ContinuityPlan => ({ id: 'p', serviceId: 's', title: 'P', pageId: '', pageUrl: '', status: 'approved', steps: [], commsTemplates: [], ...fields });

describe('plan flags', () => {
  it('flags a review past the tier cadence, and none inside it', () => {
    expect(planFlags(plan({ lastReviewedAt: NOW - 91 * DAY, lastTestedAt: NOW }), service(1), NOW, undefined)).toEqual(['review-overdue']);
    expect(planFlags(plan({ lastReviewedAt: NOW - 91 * DAY, lastTestedAt: NOW }), service(2), NOW, undefined)).toEqual([]);
    expect(planFlags(plan({ lastReviewedAt: NOW - 20 * DAY, lastTestedAt: NOW }), service(3), NOW, { 1: 7, 2: 7, 3: 14 })).toEqual(['review-overdue']);
  });

  it('flags plans never reviewed or never tested, and plans of retired services; a retired plan only for its service', () => {
    expect(planFlags(plan(), service(1), NOW, undefined)).toEqual(['never-reviewed', 'never-tested']);
    expect(planFlags(plan({ lastReviewedAt: NOW, lastTestedAt: NOW }), service(1, 'retired'), NOW, undefined)).toEqual(['service-retired']);
    expect(planFlags(plan({ status: 'retired' }), undefined, NOW, undefined)).toEqual(['service-retired']);
  });
});

describe('plan pages', () => {
  const site = 'https://acme.atlassian.net';
  it('takes the page id from a Confluence page link on this site', () => {
    expect(pageFromUrl(`${site}/wiki/spaces/CONT/pages/123456/Payments+plan`, site)).toEqual({ pageId: '123456', pageUrl: `${site}/wiki/spaces/CONT/pages/123456/Payments+plan` });
    expect(pageFromUrl(`${site}/wiki/pages/viewpage.action?pageId=42`, site).pageId).toBe('42');
  });

  it('refuses links elsewhere, links that are not pages, and any link when the site is unknown', () => {
    expect(() => pageFromUrl('https://evil.example/wiki/spaces/CONT/pages/1', site)).toThrow('The plan page must be on this site (https://acme.atlassian.net).');
    expect(() => pageFromUrl(`${site}/wiki/spaces/CONT/overview`, site)).toThrow(/must be a Confluence page link/);
    expect(() => pageFromUrl('javascript:alert(1)', site)).toThrow(/on this site/);
    expect(() => pageFromUrl(`${site}/wiki/spaces/CONT/pages/1`, undefined)).toThrow(/site address is unknown/);
  });
});

test('steps read back one per line as the form shows them', () => {
  expect(stepsText([{ id: 'a', title: 'Fail over', role: 'DBA', expectedMinutes: 20 }, { id: 'b', title: 'Tell finance', role: '', expectedMinutes: 0 }])).toBe('Fail over — DBA — 20m\nTell finance');
});
