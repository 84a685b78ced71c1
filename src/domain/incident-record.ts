/**
 * An incident's record: everything the app keeps about one Jira incident in one stored value, so that
 * every path (trigger, outbox consumer, panel, watch) reads it in one operation and changes it with one
 * conditional write (its `version` is the guard). It holds:
 *   - the incident's invocations (one per plan invoked);
 *   - what has been written to Jira so far (remote links, comments, the issue property as written);
 *   - the outbox: whether Jira writes are pending, in which drain slot, and who is performing them.
 * What must be written to Jira is never stored as a list of commands: it is derived from the difference
 * between what the record says and what Jira was told (`pendingWrites`), so every runner, whenever it
 * runs, converges Jira on storage.
 */
import type { Actor, Invocation, IssueContinuityProperty, WarningThreshold } from './invocation';
import { APP_ACTOR, issueProperty } from './invocation';
import { appendTimeline } from './timeline';
import { dueWarnings, recordWarning } from './warnings';

/** A comment the app posts (or a person posts through the app) at most once per invocation and kind. */
export interface CommentWrite {
  /** The Jira comment's id once posted. */
  id?: string;
  /** Who posted a person's update (display name), so a second agent asking for the same update is told. */
  by?: string;
  /** A runner posting it right now; older than CLAIM_TTL_MS it is presumed abandoned. */
  claim?: { token: string; at: number; by: string };
}

/** Comment kinds: 'invoked', the RTO warnings, and `comms:<templateId>:<n>` (the n-th update from a template). */
export type CommentKind = 'invoked' | WarningThreshold | `comms:${string}:${number}`;

/** Why the incident is or is not linked, as the trigger last found it; shown by the panel's empty states. */
export interface Assessment {
  at: number;
  status: 'linked' | 'not-qualifying' | 'no-service' | 'no-plan' | 'not-configured';
  reason: string;
  toQualify?: string;
  /** Affected services (or fallback values) that are not in the catalogue, by what Jira calls them. */
  unknownServices?: string[];
  /** Catalogued services that have no plan yet, by name. */
  servicesWithoutPlan?: string[];
}

export interface OutboxState {
  /** When the first write now pending was stored. */
  since: number;
  /** Failed drain attempts since then (the watch backs off and reports them). */
  attempts: number;
  lastError?: string;
  /** A drain performing the writes now; older than CLAIM_TTL_MS it is presumed dead. */
  claim?: { token: string; at: number };
  /**
   * A drain may have posted comments without recording them (it died, or Jira's answer was lost): look
   * for each comment's marker before posting it again. False on the happy path, so no lookup is made.
   */
  checkMarkers?: boolean;
  /** The issue could not be read when the event came: the drain reads it and links it first. */
  needsLink?: boolean;
}

export interface IncidentRecord {
  issueId: string;
  issueKey: string;
  /** Optimistic-concurrency counter: every stored change increments it. */
  version: number;
  updatedAt: number;
  invocations: Invocation[];
  jira: {
    /** Remote link id by invocation id. */
    links: Record<string, string>;
    /** By invocation id, then comment kind. */
    comments: Record<string, Record<string, CommentWrite>>;
    /** The issue property as last written (serialised), to tell whether it must be written again. */
    property?: string;
  };
  /** Index attribute: the drain slot whose consumer performs the pending writes; 0 when none are pending. */
  outboxSlot: number;
  outbox?: OutboxState;
  /** Index attribute: the earliest RTO due time of an open invocation; 0 when none is open. */
  openDueAt: number;
  assessment?: Assessment;
  /** The last stakeholder update (see recordUpdate): the comms cadence runs from it. */
  lastUpdate?: StakeholderUpdate;
  /** The site's time zone (settings) when the incident path last stored the record: the app's comments write their times in it. */
  timeZone?: string;
}

/**
 * A stakeholder update: one an agent posted through the panel, or a public reply an agent wrote in Jira
 * (seen through the comment event). Only the latest is kept; the cadence needs no more.
 */
export interface StakeholderUpdate {
  /** When it was posted (epoch ms). */
  at: number;
  /** The Jira comment, so the event of a comment the panel posted is recognised. */
  commentId: string;
  by?: string;
  source: 'panel' | 'jira';
}

/**
 * Records a stakeholder update if it is newer than the one recorded. Idempotent and independent of order:
 * the same comment seen twice (the panel posts it, then its comment event arrives), or an older comment's
 * event arriving late, leaves the record as it is (the same object).
 */
export function recordUpdate(record: IncidentRecord, update: StakeholderUpdate): IncidentRecord {
  const last = record.lastUpdate;
  if (last && (last.commentId === update.commentId || last.at >= update.at)) return record;
  return { ...record, lastUpdate: update };
}

/** Longer than the longest invocation that can hold a claim (the outbox consumer runs up to 120 s). */
export const CLAIM_TTL_MS = 150_000;

