import { invocationComment } from './adf';
import type { Invocation } from './invocation';

const T0 = Date.parse('2026-11-22T03:00:00Z');
const textOf = (node: any): string => (node.type === 'text' ? node.text : node.type === 'mention' ? node.attrs.text : (node.content ?? []).map(textOf).join(node.type === 'doc' ? '\n' : ''));

function invocation(over: Partial<Invocation>): Invocation {
  return {
    id: 'inv-1',
    issueId: '10001',
    issueKey: 'OPS-2',
    planId: 'plan-portal',
    serviceId: 'svc-portal',
    plan: { id: 'plan-portal', title: 'Customer portal continuity plan', status: 'approved', steps: [], commsTemplates: [] },
    service: { id: 'svc-portal', name: 'Customer portal', tier: 2 },
    state: 'open',
    startedAt: T0,
    rtoMinutes: 240,
    ownRtoMinutes: 240,
    rpoMinutes: 60,
    rtoDueAt: T0 + 240 * 60_000,
    inversions: [],
    timeline: [],
    ...over,
  } as Invocation;
}

describe('the invocation comment', () => {
  it('gives the RTO and the time to recover by when the service sets its own pace', () => {
    expect(textOf(invocationComment(invocation({})))).toBe('Continuity plan Customer portal continuity plan invoked for Customer portal. RTO 4 h: recover by 22 Nov 2026, 07:00 UTC. RPO 1 h.');
  });

  it('puts the committed RTO first and names the dependency that holds the service back', () => {
    const slowed = invocation({ rtoMinutes: 1440, rtoDueAt: T0 + 1440 * 60_000, inversions: [{ dependencyId: 'svc-reporting', dependencyName: 'Reporting', dependencyRtoMinutes: 1440 }] });
    expect(textOf(invocationComment(slowed))).toBe(
      'Continuity plan Customer portal continuity plan invoked for Customer portal. Committed RTO 4 h: recover by 22 Nov 2026, 07:00 UTC. ' +
        'Customer portal cannot meet it unless Reporting recovers sooner: through Reporting (own RTO 24 h) the effective RTO is 24 h, by 23 Nov 2026, 03:00 UTC. RPO 1 h.',
    );
  });
});
