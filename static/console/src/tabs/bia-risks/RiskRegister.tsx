import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { RiskRating, RiskRegisterView, RiskView } from '../../../../../src/contract/measure';
import type { ResolverError } from '../../../../../src/contract/errors';
import { bridgeError } from '../../api';
import { formatDate, plural } from '../../components/format';
import { Lozenge, type LozengeAppearance } from '../../components/Lozenge';
import { Message } from '../../components/Message';
import { useConsole } from '../../context';
import { listRisks } from '../measure-api';
import { RiskForm } from './RiskForm';

const RATING_APPEARANCE: Record<RiskRating, LozengeAppearance> = { low: 'default', medium: 'inprogress', high: 'moved', critical: 'removed' };
const STATE_APPEARANCE: Record<string, LozengeAppearance> = { none: 'removed', planned: 'moved', 'in-place': 'inprogress', tested: 'success' };
const FLAG_WORDS = { 'no-mechanism': 'No mechanism', 'mechanism-overdue': 'Mechanism overdue', 'high-risk-untested': 'Not tested' } as const;

type Mode = { kind: 'list' } | { kind: 'form'; risk?: RiskView };

/** A service's risk register: threats, scores, mechanisms and how long each took to be in place, with flags. */
export function RiskRegister({ serviceId }: { serviceId: string }) {
  const { view: page } = useConsole();
  const manager = page.role.manager;
  const [register, setRegister] = useState<RiskRegisterView | undefined>();
  const [error, setError] = useState<ResolverError | undefined>();
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [notice, setNotice] = useState<string | undefined>();

  const load = useCallback(async () => {
    const answer = await listRisks(serviceId).catch(bridgeError);
    if (answer.ok) {
      setRegister(answer.data);
      setError(undefined);
    } else setError(answer.error);
  }, [serviceId]);
  useEffect(() => void load(), [load]);

  const done = (changed?: string) => {
    setMode({ kind: 'list' });
    if (changed) {
      setNotice(changed);
      void load();
    }
  };

  if (error) return <Message kind="error" title="The risk register could not be loaded.">{error.message}</Message>;
  if (!register) return <p className="subtle">Loading the risk register…</p>;
  const { summary } = register;
  return (
    <section aria-labelledby="risks-heading" className="panel" data-testid="risk-register">
      <Stack space="space.200">
        <Inline space="space.200" alignBlock="center" spread="space-between" shouldWrap>
          <h3 id="risks-heading">Risk register of {register.service.name}</h3>
          {manager && mode.kind === 'list' && (
            <Button appearance="primary" onClick={() => setMode({ kind: 'form' })} testId="add-risk">
              Record a risk
            </Button>
          )}
        </Inline>
        <p className="subtle" data-testid="risk-summary">
          {plural(summary.risks, 'risk')}, {summary.withoutMechanism} without a continuity mechanism, {summary.flagged} flagged.
          {summary.meanImplementationDays !== null && ` On average ${summary.meanImplementationDays} days from a risk identified to its mechanism in place.`}
        </p>
        {notice && (
          <Message kind="success" testId="risk-notice">
            {notice}
          </Message>
        )}
        {mode.kind === 'form' && <RiskForm serviceId={serviceId} risk={mode.risk} choices={register.choices} onDone={done} />}
        {register.risks.length === 0 ? (
          <p data-testid="no-risks">No risks recorded for this service yet.</p>
        ) : (
          <RiskTable risks={register.risks} timeZone={page.timeZone} onOpen={manager ? (risk) => setMode({ kind: 'form', risk }) : undefined} />
        )}
      </Stack>
    </section>
  );
}

function RiskTable({ risks, timeZone, onOpen }: { risks: readonly RiskView[]; timeZone: string; onOpen?: (risk: RiskView) => void }) {
  return (
    <table className="grid" data-testid="risk-table">
      <caption className="visually-hidden">Risks</caption>
      <thead>
        <tr>
          <th scope="col">Threat</th>
          <th scope="col">Score</th>
          <th scope="col">Continuity mechanism</th>
          <th scope="col">Identified</th>
          <th scope="col">In place</th>
          <th scope="col">Implementation duration</th>
          <th scope="col">Flags</th>
        </tr>
      </thead>
      <tbody>
        {risks.map((r) => (
          <tr key={r.id} data-testid="risk-row" data-risk={r.id}>
            <th scope="row">
              {onOpen ? (
                <button type="button" className="linklike" onClick={() => onOpen(r)}>
                  {r.threat.name}
                </button>
              ) : (
                r.threat.name
              )}
            </th>
            <td className="nowrap">
              {r.likelihood} × {r.impact} = {r.score} <Lozenge appearance={RATING_APPEARANCE[r.rating]}>{r.rating}</Lozenge>
            </td>
            <td>
              {r.mechanism ? (
                <>
                  {r.mechanism.kindName} <Lozenge appearance={STATE_APPEARANCE[r.mechanism.state]}>{r.mechanism.stateName}</Lozenge>
                  <div className="subtlest">{r.mechanism.description}</div>
                </>
              ) : (
                <span className="subtle">None</span>
              )}
            </td>
            <td className="nowrap">{formatDate(r.identifiedAt, timeZone)}</td>
            <td className="nowrap">{formatDate(r.mechanismInPlaceAt, timeZone)}</td>
            <td className="nowrap" data-testid="implementation-days">
              {r.implementationDays === undefined ? <span className="subtle">—</span> : plural(r.implementationDays, 'day')}
            </td>
            <td>
              <div className="flags" data-testid="risk-flags">
                {r.flags.map((f) => (
                  <Lozenge key={f.flag} appearance="removed" title={f.message}>
                    {FLAG_WORDS[f.flag]}
                  </Lozenge>
                ))}
              </div>
              {r.flags.length > 0 && <span className="visually-hidden">{r.flags.map((f) => f.message).join(' ')}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
