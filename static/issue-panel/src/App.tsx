import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { router } from '@forge/bridge';
import type { PanelView, PanelActionResult } from '../../../src/contract/issue-panel';
import type { ResolverError } from '../../../src/contract/errors';
import { loadPanel } from './api';
import { InvocationCard } from './InvocationCard';
import { DrillBanner } from './loop/DrillBanner';
// Loaded after the first paint: the clock and checklist come first at 3 a.m.
const PostmortemActions = lazy(() => import('./loop/PostmortemActions'));

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

export type Act = (run: () => Promise<PanelActionResult>) => Promise<ResolverError | undefined>;

export function App() {
  const [state, setState] = useState<Load>({ kind: 'loading' });
  const accept = (view: PanelView) => setState({ kind: 'ready', view, offsetMs: view.serverTime - Date.now() });
  const refresh = useCallback(async () => {
    try {
      const result = await loadPanel();
      if (result.ok) accept(result.data);
      else setState({ kind: 'error', error: result.error });
    } catch (e) {
      setState({ kind: 'error', error: { code: 'INTERNAL', message: (e as Error).message || 'Could not reach the app.' } });
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);

  /** Runs an action; the resolver answers the refreshed view. Errors are returned to the caller to show. */
  const act: Act = useCallback(async (run) => {
    try {
      const result = await run();
      if (result.ok) {
        accept(result.data);
        return undefined;
      }
      return result.error;
    } catch (e) {
      return { code: 'INTERNAL', message: (e as Error).message || 'Could not reach the app.' };
    }
  }, []);

  if (state.kind === 'loading') return <p className="muted" data-testid="loading">Loading continuity plan…</p>;
  if (state.kind === 'error') {
    return (
      <div className="message error" role="alert" data-testid="error">
        <strong>Could not load the continuity plan.</strong> {state.error.message}{' '}
        <button type="button" onClick={() => void refresh()}>Try again</button>
      </div>
    );
  }
  return <Panel view={state.view} offsetMs={state.offsetMs} act={act} refresh={refresh} />;
}

function Panel({ view, offsetMs, act, refresh }: { view: PanelView; offsetMs: number; act: Act; refresh: () => Promise<void> }) {
  const now = useServerNow(offsetMs);
  const openSettings = () => void router.navigate({ target: 'module', moduleKey: view.links.settingsModuleKey } as never);
  if (view.status !== 'invoked') {
    return (
      <div className="message" data-testid={`empty-${view.status}`}>
        <strong>{view.reason}</strong>
        {view.toQualify && <p>{view.toQualify}</p>}
        {view.status === 'no-plan' && (
          <p>
            <a href={view.links.plans} target="_blank" rel="noreferrer" data-testid="plans-link">Write the plan in Confluence</a>
          </p>
        )}
        {view.status === 'pending' && (
          <p>
            <button type="button" onClick={() => void refresh()} data-testid="refresh">Refresh</button>
          </p>
        )}
        {(view.status === 'not-qualifying' || view.status === 'not-configured') && (
          <p>
            <button type="button" className="link" onClick={openSettings} data-testid="settings-link">Continuity settings</button>
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="invocations">
      {view.loop?.drill && <DrillBanner drill={view.loop.drill} />}
      {view.invocations.map((inv) => (
        <InvocationCard key={inv.id} inv={inv} now={now} can={view.can} act={act} />
      ))}
      {view.missingPlans.length > 0 && (
        <p className="message warning" data-testid="missing-plans">
          No continuity plan for {view.missingPlans.join(', ')}.{' '}
          <a href={view.links.plans} target="_blank" rel="noreferrer">Write one in Confluence</a>.
        </p>
      )}
      {view.loop && (
        <Suspense fallback={null}>
          <PostmortemActions loop={view.loop} canEdit={view.can.edit} act={act} />
        </Suspense>
      )}
    </div>
  );
}
