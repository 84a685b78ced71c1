/**
 * The dependency graph of the catalogue: a service depends on the services it cannot recover without.
 * A cycle means neither can come back first, so the catalogue refuses new ones and names them; the
 * recovery order puts dependencies before the services that need them and says why, for the person
 * recovering several services at 3 a.m. Dependencies on ids that are not in the catalogue are ignored.
 * Graph walks are iterative: a chain of thousands of services must not overflow the stack.
 */
import type { Service } from './catalogue';

export type DependencyNode = Pick<Service, 'id' | 'name'> & { readonly dependsOn: readonly string[] };

type Graph = ReadonlyMap<string, DependencyNode>;

const graphOf = (services: readonly DependencyNode[]): Graph => new Map(services.map((s) => [s.id, s]));

const nameOf = (graph: Graph, id: string) => graph.get(id)?.name ?? id;

/** Dependencies that are in the graph, in the order given, each once. */
const edges = (graph: Graph, id: string): string[] => [...new Set(graph.get(id)?.dependsOn ?? [])].filter((dep) => graph.has(dep));

/**
 * The first dependency cycle found, as names from a service back to itself (["Payments", "Ledger",
 * "Payments"]), or undefined. Services are searched in the order given, dependencies in their order.
 */
export function findCycle(services: readonly DependencyNode[]): string[] | undefined {
  const graph = graphOf(services);
  const ids = findCycleIds(graph);
  return ids?.map((id) => nameOf(graph, id));
}

function findCycleIds(graph: Graph): string[] | undefined {
  const done = new Set<string>();
  for (const start of graph.keys()) {
    if (done.has(start)) continue;
    // Depth-first with an explicit stack of [id, index of the next dependency to visit].
    const path: string[] = [];
    const onPath = new Set<string>();
    const stack: Array<[string, number]> = [[start, 0]];
    path.push(start);
    onPath.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = edges(graph, top[0]);
      if (top[1] >= deps.length) {
        stack.pop();
        path.pop();
        onPath.delete(top[0]);
        done.add(top[0]);
        continue;
      }
      const dep = deps[top[1]]!;
      top[1] += 1;
      if (onPath.has(dep)) return [...path.slice(path.indexOf(dep)), dep];
      if (done.has(dep)) continue;
      stack.push([dep, 0]);
      path.push(dep);
      onPath.add(dep);
    }
  }
  return undefined;
}

/** The shortest path of dependencies from `from` to `to` (both included), or undefined. */
function shortestPath(graph: Graph, from: string, to: string): string[] | undefined {
  const previous = new Map<string, string | undefined>([[from, undefined]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i += 1) {
    const id = queue[i]!;
    if (id === to) {
      const path: string[] = [];
      for (let at: string | undefined = id; at !== undefined; at = previous.get(at)) path.unshift(at);
      return path;
    }
    for (const dep of edges(graph, id)) {
      if (!previous.has(dep)) {
        previous.set(dep, id);
        queue.push(dep);
      }
    }
  }
  return undefined;
}

/** The shortest cycle through `serviceId`, as ids from it back to itself, or undefined. */
export function cycleThrough(services: readonly DependencyNode[], serviceId: string): string[] | undefined {
  const graph = graphOf(services);
  let best: string[] | undefined;
  for (const dep of edges(graph, serviceId)) {
    const back = shortestPath(graph, dep, serviceId);
    if (back && (!best || back.length + 1 < best.length)) best = [serviceId, ...back];
  }
  return best;
}

/**
 * Whether giving `serviceId` the dependencies `newDependsOn` would close a cycle: the shortest such
 * cycle as names from the service back to itself, or undefined. Cycles elsewhere in the catalogue,
 * which this change neither makes nor mends, do not count.
 */
export function wouldCreateCycle(services: readonly DependencyNode[], serviceId: string, newDependsOn: readonly string[]): string[] | undefined {
  const current = services.find((s) => s.id === serviceId);
  const changed: DependencyNode = { id: serviceId, name: current?.name ?? serviceId, dependsOn: newDependsOn };
  const next = [...services.filter((s) => s.id !== serviceId), changed];
  const ids = cycleThrough(next, serviceId);
  return ids?.map((id) => nameOf(graphOf(next), id));
}

/**
 * Groups of services that depend on each other, directly or around a loop (the strongly connected
 * components with more than one member, or a service that depends on itself), each in the order the
 * services were given. Tarjan's algorithm, iterative.
 */
export function cycleGroups(services: readonly DependencyNode[]): string[][] {
  const graph = graphOf(services);
  const order = new Map(services.map((s, i) => [s.id, i]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<[string, number]> = [[start, 0]];
    index.set(start, next);
    low.set(start, next);
    next += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [id] = top;
      const deps = edges(graph, id);
      if (top[1] < deps.length) {
        const dep = deps[top[1]]!;
        top[1] += 1;
        if (!index.has(dep)) {
          index.set(dep, next);
          low.set(dep, next);
          next += 1;
          stack.push(dep);
          onStack.add(dep);
          work.push([dep, 0]);
        } else if (onStack.has(dep)) {
          low.set(id, Math.min(low.get(id)!, index.get(dep)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(id)!));
      if (low.get(id) === index.get(id)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== id);
        if (group.length > 1 || edges(graph, id).includes(id)) groups.push(group.sort((a, b) => order.get(a)! - order.get(b)!));
      }
    }
  }
  return groups.sort((a, b) => order.get(a[0]!)! - order.get(b[0]!)!);
}

// ---- Recovery order ----

export interface RecoveryStepOrder {
  serviceId: string;
  name: string;
  /** Services in this recovery it waits for (the nearest ones, not every one further down the chain). */
  after: string[];
  /** Part of a dependency cycle among the services being recovered: recover together. */
  inCycle: boolean;
  reason: string;
}

/** "A", "A and B", "A, B and C", "A, B, C and 2 more". */
function names(list: readonly string[]): string {
  if (list.length <= 1) return list.join('');
  const shown = list.length > 3 ? list.slice(0, 3) : list.slice(0, -1);
  const last = list.length > 3 ? `${list.length - 3} more` : list[list.length - 1];
  return `${shown.join(', ')} and ${last}`;
}

const dependVerb = (count: number) => (count === 1 ? 'depends' : 'depend');

function reachableFrom(graph: Graph, id: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...edges(graph, id)];
  for (let i = 0; i < queue.length; i += 1) {
    const next = queue[i]!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...edges(graph, next));
  }
  return seen;
}

