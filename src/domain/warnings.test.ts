import type { Invocation, WarningThreshold } from './invocation';
import { declareRecovered } from './recovery';
import { claimWarning, crossedThresholds, dueWarnings, holdsWarningClaim, recordWarning, WARNING_CLAIM_TTL_MS } from './warnings';
import { anInvocation, deepFreeze, MINUTE, T0, thrown } from './testing';

// RTO 60 min from T0: 75 % is T0 + 45 min, the breach T0 + 60 min.
const AT_75 = T0 + 45 * MINUTE;
const DUE = T0 + 60 * MINUTE;

describe('dueWarnings', () => {
  it('is empty before 75 % of the RTO, even one millisecond before', () => {
    expect(dueWarnings(anInvocation(), T0)).toEqual([]);
    expect(dueWarnings(anInvocation(), AT_75 - 1)).toEqual([]);
  });

  it('is rto-75 at exactly 75 % and until the breach', () => {
    expect(dueWarnings(anInvocation(), AT_75)).toEqual(['rto-75']);
    expect(dueWarnings(anInvocation(), DUE - 1)).toEqual(['rto-75']);
  });

  it('is exact at 75 % for an RTO whose 75 % is not a whole number of milliseconds', () => {
    // 7 ms span: 75 % is 5.25 ms, so 5 ms is below and 6 ms above.
    const inv = anInvocation({ startedAt: 0, rtoDueAt: 7 });
    expect(dueWarnings(inv, 5)).toEqual([]);
    expect(dueWarnings(inv, 6)).toEqual(['rto-75']);
  });

  it('is rto-breached at exactly the due time', () => {
    expect(dueWarnings(anInvocation(), DUE)).toEqual(['rto-breached']);
  });

  it('sends only the breach when both thresholds were crossed at once (75 % is superseded)', () => {
    expect(crossedThresholds(anInvocation(), DUE + 10 * MINUTE)).toEqual(['rto-breached']);
    expect(dueWarnings(anInvocation(), DUE + 10 * MINUTE)).toEqual(['rto-breached']);
  });

  it('leaves out thresholds already warned', () => {
    expect(dueWarnings(anInvocation({ warningsSent: ['rto-75'] }), AT_75 + MINUTE)).toEqual([]);
    expect(dueWarnings(anInvocation({ warningsSent: ['rto-75'] }), DUE)).toEqual(['rto-breached']);
    expect(dueWarnings(anInvocation({ warningsSent: ['rto-75', 'rto-breached'] }), DUE + MINUTE)).toEqual([]);
  });

  it.each(['recovered', 'stood-down'] as const)('is empty for a %s invocation', (state) => {
    expect(dueWarnings(anInvocation({ state }), DUE + MINUTE)).toEqual([]);
  });

  it('leaves out a threshold claimed by a live run, and offers it again once the claim expires', () => {
    const claimed = anInvocation({ warningClaims: { 'rto-75': { token: 'run-a', at: AT_75 } } });
    expect(dueWarnings(claimed, AT_75 + WARNING_CLAIM_TTL_MS - 1)).toEqual([]);
    expect(dueWarnings(claimed, AT_75 + WARNING_CLAIM_TTL_MS)).toEqual(['rto-75']);
  });
});

