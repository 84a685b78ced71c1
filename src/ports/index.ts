/**
 * Ports: what the services need from the outside world. Adapters implement them over @forge/kvs,
 * @forge/api and @forge/events; tests use in-memory fakes of the same interfaces.
 */
import type { ContinuityPlan, Service, ServiceMatch } from '../domain/catalogue';
import type { Listing, ListingIndex } from '../domain/catalogue-listing';
import type { Drill, DrillListing } from '../domain/drills';
import type { ContinuitySettings, IncidentFacts } from '../domain/incident';
import type { IncidentRecord } from '../domain/incident-record';
import type { MatchKey } from '../domain/matching';
import type { BusinessImpact } from '../domain/bia';
import type { Contribution } from '../domain/indicator-facts';
import type { IndicatorAggregates } from '../domain/indicators';
import type { Risk } from '../domain/risks';

export interface Clock {
  now(): number;
}

/** The ids of JSM's custom fields on this site, found by their custom type (they differ per site). */
export interface JiraFieldIds {
  affectedServices?: string;
  majorIncident?: string;
  requestType?: string;
  /** When they were read from Jira (epoch ms); refreshed when stale. */
  fetchedAt: number;
}

/** What the incident paths read in one storage operation. */
export interface IncidentContext {
  settings: ContinuitySettings;
  fields?: JiraFieldIds;
  record?: IncidentRecord;
  /** Active services in the catalogue (kept by catalogue writes), for the "not set up yet" state. */
  catalogueSize: number;
}

