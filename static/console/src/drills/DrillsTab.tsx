/**
 * The Drills tab: exercises of continuity plans, upcoming (scheduled or running) and past (completed or
 * cancelled). Running one creates its exercise issue and invokes the plan on it; the issue's panel runs
 * the clock and checklist as for a real incident, marked DRILL. Once it recovers, its report is
 * published and the result (achieved time against the RTO, findings) shows here.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import { router } from '@forge/bridge';
import type { DrillResult, DrillsPage, DrillView } from '../../../../src/contract/loop';
import type { ResolverError } from '../../../../src/contract/errors';
import { bridgeError } from '../api';
import { formatDate, listInWords, plural } from '../components/format';
import { Lozenge, type LozengeAppearance } from '../components/Lozenge';
import { Message } from '../components/Message';
import { useConsole } from '../context';
import type { TabProps } from '../tabs';
import * as api from './api';

const ScheduleDrill = lazy(() => import('./ScheduleDrill').then((m) => ({ default: m.ScheduleDrill })));

const STATE: Record<DrillView['state'], { text: string; appearance: LozengeAppearance }> = {
  scheduled: { text: 'Scheduled', appearance: 'new' },
  running: { text: 'Running', appearance: 'inprogress' },
  completed: { text: 'Completed', appearance: 'success' },
  cancelled: { text: 'Cancelled', appearance: 'default' },
};

const minutes = (m: number) => (m < 60 ? `${m} min` : m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`);

export function resultText(result: DrillResult): string {
  if (result.outcome === 'stood-down') return 'Stood down: not measured';
  const achieved = minutes(result.achievedMinutes ?? 0);
  return result.outcome === 'met' ? `Recovered in ${achieved}: RTO of ${minutes(result.rtoMinutes)} met` : `Recovered in ${achieved}: RTO of ${minutes(result.rtoMinutes)} missed by ${minutes(Math.max(1, (result.achievedMinutes ?? 0) - result.rtoMinutes))}`;
}

const openIssue = (key: string) => void router.navigate({ target: 'issue', issueKey: key } as never);

export default function DrillsTab(_props: TabProps) {
  const { view } = useConsole();
  const [page, setPage] = useState<DrillsPage | undefined>();
  const [error, setError] = useState<ResolverError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [scheduling, setScheduling] = useState(false);
  const [busy, setBusy] = useState<string | undefined>();

  const load = useCallback(async () => {
    const answer = await api.listDrills().catch(bridgeError);
    if (answer.ok) setPage(answer.data);
    setError(answer.ok ? undefined : answer.error);
  }, []);
  useEffect(() => void load(), [load]);

  const act = async (id: string, run: () => Promise<{ ok: true; data: unknown } | { ok: false; error: ResolverError }>, success: (data: never) => string) => {
    setBusy(id);
    setNotice(undefined);
    const answer = await run().catch(bridgeError);
    setBusy(undefined);
    if (!answer.ok) {
      setError(answer.error);
      return;
    }
    setError(undefined);
    setNotice(success(answer.data as never));
    await load();
  };

  if (!page) return error ? <Message kind="error" title="The drills could not be listed.">{error.message}</Message> : <p className="subtle">Loading the drills…</p>;
  const tz = view.timeZone;
  return (
    <Stack space="space.200">
      <Inline space="space.200" alignBlock="center" spread="space-between" shouldWrap>
        <h2>Drills</h2>
        {page.canManage && !scheduling && (
          <Button appearance="primary" onClick={() => setScheduling(true)} testId="add-drill">
            Schedule a drill
          </Button>
        )}
      </Inline>
      <p className="subtle">A drill runs a plan through the same clock, checklist and timeline as a real incident, on an exercise issue marked DRILL: nothing is posted to customers and it never counts as an outage.</p>
      {!page.issueLocation.ok && (
        <Message kind="warning" testId="drill-location">
          {page.issueLocation.message}
        </Message>
      )}
      {notice && (
        <Message kind="success" testId="drill-notice">
          {notice}
        </Message>
      )}
      {error && (
        <Message kind="error" testId="drill-error">
          {error.message}
        </Message>
      )}
      {scheduling && (
        <Suspense fallback={<p className="subtle">Loading…</p>}>
          <ScheduleDrill
            page={page}
            onCancel={() => setScheduling(false)}
            onDone={(drill) => {
              setScheduling(false);
              setNotice(`${drill.kindName} of ${drill.plan.title} scheduled for ${formatDate(drill.scheduledFor, tz)}.`);
              void load();
            }}
          />
        </Suspense>
      )}
      <section aria-labelledby="upcoming-title">
        <h3 id="upcoming-title">Upcoming</h3>
        {page.upcoming.length === 0 ? (
          <p className="subtle" data-testid="no-upcoming">
            No drill is scheduled.
          </p>
        ) : (
          <table className="grid" data-testid="upcoming-drills">
            <caption className="visually-hidden">Upcoming drills</caption>
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Kind</th>
                <th scope="col">When</th>
                <th scope="col">Participants</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.upcoming.map((d) => (
                <tr key={d.id} data-testid="drill-row" data-drill={d.id} data-state={d.state}>
                  <th scope="row">
                    {d.plan.title}
                    <div className="subtlest">{d.service.name}</div>
                  </th>
                  <td>{d.kindName}</td>
                  <td className="nowrap">{formatDate(d.scheduledFor, tz)}</td>
                  <td>{d.participants.length > 0 ? listInWords(d.participants.map((p) => p.displayName ?? p.accountId)) : <span className="subtle">—</span>}</td>
                  <td>
                    <Lozenge appearance={STATE[d.state].appearance}>{STATE[d.state].text}</Lozenge>
                    {d.awaitingResult && <div className="subtlest">Recovered: the report is on its way</div>}
                  </td>
                  <td>
                    <Inline space="space.050" shouldWrap>
                      {d.state === 'scheduled' && (
                        <Button appearance="primary" spacing="compact" isLoading={busy === d.id} onClick={() => void act(d.id, () => api.runDrill(d.id), (a: { issue: { key: string } }) => `The drill is running as ${a.issue.key}: open it to work the checklist.`)} testId="run-drill">
                          Run drill
                        </Button>
                      )}
                      {d.issue && (
                        <Button spacing="compact" onClick={() => openIssue(d.issue!.key)} testId="open-drill-issue">
                          Open {d.issue.key}
                        </Button>
                      )}
                      {d.awaitingResult && (
                        <Button spacing="compact" isLoading={busy === d.id} onClick={() => void act(d.id, () => api.completeDrill(d.id), () => 'The result is recorded and the report published.')} testId="complete-drill">
                          Record the result
                        </Button>
                      )}
                      {d.state === 'scheduled' && page.canManage && (
                        <Button spacing="compact" appearance="subtle" onClick={() => void act(d.id, () => api.cancelDrill({ drillId: d.id }), () => 'The drill was cancelled.')} testId="cancel-drill">
                          Cancel
                        </Button>
                      )}
                    </Inline>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="past-title">
        <h3 id="past-title">Past</h3>
        {page.past.length === 0 ? (
          <p className="subtle" data-testid="no-past">
            No drill has run yet.
          </p>
        ) : (
          <table className="grid" data-testid="past-drills">
            <caption className="visually-hidden">Past drills</caption>
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Kind</th>
                <th scope="col">When</th>
                <th scope="col">Result</th>
                <th scope="col">Findings</th>
                <th scope="col">Report</th>
              </tr>
            </thead>
            <tbody>
              {page.past.map((d) => (
                <tr key={d.id} data-testid="past-drill-row" data-drill={d.id} data-state={d.state}>
                  <th scope="row">
                    {d.plan.title}
                    <div className="subtlest">{d.service.name}</div>
                  </th>
                  <td>{d.kindName}</td>
                  <td className="nowrap">{formatDate(d.result?.completedAt ?? d.cancelled?.at ?? d.scheduledFor, tz)}</td>
                  <td data-testid="drill-result">
                    {d.result ? (
                      <Lozenge appearance={d.result.outcome === 'met' ? 'success' : d.result.outcome === 'missed' ? 'removed' : 'default'}>{resultText(d.result)}</Lozenge>
                    ) : (
                      <span className="subtle">Cancelled{d.cancelled?.reason ? `: ${d.cancelled.reason}` : ''}</span>
                    )}
                  </td>
                  <td>{d.result?.findings === undefined ? '—' : plural(d.result.findings, 'finding')}</td>
                  <td>
                    {d.result?.report ? (
                      <a href={d.result.report.url} target="_blank" rel="noreferrer" data-testid="drill-report">
                        Drill report
                      </a>
                    ) : (
                      '—'
                    )}
                    {d.issue && (
                      <div>
                        <button type="button" className="linklike" onClick={() => openIssue(d.issue!.key)}>
                          {d.issue.key}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Stack>
  );
}
