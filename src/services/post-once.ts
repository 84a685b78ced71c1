/**
 * Posts a Jira comment at most once per invocation and kind, whatever retries, duplicate events or
 * concurrent runs happen:
 *   1. claim the kind on the stored invocation (a conditional write: only one run wins);
 *   2. look for a comment already carrying this kind's marker (a run that posted, then lost its
 *      response or timed out before recording it);
 *   3. post it, with the marker as a comment property;
 *   4. record its id (and whatever the caller adds to the timeline).
 * A claim older than CLAIM_TTL_MS is presumed abandoned and may be taken over; step 2 then prevents
 * a second comment.
 */
import type { Invocation } from '../domain/invocation';
import type { Clock, ContinuityStore, JiraGateway } from '../ports';
import { COMMENT_MARKER_KEY } from '../domain/idempotency';

export const CLAIM_TTL_MS = 60_000;

export interface PostOnceDeps {
  store: ContinuityStore;
  jira: JiraGateway;
  clock: Clock;
}

export interface CommentToPost {
  adf: object;
  internal: boolean;
}

export async function postCommentOnce(
  invocationId: string,
  kind: string,
  build: (invocation: Invocation) => CommentToPost,
  deps: PostOnceDeps,
  record: (invocation: Invocation, commentId: string) => Invocation = (inv) => inv,
): Promise<{ invocation: Invocation; commentId?: string; posted: boolean }> {
  const { store, jira, clock } = deps;
  const token = `${clock.now()}-${Math.random().toString(36).slice(2)}`;
  const claimed = await store.updateInvocation(invocationId, (inv) => {
    const write = inv.jiraWrites.comments[kind];
    if (write?.id || (write?.claim && clock.now() - write.claim.at < CLAIM_TTL_MS)) return null;
    return { ...inv, jiraWrites: { ...inv.jiraWrites, comments: { ...inv.jiraWrites.comments, [kind]: { claim: { token, at: clock.now() } } } } };
  });
  const write = claimed.jiraWrites.comments[kind];
  if (write?.claim?.token !== token) return { invocation: claimed, commentId: write?.id, posted: false };

  const marker = { key: COMMENT_MARKER_KEY, value: { invocationId, kind } };
  const existing = await jira.findMarkedComment(claimed.issueId, marker);
  let commentId = existing;
  if (!commentId) {
    const comment = build(claimed);
    commentId = await jira.addComment(claimed.issueId, comment.adf, { internal: comment.internal, marker });
  }
  const done = await store.updateInvocation(invocationId, (inv) => {
    if (inv.jiraWrites.comments[kind]?.id) return null;
    const next = { ...inv, jiraWrites: { ...inv.jiraWrites, comments: { ...inv.jiraWrites.comments, [kind]: { id: commentId } } } };
    return record(next, commentId!);
  });
  return { invocation: done, commentId, posted: !existing };
}
