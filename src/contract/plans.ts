/**
 * The contract of the plan features: the keys the Service continuity page (console) calls for plan
 * pages, and those of the Confluence modules on a plan page (byline item, macro, content action).
 * Types and constants only, shared by the resolvers and the front ends; domain types re-exported.
 */
import type { ResolverResult } from './errors';
import type { PlanStatus, StepsProblem, ReviewDue } from '../domain/catalogue';

export type { PlanStatus, StepsProblem, ReviewDue } from '../domain/catalogue';
/** The lifecycle's moves and words (approval by the plan owner or a manager; every other move by a manager). */
export { NEXT_STATUSES, PLAN_STATUSES, STATUS_WORDS } from '../domain/plans/statuses';

/** Keys on the console's resolver (registered there with `definePlanResolvers`). */
export const PLANS = {
  /** Publishes a new plan page for a service from the template: `{ serviceId }`. */
  createPage: 'plans/create-page',
  /** Binds an existing Confluence page to a service by its link: `{ serviceId, pageUrl }`. */
  adopt: 'plans/adopt',
  /** Moves a plan through its lifecycle: `{ planId, status, expected? }`. */
  setStatus: 'plans/set-status',
  /** Records a review (the page's review history gets a row): `{ planId }`. */
  markReviewed: 'plans/mark-reviewed',
  /** Every plan with something to fix: unreadable steps, review due or overdue, reader problems. */
  problems: 'plans/problems',
  /** Whether Confluence is connected and where new plan pages go, in words. */
  confluence: 'plans/confluence',
  /** Publishes plan pages for many services through the queue: `{ serviceIds }` (or all without a page). */
  publishAll: 'plans/publish-all',
  /** The progress of bulk publishing: `{ jobId? }` (the latest job when absent). */
  publishProgress: 'plans/publish-progress',
} as const;

/** Keys of the plan-page resolver (byline item, macro and content action on a Confluence page). */
export const PLAN_PAGE = {
  /** The page's live continuity state, one call per render. */
  status: 'plan-page/status',
  /** What the "Use as continuity plan" action offers: the services, and whether the page is a plan already. */
  adoptOptions: 'plan-page/adopt-options',
  /** Binds this page (from the module's context) to a service: `{ serviceId }`. */
  adopt: 'plan-page/adopt',
  /** Records a review from the page: no payload (the plan is the page's). */
  markReviewed: 'plan-page/mark-reviewed',
} as const;

export const PLAN_PAGE_MODULES = {
  byline: 'continuity-plan-byline',
  macro: 'continuity-plan-status',
  contentAction: 'continuity-use-as-plan',
} as const;

export interface PlanView {
  id: string;
  serviceId: string;
  title: string;
  status: PlanStatus;
  page?: { id: string; url: string; version?: number };
  stepCount: number;
  lastEdit?: { version: number; by?: string; byName?: string; at?: number };
  /** "The plan page has had no readable recovery steps since version N, edited by X." */
  stepsProblem?: StepsProblem & { text: string };
  /** What the reader skipped or guessed on the page. */
  pageProblems: string[];
  statusHistory: Array<{ status: PlanStatus; by: string; byName?: string; at: number }>;
  lastReviewedAt?: number;
  lastReviewedBy?: string;
  /** Review state in words ("Next review due 2026-04-01.", "Review due: changed by CHG-12"). */
  review: { kind: 'changed' | 'overdue' | 'due' | 'never-reviewed'; text: string; dueAt?: number };
  reviewDue?: ReviewDue;
}

export interface CreatePageInput {
  serviceId: string;
}

export interface AdoptInput {
  serviceId: string;
  pageUrl: string;
}

export interface SetStatusInput {
  planId: string;
  status: PlanStatus;
  /** The status the person saw: a plan moved meanwhile is refused with CONFLICT. */
  expected?: PlanStatus;
}

export interface PlanProblem {
  planId: string;
  title: string;
  serviceId: string;
  serviceName?: string;
  kind: 'steps-unreadable' | 'review-due' | 'review-overdue' | 'no-page' | 'page-problems';
  text: string;
  page?: { id: string; url: string };
}

export interface ConfluenceState {
  connected: 'connected' | 'not-connected' | 'unknown';
  /** Plain words for the page: connected and where pages go, or what to fix. */
  message: string;
  location?: { ok: boolean; field?: string; message: string };
}

export interface PublishAllInput {
  /** The services to publish plan pages for; every active service without one when absent. */
  serviceIds?: string[];
}

export interface PublishProgress {
  jobId: string;
  state: 'running' | 'done';
  total: number;
  /** How many services were worked through (published, skipped or failed). */
  processed: number;
  published: number;
  skipped: number;
  failed: Array<{ serviceId: string; reason: string }>;
  startedAt: number;
  updatedAt: number;
}

// ---- The plan page (Confluence modules) ----

export interface LiveIncident {
  issueKey: string;
  summary?: string;
  /** Epoch ms when the RTO runs out (the countdown's target). */
  rtoDueAt: number;
  rtoMinutes: number;
  serviceName: string;
  url: string;
  /** An exercise issue of a drill, not an outage (listed, marked DRILL, not counted as an incident). */
  drill: boolean;
}

export type PlanPageStatus =
  | {
      kind: 'plan';
      plan: { id: string; title: string; status: PlanStatus; draft: boolean };
      services: Array<{ id: string; name: string; tier: 1 | 2 | 3; tierName: string; rtoMinutes: number; rpoMinutes: number; effectiveRtoMinutes: number }>;
      review: PlanView['review'];
      lastReviewedAt?: number;
      lastTestedAt?: number;
      stepsProblem?: string;
      /** Open invocations of the plan the viewer may see in Jira (asked of Jira as the viewer). */
      openIncidents: LiveIncident[];
      /** Set when Jira could not say which incidents the viewer may see: none are shown. */
      incidentsUnknown?: string;
      canReview: boolean;
      serverTime: number;
    }
  | { kind: 'not-a-plan'; message: string; canAdopt: boolean }
  | { kind: 'catalogue-unavailable'; message: string };

/** What the byline item shows (Forge's dynamic properties of a contentBylineItem). */
export interface BylineProperties {
  title: string;
  tooltip?: string;
}

export interface AdoptOptions {
  page: { id: string; title: string };
  /** The plan this page already is, if any. */
  plan?: { id: string; title: string; serviceId: string };
  services: Array<{ id: string; name: string; hasPlanPage: boolean }>;
  canAdopt: boolean;
  /** Why the person cannot adopt, in words. */
  reason?: string;
}

export type PlanResult = ResolverResult<PlanView>;
export type ProblemsResult = ResolverResult<{ problems: PlanProblem[]; complete: boolean }>;
export type ConfluenceStateResult = ResolverResult<ConfluenceState>;
export type PublishProgressResult = ResolverResult<PublishProgress | null>;
export type PlanPageStatusResult = ResolverResult<PlanPageStatus>;
export type AdoptOptionsResult = ResolverResult<AdoptOptions>;
