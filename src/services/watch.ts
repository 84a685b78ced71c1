/**
 * The scheduled watch (every five minutes). It is the backstop that makes the outbox complete:
 *   1. RTO warnings: open invocations that crossed 75 % or breached their RTO go into the outbox (the
 *      drain posts one comment per threshold, mentioning the plan owner);
 *   2. stale outbox: records still waiting long after their slot (a refused push, a drain that died,
 *      retries that ran out) are put in the current slot again and drained;
 *   3. reconciling sweep: a paged JQL search of incidents updated since the last complete sweep (with
 *      overlap) finds incidents whose events were all lost, or whose writes were cut short, and links
 *      them; an issue property Jira holds that differs from what storage says is written again.
 * Every step stops before the invocation runs out of time; the next run carries on.
 */
import { ContinuityError } from '../domain/errors';
import { dueForRetry, enqueue, outboxClaimed, pendingWrites, type IncidentRecord } from '../domain/incident-record';
import { qualify } from '../domain/incident';
import { slotAt, staleSlotBefore } from '../domain/outbox';
import { FIRST_SWEEP_LOOKBACK_MS, propertyDiffers, sweepJql } from '../domain/sweep';
import { dueWarnings } from '../domain/warnings';
import type { AppDeps, Page, SweepState } from '../ports';
import type { IncidentFacts } from '../domain/incident';
import { FIELD_CACHE_MS, linkIncident } from './link-incident';
import { requestDrain, saveWithRetry } from './outbox';

export interface WatchRun {
  warningsQueued: number;
  staleRequeued: number;
  swept: { incidents: number; linked: number; propertiesRepaired: number; complete: boolean };
  failed: Array<{ issueKey: string; error: string }>;
  stoppedEarly: boolean;
}

/** Time kept back at the end of a run: enough to finish the write in hand and save where the sweep got to. */
const STOP_WHEN_LEFT_MS = 15_000;
const MAX_SWEEP_PAGES = 20;
/** Incidents a sweep failed on are retried first, this many per run, for this many runs. */
const MAX_RETRIED = 50;
const MAX_ATTEMPTS = 24;
const MAX_OWED = 500;

export async function runWatch(deps: AppDeps): Promise<WatchRun> {
  const run: WatchRun = { warningsQueued: 0, staleRequeued: 0, swept: { incidents: 0, linked: 0, propertiesRepaired: 0, complete: false }, failed: [], stoppedEarly: false };
  const outOfTime = () => {
    const left = deps.remainingMs();
    run.stoppedEarly ||= left !== undefined && left < STOP_WHEN_LEFT_MS;
    return run.stoppedEarly;
  };
  const requeue = async (record: IncidentRecord, counter: 'warningsQueued' | 'staleRequeued') => {
    try {
      const stored = await saveWithRetry(record.issueId, record, deps, (current) => {
        const now = deps.clock.now();
        if (outboxClaimed(current, now) || pendingWrites(current, now).length === 0 && !current.outbox?.needsLink) return null;
        return enqueue(current, slotAt(now), now);
      });
      if (stored.outboxSlot === slotAt(deps.clock.now()) || stored.outboxSlot > 0) {
        await requestDrain(stored, deps);
        run[counter]++;
      }
    } catch (error) {
      run.failed.push({ issueKey: record.issueKey, error: (error as Error).message });
    }
  };

  await eachPage((cursor) => deps.store.openRecords(Number.MAX_SAFE_INTEGER, cursor), outOfTime, async (record) => {
    const now = deps.clock.now();
    const due = record.invocations.some((i) => dueWarnings(i, now).length > 0);
    if (due && record.outboxSlot === 0) await requeue(record, 'warningsQueued');
  });

  await eachPage((cursor) => deps.store.outboxRecords(1, staleSlotBefore(deps.clock.now()), cursor), outOfTime, async (record) => {
    const now = deps.clock.now();
    if (!outboxClaimed(record, now) && dueForRetry(record, now)) await requeue(record, 'staleRequeued');
  });

  if (!outOfTime()) await sweep(deps, run, outOfTime);
  return run;
}

async function eachPage(list: (cursor?: string) => Promise<Page<IncidentRecord>>, outOfTime: () => boolean, each: (r: IncidentRecord) => Promise<void>): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    for (const record of page.items) {
      if (outOfTime()) return;
      await each(record);
    }
    cursor = page.cursor;
  } while (cursor && !outOfTime());
}

