/**
 * A service's business impact analysis on the Service continuity page: reading it with the suggestion
 * it leads to (domain/bia.ts suggestFromBia, reasoning in words) and the MTPD flag, previewing the
 * suggestion as a person types, and saving it. Saving needs the Service Continuity Manager role
 * (checked server-side) and is refused over someone else's newer save; it may also give the service
 * the suggested tier, RTO and RPO, through the catalogue like any service change.
 */
import type { BiaFormChoices, BiaFormValues, BiaSuggestionView, BiaView, SaveBiaAnswer, SaveBiaInput, ServiceRef, SuggestBiaInput } from '../contract/measure';
import { CATEGORY_NAMES, HORIZON_WORDS, IMPACT_CATEGORIES, IMPACT_HORIZONS, MAJOR, mtpdFlag, parseBia, RATING_NAMES, suggestFromBia, type BusinessImpact } from '../domain/bia';
import { TIER_NAMES, type Service } from '../domain/catalogue';
import { conflict, invalidInput, notFound } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { matchKeyString } from '../domain/matching';
import { LostRaceError, type AppDeps, type StoredBia } from '../ports';
import { loadCatalogue, saveCatalogue } from './catalogue';
import { durationView, peopleNamed, tierBandsOf } from './catalogue-views';
import { catalogueReporter } from './indicators';
import { requireManager } from './roles';

const CHANGE = 'change business impact analyses';

export const BIA_CHOICES: BiaFormChoices = {
  categories: IMPACT_CATEGORIES.map((id) => ({ id, name: CATEGORY_NAMES[id] })),
  horizons: IMPACT_HORIZONS.map((id) => ({ id, text: HORIZON_WORDS[id] })),
  ratings: ([0, 1, 2, 3, 4] as const).map((value) => ({ value, name: RATING_NAMES[value] })),
  major: MAJOR,
};

export function serviceRef(service: Service): ServiceRef {
  return { id: service.id, name: service.name, tier: service.tier, tierName: TIER_NAMES[service.tier], status: service.status === 'retired' ? 'retired' : 'active' };
}

export async function requireService(serviceId: string, deps: Pick<AppDeps, 'catalogue'>): Promise<Service> {
  const service = await deps.catalogue.getService(serviceId);
  if (!service) throw notFound('Service', 'serviceId');
  return service;
}

/** The effective RTO the catalogue keeps for the service (through its dependencies), if active. */
async function effectiveRtoOf(service: Service, deps: Pick<AppDeps, 'store'>): Promise<number | undefined> {
  if (service.status === 'retired') return undefined;
  const key = { kind: 'service' as const, value: service.id };
  const match = (await deps.store.lookupMatches([key])).get(matchKeyString(key))?.find((m) => m.service.id === service.id);
  return match?.effectiveRtoMinutes;
}

function suggestionView(bia: BusinessImpact, service: Service, settings: ContinuitySettings): BiaSuggestionView {
  const s = suggestFromBia(bia, tierBandsOf(settings), settings.costThresholds);
  return {
    tier: s.tier,
    tierName: TIER_NAMES[s.tier],
    rto: durationView(s.rtoMinutes),
    rpo: durationView(s.rpoMinutes),
    reasoning: s.reasoning,
    differs: { tier: s.tier !== service.tier, rto: s.rtoMinutes !== service.rtoMinutes, rpo: s.rpoMinutes !== service.rpoMinutes },
  };
}

/** The form's values as the domain reads them (the MTPD may be text such as "3d"). */
function readForm(values: BiaFormValues | undefined): BusinessImpact {
  if (!values || typeof values !== 'object') throw invalidInput('A business impact analysis must be an object.', 'bia');
  try {
    const { maximumTolerableDowntime, ...rest } = values;
    return parseBia({ ...rest, maximumTolerableDowntimeMinutes: maximumTolerableDowntime });
  } catch (error) {
    // The form calls the field by what a person types into it.
    if (error instanceof Error && 'field' in error && (error as { field?: string }).field === 'maximumTolerableDowntimeMinutes') {
      throw invalidInput(error.message, 'maximumTolerableDowntime');
    }
    throw error;
  }
}

