/**
 * The contract of the Service continuity page (`jira:globalPage`) and its resolver: keys, payloads and
 * answers. Types and constants only (domain types re-exported, never copied), so it costs the front
 * end's bundle nothing. Times are epoch milliseconds; durations come with the text the app writes them
 * as ("4h"), so the front end never re-implements duration arithmetic.
 */
import type { ResolverResult } from './errors';
import type { PlanStatus, Tier } from '../domain/catalogue';
import type { CsvIssue } from '../domain/csv';

export type { PlanStatus, Tier } from '../domain/catalogue';
export type { CsvIssue } from '../domain/csv';

/** The module key of the page (manifest `jira:globalPage`), for links from other surfaces. */
export const CONSOLE_MODULE_KEY = 'continuity-console';

export const CONSOLE = {
  /** Everything the page shows when it opens, in one call. */
  load: 'console/load',
  listServices: 'console/services/list',
  getService: 'console/services/get',
  saveService: 'console/services/save',
  retireService: 'console/services/retire',
  restoreService: 'console/services/restore',
  deleteService: 'console/services/delete',
  searchServices: 'console/services/search',
  searchUsers: 'console/users/search',
  jsmDirectory: 'console/jsm/directory',
  learnJsm: 'console/jsm/learn',
  previewCsv: 'console/csv/preview',
  importCsv: 'console/csv/import',
  exportCsv: 'console/csv/export',
  listPlans: 'console/plans/list',
  getPlan: 'console/plans/get',
  savePlan: 'console/plans/save',
} as const;

export const SERVICE_PAGE_SIZE = 25;
export const PLAN_PAGE_SIZE = 25;

// ---- Shared pieces ----

export interface DurationView {
  minutes: number;
  /** As the app writes durations: "45m", "4h", "1d 2h". */
  text: string;
}

export interface Person {
  accountId: string;
  /** Jira's display name; undefined when Jira did not answer for this account (deleted, or not visible). */
  displayName?: string;
}

/** What the signed-in person may do on this page (the server checks again on every change). */
export interface ConsoleRole {
  /** The Service Continuity Manager role: a Jira administrator, or a member of a group named in the settings. */
  manager: boolean;
  /** Why, in words ("Jira administrator", "member of continuity-managers"), or how to get the role. */
  reason: string;
}

export interface TierBandView {
  tier: Tier;
  name: string;
  rtoMin: DurationView;
  rtoMax: DurationView;
  rpo: DurationView;
}

// ---- Services ----

/** active: every active service; no-approved-plan: active services without an approved plan; retired. */
export type ServiceView = 'active' | 'no-approved-plan' | 'retired';
/** name: A–Z; tier: Tier 1 first, then the fastest RTO; rto: the fastest RTO first. Searches are in name order. */
export type ServiceSort = 'name' | 'tier' | 'rto';

export interface ServiceQuery {
  view: ServiceView;
  sort: ServiceSort;
  tier?: Tier;
  /** The start of a service's name (ignoring case). */
  search?: string;
  /** From the previous page's answer. */
  cursor?: string;
}

export interface JsmServiceRef {
  id: string;
  /** As incidents (or Assets) name it; undefined when the id was never seen. */
  name?: string;
  /** Whether the id was seen in the Affected services field of an incident (or found in Assets). */
  seen: boolean;
}

export interface ServiceRow {
  id: string;
  name: string;
  tier: Tier;
  tierName: string;
  status: 'active' | 'retired';
  rto: DurationView;
  rpo: DurationView;
  /** The longest RTO along the dependency chains (recovery cannot be faster); absent for a retired service. */
  effectiveRto?: DurationView;
  /** Dependencies whose own RTO is slower than this service's: the RTO cannot be met as written. */
  inversions: Array<{ dependencyId: string; dependencyName: string; dependencyRto: DurationView }>;
  /** The RTO falls outside its tier's band (flagged, never refused). */
  band?: { flag: 'faster-than-band' | 'slower-than-band'; message: string };
  /** The RTO (own, or effective through its dependencies) is not below the maximum tolerable downtime its BIA states. */
  mtpd?: { which: 'own' | 'effective'; message: string };
  owner?: Person;
  dependsOn: Array<{ id: string; name?: string }>;
  jsmServices: JsmServiceRef[];
  components: string[];
  labels: string[];
  hasApprovedPlan: boolean;
  updatedAt?: number;
}

