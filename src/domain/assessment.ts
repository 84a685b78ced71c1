/**
 * What the app found when it looked at an incident, in words for the panel's empty states: the
 * catalogue is empty, the Affected services field is empty, a service is not catalogued (named), a
 * service has no plan (named), or the plans were invoked.
 */
import type { ServiceMatch } from './catalogue';
import type { IncidentFacts } from './incident';
import type { Assessment } from './incident-record';
import type { MatchKey } from './matching';

export function assess(facts: IncidentFacts, matches: readonly ServiceMatch[], unknown: readonly MatchKey[], catalogueSize: number, now: number): Assessment {
  const withoutPlan = matches.filter((m) => m.plan === null).map((m) => m.service.name);
  // Named as Jira names them (a JSM service's name rather than its id, when Jira gave it).
  const unknownServices = unknown.map((k) => (k.kind === 'jsm' ? facts.affectedServiceNames?.[k.value] : undefined) ?? k.value);
  if (matches.length === 0) {
    if (catalogueSize === 0) {
      return { at: now, status: 'not-configured', reason: 'Service continuity is not set up yet: the service catalogue is empty.', toQualify: 'Add services and their plans on the Service continuity page.' };
    }
    if (facts.affectedServiceIds.length === 0 && facts.components.length === 0 && facts.labels.length === 0) {
      return { at: now, status: 'no-service', reason: 'The Affected services field of this incident is empty.', toQualify: "Set the Affected services field (in the incident's details) to the service that is down; its plan is invoked within seconds." };
    }
    return {
      at: now,
      status: 'no-service',
      reason: `None of the affected services is in the continuity catalogue: ${unknownServices.join(', ')}.`,
      toQualify: 'Add the service to the catalogue on the Service continuity page, mapped to its JSM service.',
      unknownServices,
    };
  }
  if (withoutPlan.length === matches.length) {
    return { at: now, status: 'no-plan', reason: `No continuity plan exists for ${withoutPlan.join(', ')}.`, toQualify: 'Write the plan from the Service continuity page.', servicesWithoutPlan: withoutPlan };
  }
  return { at: now, status: 'linked', reason: 'Plans invoked.', ...(withoutPlan.length > 0 ? { servicesWithoutPlan: withoutPlan } : {}), ...(unknownServices.length > 0 ? { unknownServices } : {}) };
}

