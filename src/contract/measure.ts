/**
 * The contract of the Service continuity page's measuring tabs (BIA and risks, Indicators), the
 * practice review and the configuration check, answered by the page's resolver. Types and constants
 * only (domain types re-exported as types), so it costs the front end's bundle nothing. The form's
 * choices (impact categories, horizons, threats, mechanisms) come in the answers, never copied here.
 */
import type { DurationView, Person } from './console';
import type { Tier } from '../domain/catalogue';
import type { CostThresholds, ImpactCategory, ImpactHorizon, ImpactRatings, ImpactRating, MtpdFlag } from '../domain/bia';
import type { IndicatorId, IndicatorViews } from '../domain/indicators';
import type { MechanismKind, MechanismState, RiskFlag, RiskRating, ThreatScenario } from '../domain/risks';

export type { CostThresholds, ImpactCategory, ImpactHorizon, ImpactRating, ImpactRatings, MtpdFlag } from '../domain/bia';
export type { IndicatorId, IndicatorViews, MonthAttainment, MeanRecovery, Share, TierShares } from '../domain/indicators';
export type { MechanismKind, MechanismState, RiskFlag, RiskFlagKind, RiskRating, ThreatScenario } from '../domain/risks';

export const MEASURE = {
  getBia: 'console/bia/get',
  /** The suggestion for a BIA as typed, without storing anything. */
  suggestBia: 'console/bia/suggest',
  saveBia: 'console/bia/save',
  listRisks: 'console/risks/list',
  saveRisk: 'console/risks/save',
  deleteRisk: 'console/risks/delete',
  indicators: 'console/indicators',
  indicatorsCsv: 'console/indicators/csv',
  rebuildIndicators: 'console/indicators/rebuild',
  reviewStatus: 'console/review/status',
  publishReview: 'console/review/publish',
  checkConfiguration: 'console/config/check',
} as const;

// ---- Business impact analysis ----

export interface ServiceRef {
  id: string;
  name: string;
  tier: Tier;
  tierName: string;
  status: 'active' | 'retired';
}

/** What the BIA form offers, from the domain (so the page never keeps its own copy). */
export interface BiaFormChoices {
  categories: Array<{ id: ImpactCategory; name: string }>;
  horizons: Array<{ id: ImpactHorizon; text: string }>;
  ratings: Array<{ value: ImpactRating; name: string }>;
  /** The rating from which an outage is no longer bearable (major). */
  major: ImpactRating;
}

export interface BiaSuggestionView {
  tier: Tier;
  tierName: string;
  rto: DurationView;
  rpo: DurationView;
  /** The rule applied, step by step, in words. */
  reasoning: string[];
  /** Where the service as catalogued differs from the suggestion. */
  differs: { tier: boolean; rto: boolean; rpo: boolean };
}

export interface BiaValues {
  costOfDowntimePerHour: number;
  currency: string;
  ratings: ImpactRatings;
  maximumTolerableDowntime: DurationView;
  notes?: string;
}

export interface BiaView {
  service: ServiceRef & { rto: DurationView; rpo: DurationView; effectiveRto?: DurationView };
  /** Absent until someone enters one. */
  bia?: BiaValues & { version: number; updatedAt: number; updatedBy?: Person };
  suggestion?: BiaSuggestionView;
  /** The RTO (own or effective) is not below the maximum tolerable downtime. */
  mtpdFlag?: MtpdFlag;
  choices: BiaFormChoices;
  /** The cost thresholds the suggestion compares against, when the settings have them. */
  costThresholds?: CostThresholds;
}

/** What the BIA form sends; the maximum tolerable downtime as typed ("3d", "36h"). */
export interface BiaFormValues {
  costOfDowntimePerHour: number;
  currency: string;
  ratings: ImpactRatings;
  maximumTolerableDowntime: string | number;
  notes?: string;
}

export interface SaveBiaInput {
  serviceId: string;
  /** The version the form loaded (0 or absent for a first BIA): a save over someone else's is refused. */
  expectedVersion?: number;
  bia: BiaFormValues;
  /** Also give the service the suggested tier, RTO and RPO (through the catalogue). */
  applySuggestion?: boolean;
}

export interface SuggestBiaInput {
  serviceId: string;
  bia: BiaFormValues;
}

export interface ServiceIdInput {
  serviceId: string;
}

export interface SaveBiaAnswer {
  view: BiaView;
  /** Set when the suggestion was applied to the service. */
  applied?: { tierName: string; rto: DurationView; rpo: DurationView };
}

// ---- Risk register ----

export interface RiskChoices {
  threats: Array<{ id: ThreatScenario | 'other'; name: string }>;
  mechanismKinds: Array<{ id: MechanismKind; name: string }>;
  mechanismStates: Array<{ id: MechanismState; name: string }>;
  /** A planned mechanism older than this is flagged. */
  plannedLimitDays: number;
}

