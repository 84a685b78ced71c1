/**
 * Matching an incident to the catalogue without reading the catalogue: the incident's Affected services
 * (or, when that field is empty, its components and labels, and the settings' fallback mappings) name
 * lookup keys, and the store answers each key with the services it stands for, kept current by every
 * catalogue write. One batch read, whatever the catalogue's size.
 */
import type { ServiceMatch } from './catalogue';
import type { ContinuitySettings, IncidentFacts } from './incident';

export type MatchKey = { kind: 'jsm' | 'component' | 'label' | 'service'; value: string };

/** Components and labels match case-insensitively; JSM service ids and catalogue ids exactly. */
export function normaliseMatchValue(key: MatchKey): string {
  return key.kind === 'component' || key.kind === 'label' ? key.value.trim().toLowerCase() : key.value.trim();
}

export function matchKeyString(key: MatchKey): string {
  return `${key.kind}:${normaliseMatchValue(key)}`;
}

/**
 * The keys to look up for an incident: its Affected services; when that field is empty, its components
 * and labels, and the catalogue services the settings map them to.
 */
export function matchKeys(incident: IncidentFacts, settings: Pick<ContinuitySettings, 'fallbackMappings'>): MatchKey[] {
  if (incident.affectedServiceIds.length > 0) return unique(incident.affectedServiceIds.map((value) => ({ kind: 'jsm' as const, value })));
  const components = new Set(incident.components.map((c) => c.trim().toLowerCase()));
  const labels = new Set(incident.labels.map((l) => l.trim().toLowerCase()));
  const mapped = (settings.fallbackMappings ?? [])
    .filter((m) => (m.kind === 'component' ? components : labels).has(m.value.trim().toLowerCase()))
    .map((m) => ({ kind: 'service' as const, value: m.serviceId }));
  return unique([
    ...[...components].map((value) => ({ kind: 'component' as const, value })),
    ...[...labels].map((value) => ({ kind: 'label' as const, value })),
    ...mapped,
  ]);
}

function unique(keys: MatchKey[]): MatchKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => normaliseMatchValue(k) !== '' && !seen.has(matchKeyString(k)) && Boolean(seen.add(matchKeyString(k))));
}

/**
 * The services the looked-up keys stand for, each once, in the order of the keys. `found` maps
 * matchKeyString(key) to that key's services.
 */
export function matchedServices(keys: readonly MatchKey[], found: ReadonlyMap<string, readonly ServiceMatch[]>): ServiceMatch[] {
  const out = new Map<string, ServiceMatch>();
  for (const key of keys) for (const match of found.get(matchKeyString(key)) ?? []) if (!out.has(match.service.id)) out.set(match.service.id, match);
  return [...out.values()];
}

/** The Affected services values (or components and labels) that matched no catalogued service. */
export function unmatchedValues(keys: readonly MatchKey[], found: ReadonlyMap<string, readonly ServiceMatch[]>): MatchKey[] {
  return keys.filter((k) => k.kind !== 'service' && (found.get(matchKeyString(k)) ?? []).length === 0);
}
