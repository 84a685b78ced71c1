/**
 * One plan changed by one writer at a time. Changing a plan means reading it, changing it and saving it
 * through saveCatalogue, which does not compare versions; a page read-back, a status move and a review
 * of the same plan at the same moment would otherwise overwrite each other (and a read-back of an
 * older page version could land after a newer one). Each holds the plan's lock while it reads, writes
 * the page and saves, and reads the plan again once it holds it.
 */
import { randomUUID } from 'node:crypto';
import { ContinuityError } from '../../domain/errors';
import type { AppDeps } from '../../ports';

export type LockDeps = Pick<AppDeps, 'planPages' | 'clock'>;

/** Longer than any holder runs (a resolver or trigger stops at 25 s): a holder that died frees it after this. */
export const LOCK_LEASE_MS = 60_000;

export class PlanBusyError extends ContinuityError {
  constructor() {
    super('CONFLICT', 'Someone else is changing this plan right now; try again in a moment.');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` holding the plan's lock. `waitMs`: how long to keep trying for the lock (a person's
 * request waits a little; an event or a consumer gives up at once and is retried by Forge). Throws
 * PlanBusyError (CONFLICT, which entry points treat as transient) when it cannot be had.
 */
export async function withPlanLock<T>(planId: string, deps: LockDeps, work: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
  const holder = randomUUID();
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const now = deps.clock.now();
    if (await deps.planPages.lockPlan(planId, holder, now, now + LOCK_LEASE_MS)) break;
    if (Date.now() - started >= (options.waitMs ?? 0)) throw new PlanBusyError();
    await sleep(Math.min(1_000, 50 * 2 ** attempt) * (0.5 + Math.random()));
  }
  try {
    return await work();
  } finally {
    await deps.planPages.unlockPlan(planId, holder).catch((error) => console.warn(`Plan ${planId}: the lock was not given back (${(error as Error).message}); it expires by itself.`));
  }
}
