/**
 * Publishing the practice review: a Confluence page per period (domain/pages/review.ts), filled from the
 * indicator aggregates, the catalogue's gaps and the risk register. The page id is kept per period
 * (ReviewRecord), so publishing again for the same period updates the same page, keeping what people
 * wrote in its own sections; a concurrent edit of the page (a stale version) is re-read and merged
 * again. Creating a period's first page is claimed first (a guarded write of the period's record), so
 * two managers publishing at once make one page; a create whose answer was lost is found by its title.
 * The page goes to the space the manager names the first time, else the plans' space (settings).
 */
import { randomUUID } from 'node:crypto';
import type { PublishReviewAnswer, PublishReviewInput, ReviewStatus } from '../contract/measure';
import { ContinuityError, conflict, invalidInput } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { threatName } from '../domain/risks';
import { parsePeriod, suggestedPeriods, type ReviewPeriod } from '../domain/review-period';
import { MAX_LISTED, reviewAdf, reviewFigures, reviewTitle, storedFigures, type ReviewInput } from '../domain/pages/review';
import { LostRaceError, type AppDeps, type ReviewRecord } from '../ports';
import { peopleNamed } from './catalogue-views';
import { currentAggregates } from './indicators';
import { requireManager } from './roles';

/** The review needs the app's deps, Confluence among them (the plan pages' ConfluenceGateway). */
export type ReviewDeps = AppDeps;

/** A claim to create a period's page older than this was abandoned (its publisher died). */
const CLAIM_TTL_MS = 60_000;
const PAGE_ATTEMPTS = 4;

const isCode = (error: unknown, code: string) => error instanceof ContinuityError && error.code === code;

export async function reviewStatus(periodId: string, deps: ReviewDeps): Promise<ReviewStatus> {
  const period = parsePeriod(periodId);
  const [record, previous, settings] = await Promise.all([deps.measure.getReview(period.id), deps.measure.getReview(period.previousId), deps.store.getSettings()]);
  const people = await peopleNamed(record?.publishedBy ? [record.publishedBy] : [], deps);
  const defaultSpaceKey = record?.spaceKey ?? previous?.spaceKey ?? settings.planSpaceKey;
  return {
    period: period.id,
    label: period.label,
    ...(record?.pageId
      ? {
          page: {
            id: record.pageId,
            title: record.title,
            ...(record.url ? { url: record.url } : {}),
            ...(record.publishedAt !== undefined ? { publishedAt: record.publishedAt } : {}),
            ...(record.publishedBy ? { publishedBy: people.get(record.publishedBy) ?? { accountId: record.publishedBy } } : {}),
          },
        }
      : {}),
    ...(defaultSpaceKey ? { defaultSpaceKey } : {}),
    suggestedPeriods: suggestedPeriods(deps.clock.now()),
  };
}

/** Everything the page is built from, read in a few storage operations (no scan of the catalogue). */
async function reviewInput(period: ReviewPeriod, settings: ContinuitySettings, deps: ReviewDeps): Promise<ReviewInput> {
  const now = deps.clock.now();
  const listing = (tier: 1 | 2) => deps.catalogue.servicesByListing({ index: 'tierName', listing: 'gap', prefix: `${tier}:`, limit: MAX_LISTED + 1 });
  const [aggregates, summary, previous, tier1, tier2, risks, publisher] = await Promise.all([
    currentAggregates(deps),
    deps.catalogue.getSummary(),
    deps.measure.getReview(period.previousId),
    listing(1),
    listing(2),
    deps.measure.risksWithoutMechanism(MAX_LISTED + 1),
    deps.jira.currentUserName().catch(() => undefined),
  ]);
  const services = await deps.catalogue.getServices([...new Set(risks.slice(0, MAX_LISTED).map((r) => r.serviceId))]);
  const gaps = [...tier1, ...tier2].map((g) => ({ name: g.service.name, tier: g.service.tier as 1 | 2 }));
  return {
    period,
    publishedAt: now,
    ...(publisher ? { publishedBy: publisher } : {}),
    figures: reviewFigures(aggregates, period, now),
    previous: { id: period.previousId, fromAggregates: reviewFigures(aggregates, parsePeriod(period.previousId), now), ...(previous?.figures ? { published: previous.figures } : {}) },
    scope: { servicesByTier: { '1': aggregates.services['1'].total, '2': aggregates.services['2'].total, '3': aggregates.services['3'].total }, plans: summary?.plans ?? 0 },
    roles: { managerGroups: settings.managerGroups ?? [] },
    gaps: {
      withoutApprovedPlan: gaps.slice(0, MAX_LISTED),
      moreWithoutApprovedPlan: tier1.length > MAX_LISTED || gaps.length > MAX_LISTED,
      risksWithoutMechanism: risks.slice(0, MAX_LISTED).map((r) => ({ service: services.get(r.serviceId)?.name ?? r.serviceId, threat: threatName(r.threat) })),
      moreRisksWithoutMechanism: risks.length > MAX_LISTED,
    },
  };
}

