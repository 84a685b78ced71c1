import { useEffect, useState } from 'react';
import { view } from '@forge/bridge';
import type { ResolverError } from '../../../src/contract/errors';
import type { AdoptOptions, PlanView } from '../../../src/contract/plans';
import { adopt, loadOptions } from './api';

type State =
  | { kind: 'loading' }
  | { kind: 'error'; error: ResolverError }
  | { kind: 'choose'; options: AdoptOptions }
  | { kind: 'adopted'; plan: PlanView };

const close = () => void view.close().catch(() => undefined);

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    loadOptions()
      .then((result) => setState(result.ok ? { kind: 'choose', options: result.data } : { kind: 'error', error: result.error }))
      .catch((e: Error) => setState({ kind: 'error', error: { code: 'INTERNAL', message: e.message || 'Could not reach the app.' } }));
  }, []);

  if (state.kind === 'loading') return <p className="muted">Loading the services…</p>;
  if (state.kind === 'error') {
    return (
      <div className="message error" role="alert" data-testid="error">
        {state.error.message}
        <div className="buttons"><button type="button" onClick={close}>Close</button></div>
      </div>
    );
  }
  if (state.kind === 'adopted') return <Adopted plan={state.plan} />;
  return <Choose options={state.options} onAdopted={(plan) => setState({ kind: 'adopted', plan })} />;
}

function Choose({ options, onAdopted }: { options: AdoptOptions; onAdopted: (plan: PlanView) => void }) {
  const free = options.services.filter((s) => !s.hasPlanPage);
  const [serviceId, setServiceId] = useState(options.plan?.serviceId ?? free[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ResolverError>();
  if (options.plan) {
    return (
      <div data-testid="already-a-plan">
        <p className="message">This page is already the continuity plan <strong>{options.plan.title}</strong>.</p>
        <div className="buttons"><button type="button" onClick={close}>Close</button></div>
      </div>
    );
  }
  if (!options.canAdopt) {
    return (
      <div>
        <p className="message" data-testid="cannot-adopt">{options.reason}</p>
        <div className="buttons"><button type="button" onClick={close}>Close</button></div>
      </div>
    );
  }
  const submit = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await adopt(serviceId);
      if (result.ok) onAdopted(result.data);
      else setProblem(result.error);
    } catch (e) {
      setProblem({ code: 'INTERNAL', message: (e as Error).message || 'Could not reach the app.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="adopt-form">
      <p>Make <strong>{options.page.title}</strong> the continuity plan of a service. The app reads its recovery steps now and whenever the page is edited.</p>
      <label htmlFor="service">Service</label>
      <select id="service" value={serviceId} onChange={(e) => setServiceId(e.target.value)} aria-describedby={problem ? 'adopt-problem' : undefined}>
        {options.services.map((s) => (
          <option key={s.id} value={s.id} disabled={s.hasPlanPage}>{s.name}{s.hasPlanPage ? ' (has a plan page)' : ''}</option>
        ))}
      </select>
      {problem && <p className="message error" role="alert" id="adopt-problem">{problem.message}</p>}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || serviceId === ''}>{busy ? 'Working…' : 'Use as continuity plan'}</button>
        <button type="button" onClick={close}>Cancel</button>
      </div>
    </form>
  );
}

function Adopted({ plan }: { plan: PlanView }) {
  return (
    <div data-testid="adopted">
      <p className="message success" role="status">
        This page is now the continuity plan <strong>{plan.title}</strong> ({plan.stepCount} recovery step{plan.stepCount === 1 ? '' : 's'} read).
      </p>
      {plan.stepsProblem && <p className="message warning">{plan.stepsProblem.text}</p>}
      {plan.pageProblems.length > 0 && <p className="muted">{plan.pageProblems.join(' ')}</p>}
      <div className="buttons"><button type="button" onClick={close}>Close</button></div>
    </div>
  );
}
