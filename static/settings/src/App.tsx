/**
 * The app's settings (Jira admins): which incidents qualify, the fallback from components and labels to
 * services, tier bands and cadences, who the Service Continuity Managers are, and the time zone of what
 * the app writes, and where plan pages go. The page's title is Jira's (the module title); the form does
 * not repeat it. A refusal is shown in words next to its field and in a summary at the top that leads to
 * it. A part with controls of its own is a section in sections/ (one file each), placed here by one line.
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import Checkbox from '@atlaskit/checkbox';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import type { FallbackMapping, SettingsData, SettingsView } from '../../../src/contract/settings';
import type { ResolverError } from '../../../src/contract/errors';
import { useAnnounce } from '../../shared/Announcer';
import { inWords, UNREACHABLE } from '../../shared/errors';
import { Notice } from '../../shared/Notice';
import { formatMinutes } from '../../shared/time';
import { loadSettings, saveSettings } from './api';
import { PlanPagesSection } from './sections/PlanPagesSection';

type State = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; view: SettingsView };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    loadSettings()
      .then((r) => setState(r.ok ? { kind: 'ready', view: r.data } : { kind: 'error', error: r.error }))
      .catch(() => setState({ kind: 'error', error: UNREACHABLE }));
  }, []);
  if (state.kind === 'loading') return <Text color="color.text.subtlest">Loading settings…</Text>;
  if (state.kind === 'error') {
    return (
      <Notice appearance="error" alert testId="settings-error">
        <Text as="p">{state.error.code === 'FORBIDDEN' ? 'Only Jira administrators can see and change continuity settings.' : inWords(state.error)}</Text>
      </Notice>
    );
  }
  return <Form view={state.view} onSaved={(view) => setState({ kind: 'ready', view })} />;
}

const TIERS = [1, 2, 3] as const;
const TIER_NAMES = { 1: 'Tier 1 (Gold)', 2: 'Tier 2 (Silver)', 3: 'Tier 3 (Bronze)' } as const;

/** The form's own copy: durations as people read and type them ("1 h"), lists as text. */
interface Draft extends Omit<SettingsData, 'tierBands' | 'commsCadence' | 'reviewCadence' | 'managerGroups'> {
  tierBands: Record<1 | 2 | 3, { rtoMinMinutes: string; rtoMaxMinutes: string; rpoMinutes: string }>;
  commsCadence: Record<1 | 2 | 3, string>;
  reviewCadence: Record<1 | 2 | 3, string>;
  managerGroups: string;
}

function toDraft(s: SettingsData): Draft {
  const byTier = <T,>(f: (tier: 1 | 2 | 3) => T) => ({ 1: f(1), 2: f(2), 3: f(3) });
  return {
    ...s,
    tierBands: byTier((t) => ({ rtoMinMinutes: formatMinutes(s.tierBands[t].rtoMinMinutes), rtoMaxMinutes: formatMinutes(s.tierBands[t].rtoMaxMinutes), rpoMinutes: formatMinutes(s.tierBands[t].rpoMinutes) })),
    commsCadence: byTier((t) => formatMinutes(s.commsCadence[t])),
    reviewCadence: byTier((t) => String(s.reviewCadence[t])),
    managerGroups: s.managerGroups.join(', '),
  };
}

function fromDraft(d: Draft): unknown {
  const days = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : text);
  return {
    ...d,
    reviewCadence: { 1: days(d.reviewCadence[1]), 2: days(d.reviewCadence[2]), 3: days(d.reviewCadence[3]) },
    managerGroups: d.managerGroups
      .split(/[,\n]/)
      .map((g) => g.trim())
      .filter(Boolean),
  };
}

function toggle(list: string[], value: string, on: boolean): string[] {
  return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
}

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...all])];
}

