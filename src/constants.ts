/** Storage entity names, index names and keys: one place, matching manifest.yml `app.storage.entities`. */
export const ENTITY = {
  service: 'continuity-service',
  plan: 'continuity-plan',
  /** One record per incident: its invocations, its Jira writes, its place in the outbox. */
  incident: 'incident',
  /** Match entries: the services a JSM service id, component, label or catalogue id stands for. */
  serviceMatch: 'service-match',
  /** The indicator aggregates, in shards (domain/indicator-facts.ts INDICATOR_SHARDS). */
  indicatorShard: 'indicator-shard',
  /** Per source (service, invocation, risk, finding): what the aggregates hold for it. */
  indicatorSource: 'indicator-source',
  /** A service's business impact analysis, keyed by service id. */
  bia: 'continuity-bia',
  /** The risk register: one record per risk. */
  risk: 'continuity-risk',
  /** Practice reviews, keyed by period ('2026-Q4'): the page each period's review went to. */
  review: 'continuity-review',
  /** One lock per plan, held while a plan is read, changed and saved (see services/plans/lock.ts). */
  planLock: 'plan-lock',
  /** Bulk publishing jobs and their progress. */
  publishJob: 'plan-publish-job',
  /** Drills (exercises) of continuity plans. */
  drill: 'continuity-drill',
} as const;

export const INDEX = {
  serviceByName: 'by-name',
  /** The catalogue page's orders, each partitioned by listing (see domain/catalogue-listing.ts). */
  serviceListingByName: 'listing-by-name',
  serviceListingByTierName: 'listing-by-tier-name',
  serviceListingByRto: 'listing-by-rto',
  serviceListingByTierRto: 'listing-by-tier-rto',
  planByService: 'by-service',
  planByTitle: 'by-title',
  /** Plans by their Confluence page id: a page event finds its plan. */
  planByPage: 'by-page',
  incidentByOutboxSlot: 'by-outbox-slot',
  incidentByOpenDue: 'by-open-due',
  /** Drills by listing (upcoming, past), then date. */
  drillByListing: 'by-listing',
  indicatorSourceByShard: 'by-shard',
  riskByService: 'by-service',
  riskByMechanismState: 'by-mechanism-state',
  riskByIdentified: 'by-identified',
} as const;

export const KEY = {
  settings: 'settings',
  /** JSM's custom field ids, cached (see services/link-incident FIELD_CACHE_MS). */
  jiraFields: 'jira-fields',
  /** Counts kept by catalogue writes (the panel's "not set up yet" needs no catalogue read). */
  catalogueSummary: 'catalogue-summary',
  /** `outbox-slot:<n>`: the first writer of slot n pushes its drain event. */
  outboxSlotPrefix: 'outbox-slot:',
  sweepState: 'sweep-state',
  /** `plan-reminder:<planId>:<period>`: the first writer posts that period's review reminder. */
  planReminderPrefix: 'plan-reminder:',
  /** The id of the latest bulk publishing job (the console shows its progress). */
  latestPublishJob: 'plan-publish-latest',
  /** The JSM services learned from incidents (and Assets), for the catalogue's mapping form. */
  jsmDirectory: 'jsm-service-directory',
} as const;

/** The queue whose consumer performs the outbox's Jira writes (manifest `consumer`). */
export const OUTBOX_QUEUE = 'continuity-outbox';

/** The queue whose consumer publishes plan pages in bulk (manifest `consumer`). */
export const PLAN_PUBLISH_QUEUE = 'continuity-plan-publish';

/** The queue whose consumer publishes postmortems and drill reports after a recovery (manifest `consumer`). */
export const LOOP_QUEUE = 'continuity-loop';
