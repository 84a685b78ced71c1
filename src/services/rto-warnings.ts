/**
 * The scheduled RTO watch. Every run:
 *   - repairs what earlier runs failed to write to Jira: an open invocation's remote link and
 *     invocation comment, and issue properties noted as possibly stale;
 *   - sends RTO warnings: every open invocation that passed 75 % of its RTO, or breached it, gets one
 *     comment per threshold mentioning the plan owner. The comment goes through postCommentOnce, and
 *     the threshold is recorded in the same write as the comment's id, so running twice (Forge may run
 *     a scheduled trigger twice) never warns twice.
 * It stops early when the invocation is about to run out of time; the next run carries on.
 */
import { warningComment } from '../domain/adf';
import { dueWarnings, recordWarning } from '../domain/warnings';
import { needsJiraRepair, repairJiraWrites, writeIssueProperty, type LinkDeps } from './link-incident';
import { postCommentOnce } from './post-once';

export interface WarningRun {
  checked: number;
  sent: Array<{ issueKey: string; planId: string; threshold: string }>;
  /** Invocations whose Jira link or comment was written late, and issues whose property was rewritten. */
  repaired: { links: number; properties: number };
  failed: Array<{ invocationId?: string; issueId?: string; error: string }>;
  /** True when the run stopped early for lack of time; the rest waits for the next run. */
  stoppedEarly: boolean;
}

/** Time kept back at the end of a run: enough to finish the write in hand and report. */
const STOP_WHEN_LEFT_MS = 15_000;

export async function sendRtoWarnings(deps: LinkDeps, remainingMs: () => number | undefined = () => undefined): Promise<WarningRun> {
  const { store, clock } = deps;
  const run: WarningRun = { checked: 0, sent: [], repaired: { links: 0, properties: 0 }, failed: [], stoppedEarly: false };
  const outOfTime = () => {
    const left = remainingMs();
    run.stoppedEarly ||= left !== undefined && left < STOP_WHEN_LEFT_MS;
    return run.stoppedEarly;
  };

  const open = await store.openInvocationsDueBefore(Number.MAX_SAFE_INTEGER);
  run.checked = open.length;
  for (const found of open) {
    if (outOfTime()) break;
    let invocation = found;
    try {
      if (needsJiraRepair(invocation)) {
        invocation = await repairJiraWrites(invocation, deps);
        if (!needsJiraRepair(invocation)) run.repaired.links++;
      }
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
        if (result.outcome !== 'taken') run.sent.push({ issueKey: invocation.issueKey, planId: invocation.planId, threshold });
      }
    } catch (error) {
      // One failing incident must not starve the others; the next run retries it.
      run.failed.push({ invocationId: invocation.id, error: (error as Error).message });
    }
  }

  for (const issueId of await store.staleProperties()) {
    if (outOfTime()) break;
    try {
      await writeIssueProperty(issueId, deps);
      await store.clearPropertyStale(issueId);
      run.repaired.properties++;
    } catch (error) {
      run.failed.push({ issueId, error: (error as Error).message });
    }
  }
  return run;
}
