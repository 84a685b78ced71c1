/**
 * The contract between the issue panel resolver and its Custom UI. Both sides import this file; it
 * holds types and constants only, so it costs the front-end bundle nothing.
 */
import type { ResolverResult } from './errors';

export const ISSUE_PANEL = {
  load: 'issue-panel/load',
} as const;

export interface InvocationView {
  id: string;
  state: 'open' | 'recovered' | 'stood-down';
  plan: { id: string; title: string; url: string };
  service: { id: string; name: string; tier: number; tierName: string };
  rtoMinutes: number;
  ownRtoMinutes: number;
  rpoMinutes: number;
  /** Epoch milliseconds. */
  startedAt: number;
  rtoDueAt: number;
  inversions: Array<{ dependencyName: string; dependencyRtoMinutes: number }>;
}

export type PanelStatus = 'invoked' | 'not-qualifying' | 'no-plan' | 'no-service';

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
}

export type LoadPanelResult = ResolverResult<PanelView>;
