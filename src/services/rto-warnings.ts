/**
 * The scheduled RTO watch: every open invocation that passed 75 % of its RTO, or breached it, gets one
 * comment per threshold mentioning the plan owner. The comment is posted through postCommentOnce, and
 * the threshold is recorded in the same write as the comment's id, so running twice (Forge may run a
 * scheduled trigger twice) never warns twice.
 */
import { warningComment } from '../domain/adf';
import { dueWarnings, recordWarning } from '../domain/warnings';
import type { LinkDeps } from './link-incident';
import { postCommentOnce } from './post-once';

export interface WarningRun {
  checked: number;
  sent: Array<{ issueKey: string; planId: string; threshold: string }>;
  failed: Array<{ invocationId: string; error: string }>;
}

export async function sendRtoWarnings(deps: LinkDeps): Promise<WarningRun> {
  const { store, clock } = deps;
  const open = await store.openInvocationsDueBefore(Number.MAX_SAFE_INTEGER);
  const run: WarningRun = { checked: open.length, sent: [], failed: [] };
  for (const invocation of open) {
    try {
      const thresholds = dueWarnings(invocation, clock.now());
      if (thresholds.length === 0) continue;
      const plan = await store.getPlan(invocation.planId);
      if (!plan) continue;
      for (const threshold of thresholds) {
        const result = await postCommentOnce(
          invocation.id,
          threshold,
          (inv) => ({ adf: warningComment(threshold, plan, inv), internal: true }),
          deps,
          (inv) => recordWarning(inv, threshold, clock.now()),
        );
        if (result.posted) run.sent.push({ issueKey: invocation.issueKey, planId: invocation.planId, threshold });
      }
    } catch (error) {
      // One failing incident must not starve the others; the next run retries it.
      run.failed.push({ invocationId: invocation.id, error: (error as Error).message });
    }
  }
  return run;
}

