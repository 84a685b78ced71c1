import { useCallback, useEffect, useState } from 'react';
import type { InvocationView, PanelView } from '../../../src/contract/issue-panel';
import type { ResolverError } from '../../../src/contract/errors';
import { loadPanel } from './api';
import { clockState, formatCountdown, formatMinutes, formatTime } from './time';

type Load = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; view: PanelView; offsetMs: number };

/** The server's clock, ticking locally: the countdown does not depend on the agent's laptop clock. */
function useServerNow(offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const timer = setInterval(() => setNow(Date.now() + offsetMs), 1000);
    return () => clearInterval(timer);
  }, [offsetMs]);
  return now;
}

export function App() {
  const [state, setState] = useState<Load>({ kind: 'loading' });
  const refresh = useCallback(async () => {
    try {
      const result = await loadPanel();
      if (result.ok) setState({ kind: 'ready', view: result.data, offsetMs: result.data.serverTime - Date.now() });
      else setState({ kind: 'error', error: result.error });
    } catch (e) {
      setState({ kind: 'error', error: { code: 'INTERNAL', message: (e as Error).message || 'Could not reach the app.' } });
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);

  if (state.kind === 'loading') return <p className="muted" data-testid="loading">Loading continuity plan…</p>;
  if (state.kind === 'error') {
    return (
      <div className="message error" role="alert" data-testid="error">
        <strong>Could not load the continuity plan.</strong> {state.error.message}{' '}
        <button type="button" onClick={() => void refresh()}>Try again</button>
      </div>
    );
  }
  return <Panel view={state.view} offsetMs={state.offsetMs} />;
}

function Panel({ view, offsetMs }: { view: PanelView; offsetMs: number }) {
  const now = useServerNow(offsetMs);
  if (view.status !== 'invoked') {
    return (
      <div className="message" data-testid={`empty-${view.status}`}>
        <strong>{view.reason}</strong>
        {view.toQualify && <p>{view.toQualify}</p>}
      </div>
    );
  }
  return (
    <div className="invocations">
      {view.invocations.map((inv) => (
        <Invocation key={inv.id} inv={inv} now={now} />
      ))}
    </div>
  );
}

function Invocation({ inv, now }: { inv: InvocationView; now: number }) {
  const state = clockState(inv.startedAt, inv.rtoDueAt, now);
  const remaining = inv.rtoDueAt - now;
  return (
    <section className="invocation" data-testid="invocation" aria-label={`Continuity plan ${inv.plan.title}`}>
      <header>
        <a className="plan" href={inv.plan.url} target="_blank" rel="noreferrer" data-testid="plan-title">
          {inv.plan.title}
        </a>
        <span className="lozenge">{inv.service.tierName}</span>
      </header>
      <dl className="facts">
        <div>
          <dt>Service</dt>
          <dd data-testid="service">{inv.service.name}</dd>
        </div>
        <div>
          <dt>RTO</dt>
          <dd data-testid="rto">{formatMinutes(inv.rtoMinutes)}</dd>
        </div>
        <div>
          <dt>RPO</dt>
          <dd data-testid="rpo">{formatMinutes(inv.rpoMinutes)}</dd>
        </div>
        <div>
          <dt>Recover by</dt>
          <dd data-testid="rto-due">{formatTime(inv.rtoDueAt)}</dd>
        </div>
      </dl>
      {inv.state === 'open' && (
        <div className={`countdown ${state}`} data-testid="countdown" data-state={state} role="timer">
          {state === 'breached' ? `RTO breached ${formatCountdown(remaining)} ago` : `${formatCountdown(remaining)} left`}
        </div>
      )}
      {inv.inversions.map((x) => (
        <p className="message warning" key={x.dependencyName} data-testid="inversion">
          Depends on {x.dependencyName} (RTO {formatMinutes(x.dependencyRtoMinutes)}), which is longer than this service's own RTO of{' '}
          {formatMinutes(inv.ownRtoMinutes)}.
        </p>
      ))}
    </section>
  );
}
