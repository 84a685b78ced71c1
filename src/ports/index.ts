/**
 * Ports: what the services need from the outside world. Adapters implement them over @forge/kvs and
 * @forge/api; tests use in-memory fakes of the same interfaces.
 */
import type { ContinuityPlan, Service } from '../domain/catalogue';
import type { ContinuitySettings, IncidentFacts } from '../domain/incident';
import type { Invocation } from '../domain/invocation';

export interface Clock {
  now(): number;
}

export interface ContinuityStore {
  getSettings(): Promise<ContinuitySettings>;
  putSettings(settings: ContinuitySettings): Promise<void>;
  /** Open invocations whose RTO runs out before `dueBefore` (epoch ms), soonest first. */
  openInvocationsDueBefore(dueBefore: number): Promise<Invocation[]>;
  listServices(): Promise<Service[]>;
  getService(id: string): Promise<Service | undefined>;
  putService(service: Service): Promise<void>;
  getPlan(id: string): Promise<ContinuityPlan | undefined>;
  /** The plan in force for a service (not retired), if any. */
  planForService(serviceId: string): Promise<ContinuityPlan | undefined>;
  putPlan(plan: ContinuityPlan): Promise<void>;
  getInvocation(id: string): Promise<Invocation | undefined>;
  invocationsForIssue(issueId: string): Promise<Invocation[]>;
  /** Creates the invocation unless one with its id exists; either way answers the stored one. */
  createInvocation(invocation: Invocation): Promise<{ created: boolean; invocation: Invocation }>;
  /**
   * Applies `change` to the stored invocation with optimistic concurrency (re-reading and re-applying
   * on a concurrent write). `change` returns null to leave it as it is.
   */
  updateInvocation(id: string, change: (current: Invocation) => Invocation | null): Promise<Invocation>;
  /** Notes that an issue's property may be out of date, for the scheduled watch to rewrite. */
  markPropertyStale(issueId: string, at: number): Promise<void>;
  /** Issues whose property was noted as possibly out of date. */
  staleProperties(): Promise<string[]>;
  clearPropertyStale(issueId: string): Promise<void>;
}

export interface RemoteLink {
  globalId: string;
  url: string;
  title: string;
  summary?: string;
}

export interface CommentMarker {
  /** Comment property key, e.g. `service-continuity`. */
  key: string;
  value: { invocationId: string; kind: string };
}

export interface IssuePermissions {
  browse: boolean;
  edit: boolean;
  comment: boolean;
}

export interface JiraGateway {
  getIncident(issueIdOrKey: string): Promise<IncidentFacts>;
  setIssueProperty(issueIdOrKey: string, propertyKey: string, value: unknown): Promise<void>;
  /** Creates or updates the link with this globalId; answers the link's id. */
  upsertRemoteLink(issueIdOrKey: string, link: RemoteLink): Promise<string>;
  /** The id of a comment carrying this marker, if one was already posted. */
  findMarkedComment(issueIdOrKey: string, marker: CommentMarker): Promise<string | undefined>;
  addComment(issueIdOrKey: string, adf: object, options: { internal: boolean; marker?: CommentMarker }): Promise<string>;
  /** What the signed-in user may do on the issue, asked of Jira as that user. */
  permissionsOfCurrentUser(issueIdOrKey: string): Promise<IssuePermissions>;
  /** Whether the signed-in user is a Jira administrator. */
  currentUserIsAdmin(): Promise<boolean>;
  /** Display names for account ids (unknown ids map to themselves). */
  displayNames(accountIds: string[]): Promise<Record<string, string>>;
  listProjects(): Promise<Array<{ key: string; name: string }>>;
  listPriorities(): Promise<Array<{ id: string; name: string }>>;
  listIssueTypeNames(): Promise<string[]>;
  /** JSM's customer request types, every service desk's (fails where JSM is not installed). */
  listRequestTypes(): Promise<Array<{ id: string; name: string }>>;
}
