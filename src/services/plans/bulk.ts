/**
 * Publishing many plan pages (an import of 500 services): a job in storage and a chain of queue
 * events, one batch per event. Each consumer publishes the next batch (publish.ts, idempotent by page
 * title), saves the batch's plans in one catalogue write, advances the job with a version-guarded
 * write and only then pushes the next event, so a duplicate delivery does no harm (it finds the job
 * moved on, or loses the guarded write and pushes nothing). Confluence failing or rate limiting makes
 * the consumer ask Forge for a retry of the same batch; a service that cannot be published (a title
 * someone else holds) is recorded as failed and the job goes on. Calling "publish all" again while a
 * job has stalled pushes its next batch again: the job resumes where it stopped.
 */
import { randomUUID } from 'node:crypto';
import type { PublishProgress } from '../../contract/plans';
import { ContinuityError, invalidInput } from '../../domain/errors';
import { StaleRecordError, type AppDeps, type PublishEvent, type PublishJob } from '../../ports';
import { loadCatalogue } from '../catalogue';
import { planLocation, requireConnected } from './confluence';
import { requireManager } from './manager';
import { publishServicePlan, type Actor } from './publish';
import { savePlans } from './save';
import type { ContinuityPlan } from '../../domain/catalogue';

export type BulkDeps = Pick<AppDeps, 'confluence' | 'catalogue' | 'store' | 'jira' | 'clock' | 'planPages' | 'planQueue' | 'remainingMs' | 'indicators'>;

/** Services per queue event: a batch's page writes and one catalogue write fit well inside an invocation. */
export const BATCH = 10;
/** At most this many services in one job. */
export const MAX_JOB_SERVICES = 5_000;
/** A running job that has not moved for this long is stalled: "publish all" pushes its next batch again. */
export const STALLED_MS = 10 * 60_000;

