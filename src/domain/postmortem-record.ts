/**
 * What an incident's record keeps about its postmortem, its findings and its follow-up actions, and the
 * claims that make each of them happen once whoever asks and however often:
 *   - the postmortem page: its id, kept here (never looked up by title), so publishing again updates the
 *     same page; while the first runner creates it, a claim tells others it is being published;
 *   - the findings comment on each plan page: claimed per plan before posting, its id recorded after,
 *     so a republish or two publishes at once post it once;
 *   - each follow-up action: claimed by its key before its Jira issue is created, the issue recorded after.
 * One postmortem covers every plan the incident invoked. Pure: every change answers a new record, or
 * null when there is nothing to change.
 */
import { conflict, ContinuityError } from './errors';
import { findInvocation, putInvocation, type IncidentRecord } from './incident-record';
import type { Actor } from './invocation';
import { appendTimeline } from './timeline';

export interface Claim {
  token: string;
  at: number;
  /** Who holds it (display name), to tell the next person. */
  by: string;
}

/** Longer than any resolver or consumer that holds a claim runs: older claims were abandoned. */
export const LOOP_CLAIM_TTL_MS = 150_000;

export interface FindingsPost {
  claim?: Claim;
  commentId?: string;
  postedAt?: number;
  /** How many findings the comment listed. */
  count?: number;
}

export interface PostmortemState {
  pageId?: string;
  pageUrl?: string;
  title?: string;
  /** A runner creating the page (no page id yet). */
  creating?: Claim;
  publishedAt?: number;
  publishedBy?: string;
  /** How many times it was published (1 on first publication). */
  publishCount?: number;
  /** The remote link on the incident to the page (its Jira id). */
  linkId?: string;
  /** The impact as a person described it when publishing (kept for the next publication). */
  impact?: string;
  /** By plan id: the findings comment on the plan page. */
  findings?: Record<string, FindingsPost>;
  /** The lines people wrote under "Follow-up actions" on the page, as the last publication read them. */
  pageFollowUps?: string[];
}

export interface FollowUp {
  key: string;
  summary: string;
  claim?: Claim;
  issueId?: string;
  issueKey?: string;
  /** Linked to the incident (an issue link); false when the link failed and is to be made again. */
  linked?: boolean;
  createdBy?: string;
  createdAt?: number;
}

const live = (claim: Claim | undefined, now: number): claim is Claim => claim !== undefined && now - claim.at < LOOP_CLAIM_TTL_MS;

/** Someone else is creating the postmortem page right now (CONFLICT): their publication stands. */
export class BeingPublishedError extends ContinuityError {
  constructor(readonly by: string) {
    super('CONFLICT', `${by} is publishing this postmortem right now; refresh in a moment.`, 'postmortem');
  }
}

// ---- The page ------------------------------------------------------------------------------------------

/**
 * Claims the creation of the postmortem page. Answers null when the page exists (the caller updates it);
 * refuses with CONFLICT when someone else is creating it right now.
 */
export function claimPostmortemCreation(record: IncidentRecord, claim: Claim, now: number): IncidentRecord | null {
  const state = record.postmortem ?? {};
  if (state.pageId) return null;
  const held = state.creating;
  if (live(held, now) && held.token !== claim.token) throw new BeingPublishedError(held.by);
  return { ...record, postmortem: { ...state, creating: claim } };
}

/** Gives the creation claim back (the page could not be created). */
export function releasePostmortemCreation(record: IncidentRecord, token: string): IncidentRecord | null {
  if (record.postmortem?.creating?.token !== token) return null;
  const { creating: _c, ...rest } = record.postmortem;
  return { ...record, postmortem: rest };
}

export interface Publication {
  pageId: string;
  pageUrl: string;
  title: string;
  impact?: string;
  pageFollowUps: string[];
  linkId?: string;
}

/**
 * Records a publication: the page (a page id already recorded by another runner wins: one page per
 * incident), who and when, and a timeline entry on the first invocation.
 */
export function recordPublication(record: IncidentRecord, publication: Publication, actor: Actor, now: number): IncidentRecord {
  const state = record.postmortem ?? {};
  const { creating: _c, ...rest } = state;
  const count = (state.publishCount ?? 0) + 1;
  const samePage = !state.pageId || state.pageId === publication.pageId;
  const next: PostmortemState = {
    ...rest,
    pageId: state.pageId ?? publication.pageId,
    pageUrl: samePage ? publication.pageUrl : state.pageUrl,
    title: samePage ? publication.title : state.title,
    publishedAt: now,
    publishedBy: actor.displayName ?? actor.accountId,
    publishCount: count,
    pageFollowUps: publication.pageFollowUps,
    ...(publication.impact !== undefined ? { impact: publication.impact } : {}),
    ...(publication.linkId ? { linkId: publication.linkId } : {}),
  };
  let out: IncidentRecord = { ...record, postmortem: next };
  const first = record.invocations[0];
  if (first) {
    const what = record.drill ? 'Drill report' : 'Postmortem';
    const detail = count === 1 ? `${what} published: ${next.title ?? publication.title}.` : `${what} updated (publication ${count}).`;
    out = putInvocation(out, appendTimeline(first, { actor, kind: 'postmortem-published', detail }, now));
  }
  return out;
}

