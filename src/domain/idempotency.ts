/**
 * Stable keys for every write the app makes outside its own storage. Forge delivers events at least
 * once and retries failed functions, and several runs (create event, update event, the panel, the
 * automation action, the scheduler) can act on one incident at once; each external write is therefore
 * keyed so that doing it again finds or overwrites the first one instead of adding a second:
 *
 * | write                           | key                                               | why repeating it is safe                           |
 * | ------------------------------- | ------------------------------------------------- | -------------------------------------------------- |
 * | invocation record (storage)     | `invocationId(issueId, planId)`                   | create-if-absent on a derived id                   |
 * | remote link to the plan page    | `remoteLinkGlobalId(inv)`                         | Jira updates the link with the same globalId       |
 * | issue property                  | `ISSUE_PROPERTY_KEY`                              | a whole-value overwrite, rebuilt from storage      |
 * | each comment                    | `commentMarker(invocationId, kind)`               | claimed on the invocation (jiraWrites.comments[kind]), |
 * |                                 |                                                   | and the marker (a comment property) finds a comment |
 * |                                 |                                                   | whose post succeeded but was never recorded        |
 *
 * Comment kinds: 'invoked' (the one internal comment on invocation), 'rto-75' and 'rto-breached' (the
 * scheduled warnings, see warnings.ts), and 'comms:<templateId>:<n>' (the n-th update posted from a
 * comms template, n from 1; see nextCommsKind).
 */
import { invalidInput } from './errors';
import type { Invocation, WarningThreshold } from './invocation';

export { invocationId, remoteLinkGlobalId } from './invocation';

/** The app's key for its issue property and its comment-property markers. */
export const APP_KEY = 'service-continuity';
/** The indexed issue property holding the continuity summary (see issueProperty in invocation.ts). */
export const ISSUE_PROPERTY_KEY = APP_KEY;
/** The comment property key that marks the app's comments. */
export const COMMENT_MARKER_KEY = APP_KEY;

export type CommsCommentKind = `comms:${string}:${number}`;
export type CommentKind = 'invoked' | WarningThreshold | CommsCommentKind;

export interface CommentMarkerValue {
  key: string;
  value: { invocationId: string; kind: CommentKind };
}

/** The kind of the n-th update from a comms template. The template id is URI-encoded so ':' in it stays unambiguous. */
export function commsKind(templateId: string, n: number): CommsCommentKind {
  if (typeof templateId !== 'string' || templateId === '') throw invalidInput('A template id is required.', 'templateId');
  if (!Number.isSafeInteger(n) || n < 1) throw invalidInput('The update number must be a whole number from 1.', 'n');
  return `comms:${encodeURIComponent(templateId)}:${n}`;
}

export type ParsedCommentKind =
  | { kind: 'invoked' }
  | { kind: 'warning'; threshold: WarningThreshold }
  | { kind: 'comms'; templateId: string; n: number };

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

/** The marker (comment property) the app sets on a comment, and looks for before posting it again. */
export function commentMarker(invocationId: string, kind: CommentKind): CommentMarkerValue {
  if (typeof invocationId !== 'string' || invocationId === '') throw invalidInput('An invocation id is required.', 'invocationId');
  if (!parseCommentKind(kind)) throw invalidInput(`Unknown comment kind ${JSON.stringify(kind)}.`, 'kind');
  return { key: COMMENT_MARKER_KEY, value: { invocationId, kind } };
}

/** One string for an (invocation, comment kind) pair, for logs and de-duplication sets. */
export function commentKey(invocationId: string, kind: CommentKind): string {
  const { value } = commentMarker(invocationId, kind);
  return `${APP_KEY}:invocation=${value.invocationId}:comment=${value.kind}`;
}

function commsNumbers(invocation: Invocation, templateId: string, posted: boolean): number[] {
  const comments = invocation.jiraWrites.comments ?? {};
  const numbers: number[] = [];
  for (const [kind, write] of Object.entries(comments)) {
    const parsed = parseCommentKind(kind);
    if (parsed?.kind === 'comms' && parsed.templateId === templateId && (!posted || write.id)) numbers.push(parsed.n);
  }
  return numbers;
}

/**
 * The kind for the next update from a template: one more than the highest n claimed or posted so far.
 * Requests that read the invocation before either claimed (a double click, a resolver call retried while
 * the first is in flight) derive the same kind, so the post-once claim lets only one of them post; a
 * request that reads after the first claim gets n+1, i.e. a second update, which is what a later
 * deliberate click means.
 */
export function nextCommsKind(invocation: Invocation, templateId: string): CommsCommentKind {
  const numbers = commsNumbers(invocation, templateId, false);
  return commsKind(templateId, numbers.length === 0 ? 1 : Math.max(...numbers) + 1);
}

/** How many updates from a template were posted (recorded with a comment id). */
export function commsPostedCount(invocation: Invocation, templateId: string): number {
  return commsNumbers(invocation, templateId, true).length;
}
