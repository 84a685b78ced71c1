/** The service catalogue and continuity plans, in the words ITSCM practitioners use. */
import type { PlanFindings } from './plan-findings';
import type { RtoInversion } from './rto';

export type Tier = 1 | 2 | 3;

export const TIER_NAMES: Record<Tier, string> = { 1: 'Tier 1 (Gold)', 2: 'Tier 2 (Silver)', 3: 'Tier 3 (Bronze)' };

export interface Service {
  id: string;
  name: string;
  tier: Tier;
  /** Recovery time objective: how long the service may be down, in minutes. */
  rtoMinutes: number;
  /** Recovery point objective: how much data (in minutes of writes) may be lost. */
  rpoMinutes: number;
  ownerAccountId?: string;
  /** The JSM services (values of the Affected services field) this catalogue entry stands for. */
  jsmServiceIds: string[];
  /** Ids of catalogue services this one cannot recover without. */
  dependsOn: string[];
  /** Fallback matching when an incident has no Affected services value. */
  components: string[];
  labels: string[];
  /** A retired service keeps its history (plans, invocations) but is matched no more. */
  status?: 'active' | 'retired';
  /** When a person last changed it (epoch ms) and who: a form opened before that change cannot overwrite it. */
  updatedAt?: number;
  updatedBy?: string;
}

export interface RecoveryStep {
  id: string;
  title: string;
  role: string;
  expectedMinutes: number;
}

export interface CommsTemplate {
  id: string;
  name: string;
  audience: 'internal' | 'public';
  /** Text with `{{placeholders}}` filled from the incident's facts. */
  body: string;
}

export type PlanStatus = 'draft' | 'in-review' | 'approved' | 'retired';

export interface PageEdit {
  version: number;
  /** The page the version is of: a plan bound to another page since reads that page from scratch. */
  pageId?: string;
  /** Atlassian account id of the person (or the app) who saved the version. */
  by?: string;
  at?: number;
}

export interface StepsProblem {
  /** The first version in a row without readable steps. */
  sinceVersion: number;
  /** Who saved that version (account id). */
  editedBy?: string;
  /** Their name as Confluence gave it when the app read that version (surfaces that cannot ask show it). */
  editedByName?: string;
  /** Why the steps could not be read (plan-parse's reason). */
  reason: 'not-a-document' | 'no-steps-section' | 'no-steps-in-section';
}

export interface StatusChange {
  status: PlanStatus;
  /** Account id of the person who moved it (or `app` for the app itself). */
  by: string;
  at: number;
}

export interface ReviewDue {
  /** Issue keys of the change requests that touched the plan's service since its last review, oldest first. */
  changeKeys: string[];
  since: number;
}

export interface ReviewReminder {
  /** The overdue period the reminder is for (see domain/plans/review.ts). */
  period: string;
  dueAt: number;
  postedAt: number;
  commentId?: string;
}

export interface ContinuityPlan {
  id: string;
  serviceId: string;
  title: string;
  /** The Confluence page the team edits. */
  pageId: string;
  pageUrl: string;
  ownerAccountId?: string;
  status: PlanStatus;
  steps: RecoveryStep[];
  commsTemplates: CommsTemplate[];
  // What the app knows of the plan page and the plan's lifecycle (all optional: a plan entered before
  // plans were Confluence pages has none of it). Kept by services/plans.
  /** The page version the app last read (or wrote): page events at or below it change nothing. */
  pageVersion?: number;
  /** Who saved that version of the page, and when (epoch ms). */
  lastEdit?: PageEdit;
  /** The page has had no readable recovery steps since a version: the plan keeps its last good steps. */
  stepsProblem?: StepsProblem;
  /** What the page reader skipped, shortened or guessed, in words for the plan owner (at most 20). */
  pageProblems?: string[];
  /** Every status move, oldest first (the last 50). */
  statusHistory?: StatusChange[];
  /** Who recorded the last review (lastReviewedAt is when). */
  lastReviewedBy?: string;
  /** A review is due now, whatever the cadence says: the service changed. Cleared by the next review. */
  reviewDue?: ReviewDue;
  /** Review reminders posted on the page, one per overdue period (the last 10). */
  reminders?: ReviewReminder[];

  lastReviewedAt?: number;
  lastTestedAt?: number;
  /** Findings from postmortems and drills fed back to the page, waiting for the owner (see plan-findings.ts). */
  findings?: PlanFindings;
  updatedAt?: number;
  updatedBy?: string;
}

/**
 * What an invocation keeps of its plan: the steps and templates it started with, so a plan page edited
 * during an incident never changes the checklist under the responders' hands.
 */
export type PlanSnapshot = Pick<ContinuityPlan, 'id' | 'title' | 'pageUrl' | 'status' | 'ownerAccountId' | 'steps' | 'commsTemplates'>;

/** What an invocation keeps of its service. */
export type ServiceSnapshot = Pick<Service, 'id' | 'name' | 'tier' | 'rpoMinutes' | 'rtoMinutes'>;

/**
 * Everything the trigger needs to invoke a service's plan, kept current by catalogue writes so that
 * matching an incident costs one batch read whatever the catalogue's size: the service, its effective
 * RTO along its dependencies, and the plan in force (none when the service has no plan yet).
 */
export interface ServiceMatch {
  service: ServiceSnapshot;
  effectiveRtoMinutes: number;
  inversions: RtoInversion[];
  /** Every catalogue service this one depends on, directly or not: recovery order needs no reads. */
  dependsOnClosure?: string[];
  plan: PlanSnapshot | null;
}

export function planSnapshot(plan: ContinuityPlan): PlanSnapshot {
  const { id, title, pageUrl, status, ownerAccountId, steps, commsTemplates } = plan;
  return { id, title, pageUrl, status, ownerAccountId, steps, commsTemplates };
}

export function serviceSnapshot(service: Service): ServiceSnapshot {
  const { id, name, tier, rpoMinutes, rtoMinutes } = service;
  return { id, name, tier, rpoMinutes, rtoMinutes };
}
