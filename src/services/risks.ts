/**
 * The risk register of a service: its threat scenarios with likelihood and impact, the continuity
 * mechanism answering each and how far along it is, the implementation duration (risk identified →
 * mechanism in place) and the flags that need a person (domain/risks.ts). Changes need the Service
 * Continuity Manager role, are refused over someone else's newer save, and report to the indicators.
 */
import { randomUUID } from 'node:crypto';
import type { RiskChoices, RiskListInput, RiskRefInput, RiskRegisterView, RiskView, SaveRiskInput } from '../contract/measure';
import { conflict, invalidInput, notFound } from '../domain/errors';
import {
  DEFAULT_PLANNED_LIMIT_DAYS,
  implementationDurationDays,
  MECHANISM_KINDS,
  MECHANISM_STATES,
  parseRiskInput,
  riskFlags,
  riskRating,
  riskScore,
  THREAT_NAMES,
  THREAT_SCENARIOS,
  threatName,
  type MechanismKind,
  type MechanismState,
} from '../domain/risks';
import { LostRaceError, type AppDeps, type StoredRisk } from '../ports';
import { requireService, serviceRef } from './bia';
import { peopleNamed } from './catalogue-views';
import { ofRisk, recordIndicatorChange } from './indicators';
import { requireManager } from './roles';

const CHANGE = 'change the risk register';
const DAY_MS = 86_400_000;

export const MECHANISM_KIND_NAMES: Record<MechanismKind, string> = { plan: 'Continuity plan', standby: 'Standby', 'vendor-contract': 'Vendor contract', backup: 'Backup', other: 'Other' };
export const MECHANISM_STATE_NAMES: Record<MechanismState, string> = { none: 'None', planned: 'Planned', 'in-place': 'In place', tested: 'Tested' };

export const RISK_CHOICES: RiskChoices = {
  threats: [...THREAT_SCENARIOS.map((id) => ({ id, name: THREAT_NAMES[id] })), { id: 'other' as const, name: 'Other (describe it)' }],
  mechanismKinds: MECHANISM_KINDS.map((id) => ({ id, name: MECHANISM_KIND_NAMES[id] })),
  mechanismStates: MECHANISM_STATES.map((id) => ({ id, name: MECHANISM_STATE_NAMES[id] })),
  plannedLimitDays: DEFAULT_PLANNED_LIMIT_DAYS,
};

export function riskView(risk: StoredRisk, now: number, people: ReadonlyMap<string, { accountId: string; displayName?: string }> = new Map()): RiskView {
  const score = riskScore(risk);
  const days = implementationDurationDays(risk);
  return {
    id: risk.id,
    version: risk.version,
    serviceId: risk.serviceId,
    threat: { ...risk.threat, name: threatName(risk.threat) },
    likelihood: risk.likelihood,
    impact: risk.impact,
    score,
    rating: riskRating(score),
    ...(risk.mechanism ? { mechanism: { ...risk.mechanism, kindName: MECHANISM_KIND_NAMES[risk.mechanism.kind], stateName: MECHANISM_STATE_NAMES[risk.mechanism.state] } } : {}),
    identifiedAt: risk.identifiedAt,
    ...(risk.mechanismPlannedAt !== undefined ? { mechanismPlannedAt: risk.mechanismPlannedAt } : {}),
    ...(risk.mechanismInPlaceAt !== undefined ? { mechanismInPlaceAt: risk.mechanismInPlaceAt } : {}),
    ...(days !== undefined ? { implementationDays: days } : {}),
    flags: riskFlags(risk, now),
    updatedAt: risk.updatedAt,
    updatedBy: people.get(risk.updatedBy) ?? { accountId: risk.updatedBy },
  };
}

export async function riskRegister(input: RiskListInput, deps: AppDeps): Promise<RiskRegisterView> {
  const [service, page] = await Promise.all([requireService(input.serviceId, deps), deps.measure.risksForService(input.serviceId, input.cursor)]);
  const people = await peopleNamed(page.items.map((r) => r.updatedBy), deps);
  const now = deps.clock.now();
  const risks = page.items.map((r) => riskView(r, now, people));
  const durations = risks.flatMap((r) => (r.implementationDays !== undefined ? [r.implementationDays] : []));
  return {
    service: serviceRef(service),
    risks,
    ...(page.cursor ? { cursor: page.cursor } : {}),
    choices: RISK_CHOICES,
    summary: {
      risks: risks.length,
      withoutMechanism: risks.filter((r) => (r.mechanism?.state ?? 'none') === 'none').length,
      flagged: risks.filter((r) => r.flags.length > 0).length,
      meanImplementationDays: durations.length === 0 ? null : Math.round((durations.reduce((a, b) => a + b, 0) / durations.length) * 10) / 10,
    },
  };
}

export async function saveRisk(input: SaveRiskInput, actor: string, deps: AppDeps): Promise<RiskView> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, CHANGE, settings);
  const parsed = parseRiskInput(input?.risk);
  const now = deps.clock.now();
  for (const [field, at] of [['identifiedAt', parsed.identifiedAt], ['mechanismPlannedAt', parsed.mechanismPlannedAt], ['mechanismInPlaceAt', parsed.mechanismInPlaceAt]] as const) {
    if (at !== undefined && at > now + DAY_MS) throw invalidInput('A date in the register cannot be in the future.', field);
  }
  const [service, existing] = await Promise.all([requireService(parsed.serviceId, deps), input.id === undefined ? Promise.resolve(undefined) : deps.measure.getRisk(input.id)]);
  if (input.id !== undefined && !existing) throw notFound('Risk', 'id');
  if (existing && existing.serviceId !== parsed.serviceId) throw invalidInput('A risk stays with its service: record it again for the other service.', 'serviceId');
  if (!existing && service.status === 'retired') throw conflict(`${service.name} is retired: restore it before recording risks.`);
  if (existing && existing.version !== (input.expectedVersion ?? existing.version)) {
    throw conflict('This risk was changed by someone else after you opened it: reload it and make your change again.');
  }
  const risk: StoredRisk = {
    id: existing?.id ?? `risk-${randomUUID()}`,
    ...parsed,
    version: existing?.version ?? 0,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    updatedBy: actor,
  };
  let saved: StoredRisk;
  try {
    saved = await deps.measure.saveRisk(risk, existing?.version ?? 0);
  } catch (error) {
    if (error instanceof LostRaceError) throw conflict('This risk was saved by someone else a moment ago: reload it and make your change again.');
    throw error;
  }
  await recordIndicatorChange(ofRisk(existing), ofRisk(saved), deps);
  return riskView(saved, now, await peopleNamed([actor], deps));
}

export async function deleteRisk(input: RiskRefInput, deps: AppDeps): Promise<{ id: string }> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, CHANGE, settings);
  const existing = await deps.measure.getRisk(input.id);
  if (!existing) throw notFound('Risk', 'id');
  if (existing.version !== input.expectedVersion) throw conflict('This risk was changed by someone else after you opened it: reload it before deleting it.');
  try {
    await deps.measure.deleteRisk(existing.id, existing.version);
  } catch (error) {
    if (error instanceof LostRaceError) throw conflict('This risk was changed by someone else a moment ago: reload it before deleting it.');
    throw error;
  }
  await recordIndicatorChange(ofRisk(existing), undefined, deps);
  return { id: existing.id };
}
