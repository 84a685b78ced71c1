/** Error codes every resolver and the automation action may answer with; front ends branch on these. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  /** Confluence is not connected to the app on this site (plan pages need it; incidents do not). */
  | 'CONFLUENCE_NOT_CONNECTED'
  | 'INTERNAL';

export interface ResolverError {
  code: ErrorCode;
  message: string;
  /** The input field at fault, for INVALID_INPUT and NOT_FOUND. */
  field?: string;
  /** Further fields at fault in the same form, so it can show every refusal beside its field at once. */
  others?: Array<{ field: string; message: string }>;
}

/** The one envelope every resolver answers with. */
export type ResolverResult<T> = { ok: true; data: T } | { ok: false; error: ResolverError };
