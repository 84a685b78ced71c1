import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { view as forgeView } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import { Box, Stack, Text } from '@atlaskit/primitives/compiled';
import type { PanelView } from '../../../src/contract/issue-panel';
import type { ResolverError } from '../../../src/contract/errors';
import { useAnnounce } from '../../shared/Announcer';
import { inWords, JIRA_DID_NOT_ANSWER, UNREACHABLE } from '../../shared/errors';
import { Notice } from '../../shared/Notice';
import { shouldReload, useIncidentChannel } from '../../shared/useIncidentChannel';
import { useServerNow } from '../../shared/useServerNow';
import { loadPanel } from './api';
import { EmptyState } from './components/EmptyState';
import { InvocationCard } from './components/InvocationCard';
import { PanelNotes } from './components/PanelNotes';
import { PanelContext, type Act } from './panel-context';
import { DrillBanner } from './loop/DrillBanner';
// Loaded after the first paint: the clock and checklist come first at 3 a.m.
const PostmortemActions = lazy(() => import('./loop/PostmortemActions'));

type Load = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; view: PanelView; offsetMs: number };

export function App() {
  const [state, setState] = useState<Load>({ kind: 'loading' });
  const [timeZone, setTimeZone] = useState<string | undefined>();
  const announce = useAnnounce();
  const shown = useRef<number | undefined>();
  const accept = useCallback((view: PanelView) => {
    shown.current = view.version;
    setState({ kind: 'ready', view, offsetMs: view.serverTime - Date.now() });
  }, []);

  /** `live`: another responder changed the incident; a failed reload keeps what is shown. */
  const load = useCallback(
    async (why: 'open' | 'retry' | 'live') => {
      try {
        const result = await loadPanel();
        if (result.ok) {
          const changed = why === 'live' && shown.current !== undefined && result.data.version > shown.current;
          accept(result.data);
          if (changed) announce('The recovery was updated by another responder.');
        } else if (why !== 'live') setState({ kind: 'error', error: result.error });
      } catch {
        if (why !== 'live') setState({ kind: 'error', error: UNREACHABLE });
      }
    },
    [accept, announce],
  );

  useEffect(() => {
    void load('open');
    // The viewer's time zone comes from Forge's context (a bridge call, not a resolver call).
    forgeView
      .getContext()
      .then((c) => setTimeZone((c as { timezone?: string }).timezone))
      .catch(() => undefined);
  }, [load]);

  // A panel's own change comes back on the channel, sometimes before the action's answer: messages heard
  // while an action runs wait for its answer, then reload only if someone else changed more meanwhile.
  const inFlight = useRef(0);
  const heard = useRef<number | undefined>();
  useIncidentChannel(state.kind === 'ready', (version) => {
    if (inFlight.current > 0) {
      heard.current = Math.max(heard.current ?? 0, version ?? Number.MAX_SAFE_INTEGER);
      return;
    }
    if (shouldReload(version, shown.current)) void load('live');
  });

  const act: Act = useCallback(
    async (run) => {
      inFlight.current++;
      try {
        const result = await run();
        if (result.ok) {
          accept(result.data);
          return undefined;
        }
        return result.error;
      } catch {
        return UNREACHABLE;
      } finally {
        inFlight.current--;
        if (inFlight.current === 0 && heard.current !== undefined) {
          const version = heard.current;
          heard.current = undefined;
          if (shouldReload(version, shown.current)) void load('live');
        }
      }
    },
    [accept, load],
  );

  if (state.kind === 'loading') {
    return (
      <Text color="color.text.subtlest" testId="loading">
        Loading continuity plan…
      </Text>
    );
  }
  if (state.kind === 'error') {
    return (
      <Notice
        appearance="error"
        alert
        testId="error"
        title="Could not load the continuity plan."
        actions={
          <Button onClick={() => void load('retry')} testId="retry">
            Try again
          </Button>
        }
      >
        <Text as="p">{inWords(state.error)}</Text>
      </Notice>
    );
  }
  return <Panel view={state.view} offsetMs={state.offsetMs} timeZone={timeZone} act={act} reload={() => load('retry')} />;
}

function Panel({ view, offsetMs, timeZone, act, reload }: { view: PanelView; offsetMs: number; timeZone?: string; act: Act; reload: () => Promise<void> }) {
  const now = useServerNow(offsetMs);
  const [retrying, setRetrying] = useState(false);
  const value = useMemo(
    () => ({ now, timeZone, canEdit: view.can.edit && !view.jiraUnavailable, canComment: view.can.comment && !view.jiraUnavailable, act }),
    [now, timeZone, view.can.edit, view.can.comment, view.jiraUnavailable, act],
  );
  const retry = async () => {
    setRetrying(true);
    await reload();
    setRetrying(false);
  };
  return (
    <PanelContext.Provider value={value}>
      <Stack space="space.150">
        {view.confluenceNotConnected && view.status === 'invoked' && (
          <Notice appearance="information" testId="confluence-not-connected" title="Confluence is not connected to this app">
            <Text as="p">Plan pages cannot be opened or published from here until an administrator connects Confluence. The plan below is the one last read from its page; everything else on this incident works as ever.</Text>
          </Notice>
        )}
        {view.jiraUnavailable && view.status === 'invoked' && (
          <Notice
            appearance="warning"
            testId="jira-unavailable"
            title={JIRA_DID_NOT_ANSWER}
            actions={
              <Button onClick={() => void retry()} isLoading={retrying} testId="retry">
                Retry
              </Button>
            }
          >
            <Text as="p">The plan, the clock and the checklist below are read-only meanwhile.</Text>
          </Notice>
        )}
        {view.status !== 'invoked' ? (
          <EmptyState view={view} onRefresh={retry} refreshing={retrying} />
        ) : (
          <>
            {view.loop?.drill && <DrillBanner drill={view.loop.drill} />}
            {view.recoveryOrder && (
              <Text as="p" color="color.text.subtle" testId="recovery-order">
                {view.recoveryOrder}
              </Text>
            )}
            {view.invocations.map((inv) => (
              <Box key={inv.id}>
                <InvocationCard inv={inv} siteTimeZone={view.siteTimeZone} />
              </Box>
            ))}
            <PanelNotes view={view} />
            {view.loop && (
              <Suspense fallback={null}>
                <PostmortemActions loop={view.loop} canEdit={value.canEdit} act={act} timeZone={timeZone} />
              </Suspense>
            )}
          </>
        )}
      </Stack>
    </PanelContext.Provider>
  );
}
