/** Builds what the issue panel shows, in one resolver call. */
import type { InvocationView, PanelView } from '../contract/issue-panel';
import { TIER_NAMES } from '../domain/catalogue';
import { affectedServices, qualify } from '../domain/incident';
import type { Clock, ContinuityStore, JiraGateway } from '../ports';

export interface PanelDeps {
  store: ContinuityStore;
  jira: JiraGateway;
  clock: Clock;
}

export async function loadPanel(issueId: string, deps: PanelDeps): Promise<PanelView> {
  const { store, clock } = deps;
  const invocations = await store.invocationsForIssue(issueId);
  if (invocations.length > 0) {
    const views: InvocationView[] = [];
    for (const inv of invocations) {
      const [plan, service] = await Promise.all([store.getPlan(inv.planId), store.getService(inv.serviceId)]);
      views.push({
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
      });
    }
    return { serverTime: clock.now(), issueKey: invocations[0].issueKey, status: 'invoked', invocations: views };
  }

  // Nothing invoked: explain why, so the agent knows what to do.
  const incident = await deps.jira.getIncident(issueId);
  const base = { serverTime: clock.now(), issueKey: incident.issueKey, invocations: [] };
  const qualification = qualify(incident, await store.getSettings());
  if (!qualification.qualifies) return { ...base, status: 'not-qualifying', reason: qualification.reason, toQualify: qualification.toQualify };
  const services = affectedServices(incident, await store.listServices());
  if (services.length === 0) {
    return { ...base, status: 'no-service', reason: 'No affected service of this incident is in the continuity catalogue.', toQualify: 'Set the Affected services field.' };
  }
  return {
    ...base,
    status: 'no-plan',
    reason: `No continuity plan exists for ${services.map((s) => s.name).join(', ')}.`,
    toQualify: 'Write a continuity plan for the service.',
  };
}