describe('recordWarning', () => {
  it('adds the threshold and a warning entry by the app', () => {
    const inv = deepFreeze(anInvocation());
    const next = recordWarning(inv, 'rto-75', AT_75);
    expect(next.warningsSent).toEqual(['rto-75']);
    expect(next.timeline.at(-1)).toEqual({
      at: AT_75,
      actor: 'app',
      kind: 'warning',
      detail: 'Warning sent: 75 % of the RTO of 1 h has elapsed; recover by 22 Nov 2026, 04:00 UTC.',
    });
    expect(inv.warningsSent).toBeUndefined();
    expect(inv.timeline).toHaveLength(1);
  });

  it('records the breach after the 75 % warning', () => {
    const next = recordWarning(recordWarning(anInvocation(), 'rto-75', AT_75), 'rto-breached', DUE);
    expect(next.warningsSent).toEqual(['rto-75', 'rto-breached']);
    expect(next.timeline.map((e) => [e.kind, e.at])).toEqual([
      ['qualified', T0 + MINUTE],
      ['warning', AT_75],
      ['warning', DUE],
    ]);
    expect(next.timeline.at(-1)!.detail).toBe('Warning sent: the RTO of 1 h was breached at 22 Nov 2026, 04:00 UTC.');
  });

  it('is idempotent: an already recorded threshold returns the very same object', () => {
    const once = deepFreeze(recordWarning(anInvocation(), 'rto-breached', DUE));
    expect(recordWarning(once, 'rto-breached', DUE + MINUTE)).toBe(once);
  });

  it('drops the claim of the recorded threshold and keeps the others', () => {
    const inv = deepFreeze(
      anInvocation({ warningClaims: { 'rto-75': { token: 'a', at: AT_75 }, 'rto-breached': { token: 'b', at: DUE } } }),
    );
    const next = recordWarning(inv, 'rto-75', DUE);
    expect(next.warningClaims).toEqual({ 'rto-breached': { token: 'b', at: DUE } });
    expect(holdsWarningClaim(next, 'rto-75', 'a')).toBe(false);
  });

  it('refuses an unknown threshold with INVALID_INPUT on threshold', () => {
    expect(thrown(() => recordWarning(anInvocation(), 'rto-50' as WarningThreshold, DUE))).toMatchObject({ code: 'INVALID_INPUT', field: 'threshold' });
  });
});

describe('claimWarning', () => {
  it('claims a due threshold for one run; the same run still holds it when it asks again', () => {
    const inv = deepFreeze(anInvocation());
    const claimed = claimWarning(inv, 'rto-75', 'run-a', AT_75);
    expect(claimed.warningClaims).toEqual({ 'rto-75': { token: 'run-a', at: AT_75 } });
    expect(holdsWarningClaim(claimed, 'rto-75', 'run-a')).toBe(true);
    expect(claimWarning(claimed, 'rto-75', 'run-a', AT_75 + 1)).toBe(claimed);
    expect(inv.warningClaims).toBeUndefined();
  });

  it('returns the same object when another run holds a live claim', () => {
    const claimed = deepFreeze(claimWarning(anInvocation(), 'rto-75', 'run-a', AT_75));
    const second = claimWarning(claimed, 'rto-75', 'run-b', AT_75 + 1000);
    expect(second).toBe(claimed);
    expect(holdsWarningClaim(second, 'rto-75', 'run-b')).toBe(false);
  });

  it('lets another run take over a claim older than the TTL', () => {
    const claimed = claimWarning(anInvocation(), 'rto-75', 'run-a', AT_75);
    const taken = claimWarning(claimed, 'rto-75', 'run-b', AT_75 + WARNING_CLAIM_TTL_MS);
    expect(holdsWarningClaim(taken, 'rto-75', 'run-b')).toBe(true);
    expect(holdsWarningClaim(taken, 'rto-75', 'run-a')).toBe(false);
  });

  it('returns the same object for a threshold not crossed, already sent, superseded, or on a closed invocation', () => {
    const inv = deepFreeze(anInvocation());
    expect(claimWarning(inv, 'rto-75', 'a', AT_75 - 1)).toBe(inv);
    expect(claimWarning(inv, 'rto-breached', 'a', DUE - 1)).toBe(inv);
    expect(claimWarning(inv, 'rto-75', 'a', DUE)).toBe(inv);
    const sent = deepFreeze(recordWarning(inv, 'rto-75', AT_75));
    expect(claimWarning(sent, 'rto-75', 'a', AT_75 + 1)).toBe(sent);
    const recovered = deepFreeze(declareRecovered(inv, 'acc', AT_75 - 1));
    expect(claimWarning(recovered, 'rto-75', 'a', AT_75)).toBe(recovered);
  });

  it('refuses an unknown threshold and an empty token', () => {
    expect(thrown(() => claimWarning(anInvocation(), 'soon' as WarningThreshold, 'a', DUE))).toMatchObject({ code: 'INVALID_INPUT', field: 'threshold' });
    expect(thrown(() => claimWarning(anInvocation(), 'rto-75', '', DUE))).toMatchObject({ code: 'INVALID_INPUT', field: 'token' });
  });
});

