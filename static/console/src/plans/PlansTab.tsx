import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { PlanFlag, PlanRegistryPage, PlanRow, PlanStatus } from '../../../../src/contract/console';
import type { ResolverError } from '../../../../src/contract/errors';
import { bridgeError, listPlans } from '../api';
import { ConfluenceNotice, PageActions, PlanActionsProvider, PlanProblems, StatusActions, usePlanActionsState } from './PlanPageActions';
import { PublishAll } from './PublishAll';
import { formatDate, plural } from '../components/format';
import { Lozenge, type LozengeAppearance } from '../components/Lozenge';
import { Message } from '../components/Message';
import { useConsole } from '../context';
import { FindingsCell } from '../findings/FindingsCell';
import type { TabProps } from '../tabs';

const PlanForm = lazy(() => import('./PlanForm'));

export const STATUS_WORDS: Record<PlanStatus, string> = { draft: 'Draft', 'in-review': 'In review', approved: 'Approved', retired: 'Retired' };
const STATUS_APPEARANCE: Record<PlanStatus, LozengeAppearance> = { draft: 'default', 'in-review': 'inprogress', approved: 'success', retired: 'default' };
const FLAG_WORDS: Record<PlanFlag, { text: string; appearance: LozengeAppearance }> = {
  'review-overdue': { text: 'Review overdue', appearance: 'removed' },
  'never-reviewed': { text: 'Never reviewed', appearance: 'removed' },
  'never-tested': { text: 'Never tested', appearance: 'moved' },
  'service-retired': { text: 'Service retired', appearance: 'default' },
  'steps-unreadable': { text: 'Steps unreadable', appearance: 'removed' },
  'review-due': { text: 'Review due', appearance: 'moved' },
};

type Mode = { kind: 'list' } | { kind: 'plan'; id?: string; serviceId?: string };

/** The Plans tab: the registry of every plan with its review and test status, and the gaps in coverage. */
export default function PlansTab({ intent, onIntentHandled }: TabProps) {
  const { view, refresh } = useConsole();
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [page, setPage] = useState<PlanRegistryPage | undefined>();
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [error, setError] = useState<ResolverError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const fetchPage = useCallback(async (cursor?: string) => {
    setBusy(true);
    const answer = await listPlans(cursor).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) {
      setError(answer.error);
      return false;
    }
    setError(undefined);
    setPage(answer.data);
    return true;
  }, []);
  useEffect(() => void fetchPage(), [fetchPage]);
  useEffect(() => {
    if (intent?.kind === 'create-plan') setMode({ kind: 'plan', serviceId: intent.serviceId });
    if (intent) onIntentHandled();
  }, [intent, onIntentHandled]);

  const backToList = (changed?: string) => {
    setMode({ kind: 'list' });
    if (changed) {
      setNotice(changed);
      refresh();
      setCursors([undefined]);
      void fetchPage();
    }
  };
  // A plan page published, adopted, moved or reviewed from the list: the same as a save.
  const reload = useCallback(() => {
    refresh();
    setCursors([undefined]);
    void fetchPage();
  }, [refresh, fetchPage]);
  const changedHere = useCallback(
    (message: string) => {
      setNotice(message);
      reload();
    },
    [reload],
  );
  const actions = usePlanActionsState(view.role.manager, view.timeZone, changedHere);
  const next = async () => {
    const cursor = page?.cursor;
    if (cursor && (await fetchPage(cursor))) setCursors([...cursors, cursor]);
  };
  const back = async () => {
    const earlier = cursors.slice(0, -1);
    if (earlier.length > 0 && (await fetchPage(earlier[earlier.length - 1]))) setCursors(earlier);
  };

  if (mode.kind === 'plan') {
    return (
      <Suspense fallback={<p className="subtle">Loading…</p>}>
        <PlanForm id={mode.id} serviceId={mode.serviceId} onDone={backToList} />
      </Suspense>
    );
  }
  const manager = view.role.manager;
  return (
    <PlanActionsProvider value={actions}>
      <Stack space="space.200">
        <Inline space="space.200" alignBlock="center" spread="space-between" shouldWrap>
          <h2>Plans</h2>
          {manager && (
            <Button appearance="primary" onClick={() => setMode({ kind: 'plan' })} testId="add-plan">
              Create plan
            </Button>
          )}
        </Inline>
        <ConfluenceNotice />
        <PublishAll manager={manager} disabled={actions.pagesOff || !actions.canPublish} onFinished={reload} />
        {notice && (
          <Message kind="success" testId="notice">
            {notice}
          </Message>
        )}
        {error && (
          <Message kind="error" title="The plans could not be listed.">
            {error.message}
          </Message>
        )}
        {!page ? (
          <p className="subtle">Loading the plans…</p>
        ) : (
          <>
            {page.gaps && page.gaps.length > 0 && (
              <div className="message warning" role="status" data-testid="gaps">
                <strong>Tier 1 and 2 services without an approved plan:</strong>
                <ul>
                  {page.gaps.map((g) => (
                    <li key={g.id}>
                      {g.name} ({g.tierName})
                      {manager && (
                        <>
                          {' '}
                          <button type="button" className="linklike" onClick={() => setMode({ kind: 'plan', serviceId: g.id })}>
                            Create a plan for {g.name}
                          </button>
                          {!page.items.some((p) => p.service.id === g.id && p.page && p.status !== 'retired') && <PageActions serviceId={g.id} serviceName={g.name} />}
                        </>
                      )}
                    </li>
                  ))}
                </ul>
                {page.gapsMore && <p>…and more: filter the Services tab by “Without an approved plan”.</p>}
              </div>
            )}
            {page.items.length === 0 ? (
              <div className="panel" data-testid="empty-plans">
                <h3>No plans yet</h3>
                <p className="subtle">A continuity plan says how a service is recovered: who does what, in which order, and how people are kept informed.</p>
                {manager ? <p>Create one for each Tier 1 and 2 service.</p> : <p>A Service Continuity Manager creates them.</p>}
              </div>
            ) : (
              <PlanTable plans={page.items} timeZone={view.timeZone} busy={busy} onOpen={manager ? (id) => setMode({ kind: 'plan', id }) : undefined} />
            )}
            {!page.openInvocations.complete && <p className="subtlest">Open invocations are counted on the {page.openInvocations.incidentsRead} open incidents read; there are more.</p>}
            {(cursors.length > 1 || page.cursor) && (
              <Inline space="space.100" alignBlock="center">
                <Button onClick={() => void back()} isDisabled={cursors.length === 1 || busy}>
                  Previous page
                </Button>
                <span className="subtle">Page {cursors.length}</span>
                <Button onClick={() => void next()} isDisabled={!page.cursor || busy}>
                  Next page
                </Button>
              </Inline>
            )}
          </>
        )}
      </Stack>
    </PlanActionsProvider>
  );
}

