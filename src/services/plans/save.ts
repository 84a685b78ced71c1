/**
 * Storing plan changes. Every change that affects what incidents invoke (steps, templates, title, page
 * address, status) goes through saveCatalogue, which rewrites the match entries the incident trigger
 * reads: a plan saved any other way would leave incidents invoking its old steps.
 *
 * Each saved plan is stamped `updatedAt`/`updatedBy` (`app` when no person made the change, such as a
 * page read back): the registry's form, opened before, then refuses to overwrite what the page said.
 */
import type { ContinuityPlan } from '../../domain/catalogue';
import type { AppDeps } from '../../ports';
import { saveCatalogue, type Catalogue } from '../catalogue';
import { catalogueReporter } from '../indicators';

export const APP_ACTOR = 'app';

/** An id for a new plan of the service (`plan-<service id without svc->`), unused among `taken`. */
export function newPlanId(serviceId: string, taken: ReadonlySet<string>): string {
  const base = `plan-${serviceId.replace(/^svc-/, '')}`.slice(0, 180);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export async function savePlans(plans: readonly ContinuityPlan[], deps: Pick<AppDeps, 'catalogue' | 'clock' | 'indicators' | 'store'>, current?: Catalogue, by: string = APP_ACTOR): Promise<void> {
  if (plans.length === 0) return;
  const now = deps.clock.now();
  // A status, review or test recorded on a plan moves the indicators (approved plans, reviews on time, tests).
  const { reviewCadence } = await deps.store.getSettings();
  await saveCatalogue({ plans: plans.map((p) => ({ ...p, updatedAt: now, updatedBy: by })) }, deps.catalogue, current, catalogueReporter(deps, reviewCadence));
}
