import { anInvocation, T0 } from '../domain/testing';
import type { Invocation } from '../domain/invocation';
import type { ContinuityStore, JiraGateway } from '../ports';
import { syncIssueProperty, writeIssueProperty, type LinkDeps } from './link-incident';

/** Just enough of the ports for the property write: the issue's invocations, and what Jira received. */
function fakes(initial: Invocation[]) {
  let invocations = initial;
  const written: Array<{ states: string[] }> = [];
  const stale: string[] = [];
  const store = {
    invocationsForIssue: async () => invocations,
    markPropertyStale: async (issueId: string) => void stale.push(issueId),
  } as unknown as ContinuityStore;
  let onWrite: (() => void) | undefined;
  let failWith: Error | undefined;
  const jira = {
    setIssueProperty: async (_issue: string, _key: string, value: { states: string[] }) => {
      if (failWith) throw failWith;
      written.push(value);
      const hook = onWrite;
      onWrite = undefined;
      hook?.();
    },
  } as unknown as JiraGateway;
  const deps: LinkDeps = { store, jira, clock: { now: () => T0 } };
  return {
    deps,
    written,
    stale,
    set: (next: Invocation[]) => (invocations = next),
    duringNextWrite: (fn: () => void) => (onWrite = fn),
    failWrites: (error: Error) => (failWith = error),
  };
}

describe('writing the issue property', () => {
  it('writes again when the invocations changed while it was writing, so a late stale write cannot win', async () => {
    const f = fakes([anInvocation()]);
    // Another run records the recovery while this one is writing the "open" snapshot.
    f.duringNextWrite(() => f.set([anInvocation({ state: 'recovered' })]));
    await writeIssueProperty('10001', f.deps);
    expect(f.written.map((w) => w.states)).toEqual([['open'], ['recovered']]);
    expect(f.stale).toEqual([]);
  });

  it('writes once when nothing changed meanwhile', async () => {
    const f = fakes([anInvocation()]);
    await writeIssueProperty('10001', f.deps);
    expect(f.written).toHaveLength(1);
  });

  it('notes the issue for the watch instead of failing when Jira refuses', async () => {
    const f = fakes([anInvocation()]);
    f.failWrites(new Error('Issue property service-continuity failed with HTTP 503.'));
    await expect(syncIssueProperty('10001', f.deps)).resolves.toBe(false);
    expect(f.stale).toEqual(['10001']);
  });
});
