/** One invoked plan: what it is, its clocks, its checklist, stakeholder updates, recovery and timeline. */
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import type { InvocationView } from '../../../../src/contract/issue-panel';
import { Lozenge } from '../../../shared/Lozenge';
import { formatMinutes, formatTime } from '../../../shared/time';
import { usePanel } from '../panel-context';
import { Checklist } from './Checklist';
import { Clocks } from './Clocks';
import { Comms } from './Comms';
import { Outcome } from './Outcome';
import { DraftLozenge, PlanProblems } from './PlanState';
import { RecoveryActions } from './RecoveryActions';
import { Timeline } from './Timeline';

export function InvocationCard({ inv, siteTimeZone }: { inv: InvocationView; siteTimeZone: string }) {
  const { timeZone } = usePanel();
  return (
    <section className="invocation" data-testid="invocation" data-state={inv.state} aria-label={`Continuity plan ${inv.plan.title}`}>
      <Box padding="space.150">
        <Stack space="space.150">
          <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
            <a className="plan-link" href={inv.plan.url} target="_blank" rel="noreferrer" data-testid="plan-title">
              {inv.order ? `${inv.order.position}. ` : ''}
              {inv.plan.title}
            </a>
            <Inline space="space.050">
              <DraftLozenge plan={inv.plan} />
              <Lozenge>{inv.service.tierName}</Lozenge>
              {inv.state !== 'open' && (
                <Lozenge appearance={inv.state === 'recovered' ? 'success' : 'default'} testId="state">
                  {inv.state === 'recovered' ? 'Recovered' : 'Stood down'}
                </Lozenge>
              )}
            </Inline>
          </Inline>
          <PlanProblems plan={inv.plan} />
          {inv.order && (
            <Text as="p" color="color.text.subtle" testId="order-reason">
              {inv.order.reason}
            </Text>
          )}
          <dl className="facts">
            <Fact label="Service" value={inv.service.name} id="service" />
            <Fact label="RTO" value={inv.ownRtoMinutes === inv.rtoMinutes ? formatMinutes(inv.rtoMinutes) : `${formatMinutes(inv.ownRtoMinutes)} committed`} id="rto" />
            <Fact label="RPO" value={formatMinutes(inv.rpoMinutes)} id="rpo" />
            <Fact label="Recover by" value={formatTime(inv.ownRtoDueAt, timeZone)} id="rto-due" />
          </dl>
          {inv.state === 'open' ? <Clocks inv={inv} /> : <Outcome inv={inv} />}
          <Checklist inv={inv} />
          {inv.state === 'open' && <Comms inv={inv} siteTimeZone={siteTimeZone} />}
          <RecoveryActions inv={inv} />
          <Timeline inv={inv} />
        </Stack>
      </Box>
    </section>
  );
}

function Fact({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={id}>{value}</dd>
    </div>
  );
}
