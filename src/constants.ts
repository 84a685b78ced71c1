/** Storage entity names, index names and keys: one place, matching manifest.yml `app.storage.entities`. */
export const ENTITY = {
  service: 'continuity-service',
  plan: 'continuity-plan',
  invocation: 'invocation',
} as const;

export const INDEX = {
  serviceByJsmService: 'by-jsm-service',
  serviceByName: 'by-name',
  planByService: 'by-service',
  invocationByIssue: 'by-issue',
  invocationByStateDue: 'by-state-due',
} as const;

export const KEY = {
  settings: 'settings',
  /** `property-stale:<issueId>`: the issue property may not match the invocations (a write failed). */
  propertyStalePrefix: 'property-stale:',
} as const;
