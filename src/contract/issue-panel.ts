/**
 * The contract between the issue panel resolver and its Custom UI. Both sides import this file; it
 * holds types and constants only, so it costs the front-end bundle nothing.
 */
import type { ResolverResult } from './errors';

export const ISSUE_PANEL = {
  load: 'issue-panel/load',
  stepDone: 'issue-panel/step/done',
  stepSkip: 'issue-panel/step/skip',
  stepReopen: 'issue-panel/step/reopen',
  postComms: 'issue-panel/comms/post',
  recover: 'issue-panel/recover',
  standDown: 'issue-panel/stand-down',
  reopen: 'issue-panel/reopen',
} as const;

export type InvocationState = 'open' | 'recovered' | 'stood-down';

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
  /** The template filled with the incident's facts. */
  text: string;
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
  plan: { id: string; title: string; url: string };
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
  comms: CommsView[];
  nextUpdateDueAt: number;
  recovery?: { at: number; achievedMinutes: number; rtoMet: boolean };
  standDownReason?: string;
  timeline: TimelineView[];
}

/** 'pending': the incident qualifies but its plan is not invoked yet (shown to people who cannot edit). */
export type PanelStatus = 'invoked' | 'pending' | 'not-qualifying' | 'no-plan' | 'no-service' | 'not-configured';

export interface PanelView {
  /** The server's clock when the view was built; the countdown ticks from it, not the browser's clock. */
  serverTime: number;
  issueKey: string;
  status: PanelStatus;
  /** For not-qualifying / no-plan / no-service: what is missing and what to do. */
  reason?: string;
  toQualify?: string;
  invocations: InvocationView[];
  /** Affected services that have no continuity plan yet. */
  missingPlans: string[];
  /** Where plans are written (a URL) and the app's settings module, for the empty states. */
  links: { plans: string; settingsModuleKey: string };
  /** What the signed-in user may do here (the server checks again on every action). */
  can: { edit: boolean; comment: boolean };
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
