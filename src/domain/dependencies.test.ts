import { cycleGroups, cycleThrough, findCycle, recoveryOrder, wouldCreateCycle, type DependencyNode } from './dependencies';
import { deepFreeze } from './testing';

const node = (id: string, name: string, dependsOn: string[] = []): DependencyNode => ({ id, name, dependsOn });
const graph = (...nodes: DependencyNode[]) => deepFreeze(nodes);

describe('findCycle', () => {
  it('finds none in a chain, a diamond, or an empty catalogue', () => {
    expect(findCycle([])).toBeUndefined();
    expect(findCycle(graph(node('web', 'Web', ['api']), node('api', 'API', ['db']), node('db', 'DB')))).toBeUndefined();
    expect(findCycle(graph(node('a', 'A', ['b', 'c']), node('b', 'B', ['d']), node('c', 'C', ['d']), node('d', 'D')))).toBeUndefined();
  });

  it('names a two-service cycle from the first service back to itself', () => {
    expect(findCycle(graph(node('pay', 'Payments', ['led']), node('led', 'Ledger', ['pay'])))).toEqual(['Payments', 'Ledger', 'Payments']);
  });

  it('names a longer cycle entered from outside it, without the way in', () => {
    const services = graph(node('web', 'Web', ['a']), node('a', 'A', ['b']), node('b', 'B', ['c']), node('c', 'C', ['a']));
    expect(findCycle(services)).toEqual(['A', 'B', 'C', 'A']);
  });

  it('finds a service that depends on itself', () => {
    expect(findCycle(graph(node('x', 'X', ['x'])))).toEqual(['X', 'X']);
  });

  it('ignores dependencies on services not in the catalogue', () => {
    expect(findCycle(graph(node('a', 'A', ['gone']), node('b', 'B', ['a'])))).toBeUndefined();
  });

  it('walks a chain of 20,000 services without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => node(`s${i}`, `S${i}`, i + 1 < 20_000 ? [`s${i + 1}`] : ['s0']));
    const cycle = findCycle(chain);
    expect(cycle).toHaveLength(20_001);
    expect(cycle?.[0]).toBe('S0');
    expect(cycle?.[20_000]).toBe('S0');
  });
});

describe('wouldCreateCycle', () => {
  const services = graph(node('portal', 'Customer portal', ['api']), node('api', 'Orders API', ['db']), node('db', 'Orders DB'), node('rep', 'Reporting'));

  it('is undefined when the new dependencies close no loop', () => {
    expect(wouldCreateCycle(services, 'db', ['rep'])).toBeUndefined();
    expect(wouldCreateCycle(services, 'portal', ['api', 'rep'])).toBeUndefined();
  });

  it('names the loop a new dependency would close', () => {
    expect(wouldCreateCycle(services, 'db', ['portal'])).toEqual(['Orders DB', 'Customer portal', 'Orders API', 'Orders DB']);
    expect(wouldCreateCycle(services, 'db', ['rep', 'api'])).toEqual(['Orders DB', 'Orders API', 'Orders DB']);
  });

  it('refuses a service depending on itself', () => {
    expect(wouldCreateCycle(services, 'rep', ['rep'])).toEqual(['Reporting', 'Reporting']);
  });

  it('does not blame the change for a cycle elsewhere', () => {
    const withCycle = graph(...services, node('x', 'X', ['y']), node('y', 'Y', ['x']));
    expect(wouldCreateCycle(withCycle, 'rep', ['db'])).toBeUndefined();
  });

  it('sees that removing a dependency breaks the loop', () => {
    const looped = graph(node('a', 'A', ['b']), node('b', 'B', ['a']));
    expect(wouldCreateCycle(looped, 'a', [])).toBeUndefined();
  });

  it('knows a new service cannot be in a loop unless it depends on itself', () => {
    expect(wouldCreateCycle(services, 'new', ['portal'])).toBeUndefined();
  });
});

