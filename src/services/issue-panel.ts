/** Builds what the issue panel shows, in one resolver call. */
import type { InvocationView, PanelView } from '../contract/issue-panel';
import { TIER_NAMES } from '../domain/catalogue';
import type { Invocation } from '../domain/invocation';
import type { ContinuityStore } from '../ports';
import { linkIncidentToPlans, type LinkDeps } from './link-incident';

export async function loadPanel(issueId: string, deps: LinkDeps): Promise<PanelView> {
  const { store, clock } = deps;
  let invocations = await store.invocationsForIssue(issueId);
  let missingPlans: string[] = [];
  if (invocations.length === 0) {
    // Not linked yet (the trigger may still be on its way, or failed): link now. It is idempotent, so
    // the trigger arriving later converges on the same invocations.
    const outcome = await linkIncidentToPlans(issueId, deps);
    const base = { serverTime: clock.now(), issueKey: outcome.issueKey, invocations: [], missingPlans: [] };
    if (outcome.kind === 'not-qualifying') {
      return { ...base, status: 'not-qualifying', reason: outcome.qualification.reason, toQualify: outcome.qualification.toQualify };
    }
    if (outcome.kind === 'no-service') {
      return { ...base, status: 'no-service', reason: 'None of the affected services is in the continuity catalogue.', toQualify: 'Set the Affected services field to a catalogued service.' };
    }
    missingPlans = outcome.servicesWithoutPlan.map((s) => s.name);
    if (outcome.invocations.length === 0) {
      return { ...base, status: 'no-plan', missingPlans, reason: `No continuity plan exists for ${missingPlans.join(', ')}.`, toQualify: 'Write a continuity plan for the service.' };
    }
    invocations = outcome.invocations;
  }
  return { serverTime: clock.now(), issueKey: invocations[0].issueKey, status: 'invoked', invocations: await views(invocations, store), missingPlans };
}

async function views(invocations: Invocation[], store: ContinuityStore): Promise<InvocationView[]> {
  return Promise.all(
    invocations.map(async (inv) => {
      const [plan, service] = await Promise.all([store.getPlan(inv.planId), store.getService(inv.serviceId)]);
      return {
        id: inv.id,
        state: inv.state,
        plan: { id: inv.planId, title: plan?.title ?? 'Deleted plan', url: plan?.pageUrl ?? '' },
        service: { id: inv.serviceId, name: service?.name ?? 'Deleted service', tier: service?.tier ?? 0, tierName: service ? TIER_NAMES[service.tier] : '' },
        rtoMinutes: inv.rtoMinutes,
        ownRtoMinutes: inv.ownRtoMinutes,
        rpoMinutes: inv.rpoMinutes,
        startedAt: inv.startedAt,
        rtoDueAt: inv.rtoDueAt,
        inversions: inv.inversions.map((i) => ({ dependencyName: i.dependencyName, dependencyRtoMinutes: i.dependencyRtoMinutes })),
      };
    }),
  );
}
