import { fillTemplate } from '../comms';
import { ContinuityError } from '../errors';
import { adfErrors, deepFreeze, headingTitles, nodeTypes, T0, textsOf } from './adf-testing';
import { readingOrder, readTree, sections, tableGrid, cellText, inlineText } from './adf-read';
import { DEFAULT_STEPS, DEFAULT_TEMPLATES, planPageAdf, planPageTitle, statusLine, type PlanTemplateInput } from './plan-template';

const payments = { name: 'Payments API', tier: 1 as const, rtoMinutes: 60, rpoMinutes: 15, effectiveRtoMinutes: 90, dependsOn: ['Postgres cluster', 'Card gateway'] };
const ledger = { name: 'Ledger', tier: 2 as const, rtoMinutes: 240, rpoMinutes: 60, dependsOn: ['Postgres cluster'] };
const minimal: PlanTemplateInput = { services: [payments], published: { date: '2026-11-22', who: 'Ana Lima' } };

function section(docNode: unknown, title: string) {
  const s = sections(readingOrder(readTree(docNode).root)).find((x) => x.title === title);
  if (!s) throw new Error(`no section ${title}`);
  return s;
}

function tableTexts(docNode: unknown, title: string): string[][] {
  const t = section(docNode, title).blocks.find((b) => b.node.type === 'table')!;
  return tableGrid(t.node).map((row) => row.map((c) => (c ? cellText(c.node) : '')));
}

