/**
 * The first version of a continuity plan page, built from a template. After that the page is the team's:
 * the app reads it back (plan-parse.ts) and changes it only through plan-edit.ts.
 *
 * Sections, in order: Scope and services; Objectives; Roles and contacts; Recovery steps; Communication
 * plan; Vendors and dependencies; Review history. The recovery steps are a table (# | Step | Role |
 * Expected duration) because that is the form people edit naturally in Confluence, and the form the
 * parser reads best. Objectives are written once, as published: numbers in page text go stale, so the
 * note says the live values are the ones the app shows (the optional live-status macro, and the panel
 * on incidents).
 */
import { bulletList, doc, extension, heading, listItem, p, status, text } from '@atlaskit/adf-utils/builders';
import type { BlockContent, DocNode, ExtensionDefinition, StatusDefinition } from '@atlaskit/adf-schema';
import type { PlanStatus, Tier } from '../catalogue';
import { TIER_NAMES } from '../catalogue';
import { invalidInput } from '../errors';
import { h, lines, para, simpleTable, words, type CellContent } from './adf-write';
import { formatMinutes } from './duration';
import { localId } from './ids';
import { cleanLine, LIMITS, truncate } from './page-text';
import { PLAN_SECTIONS } from './plan-sections';

export interface PlanServiceInput {
  name: string;
  tier: Tier;
  rtoMinutes: number;
  rpoMinutes: number;
  /** The RTO once dependencies are counted (rto.effectiveRto); the own RTO when absent. */
  effectiveRtoMinutes?: number;
  /** Names of the services it depends on, listed under Vendors and dependencies. */
  dependsOn?: readonly string[];
}

export interface PlanRoleInput {
  role: string;
  person?: string;
  contact?: string;
}

export interface StepDraft {
  title: string;
  role: string;
  expectedMinutes: number;
}

export type Audience = 'internal' | 'public';

export interface TemplateDraft {
  name: string;
  audience: Audience;
  /** Plain text with `{{placeholders}}`; one paragraph per line. */
  body: string;
}

export interface VendorInput {
  name: string;
  contact?: string;
  notes?: string;
}

/** The app's live-status macro: the extension key and parameters of the app's Confluence macro. */
export interface LiveStatusMacro {
  extensionKey: string;
  parameters?: Record<string, unknown>;
}

export interface PlanTemplateInput {
  /** One or more services the plan recovers. */
  services: readonly PlanServiceInput[];
  /** The scenario or scope in the team's words; a default sentence when absent. */
  scope?: string;
  roles?: readonly PlanRoleInput[];
  steps?: readonly StepDraft[];
  comms?: readonly TemplateDraft[];
  vendors?: readonly VendorInput[];
  status?: PlanStatus;
  /** The first Review history row. */
  published: { date: string; who: string };
  liveStatus?: LiveStatusMacro;
}

export const DEFAULT_ROLES: readonly PlanRoleInput[] = [
  { role: 'Service Continuity Manager' },
  { role: 'Incident manager' },
  { role: 'Recovery lead' },
  { role: 'Technical recovery team' },
  { role: 'Communications lead' },
];

export const DEFAULT_STEPS: readonly StepDraft[] = [
  { title: 'Confirm the outage and invoke this plan', role: 'Incident manager', expectedMinutes: 10 },
  { title: 'Assemble the recovery team and open the bridge call', role: 'Incident manager', expectedMinutes: 10 },
  { title: 'Assess the damage and choose the recovery option', role: 'Recovery lead', expectedMinutes: 15 },
  { title: 'Fail over to the standby site or restore from backup', role: 'Technical recovery team', expectedMinutes: 45 },
  { title: 'Check data integrity against the RPO', role: 'Technical recovery team', expectedMinutes: 15 },
  { title: 'Test the service end to end', role: 'Recovery lead', expectedMinutes: 15 },
  { title: 'Declare recovery and hand back to normal operations', role: 'Incident manager', expectedMinutes: 10 },
];