export async function biaView(serviceId: string, deps: AppDeps): Promise<BiaView> {
  const [service, stored, settings] = await Promise.all([requireService(serviceId, deps), deps.measure.getBia(serviceId), deps.store.getSettings()]);
  const [effective, people] = await Promise.all([effectiveRtoOf(service, deps), peopleNamed(stored ? [stored.updatedBy] : [], deps)]);
  const thresholds = settings.costThresholds;
  const view: BiaView = {
    service: { ...serviceRef(service), rto: durationView(service.rtoMinutes), rpo: durationView(service.rpoMinutes), ...(effective !== undefined ? { effectiveRto: durationView(effective) } : {}) },
    choices: BIA_CHOICES,
    ...(thresholds ? { costThresholds: thresholds } : {}),
  };
  if (!stored) return view;
  const { costOfDowntimePerHour, currency, ratings, maximumTolerableDowntimeMinutes, notes } = stored;
  const bia: BusinessImpact = { costOfDowntimePerHour, currency, ratings, maximumTolerableDowntimeMinutes, ...(notes !== undefined ? { notes } : {}) };
  const flag = service.status === 'retired' ? undefined : mtpdFlag(service, bia, effective);
  return {
    ...view,
    bia: {
      costOfDowntimePerHour,
      currency,
      ratings,
      maximumTolerableDowntime: durationView(maximumTolerableDowntimeMinutes),
      ...(notes !== undefined ? { notes } : {}),
      version: stored.version,
      updatedAt: stored.updatedAt,
      updatedBy: people.get(stored.updatedBy) ?? { accountId: stored.updatedBy },
    },
    suggestion: suggestionView(bia, service, settings),
    ...(flag ? { mtpdFlag: flag } : {}),
  };
}

/** The suggestion for a BIA as typed (nothing is stored; anyone who can open the page may ask). */
export async function suggestBia(input: SuggestBiaInput, deps: AppDeps): Promise<BiaSuggestionView> {
  const bia = readForm(input.bia);
  const [service, settings] = await Promise.all([requireService(input.serviceId, deps), deps.store.getSettings()]);
  return suggestionView(bia, service, settings);
}

export async function saveBia(input: SaveBiaInput, actor: string, deps: AppDeps): Promise<SaveBiaAnswer> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, CHANGE, settings);
  const bia = readForm(input.bia);
  const [service, existing] = await Promise.all([requireService(input.serviceId, deps), deps.measure.getBia(input.serviceId)]);
  if (service.status === 'retired') throw conflict(`${service.name} is retired: restore it before changing its business impact analysis.`);
  const expected = input.expectedVersion ?? 0;
  if ((existing?.version ?? 0) !== expected) {
    throw conflict(`The business impact analysis of ${service.name} was changed by someone else after you opened it: reload it and make your change again.`);
  }
  const stored: StoredBia = { serviceId: service.id, ...bia, version: expected, updatedAt: deps.clock.now(), updatedBy: actor };
  try {
    await deps.measure.saveBia(stored, expected);
  } catch (error) {
    if (error instanceof LostRaceError) throw conflict(`The business impact analysis of ${service.name} was saved by someone else a moment ago: reload it and make your change again.`);
    throw error;
  }
  let applied: SaveBiaAnswer['applied'];
  if (input.applySuggestion) {
    const s = suggestFromBia(bia, tierBandsOf(settings), settings.costThresholds);
    const current = await loadCatalogue(deps.catalogue);
    const fresh = current.services.find((x) => x.id === service.id);
    if (!fresh) throw notFound('Service', 'serviceId');
    if (fresh.tier !== s.tier || fresh.rtoMinutes !== s.rtoMinutes || fresh.rpoMinutes !== s.rpoMinutes) {
      const changed: Service = { ...fresh, tier: s.tier, rtoMinutes: s.rtoMinutes, rpoMinutes: s.rpoMinutes, updatedAt: deps.clock.now(), updatedBy: actor };
      await saveCatalogue({ services: [changed] }, deps.catalogue, current, catalogueReporter(deps, settings.reviewCadence));
    }
    applied = { tierName: TIER_NAMES[s.tier], rto: durationView(s.rtoMinutes), rpo: durationView(s.rpoMinutes) };
  }
  return { view: await biaView(service.id, deps), ...(applied ? { applied } : {}) };
}
