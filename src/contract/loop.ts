/**
 * The contract of closing the loop: postmortems and follow-up actions on the issue panel, drills and
 * findings on the Service continuity page. Keys, payloads and answers; types and constants only (domain
 * types re-exported, never copied), so it costs the front ends' bundles nothing. The panel's keys are
 * defined on the issue panel's resolver and answer the refreshed PanelView (its `loop` part is
 * LoopPanelView); the console's keys are defined on the console's resolver.
 */
import type { ResolverResult } from './errors';
import type { DrillKind, DrillState, DrillResult } from '../domain/drills';

export type { DrillKind, DrillState, DrillResult } from '../domain/drills';
export { DRILL_KINDS, DRILL_KIND_NAMES } from '../domain/drill-kinds';

/** Issue panel keys (on `issue-panel-resolver`). */
export const LOOP_PANEL = {
  publishPostmortem: 'issue-panel/postmortem/publish',
  createFollowUp: 'issue-panel/follow-up/create',
} as const;

/** Service continuity page keys (on `console-resolver`). */
export const LOOP_CONSOLE = {
  listDrills: 'console/drills/list',
  scheduleDrill: 'console/drills/schedule',
  runDrill: 'console/drills/run',
  cancelDrill: 'console/drills/cancel',
  /** Records the result and publishes the report of a drill whose exercise issue recovered (the automatic run was missed). */
  completeDrill: 'console/drills/complete',
  markFindingsHandled: 'console/plans/findings/handled',
} as const;

// ---- The issue panel ----

export interface FollowUpView {
  key: string;
  summary: string;
  /** The Jira issue, once created. */
  issueKey?: string;
  state: 'created' | 'creating' | 'not-linked';
  createdBy?: string;
}

export interface LoopPanelView {
  /** An exercise issue: the panel says DRILL, and public updates are refused. */
  drill?: { drillId: string; kind: DrillKind; kindName: string };
  /** The published postmortem (or drill report). */
  postmortem?: { url: string; title: string; publishedAt: number; publishedBy?: string; publications: number };
  /** Someone is publishing it for the first time right now. */
  publishing?: { by: string; since: number };
  /** Whether publishing now is possible (a plan was invoked) and whether findings go back now (no invocation open). */
  canPublish: boolean;
  feedsFindings: boolean;
  /** The impact last given for the postmortem. */
  impact?: string;
  followUps: FollowUpView[];
  /** Lines people wrote under "Follow-up actions" on the page, not created as issues yet. */
  suggestedFollowUps: string[];
}

export interface PublishPostmortemInput {
  /** The impact in the publisher's words (kept for later publications). */
  impact?: string;
}

export interface CreateFollowUpInput {
  summary: string;
}

// ---- The Service continuity page: drills ----

export interface DrillPerson {
  accountId: string;
  displayName?: string;
}

export interface DrillView {
  id: string;
  plan: { id: string; title: string; url?: string };
  service: { id: string; name: string };
  kind: DrillKind;
  kindName: string;
  scheduledFor: number;
  participants: DrillPerson[];
  notes?: string;
  state: DrillState;
  createdBy: DrillPerson;
  issue?: { key: string; id: string };
  startedAt?: number;
  /** The exercise issue recovered but its result is not recorded yet (the console offers to complete it). */
  awaitingResult?: boolean;
  result?: DrillResult;
  cancelled?: { at: number; by: DrillPerson; reason?: string };
}

export interface DrillsPage {
  upcoming: DrillView[];
  past: DrillView[];
  /** More past drills after these (pass as `pastCursor`). */
  pastCursor?: string;
  /** Plans that can be exercised (not retired), for the schedule form. */
  plans: Array<{ id: string; title: string; serviceName: string; lastTestedAt?: number }>;
  /** Whether the signed-in person may schedule and run drills (a Service Continuity Manager). */
  canManage: boolean;
  /** Where exercise issues are created, or why they cannot be yet (settings). */
  issueLocation: { ok: true; projectKey: string; issueTypeName: string } | { ok: false; message: string };
  serverTime: number;
}

export interface DrillListInput {
  pastCursor?: string;
}

export interface ScheduleDrillInput {
  planId: string;
  kind: DrillKind;
  /** Epoch milliseconds. */
  scheduledFor: number;
  participants?: string[];
  notes?: string;
}

export interface DrillRefInput {
  drillId: string;
}

export interface CancelDrillInput extends DrillRefInput {
  reason?: string;
}

export interface RunDrillAnswer {
  drill: DrillView;
  /** The exercise issue (open it to run the checklist on its panel). */
  issue: { id: string; key: string };
}

// ---- The Service continuity page: findings ----

export interface PlanFindingsInput {
  planId: string;
}

export interface FindingsHandledAnswer {
  planId: string;
  postmortems: number;
}

export type LoopResult<T> = ResolverResult<T>;
