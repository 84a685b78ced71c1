/**
 * The outbox consumer: performs the Jira writes of every record waiting in a slot (and the few slots
 * before it, which index queries may have shown late). For each record it
 *   1. claims it (one conditional write: no other drain posts its comments meanwhile);
 *   2. links it first if the trigger could not read the issue;
 *   3. performs every pending write in parallel (see jira-writes);
 *   4. records the results (one conditional write, merged into whatever changed meanwhile), which
 *      also releases the claim and takes the record out of the outbox when nothing is left.
 * What failed stays in the outbox; the run reports the longest Retry-After so the consumer can ask
 * Forge to redeliver the event then, and the watch sweeps whatever is still waiting later.
 */
import { randomUUID } from 'node:crypto';
import { claimOutbox, outboxClaimed, pendingWrites, recordWrites, releaseOutbox, type IncidentRecord } from '../domain/incident-record';
import { RateLimitedError } from '../domain/errors';
import { DRAIN_DELAY_MS, DRAIN_LOOKBACK_SLOTS, drainStartsAt, SLOT_MS } from '../domain/outbox';
import { StaleRecordError, type AppDeps } from '../ports';
import { performWrites } from './jira-writes';
import { applyIndicatorUpdates, ofIncident, updatesOf } from './indicators';
import { linkDeferred } from './link-incident';
import { saveWithRetry } from './outbox';

/** Records handled at once: enough to keep Jira busy, few enough to back off together on a 429. */
const CONCURRENCY = 8;
/** A record whose writes keep changing under the drain is left for the next run after this many rounds. */
const ROUNDS = 3;
/** Time kept back at the end of the invocation to record what was written. */
const RESERVE_MS = 10_000;