export function newRecord(issueId: string, issueKey: string, now: number): IncidentRecord {
  return { issueId, issueKey, version: 0, updatedAt: now, invocations: [], jira: { links: {}, comments: {} }, outboxSlot: 0, openDueAt: 0 };
}

/** The record with its index attributes recomputed from its invocations. */
export function withIndexes(record: IncidentRecord): IncidentRecord {
  const open = record.invocations.filter((i) => i.state === 'open');
  const openDueAt = open.length > 0 ? Math.min(...open.map((i) => i.rtoDueAt)) : 0;
  return openDueAt === record.openDueAt ? record : { ...record, openDueAt };
}

export function findInvocation(record: IncidentRecord, invocationId: string): Invocation | undefined {
  return record.invocations.find((i) => i.id === invocationId);
}

/** Replaces one invocation (by id) or adds it; keeps invocations ordered by id. */
export function putInvocation(record: IncidentRecord, invocation: Invocation): IncidentRecord {
  const others = record.invocations.filter((i) => i.id !== invocation.id);
  return withIndexes({ ...record, invocations: [...others, invocation].sort((a, b) => a.id.localeCompare(b.id)) });
}

/** A Jira write the record is waiting for. */
export type JiraWrite =
  | { kind: 'link'; invocation: Invocation }
  | { kind: 'comment'; invocation: Invocation; comment: 'invoked' | WarningThreshold }
  | { kind: 'property'; value: IssueContinuityProperty; serialized: string };

export function serializedProperty(record: IncidentRecord): string {
  return JSON.stringify(issueProperty(record.invocations));
}

/**
 * What Jira still lacks, derived from the record at `now`:
 *   - a remote link to the plan page of every invocation whose plan has a page (open or not: the
 *     link is history too);
 *   - the invocation comment of every open invocation;
 *   - each RTO warning an open invocation has crossed and not yet posted;
 *   - the issue property, whenever the invocations' summary differs from what was last written.
 */
export function pendingWrites(record: IncidentRecord, now: number): JiraWrite[] {
  const writes: JiraWrite[] = [];
  for (const invocation of record.invocations) {
    if (!record.jira.links[invocation.id] && invocation.plan.pageUrl) writes.push({ kind: 'link', invocation });
    if (invocation.state !== 'open') continue;
    if (!commentWrite(record, invocation.id, 'invoked')?.id) writes.push({ kind: 'comment', invocation, comment: 'invoked' });
    for (const threshold of dueWarnings(invocation, now)) {
      if (!commentWrite(record, invocation.id, threshold)?.id) writes.push({ kind: 'comment', invocation, comment: threshold });
    }
  }
  const serialized = serializedProperty(record);
  if (serialized !== record.jira.property && record.invocations.length > 0) writes.push({ kind: 'property', value: JSON.parse(serialized), serialized });
  return writes;
}

export function hasPendingWork(record: IncidentRecord, now: number): boolean {
  return record.outbox?.needsLink === true || pendingWrites(record, now).length > 0;
}

export function commentWrite(record: IncidentRecord, invocationId: string, kind: string): CommentWrite | undefined {
  const byKind = record.jira.comments[invocationId];
  return byKind && Object.prototype.hasOwnProperty.call(byKind, kind) ? byKind[kind] : undefined;
}

export function withCommentWrite(record: IncidentRecord, invocationId: string, kind: string, write: CommentWrite | undefined): IncidentRecord {
  const { [kind]: _previous, ...others } = record.jira.comments[invocationId] ?? {};
  const byKind = write ? { ...others, [kind]: write } : others;
  return { ...record, jira: { ...record.jira, comments: { ...record.jira.comments, [invocationId]: byKind } } };
}

/**
 * Puts the record in the outbox (drain slot `slot`) when it has Jira writes pending; a record whose
 * writes are all done leaves the outbox. A record already waiting keeps its first `since`.
 */
export function enqueue(record: IncidentRecord, slot: number, now: number, flags: Pick<OutboxState, 'needsLink' | 'checkMarkers'> = {}): IncidentRecord {
  // needsLink: true sets it, false clears it (the issue was read and linked), absent keeps it.
  const needsLink = flags.needsLink ?? record.outbox?.needsLink;
  if (!needsLink && pendingWrites(record, now).length === 0) return leaveOutbox(record);
  const outbox: OutboxState = { since: record.outbox?.since ?? now, attempts: record.outbox?.attempts ?? 0 };
  if (record.outbox?.claim) outbox.claim = record.outbox.claim;
  if (record.outbox?.lastError) outbox.lastError = record.outbox.lastError;
  if (flags.checkMarkers || record.outbox?.checkMarkers) outbox.checkMarkers = true;
  if (needsLink) outbox.needsLink = true;
  return { ...record, outboxSlot: slot, outbox };
}

export function leaveOutbox(record: IncidentRecord): IncidentRecord {
  if (record.outboxSlot === 0 && !record.outbox) return record;
  const { outbox: _o, ...rest } = record;
  return { ...rest, outboxSlot: 0 };
}