export interface ServicePage {
  items: ServiceRow[];
  /** Present when there are more services: send it back in ServiceQuery.cursor. */
  cursor?: string;
  query: ServiceQuery;
}

export interface ServiceDetail extends ServiceRow {
  plans: PlanSummary[];
}

export interface PlanSummary {
  id: string;
  title: string;
  status: PlanStatus;
}

/** What the service form sends. RTO and RPO are durations as typed ("45m", "4h"); empty takes the tier's default. */
export interface ServiceFormValues {
  name: string;
  ownerAccountId?: string;
  tier: Tier | string;
  rto?: string;
  rpo?: string;
  /** Catalogue service ids (names are accepted too). */
  dependsOn: string[];
  jsmServiceIds: string[];
  components: string[];
  labels: string[];
}

export interface SaveServiceInput {
  /** Absent to create. */
  id?: string;
  /** The service's updatedAt as the form loaded it: a save over someone else's newer change is refused. */
  expectedUpdatedAt?: number;
  service: ServiceFormValues;
}

export interface ServiceChangeAnswer {
  service: ServiceRow;
  /** Things a person should look at (an RTO outside its band, a JSM id no incident carries, dependents of a retired service). */
  warnings: string[];
}

export interface ServiceRefInput {
  id: string;
  expectedUpdatedAt?: number;
}

export interface DeleteServiceAnswer {
  id: string;
  name: string;
}

export interface ServiceSearchInput {
  /** The start of a name; empty for the first services by name. */
  prefix: string;
}

export interface ServiceChoice {
  id: string;
  name: string;
  tier: Tier;
  rto: DurationView;
}

export interface UserSearchInput {
  query: string;
}

// ---- JSM services ----

export interface JsmServiceEntry {
  id: string;
  name: string;
  source: 'incidents' | 'assets';
  /** Incidents read that name it (for source incidents). */
  incidents: number;
  lastSeenAt?: number;
  /** Catalogue services mapped to this id. */
  mappedTo: Array<{ id: string; name: string }>;
}

export interface JsmDirectoryInput {
  /** False for the directory alone (the service form): no catalogue read, no mappings. Default true. */
  mappings?: boolean;
}

export interface JsmDirectoryView {
  /** Whether this site has JSM's Affected services field. */
  fieldFound: boolean;
  /** When the app last read the site's incidents for service ids. */
  learnedAt?: number;
  /** Incidents read the last time. */
  incidentsRead?: number;
  /** The last reading stopped at its bound: older incidents were not read. */
  bounded?: boolean;
  services: JsmServiceEntry[];
  /** Catalogue ids mapped to JSM ids that no incident read carries (and Assets did not list). */
  unseenMappings: Array<{ serviceId: string; serviceName: string; jsmServiceId: string }>;
  assets: { state: 'read' | 'unavailable' | 'not-tried'; reason?: string; count?: number };
}

// ---- CSV ----

export interface CsvInput {
  csv: string;
}

export interface CsvPreviewRow {
  line: number;
  name: string;
  action: 'create' | 'update' | 'unchanged';
  /** The fields an update changes, in words. */
  changes: string[];
}

export interface CsvPreview {
  rows: CsvPreviewRow[];
  errors: CsvIssue[];
  warnings: CsvIssue[];
}

export interface CsvImportAnswer {
  /** Rows stored by this call, in the order written. */
  written: Array<{ line: number; name: string; action: 'create' | 'update' }>;
  /** Rows already as the file has them (written by an earlier run, or never different). */
  unchanged: number[];
  /** Good rows not written yet: after a failure, or when this call ran out of time. */
  notWritten: Array<{ line: number; name: string }>;
  errors: CsvIssue[];
  warnings: CsvIssue[];
  /** True when every good row is stored; otherwise call again with the same file to continue. */
  done: boolean;
  /** Storage refused a batch: its rows are in notWritten; running the import again finishes it. */
  failure?: { message: string; lines: number[] };
}

