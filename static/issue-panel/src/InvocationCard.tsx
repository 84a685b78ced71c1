import { useState } from 'react';
import type { InvocationView, StepView } from '../../../src/contract/issue-panel';
import type { ResolverError } from '../../../src/contract/errors';
import * as api from './api';
import type { Act } from './App';
import { clockState, formatCountdown, formatMinutes, formatTime } from './time';

interface Props {
  inv: InvocationView;
  now: number;
  can: { edit: boolean; comment: boolean };
  act: Act;
}

export function InvocationCard({ inv, now, can, act }: Props) {
  const [error, setError] = useState<ResolverError | undefined>();
  const run: Act = async (call) => {
    const failure = await act(call);
    setError(failure);
    return failure;
  };
  const state = clockState(inv.startedAt, inv.rtoDueAt, now);
  const remaining = inv.rtoDueAt - now;
  return (
    <section className="invocation" data-testid="invocation" data-state={inv.state} aria-label={`Continuity plan ${inv.plan.title}`}>
      <header>
        <a className="plan" href={inv.plan.url} target="_blank" rel="noreferrer" data-testid="plan-title">
          {inv.plan.title}
        </a>
        <span className="lozenge">{inv.service.tierName}</span>
        {inv.state !== 'open' && <span className={`lozenge ${inv.state}`} data-testid="state">{inv.state === 'recovered' ? 'Recovered' : 'Stood down'}</span>}
      </header>
      <dl className="facts">
        <Fact label="Service" value={inv.service.name} id="service" />
        <Fact label="RTO" value={formatMinutes(inv.rtoMinutes)} id="rto" />
        <Fact label="RPO" value={formatMinutes(inv.rpoMinutes)} id="rpo" />
        <Fact label="Recover by" value={formatTime(inv.rtoDueAt)} id="rto-due" />
      </dl>
      {inv.state === 'open' && (
        <div className={`countdown ${state}`} data-testid="countdown" data-state={state} role="timer" aria-live="off">
          {state === 'breached' ? `RTO breached ${formatCountdown(remaining)} ago` : `${formatCountdown(remaining)} left`}
        </div>
      )}
      {inv.recovery && (
        <p className={`message ${inv.recovery.rtoMet ? 'success' : 'error'}`} data-testid="recovery-result">
          Recovered in {formatMinutes(inv.recovery.achievedMinutes)}: RTO of {formatMinutes(inv.rtoMinutes)} {inv.recovery.rtoMet ? 'met' : 'missed'}.
        </p>
      )}
      {inv.state === 'stood-down' && <p className="message" data-testid="stood-down">Stood down: {inv.standDownReason}</p>}
      {inv.inversions.map((x) => (
        <p className="message warning" key={x.dependencyName} data-testid="inversion">
          Depends on {x.dependencyName} (RTO {formatMinutes(x.dependencyRtoMinutes)}), longer than this service's own RTO of {formatMinutes(inv.ownRtoMinutes)}: the
          effective RTO is {formatMinutes(inv.rtoMinutes)}.
        </p>
      ))}
      {error && (
        <p className="message error" role="alert" data-testid="action-error">
          {error.message}
        </p>
      )}
      <Checklist inv={inv} now={now} canEdit={can.edit && inv.state === 'open'} run={run} />
      <Comms inv={inv} canComment={can.comment} run={run} />
      {can.edit && <RecoveryActions inv={inv} run={run} />}
      <Timeline inv={inv} />
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

function Checklist({ inv, now, canEdit, run }: { inv: InvocationView; now: number; canEdit: boolean; run: Act }) {
  const p = inv.progress;
  const projected = now + p.remainingMinutes * 60_000;
  const withinRto = projected <= inv.rtoDueAt;
  return (
    <div className="checklist">
      <h4>
        Recovery checklist <span className="muted" data-testid="progress">{p.done + p.skipped} of {p.total} steps ({p.percent} %)</span>
      </h4>
      <div className="bar" role="progressbar" aria-valuenow={p.percent} aria-valuemin={0} aria-valuemax={100} aria-label="Checklist progress">
        <span style={{ width: `${p.percent}%` }} />
      </div>
      {inv.state === 'open' && p.remainingMinutes > 0 && (
        <p className={withinRto ? 'muted' : 'message warning'} data-testid="projection" data-within-rto={withinRto}>
          Projected recovery {formatTime(projected)} ({formatMinutes(p.remainingMinutes)} of steps left): {withinRto ? 'within' : 'after'} the RTO.
        </p>
      )}
      <ol className="steps">
        {inv.steps.map((step) => (
          <Step key={step.id} step={step} invocationId={inv.id} canEdit={canEdit} run={run} />
        ))}
      </ol>
    </div>
  );
}

function Step({ step, invocationId, canEdit, run }: { step: StepView; invocationId: string; canEdit: boolean; run: Act }) {
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const go = async (call: () => ReturnType<typeof api.markStepDone>) => {
    setBusy(true);
    const failure = await run(call);
    setBusy(false);
    if (!failure) setSkipping(false);
  };
  return (
    <li className={`step ${step.status}`} data-testid="step" data-step={step.id} data-status={step.status}>
      <div className="step-title">{step.title}</div>
      <div className="muted">
        {step.role} · ~{formatMinutes(step.expectedMinutes)}
        {step.status !== 'pending' && step.by && step.at && (
          <span data-testid="step-record">
            {' '}· {step.status === 'done' ? 'Done' : 'Skipped'} by {step.by.displayName} at {formatTime(step.at)}
            {step.reason ? ` (${step.reason})` : ''}
          </span>
        )}
      </div>
      {canEdit && step.status === 'pending' && !skipping && (
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void go(() => api.markStepDone({ invocationId, stepId: step.id }))}>Done</button>
          <button type="button" disabled={busy} onClick={() => setSkipping(true)}>Skip…</button>
        </div>
      )}
      {canEdit && skipping && (
        <form className="actions" onSubmit={(e) => (e.preventDefault(), void go(() => api.skipStep({ invocationId, stepId: step.id, reason })))}>
          <label htmlFor={`reason-${step.id}`}>Why skip this step?</label>
          <input id={`reason-${step.id}`} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} minLength={3} maxLength={500} required />
          <button type="submit" disabled={busy}>Skip step</button>
          <button type="button" onClick={() => setSkipping(false)}>Cancel</button>
        </form>
      )}
      {canEdit && step.status !== 'pending' && (
        <div className="actions">
          <button type="button" className="subtle" disabled={busy} onClick={() => void go(() => api.reopenStep({ invocationId, stepId: step.id }))}>Undo</button>
        </div>
      )}
    </li>
  );
}

