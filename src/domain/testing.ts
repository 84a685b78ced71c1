/**
 * Builders and helpers for the domain's unit tests (never imported by production code): plain data
 * with sensible defaults, and deepFreeze to prove a function does not mutate its input.
 */
import { planSnapshot, serviceSnapshot, type ContinuityPlan, type Service } from './catalogue';
import type { IncidentFacts } from './incident';
import { newRecord, putInvocation, type IncidentRecord } from './incident-record';
import type { Actor, Invocation } from './invocation';

export const MINUTE = 60_000;
/** 22 Nov 2026, 03:00 UTC. */
export const T0 = Date.UTC(2026, 10, 22, 3, 0);

/** Freezes an object graph in place and returns it; any later write to it throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

export function aService(overrides: Partial<Service> & { id: string }): Service {
  return { name: overrides.id, tier: 1, rtoMinutes: 60, rpoMinutes: 15, jsmServiceIds: [], dependsOn: [], components: [], labels: [], ...overrides };
}

export function aPlan(overrides: Partial<ContinuityPlan> = {}): ContinuityPlan {
  return {
    id: 'plan-1',
    serviceId: 'payments',
    title: 'Payments recovery',
    pageId: '1001',
    pageUrl: 'https://example.atlassian.net/wiki/spaces/OPS/pages/1001',
    status: 'approved',
    steps: [
      { id: 's1', title: 'Declare the incident', role: 'Incident manager', expectedMinutes: 5 },
      { id: 's2', title: 'Fail over the database', role: 'DBA', expectedMinutes: 20 },
      { id: 's3', title: 'Switch DNS to the standby region', role: 'Network', expectedMinutes: 10 },
      { id: 's4', title: 'Smoke-test payments', role: 'QA', expectedMinutes: 15 },
    ],
    commsTemplates: [],
    ...overrides,
  };
}

/** An agent acting in tests. */
export const AGENT: Actor = { accountId: 'agent-1', displayName: 'Alex Agent' };

/** An open invocation of plan-1 for PAY-1, started at T0 with a 60-minute RTO. */
export function anInvocation(overrides: Partial<Invocation> = {}): Invocation {
  return {
    id: '10001.plan-1',
    issueId: '10001',
    issueKey: 'PAY-1',
    planId: 'plan-1',
    serviceId: 'payments',
    plan: planSnapshot(aPlan()),
    service: serviceSnapshot(aService({ id: 'payments', name: 'Payments' })),
    state: 'open',
    startedAt: T0,
    rtoMinutes: 60,
    ownRtoMinutes: 60,
    rpoMinutes: 15,
    rtoDueAt: T0 + 60 * MINUTE,
    inversions: [],
    timeline: [{ at: T0 + MINUTE, actor: 'app', actorName: 'Service Continuity', kind: 'qualified', detail: 'Incident qualified.' }],
    updatedAt: T0 + MINUTE,
    ...overrides,
  };
}

export function anIncident(overrides: Partial<IncidentFacts> = {}): IncidentFacts {
  return {
    issueId: '10001',
    issueKey: 'OPS-1',
    summary: 'Payments down',
    projectKey: 'OPS',
    issueTypeName: 'Incident',
    requestTypeName: null,
    priority: { id: '1', name: 'Highest' },
    majorIncident: false,
    affectedServiceIds: [],
    components: [],
    labels: [],
    createdAt: T0,
    resolved: false,
    ...overrides,
  };
}

/** Runs `fn` and returns the error it throws (failing the test if it does not throw). */
export function thrown(fn: () => unknown): { code?: string; field?: string; message: string; name: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; field?: string; message: string; name: string };
  }
  throw new Error('Expected the call to throw, but it returned.');
}

/** A stored record (version 1) holding the given invocations. */
export function aRecord(invocations: Invocation[] = [anInvocation()], overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  let record = { ...newRecord(invocations[0]?.issueId ?? '10001', invocations[0]?.issueKey ?? 'PAY-1', T0), version: 1 };
  for (const invocation of invocations) record = putInvocation(record, invocation);
  return { ...record, ...overrides };
}

/** A repeatable stream of numbers in [0, 1) (mulberry32), for property tests that must fail the same way twice. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An actor with no display name (the timeline then shows the account id). */
export const actorOf = (accountId: string): Actor => ({ accountId });