export interface DrainRun {
  slot: number;
  records: number;
  completed: number;
  failed: number;
  skipped: number;
  /** Records still changing after the last round, left in the slot for a redelivery. */
  leftover: number;
  /** Records whose writes Jira refused for good (the issue is gone, the app may not write there). */
  parked: number;
  /** The longest Retry-After Jira asked for; the consumer asks Forge to redeliver after it. */
  retryAfterSeconds?: number;
  stoppedEarly: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function drainSlot(slot: number, deps: AppDeps): Promise<DrainRun> {
  const run: DrainRun = { slot, records: 0, completed: 0, failed: 0, skipped: 0, leftover: 0, parked: 0, stoppedEarly: false };
  // Records of this slot may still be arriving until it closes; never wait longer than one slot.
  const wait = Math.min(drainStartsAt(slot) - deps.clock.now(), SLOT_MS + DRAIN_DELAY_MS);
  if (wait > 0) await sleep(wait);
  const token = randomUUID();
  // A short invocation keeps a quarter of its time back rather than never starting.
  const atStart = deps.remainingMs();
  const reserve = atStart === undefined ? RESERVE_MS : Math.min(RESERVE_MS, atStart / 4);
  const outOfTime = () => {
    const left = deps.remainingMs();
    run.stoppedEarly ||= left !== undefined && left < reserve;
    return run.stoppedEarly;
  };
  let cursor: string | undefined;
  do {
    const page = await deps.store.outboxRecords(slot - DRAIN_LOOKBACK_SLOTS, slot, cursor);
    run.records += page.items.length;
    const counted: IncidentRecord[] = [];
    await forEachConcurrently(page.items, CONCURRENCY, async (record) => {
      if (outOfTime()) return;
      await drainRecord(record, slot, token, deps, run, counted);
    });
    // The indicators follow invocations opened, recovered, stood down or reopened: every such change
    // rewrites the issue property, so the drain that wrote it reports it, for the whole page at once
    // (one read and one guarded write per group of shards), off the trigger's and the panel's paths.
    await reportIndicators(counted, deps);
    cursor = page.cursor;
  } while (cursor && !outOfTime());
  return run;
}

async function reportIndicators(records: readonly IncidentRecord[], deps: AppDeps): Promise<void> {
  if (records.length === 0) return;
  try {
    const updates = records.flatMap((record) => updatesOf(undefined, ofIncident(record), deps.clock.now()));
    if (updates.length > 0) await applyIndicatorUpdates(updates, deps);
  } catch (error) {
    // Never the drain's failure: a lost report is made good by the record's next one or the daily rebuild.
    console.warn(`Indicators not updated (${(error as Error).message}); the rebuild will bring them up to date.`);
  }
}

async function drainRecord(found: IncidentRecord, slot: number, token: string, deps: AppDeps, run: DrainRun, counted: IncidentRecord[]): Promise<void> {
  let record = await claim(found, token, deps);
  if (!record) {
    run.skipped++;
    return;
  }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      if (record.outbox?.needsLink) record = await linkDeferred(record, deps);
      const now = deps.clock.now();
      const writes = pendingWrites(record, now);
      // The site's time zone travels with the record (stamped from the settings when stored): no extra read here.
      const zone = record.timeZone ?? 'UTC';
      const outcome = await performWrites(record, writes, deps.jira, record.outbox?.checkMarkers === true, zone);
      const stored = await saveWithRetry(record.issueId, record, deps, (current) => recordWrites(current, outcome, token, deps.clock.now(), slot));
      if (outcome.property !== undefined) counted.push(stored);
      if (outcome.failures.length > 0) {
        if (outcome.permanent) {
          run.parked++;
          console.warn(`Outbox: ${record.issueKey} parked, Jira refused for good: ${outcome.failures.join('; ')}`);
          return;
        }
        run.failed++;
        if (outcome.retryAfterSeconds !== undefined) run.retryAfterSeconds = Math.max(run.retryAfterSeconds ?? 0, outcome.retryAfterSeconds);
        console.warn(`Outbox: ${record.issueKey} kept for a retry: ${outcome.failures.join('; ')}`);
        return;
      }
      if (stored.outboxSlot === 0) {
        run.completed++;
        return;
      }
      // Still changing after the last round: leave it unclaimed in this slot and have the event redelivered.
      if (round === ROUNDS - 1) {
        run.leftover++;
        return;
      }
      // Changed while the writes were in flight (an agent declared recovery, a warning fell due).
      const again = await claim(stored, token, deps);
      if (!again) return;
      record = again;
    }
  } catch (error) {
    // Reading the issue for a deferred link, or storage, failed: give the claim back so the retry can go on
    // at once (if storage is what failed, the claim expires instead and the next drain looks for markers).
    run.failed++;
    if (error instanceof RateLimitedError && error.retryAfterSeconds !== undefined) run.retryAfterSeconds = Math.max(run.retryAfterSeconds ?? 0, error.retryAfterSeconds);
    console.warn(`Outbox: ${found.issueKey} failed: ${(error as Error).message}`);
    await saveWithRetry(record.issueId, record, deps, (current) => releaseOutbox(current, token, slot)).catch(() => undefined);
  }
}

/** Claims the record for this drain, or answers undefined when someone else holds it or it is done. */
async function claim(record: IncidentRecord, token: string, deps: AppDeps): Promise<IncidentRecord | undefined> {
  let current: IncidentRecord | undefined = record;
  for (let attempt = 0; attempt < 2 && current; attempt++) {
    const now = deps.clock.now();
    if (current.outboxSlot === 0 || !current.outbox) return undefined;
    if (outboxClaimed(current, now) && current.outbox.claim?.token !== token) return undefined;
    try {
      return await deps.store.saveRecord(claimOutbox(current, token, now), current.version);
    } catch (error) {
      if (!(error instanceof StaleRecordError)) throw error;
      // The index showed an older version: read the record itself (reads are consistent) and retry once.
      current = await deps.store.getRecord(record.issueId);
    }
  }
  return undefined;
}

async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}
