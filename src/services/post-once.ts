/**
 * Posts a Jira comment at most once per invocation and kind, whatever retries, duplicate events or
 * concurrent runs happen:
 *   1. claim the kind on the stored invocation (a conditional write: only one run wins);
 *   2. look for a comment already carrying this kind's marker (a run that posted, then lost its
 *      response or timed out before recording it);
 *   3. post it, with the marker as a comment property (never retried blindly: see product-request);
 *   4. record its id (and whatever the caller adds to the timeline).
 * If the post fails, the marker is looked for once more (the comment may exist though its answer was
 * lost); when it is not there the claim is released, so the next attempt can post at once.
 * A claim older than CLAIM_TTL_MS is presumed abandoned (its run was stopped) and may be taken over;
 * step 2 then prevents a second comment.
 */
import type { Invocation } from '../domain/invocation';
import type { Clock, ContinuityStore, JiraGateway } from '../ports';
import { COMMENT_MARKER_KEY } from '../domain/idempotency';

/** Longer than the longest invocation that can hold a claim (the scheduled watch runs up to 120 s). */
export const CLAIM_TTL_MS = 180_000;

export interface PostOnceDeps {
  store: ContinuityStore;
  jira: JiraGateway;
  clock: Clock;
}

export interface CommentToPost {
  adf: object;
  internal: boolean;
}

/**
 * 'posted': this run posted the comment. 'found': this run found the comment an earlier attempt
 * posted and recorded it. 'taken': another run had already posted it or is posting it now.
 */
export type PostOutcome = 'posted' | 'found' | 'taken';

export async function postCommentOnce(
  invocationId: string,
  kind: string,
  build: (invocation: Invocation) => CommentToPost,
  deps: PostOnceDeps,
  record: (invocation: Invocation, commentId: string) => Invocation = (inv) => inv,
): Promise<{ invocation: Invocation; commentId?: string; outcome: PostOutcome; posted: boolean }> {
  const { store, jira, clock } = deps;
  const token = `${clock.now()}-${Math.random().toString(36).slice(2)}`;
  const claimed = await store.updateInvocation(invocationId, (inv) => {
    const write = inv.jiraWrites.comments[kind];
    if (write?.id || (write?.claim && clock.now() - write.claim.at < CLAIM_TTL_MS)) return null;
    return withComment(inv, kind, { claim: { token, at: clock.now() } });
  });
  const write = claimed.jiraWrites.comments[kind];
  if (write?.claim?.token !== token) return { invocation: claimed, commentId: write?.id, outcome: 'taken', posted: false };

  const marker = { key: COMMENT_MARKER_KEY, value: { invocationId, kind } };
  let commentId = await jira.findMarkedComment(claimed.issueId, marker);
  const outcome: PostOutcome = commentId ? 'found' : 'posted';
  if (!commentId) {
    const comment = build(claimed);
    try {
      commentId = await jira.addComment(claimed.issueId, comment.adf, { internal: comment.internal, marker });
    } catch (error) {
      commentId = await jira.findMarkedComment(claimed.issueId, marker).catch(() => undefined);
      if (!commentId) {
        await releaseClaim(invocationId, kind, token, store).catch(() => undefined); // else it expires after CLAIM_TTL_MS
        throw error;
      }
    }
  }
  const id = commentId;
  const done = await store.updateInvocation(invocationId, (inv) => {
    if (inv.jiraWrites.comments[kind]?.id) return null;
    return record(withComment(inv, kind, { id }), id);
  });
  return { invocation: done, commentId: id, outcome, posted: outcome === 'posted' };
}

function withComment(inv: Invocation, kind: string, write: Invocation['jiraWrites']['comments'][string]): Invocation {
  return { ...inv, jiraWrites: { ...inv.jiraWrites, comments: { ...inv.jiraWrites.comments, [kind]: write } } };
}

async function releaseClaim(invocationId: string, kind: string, token: string, store: ContinuityStore): Promise<void> {
  await store.updateInvocation(invocationId, (inv) => {
    const write = inv.jiraWrites.comments[kind];
    if (write?.id || write?.claim?.token !== token) return null;
    const { [kind]: _released, ...rest } = inv.jiraWrites.comments;
    return { ...inv, jiraWrites: { ...inv.jiraWrites, comments: rest } };
  });
}
