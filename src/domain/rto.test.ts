import type { Service } from './catalogue';
import { effectiveRto, rtoClockState, rtoDueAt } from './rto';
import { aService, deepFreeze, MINUTE, T0 } from './testing';

const catalogue = (...services: Service[]): ReadonlyMap<string, Service> => deepFreeze(new Map(services.map((s) => [s.id, deepFreeze(s)])));

describe('effectiveRto', () => {
  it('is the service\'s own RTO when it has no dependencies', () => {
    expect(effectiveRto('web', catalogue(aService({ id: 'web', rtoMinutes: 30 })))).toEqual({ ownMinutes: 30, effectiveMinutes: 30, chain: ['web'], inversions: [], cycles: [] });
  });

  it('takes the longest RTO along a chain and reports the chain to the slowest dependency', () => {
    const services = catalogue(
      aService({ id: 'web', rtoMinutes: 30, dependsOn: ['api'] }),
      aService({ id: 'api', rtoMinutes: 60, dependsOn: ['db'] }),
      aService({ id: 'db', rtoMinutes: 240 }),
    );
    const rto = effectiveRto('web', services);
    expect(rto).toMatchObject({ ownMinutes: 30, effectiveMinutes: 240, chain: ['web', 'api', 'db'], cycles: [] });
  });

  it('names every slower dependency, direct or transitive, as an inversion', () => {
    const services = catalogue(
      aService({ id: 'web', name: 'Web shop', rtoMinutes: 30, dependsOn: ['api'] }),
      aService({ id: 'api', name: 'Orders API', rtoMinutes: 60, dependsOn: ['db', 'cache'] }),
      aService({ id: 'db', name: 'Orders DB', rtoMinutes: 240 }),
      aService({ id: 'cache', name: 'Cache', rtoMinutes: 15 }),
    );
    expect(effectiveRto('web', services).inversions).toEqual([
      { dependencyId: 'api', dependencyName: 'Orders API', dependencyRtoMinutes: 60 },
      { dependencyId: 'db', dependencyName: 'Orders DB', dependencyRtoMinutes: 240 },
    ]);
    // From the API's point of view only the database is slower.
    expect(effectiveRto('api', services).inversions).toEqual([{ dependencyId: 'db', dependencyName: 'Orders DB', dependencyRtoMinutes: 240 }]);
  });

  it('has no inversion when dependencies are as fast or faster, and then keeps the own RTO', () => {
    const services = catalogue(aService({ id: 'web', rtoMinutes: 60, dependsOn: ['db'] }), aService({ id: 'db', rtoMinutes: 60 }));
    expect(effectiveRto('web', services)).toMatchObject({ effectiveMinutes: 60, chain: ['web'], inversions: [] });
  });

  it('counts a diamond\'s shared dependency once', () => {
    const services = catalogue(
      aService({ id: 'web', rtoMinutes: 15, dependsOn: ['left', 'right'] }),
      aService({ id: 'left', rtoMinutes: 30, dependsOn: ['db'] }),
      aService({ id: 'right', rtoMinutes: 45, dependsOn: ['db'] }),
      aService({ id: 'db', rtoMinutes: 120 }),
    );
    const rto = effectiveRto('web', services);
    expect(rto.effectiveMinutes).toBe(120);
    expect(rto.chain).toEqual(['web', 'left', 'db']);
    expect(rto.inversions.map((i) => i.dependencyId)).toEqual(['left', 'db', 'right']);
    expect(rto.cycles).toEqual([]);
  });

  it('reports a cycle, still finds the longest RTO reachable, and terminates', () => {
    const services = catalogue(
      aService({ id: 'a', rtoMinutes: 10, dependsOn: ['b'] }),
      aService({ id: 'b', rtoMinutes: 20, dependsOn: ['c'] }),
      aService({ id: 'c', rtoMinutes: 90, dependsOn: ['a'] }),
    );
    const rto = effectiveRto('a', services);
    expect(rto.effectiveMinutes).toBe(90);
    expect(rto.chain).toEqual(['a', 'b', 'c']);
    expect(rto.cycles).toEqual([['a', 'b', 'c', 'a']]);
    expect(rto.inversions.map((i) => i.dependencyId)).toEqual(['b', 'c']);
  });

  it('survives a service that depends on itself', () => {
    expect(effectiveRto('a', catalogue(aService({ id: 'a', rtoMinutes: 10, dependsOn: ['a'] })))).toEqual({ ownMinutes: 10, effectiveMinutes: 10, chain: ['a'], inversions: [], cycles: [['a', 'a']] });
  });

  it('finds the slowest service inside a cycle reached through a second cycle', () => {
    // x -> y -> x, y -> z -> y, z is the slowest.
    const services = catalogue(
      aService({ id: 'x', rtoMinutes: 10, dependsOn: ['y'] }),
      aService({ id: 'y', rtoMinutes: 20, dependsOn: ['x', 'z'] }),
      aService({ id: 'z', rtoMinutes: 300, dependsOn: ['y'] }),
    );
    const rto = effectiveRto('x', services);
    expect(rto.effectiveMinutes).toBe(300);
    expect(rto.cycles).toEqual([
      ['x', 'y', 'x'],
      ['y', 'z', 'y'],
    ]);
  });

  it('stays fast on a large, densely cyclic graph (every service depends on every other)', () => {
    const n = 60;
    const ids = Array.from({ length: n }, (_, i) => `s${i}`);
    const services = catalogue(...ids.map((id, i) => aService({ id, rtoMinutes: i + 1, dependsOn: ids.filter((d) => d !== id) })));
    const started = Date.now();
    const rto = effectiveRto('s0', services);
    expect(rto.effectiveMinutes).toBe(n);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stays fast on a long layered graph with many paths (memoised, not exponential)', () => {
    // 30 layers of 2 services, each depending on both services of the next layer: 2^30 paths.
    const services: Service[] = [];
    for (let layer = 0; layer < 30; layer += 1) {
      for (const side of ['l', 'r']) {
        const next = layer < 29 ? [`l${layer + 1}`, `r${layer + 1}`] : [];
        services.push(aService({ id: `${side}${layer}`, rtoMinutes: layer === 29 && side === 'r' ? 999 : 5, dependsOn: next }));
      }
    }
    const started = Date.now();
    expect(effectiveRto('l0', catalogue(...services)).effectiveMinutes).toBe(999);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ignores dependencies missing from the catalogue', () => {
    const rto = effectiveRto('web', catalogue(aService({ id: 'web', rtoMinutes: 30, dependsOn: ['gone'] })));
    expect(rto).toEqual({ ownMinutes: 30, effectiveMinutes: 30, chain: ['web'], inversions: [], cycles: [] });
  });

  it('throws for an unknown service', () => {
    expect(() => effectiveRto('nope', catalogue())).toThrow('Unknown service nope');
  });
});

describe('rtoDueAt and rtoClockState', () => {
  it('starts the clock at the incident creation', () => {
    expect(rtoDueAt(T0, 60)).toBe(T0 + 60 * MINUTE);
  });

  it('is running before 75 %, warning from 75 %, breached from the due time', () => {
    const due = T0 + 60 * MINUTE;
    expect(rtoClockState(T0, due, T0 + 45 * MINUTE - 1)).toBe('running');
    expect(rtoClockState(T0, due, T0 + 45 * MINUTE)).toBe('warning');
    expect(rtoClockState(T0, due, due - 1)).toBe('warning');
    expect(rtoClockState(T0, due, due)).toBe('breached');
  });
});
