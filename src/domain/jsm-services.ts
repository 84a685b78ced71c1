/**
 * Learning a site's JSM services from its incidents. Forge apps cannot call JSM's services API, and a
 * site may have no Assets the app can read; every site with JSM has incidents whose Affected services
 * field names services. Reading those values gives the ids exactly as incidents carry them, which are
 * the ids the trigger matches on, so a mapping made from this list cannot disagree with what a P1 says.
 */
import type { JsmDirectory, JsmServiceSeen } from '../ports';

/** The most services the directory keeps (newest seen first): a bound on one stored value. */
export const DIRECTORY_LIMIT = 500;

/**
 * The services an Affected services value names: `[{ id, name }]` as Jira answers the field (the same
 * `id` the incident path reads). Values without an id are skipped; a missing name falls back to the id.
 */
export function affectedServiceValues(value: unknown): Array<{ id: string; name: string }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!entry || typeof entry !== 'object') return [];
    const { id, name } = entry as { id?: unknown; name?: unknown };
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') return [];
    return [{ id: String(id), name: typeof name === 'string' && name.trim() !== '' ? name.trim() : String(id) }];
  });
}

/** Each service named on the incidents read, with how many named it and when last. */
export function servicesSeen(incidents: ReadonlyArray<{ created: number; value: unknown }>): JsmServiceSeen[] {
  const byId = new Map<string, JsmServiceSeen>();
  for (const incident of incidents) {
    for (const { id, name } of affectedServiceValues(incident.value)) {
      const known = byId.get(id);
      if (!known) byId.set(id, { id, name, source: 'incidents', incidents: 1, lastSeenAt: incident.created });
      else {
        const newer = incident.created > (known.lastSeenAt ?? 0);
        byId.set(id, { ...known, incidents: known.incidents + 1, lastSeenAt: Math.max(known.lastSeenAt ?? 0, incident.created), name: newer ? name : known.name });
      }
    }
  }
  return [...byId.values()];
}

/**
 * The directory after a new reading: what incidents name now wins (name, count, last seen); services
 * only Assets lists are added; services seen before and not now are kept (an old incident named them),
 * newest first, up to DIRECTORY_LIMIT.
 */
export function mergeDirectory(previous: JsmDirectory | undefined, seen: readonly JsmServiceSeen[], assets: ReadonlyArray<{ id: string; name: string }>): JsmServiceSeen[] {
  const byId = new Map<string, JsmServiceSeen>();
  for (const old of previous?.services ?? []) byId.set(old.id, old);
  for (const now of seen) {
    const old = byId.get(now.id);
    byId.set(now.id, old && old.source === 'incidents' ? { ...now, lastSeenAt: Math.max(now.lastSeenAt ?? 0, old.lastSeenAt ?? 0) } : now);
  }
  for (const asset of assets) if (!byId.has(asset.id)) byId.set(asset.id, { id: asset.id, name: asset.name, source: 'assets', incidents: 0 });
  return [...byId.values()]
    .sort((a, b) => (b.lastSeenAt ?? 0) - (a.lastSeenAt ?? 0) || a.name.localeCompare(b.name))
    .slice(0, DIRECTORY_LIMIT)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The JQL clause for a custom field by id (`customfield_10050` → `cf[10050]`), as JQL names it. */
export function fieldClause(fieldId: string): string {
  const number = /^customfield_(\d+)$/.exec(fieldId)?.[1];
  return number ? `cf[${number}]` : JSON.stringify(fieldId);
}

/** Incidents with Affected services, newest first, in the settings' projects when they name any. */
export function affectedServicesJql(fieldId: string, projectKeys: readonly string[]): string {
  const projects = projectKeys.length > 0 ? `project in (${projectKeys.map((k) => JSON.stringify(k)).join(', ')}) AND ` : '';
  return `${projects}${fieldClause(fieldId)} is not EMPTY ORDER BY created DESC`;
}
