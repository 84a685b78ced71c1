/**
 * The plan registry's findings cell: "Findings waiting since <date>" (with the latest postmortem) until
 * the plan's owner, or a Service Continuity Manager, marks them handled. The server checks who may.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import type { PlanRow } from '../../../../src/contract/console';
import { bridgeError } from '../api';
import { formatDate, plural } from '../components/format';
import { Lozenge } from '../components/Lozenge';
import * as api from '../drills/api';

export function FindingsCell({ row, timeZone }: { row: PlanRow; timeZone: string }) {
  const [handled, setHandled] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const waiting = row.findingsWaiting;
  if (!waiting || handled) return <span className="subtle">{handled ? 'Handled' : '—'}</span>;
  const mark = async () => {
    setBusy(true);
    const answer = await api.markFindingsHandled(row.id).catch(bridgeError);
    setBusy(false);
    if (answer.ok) setHandled(true);
    else setError(answer.error.message);
  };
  return (
    <div data-testid="findings-waiting">
      <Lozenge appearance="moved" title={`${plural(waiting.findings, 'finding')} from ${plural(waiting.postmortems, 'postmortem')}`}>
        Findings waiting since {formatDate(waiting.since, timeZone)}
      </Lozenge>
      {waiting.latestUrl && (
        <div className="subtlest">
          <a href={waiting.latestUrl} target="_blank" rel="noreferrer">
            Latest postmortem
          </a>
        </div>
      )}
      <Button spacing="compact" isLoading={busy} onClick={() => void mark()} testId="findings-handled">
        Mark findings handled
      </Button>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