/** Placeholders are the ones comms.fillTemplate knows (comms.PLACEHOLDERS). */
export const DEFAULT_TEMPLATES: readonly TemplateDraft[] = [
  {
    name: 'Internal update',
    audience: 'internal',
    body: [
      '{{incidentKey}}: {{service}} is down since {{startTime}}.',
      'Impact: {{impact}}',
      'The continuity plan is invoked; recovery is due by {{rtoDue}}.',
      'Next update by {{nextUpdate}}.',
    ].join('\n'),
  },
  {
    name: 'Customer notice',
    audience: 'public',
    body: [
      'We are investigating a problem with {{service}} that started at {{startTime}}.',
      '{{impact}}',
      'Our team is restoring the service. We will post the next update by {{nextUpdate}}.',
    ].join('\n'),
  },
];

/** How the audience line reads ("Audience: internal" / "Audience: customers"). */
export const AUDIENCE_WORDS: Readonly<Record<Audience, string>> = { internal: 'internal', public: 'customers' };

const STATUS_LOZENGE: Readonly<Record<PlanStatus, { text: string; color: StatusDefinition['attrs']['color'] }>> = {
  draft: { text: 'DRAFT', color: 'neutral' },
  'in-review': { text: 'IN REVIEW', color: 'yellow' },
  approved: { text: 'APPROVED', color: 'green' },
  retired: { text: 'RETIRED', color: 'red' },
};

export const STATUS_LINE_LABEL = 'Plan status: ';

/** The line at the top of a plan page: "Plan status: [APPROVED]" (plan-edit.setStatusLine keeps it current). */
export function statusLine(planStatus: PlanStatus): BlockContent {
  const lozenge = STATUS_LOZENGE[planStatus];
  if (!lozenge) throw invalidInput(`Unknown plan status ${JSON.stringify(planStatus)}.`, 'status');
  return p(text(STATUS_LINE_LABEL), status({ text: lozenge.text, color: lozenge.color, localId: localId('plan-status') }));
}

/** The page title: "Continuity plan: Payments API" (services joined with ", "). */
export function planPageTitle(services: readonly Pick<PlanServiceInput, 'name'>[]): string {
  return truncate(`Continuity plan: ${services.map((s) => cleanLine(s.name)).join(', ')}`, 255);
}

function requireServices(services: readonly PlanServiceInput[] | undefined): readonly PlanServiceInput[] {
  if (!Array.isArray(services) || services.length === 0) throw invalidInput('A plan covers at least one service.', 'services');
  for (const s of services) {
    if (!(s.tier in TIER_NAMES)) throw invalidInput(`Unknown tier ${JSON.stringify(s.tier)} for ${cleanLine(s.name)}.`, 'tier');
    for (const key of ['rtoMinutes', 'rpoMinutes'] as const) {
      if (!Number.isFinite(s[key]) || s[key] < 0) throw invalidInput(`${key} of ${cleanLine(s.name)} must be a number of minutes.`, key);
    }
  }
  return services;
}

function minutes(value: number): string {
  return Number.isFinite(value) && value >= 0 ? formatMinutes(Math.round(value)) : '';
}

function effectiveRto(s: PlanServiceInput): string {
  const effective = s.effectiveRtoMinutes ?? s.rtoMinutes;
  return effective > s.rtoMinutes ? `${minutes(effective)} (set by a dependency)` : minutes(effective);
}

function scopeSection(input: PlanTemplateInput, services: readonly PlanServiceInput[]): BlockContent[] {
  const scope = input.scope ?? 'This plan recovers the services below after a disaster-level incident: the loss of a data centre or cloud region, a ransomware attack, or a failure of a critical supplier.';
  return [
    h(2, PLAN_SECTIONS.scope),
    ...lines(scope),
    bulletList(...services.map((s) => listItem([para(...words(`${s.name} — ${TIER_NAMES[s.tier]}`))]))),
  ];
}

function objectivesSection(input: PlanTemplateInput, services: readonly PlanServiceInput[]): BlockContent[] {
  const macro: ExtensionDefinition[] = input.liveStatus
    ? [
        extension({
          extensionType: 'com.atlassian.ecosystem',
          extensionKey: input.liveStatus.extensionKey,
          parameters: input.liveStatus.parameters ?? {},
          layout: 'default',
          localId: localId(`live-status:${input.liveStatus.extensionKey}`),
        }),
      ]
    : [];
  return [
    h(2, PLAN_SECTIONS.objectives),
    ...macro,
    para(...words(`As published on ${input.published.date}. Live values are the ones the app shows on this page and on incidents; change them in the service catalogue.`)),
    simpleTable(
      ['Service', 'Tier', 'RTO', 'RPO', 'Effective RTO'],
      services.map((s) => [s.name, TIER_NAMES[s.tier], minutes(s.rtoMinutes), minutes(s.rpoMinutes), effectiveRto(s)]),
    ),
  ];
}