/** A conditional write lost a race: someone changed the record since it was read. Re-read and retry. */
export class StaleRecordError extends Error {
  constructor(readonly issueId: string) {
    super(`The continuity record of issue ${issueId} changed meanwhile.`);
    this.name = 'StaleRecordError';
  }
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface ContinuityStore {
  /** Settings, cached Jira field ids and (given an issue) the incident's record: one batch read. */
  incidentContext(issueId?: string): Promise<IncidentContext>;
  getSettings(): Promise<ContinuitySettings>;
  putSettings(settings: ContinuitySettings): Promise<void>;
  putJiraFields(fields: JiraFieldIds): Promise<void>;
  getRecord(issueId: string): Promise<IncidentRecord | undefined>;
  /** Several records in as few reads as the store allows (batches of 25). */
  getRecords(issueIds: readonly string[]): Promise<Map<string, IncidentRecord>>;
  /**
   * Stores the record if nobody changed it since it was read at `expectedVersion` (0: it must not
   * exist yet). Answers the stored record (version + 1); throws StaleRecordError on a lost race.
   */
  saveRecord(record: IncidentRecord, expectedVersion: number): Promise<IncidentRecord>;
  /** The services each key stands for, keyed by matchKeyString(key): one batch read. */
  lookupMatches(keys: readonly MatchKey[]): Promise<Map<string, ServiceMatch[]>>;
  /** Records waiting in outbox slots from..to (inclusive), one page (query results may lag writes briefly). */
  outboxRecords(fromSlot: number, toSlot: number, cursor?: string): Promise<Page<IncidentRecord>>;
  /** Records with an open invocation due at or before `dueBefore`, one page. */
  openRecords(dueBefore: number, cursor?: string): Promise<Page<IncidentRecord>>;
  /**
   * Claims the right to push the drain event of an outbox slot: true for the first caller only
   * (a create-if-absent write), so a storm needs one queue event per slot, not one per incident.
   */
  claimSlot(slot: number): Promise<boolean>;
  /** Gives the claim back (its push was refused), so that a retry can claim and push again. */
  releaseSlot(slot: number): Promise<void>;
  getSweepState(): Promise<SweepState | undefined>;
  putSweepState(state: SweepState): Promise<void>;
  /** Every incident record, one page at a time (the indicators' rebuild reads them all). */
  listRecords(cursor?: string): Promise<Page<IncidentRecord>>;
}

/** Where the reconciling sweep got to. */
export interface SweepState {
  /** When the last sweep that finished started (epoch ms); the next one looks back from there. */
  lastCompleteAt: number;
  /** A sweep that stopped for lack of time resumes here. */
  /** A sweep that stopped for lack of time resumes from the last incident it finished (its update time). */
  resume?: { since: number };
  /** Incidents a sweep failed to reconcile, retried first by the next runs. */
  retry?: Array<{ issueId: string; attempts: number }>;
}

/** The catalogue: services, plans, and the match entries kept current for the trigger. */
export interface CatalogueStore {
  getService(id: string): Promise<Service | undefined>;
  getServices(ids: readonly string[]): Promise<Map<string, Service>>;
  listServices(cursor?: string): Promise<Page<Service>>;
  listPlans(cursor?: string): Promise<Page<ContinuityPlan>>;
  serviceByName(name: string): Promise<Service | undefined>;
  getPlan(id: string): Promise<ContinuityPlan | undefined>;
  getPlans(ids: readonly string[]): Promise<Map<string, ContinuityPlan>>;
  planByTitle(title: string): Promise<ContinuityPlan | undefined>;
  plansForService(serviceId: string): Promise<ContinuityPlan[]>;
  /**
   * One partition of one listing index (see domain/catalogue-listing.ts), ascending: up to `limit`
   * services whose sort value starts with `prefix` and comes after `after`.
   */
  servicesByListing(query: ListingQuery): Promise<Array<{ sortValue: string; service: Service; hasApprovedPlan: boolean }>>;
  /** One page of plans in title order, with a storage cursor for the next. */
  planPage(limit: number, cursor?: string): Promise<Page<ContinuityPlan>>;
  /**
   * Writes services, plans and match entries (transactions of up to 25 writes each; match entries
   * first and service records last, so a stored service implies its match entries are stored); the
   * caller computed every value.
   */
  writeCatalogue(change: CatalogueWrite): Promise<void>;
  /** The match entries currently stored under these keys (to rewrite them). */
  matchEntries(keys: readonly MatchKey[]): Promise<Map<string, ServiceMatch[]>>;
  getSummary(): Promise<CatalogueSummary | undefined>;
  /** The JSM services the app learned (from incidents, or Assets), kept for the mapping form. */
  getJsmDirectory(): Promise<JsmDirectory | undefined>;
  putJsmDirectory(directory: JsmDirectory): Promise<void>;
}

export interface ListingQuery {
  index: ListingIndex;
  listing: Listing;
  prefix: string;
  after?: string;
  limit: number;
}

/** A service as it is written: the service, and whether it has an approved plan (an index attribute). */
export interface ServiceRecord {
  service: Service;
  hasApprovedPlan: boolean;
}

export interface CatalogueWrite {
  services?: ServiceRecord[];
  plans?: ContinuityPlan[];
  /** Services removed from the catalogue (only ever ones nothing refers to). */
  deleteServiceIds?: string[];
  /** Match entries to store (an empty list removes the entry). */
  matches?: Array<{ key: MatchKey; matches: ServiceMatch[] }>;
  /** Counts read by the incident paths and the catalogue page without reading the catalogue. */
  summary?: CatalogueSummary;
}

export interface CatalogueSummary {
  services: number;
  plans: number;
  /** Active services without an approved plan. */
  withoutApprovedPlan?: number;
  /** The version of the services' index attributes; services written before it are re-indexed. */
  indexVersion?: number;
}

export interface JsmServiceSeen {
  id: string;
  name: string;
  source: 'incidents' | 'assets';
  incidents: number;
  lastSeenAt?: number;
}

export interface JsmDirectory {
  learnedAt: number;
  incidentsRead: number;
  bounded: boolean;
  services: JsmServiceSeen[];
  assets: { state: 'read' | 'unavailable' | 'not-tried'; reason?: string; count?: number };
}

/** The outbox's queue: one event asks a consumer to perform the writes waiting in a slot. */
export interface OutboxQueue {
  /** Throws QueueRefusedError when the platform refuses the push (its rate limit, an outage). */
  push(event: OutboxEvent): Promise<void>;
}

export interface OutboxEvent {
  /** The slot to drain. */
  slot: number;
}

export class QueueRefusedError extends Error {
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
    this.name = 'QueueRefusedError';
  }
}