/** Saves the record, re-reading it once if someone changed it meanwhile (only its metadata changes). */
async function recordPublished(period: string, change: (current: ReviewRecord | undefined) => ReviewRecord, deps: ReviewDeps): Promise<ReviewRecord> {
  for (let attempt = 0; ; attempt++) {
    const current = await deps.measure.getReview(period);
    try {
      return await deps.measure.saveReview(change(current), current?.version ?? 0);
    } catch (error) {
      if (!(error instanceof LostRaceError) || attempt >= 3) throw error;
    }
  }
}

/** Updates the period's page with fresh data, keeping what people wrote; re-reads on a concurrent edit. */
async function updatePage(pageId: string, input: ReviewInput, deps: ReviewDeps): Promise<{ id: string; url: string; version: number; title: string } | undefined> {
  for (let attempt = 0; attempt < PAGE_ATTEMPTS; attempt++) {
    let page;
    try {
      page = await deps.confluence.getPage(pageId, { body: true });
    } catch (error) {
      if (isCode(error, 'NOT_FOUND')) return undefined; // deleted: the caller creates a new page
      throw error;
    }
    if (page.status !== 'current') return undefined; // trashed or archived: a new page
    try {
      // The title stays as people may have renamed it; the body keeps their sections.
      const written = await deps.confluence.updatePage({ id: page.id, title: page.title, version: page.version + 1, body: reviewAdf(input, page.body ?? { type: 'doc', version: 1, content: [] }), message: 'Indicators refreshed by Service Continuity' });
      return { id: written.id, url: written.url || page.url, version: written.version, title: written.title };
    } catch (error) {
      if (!isCode(error, 'CONFLICT')) throw error; // someone saved meanwhile: read their version and merge again
    }
  }
  throw conflict('The review page is being edited right now: publish again in a moment.');
}

export async function publishReview(input: PublishReviewInput, actor: string, deps: ReviewDeps): Promise<PublishReviewAnswer> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, 'publish the practice review', settings);
  const period = parsePeriod(input.period);
  const now = deps.clock.now();
  if (period.start > now) throw invalidInput(`${period.short} has not started yet.`, 'period');
  const data = await reviewInput(period, settings, deps);
  const figures = storedFigures(data.figures);
  const existing = await deps.measure.getReview(period.id);

  if (existing?.pageId) {
    const updated = await updatePage(existing.pageId, data, deps);
    if (updated) {
      await recordPublished(period.id, (r) => ({ ...(r ?? existing), pageId: updated.id, url: updated.url, publishedAt: now, publishedBy: actor, figures }), deps);
      return { period: period.id, title: updated.title, pageId: updated.id, ...(updated.url ? { url: updated.url } : {}), created: false, version: updated.version };
    }
  }

  // The period's first page (or a new one after its page was deleted): claim, create, record.
  if (existing?.claim && now - existing.claim.at < CLAIM_TTL_MS) throw conflict(`The review for ${period.short} is being published by someone else right now: try again in a minute.`);
  const spaceKey = input.spaceKey ?? existing?.spaceKey ?? settings.planSpaceKey;
  if (!spaceKey) throw invalidInput('Choose the Confluence space the review goes to.', 'spaceKey');
  const space = await deps.confluence.spaceByKey(spaceKey);
  if (!space) throw invalidInput(`Confluence has no space with the key ${spaceKey} that the app can see.`, 'spaceKey');
  const parentId = input.parentPageId ?? existing?.parentId ?? (spaceKey === settings.planSpaceKey ? settings.planParentPageId : undefined);
  const title = reviewTitle(period);
  const token = randomUUID();
  let claimed: ReviewRecord;
  try {
    const base: ReviewRecord = existing ?? { period: period.id, version: 0, spaceId: space.id, spaceKey: space.key, title };
    const { pageId: _p, url: _u, ...rest } = base;
    claimed = await deps.measure.saveReview({ ...rest, spaceId: space.id, spaceKey: space.key, title, ...(parentId ? { parentId } : {}), claim: { token, at: now, by: actor } }, existing?.version ?? 0);
  } catch (error) {
    if (error instanceof LostRaceError) throw conflict(`The review for ${period.short} is being published by someone else right now: try again in a minute.`);
    throw error;
  }
  let page: { id: string; url: string; version: number; title: string };
  let created = true;
  try {
    const made = await deps.confluence.createPage({ spaceId: space.id, ...(parentId ? { parentId } : {}), title, body: reviewAdf(data) });
    page = { id: made.id, url: made.url, version: made.version, title: made.title };
  } catch (error) {
    // The answer was lost, or a page of that title exists (an earlier publish, or a person's): use it.
    const found = isCode(error, 'UPSTREAM_UNAVAILABLE') || isCode(error, 'INVALID_INPUT') || isCode(error, 'CONFLICT') ? await deps.confluence.findPageByTitle(space.id, title).catch(() => undefined) : undefined;
    const adopted = found && (await updatePage(found.id, data, deps));
    if (!adopted) {
      await deps.measure.saveReview({ ...claimed, claim: undefined }, claimed.version).catch(() => undefined);
      throw error;
    }
    page = adopted;
    created = false;
  }
  await recordPublished(period.id, (r) => {
    const { claim: _c, ...rest } = r ?? claimed;
    return { ...rest, pageId: page.id, url: page.url, title: page.title, publishedAt: now, publishedBy: actor, figures };
  }, deps);
  return { period: period.id, title: page.title, pageId: page.id, ...(page.url ? { url: page.url } : {}), created, version: page.version };
}