export interface CsvExportAnswer {
  filename: string;
  csv: string;
  count: number;
}

export const CSV_UPLOAD_LIMITS = { characters: 1_000_000, rows: 2_000 } as const;

// ---- Plans ----

/**
 * steps-unreadable: the plan page has had no readable recovery steps since a version (incidents get the
 * last readable ones); review-due: a change request touched the service since the last review.
 */
export type PlanFlag = 'review-overdue' | 'never-reviewed' | 'never-tested' | 'service-retired' | 'steps-unreadable' | 'review-due';

export interface PlanRow {
  id: string;
  title: string;
  service: { id: string; name: string; tier?: Tier; tierName?: string; status: 'active' | 'retired' | 'missing' };
  owner?: Person;
  status: PlanStatus;
  lastReviewedAt?: number;
  /** From the service's tier and the review cadence; undefined when never reviewed (due now). */
  nextReviewDueAt?: number;
  lastTestedAt?: number;
  /** Open invocations of this plan on incidents (see PlanRegistryPage.openInvocations); drills not counted. */
  openInvocations: number;
  /** Drills of this plan running now (their exercise issues are open). */
  openDrills: number;
  /** The plan page; `version` is the one the app last read. */
  page?: { id: string; url: string; version?: number };
  stepCount: number;
  flags: PlanFlag[];
  /** The flags that need words, in words ("The plan page has had no readable recovery steps since version 4, edited by Kai Editor. …", "Review due: changed by CHG-12"). */
  problems?: Array<{ flag: PlanFlag; text: string }>;
  /** The plan's latest status move: who made it and when. */
  lastMove?: { status: PlanStatus; by: Person; at: number };
  updatedAt?: number;
  /** Findings from postmortems and drills fed back to the plan page, waiting for its owner since a date. */
  findingsWaiting?: { since: number; postmortems: number; findings: number; latestUrl?: string };
}

/** A Tier 1 or 2 service without an approved plan. */
export interface ServiceGap {
  id: string;
  name: string;
  tier: Tier;
  tierName: string;
}

export interface PlanRegistryPage {
  items: PlanRow[];
  cursor?: string;
  /** First page only: Tier 1 and 2 services without an approved plan. */
  gaps?: ServiceGap[];
  /** More gaps than listed. */
  gapsMore?: boolean;
  /** Open incidents read to count invocations; `complete` is false when the count stopped at its bound. */
  openInvocations: { incidentsRead: number; complete: boolean };
  serverTime: number;
}

export interface PlanListInput {
  cursor?: string;
}

export interface PlanDetail extends PlanRow {
  /** The recovery steps, one per line ("Fail over the database — DBA — 20 min"). */
  stepsText: string;
  commsTemplateCount: number;
}

export interface PlanFormValues {
  serviceId: string;
  title: string;
  ownerAccountId?: string;
  status: PlanStatus;
  /** Dates as YYYY-MM-DD (UTC), or empty. */
  lastReviewedOn?: string;
  lastTestedOn?: string;
  /** A Confluence page on this site that holds the plan, or empty. */
  pageUrl?: string;
  /** When present, replaces the steps: one per line. */
  stepsText?: string;
  /** When present, replaces the steps (with ids kept); stepsText wins when both are sent. */
  steps?: Array<{ id?: string; title: string; role?: string; expectedMinutes?: number }>;
  /** When present, replaces the communication templates. */
  commsTemplates?: Array<{ id?: string; name: string; audience: 'internal' | 'public'; body: string }>;
}

export interface SavePlanInput {
  id?: string;
  expectedUpdatedAt?: number;
  plan: PlanFormValues;
}

export interface PlanRefInput {
  id: string;
}

// ---- The page ----

export interface ConsoleView {
  serverTime: number;
  role: ConsoleRole;
  services: ServicePage;
  summary: { services: number; plans: number; withoutApprovedPlan?: number };
  tierBands: TierBandView[];
  /** The site's time zone for dates (IANA), from the settings. */
  timeZone: string;
  jsm: { learnedAt?: number; known: number };
}

export type ConsoleResult<T> = ResolverResult<T>;
