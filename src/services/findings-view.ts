/** What the plan registry shows of a plan's waiting findings ("findings waiting since <date>"). */
import type { PlanRow } from '../contract/console';
import type { ContinuityPlan } from '../domain/catalogue';
import { waitingSince } from '../domain/plan-findings';

export function findingsWaiting(plan: Pick<ContinuityPlan, 'findings'>): Pick<PlanRow, 'findingsWaiting'> {
  const since = waitingSince(plan.findings);
  if (since === undefined) return {};
  const waiting = plan.findings!.waiting;
  const latest = waiting[waiting.length - 1];
  return { findingsWaiting: { since, postmortems: waiting.length, findings: waiting.reduce((n, w) => n + w.count, 0), ...(latest.postmortemUrl ? { latestUrl: latest.postmortemUrl } : {}) } };
}