function Comms({ inv, canComment, run }: { inv: InvocationView; canComment: boolean; run: Act }) {
  const [templateId, setTemplateId] = useState(inv.comms[0]?.templateId ?? '');
  const [impact, setImpact] = useState('');
  const [busy, setBusy] = useState(false);
  const [posted, setPosted] = useState<string | undefined>();
  const template = inv.comms.find((c) => c.templateId === templateId) ?? inv.comms[0];
  if (!template) return null;
  const preview = template.text.replace(/\{\{\s*impact\s*\}\}/gi, impact.trim() || 'under assessment');
  const post = async (audience: 'internal' | 'public') => {
    setBusy(true);
    const failure = await run(() => api.postComms({ invocationId: inv.id, templateId: template.templateId, audience, impact: impact.trim() || undefined, seen: template.postedCount }));
    setBusy(false);
    setPosted(failure ? undefined : `Posted as ${audience === 'internal' ? 'an internal' : 'a public'} comment.`);
  };
  return (
    <div className="comms">
      <h4>Communication <span className="muted">{inv.nextUpdate && `next update due ${formatTime(inv.nextUpdate.dueAt)}`}</span></h4>
      <label htmlFor={`tpl-${inv.id}`}>Template</label>
      <select id={`tpl-${inv.id}`} value={template.templateId} onChange={(e) => setTemplateId(e.target.value)} data-testid="comms-template">
        {inv.comms.map((c) => (
          <option key={c.templateId} value={c.templateId}>
            {c.name} ({c.audience}){c.postedCount ? ` · posted ${c.postedCount}×` : ''}
          </option>
        ))}
      </select>
      <label htmlFor={`impact-${inv.id}`}>Impact</label>
      <input id={`impact-${inv.id}`} value={impact} onChange={(e) => setImpact(e.target.value)} placeholder="e.g. 30 % of card payments fail" maxLength={1000} data-testid="comms-impact" />
      <blockquote className="preview" data-testid="comms-preview">{preview}</blockquote>
      {canComment && (
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void post('internal')} data-testid="post-internal">Post internal comment</button>
          {template.audience === 'public' && (
            <button type="button" disabled={busy} onClick={() => void post('public')} data-testid="post-public">Post public reply</button>
          )}
          {posted && <span className="muted" role="status">{posted}</span>}
        </div>
      )}
    </div>
  );
}

