/**
 * The reconciling sweep's arithmetic: which incidents to look at (a JQL search of the configured
 * projects and issue types, updated since the last complete sweep, with an overlap for clock skew and
 * Jira's indexing delay), and whether Jira's copy of the issue property still says what storage says.
 */
import type { ContinuitySettings } from './incident';

/** Looked at again on every sweep: Jira's search index lags updates by seconds, clocks differ. */
export const SWEEP_OVERLAP_MS = 15 * 60_000;
/** The first sweep after install looks back this far. */
export const FIRST_SWEEP_LOOKBACK_MS = 24 * 60 * 60_000;

/** A JQL string literal: quotes and backslashes escaped, so a project key or type name cannot break out. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Incidents updated in the last `sinceMs` (relative, so the site's time zone does not matter), in the
 * settings' projects and issue types, oldest update first so that an interrupted sweep can resume.
 */
export function sweepJql(settings: Pick<ContinuitySettings, 'projectKeys' | 'issueTypeNames'>, sinceMs: number): string {
  const minutes = Math.max(1, Math.ceil((sinceMs + SWEEP_OVERLAP_MS) / 60_000));
  const clauses = [`updated >= "-${minutes}m"`];
  if (settings.projectKeys.length > 0) clauses.unshift(`project in (${settings.projectKeys.map(jqlString).join(', ')})`);
  if (settings.issueTypeNames.length > 0) clauses.unshift(`issuetype in (${settings.issueTypeNames.map(jqlString).join(', ')})`);
  return `${clauses.join(' AND ')} ORDER BY updated ASC`;
}

/** JSON with object keys sorted, so two copies of the same property compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** Whether Jira's copy of the property differs from the one storage says was written. */
export function propertyDiffers(inJira: string | undefined, written: string | undefined): boolean {
  if (written === undefined) return false; // never written: the outbox has it pending already
  if (inJira === undefined) return true;
  try {
    return canonicalJson(JSON.parse(inJira)) !== canonicalJson(JSON.parse(written));
  } catch {
    return true;
  }
}
