/**
 * The contract between the issue panel resolver and its Custom UI. Both sides import this file; it
 * holds types and constants only (the domain's types re-exported, never copied), so it costs the
 * front-end bundle nothing.
 */
import type { ResolverResult } from './errors';
import type { InvocationState } from '../domain/invocation';
import type { Assessment } from '../domain/incident-record';
import type { LoopPanelView } from './loop';

export type { InvocationState } from '../domain/invocation';

export const ISSUE_PANEL = {
  load: 'issue-panel/load',
  stepDone: 'issue-panel/step/done',
  stepSkip: 'issue-panel/step/skip',
  stepReopen: 'issue-panel/step/reopen',
  adoptSteps: 'issue-panel/steps/adopt',
  postComms: 'issue-panel/comms/post',
  recover: 'issue-panel/recover',
  standDown: 'issue-panel/stand-down',
  reopen: 'issue-panel/reopen',
} as const;

export interface StepView {
  id: string;
  title: string;
  role: string;
  expectedMinutes: number;
  status: 'pending' | 'done' | 'skipped';
  by?: { accountId: string; displayName: string };
  at?: number;
  reason?: string;
}

export interface CommsView {
  templateId: string;
  name: string;
  audience: 'internal' | 'public';
  /** The template filled with the incident's facts ({{impact}} left for the agent). */
  text: string;
  /** How many updates from this template were posted; sent back when posting (see PostCommsInput.seen). */
  postedCount: number;
}

export interface TimelineView {
  at: number;
  actor: string;
  actorName: string;
  kind: string;
  detail: string;
}

export interface InvocationView {
  id: string;
  state: InvocationState;
  plan: { id: string; title: string; url: string; status: string };
  service: { id: string; name: string; tier: number; tierName: string };
  rtoMinutes: number;
  ownRtoMinutes: number;
  rpoMinutes: number;
  /** Epoch milliseconds. */
  startedAt: number;
  rtoDueAt: number;
  inversions: Array<{ dependencyName: string; dependencyRtoMinutes: number }>;
  steps: StepView[];
  progress: { total: number; done: number; skipped: number; percent: number; remainingMinutes: number; projectedRecoveryAt: number; projectedWithinRto: boolean };
  /** The plan page's steps changed since this invocation started: how many steps the plan has now. */
  planChanged?: { stepCount: number };
  comms: CommsView[];
  nextUpdateDueAt: number;
  recovery?: { at: number; achievedMinutes: number; rtoMet: boolean };
  standDownReason?: string;
  timeline: TimelineView[];
}

/**
 * 'invoked': plans are running. 'pending': stored, Jira being linked (or the issue is being read).
 * 'not-linked': nothing stored for this incident: not a P1 under the settings, or raised a moment ago.
 * The others come from the app's last assessment of the incident (see Assessment).
 */
export type PanelStatus = 'invoked' | 'pending' | 'not-linked' | Exclude<Assessment['status'], 'linked'>;

export interface PanelView {
  /** The server's clock when the view was built; the countdown ticks from it, not the browser's clock. */
  serverTime: number;
  issueKey: string;
  status: PanelStatus;
  /** For the empty states: what is missing and what to do. */
  reason?: string;
  toQualify?: string;
  invocations: InvocationView[];
  /** Affected services that have no continuity plan yet, by name. */
  missingPlans: string[];
  /** Affected services that are not in the catalogue, as Jira names them. */
  unknownServices: string[];
  /** Jira writes (link, comment, property) still on their way; the plan is usable meanwhile. */
  jiraPending: boolean;
  /** Where plans are written (a URL) and the app's settings module, for the empty states. */
  links: { plans: string; settingsModuleKey: string };
  /** What the signed-in user may do here (the server checks again on every action). */
  can: { edit: boolean; comment: boolean };
  /** Postmortem, follow-up actions and drill (contract/loop.ts); present once a plan was invoked. */
  loop?: LoopPanelView;
}

export interface StepInput {
  invocationId: string;
  stepId: string;
}
export interface SkipStepInput extends StepInput {
  reason: string;
}
export interface PostCommsInput {
  invocationId: string;
  templateId: string;
  audience: 'internal' | 'public';
  /** The agent's words on the impact, filled into {{impact}}. */
  impact?: string;
  /**
   * How many updates from this template the panel showed (CommsView.postedCount). Two agents who saw
   * the same panel and press "Post" together ask for the same update: one is posted, the other told.
   */
  seen: number;
}
export interface InvocationInput {
  invocationId: string;
}
export interface StandDownInput extends InvocationInput {
  reason: string;
}
export interface ReopenInput extends InvocationInput {
  reason?: string;
}

export type LoadPanelResult = ResolverResult<PanelView>;
/** Every action answers with the refreshed view, so the panel needs no second round trip. */
export type PanelActionResult = ResolverResult<PanelView>;
