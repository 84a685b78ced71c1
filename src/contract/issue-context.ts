/**
 * The contract between the issue context (the collapsible panel on the right of the issue view) and its
 * resolver: the compact state of the incident's plans (plan, countdown, progress, next update). Types
 * and keys only; the realtime channel is the issue panel's (see contract/issue-panel).
 */
import type { ResolverResult } from './errors';
import type { InvocationState, NextUpdateView, PanelStatus } from './issue-panel';

export const ISSUE_CONTEXT = {
  load: 'issue-context/load',
} as const;

export interface CompactInvocation {
  id: string;
  state: InvocationState;
  plan: { title: string; url: string };
  serviceName: string;
  startedAt: number;
  /** The committed (own) RTO and when it runs out. */
  ownRtoMinutes: number;
  ownRtoDueAt: number;
  /** The effective RTO along the dependencies (the same as the own one unless a dependency is slower). */
  rtoMinutes: number;
  rtoDueAt: number;
  limitedBy?: { name: string; rtoMinutes: number };
  progress: { total: number; done: number; skipped: number; percent: number };
  nextUpdate?: NextUpdateView;
  recovery?: { achievedMinutes: number; rtoMet: boolean; ownRtoMet: boolean };
}

export interface IssueContextView {
  serverTime: number;
  /** The incident record's version (see IncidentChangedMessage). */
  version: number;
  status: PanelStatus;
  /** Why nothing runs, in words, when status is not 'invoked'. */
  reason?: string;
  /** In recovery order when several plans run. */
  invocations: CompactInvocation[];
}

export type LoadIssueContextResult = ResolverResult<IssueContextView>;

/** What the issue context's `dynamicProperties` function answers: the status Jira shows while it is collapsed. */
export interface ContextStatusProperties {
  status?: { type: 'lozenge'; value: { label: string; type: 'default' | 'inprogress' | 'moved' | 'new' | 'removed' | 'success' } };
}
