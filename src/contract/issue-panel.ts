/**
 * The contract between the issue panel resolver and its Custom UI. Both sides import this file; it
 * holds types and constants only (the domain's types re-exported, never copied), so it costs the
 * front-end bundle nothing.
 */
import type { ResolverResult } from './errors';
import type { InvocationState } from '../domain/invocation';
import type { Assessment } from '../domain/incident-record';
import type { LoopPanelView } from './loop';
import type { UpdateDueState } from '../domain/comms';
import type { StepsChange } from '../domain/steps-change';

export type { InvocationState } from '../domain/invocation';
export type { UpdateDueState } from '../domain/comms';
export type { StepsChange } from '../domain/steps-change';

/**
 * The realtime channel on which the panel's resolvers say that an incident changed. Both surfaces on an
 * issue (the panel and the issue context) subscribe with the issue as the channel's context, so a
 * message reaches every open surface on that issue and no other. The message carries only the issue id
 * and the record's version: each surface reloads through its resolver, which checks the user again.
 */
export const INCIDENT_CHANNEL = 'continuity-incident';
export const INCIDENT_CHANNEL_CONTEXT = ['issue'] as const;
export interface IncidentChangedMessage {
  issueId: string;
  version: number;
}

/** The global page where services and plans are added (another surface of the app). */
export const CONSOLE_MODULE_KEY = 'continuity-console';

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
  /** The template has a place for the agent's words on the impact; without one the panel asks for none. */
  usesImpact: boolean;
}

/** When the next stakeholder update is due (from the last one, at the tier's cadence). */
export interface NextUpdateView {
  dueAt: number;
  lastUpdateAt?: number;
  cadenceMinutes: number;
  /** At the time the view was built; the panel recomputes it as its clock ticks (see dueSoonFrom). */
  state: UpdateDueState;
  /** From when the update counts as due soon (the last quarter of the interval). */
  dueSoonFrom: number;
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
  /** A drill's invocation: an exercise, so its updates stay internal (no public reply is offered or accepted). */
  drill: boolean;
  /**
   * The plan as it is now: `draft` when it is not yet approved (invoked all the same, marked DRAFT), and
   * what its page says needs fixing, in words ("The plan page has had no readable recovery steps since
   * version N, edited by X. …", "Review due: changed by CHG-12").
   */
  plan: { id: string; title: string; url: string; status: string; draft: boolean; problems: string[] };
  service: { id: string; name: string; tier: number; tierName: string };
  /** The effective RTO: the longest along the service's dependencies (the RTO warnings run on it). */
  rtoMinutes: number;
  /** The service's own, committed RTO. */
  ownRtoMinutes: number;
  rpoMinutes: number;
  /** Epoch milliseconds. */
  startedAt: number;
  rtoDueAt: number;
  /** When the committed RTO runs out; equals rtoDueAt unless a dependency is slower. */
  ownRtoDueAt: number;
  inversions: Array<{ dependencyName: string; dependencyRtoMinutes: number }>;
  /** The slowest dependency when it is slower than the service's own RTO: the service cannot meet it unless that recovers sooner. */
  limitedBy?: { name: string; rtoMinutes: number };
  /** Where this plan sits when several services are being recovered (dependencies' plans first). */
  order?: { position: number; reason: string };
  steps: StepView[];
  progress: { total: number; done: number; skipped: number; percent: number; remainingMinutes: number; projectedRecoveryAt: number; projectedWithinRto: boolean };
  /** The plan page's steps changed since this invocation started: how many steps the plan has now. */
  planChanged?: StepsChange;
  comms: CommsView[];
  /** While the invocation is open. */
  nextUpdate?: NextUpdateView;
  /** rtoMet is against the effective RTO; ownRtoMet against the committed one. */
  recovery?: { at: number; achievedMinutes: number; rtoMet: boolean; ownRtoMet: boolean };
  standDownReason?: string;
  timeline: TimelineView[];
}

/**
 * 'invoked': plans are running. 'pending': stored, Jira being linked (or the issue is being read).
 * 'not-linked': nothing stored for this incident: not a P1 under the settings, or raised a moment ago.
 * The others come from the app's last assessment of the incident (see Assessment).
 */
export type PanelStatus = 'invoked' | 'pending' | 'not-linked' | 'jira-unavailable' | Exclude<Assessment['status'], 'linked'>;

export interface PanelView {
  /** The server's clock when the view was built; the countdown ticks from it, not the browser's clock. */
  serverTime: number;
  issueKey: string;
  /** The incident record's version; a realtime message with a version not above it is already shown. */
  version: number;
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
  /** Several plans run: they are listed in recovery order, and this says why. */
  recoveryOrder?: string;
  /** Where plans are written (a URL), the app's settings module and its Service continuity page. */
  links: { plans: string; settingsModuleKey: string; consoleModuleKey: string };
  /** What the signed-in user may do here (the server checks again on every action). */
  can: { edit: boolean; comment: boolean };
  /** Postmortem, follow-up actions and drill (contract/loop.ts); present once a plan was invoked. */
  loop?: LoopPanelView;
  /**
   * Jira did not answer (the permission check, or reading the issue): the plan, clock and checklist are
   * shown read-only and actions are off until a retry succeeds.
   */
  jiraUnavailable: boolean;
  /** The app is not connected to Confluence (known from the installation, no call): plan links cannot open. */
  confluenceNotConnected?: boolean;
  /** The time zone of the times written into comments (settings.siteTimeZone, default UTC). */
  siteTimeZone: string;
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