function PlanTable({ plans, timeZone, busy, onOpen }: { plans: readonly PlanRow[]; timeZone: string; busy: boolean; onOpen?: (id: string) => void }) {
  return (
    <table className="grid" aria-busy={busy} data-testid="plan-table">
      <caption className="visually-hidden">Continuity plans</caption>
      <thead>
        <tr>
          <th scope="col">Plan</th>
          <th scope="col">Service</th>
          <th scope="col">Owner</th>
          <th scope="col">Status</th>
          <th scope="col">Last review</th>
          <th scope="col">Next review due</th>
          <th scope="col">Last test</th>
          <th scope="col">Open invocations</th>
          <th scope="col">Flags</th>
          <th scope="col">Findings</th>
        </tr>
      </thead>
      <tbody>
        {plans.map((p) => (
          <tr key={p.id} data-testid="plan-row" data-plan={p.id}>
            <th scope="row">
              {onOpen ? (
                <button type="button" className="linklike" onClick={() => onOpen(p.id)}>
                  {p.title}
                </button>
              ) : (
                p.title
              )}
              {p.page && (
                <div className="subtlest">
                  <a href={p.page.url} target="_blank" rel="noreferrer">
                    Plan page
                  </a>
                </div>
              )}
              <div className="subtlest">{plural(p.stepCount, 'step')}</div>
              {!p.page && p.status !== 'retired' && p.service.status === 'active' && <PageActions serviceId={p.service.id} serviceName={p.service.name} />}
            </th>
            <td>
              {p.service.name}
              {p.service.tierName && <div className="subtlest">{p.service.tierName}</div>}
            </td>
            <td>{p.owner?.displayName ?? <span className="subtle">—</span>}</td>
            <td>
              <Lozenge appearance={STATUS_APPEARANCE[p.status]}>{STATUS_WORDS[p.status]}</Lozenge>
              <StatusActions row={p} />
            </td>
            <td className="nowrap">{formatDate(p.lastReviewedAt, timeZone)}</td>
            <td className="nowrap">{p.nextReviewDueAt === undefined ? (p.status === 'retired' ? '—' : 'Now') : formatDate(p.nextReviewDueAt, timeZone)}</td>
            <td className="nowrap">{formatDate(p.lastTestedAt, timeZone)}</td>
            <td data-testid="open-invocations">
              {p.openInvocations}
              {p.openDrills > 0 && <span className="subtlest" data-testid="open-drills">{` + ${p.openDrills} drill${p.openDrills === 1 ? '' : 's'}`}</span>}
            </td>
            <td>
              <PlanProblems row={p} />
              <div className="flags" data-testid="plan-flags">
                {p.flags.map((f) => (
                  <Lozenge key={f} appearance={FLAG_WORDS[f].appearance}>
                    {FLAG_WORDS[f].text}
                  </Lozenge>
                ))}
              </div>
            </td>
            <td>
              <FindingsCell row={p} timeZone={timeZone} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
