/** The contract of the admin settings page (Jira admins only). */
import type { ResolverResult } from './errors';
import type { FallbackMapping } from '../domain/incident';
import type { CommsCadence, ReviewCadence, TierBands } from '../domain/tiers';

export type { FallbackMapping } from '../domain/incident';
export type { CommsCadence, ReviewCadence, TierBand, TierBands } from '../domain/tiers';

export const SETTINGS = {
  load: 'settings/load',
  save: 'settings/save',
  /** Whether plan pages can be published where the form says: `{ planSpaceKey, planParentPageId }` (unsaved). */
  checkPlanLocation: 'settings/check-plan-location',
} as const;

/** The settings as the form edits them: every optional field of ContinuitySettings filled with its default. */
export interface SettingsData {
  projectKeys: string[];
  issueTypeNames: string[];
  /** JSM request type names; empty means every request type. */
  requestTypeNames: string[];
  p1Priorities: string[];
  majorIncidentQualifies: boolean;
  fallbackMappings: FallbackMapping[];
  /** RTO bands per tier, in minutes. */
  tierBands: TierBands;
  /** Minutes between stakeholder updates per tier. */
  commsCadence: CommsCadence;
  /** Days between plan reviews per tier. */
  reviewCadence: ReviewCadence;
  /** Jira groups whose members are Service Continuity Managers. */
  managerGroups: string[];
  /** IANA time zone of the times written into comments and pages. */
  siteTimeZone: string;
  /** Issue types that are change requests: one affecting a catalogued service makes its plan due for review. */
  changeIssueTypeNames: string[];
  /** The Confluence space key new plan pages go to; empty for none yet. */
  planSpaceKey: string;
  /** The page id new plan pages go under; empty for the space's home page. */
  planParentPageId: string;
}

export interface PlanLocationInput {
  planSpaceKey?: string;
  planParentPageId?: string;
}

/** "Check where plans go", in words: the space and the parent page exist, and the app may write there. */
export interface PlanLocationCheck {
  ok: boolean;
  /** The setting at fault ('confluence' when Confluence is not connected). */
  field?: 'planSpaceKey' | 'planParentPageId' | 'confluence';
  message: string;
}

export interface SettingsView {
  settings: SettingsData;
  /** Choices for the form, read from Jira and the catalogue. */
  options: {
    projects: Array<{ key: string; name: string }>;
    issueTypes: string[];
    /** Empty where JSM is not installed. */
    requestTypes: Array<{ id: string; name: string }>;
    priorities: Array<{ id: string; name: string }>;
    services: Array<{ id: string; name: string }>;
  };
  /** The catalogued services (not retired) with a plan in force and without one, by name. */
  catalogue: { withPlan: string[]; withoutPlan: string[] };
}

export type LoadSettingsResult = ResolverResult<SettingsView>;
export type SaveSettingsResult = ResolverResult<SettingsView>;
export type PlanLocationResult = ResolverResult<PlanLocationCheck>;
