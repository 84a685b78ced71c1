/**
 * The issue context: the incident's compact state in the issue view's right column (plan, countdown,
 * progress, next update), for the agent who must see it without opening the panel. One resolver call
 * when it opens; it reloads when another responder changes the incident (realtime).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { view as forgeView } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import type { CompactInvocation, IssueContextView } from '../../../src/contract/issue-context';
import type { ResolverError } from '../../../src/contract/errors';
import { useAnnounce } from '../../shared/Announcer';
import { inWords, UNREACHABLE } from '../../shared/errors';
import { Lozenge } from '../../shared/Lozenge';
import { Notice } from '../../shared/Notice';
import { clockState, formatCountdown, formatMinutes, formatTime } from '../../shared/time';
import { shouldReload, useIncidentChannel } from '../../shared/useIncidentChannel';
import { useServerNow } from '../../shared/useServerNow';
import { loadIssueContext } from './api';

type Load = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; view: IssueContextView; offsetMs: number };

export function App() {
  const [state, setState] = useState<Load>({ kind: 'loading' });
  const [timeZone, setTimeZone] = useState<string | undefined>();
  const announce = useAnnounce();
  const shown = useRef<number | undefined>();
  const load = useCallback(
    async (live: boolean) => {
      try {
        const result = await loadIssueContext();
        if (result.ok) {
          const changed = live && shown.current !== undefined && result.data.version > shown.current;
          shown.current = result.data.version;
          setState({ kind: 'ready', view: result.data, offsetMs: result.data.serverTime - Date.now() });
          if (changed) announce('The recovery was updated.');
        } else if (!live) setState({ kind: 'error', error: result.error });
      } catch {
        if (!live) setState({ kind: 'error', error: UNREACHABLE });
      }
    },
    [announce],
  );
  useEffect(() => {
    void load(false);
    forgeView
      .getContext()
      .then((c) => setTimeZone((c as { timezone?: string }).timezone))
      .catch(() => undefined);
  }, [load]);
  useIncidentChannel(state.kind === 'ready', (version) => shouldReload(version, shown.current) && void load(true));

  if (state.kind === 'loading') return <Text color="color.text.subtlest">Loading…</Text>;
  if (state.kind === 'error') {
    return (
      <Notice appearance="error" alert title="Could not load the continuity state." actions={<Button onClick={() => void load(false)}>Try again</Button>}>
        <Text as="p">{inWords(state.error)}</Text>
      </Notice>
    );
  }
  return <Compact view={state.view} offsetMs={state.offsetMs} timeZone={timeZone} />;
}

function Compact({ view, offsetMs, timeZone }: { view: IssueContextView; offsetMs: number; timeZone?: string }) {
  const now = useServerNow(offsetMs);
  if (view.status !== 'invoked') {
    return (
      <Text as="p" color="color.text.subtle" testId={`context-${view.status}`}>
        {view.reason ?? 'No continuity plan runs on this incident.'} The Service continuity panel (from the issue's Apps button) says more.
      </Text>
    );
  }
  return (
    <Stack space="space.150">
      {view.invocations.map((inv) => (
        <Invocation key={inv.id} inv={inv} now={now} timeZone={timeZone} />
      ))}
    </Stack>
  );
}

const BACKGROUND = { running: 'color.background.neutral', warning: 'color.background.warning', breached: 'color.background.danger' } as const;
const COLOR = { running: 'color.text', warning: 'color.text.warning', breached: 'color.text.danger' } as const;

function Invocation({ inv, now, timeZone }: { inv: CompactInvocation; now: number; timeZone?: string }) {
  const state = clockState(inv.startedAt, inv.ownRtoDueAt, now);
  const p = inv.progress;
  return (
    <section aria-label={`Continuity plan ${inv.plan.title}`} data-testid="context-invocation" data-state={inv.state}>
      <Stack space="space.075">
        <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
          <a className="plan-link" href={inv.plan.url} target="_blank" rel="noreferrer" data-testid="context-plan">
            {inv.plan.title}
          </a>
          {inv.state !== 'open' && <Lozenge appearance={inv.state === 'recovered' ? 'success' : 'default'}>{inv.state === 'recovered' ? 'Recovered' : 'Stood down'}</Lozenge>}
        </Inline>
        {inv.state === 'open' && (
          <>
            <Text size="small" color="color.text.subtle">
              {inv.limitedBy ? 'Committed RTO' : 'RTO'} {formatMinutes(inv.ownRtoMinutes)} · due {formatTime(inv.ownRtoDueAt, timeZone)}
            </Text>
            <Box backgroundColor={BACKGROUND[state]} padding="space.075" testId="context-countdown" data-state={state} role="timer" aria-live="off">
              <span className="countdown">
                <Text color={COLOR[state]} weight="bold">
                  {state === 'breached' ? `RTO breached ${formatCountdown(inv.ownRtoDueAt - now)} ago` : `${formatCountdown(inv.ownRtoDueAt - now)} left`}
                </Text>
              </span>
            </Box>
            {inv.limitedBy && (
              <Text size="small" color="color.text.warning" testId="context-limited">
                Cannot be met unless {inv.limitedBy.name} recovers sooner (effective RTO {formatMinutes(inv.rtoMinutes)}).
              </Text>
            )}
          </>
        )}
        {inv.recovery && (
          <Text size="small" testId="context-recovery">
            Recovered in {formatMinutes(inv.recovery.achievedMinutes)}: RTO {inv.recovery.ownRtoMet ? 'met' : 'missed'}.
          </Text>
        )}
        <Text size="small" testId="context-progress">
          {p.done + p.skipped} of {p.total} steps ({p.percent} %)
        </Text>
        <div className="ds-progress" role="progressbar" aria-valuenow={p.percent} aria-valuemin={0} aria-valuemax={100} aria-label="Checklist progress">
          <span style={{ width: `${p.percent}%` }} />
        </div>
        {inv.nextUpdate && <NextUpdate next={inv.nextUpdate} now={now} timeZone={timeZone} />}
      </Stack>
    </section>
  );
}

function NextUpdate({ next, now, timeZone }: { next: NonNullable<CompactInvocation['nextUpdate']>; now: number; timeZone?: string }) {
  const state = now >= next.dueAt ? 'overdue' : now >= next.dueSoonFrom ? 'due-soon' : 'on-track';
  const color = state === 'overdue' ? 'color.text.danger' : state === 'due-soon' ? 'color.text.warning' : 'color.text.subtle';
  return (
    <span data-testid="context-next-update" data-state={state}>
      <Text size="small" color={color}>
        {state === 'overdue' ? `Stakeholder update overdue by ${formatCountdown(now - next.dueAt)}` : `Next stakeholder update due ${formatTime(next.dueAt, timeZone)}`}
      </Text>
    </span>
  );
}