describe('a warning is never sent twice', () => {
  /**
   * A stored invocation with the store's optimistic concurrency: a change computed from a stale read is
   * re-applied to the current value (what ContinuityStore.updateInvocation does).
   */
  function memoryStore(initial: Invocation) {
    let current = initial;
    return {
      read: () => current,
      update(change: (inv: Invocation) => Invocation | null, staleRead?: Invocation): Invocation {
        if (staleRead && staleRead !== current) change(staleRead); // the lost race: computed, then discarded
        const next = change(current);
        if (next) current = { ...next, version: current.version + 1 };
        return current;
      },
    };
  }

  /** One scheduled run, the way the service is meant to use these functions. */
  function run(store: ReturnType<typeof memoryStore>, token: string, now: number, post: (t: WarningThreshold) => void, options: { crashBeforePost?: boolean; staleRead?: Invocation } = {}) {
    for (const t of dueWarnings(options.staleRead ?? store.read(), now)) {
      const stored = store.update((cur) => {
        const next = claimWarning(cur, t, token, now);
        return next === cur ? null : next;
      }, options.staleRead);
      if (!holdsWarningClaim(stored, t, token)) continue;
      if (options.crashBeforePost) return;
      post(t);
      store.update((cur) => {
        const next = recordWarning(cur, t, now);
        return next === cur ? null : next;
      });
    }
  }

  it('two overlapping runs that read the same invocation post the 75 % warning once', () => {
    const store = memoryStore(deepFreeze(anInvocation()));
    const posts: string[] = [];
    const snapshot = store.read();
    run(store, 'run-a', AT_75, (t) => posts.push(`a:${t}`), { staleRead: snapshot });
    run(store, 'run-b', AT_75 + 500, (t) => posts.push(`b:${t}`), { staleRead: snapshot });
    expect(posts).toEqual(['a:rto-75']);
    expect(store.read().warningsSent).toEqual(['rto-75']);
    expect(store.read().timeline.filter((e) => e.kind === 'warning')).toHaveLength(1);
  });

  it('a run that claims while another holds the claim does not post, even before it is recorded', () => {
    const store = memoryStore(anInvocation());
    store.update((cur) => claimWarning(cur, 'rto-breached', 'run-a', DUE));
    const posts: string[] = [];
    run(store, 'run-b', DUE + 1000, (t) => posts.push(t));
    expect(posts).toEqual([]);
  });

  it('every minute for two hours: each threshold posted exactly once, in order', () => {
    const store = memoryStore(anInvocation());
    const posts: Array<[WarningThreshold, number]> = [];
    for (let now = T0; now <= T0 + 120 * MINUTE; now += MINUTE) run(store, `run-${now}`, now, (t) => posts.push([t, now]));
    expect(posts).toEqual([
      ['rto-75', AT_75],
      ['rto-breached', DUE],
    ]);
  });

  it('a run that crashed after claiming delays the warning by the TTL instead of losing or doubling it', () => {
    const store = memoryStore(anInvocation());
    const posts: Array<[WarningThreshold, number]> = [];
    run(store, 'crashing', AT_75, () => posts.push(['rto-75', -1]), { crashBeforePost: true });
    run(store, 'early', AT_75 + 30_000, (t) => posts.push([t, AT_75 + 30_000]));
    run(store, 'late', AT_75 + WARNING_CLAIM_TTL_MS, (t) => posts.push([t, AT_75 + WARNING_CLAIM_TTL_MS]));
    run(store, 'later', AT_75 + 2 * WARNING_CLAIM_TTL_MS, (t) => posts.push([t, -2]));
    expect(posts).toEqual([['rto-75', AT_75 + WARNING_CLAIM_TTL_MS]]);
  });

});