type Reach = ReadonlyMap<string, ReadonlySet<string>>;
/** `a` needs `b` only through a chain, not the other way round too (that would be a cycle). */
const onlyThrough = (reach: Reach, a: string, b: string) => a !== b && !!reach.get(a)?.has(b) && !reach.get(b)?.has(a);

/** Needs not met through another need: "after B", not "after B and C" when B itself needs C. */
const nearestNeeds = (ids: readonly string[], reach: Reach) => ids.filter((id) => !ids.some((other) => onlyThrough(reach, other, id)));

/** Dependents that do not need it through another dependent: "A depends on it", not "A and B" when A needs B. */
const nearestDependents = (ids: readonly string[], reach: Reach) => ids.filter((id) => !ids.some((other) => onlyThrough(reach, id, other)));

/**
 * The order to recover `serviceIds` in: every service after the services it depends on, directly or
 * through services outside this recovery; otherwise by name (then id), so the order is stable. Each
 * entry says why it sits where it does ("Reporting first: Customer portal depends on it"). Services
 * in a cycle come together, as soon as everything they need outside the cycle is back. Ids not in the
 * catalogue come last, in the order given.
 */
export function recoveryOrder(serviceIds: readonly string[], services: readonly DependencyNode[]): RecoveryStepOrder[] {
  const graph = graphOf(services);
  const wanted = [...new Set(serviceIds)];
  const known = wanted.filter((id) => graph.has(id));
  const unknown = wanted.filter((id) => !graph.has(id));
  const set = new Set(known);
  const reach = new Map(known.map((id) => [id, reachableFrom(graph, id)]));
  const needs = new Map(known.map((id) => [id, new Set([...reach.get(id)!].filter((d) => set.has(d) && d !== id))]));
  const dependents = new Map(known.map((id) => [id, new Set(known.filter((other) => other !== id && needs.get(other)!.has(id)))]));
  const byName = (a: string, b: string) => nameOf(graph, a).localeCompare(nameOf(graph, b)) || (a < b ? -1 : a > b ? 1 : 0);

  const placed = new Set<string>();
  const result: RecoveryStepOrder[] = [];
  const place = (id: string, inCycle: boolean, cycle: readonly string[]) => {
    placed.add(id);
    const after = nearestNeeds([...needs.get(id)!].filter((d) => !cycle.includes(d)), reach).sort(byName);
    const before = nearestDependents([...dependents.get(id)!].filter((d) => !cycle.includes(d)), reach).sort(byName);
    result.push({ serviceId: id, name: nameOf(graph, id), after, inCycle, reason: reasonFor(id, after, before, cycle) });
  };
  const reasonFor = (id: string, after: string[], before: string[], cycle: readonly string[]): string => {
    const name = nameOf(graph, id);
    const afterNames = names(after.map((d) => nameOf(graph, d)));
    const beforeNames = names(before.map((d) => nameOf(graph, d)));
    const needed = before.length > 0 ? `${beforeNames} ${dependVerb(before.length)} on it` : '';
    if (cycle.length > 0) {
      const others = names(cycle.filter((c) => c !== id).map((c) => nameOf(graph, c)));
      const prefix = `${name} and ${others} depend on each other (a cycle): recover them together`;
      return `${[prefix, after.length > 0 ? `after ${afterNames}` : '', needed].filter(Boolean).join('; ')}.`;
    }
    if (after.length === 0 && before.length > 0) return `${name} first: ${needed}.`;
    if (after.length > 0 && before.length > 0) return `${name} after ${afterNames}, which it depends on; ${needed}.`;
    if (after.length > 0) return `${name} after ${afterNames}, which it depends on.`;
    return `${name}: no dependency on the other services being recovered.`;
  };

  while (placed.size < known.length) {
    const remaining = known.filter((id) => !placed.has(id));
    const ready = remaining.filter((id) => [...needs.get(id)!].every((d) => placed.has(d))).sort(byName);
    if (ready.length > 0) {
      place(ready[0]!, false, []);
      continue;
    }
    // Stuck: some services need each other. Release the cycle whose outside needs are all met, first by name.
    const cycles = remaining
      .map((id) => remaining.filter((other) => other === id || (needs.get(id)!.has(other) && needs.get(other)!.has(id))).sort(byName))
      .filter((group) => group.every((member) => [...needs.get(member)!].every((d) => placed.has(d) || group.includes(d))))
      .sort((a, b) => byName(a[0]!, b[0]!));
    const cycle = cycles[0]!;
    for (const member of cycle) place(member, true, cycle);
  }
  for (const id of unknown) {
    result.push({ serviceId: id, name: id, after: [], inCycle: false, reason: `${id} is not in the catalogue, so its dependencies are unknown.` });
  }
  return result;
}