describe('planPageAdf', () => {
  it('is valid ADF, with the sections in order', () => {
    const page = planPageAdf(deepFreeze(minimal));
    expect(adfErrors(page)).toEqual([]);
    expect(headingTitles(page, 2)).toEqual(['Scope and services', 'Objectives', 'Roles and contacts', 'Recovery steps', 'Communication plan', 'Vendors and dependencies', 'Review history']);
  });

  it('starts with the plan status line (draft unless given)', () => {
    expect(textsOf(planPageAdf(minimal)).slice(0, 1)).toEqual(['Plan status: ']);
    expect(planPageAdf(minimal).content[0]).toEqual(statusLine('draft'));
    expect(planPageAdf({ ...minimal, status: 'approved' }).content[0]).toEqual(statusLine('approved'));
  });

  it('lists the services with their tiers under Scope and services', () => {
    const page = planPageAdf({ ...minimal, services: [payments, ledger], scope: 'Loss of the eu-west-1 region.' });
    const blocks = section(page, 'Scope and services').blocks.map((b) => b.node);
    expect(inlineText(blocks[0])).toBe('Loss of the eu-west-1 region.');
    expect(blocks[1].type).toBe('bulletList');
    expect(textsOf(blocks[1])).toEqual(['Payments API — Tier 1 (Gold)', 'Ledger — Tier 2 (Silver)']);
  });

  it('writes the objectives once, with a note that the live values are the app\'s', () => {
    const page = planPageAdf({ ...minimal, services: [payments, ledger] });
    const note = inlineText(section(page, 'Objectives').blocks[0].node);
    expect(note).toContain('As published on 2026-11-22');
    expect(note).toContain('Live values are the ones the app shows');
    expect(tableTexts(page, 'Objectives')).toEqual([
      ['Service', 'Tier', 'RTO', 'RPO', 'Effective RTO'],
      ['Payments API', 'Tier 1 (Gold)', '1 h', '15 min', '1 h 30 min (set by a dependency)'],
      ['Ledger', 'Tier 2 (Silver)', '4 h', '1 h', '4 h'],
    ]);
  });

  it('places the live-status macro at the top of Objectives when given', () => {
    const page = planPageAdf({ ...minimal, liveStatus: { extensionKey: 'app-id/env-id/static/plan-status', parameters: { guestParams: { planId: 'plan-1' } } } });
    expect(adfErrors(page)).toEqual([]);
    const first = section(page, 'Objectives').blocks[0].node;
    expect(first.type).toBe('extension');
    expect(first.attrs).toMatchObject({ extensionType: 'com.atlassian.ecosystem', extensionKey: 'app-id/env-id/static/plan-status', parameters: { guestParams: { planId: 'plan-1' } } });
  });

  it('has a Role | Person | Contact table with default roles', () => {
    const rows = tableTexts(planPageAdf(minimal), 'Roles and contacts');
    expect(rows[0]).toEqual(['Role', 'Person', 'Contact']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['Service Continuity Manager', 'Incident manager', 'Recovery lead', 'Technical recovery team', 'Communications lead']);
    const given = tableTexts(planPageAdf({ ...minimal, roles: [{ role: 'DBA on call', person: 'Kai', contact: '+64 21 000 000' }] }), 'Roles and contacts');
    expect(given).toEqual([['Role', 'Person', 'Contact'], ['DBA on call', 'Kai', '+64 21 000 000']]);
  });

  it('writes the steps as a # | Step | Role | Expected duration table, durations as "15 min" and "1 h 30 min"', () => {
    const steps = [
      { title: 'Fail over the database', role: 'DBA', expectedMinutes: 20 },
      { title: 'Restore from backup', role: 'Storage team', expectedMinutes: 90 },
      { title: 'Smoke-test', role: 'QA', expectedMinutes: 60 },
    ];
    expect(tableTexts(planPageAdf({ ...minimal, steps }), 'Recovery steps')).toEqual([
      ['#', 'Step', 'Role', 'Expected duration'],
      ['1', 'Fail over the database', 'DBA', '20 min'],
      ['2', 'Restore from backup', 'Storage team', '1 h 30 min'],
      ['3', 'Smoke-test', 'QA', '1 h'],
    ]);
    const header = section(planPageAdf(minimal), 'Recovery steps').blocks.find((b) => b.node.type === 'table')!.node.content[0];
    expect(header.content.map((c) => c.type)).toEqual(['tableHeader', 'tableHeader', 'tableHeader', 'tableHeader']);
  });

  it('uses the default steps when none are given', () => {
    const rows = tableTexts(planPageAdf(minimal), 'Recovery steps').slice(1);
    expect(rows.map((r) => r[1])).toEqual(DEFAULT_STEPS.map((s) => s.title));
  });

  it('writes each message template as a heading-4 name, an audience line and its text', () => {
    const comms = [{ name: 'Exec brief', audience: 'internal' as const, body: 'Line one {{service}}\n\nLine three' }, { name: 'Status page', audience: 'public' as const, body: '{{impact}}' }];
    const blocks = section(planPageAdf({ ...minimal, comms }), 'Communication plan').blocks.map((b) => b.node);
    expect(blocks.slice(1).map((b) => [b.type, b.type === 'heading' ? b.attrs.level : undefined, inlineText(b)])).toEqual([
      ['heading', 4, 'Exec brief'],
      ['paragraph', undefined, 'Audience: internal'],
      ['paragraph', undefined, 'Line one {{service}}'],
      ['paragraph', undefined, ''],
      ['paragraph', undefined, 'Line three'],
      ['heading', 4, 'Status page'],
      ['paragraph', undefined, 'Audience: customers'],
      ['paragraph', undefined, '{{impact}}'],
    ]);
    expect(nodeTypes(blocks)).not.toContain('codeBlock');
  });

  it('default templates: one internal, one for customers, using only placeholders the app fills', () => {
    expect(DEFAULT_TEMPLATES.map((t) => t.audience)).toEqual(['internal', 'public']);
    for (const t of DEFAULT_TEMPLATES) {
      const filled = fillTemplate({ id: 'x', ...t }, { service: 'Payments', impact: 'No card payments', startTime: T0, nextUpdate: T0, incidentKey: 'OPS-1', rtoDueAt: T0 });
      expect(filled.unknown).toEqual([]);
      expect(filled.text).not.toMatch(/\{\{/);
    }
  });

  it('lists dependencies (once each) and vendors, and the first review', () => {
    const page = planPageAdf({ ...minimal, services: [payments, ledger], vendors: [{ name: 'CloudCo', contact: 'support@cloudco.example', notes: 'Contract 123' }] });
    expect(tableTexts(page, 'Vendors and dependencies')).toEqual([
      ['Name', 'Kind', 'Contact or contract', 'Notes'],
      ['Postgres cluster', 'Service', '', 'Payments API depends on it'],
      ['Card gateway', 'Service', '', 'Payments API depends on it'],
      ['CloudCo', 'Vendor', 'support@cloudco.example', 'Contract 123'],
    ]);
    expect(tableTexts(page, 'Review history')).toEqual([
      ['Date', 'Who', 'Change'],
      ['2026-11-22', 'Ana Lima', 'Published from the template'],
    ]);
  });

  it('writes an empty vendors row for people to fill when there is nothing to list', () => {
    const page = planPageAdf({ ...minimal, services: [{ ...payments, dependsOn: [] }] });
    expect(adfErrors(page)).toEqual([]);
    expect(tableTexts(page, 'Vendors and dependencies')[1]).toEqual(['', '', '', '']);
  });

  it('refuses a plan without services or with an unknown tier', () => {
    expect(() => planPageAdf({ ...minimal, services: [] })).toThrow(ContinuityError);
    expect(() => planPageAdf({ ...minimal, services: [{ ...payments, tier: 7 as never }] })).toThrow(/tier/);
    expect(() => planPageAdf({ ...minimal, services: [{ ...payments, rtoMinutes: Number.NaN }] })).toThrow(/rtoMinutes/);
  });

  it('is deterministic', () => {
    expect(planPageAdf(minimal)).toEqual(planPageAdf(minimal));
  });

  it('titles the page after its services', () => {
    expect(planPageTitle([payments, ledger])).toBe('Continuity plan: Payments API, Ledger');
  });
});
