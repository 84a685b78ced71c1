/** The invocation's timeline (the postmortem is built from it), in the viewer's time zone. */
import type { InvocationView } from '../../../../src/contract/issue-panel';
import { formatTime } from '../../../shared/time';
import { usePanel } from '../panel-context';

export function Timeline({ inv }: { inv: InvocationView }) {
  const { timeZone } = usePanel();
  return (
    <details className="timeline">
      <summary>Timeline ({inv.timeline.length})</summary>
      <ol data-testid="timeline">
        {inv.timeline.map((t, i) => (
          <li key={i} data-kind={t.kind}>
            <span className="ds-subtle">{formatTime(t.at, timeZone)}</span> {t.actorName}: {t.detail}
          </li>
        ))}
      </ol>
    </details>
  );
}
