/**
 * Open invocations, from the incident records' `by-open-due` index (only records with an open
 * invocation are in it). Read in a bounded number of pages: the registry's counts and the delete check
 * say when they stopped at the bound instead of pretending to be complete.
 */
import type { Invocation } from '../domain/invocation';
import type { AppDeps } from '../ports';

/** 4 pages of 50 incident records: a site with more open continuity incidents than this is mid-disaster. */
export const OPEN_SCAN_PAGES = 4;

export interface OpenInvocations {
  invocations: Array<{ issueKey: string; invocation: Invocation }>;
  incidentsRead: number;
  /** False when the scan stopped at its bound with more records left. */
  complete: boolean;
}

export async function openInvocations(deps: Pick<AppDeps, 'store'>, pages = OPEN_SCAN_PAGES): Promise<OpenInvocations> {
  const out: OpenInvocations = { invocations: [], incidentsRead: 0, complete: true };
  let cursor: string | undefined;
  for (let page = 0; page < pages; page += 1) {
    const got = await deps.store.openRecords(Number.MAX_SAFE_INTEGER, cursor);
    out.incidentsRead += got.items.length;
    for (const record of got.items) {
      for (const invocation of record.invocations) if (invocation.state === 'open') out.invocations.push({ issueKey: record.issueKey, invocation });
    }
    cursor = got.cursor;
    if (!cursor) return out;
  }
  return { ...out, complete: false };
}
