/**
 * Performing one record's pending Jira writes, all at once: the remote link to each plan page, the
 * comments (invocation, RTO warnings) and the issue property go out in parallel, so a newly linked
 * incident costs one round trip after the issue was read. Failures are collected, not thrown: what
 * succeeded is recorded, what failed stays pending for the next attempt.
 *
 * Comments are posted at most once: the drain holds the record's outbox claim while it posts, and a
 * comment carries a marker (a comment property). The marker is looked up before posting only when an
 * earlier attempt may have posted without recording it (`checkMarkers`), never on the happy path.
 */
import { invocationComment, warningComment, formatMinutes } from '../domain/adf';
import { ContinuityError, RateLimitedError } from '../domain/errors';
import { COMMENT_MARKER_KEY, ISSUE_PROPERTY_KEY } from '../domain/idempotency';
import type { IncidentRecord, JiraWrite, WriteResults } from '../domain/incident-record';
import { remoteLinkGlobalId } from '../domain/invocation';
import type { JiraGateway } from '../ports';

export interface WriteOutcome extends WriteResults {
  /** The longest Retry-After Jira asked for, when it rate limited a write. */
  retryAfterSeconds?: number;
}

/** `timeZone`: the site's (settings.siteTimeZone), in which the comments write their times. */
export async function performWrites(record: IncidentRecord, writes: readonly JiraWrite[], jira: JiraGateway, checkMarkers: boolean, timeZone = 'UTC'): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { links: {}, comments: [], failures: [], ambiguous: false };
  const fail = (what: string, error: unknown) => {
    outcome.failures.push(`${what}: ${(error as Error).message}`);
    if (error instanceof RateLimitedError) outcome.retryAfterSeconds = Math.max(outcome.retryAfterSeconds ?? 0, error.retryAfterSeconds ?? 0);
  };
  await Promise.all(
    writes.map(async (write) => {
      try {
        if (write.kind === 'link') {
          const { invocation } = write;
          outcome.links[invocation.id] = await jira.upsertRemoteLink(record.issueId, {
            // Same globalId every time: Jira updates the link instead of adding a second one.
            globalId: remoteLinkGlobalId(invocation),
            url: invocation.plan.pageUrl,
            title: `Continuity plan: ${invocation.plan.title}`,
            summary: `${invocation.service.name}, RTO ${formatMinutes(invocation.rtoMinutes)}`,
          });
        } else if (write.kind === 'property') {
          await jira.setIssueProperty(record.issueId, ISSUE_PROPERTY_KEY, write.value);
          outcome.property = write.serialized;
        } else {
          const marker = { key: COMMENT_MARKER_KEY, value: { invocationId: write.invocation.id, kind: write.comment } };
          const adf = write.comment === 'invoked' ? invocationComment(write.invocation, timeZone) : warningComment(write.comment, write.invocation, timeZone);
          const id = await postOnce(record.issueId, adf, marker, jira, checkMarkers, () => (outcome.ambiguous = true));
          outcome.comments.push({ invocationId: write.invocation.id, kind: write.comment, id });
        }
      } catch (error) {
        fail(write.kind === 'comment' ? `${write.comment} comment` : write.kind, error);
      }
    }),
  );
  return outcome;
}

/**
 * Posts the comment unless one with its marker exists (looked for only when asked). A POST that fails
 * ambiguously (5xx, network: Jira may have saved it) is never repeated blindly: the marker is looked
 * for once, and if it is not (yet) there the failure is reported as ambiguous, so the next attempt
 * looks again before posting.
 */
export async function postOnce(
  issueId: string,
  adf: object,
  marker: { key: string; value: { invocationId: string; kind: string } },
  jira: JiraGateway,
  checkMarkers: boolean,
  onAmbiguous: () => void,
  options: { internal?: boolean; asUser?: boolean } = {},
): Promise<string> {
  if (checkMarkers) {
    const found = await jira.findMarkedComment(issueId, marker);
    if (found) return found;
  }
  try {
    return await jira.addComment(issueId, adf, { internal: options.internal ?? true, marker, asUser: options.asUser });
  } catch (error) {
    if (error instanceof ContinuityError && error.code === 'UPSTREAM_UNAVAILABLE') {
      const found = await jira.findMarkedComment(issueId, marker).catch(() => undefined);
      if (found) return found;
      onAmbiguous();
    }
    throw error;
  }
}
