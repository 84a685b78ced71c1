/**
 * The RTO clocks of an open plan. The committed (own) RTO comes first: it is what the service promised.
 * When a dependency is slower, the effective RTO follows, and a plain sentence says the service cannot
 * meet its commitment unless that dependency recovers sooner.
 */
import { Box, Stack, Text } from '@atlaskit/primitives/compiled';
import type { InvocationView } from '../../../../src/contract/issue-panel';
import { clockState, formatCountdown, formatMinutes, formatTime, type ClockState } from '../../../shared/time';
import { Notice } from '../../../shared/Notice';
import { usePanel } from '../panel-context';

const BACKGROUND = { running: 'color.background.neutral', warning: 'color.background.warning', breached: 'color.background.danger' } as const;
const COLOR = { running: 'color.text', warning: 'color.text.warning', breached: 'color.text.danger' } as const;

export function Clocks({ inv }: { inv: InvocationView }) {
  const limited = inv.limitedBy && inv.ownRtoDueAt !== inv.rtoDueAt;
  return (
    <Stack space="space.100">
      <Clock label={limited ? `Committed RTO ${formatMinutes(inv.ownRtoMinutes)}` : `RTO ${formatMinutes(inv.rtoMinutes)}`} startedAt={inv.startedAt} dueAt={inv.ownRtoDueAt} testId="countdown" kind="committed" />
      {limited && inv.limitedBy && (
        <>
          <Clock label={`Effective RTO ${formatMinutes(inv.rtoMinutes)}, through ${inv.limitedBy.name}`} startedAt={inv.startedAt} dueAt={inv.rtoDueAt} testId="countdown-effective" kind="effective" />
          <Notice appearance="warning" testId="rto-limited">
            <Text as="p">
              {inv.service.name} cannot meet its committed RTO of {formatMinutes(inv.ownRtoMinutes)} unless {inv.limitedBy.name} recovers sooner: {inv.limitedBy.name}'s own RTO is{' '}
              {formatMinutes(inv.limitedBy.rtoMinutes)}.
            </Text>
          </Notice>
        </>
      )}
    </Stack>
  );
}

function Clock({ label, startedAt, dueAt, testId, kind }: { label: string; startedAt: number; dueAt: number; testId: string; kind: 'committed' | 'effective' }) {
  const { now, timeZone } = usePanel();
  const state: ClockState = clockState(startedAt, dueAt, now);
  const remaining = dueAt - now;
  return (
    <Stack space="space.050">
      <Text size="small" color="color.text.subtle">
        {label} · due {formatTime(dueAt, timeZone)}
      </Text>
      {/* The countdown changes every second: a timer, never read out on its own. */}
      <Box backgroundColor={BACKGROUND[state]} padding="space.100" testId={testId} role="timer" aria-live="off" aria-label={`${label} countdown`} data-state={state} data-clock={kind}>
        <span className="countdown">
          <Text color={COLOR[state]} weight="bold">
            {state === 'breached' ? `RTO breached ${formatCountdown(remaining)} ago` : `${formatCountdown(remaining)} left`}
          </Text>
        </span>
      </Box>
    </Stack>
  );
}