/** The page was deleted in Confluence: forget it, so the next publication creates a new one. */
export function forgetPostmortemPage(record: IncidentRecord, pageId: string): IncidentRecord | null {
  if (record.postmortem?.pageId !== pageId) return null;
  const { pageId: _p, pageUrl: _u, linkId: _l, ...rest } = record.postmortem;
  return { ...record, postmortem: rest };
}

// ---- Findings ----------------------------------------------------------------------------------------

export function findingsPost(record: IncidentRecord, planId: string): FindingsPost | undefined {
  const all = record.postmortem?.findings;
  return all && Object.prototype.hasOwnProperty.call(all, planId) ? all[planId] : undefined;
}

function withFindingsPost(record: IncidentRecord, planId: string, post: FindingsPost | undefined): IncidentRecord {
  const state = record.postmortem ?? {};
  const { [planId]: _old, ...others } = state.findings ?? {};
  return { ...record, postmortem: { ...state, findings: post ? { ...others, [planId]: post } : others } };
}

/**
 * Claims the findings comment of one plan: null when it was posted already or someone else is posting
 * it right now (they will finish it), else the record with the claim (an abandoned claim is taken over).
 */
export function claimFindings(record: IncidentRecord, planId: string, claim: Claim, now: number): IncidentRecord | null {
  const post = findingsPost(record, planId);
  if (post?.commentId) return null;
  if (live(post?.claim, now) && post!.claim!.token !== claim.token) return null;
  return withFindingsPost(record, planId, { ...post, claim });
}

export function releaseFindings(record: IncidentRecord, planId: string, token: string): IncidentRecord | null {
  const post = findingsPost(record, planId);
  if (post?.claim?.token !== token || post.commentId) return null;
  return withFindingsPost(record, planId, undefined);
}

export function recordFindingsPosted(record: IncidentRecord, planId: string, commentId: string, count: number, now: number): IncidentRecord | null {
  if (findingsPost(record, planId)?.commentId) return null;
  return withFindingsPost(record, planId, { commentId, postedAt: now, count });
}

// ---- Follow-up actions ---------------------------------------------------------------------------------

/** The key of a follow-up: its words, in lower case with spaces collapsed (the same action asked twice is one). */
export function followUpWords(summary: string): string {
  return summary.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function followUp(record: IncidentRecord, key: string): FollowUp | undefined {
  const all = record.followUps;
  return all && Object.prototype.hasOwnProperty.call(all, key) ? all[key] : undefined;
}

function withFollowUp(record: IncidentRecord, key: string, value: FollowUp | undefined): IncidentRecord {
  const { [key]: _old, ...others } = record.followUps ?? {};
  return { ...record, followUps: value ? { ...others, [key]: value } : others };
}

/** The most follow-up actions one incident keeps. */
export const MAX_FOLLOW_UPS = 50;

/**
 * Claims the creation of a follow-up's issue. Answers the record with the claim, or null when its issue
 * exists and is linked (nothing to do); an issue created but not linked is claimed to link it again.
 * Refuses with CONFLICT when someone is creating it right now.
 */
export function claimFollowUp(record: IncidentRecord, key: string, summary: string, claim: Claim, now: number): IncidentRecord | null {
  const existing = followUp(record, key);
  if (existing?.issueKey && existing.linked) return null;
  if (live(existing?.claim, now) && existing!.claim!.token !== claim.token) throw conflict(`${existing!.claim!.by} is creating this follow-up action right now.`, 'summary');
  if (!existing && Object.keys(record.followUps ?? {}).length >= MAX_FOLLOW_UPS) throw conflict(`An incident keeps at most ${MAX_FOLLOW_UPS} follow-up actions.`, 'summary');
  return withFollowUp(record, key, { ...(existing ?? { key, summary }), claim });
}

export function releaseFollowUp(record: IncidentRecord, key: string, token: string): IncidentRecord | null {
  const existing = followUp(record, key);
  if (existing?.claim?.token !== token) return null;
  if (existing.issueKey) {
    const { claim: _c, ...rest } = existing;
    return withFollowUp(record, key, rest);
  }
  return withFollowUp(record, key, undefined);
}

/** The issue exists (and is linked, or not yet): recorded, with a timeline entry the first time. */
export function recordFollowUp(record: IncidentRecord, key: string, issue: { id: string; key: string }, linked: boolean, actor: Actor, now: number): IncidentRecord {
  const existing = followUp(record, key);
  const { claim: _c, ...rest } = existing ?? { key, summary: issue.key };
  let out = withFollowUp(record, key, { ...rest, issueId: issue.id, issueKey: issue.key, linked, createdBy: rest.createdBy ?? actor.displayName ?? actor.accountId, createdAt: rest.createdAt ?? now });
  const first = record.invocations[0];
  if (first && !existing?.issueKey) {
    out = putInvocation(out, appendTimeline(findInvocation(out, first.id)!, { actor, kind: 'follow-up-created', detail: `Follow-up action ${issue.key} created: ${rest.summary}` }, now));
  }
  return out;
}