function RecoveryActions({ inv, run }: { inv: InvocationView; run: Act }) {
  const [confirming, setConfirming] = useState<'recover' | 'stand-down' | 'reopen' | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const go = async (call: () => ReturnType<typeof api.declareRecovered>) => {
    setBusy(true);
    const failure = await run(call);
    setBusy(false);
    if (!failure) {
      setConfirming(undefined);
      setReason('');
    }
  };
  if (confirming) {
    const text = {
      recover: 'Declare the service recovered? This stops the RTO clock and records the achieved recovery time.',
      'stand-down': 'Stand down this invocation as a false alarm?',
      reopen: 'Reopen this invocation and restart its clock from the incident start?',
    }[confirming];
    return (
      <form className="confirm" role="alertdialog" aria-label="Confirm" onSubmit={(e) => {
        e.preventDefault();
        if (confirming === 'recover') void go(() => api.declareRecovered({ invocationId: inv.id }));
        else if (confirming === 'stand-down') void go(() => api.standDown({ invocationId: inv.id, reason }));
        else void go(() => api.reopen({ invocationId: inv.id, reason: reason || undefined }));
      }}>
        <p>{text}</p>
        {confirming !== 'recover' && (
          <>
            <label htmlFor={`why-${inv.id}`}>{confirming === 'stand-down' ? 'Reason' : 'Reason (optional)'}</label>
            <input id={`why-${inv.id}`} value={reason} onChange={(e) => setReason(e.target.value)} required={confirming === 'stand-down'} minLength={confirming === 'stand-down' ? 3 : 0} maxLength={500} autoFocus />
          </>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} autoFocus={confirming === 'recover'} data-testid="confirm">Confirm</button>
          <button type="button" onClick={() => setConfirming(undefined)}>Cancel</button>
        </div>
      </form>
    );
  }
  return (
    <div className="actions recovery">
      {inv.state === 'open' ? (
        <>
          <button type="button" className="primary" onClick={() => setConfirming('recover')} data-testid="declare-recovered">Declare recovered</button>
          <button type="button" onClick={() => setConfirming('stand-down')} data-testid="stand-down">Stand down</button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming('reopen')} data-testid="reopen">Reopen</button>
      )}
    </div>
  );
}

function Timeline({ inv }: { inv: InvocationView }) {
  return (
    <details className="timeline">
      <summary>Timeline ({inv.timeline.length})</summary>
      <ol data-testid="timeline">
        {inv.timeline.map((t, i) => (
          <li key={i} data-kind={t.kind}>
            <span className="muted">{formatTime(t.at)}</span> {t.actorName}: {t.detail}
          </li>
        ))}
      </ol>
    </details>
  );
}