function Form({ view, onSaved }: { view: SettingsView; onSaved: (view: SettingsView) => void }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(view.settings));
  const [error, setError] = useState<ResolverError | undefined>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const announce = useAnnounce();
  const summary = useRef<HTMLDivElement>(null);
  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };
  const setMapping = (i: number, patch: Partial<FallbackMapping>) => set({ fallbackMappings: draft.fallbackMappings.map((m, j) => (i === j ? { ...m, ...patch } : m)) });
  /** The refusal, shown beside the field whose path starts with `prefix`. */
  const errorAt = (prefix: string) => (error?.field && (error.field === prefix || error.field.startsWith(`${prefix}.`)) ? <FieldError text={inWords(error)} /> : null);

  const submit = async () => {
    setBusy(true);
    setSaved(false);
    try {
      const r = await saveSettings(fromDraft(draft));
      if (r.ok) {
        onSaved(r.data);
        setDraft(toDraft(r.data.settings));
        setError(undefined);
        setSaved(true);
        announce('Settings saved.');
      } else {
        setError(r.error);
        requestAnimationFrame(() => summary.current?.focus());
      }
    } catch {
      setError(UNREACHABLE);
    }
    setBusy(false);
  };
  const { options, catalogue } = view;
  const focusField = () => {
    if (!error?.field) return;
    const area = `[data-field="${error.field}"]`;
    document.querySelector<HTMLElement>(`${area} input, ${area} select`)?.focus();
  };

  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} data-testid="settings-form" noValidate>
      <Stack space="space.200">
        {error && (
          <div ref={summary} tabIndex={-1} data-testid="settings-status">
            <Notice appearance="error" alert title="The settings were not saved." actions={error.field ? <Button appearance="subtle" spacing="compact" onClick={focusField}>Go to the field</Button> : undefined}>
              <Text as="p">{inWords(error)}</Text>
            </Notice>
          </div>
        )}
        {saved && (
          <Notice appearance="success" testId="settings-status">
            <Text as="p">Settings saved.</Text>
          </Notice>
        )}

        <Notice testId="catalogue-summary" title="The continuity catalogue">
          {catalogue.withPlan.length + catalogue.withoutPlan.length === 0 ? (
            <Text as="p">No services are catalogued yet: add them on the Service continuity page.</Text>
          ) : (
            <>
              <Text as="p" testId="with-plan">
                With a continuity plan ({catalogue.withPlan.length}): {catalogue.withPlan.join(', ') || 'none'}.
              </Text>
              <Text as="p" testId="without-plan">
                Without a plan ({catalogue.withoutPlan.length}): {catalogue.withoutPlan.join(', ') || 'none'}.
              </Text>
            </>
          )}
        </Notice>

        <fieldset data-field="projectKeys">
          <legend>Projects</legend>
          <Text as="p" color="color.text.subtlest">Incidents in these projects qualify. None ticked: every project.</Text>
          <div className="choices">
            {options.projects.map((p) => (
              <Checkbox key={p.key} label={`${p.name} (${p.key})`} isChecked={draft.projectKeys.includes(p.key)} onChange={(e) => set({ projectKeys: toggle(draft.projectKeys, p.key, e.target.checked) })} />
            ))}
          </div>
          {errorAt('projectKeys')}
        </fieldset>

        <fieldset data-field="issueTypeNames">
          <legend>Issue types</legend>
          <div className="choices">
            {options.issueTypes.map((t) => (
              <Checkbox key={t} label={t} isChecked={draft.issueTypeNames.includes(t)} onChange={(e) => set({ issueTypeNames: toggle(draft.issueTypeNames, t, e.target.checked) })} />
            ))}
          </div>
          {errorAt('issueTypeNames')}
        </fieldset>

        <fieldset data-field="requestTypeNames">
          <legend>Request types</legend>
          <Text as="p" color="color.text.subtlest">Incidents raised with these JSM request types qualify. None ticked: every request type.</Text>
          <div className="choices">
            {options.requestTypes.map((t) => (
              <Checkbox key={t.id} label={t.name} testId={`request-type-${t.name}`} isChecked={draft.requestTypeNames.includes(t.name)} onChange={(e) => set({ requestTypeNames: toggle(draft.requestTypeNames, t.name, e.target.checked) })} />
            ))}
          </div>
          {options.requestTypes.length === 0 && <Text as="p" color="color.text.subtlest">No request types: Jira Service Management is not installed on this site.</Text>}
          {errorAt('requestTypeNames')}
        </fieldset>

        <fieldset data-field="p1Priorities">
          <legend>What makes an incident a P1</legend>
          <Text as="p" color="color.text.subtlest">An incident with one of these priorities qualifies, or one flagged as a major incident if that is ticked below. At least one of the two must be possible.</Text>
          <div className="choices">
            {options.priorities.map((p) => (
              <Checkbox
                key={p.id}
                label={p.name}
                testId={`priority-${p.name}`}
                isChecked={draft.p1Priorities.includes(p.name) || draft.p1Priorities.includes(p.id)}
                onChange={(e) => set({ p1Priorities: toggle(draft.p1Priorities.filter((x) => x !== p.id), p.name, e.target.checked) })}
              />
            ))}
          </div>
          <Checkbox label="JSM's Major incident flag qualifies an incident on its own" testId="major-incident" isChecked={draft.majorIncidentQualifies} onChange={(e) => set({ majorIncidentQualifies: e.target.checked })} />
          {errorAt('p1Priorities')}
          {errorAt('majorIncidentQualifies')}
        </fieldset>

        <fieldset data-field="fallbackMappings">
          <legend>When Affected services is empty</legend>
          <Text as="p" color="color.text.subtlest">An incident's component or label can stand for a catalogued service.</Text>
          {draft.fallbackMappings.length > 0 && (
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">Match on</th>
                  <th scope="col">Component or label</th>
                  <th scope="col">Service</th>
                  <th scope="col">
                    <span className="ds-visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.fallbackMappings.map((m, i) => (
                  <tr key={i} data-testid="mapping-row">
                    <td data-field={`fallbackMappings.${i}.kind`}>
                      <select className="ds-select" aria-label={`Fallback mapping ${i + 1}: match on`} value={m.kind} onChange={(e) => setMapping(i, { kind: e.target.value as FallbackMapping['kind'] })}>
                        <option value="component">Component</option>
                        <option value="label">Label</option>
                      </select>
                    </td>
                    <td data-field={`fallbackMappings.${i}.value`}>
                      <Textfield aria-label={`Fallback mapping ${i + 1}: component or label`} value={m.value} onChange={(e) => setMapping(i, { value: (e.target as HTMLInputElement).value })} isInvalid={error?.field === `fallbackMappings.${i}.value`} />
                      {errorAt(`fallbackMappings.${i}.value`)}
                    </td>
                    <td data-field={`fallbackMappings.${i}.serviceId`}>
                      <select className="ds-select" aria-label={`Fallback mapping ${i + 1}: service`} value={m.serviceId} onChange={(e) => setMapping(i, { serviceId: e.target.value })}>
                        {options.services.map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                      {errorAt(`fallbackMappings.${i}.serviceId`)}
                    </td>
                    <td>
                      <Button appearance="subtle" aria-label={`Remove fallback mapping ${i + 1}`} onClick={() => set({ fallbackMappings: draft.fallbackMappings.filter((_, j) => j !== i) })}>
                        Remove
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Inline>
            <Button onClick={() => set({ fallbackMappings: [...draft.fallbackMappings, { kind: 'component', value: '', serviceId: options.services[0]?.id ?? '' }] })} isDisabled={options.services.length === 0} testId="add-mapping">
              Add mapping
            </Button>
          </Inline>
        </fieldset>

        <fieldset data-field="tierBands">
          <legend>Tiers</legend>
          <Text as="p" color="color.text.subtlest">Durations as you would say them: 15m, 1h, 1d 2h. A service whose RTO falls outside its tier's band is flagged for review.</Text>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Tier</th>
                <th scope="col">Fastest RTO</th>
                <th scope="col">Slowest RTO</th>
                <th scope="col">Default RPO</th>
                <th scope="col">Stakeholder update every</th>
                <th scope="col">Plan review every (days)</th>
              </tr>
            </thead>
            <tbody>
              {TIERS.map((t) => {
                const band = (key: 'rtoMinMinutes' | 'rtoMaxMinutes' | 'rpoMinutes', label: string) => (
                  <td data-field={`tierBands.${t}.${key}`}>
                    <Textfield aria-label={`${TIER_NAMES[t]}: ${label}`} value={draft.tierBands[t][key]} onChange={(e) => set({ tierBands: { ...draft.tierBands, [t]: { ...draft.tierBands[t], [key]: (e.target as HTMLInputElement).value } } })} isCompact />
                  </td>
                );
                return (
                  <tr key={t}>
                    <th scope="row">{TIER_NAMES[t]}</th>
                    {band('rtoMinMinutes', 'fastest RTO')}
                    {band('rtoMaxMinutes', 'slowest RTO')}
                    {band('rpoMinutes', 'default RPO')}
                    <td data-field={`commsCadence.${t}`}>
                      <Textfield aria-label={`${TIER_NAMES[t]}: stakeholder update every`} testId={`comms-cadence-${t}`} value={draft.commsCadence[t]} onChange={(e) => set({ commsCadence: { ...draft.commsCadence, [t]: (e.target as HTMLInputElement).value } })} isCompact />
                    </td>
                    <td data-field={`reviewCadence.${t}`}>
                      <Textfield aria-label={`${TIER_NAMES[t]}: plan review every (days)`} value={draft.reviewCadence[t]} onChange={(e) => set({ reviewCadence: { ...draft.reviewCadence, [t]: (e.target as HTMLInputElement).value } })} isCompact />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {errorAt('tierBands')}
          {errorAt('commsCadence')}
          {errorAt('reviewCadence')}
        </fieldset>

        <fieldset data-field="managerGroups">
          <legend>Service Continuity Managers</legend>
          <label className="ds-label" htmlFor="manager-groups">
            Jira groups whose members manage continuity (comma-separated; Jira administrators always may)
          </label>
          <Textfield id="manager-groups" testId="manager-groups" value={draft.managerGroups} onChange={(e) => set({ managerGroups: (e.target as HTMLInputElement).value })} />
          {errorAt('managerGroups')}
        </fieldset>

        <fieldset data-field="siteTimeZone">
          <legend>Time zone of comments and pages</legend>
          <label className="ds-label" htmlFor="site-time-zone">
            Comments and plan pages are read by many people: their times are written in this zone, labelled.
          </label>
          <select className="ds-select" id="site-time-zone" data-testid="site-time-zone" value={draft.siteTimeZone} onChange={(e) => set({ siteTimeZone: e.target.value })}>
            {timeZones(draft.siteTimeZone).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          {errorAt('siteTimeZone')}
        </fieldset>

        <PlanPagesSection value={draft} issueTypes={options.issueTypes} onChange={set} errorAt={errorAt} />

        <Inline>
          <Button type="submit" appearance="primary" isLoading={busy} testId="save-settings">
            Save
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}

function FieldError({ text }: { text: string }) {
  return <div className="ds-field-error">{text}</div>;
}
