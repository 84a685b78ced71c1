import { useEffect, useState } from 'react';
import type { FallbackMapping, SettingsData, SettingsView } from '../../../src/contract/settings';
import type { ResolverError } from '../../../src/contract/errors';
import { loadSettings, saveSettings } from './api';

type State = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; view: SettingsView };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    loadSettings()
      .then((r) => setState(r.ok ? { kind: 'ready', view: r.data } : { kind: 'error', error: r.error }))
      .catch((e: Error) => setState({ kind: 'error', error: { code: 'INTERNAL', message: e.message } }));
  }, []);
  if (state.kind === 'loading') return <p className="muted">Loading settings…</p>;
  if (state.kind === 'error') {
    return (
      <p className="message error" role="alert" data-testid="settings-error">
        {state.error.code === 'FORBIDDEN' ? 'Only Jira administrators can see and change continuity settings.' : state.error.message}
      </p>
    );
  }
  return <Form view={state.view} onSaved={(view) => setState({ kind: 'ready', view })} />;
}

function toggle(list: string[], value: string, on: boolean): string[] {
  return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
}

function Form({ view, onSaved }: { view: SettingsView; onSaved: (view: SettingsView) => void }) {
  const [draft, setDraft] = useState<SettingsData>(view.settings);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<SettingsData>) => setDraft({ ...draft, ...patch });
  const setMapping = (i: number, patch: Partial<FallbackMapping>) => set({ fallbackMappings: draft.fallbackMappings.map((m, j) => (i === j ? { ...m, ...patch } : m)) });
  const submit = async () => {
    setBusy(true);
    try {
      const r = await saveSettings(draft);
      if (r.ok) {
        onSaved(r.data);
        setDraft(r.data.settings);
        setStatus({ ok: true, text: 'Settings saved.' });
      } else setStatus({ ok: false, text: r.error.field ? `${r.error.field}: ${r.error.message}` : r.error.message });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
    setBusy(false);
  };
  const { options } = view;
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} data-testid="settings-form">
      <fieldset>
        <legend>Projects</legend>
        <p className="muted">Incidents in these projects qualify. None ticked: every project.</p>
        <div className="choices">
          {options.projects.map((p) => (
            <label key={p.key}>
              <input type="checkbox" checked={draft.projectKeys.includes(p.key)} onChange={(e) => set({ projectKeys: toggle(draft.projectKeys, p.key, e.target.checked) })} /> {p.name} ({p.key})
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Issue types</legend>
        <div className="choices">
          {options.issueTypes.map((t) => (
            <label key={t}>
              <input type="checkbox" checked={draft.issueTypeNames.includes(t)} onChange={(e) => set({ issueTypeNames: toggle(draft.issueTypeNames, t, e.target.checked) })} /> {t}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Request types</legend>
        <p className="muted">Incidents raised with these JSM request types qualify. None ticked: every request type.</p>
        <div className="choices">
          {options.requestTypes.map((t) => (
            <label key={t.id}>
              <input type="checkbox" data-testid={`request-type-${t.name}`} checked={draft.requestTypeNames.includes(t.name)} onChange={(e) => set({ requestTypeNames: toggle(draft.requestTypeNames, t.name, e.target.checked) })} /> {t.name}
            </label>
          ))}
        </div>
        {options.requestTypes.length === 0 && <p className="muted">No request types: Jira Service Management is not installed on this site.</p>}
      </fieldset>
      <fieldset>
        <legend>P1 priorities</legend>
        <div className="choices">
          {options.priorities.map((p) => (
            <label key={p.id}>
              <input type="checkbox" data-testid={`priority-${p.name}`} checked={draft.p1Priorities.includes(p.name) || draft.p1Priorities.includes(p.id)} onChange={(e) => set({ p1Priorities: toggle(draft.p1Priorities.filter((x) => x !== p.id), p.name, e.target.checked) })} /> {p.name}
            </label>
          ))}
        </div>
        <label>
          <input type="checkbox" checked={draft.majorIncidentQualifies} onChange={(e) => set({ majorIncidentQualifies: e.target.checked })} /> JSM's Major incident flag qualifies an incident on its own
        </label>
      </fieldset>
      <fieldset>
        <legend>Fallback when Affected services is empty</legend>
        <table className="mappings">
          <tbody>
            {draft.fallbackMappings.map((m, i) => (
              <tr key={i}>
                <td>
                  <select aria-label="Match on" value={m.kind} onChange={(e) => setMapping(i, { kind: e.target.value as FallbackMapping['kind'] })}>
                    <option value="component">Component</option>
                    <option value="label">Label</option>
                  </select>
                </td>
                <td>
                  <input aria-label="Value" value={m.value} onChange={(e) => setMapping(i, { value: e.target.value })} />
                </td>
                <td>
                  <select aria-label="Service" value={m.serviceId} onChange={(e) => setMapping(i, { serviceId: e.target.value })}>
                    {options.services.map((s) => (
                      <option key={s.id} value={s.id}>{s.name}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" onClick={() => set({ fallbackMappings: draft.fallbackMappings.filter((_, j) => j !== i) })}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => set({ fallbackMappings: [...draft.fallbackMappings, { kind: 'component', value: '', serviceId: options.services[0]?.id ?? '' }] })}>Add mapping</button>
      </fieldset>
      <button type="submit" className="primary" disabled={busy} data-testid="save-settings">Save</button>{' '}
      {status && <span role="status" className={status.ok ? 'muted' : 'message error'} data-testid="settings-status">{status.text}</span>}
    </form>
  );
}