export function progressOf(job: PublishJob): PublishProgress {
  return {
    jobId: job.id,
    state: job.state,
    total: job.serviceIds.length,
    processed: job.next,
    published: job.published,
    skipped: job.skipped,
    failed: job.failed,
    startedAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/**
 * Starts publishing plan pages for `serviceIds` (every active service without a plan page when absent),
 * or resumes the running job when it has stalled. A Service Continuity Manager only.
 */
export async function startPublishing(input: { serviceIds?: unknown }, actor: Actor, deps: BulkDeps): Promise<PublishProgress> {
  requireConnected(deps);
  await requireManager(deps, 'publish plan pages');
  const settings = await deps.store.getSettings();
  await planLocation(settings, deps); // refuse now, in words, rather than fail 500 times in the consumer
  const now = deps.clock.now();
  const latestId = await deps.planPages.latestPublishJobId();
  const latest = latestId ? await deps.planPages.getPublishJob(latestId) : undefined;
  if (latest?.state === 'running') {
    if (now - latest.updatedAt >= STALLED_MS) await deps.planQueue.push({ jobId: latest.id, from: latest.next });
    return progressOf(latest);
  }
  const catalogue = await loadCatalogue(deps.catalogue);
  const active = catalogue.services.filter((s) => s.status !== 'retired');
  let serviceIds: string[];
  if (input.serviceIds === undefined) {
    const withPage = new Set(catalogue.plans.filter((p) => p.pageId && p.status !== 'retired').map((p) => p.serviceId));
    serviceIds = active.filter((s) => !withPage.has(s.id)).map((s) => s.id);
  } else {
    if (!Array.isArray(input.serviceIds) || !input.serviceIds.every((id) => typeof id === 'string')) throw invalidInput('Services must be a list of service ids.', 'serviceIds');
    const known = new Set(active.map((s) => s.id));
    const unknown = input.serviceIds.findIndex((id) => !known.has(id));
    if (unknown >= 0) throw invalidInput(`No active service with the id ${String(input.serviceIds[unknown])}.`, `serviceIds.${unknown}`);
    serviceIds = [...new Set(input.serviceIds as string[])];
  }
  if (serviceIds.length > MAX_JOB_SERVICES) throw invalidInput(`At most ${MAX_JOB_SERVICES} services at a time.`, 'serviceIds');
  const job: PublishJob = { id: `publish-${now}-${randomUUID().slice(0, 8)}`, version: 0, createdAt: now, createdBy: actor.accountId, serviceIds, next: 0, published: 0, skipped: 0, failed: [], updatedAt: now, state: serviceIds.length === 0 ? 'done' : 'running' };
  const stored = await deps.planPages.savePublishJob(job, 0);
  await deps.planPages.setLatestPublishJobId(stored.id);
  if (stored.state === 'running') await deps.planQueue.push({ jobId: stored.id, from: 0 });
  return progressOf(stored);
}

export async function publishProgress(jobId: unknown, deps: Pick<AppDeps, 'planPages'>): Promise<PublishProgress | null> {
  if (jobId !== undefined && (typeof jobId !== 'string' || jobId === '')) throw invalidInput('The job id must be text.', 'jobId');
  const id = (jobId as string | undefined) ?? (await deps.planPages.latestPublishJobId());
  const job = id ? await deps.planPages.getPublishJob(id) : undefined;
  return job ? progressOf(job) : null;
}

export type BatchOutcome =
  | { kind: 'not-current'; jobId: string }
  | { kind: 'done' | 'continued'; jobId: string; published: number; skipped: number; failed: number; next: number };

/** Failures a later attempt can fix: the whole batch is retried (publishing is idempotent). */
function transient(error: unknown): boolean {
  return error instanceof ContinuityError && ['RATE_LIMITED', 'UPSTREAM_UNAVAILABLE', 'CONFLUENCE_NOT_CONNECTED'].includes(error.code);
}

/** The consumer's work for one event: publish the batch starting at `event.from`, advance the job, push the next. */
export async function publishBatch(event: PublishEvent, deps: BulkDeps): Promise<BatchOutcome> {
  const job = await deps.planPages.getPublishJob(event.jobId);
  if (!job || job.state !== 'running' || job.next !== event.from) return { kind: 'not-current', jobId: event.jobId };
  const settings = await deps.store.getSettings();
  const [location, catalogue] = await Promise.all([planLocation(settings, deps), loadCatalogue(deps.catalogue)]);
  const now = deps.clock.now();
  const actor = { accountId: job.createdBy, name: 'Service Continuity' };
  const services = new Map(catalogue.services.map((s) => [s.id, s]));
  const batch = job.serviceIds.slice(job.next, job.next + BATCH);
  const plans: ContinuityPlan[] = [];
  let published = 0;
  let skipped = 0;
  const failed: PublishJob['failed'] = [];
  for (const serviceId of batch) {
    const service = services.get(serviceId);
    if (!service || service.status === 'retired') {
      skipped += 1;
      continue;
    }
    try {
      const outcome = await publishServicePlan(service, { catalogue: { services: catalogue.services, plans: [...catalogue.plans, ...plans] }, location, actor, now }, deps);
      if (outcome.kind === 'published') {
        plans.push(outcome.plan);
        published += 1;
      } else skipped += 1;
    } catch (error) {
      // Plans published so far in this batch are saved before the retry: their pages exist.
      if (transient(error)) {
        await savePlans(plans, deps, catalogue, job.createdBy);
        throw error;
      }
      failed.push({ serviceId, reason: (error as Error).message });
    }
  }
  await savePlans(plans, deps, catalogue, job.createdBy);
  const next = job.next + batch.length;
  const advanced: PublishJob = {
    ...job,
    next,
    published: job.published + published,
    skipped: job.skipped + skipped,
    failed: [...job.failed, ...failed].slice(-200),
    updatedAt: deps.clock.now(),
    state: next >= job.serviceIds.length ? 'done' : 'running',
  };
  try {
    await deps.planPages.savePublishJob(advanced, job.version);
  } catch (error) {
    // A duplicate delivery of this event advanced the job first: it pushed the next event too.
    if (error instanceof StaleRecordError) return { kind: 'not-current', jobId: job.id };
    throw error;
  }
  if (advanced.state === 'running') {
    try {
      await deps.planQueue.push({ jobId: job.id, from: next });
    } catch (error) {
      throw new NextBatchNotPushed(job.id, next, error as Error);
    }
  }
  return { kind: advanced.state === 'done' ? 'done' : 'continued', jobId: job.id, published, skipped, failed: failed.length, next };
}

/**
 * The batch was published and the job advanced, but the event for the next batch was refused (the
 * queue's rate limit): the consumer asks Forge to run it again with `resumeFrom`, and pushes then.
 */
export class NextBatchNotPushed extends Error {
  constructor(readonly jobId: string, readonly from: number, override readonly cause: Error) {
    super(`The next batch of ${jobId} (from ${from}) was not queued: ${cause.message}`);
    this.name = 'NextBatchNotPushed';
  }
}

/** Pushes the event for the job's batch at `from`, if the job is still waiting there. */
export async function pushNext(jobId: string, from: number, deps: Pick<AppDeps, 'planPages' | 'planQueue'>): Promise<boolean> {
  const job = await deps.planPages.getPublishJob(jobId);
  if (!job || job.state !== 'running' || job.next !== from) return false;
  await deps.planQueue.push({ jobId, from });
  return true;
}