async function sweep(deps: AppDeps, run: WatchRun, outOfTime: () => boolean): Promise<void> {
  const startedAt = deps.clock.now();
  const state = await deps.store.getSweepState();
  const since = state?.resume?.since ?? state?.lastCompleteAt ?? startedAt - FIRST_SWEEP_LOOKBACK_MS;
  const context = await deps.store.incidentContext();
  let fields = context.fields;
  // The field ids are refreshed here, once a day, so the trigger's path never pays for it.
  if (!fields || startedAt - fields.fetchedAt > FIELD_CACHE_MS) {
    fields = await deps.jira.readFieldIds();
    await deps.store.putJiraFields(fields);
  }
  const retry = new Map((state?.retry ?? []).map((r) => [r.issueId, r.attempts]));
  const failedNow = new Map<string, number>();
  const done = new Set<string>();
  const reconcile = async (facts: IncidentFacts, property: string | undefined, record: IncidentRecord | undefined, attempts = retry.get(facts.issueId) ?? 0) => {
    done.add(facts.issueId);
    // Exercise issues are the drill run's: never linked, stood down or repaired as incidents here.
    if (facts.drill) return;
    try {
      const qualifies = qualify(facts, context.settings).qualifies;
      // Qualifying incidents are linked (a no-op when nothing changed); one that stopped qualifying is stood down.
      if (qualifies || record?.invocations.some((i) => i.state === 'open' && !i.forced)) {
        const outcome = await linkIncident(facts.issueId, deps, { facts });
        if (outcome.kind === 'linked' && outcome.record && outcome.record.version !== record?.version) run.swept.linked++;
      }
      const latest = record && (await deps.store.getRecord(facts.issueId));
      if (latest && propertyDiffers(property, latest.jira.property)) {
        const stored = await saveWithRetry(facts.issueId, latest, deps, (current) => {
          const { property: _stale, ...jira } = current.jira;
          return enqueue({ ...current, jira }, slotAt(deps.clock.now()), deps.clock.now());
        });
        await requestDrain(stored, deps);
        run.swept.propertiesRepaired++;
      }
      retry.delete(facts.issueId);
    } catch (error) {
      // Kept for the next runs: the window moves on, this incident does not fall out of it.
      failedNow.set(facts.issueId, attempts + 1);
      run.failed.push({ issueKey: facts.issueKey, error: error instanceof ContinuityError ? error.message : String(error) });
    }
  };

  // First the incidents an earlier sweep failed on, whatever their last update.
  for (const [issueId, attempts] of [...retry.entries()].slice(0, MAX_RETRIED)) {
    if (outOfTime()) break;
    retry.delete(issueId);
    try {
      const facts = await deps.jira.getIncident(issueId, fields);
      await reconcile(facts, undefined, await deps.store.getRecord(issueId), attempts);
    } catch (error) {
      if (error instanceof ContinuityError && error.code === 'NOT_FOUND') continue; // deleted since
      failedNow.set(issueId, attempts + 1);
    }
  }

  // Then the incidents updated since the last complete sweep, oldest update first. An interrupted sweep
  // resumes from the last incident it finished (a fresh search from there: page tokens belong to one query).
  const jql = sweepJql(context.settings, startedAt - since);
  let pageToken: string | undefined;
  let lastDone = since;
  for (let page = 0; page < MAX_SWEEP_PAGES; page++) {
    if (outOfTime()) break;
    const found = await deps.jira.searchIncidents(jql, fields, pageToken);
    const records = await deps.store.getRecords(found.incidents.map((i) => i.facts.issueId));
    let finished = true;
    for (const { facts, property, updatedAt } of found.incidents) {
      if (outOfTime()) {
        finished = false;
        break;
      }
      // Exercise issues are the drill run's: never counted, linked, stood down or repaired as incidents here.
      if (facts.drill) continue;
      run.swept.incidents++;
      if (!done.has(facts.issueId)) await reconcile(facts, property, records.get(facts.issueId));
      if (updatedAt !== undefined) lastDone = Math.max(lastDone, updatedAt);
    }
    if (!finished) break;
    pageToken = found.nextPageToken;
    if (!pageToken) {
      run.swept.complete = true;
      break;
    }
  }
  // Incidents failed this time join those still owed; one that keeps failing is given up after MAX_ATTEMPTS, loudly.
  for (const [issueId, attempts] of retry) failedNow.set(issueId, attempts);
  const owed = [...failedNow.entries()].filter(([issueId, attempts]) => {
    if (attempts <= MAX_ATTEMPTS) return true;
    console.error(`Watch: gave up reconciling issue ${issueId} after ${MAX_ATTEMPTS} sweeps.`);
    return false;
  });
  const next: SweepState = run.swept.complete ? { lastCompleteAt: startedAt } : { lastCompleteAt: state?.lastCompleteAt ?? since, resume: { since: lastDone } };
  if (owed.length > 0) next.retry = owed.slice(0, MAX_OWED).map(([issueId, attempts]) => ({ issueId, attempts }));
  await deps.store.putSweepState(next);
}
