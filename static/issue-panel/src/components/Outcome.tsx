/** A plan that is no longer running: recovered (against both RTOs) or stood down (and why). */
import { Text } from '@atlaskit/primitives/compiled';
import type { InvocationView } from '../../../../src/contract/issue-panel';
import { Notice } from '../../../shared/Notice';
import { formatMinutes } from '../../../shared/time';

export function Outcome({ inv }: { inv: InvocationView }) {
  if (inv.recovery) {
    const { achievedMinutes, rtoMet, ownRtoMet } = inv.recovery;
    const both = inv.ownRtoMinutes !== inv.rtoMinutes;
    const text = both
      ? `Recovered in ${formatMinutes(achievedMinutes)}: committed RTO of ${formatMinutes(inv.ownRtoMinutes)} ${ownRtoMet ? 'met' : 'missed'}; effective RTO of ${formatMinutes(inv.rtoMinutes)} ${rtoMet ? 'met' : 'missed'}.`
      : `Recovered in ${formatMinutes(achievedMinutes)}: RTO of ${formatMinutes(inv.rtoMinutes)} ${rtoMet ? 'met' : 'missed'}.`;
    return (
      <Notice appearance={ownRtoMet ? 'success' : 'error'}>
        <Text as="p" testId="recovery-result">
          {text}
        </Text>
      </Notice>
    );
  }
  if (inv.state === 'stood-down') {
    return (
      <Notice>
        <Text as="p" testId="stood-down">
          Stood down: {inv.standDownReason}
        </Text>
      </Notice>
    );
  }
  return null;
}
