/**
 * Change requests prompt reviews. A JSM change request (an issue of a type the settings name) whose
 * affected services include catalogued services marks each of their live plans "review due: changed by
 * <key>", shown in the registry, on the plan page and in the incident panel until the owner reviews.
 * Matched as incidents are (Affected services, or components and labels when it has none): one Jira
 * read and one batch read of the match entries. Idempotent per plan and change request.
 */
import { eventIssueType, isChangeRequestType, mayAffectServices } from '../../domain/plans/change-requests';
import { flagForChange } from '../../domain/plans/review';
import { matchedServices, matchKeys } from '../../domain/matching';
import type { AppDeps } from '../../ports';
import { FIELD_CACHE_MS } from '../link-incident';
import { withPlanLock } from './lock';
import { savePlans } from './save';

export type ChangeDeps = Pick<AppDeps, 'store' | 'jira' | 'catalogue' | 'planPages' | 'clock' | 'indicators'>;

export type ChangeOutcome = { kind: 'not-a-change-request' } | { kind: 'no-catalogued-service'; issueKey: string } | { kind: 'flagged'; issueKey: string; planIds: string[] };

export async function flagPlansForChange(issueId: string, deps: ChangeDeps, hint: { issueTypeName?: string } = {}): Promise<ChangeOutcome> {
  const context = await deps.store.incidentContext();
  const { settings } = context;
  if ((settings.changeIssueTypeNames ?? []).length === 0) return { kind: 'not-a-change-request' };
  // The event names the issue type: most issues are not change requests and cost nothing more.
  if (hint.issueTypeName !== undefined && !isChangeRequestType(hint.issueTypeName, settings)) return { kind: 'not-a-change-request' };
  let fields = context.fields;
  if (!fields || deps.clock.now() - fields.fetchedAt > FIELD_CACHE_MS) {
    fields = await deps.jira.readFieldIds();
    await deps.store.putJiraFields(fields);
  }
  const facts = await deps.jira.getIncident(issueId, fields);
  if (!isChangeRequestType(facts.issueTypeName, settings)) return { kind: 'not-a-change-request' };
  const keys = matchKeys(facts, settings);
  const services = keys.length > 0 ? matchedServices(keys, await deps.store.lookupMatches(keys)) : [];
  if (services.length === 0) return { kind: 'no-catalogued-service', issueKey: facts.issueKey };
  const flagged: string[] = [];
  for (const match of services) {
    for (const plan of await deps.catalogue.plansForService(match.service.id)) {
      if (plan.status === 'retired') continue;
      await withPlanLock(plan.id, deps, async () => {
        const current = (await deps.catalogue.getPlan(plan.id)) ?? plan;
        const next = flagForChange(current, facts.issueKey, deps.clock.now());
        if (next !== current) await savePlans([next], deps);
      });
      flagged.push(plan.id);
    }
  }
  return { kind: 'flagged', issueKey: facts.issueKey, planIds: flagged };
}

/**
 * The issue trigger's hook: an issue event that may make a change request affect services (created, or
 * its services or type changed) flags the plans. Incidents the trigger linked never get here.
 */
export async function reviewOnChangeRequest(event: Parameters<typeof mayAffectServices>[0] & { issue?: { id?: string | number } }, deps: ChangeDeps): Promise<ChangeOutcome> {
  const issueId = event.issue?.id;
  if (issueId === undefined || !mayAffectServices(event)) return { kind: 'not-a-change-request' };
  return flagPlansForChange(String(issueId), deps, { issueTypeName: eventIssueType(event) });
}
