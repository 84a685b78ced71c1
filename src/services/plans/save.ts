/**
 * Storing plan changes. Every change that affects what incidents invoke (steps, templates, title, page
 * address, status) goes through saveCatalogue, which rewrites the match entries the incident trigger
 * reads: a plan saved any other way would leave incidents invoking its old steps.
 */
import type { ContinuityPlan } from '../../domain/catalogue';
import type { AppDeps } from '../../ports';
import { saveCatalogue, type Catalogue } from '../catalogue';

export async function savePlans(plans: readonly ContinuityPlan[], deps: Pick<AppDeps, 'catalogue'>, current?: Catalogue): Promise<void> {
  if (plans.length === 0) return;
  await saveCatalogue({ plans: [...plans] }, deps.catalogue, current);
}
