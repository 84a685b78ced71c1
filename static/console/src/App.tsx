import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ComponentType } from 'react';
import type { ConsoleView } from '../../../src/contract/console';
import type { ResolverError } from '../../../src/contract/errors';
import { bridgeError, loadConsole } from './api';
import { Message } from './components/Message';
import { ConsoleContext, type ConsoleState, type TabIntent } from './context';
import { TABS, type TabProps } from './tabs';

type Loaded = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; view: ConsoleView };

const lazyTabs = new Map<string, ComponentType<TabProps>>(TABS.map((t) => [t.id, lazy(t.load)]));

/** The Service continuity page: one resolver call when it opens, then tabs, each loaded when first opened. */
export function App() {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [tab, setTab] = useState(TABS[0]!.id);
  const [intent, setIntent] = useState<TabIntent | undefined>();
  const load = useCallback(() => {
    loadConsole()
      .catch(bridgeError)
      .then((r) => setLoaded(r.ok ? { kind: 'ready', view: r.data } : { kind: 'error', error: r.error }));
  }, []);
  useEffect(load, [load]);
  const state = useMemo<ConsoleState | undefined>(
    () =>
      loaded.kind === 'ready'
        ? {
            view: loaded.view,
            refresh: load,
            openTab: (id, next) => {
              setIntent(next);
              setTab(id);
            },
          }
        : undefined,
    [loaded, load],
  );

  if (loaded.kind === 'loading') return <p className="subtle">Loading the service catalogue…</p>;
  if (loaded.kind === 'error') {
    return (
      <Message kind="error" title="The service catalogue could not be loaded." testId="console-error">
        {loaded.error.message}
      </Message>
    );
  }
  const Tab = lazyTabs.get(tab)!;
  return (
    <ConsoleContext.Provider value={state}>
      <header>
        <h1>Service continuity</h1>
        <p className="subtle" data-testid="role">
          {loaded.view.role.manager ? `Service Continuity Manager: ${loaded.view.role.reason}` : loaded.view.role.reason}
        </p>
      </header>
      <Tabs selected={tab} onSelect={setTab} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={-1}>
        <Suspense fallback={<p className="subtle">Loading…</p>}>
          <Tab intent={intent} onIntentHandled={() => setIntent(undefined)} />
        </Suspense>
      </div>
    </ConsoleContext.Provider>
  );
}

/** WAI-ARIA tabs: arrow keys move between tabs, Home and End jump, the selected tab is the only tab stop. */
function Tabs({ selected, onSelect }: { selected: string; onSelect: (id: string) => void }) {
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((t) => t.id === selected);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = TABS[(next + TABS.length) % TABS.length]!;
    onSelect(target.id);
    refs.current.get(target.id)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Service continuity" onKeyDown={move}>
      {TABS.map((t) => (
        <button
          key={t.id}
          ref={(el) => void (el ? refs.current.set(t.id, el) : refs.current.delete(t.id))}
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === selected}
          aria-controls={`panel-${t.id}`}
          tabIndex={t.id === selected ? 0 : -1}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
