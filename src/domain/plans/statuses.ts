/**
 * The plan lifecycle's statuses, their words and the moves each allows: plain constants with no imports,
 * so the front ends take them through the plans contract instead of copying them.
 */
import type { PlanStatus } from '../catalogue';

export const PLAN_STATUSES: readonly PlanStatus[] = ['draft', 'in-review', 'approved', 'retired'];

export const STATUS_WORDS: Readonly<Record<PlanStatus, string>> = { draft: 'Draft', 'in-review': 'In review', approved: 'Approved', retired: 'Retired' };

/** The moves a plan may make from each status. */
export const NEXT_STATUSES: Readonly<Record<PlanStatus, readonly PlanStatus[]>> = {
  draft: ['in-review', 'retired'],
  'in-review': ['approved', 'draft', 'retired'],
  approved: ['in-review', 'retired'],
  retired: ['draft'],
};
