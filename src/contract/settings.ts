/** The contract of the admin settings page (Jira admins only). */
import type { ResolverResult } from './errors';
import type { ConfigCheckReport } from './measure';
import type { CostThresholds } from '../domain/bia';
import type { FallbackMapping } from '../domain/incident';
import type { CommsCadence, ReviewCadence, TierBands } from '../domain/tiers';

export type { CostThresholds } from '../domain/bia';
export type { FallbackMapping } from '../domain/incident';
export type { CommsCadence, ReviewCadence, TierBand, TierBands } from '../domain/tiers';
export type { ConfigArea, ConfigCheckReport, ConfigFinding } from './measure';
export { CONFIG_AREAS } from './measure';
export { DEFAULT_DRILL_ISSUE_TYPE, DEFAULT_FOLLOW_UP_ISSUE_TYPE } from '../domain/incident';

export const SETTINGS = {
  load: 'settings/load',
  save: 'settings/save',
  /** Whether plan pages can be published where the form says: `{ planSpaceKey, planParentPageId }` (unsaved). */
  checkPlanLocation: 'settings/check-plan-location',
  /**
   * "Check configuration" for the settings as the form holds them (`{ settings }`, unsaved, validated as a
   * save is): what exists and works in Jira and Confluence, finding by finding.
   */
  checkConfiguration: 'settings/check-configuration',
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
  /** The Confluence space key postmortems go to; empty for the plans' space. */
  postmortemSpaceKey: string;
  /** The page id postmortems go under; empty for the plans' parent page (in the plans' space) or the space's home page. */
  postmortemParentPageId: string;
  /** Publish the postmortem on its own once every invocation of an incident is recovered (drills always do). */
  postmortemOnRecovery: boolean;
  /** The project key drills create their exercise issues in; empty for the only project that qualifies incidents. */
  drillProjectKey: string;
  /** The issue type of exercise issues; empty for DEFAULT_DRILL_ISSUE_TYPE. */
  drillIssueTypeName: string;
  /** The issue type of follow-up actions (created in the incident's project); empty for DEFAULT_FOLLOW_UP_ISSUE_TYPE. */
  followUpIssueTypeName: string;
  /** Costs of downtime per hour from which the BIA suggests Tier 1 or 2; null: cost is not compared. */
  costThresholds: CostThresholds | null;
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
export type CheckConfigurationResult = ResolverResult<ConfigCheckReport>;
