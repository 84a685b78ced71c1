/**
 * Stable keys for every write the app makes outside its own storage. Forge delivers events at least
 * once and retries failed functions, and several runs (create event, update event, the panel, the
 * automation action, the watch, the outbox consumer) can act on one incident at once; each external
 * write is therefore keyed so that doing it again finds or overwrites the first one:
 *
 * | write                         | key                                     | why repeating it is safe                                  |
 * | ----------------------------- | --------------------------------------- | --------------------------------------------------------- |
 * | incident record (storage)     | the issue id                            | created if absent, then changed by version-guarded writes |
 * | invocation (in the record)    | `invocationId(issueId, planId)`         | added once per plan; a second add finds it                |
 * | remote link to the plan page  | `remoteLinkGlobalId(inv)`               | Jira updates the link with the same globalId              |
 * | issue property                | `ISSUE_PROPERTY_KEY`                    | a whole-value overwrite, rebuilt from storage             |
 * | each comment                  | (invocation id, comment kind)           | claimed in the record before posting; a marker (comment   |
 * |                               |                                         | property) finds a post whose answer was lost              |
 *
 * Comment kinds: 'invoked' (the one internal comment on invocation), 'rto-75' and 'rto-breached' (the
 * warnings), and 'comms:<templateId>:<n>' (the n-th update posted from a comms template, n from 1).
 */
import { invalidInput } from './errors';
import { commentWrite, type CommentKind, type IncidentRecord } from './incident-record';

export { invocationId, remoteLinkGlobalId } from './invocation';

/** The app's key for its issue property and its comment-property markers. */
export const APP_KEY = 'service-continuity';
/** The indexed issue property holding the continuity summary (see issueProperty in invocation.ts). */
export const ISSUE_PROPERTY_KEY = APP_KEY;
/** The comment property key that marks the app's comments. */
export const COMMENT_MARKER_KEY = APP_KEY;

export type CommsCommentKind = `comms:${string}:${number}`;

/** The kind of the n-th update from a comms template. The template id is URI-encoded so ':' in it stays unambiguous. */
export function commsKind(templateId: string, n: number): CommsCommentKind {
  if (typeof templateId !== 'string' || templateId === '') throw invalidInput('A template id is required.', 'templateId');
  if (!Number.isSafeInteger(n) || n < 1) throw invalidInput('The update number must be a whole number from 1.', 'n');
  return `comms:${encodeURIComponent(templateId)}:${n}`;
}

export type ParsedCommentKind = { kind: 'invoked' } | { kind: 'warning'; threshold: 'rto-75' | 'rto-breached' } | { kind: 'comms'; templateId: string; n: number };

/** Reads a comment kind back; undefined for anything the app did not write. */
export function parseCommentKind(kind: string): ParsedCommentKind | undefined {
  if (kind === 'invoked') return { kind: 'invoked' };
  if (kind === 'rto-75' || kind === 'rto-breached') return { kind: 'warning', threshold: kind };
  const match = /^comms:([^:]+):([1-9][0-9]*)$/.exec(kind);
  if (!match) return undefined;
  try {
    const n = Number(match[2]);
    return Number.isSafeInteger(n) ? { kind: 'comms', templateId: decodeURIComponent(match[1]), n } : undefined;
  } catch {
    return undefined;
  }
}

/** How many updates from a template were posted (recorded with a comment id) on an invocation. */
export function commsPostedCount(record: IncidentRecord, invocationId: string, templateId: string): number {
  let count = 0;
  for (const [kind, write] of Object.entries(record.jira.comments[invocationId] ?? {})) {
    const parsed = parseCommentKind(kind);
    if (parsed?.kind === 'comms' && parsed.templateId === templateId && write.id) count++;
  }
  return count;
}

/**
 * The kind of the update a person asks to post, given how many updates from this template the panel
 * showed them (`seen`): update number seen + 1. Two people looking at the same panel who both press
 * "Post" ask for the same number, so the claim lets only one of them post, however far apart their
 * requests arrive; someone who saw the first update asks for the next number, a deliberate second update.
 */
export function requestedCommsKind(templateId: string, seen: number): CommsCommentKind {
  return commsKind(templateId, seen + 1);
}

export function isCommentPosted(record: IncidentRecord, invocationId: string, kind: CommentKind): boolean {
  return Boolean(commentWrite(record, invocationId, kind)?.id);
}