describe('cycleThrough and cycleGroups', () => {
  const services = graph(
    node('a', 'A', ['b']),
    node('b', 'B', ['c', 'a']),
    node('c', 'C', ['a']),
    node('d', 'D', ['d']),
    node('e', 'E', ['a']),
  );

  it('finds the shortest cycle through a service', () => {
    expect(cycleThrough(services, 'a')).toEqual(['a', 'b', 'a']);
    expect(cycleThrough(services, 'c')).toEqual(['c', 'a', 'b', 'c']);
    expect(cycleThrough(services, 'e')).toBeUndefined();
  });

  it('groups services that depend on each other, and self-loops', () => {
    expect(cycleGroups(services)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(cycleGroups(graph(node('a', 'A', ['b']), node('b', 'B')))).toEqual([]);
  });
});

describe('recoveryOrder', () => {
  const services = graph(
    node('portal', 'Customer portal', ['rep', 'api']),
    node('api', 'Orders API', ['db']),
    node('db', 'Orders DB'),
    node('rep', 'Reporting'),
    node('mail', 'Mail'),
    node('web', 'Web shop', ['api']),
  );

  it('puts dependencies first and says why', () => {
    expect(recoveryOrder(['portal', 'rep'], services)).toEqual([
      { serviceId: 'rep', name: 'Reporting', after: [], inCycle: false, reason: 'Reporting first: Customer portal depends on it.' },
      { serviceId: 'portal', name: 'Customer portal', after: ['rep'], inCycle: false, reason: 'Customer portal after Reporting, which it depends on.' },
    ]);
  });

  it('orders through services outside the recovery', () => {
    // The portal needs the DB through the Orders API, which is not being recovered.
    expect(recoveryOrder(['portal', 'db'], services).map((s) => s.reason)).toEqual([
      'Orders DB first: Customer portal depends on it.',
      'Customer portal after Orders DB, which it depends on.',
    ]);
  });

  it('names only the nearest services in a chain, and breaks ties by name', () => {
    const order = recoveryOrder(['web', 'portal', 'db', 'api', 'mail'], services);
    expect(order.map((s) => s.name)).toEqual(['Mail', 'Orders DB', 'Orders API', 'Customer portal', 'Web shop']);
    expect(order.map((s) => s.reason)).toEqual([
      'Mail: no dependency on the other services being recovered.',
      'Orders DB first: Orders API depends on it.',
      'Orders API after Orders DB, which it depends on; Customer portal and Web shop depend on it.',
      'Customer portal after Orders API, which it depends on.',
      'Web shop after Orders API, which it depends on.',
    ]);
  });

  it('is the same whatever order the ids come in', () => {
    const ids = ['web', 'portal', 'db', 'api', 'mail', 'rep'];
    const expected = recoveryOrder(ids, services).map((s) => s.serviceId);
    expect(recoveryOrder([...ids].reverse(), services).map((s) => s.serviceId)).toEqual(expected);
    expect(recoveryOrder(ids, [...services].reverse()).map((s) => s.serviceId)).toEqual(expected);
  });

  it('recovers a cycle together, after what it needs outside the cycle', () => {
    const looped = graph(node('pay', 'Payments', ['led', 'db']), node('led', 'Ledger', ['pay']), node('db', 'Database'), node('web', 'Web', ['pay']));
    expect(recoveryOrder(['web', 'led', 'pay', 'db'], looped)).toEqual([
      { serviceId: 'db', name: 'Database', after: [], inCycle: false, reason: 'Database first: Ledger and Payments depend on it.' },
      {
        serviceId: 'led',
        name: 'Ledger',
        after: ['db'],
        inCycle: true,
        reason: 'Ledger and Payments depend on each other (a cycle): recover them together; after Database; Web depends on it.',
      },
      {
        serviceId: 'pay',
        name: 'Payments',
        after: ['db'],
        inCycle: true,
        reason: 'Payments and Ledger depend on each other (a cycle): recover them together; after Database; Web depends on it.',
      },
      { serviceId: 'web', name: 'Web', after: ['led', 'pay'], inCycle: false, reason: 'Web after Ledger and Payments, which it depends on.' },
    ]);
  });

  it('puts ids not in the catalogue last and ignores repeats', () => {
    expect(recoveryOrder(['ghost', 'rep', 'rep'], services)).toEqual([
      { serviceId: 'rep', name: 'Reporting', after: [], inCycle: false, reason: 'Reporting: no dependency on the other services being recovered.' },
      { serviceId: 'ghost', name: 'ghost', after: [], inCycle: false, reason: 'ghost is not in the catalogue, so its dependencies are unknown.' },
    ]);
  });

  it('shortens a long list of dependents', () => {
    const hub = graph(node('db', 'DB'), ...['A', 'B', 'C', 'D', 'E'].map((n) => node(n, n, ['db'])));
    expect(recoveryOrder(['db', 'A', 'B', 'C', 'D', 'E'], hub)[0]?.reason).toBe('DB first: A, B, C and 2 more depend on it.');
  });
});
