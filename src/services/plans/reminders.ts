/**
 * Review reminders (scheduled, daily): one footer comment per overdue period on each overdue plan's
 * page, mentioning the plan owner. Never twice for a period, even when the trigger runs twice or two
 * runs overlap (Forge warns of duplicate scheduled invocations):
 *   1. the period is claimed with a create-if-absent key: only the first run gets it;
 *   2. the claimer looks for its own comment on the page first (a run that posted and then died
 *      before recording it left the comment and the claim; a later run seeing the claim skips it, and
 *      one retrying a released claim finds the comment);
 *   3. it posts, then records the reminder on the plan (under the plan's lock);
 *   4. a post that failed gives the claim back, so the next run tries again.
 */
import { mention, p, strong, text, doc } from '@atlaskit/adf-utils/builders';
import type { ContinuityPlan, Service } from '../../domain/catalogue';
import { overduePeriod, reminded, withReminder, type OverduePeriod } from '../../domain/plans/review';
import { TIER_NAMES } from '../../domain/catalogue';
import { DEFAULT_REVIEW_CADENCE } from '../../domain/tiers';
import type { AppDeps } from '../../ports';
import { loadCatalogue } from '../catalogue';
import { isNotConnected } from './confluence';
import { withPlanLock } from './lock';
import { savePlans } from './save';

export type ReminderDeps = Pick<AppDeps, 'confluence' | 'catalogue' | 'store' | 'planPages' | 'clock' | 'remainingMs' | 'indicators'>;

/** Stop starting new reminders with less time than this left in the invocation. */
const RESERVE_MS = 10_000;

export interface ReminderRun {
  overdue: number;
  posted: number;
  /** Periods another run had claimed, or that were recorded already. */
  alreadyReminded: number;
  failed: Array<{ planId: string; reason: string }>;
  confluence: 'connected' | 'not-connected';
  stoppedEarly: boolean;
}

/** The text that identifies a period's reminder on the page (the app looks for it before posting). */
export function reminderMarker(plan: ContinuityPlan, period: OverduePeriod): string {
  return `Review reminder ${period.number} for ${plan.title}`;
}

/** The reminder comment: who, why, since when, and what to do. */
export function reminderAdf(plan: ContinuityPlan, service: Service, period: OverduePeriod, cadenceDays: number): object {
  const due = new Date(period.dueAt).toISOString().slice(0, 10);
  const owner = plan.ownerAccountId ? [mention({ id: plan.ownerAccountId, text: '@plan owner' }), text(' ')] : [];
  return doc(
    p(strong(reminderMarker(plan, period))),
    p(
      ...owner,
      text(`This plan was due for review on ${due} (${TIER_NAMES[service.tier]}: every ${cadenceDays} days). Review it with the team, then choose "Mark reviewed" on this page or in the plan registry.`),
    ),
  );
}

export async function sendReviewReminders(deps: ReminderDeps): Promise<ReminderRun> {
  const run: ReminderRun = { overdue: 0, posted: 0, alreadyReminded: 0, failed: [], confluence: 'connected', stoppedEarly: false };
  if (deps.confluence.connection() === 'not-connected') return { ...run, confluence: 'not-connected' };
  const [settings, catalogue] = await Promise.all([deps.store.getSettings(), loadCatalogue(deps.catalogue)]);
  const cadence = settings.reviewCadence ?? DEFAULT_REVIEW_CADENCE;
  const services = new Map(catalogue.services.map((s) => [s.id, s]));
  const now = deps.clock.now();
  for (const plan of catalogue.plans) {
    const service = services.get(plan.serviceId);
    if (!plan.pageId || !service || service.status === 'retired') continue;
    const period = overduePeriod(plan, service.tier, now, cadence);
    if (!period) continue;
    run.overdue += 1;
    if (reminded(plan, period.key)) {
      run.alreadyReminded += 1;
      continue;
    }
    const left = deps.remainingMs();
    if (left !== undefined && left < RESERVE_MS) {
      run.stoppedEarly = true;
      break;
    }
    try {
      const outcome = await remindOnce(plan, service, period, cadence[service.tier], deps);
      if (outcome === 'posted') run.posted += 1;
      else run.alreadyReminded += 1;
    } catch (error) {
      if (isNotConnected(error)) return { ...run, confluence: 'not-connected' };
      run.failed.push({ planId: plan.id, reason: (error as Error).message });
    }
  }
  return run;
}

async function remindOnce(plan: ContinuityPlan, service: Service, period: OverduePeriod, cadenceDays: number, deps: ReminderDeps): Promise<'posted' | 'claimed-elsewhere'> {
  const now = deps.clock.now();
  if (!(await deps.planPages.claimReminder(plan.id, period.key, now))) return 'claimed-elsewhere';
  let commentId: string;
  try {
    const marker = reminderMarker(plan, period);
    const existing = (await deps.confluence.footerComments(plan.pageId)).find((c) => c.text.includes(marker));
    commentId = existing?.id ?? (await deps.confluence.addFooterComment(plan.pageId, reminderAdf(plan, service, period, cadenceDays)));
  } catch (error) {
    await deps.planPages.releaseReminder(plan.id, period.key).catch(() => undefined);
    throw error;
  }
  await withPlanLock(plan.id, deps, async () => {
    const current = (await deps.catalogue.getPlan(plan.id)) ?? plan;
    const next = withReminder(current, { period: period.key, dueAt: period.dueAt, postedAt: now, commentId });
    if (next !== current) await savePlans([next], deps);
  }, { waitMs: 5_000 });
  return 'posted';
}
