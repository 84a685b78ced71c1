import { useCallback, useEffect, useState } from 'react';
import type { ResolverError } from '../../../src/contract/errors';
import type { LiveIncident, PlanPageStatus } from '../../../src/contract/plans';
import { loadStatus, markReviewed } from './api';
import { clockState, formatCountdown, formatMinutes } from '../../shared/time';
import { useServerNow } from '../../shared/useServerNow';

type Load = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; status: PlanPageStatus; offsetMs: number };

const STATUS_WORDS = { draft: 'Draft', 'in-review': 'In review', approved: 'Approved', retired: 'Retired' } as const;

/** A date as the page's history lines write it: 2026-03-31. */
const formatDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

export function App() {
  const [state, setState] = useState<Load>({ kind: 'loading' });
  const load = useCallback(async () => {
    try {
      const result = await loadStatus();
      if (result.ok) setState({ kind: 'ready', status: result.data, offsetMs: result.data.kind === 'plan' ? result.data.serverTime - Date.now() : 0 });
      else setState({ kind: 'error', error: result.error });
    } catch (e) {
      setState({ kind: 'error', error: { code: 'INTERNAL', message: (e as Error).message || 'Could not reach the app.' } });
    }
  }, []);
  useEffect(() => void load(), [load]);

  if (state.kind === 'loading') return <p className="muted" data-testid="loading">Loading the plan's live state…</p>;
  if (state.kind === 'error') {
    return (
      <div className="message error" role="alert" data-testid="error">
        <strong>Could not load the plan's live state.</strong> {state.error.message}{' '}
        <button type="button" onClick={() => void load()}>Try again</button>
      </div>
    );
  }
  const { status } = state;
  if (status.kind !== 'plan') {
    return (
      <div className="message" data-testid="not-a-plan">
        {status.message}
      </div>
    );
  }
  return <PlanBox status={status} offsetMs={state.offsetMs} reload={load} />;
}

type PlanStatusView = Extract<PlanPageStatus, { kind: 'plan' }>;

function PlanBox({ status, offsetMs, reload }: { status: PlanStatusView; offsetMs: number; reload: () => Promise<void> }) {
  const now = useServerNow(offsetMs);
  const [reviewing, setReviewing] = useState(false);
  const [problem, setProblem] = useState<string>();
  const review = async () => {
    setReviewing(true);
    setProblem(undefined);
    try {
      const result = await markReviewed();
      if (result.ok) await reload();
      else setProblem(result.error.message);
    } catch (e) {
      setProblem((e as Error).message || 'Could not reach the app.');
    } finally {
      setReviewing(false);
    }
  };
  return (
    <section className="plan-box" aria-labelledby="plan-title" data-testid="plan-box">
      <header>
        <h2 id="plan-title">{status.plan.title}</h2>
        <span className={`lozenge ${status.plan.status}`} data-testid="plan-status">{STATUS_WORDS[status.plan.status]}</span>
      </header>
      {status.plan.draft && <p className="message warning" data-testid="draft-note">DRAFT: this plan is not approved yet. Incidents still get it.</p>}
      {status.services.map((s) => (
        <dl className="facts" key={s.id} data-testid="objectives">
          <div><dt>Service</dt><dd>{s.name}</dd></div>
          <div><dt>Tier</dt><dd>{s.tierName}</dd></div>
          <div><dt>RTO</dt><dd data-testid="rto">{formatMinutes(s.rtoMinutes)}</dd></div>
          <div><dt>Effective RTO</dt><dd>{formatMinutes(s.effectiveRtoMinutes)}</dd></div>
          <div><dt>RPO</dt><dd>{formatMinutes(s.rpoMinutes)}</dd></div>
          <div><dt>Last review</dt><dd>{status.lastReviewedAt !== undefined ? formatDay(status.lastReviewedAt) : 'Never'}</dd></div>
          <div><dt>Last test</dt><dd>{status.lastTestedAt !== undefined ? formatDay(status.lastTestedAt) : 'Never'}</dd></div>
        </dl>
      ))}
      <p className={status.review.kind === 'due' ? 'muted' : 'message warning'} data-testid="review">{status.review.text}</p>
      {status.stepsProblem && <p className="message error" role="status" data-testid="steps-problem">{status.stepsProblem}</p>}
      <h3>Open incidents</h3>
      {status.openIncidents.length === 0 ? (
        <p className="muted" data-testid="no-incidents">{status.incidentsUnknown ?? 'No open incident has invoked this plan.'}</p>
      ) : (
        <ul className="incidents" data-testid="incidents">
          {status.openIncidents.map((i) => <Incident key={i.issueKey} incident={i} now={now} />)}
        </ul>
      )}
      {status.openIncidents.length > 0 && status.incidentsUnknown && <p className="muted">{status.incidentsUnknown}</p>}
      {status.canReview && (
        <p>
          <button type="button" onClick={() => void review()} disabled={reviewing} data-testid="mark-reviewed">{reviewing ? 'Recording…' : 'Mark reviewed'}</button>
        </p>
      )}
      {problem && <p className="message error" role="alert">{problem}</p>}
    </section>
  );
}

function Incident({ incident, now }: { incident: LiveIncident; now: number }) {
  const state = clockState(incident.rtoDueAt - incident.rtoMinutes * 60_000, incident.rtoDueAt, now);
  const left = incident.rtoDueAt - now;
  return (
    <li data-testid={`incident-${incident.issueKey}`}>
      <a href={incident.url} target="_blank" rel="noreferrer">{incident.issueKey}</a>
      {incident.drill && <strong data-testid="drill">DRILL</strong>}
      <span>{incident.serviceName}</span>
      <span className={`countdown ${state}`} data-testid="countdown">
        {state === 'breached' ? `RTO breached ${formatCountdown(left)} ago` : `RTO in ${formatCountdown(left)}`}
      </span>
    </li>
  );
}