/** Whether a drain holds the record's outbox claim right now. */
export function outboxClaimed(record: IncidentRecord, now: number): boolean {
  const claim = record.outbox?.claim;
  return claim !== undefined && now - claim.at < CLAIM_TTL_MS;
}

export function claimOutbox(record: IncidentRecord, token: string, now: number): IncidentRecord {
  if (!record.outbox) return record;
  // A claim that was abandoned (its drain died) may have posted comments it never recorded.
  const abandoned = record.outbox.claim !== undefined && !outboxClaimed(record, now);
  return { ...record, outbox: { ...record.outbox, claim: { token, at: now }, ...(abandoned ? { checkMarkers: true } : {}) } };
}

/**
 * Gives a drain's claim back after it failed without recording its writes, so the next attempt need not
 * wait for the claim to expire. Its comments may have been posted all the same: the next attempt looks
 * for their markers first.
 */
export function releaseOutbox(record: IncidentRecord, token: string): IncidentRecord | null {
  if (record.outbox?.claim?.token !== token) return null;
  const { claim: _c, ...rest } = record.outbox;
  return { ...record, outbox: { ...rest, attempts: rest.attempts + 1, checkMarkers: true } };
}

/** The outcome of performing a record's pending writes, to fold back into the record. */
export interface WriteResults {
  links: Record<string, string>;
  comments: Array<{ invocationId: string; kind: 'invoked' | WarningThreshold; id: string }>;
  /** The property as written, when it was written. */
  property?: string;
  /** Writes that failed, in words (kept on the record for the watch and the logs). */
  failures: string[];
  /** A comment POST failed ambiguously: the next attempt must look for markers first. */
  ambiguous: boolean;
}

/**
 * Folds what a drain wrote into the current record (which may have changed meanwhile: results are
 * merged, never overwritten), adds the timeline entries, releases the drain's claim and leaves the
 * outbox when nothing is pending any more (else it stays, in `nextSlot`).
 */
export function recordWrites(record: IncidentRecord, results: WriteResults, token: string, now: number, nextSlot: number): IncidentRecord {
  let next: IncidentRecord = { ...record, jira: { ...record.jira, links: { ...record.jira.links } } };
  for (const [invocationId, linkId] of Object.entries(results.links)) {
    const invocation = findInvocation(next, invocationId);
    if (!invocation || next.jira.links[invocationId]) continue;
    next.jira.links[invocationId] = linkId;
    next = putInvocation(next, appendTimeline(invocation, { actor: APP_ACTOR, kind: 'linked', detail: `Linked to plan page ${invocation.plan.title}.` }, now));
  }
  for (const comment of results.comments) {
    const invocation = findInvocation(next, comment.invocationId);
    if (!invocation || commentWrite(next, comment.invocationId, comment.kind)?.id) continue;
    next = withCommentWrite(next, comment.invocationId, comment.kind, { id: comment.id });
    const updated =
      comment.kind === 'invoked'
        ? appendTimeline(invocation, { actor: APP_ACTOR, kind: 'comment-posted', detail: 'Posted the invocation comment (internal).' }, now)
        : recordWarning(invocation, comment.kind, now);
    next = putInvocation(next, updated);
  }
  if (results.property !== undefined) next = { ...next, jira: { ...next.jira, property: results.property } };
  const mine = next.outbox?.claim?.token === token;
  if (next.outbox && mine) {
    const { claim: _c, checkMarkers: _m, needsLink: _n, ...rest } = next.outbox;
    const failed = results.failures.length > 0;
    next = {
      ...next,
      outbox: {
        ...rest,
        attempts: failed ? rest.attempts + 1 : 0,
        ...(failed ? { lastError: results.failures.join('; ').slice(0, 500) } : {}),
        ...(results.ambiguous || (next.outbox.checkMarkers && failed) ? { checkMarkers: true } : {}),
        ...(next.outbox.needsLink ? { needsLink: true } : {}),
      },
    };
    if (!failed && next.outbox?.lastError) {
      const { lastError: _e, ...clean } = next.outbox;
      next = { ...next, outbox: clean };
    }
  }
  if (!hasPendingWork(next, now)) return leaveOutbox(next);
  return mine ? { ...next, outboxSlot: nextSlot } : next;
}

/** Records a person's comms update (posted as them) on the invocation's timeline, by template name. */
export function recordPersonComment(record: IncidentRecord, invocationId: string, kind: string, commentId: string, detail: string, actor: Actor, now: number): IncidentRecord {
  const invocation = findInvocation(record, invocationId);
  if (!invocation) return record;
  const next = withCommentWrite(record, invocationId, kind, { id: commentId, by: actor.displayName ?? actor.accountId });
  return putInvocation(next, appendTimeline(invocation, { actor, kind: 'comment-posted', detail }, now));
}