function rolesSection(input: PlanTemplateInput): BlockContent[] {
  const roles = input.roles && input.roles.length > 0 ? input.roles : DEFAULT_ROLES;
  return [h(2, PLAN_SECTIONS.roles), simpleTable(['Role', 'Person', 'Contact'], roles.map((r) => [r.role, r.person ?? '', r.contact ?? '']))];
}

/** The steps table exactly as the parser reads it: one row per step, titles cut to the parser's limit. */
export function stepsTable(steps: readonly StepDraft[]): BlockContent {
  return simpleTable(
    ['#', 'Step', 'Role', 'Expected duration'],
    steps.map((s, i): CellContent[] => [String(i + 1), truncate(cleanLine(s.title), LIMITS.stepTitle), truncate(cleanLine(s.role), LIMITS.role), minutes(s.expectedMinutes)]),
  );
}

function stepsSection(input: PlanTemplateInput): BlockContent[] {
  const steps = (input.steps && input.steps.length > 0 ? input.steps : DEFAULT_STEPS).slice(0, LIMITS.steps);
  return [
    h(2, PLAN_SECTIONS.steps),
    para(...words('One step per row, in the order the team works. The app reads this table into the recovery checklist on incidents.')),
    stepsTable(steps),
  ];
}

/** One message template: a heading-4 name, the audience line, then the text one paragraph per line. */
export function templateBlocks(template: TemplateDraft): BlockContent[] {
  return [
    heading({ level: 4 })(...words(template.name, LIMITS.templateName)),
    para(...words(`Audience: ${AUDIENCE_WORDS[template.audience] ?? AUDIENCE_WORDS.internal}`)),
    ...lines(template.body, LIMITS.templateBody),
  ];
}

function commsSection(input: PlanTemplateInput): BlockContent[] {
  const templates = (input.comms && input.comms.length > 0 ? input.comms : DEFAULT_TEMPLATES).slice(0, LIMITS.templates);
  return [
    h(2, PLAN_SECTIONS.comms),
    para(
      ...words(
        'Message templates the app offers on incidents. Keep each one as a heading, an "Audience:" line (internal or customers) and the text. Placeholders: {{service}}, {{impact}}, {{startTime}}, {{nextUpdate}}, {{incidentKey}}, {{rtoDue}}.',
      ),
    ),
    ...templates.flatMap(templateBlocks),
  ];
}

function vendorsSection(input: PlanTemplateInput, services: readonly PlanServiceInput[]): BlockContent[] {
  const rows: CellContent[][] = [];
  const seen = new Set<string>();
  for (const s of services) {
    for (const dep of s.dependsOn ?? []) {
      const name = cleanLine(dep);
      if (name === '' || seen.has(name)) continue;
      seen.add(name);
      rows.push([name, 'Service', '', `${cleanLine(s.name)} depends on it`]);
    }
  }
  for (const v of input.vendors ?? []) rows.push([v.name, 'Vendor', v.contact ?? '', v.notes ?? '']);
  if (rows.length === 0) rows.push(['', '', '', '']);
  return [h(2, PLAN_SECTIONS.vendors), simpleTable(['Name', 'Kind', 'Contact or contract', 'Notes'], rows)];
}

function reviewsSection(input: PlanTemplateInput): BlockContent[] {
  return [h(2, PLAN_SECTIONS.reviews), simpleTable(['Date', 'Who', 'Change'], [[input.published.date, input.published.who, 'Published from the template']])];
}

/** A new continuity plan page (ADF) for one or more services. */
export function planPageAdf(input: PlanTemplateInput): DocNode {
  const services = requireServices(input.services);
  return doc(
    statusLine(input.status ?? 'draft'),
    ...scopeSection(input, services),
    ...objectivesSection(input, services),
    ...rolesSection(input),
    ...stepsSection(input),
    ...commsSection(input),
    ...vendorsSection(input, services),
    ...reviewsSection(input),
  );
}