export interface RiskView {
  id: string;
  version: number;
  serviceId: string;
  threat: { scenario: ThreatScenario | 'other'; description?: string; name: string };
  likelihood: number;
  impact: number;
  score: number;
  rating: RiskRating;
  mechanism?: { kind: MechanismKind; kindName: string; description: string; state: MechanismState; stateName: string };
  identifiedAt: number;
  mechanismPlannedAt?: number;
  mechanismInPlaceAt?: number;
  /** Whole days from identification to the mechanism in place (the KPI), once it is. */
  implementationDays?: number;
  flags: RiskFlag[];
  updatedAt: number;
  updatedBy?: Person;
}

export interface RiskRegisterView {
  service: ServiceRef;
  risks: RiskView[];
  cursor?: string;
  choices: RiskChoices;
  /** Over the risks listed. */
  summary: { risks: number; withoutMechanism: number; flagged: number; meanImplementationDays: number | null };
}

export interface RiskListInput {
  serviceId: string;
  cursor?: string;
}

/** What the risk form sends; dates as YYYY-MM-DD (UTC) or epoch ms. */
export interface RiskFormValues {
  serviceId: string;
  threat: { scenario: ThreatScenario | 'other'; description?: string };
  likelihood: number;
  impact: number;
  mechanism?: { kind: MechanismKind; description: string; state: MechanismState };
  identifiedAt: string | number;
  mechanismPlannedAt?: string | number | null;
  mechanismInPlaceAt?: string | number | null;
}

export interface SaveRiskInput {
  id?: string;
  expectedVersion?: number;
  risk: RiskFormValues;
}

export interface RiskRefInput {
  id: string;
  expectedVersion: number;
}

// ---- Indicators ----

export interface IndicatorsView {
  views: IndicatorViews;
  tiers: Array<{ key: '1' | '2' | '3'; name: string }>;
  /** Each indicator the page charts, with its title, in page order. */
  indicators: Array<{ id: IndicatorId; title: string }>;
}

export interface IndicatorsCsvInput {
  /** One indicator; every indicator when absent. */
  only?: IndicatorId;
}

export interface IndicatorsCsvAnswer {
  filename: string;
  csv: string;
}

export interface RebuildAnswer {
  sources: number;
  corrected: number;
  removed: number;
  shardsRepaired: number;
  matchesRecompute: boolean;
  complete: boolean;
}

// ---- Practice review ----

export interface ReviewPeriodInput {
  /** '2026-Q4' (a quarter) or '2026' (a year). */
  period: string;
}

export interface PublishReviewInput extends ReviewPeriodInput {
  /** The Confluence space (key) for a period's first page; later publishing updates that page. */
  spaceKey?: string;
  /** A page to put a period's first page under (its id). */
  parentPageId?: string;
}

export interface ReviewStatus {
  period: string;
  label: string;
  /** The page this period's review is on, once published. */
  page?: { id: string; url?: string; title: string; publishedAt?: number; publishedBy?: Person };
  /** The space a first page would go to (the last one used, or the plans' space). */
  defaultSpaceKey?: string;
  /** The latest period that has ended (the usual one to review), and the current one. */
  suggestedPeriods: string[];
}

export interface PublishReviewAnswer {
  period: string;
  title: string;
  pageId: string;
  url?: string;
  /** True when this call created the page; false when it updated the period's page. */
  created: boolean;
  version: number;
}

// ---- Configuration check ----

export type ConfigArea = 'jsm-fields' | 'qualification' | 'confluence' | 'spaces' | 'drills' | 'follow-ups' | 'managers';

/** The areas in the order a report lists them, with the heading a page groups their findings under. */
export const CONFIG_AREAS: ReadonlyArray<{ area: ConfigArea; title: string }> = [
  { area: 'jsm-fields', title: 'Jira Service Management fields' },
  { area: 'qualification', title: 'Which incidents qualify' },
  { area: 'confluence', title: 'Confluence' },
  { area: 'spaces', title: 'Where plan pages, postmortems and reviews go' },
  { area: 'drills', title: 'Drills' },
  { area: 'follow-ups', title: 'Follow-up actions' },
  { area: 'managers', title: 'Service Continuity Managers' },
];

export interface ConfigFinding {
  area: ConfigArea;
  /** ok: as it should be; warning: works, but worth a look; problem: something will not work; not-set: nothing to check. */
  status: 'ok' | 'warning' | 'problem' | 'not-set';
  /** What was found, in plain words. */
  message: string;
  /** What to do about it. */
  fix?: string;
}

export interface ConfigCheckReport {
  checkedAt: number;
  findings: ConfigFinding[];
  /** No problem found. */
  ok: boolean;
}
