/**
 * RTO arithmetic. A service cannot be back before the services it depends on, so its effective RTO is
 * the longest RTO along its dependency chains. When a dependency's own RTO exceeds the service's, the
 * target is unreachable as written: that is an inversion, and people must see it.
 */
import type { Service } from './catalogue';

export interface RtoInversion {
  dependencyId: string;
  dependencyName: string;
  dependencyRtoMinutes: number;
}

export interface EffectiveRto {
  /** The service's own target. */
  ownMinutes: number;
  /** The longest RTO along its dependency chains (>= ownMinutes). */
  effectiveMinutes: number;
  /** The chain that sets the effective RTO, from the service to the slowest dependency. */
  chain: string[];
  /** Dependencies whose RTO is longer than this service's own. */
  inversions: RtoInversion[];
  /** Dependencies that form a cycle (ignored for the arithmetic, reported). */
  cycles: string[][];
}

export function effectiveRto(serviceId: string, services: ReadonlyMap<string, Service>): EffectiveRto {
  const root = services.get(serviceId);
  if (!root) throw new Error(`Unknown service ${serviceId}`);
  const cycles: string[][] = [];
  const memo = new Map<string, { minutes: number; chain: string[] }>();

  const visit = (id: string, path: string[]): { minutes: number; chain: string[] } => {
    const cached = memo.get(id);
    if (cached) return cached;
    const service = services.get(id);
    if (!service) return { minutes: 0, chain: [] };
    let best = { minutes: service.rtoMinutes, chain: [id] };
    for (const dep of service.dependsOn) {
      if (path.includes(dep)) {
        cycles.push([...path.slice(path.indexOf(dep)), dep]);
        continue;
      }
      const sub = visit(dep, [...path, dep]);
      if (sub.minutes > best.minutes) best = { minutes: sub.minutes, chain: [id, ...sub.chain] };
    }
    memo.set(id, best);
    return best;
  };

  const result = visit(serviceId, [serviceId]);
  const inversions: RtoInversion[] = [];
  const seen = new Set<string>();
  const walk = (id: string, path: string[]) => {
    for (const dep of services.get(id)?.dependsOn ?? []) {
      if (path.includes(dep) || seen.has(dep)) continue;
      seen.add(dep);
      const d = services.get(dep);
      if (d && d.rtoMinutes > root.rtoMinutes) {
        inversions.push({ dependencyId: d.id, dependencyName: d.name, dependencyRtoMinutes: d.rtoMinutes });
      }
      walk(dep, [...path, dep]);
    }
  };
  walk(serviceId, [serviceId]);
  return { ownMinutes: root.rtoMinutes, effectiveMinutes: result.minutes, chain: result.chain, inversions, cycles };
}

const MINUTE = 60_000;

/** When the RTO runs out: the clock starts when the incident was created. */
export function rtoDueAt(incidentCreatedAt: number, rtoMinutes: number): number {
  return incidentCreatedAt + rtoMinutes * MINUTE;
}

export type RtoClockState = 'running' | 'warning' | 'breached';

/** Neutral until the last 25 % of the RTO, then warning (amber), then breached (red). */
export function rtoClockState(startedAt: number, dueAt: number, now: number): RtoClockState {
  if (now >= dueAt) return 'breached';
  const elapsed = (now - startedAt) / Math.max(1, dueAt - startedAt);
  return elapsed >= 0.75 ? 'warning' : 'running';
}
