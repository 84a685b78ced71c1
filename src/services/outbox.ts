/**
 * Storing a record and handing its Jira writes to the outbox. Records change by version-guarded
 * writes: a lost race re-reads and re-applies the change, so concurrent runners (duplicate events, two
 * agents, the watch) never overwrite each other. A record left with pending writes asks for its slot's
 * drain: the first runner to claim the slot pushes the queue event; the others rely on it.
 */
import { conflict } from '../domain/errors';
import { outboxClaimed, type IncidentRecord } from '../domain/incident-record';
import { QueueRefusedError, StaleRecordError, type AppDeps } from '../ports';

const SAVE_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Applies `change` to the record and stores it if nobody changed the record since it was read; on a
 * lost race, re-reads and re-applies. `change` answers null to leave the record as it is. `initial` is
 * the record as read (a new, unsaved record for an incident seen for the first time).
 */
export async function saveWithRetry(
  issueId: string,
  initial: IncidentRecord,
  deps: Pick<AppDeps, 'store'>,
  change: (current: IncidentRecord) => IncidentRecord | null,
  expectedVersion = initial.version,
): Promise<IncidentRecord> {
  let current = initial;
  let version = expectedVersion;
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    const next = change(current);
    if (!next) return current;
    try {
      return await deps.store.saveRecord(next, version);
    } catch (error) {
      if (!(error instanceof StaleRecordError)) throw error;
      const fresh = await deps.store.getRecord(issueId);
      if (fresh) {
        current = fresh;
        version = fresh.version;
      }
      // Back off with jitter so concurrent writers do not collide again at once.
      await sleep(10 * 2 ** attempt * (0.5 + Math.random()));
    }
  }
  throw conflict(`The continuity record of issue ${issueId} is being changed by someone else; try again.`);
}

/**
 * Makes sure a drain will perform the record's pending writes: unless a drain holds the record right
 * now (it re-reads before letting go), claim the record's slot and push its drain event. A refused push
 * gives the slot back and throws QueueRefusedError: the record is stored, so the caller may ask Forge
 * to retry, and the watch finds the record anyway.
 */
export async function requestDrain(record: IncidentRecord, deps: Pick<AppDeps, 'store' | 'queue' | 'clock'>): Promise<void> {
  if (record.outboxSlot <= 0 || outboxClaimed(record, deps.clock.now())) return;
  const slot = record.outboxSlot;
  if (!(await deps.store.claimSlot(slot))) return;
  try {
    await deps.queue.push({ slot });
  } catch (error) {
    await deps.store.releaseSlot(slot).catch(() => undefined);
    throw error instanceof QueueRefusedError ? error : new QueueRefusedError((error as Error).message);
  }
}
