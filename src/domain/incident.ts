/**
 * Which incidents count as major (P1) for continuity, and which catalogue services they affect.
 * Pure: the facts come in already read from Jira.
 */
import type { CostThresholds } from './bia';
import type { DrillMark } from './drills';
import type { CommsCadence, ReviewCadence, TierBands } from './tiers';

/** What the app needs to know about a Jira incident. */
export interface IncidentFacts {
  issueId: string;
  issueKey: string;
  summary: string;
  projectKey: string;
  issueTypeName: string;
  /** The JSM request type's name; null when the issue was not raised through a request type. */
  requestTypeName: string | null;
  priority: { id: string; name: string } | null;
  majorIncident: boolean;
  /** JSM service ids from the Affected services field. */
  affectedServiceIds: string[];
  /** Their names, by id, where Jira gives them with the field's value (to name a service the catalogue lacks). */
  affectedServiceNames?: Record<string, string>;
  components: string[];
  labels: string[];
  createdAt: number;
  /** The incident has a resolution: it is over, so nothing new is invoked and nothing stood down. */
  resolved: boolean;
  /** An exercise issue (its drill property, set when it was created): never an outage. */
  drill?: DrillMark;
}

/** Maps an incident's component or label to a catalogue service, for incidents without Affected services. */
export interface FallbackMapping {
  kind: 'component' | 'label';
  /** The component or label name (matched case-insensitively). */
  value: string;
  serviceId: string;
}

export interface ContinuitySettings {
  /** Project keys whose incidents count; empty means every project. */
  projectKeys: string[];
  /** Issue type names that count; empty means every type. */
  issueTypeNames: string[];
  /** JSM request type names that count (case-insensitive); empty means every request type, or none. */
  requestTypeNames: string[];
  /** Priorities that count as P1, by id or name (case-insensitive). */
  p1Priorities: string[];
  /** Whether JSM's Major incident flag qualifies an incident on its own. */
  majorIncidentQualifies: boolean;
  /** Extra component/label → service fallbacks, besides the services' own components and labels. */
  fallbackMappings?: FallbackMapping[];
  /** RTO/RPO bands per tier (defaults: domain/tiers.ts DEFAULT_TIER_BANDS). */
  tierBands?: TierBands;
  /** Minutes between stakeholder updates per tier (defaults: DEFAULT_COMMS_CADENCE). */
  commsCadence?: CommsCadence;
  /** Days between plan reviews per tier (defaults: DEFAULT_REVIEW_CADENCE). */
  reviewCadence?: ReviewCadence;
  /** Jira groups whose members are Service Continuity Managers (Jira administrators always are). */
  managerGroups?: string[];
  /** The IANA time zone of times written into comments and pages, read by many (default UTC). */
  siteTimeZone?: string;
  /** JSM change request issue types: one affecting a catalogued service flags its plan for review. */
  changeIssueTypeNames?: string[];
  /** The Confluence space (key) new plan pages are published in, and the page they go under (id). */
  planSpaceKey?: string;
  planParentPageId?: string;
  /** Where postmortems are published (space key, parent page id); the plans' space when absent. */
  postmortemSpaceKey?: string;
  postmortemParentPageId?: string;
  /** Publish the postmortem on its own when the last open invocation of an incident is declared recovered. */
  postmortemOnRecovery?: boolean;
  /** Exercise issues: the project (key) and issue type drills create them in. */
  drillProjectKey?: string;
  drillIssueTypeName?: string;
  /** The issue type of follow-up actions created from the panel (in the incident's project). */
  followUpIssueTypeName?: string;
  /** Costs of downtime per hour from which the BIA suggests Tier 1 or Tier 2; absent: cost is not compared. */
  costThresholds?: CostThresholds;
}

/** The issue type of drills' exercise issues and of follow-up actions when the settings name none. */
export const DEFAULT_DRILL_ISSUE_TYPE = 'Task';
export const DEFAULT_FOLLOW_UP_ISSUE_TYPE = 'Task';

/** Defaults that work for a JSM project out of the box (and for the demo). */
export const DEFAULT_SETTINGS: ContinuitySettings = {
  projectKeys: [],
  issueTypeNames: ['Incident'],
  requestTypeNames: [],
  p1Priorities: ['Highest', 'P1'],
  majorIncidentQualifies: true,
};

export type Qualification =
  | { qualifies: true; because: 'priority' | 'major-incident' }
  | { qualifies: false; reason: string; toQualify: string; resolved?: true };

export function qualify(incident: IncidentFacts, settings: ContinuitySettings): Qualification {
  const lower = (s: string) => s.toLowerCase();
  // A drill invokes its plan explicitly when it runs; nothing about it may look like an outage.
  if (incident.drill) {
    return { qualifies: false, reason: 'This issue is a continuity drill (an exercise), not an incident.', toQualify: 'The drill run invokes the plan; real incidents are raised as issues of their own.' };
  }
  if (incident.resolved) {
    return { qualifies: false, resolved: true, reason: 'The incident is resolved.', toQualify: 'Reopen the incident to invoke its continuity plan.' };
  }
  if (settings.projectKeys.length > 0 && !settings.projectKeys.map(lower).includes(lower(incident.projectKey))) {
    return { qualifies: false, reason: `Project ${incident.projectKey} is not covered by continuity settings.`, toQualify: 'Add the project in the app settings.' };
  }
  if (settings.issueTypeNames.length > 0 && !settings.issueTypeNames.map(lower).includes(lower(incident.issueTypeName))) {
    return {
      qualifies: false,
      reason: `Issue type ${incident.issueTypeName} is not a continuity incident type.`,
      toQualify: `Use one of: ${settings.issueTypeNames.join(', ')}.`,
    };
  }
  const requestTypes = settings.requestTypeNames.map(lower);
  if (requestTypes.length > 0 && !(incident.requestTypeName !== null && requestTypes.includes(lower(incident.requestTypeName)))) {
    return {
      qualifies: false,
      reason: incident.requestTypeName === null ? 'The incident has no request type.' : `Request type ${incident.requestTypeName} is not a continuity request type.`,
      toQualify: `Use one of: ${settings.requestTypeNames.join(', ')}.`,
    };
  }
  const p1 = settings.p1Priorities.map(lower);
  if (incident.priority && (p1.includes(lower(incident.priority.id)) || p1.includes(lower(incident.priority.name)))) {
    return { qualifies: true, because: 'priority' };
  }
  if (settings.majorIncidentQualifies && incident.majorIncident) return { qualifies: true, because: 'major-incident' };
  const flag = settings.majorIncidentQualifies ? ' or flag it as a major incident' : '';
  return {
    qualifies: false,
    reason: `Priority ${incident.priority?.name ?? 'none'} is not a P1 priority.`,
    toQualify: `Raise the priority to ${settings.p1Priorities[0] ?? 'a P1 priority'}${flag}.`,
  };
}