export interface RemoteLink {
  globalId: string;
  url: string;
  title: string;
  summary?: string;
  /** How the link is labelled on the issue (default: continuity plan). */
  relationship?: string;
}

/** A new Jira issue: fields by name, and issue properties set in the create request itself. */
export interface NewIssue {
  projectKey: string;
  issueTypeName: string;
  summary: string;
  /** An ADF document. */
  description?: object;
  properties?: Array<{ key: string; value: unknown }>;
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

/** A Jira comment as the app needs it to tell a stakeholder update from other comments. */
export interface CommentFacts {
  id: string;
  /** Epoch ms. */
  created: number;
  /** Visible to the customer (JSM public reply) and not restricted to a group or role. */
  public: boolean;
  /** Jira's accountType of the author: 'atlassian' (a person with a Jira account), 'customer', 'app'. */
  authorType: string;
  authorName?: string;
}

/** An incident found by the reconciling sweep, with the issue property Jira holds for it. */
export interface SweptIncident {
  facts: IncidentFacts;
  /** The `service-continuity` property as Jira has it (serialised), or undefined when absent. */
  property?: string;
  /** When the issue was last updated (epoch ms), so an interrupted sweep resumes after it. */
  updatedAt?: number;
}

export interface JiraGateway {
  /** JSM's custom field ids, read from Jira (GET /field). */
  readFieldIds(): Promise<JiraFieldIds>;
  /** The incident's facts, read as the app (or as the signed-in user, who must be able to browse it). */
  getIncident(issueIdOrKey: string, fields: JiraFieldIds, options?: { asUser?: boolean }): Promise<IncidentFacts>;
  /** One page of a JQL search, with the fields the app needs and its issue property. */
  searchIncidents(jql: string, fields: JiraFieldIds, pageToken?: string): Promise<{ incidents: SweptIncident[]; nextPageToken?: string }>;
  setIssueProperty(issueIdOrKey: string, propertyKey: string, value: unknown): Promise<void>;
  /** Creates or updates the link with this globalId; answers the link's id. */
  upsertRemoteLink(issueIdOrKey: string, link: RemoteLink): Promise<string>;
  /** The id of a comment carrying this marker, if one was already posted. */
  findMarkedComment(issueIdOrKey: string, marker: CommentMarker): Promise<string | undefined>;
  /** Posts as the app (`asUser: false`) or as the signed-in user (a resolver acting for them). */
  addComment(issueIdOrKey: string, adf: object, options: { internal: boolean; marker?: CommentMarker; asUser?: boolean }): Promise<string>;
  /**
   * Creates an issue, as the signed-in user (their Create permission applies) or as the app. Not
   * idempotent: callers claim the creation in storage first.
   */
  createIssue(issue: NewIssue, options: { asUser: boolean }): Promise<{ id: string; key: string }>;
  /** Links two issues with an issue link of this type (e.g. Relates); as the user or the app. */
  linkIssues(link: { typeName: string; inwardKey: string; outwardKey: string }, options: { asUser: boolean }): Promise<void>;
  /** One comment of an issue, read as the app. */
  getComment(issueIdOrKey: string, commentId: string): Promise<CommentFacts>;
  /** What the signed-in user may do on the issue, asked of Jira as that user. */
  permissionsOfCurrentUser(issueIdOrKey: string): Promise<IssuePermissions>;
  /** The signed-in user's display name (asked as them). */
  currentUserName(): Promise<string | undefined>;
  /** Whether the signed-in user is a Jira administrator. */
  currentUserIsAdmin(): Promise<boolean>;
  listProjects(): Promise<Array<{ key: string; name: string }>>;
  listPriorities(): Promise<Array<{ id: string; name: string }>>;
  listIssueTypeNames(): Promise<string[]>;
  /** JSM's customer request types, every service desk's (fails where JSM is not installed). */
  listRequestTypes(): Promise<Array<{ id: string; name: string }>>;
  /** The names of the groups the signed-in user belongs to (asked as them). */
  currentUserGroups(): Promise<string[]>;
  /** Whether Jira has a group of this name (asked as the app). */
  groupExists(name: string): Promise<boolean>;
  /** People matching a name or email, as the signed-in user's user picker would offer them. */
  searchUsers(query: string, max: number): Promise<JiraPerson[]>;
  /** Display names of these accounts, asked as the signed-in user (accounts Jira does not answer for are left out). */
  usersByIds(accountIds: readonly string[]): Promise<Map<string, JiraPerson>>;
  /** One page of a JQL search, read as the signed-in user, answering each issue's values of one field. */
  searchFieldValues(jql: string, fieldId: string, pageToken?: string): Promise<{ issues: Array<{ created: number; value: unknown }>; nextPageToken?: string }>;
  /**
   * Services from JSM's Assets (service objects), read as the signed-in user; `unavailable` when this
   * site or user has no Assets workspace the app may read.
   */
  assetsServices(max: number): Promise<{ state: 'read'; services: Array<{ id: string; name: string }> } | { state: 'unavailable'; reason: string }>;
}

export interface JiraPerson {
  accountId: string;
  displayName: string;
  accountType?: string;
  active?: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Measuring continuity: indicators, business impact analyses, risks, practice reviews

/** A version-guarded write lost a race: something it read changed meanwhile. Re-read and retry. */
export class LostRaceError extends Error {
  constructor(readonly what: string) {
    super(`${what} changed meanwhile.`);
    this.name = 'LostRaceError';
  }
}

/** One shard of the indicator aggregates (see domain/indicator-facts.ts). */
export interface IndicatorShard {
  shard: number;
  /** Storage version: every write increments it; 0 when the shard was never written. */
  version: number;
  aggregates: IndicatorAggregates;
}

/** What the aggregates hold for one source, as stored: `version` guards its writes. */
export type StoredContribution = Contribution & { shard: number; version: number };

export interface IndicatorStore {
  /** Every shard, in one read (a shard never written comes back empty, at version 0). */
  shards(): Promise<IndicatorShard[]>;
  /** These shards and the contributions of these sources, in one read (at most 25 items in all). */
  read(shards: readonly number[], keys: readonly string[]): Promise<{ shards: Map<number, IndicatorShard>; contributions: Map<string, StoredContribution> }>;
  /**
   * Writes shards and contributions in one transaction, each only if its stored version is still the
   * one given (0: it must not exist yet); the values are stored at version + 1. Throws LostRaceError
   * when any of them changed meanwhile (then nothing was written).
   */
  write(shards: readonly IndicatorShard[], contributions: readonly StoredContribution[]): Promise<void>;
  /** One page of the contributions kept in a shard. */
  contributions(shard: number, cursor?: string): Promise<Page<StoredContribution>>;
}

/** A service's BIA as stored: `version` guards concurrent edits. */
export interface StoredBia extends BusinessImpact {
  serviceId: string;
  version: number;
  updatedAt: number;
  updatedBy: string;
}

/** A risk as stored: `version` guards concurrent edits and orders its indicator reports. */
export interface StoredRisk extends Risk {
  version: number;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
}

/** What the app keeps of a practice review published for one period. */
export interface ReviewRecord {
  /** '2026-Q4' or '2026'. */
  period: string;
  version: number;
  spaceId: string;
  spaceKey: string;
  parentId?: string;
  title: string;
  /** The page, once created: publishing again for the period updates it. */
  pageId?: string;
  url?: string;
  /** Someone creating the page right now; older than a minute it is presumed abandoned. */
  claim?: { token: string; at: number; by: string };
  publishedAt?: number;
  publishedBy?: string;
  /** The figures as published, for the next review's trend. */
  figures?: Record<string, number | null>;
}

export interface MeasureStore {
  getBia(serviceId: string): Promise<StoredBia | undefined>;
  /** Several services' BIAs in as few reads as the store allows (batches of 25). */
  getBias(serviceIds: readonly string[]): Promise<Map<string, StoredBia>>;
  /** Stores the BIA if unchanged since `expectedVersion` was read (0: new); answers it at version + 1. */
  saveBia(bia: StoredBia, expectedVersion: number): Promise<StoredBia>;
  getRisk(id: string): Promise<StoredRisk | undefined>;
  /** A service's risks, one page at a time (by identification, oldest first). */
  risksForService(serviceId: string, cursor?: string): Promise<Page<StoredRisk>>;
  /** Every risk, one page at a time (the indicators' rebuild). */
  allRisks(cursor?: string): Promise<Page<StoredRisk>>;
  /** Risks whose mechanism is none (or absent), up to `limit`: the review's gaps. */
  risksWithoutMechanism(limit: number): Promise<StoredRisk[]>;
  saveRisk(risk: StoredRisk, expectedVersion: number): Promise<StoredRisk>;
  /** Deletes the risk if unchanged since `expectedVersion`. */
  deleteRisk(id: string, expectedVersion: number): Promise<void>;
  getReview(period: string): Promise<ReviewRecord | undefined>;
  saveReview(record: ReviewRecord, expectedVersion: number): Promise<ReviewRecord>;
}

// ---------------------------------------------------------------------------------------------------
// Confluence: plan pages

/** A Confluence page as the app reads it (REST v2). */
export interface ConfluencePage {
  id: string;
  title: string;
  spaceId: string;
  /** current, draft, archived, trashed, historical. */
  status: string;
  version: number;
  /** Who saved this version (account id) and when (epoch ms). */
  editedBy?: string;
  editedAt?: number;
  /** The page's web address. */
  url: string;
  /** The body as an ADF document (parsed from `atlas_doc_format`), when it was asked for. */
  body?: unknown;
}

export interface ConfluenceSpace {
  id: string;
  key: string;
  name: string;
  homepageId?: string;
}

/** Who a Confluence call is made as: the app, or the signed-in user (their permissions apply). */
export type ConfluenceActor = 'app' | 'user';

export interface FooterComment {
  id: string;
  /** The comment's text (all text nodes of its body). */
  text: string;
}

/**
 * Confluence REST v2 as the plan features need it. Every call fails with CONFLUENCE_NOT_CONNECTED when
 * the app is not connected to Confluence on this site (Confluence is optional: the incident side works
 * without it), with CONFLICT when a page write names a stale version, and as product-request.ts maps
 * other failures (NOT_FOUND, FORBIDDEN, RATE_LIMITED, UPSTREAM_UNAVAILABLE).
 */
export interface ConfluenceGateway {
  /** What the installation says about Confluence, without a call: connected, not, or unknown. */
  connection(): 'connected' | 'not-connected' | 'unknown';
  getPage(pageId: string, options?: { body?: boolean; as?: ConfluenceActor }): Promise<ConfluencePage>;
  /** A current page of the space with exactly this title (titles are unique per space). */
  findPageByTitle(spaceId: string, title: string): Promise<ConfluencePage | undefined>;
  createPage(input: { spaceId: string; parentId?: string; title: string; body: object }): Promise<ConfluencePage>;
  /** Writes version `version` (the version read + 1); CONFLICT when someone saved meanwhile. */
  updatePage(input: { id: string; title: string; version: number; body: object; message?: string }): Promise<ConfluencePage>;
  /** What the caller may do on the page (`read`, `update`, ...), asked of Confluence as them. */
  pageOperations(pageId: string, as: ConfluenceActor): Promise<string[]>;
  spaceByKey(key: string, as?: ConfluenceActor): Promise<ConfluenceSpace | undefined>;
  /** The page's footer comments (newest first, at most `limit`). */
  footerComments(pageId: string, limit?: number): Promise<FooterComment[]>;
  addFooterComment(pageId: string, body: object): Promise<string>;
  /** Display names of Atlassian accounts (accounts Confluence does not answer for are left out). */
  userNames(accountIds: readonly string[]): Promise<Map<string, string>>;
}

/** Bulk publishing: a job and how far it got (progress the console shows). */
export interface PublishJob {
  id: string;
  /** Storage version, for guarded writes. */
  version: number;
  createdAt: number;
  createdBy: string;
  /** The services to publish a plan page for, in order. */
  serviceIds: string[];
  /** The index of the next service to publish (every one before it is done). */
  next: number;
  published: number;
  /** Services that already had a plan page, or were retired meanwhile. */
  skipped: number;
  failed: Array<{ serviceId: string; reason: string }>;
  updatedAt: number;
  state: 'running' | 'done';
}

/** What the plan features keep besides the catalogue: page bindings, locks, reminder claims, jobs. */
export interface PlanPageStore {
  /** The plan bound to a Confluence page (the plans' by-page index; a write may take a moment to show). */
  planForPage(pageId: string): Promise<ContinuityPlan | undefined>;
  /**
   * Takes the plan's lock until `until` (epoch ms) for `holder`: false when someone else holds it and
   * it has not expired. Plan writes that read, change and save a plan hold it, so a page read-back,
   * a status move and a review never overwrite each other.
   */
  lockPlan(planId: string, holder: string, now: number, until: number): Promise<boolean>;
  /** Gives the lock back (only if `holder` still holds it). */
  unlockPlan(planId: string, holder: string): Promise<void>;
  /** Claims the reminder of a plan's overdue period: true for the first caller only (create-if-absent). */
  claimReminder(planId: string, period: string, now: number): Promise<boolean>;
  /** Gives a claim back (its comment could not be posted), so that the next run tries again. */
  releaseReminder(planId: string, period: string): Promise<void>;
  getPublishJob(id: string): Promise<PublishJob | undefined>;
  /** Stores the job if nobody changed it since `expectedVersion` (0: new); throws StaleRecordError otherwise. */
  savePublishJob(job: PublishJob, expectedVersion: number): Promise<PublishJob>;
  latestPublishJobId(): Promise<string | undefined>;
  setLatestPublishJobId(id: string): Promise<void>;
}

/** The bulk publishing queue: one event asks the consumer to publish the next batch of a job. */
export interface PlanQueue {
  /** Throws QueueRefusedError when the platform refuses the push. */
  push(event: PublishEvent): Promise<void>;
}

export interface PublishEvent {
  jobId: string;
  /** The job's `next` when the event was pushed: a consumer finding the job elsewhere does nothing. */
  from: number;
}

// ---------------------------------------------------------------------------------------------------
// Closing the loop: drills and the postmortem queue

/** Drills (exercises), kept as a Custom Entity with an index by listing and date. */
export interface DrillStore {
  getDrill(id: string): Promise<Drill | undefined>;
  /** Stores the drill if nobody changed it since `expectedVersion` (0: new); throws StaleRecordError otherwise. */
  saveDrill(drill: Drill, expectedVersion: number): Promise<Drill>;
  /** One page of upcoming or past drills by date (upcoming: soonest first; past: latest first). */
  listDrills(listing: DrillListing, limit: number, cursor?: string): Promise<Page<Drill>>;
}

/** The queue of work that closes the loop after a recovery (publishing a postmortem or a drill report). */
export interface LoopQueue {
  /** Throws QueueRefusedError when the platform refuses the push. */
  push(event: LoopEvent): Promise<void>;
}

export interface LoopEvent {
  kind: 'publish-postmortem';
  issueId: string;
  /** The site's address (from the resolver that asked), for links to the incident. */
  siteUrl?: string;
}

/** Everything the services use, wired once per invocation by the entry points. */
export interface AppDeps {
  store: ContinuityStore;
  catalogue: CatalogueStore;
  jira: JiraGateway;
  queue: OutboxQueue;
  indicators: IndicatorStore;
  measure: MeasureStore;
  confluence: ConfluenceGateway;
  planPages: PlanPageStore;
  planQueue: PlanQueue;
  drills: DrillStore;
  loopQueue: LoopQueue;
  clock: Clock;
  /** Milliseconds left in the current invocation; undefined outside one. */
  remainingMs: () => number | undefined;
}
