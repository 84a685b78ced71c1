/**
 * The app's settings (Jira admins), all in one place: which incidents qualify, tiers and cadences, who
 * the Service Continuity Managers are, the time zone of what the app writes, where plan pages and
 * postmortems go, drills, follow-ups and the BIA cost thresholds; and "Check configuration" of the form
 * as shown. The page's title is Jira's (the module title); the form does not repeat it. A refusal is
 * shown in words next to its field and in a summary that leads to it. Each part is a section in
 * sections/ (one file each), placed here by one line; the form's copy of the settings is draft.ts.
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import type { ConfigCheckReport, SettingsView } from '../../../src/contract/settings';
import type { ResolverError } from '../../../src/contract/errors';
import { useAnnounce } from '../../shared/Announcer';
import { inWords, UNREACHABLE } from '../../shared/errors';
import { Notice } from '../../shared/Notice';
import { loadSettings, saveSettings } from './api';
import { fromDraft, toDraft, type Draft, type DraftPatch } from './draft';
import { CheckConfigurationSection } from './sections/CheckConfigurationSection';
import { CostThresholdsSection } from './sections/CostThresholdsSection';
import { DrillsSection } from './sections/DrillsSection';
import { FieldError } from './sections/parts';
import { PlanPagesSection } from './sections/PlanPagesSection';
import { PostmortemsSection } from './sections/PostmortemsSection';
import { QualificationSection } from './sections/QualificationSection';
import { RolesSection } from './sections/RolesSection';
import { TiersSection } from './sections/TiersSection';
import { TimeZoneSection } from './sections/TimeZoneSection';

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

/** The last refusal and what was refused: the save, or the check of the form. */
type Refusal = { by: 'save' | 'check'; error: ResolverError };

function Form({ view, onSaved }: { view: SettingsView; onSaved: (view: SettingsView) => void }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(view.settings));
  const [refusal, setRefusal] = useState<Refusal | undefined>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  /** Counts saves: each one runs Check configuration on what was saved. */
  const [saves, setSaves] = useState(0);
  const [afterSave, setAfterSave] = useState<ConfigCheckReport | undefined>();
  const announce = useAnnounce();
  const summary = useRef<HTMLDivElement>(null);
  const error = refusal?.error;
  const set = (patch: DraftPatch) => {
    setSaved(false);
    setAfterSave(undefined);
    setDraft((d) => ({ ...d, ...patch }));
  };
  /** Every refusal, shown beside the field whose path starts with `prefix` (a save names all it refused). */
  const faults = error?.field ? [{ field: error.field, text: inWords(error) }, ...(error.others ?? []).map((o) => ({ field: o.field, text: o.message }))] : [];
  const errorAt = (prefix: string) => {
    const fault = faults.find((f) => f.field === prefix || f.field.startsWith(`${prefix}.`));
    return fault ? <FieldError text={fault.text} /> : null;
  };
  const refuse = (by: Refusal['by'], e: ResolverError | undefined) => {
    // A check that passes clears its own refusal, not a save's (a save checks more than the check does).
    setRefusal((r) => (e ? { by, error: e } : r?.by === by ? undefined : r));
    if (e) requestAnimationFrame(() => summary.current?.focus());
  };

  const submit = async () => {
    setBusy(true);
    setSaved(false);
    try {
      const r = await saveSettings(fromDraft(draft));
      if (r.ok) {
        onSaved(r.data);
        setDraft(toDraft(r.data.settings));
        setRefusal(undefined);
        setSaved(true);
        setAfterSave(undefined);
        setSaves((n) => n + 1);
        announce('Settings saved. Checking what they name…');
      } else refuse('save', r.error);
    } catch {
      refuse('save', UNREACHABLE);
    }
    setBusy(false);
  };
  const focusField = () => {
    if (!error?.field) return;
    const area = `[data-field="${error.field}"]`;
    document.querySelector<HTMLElement>(`${area} input, ${area} select`)?.focus();
  };
  const refusalNotice = (by: Refusal['by'], testId: string) =>
    refusal?.by === by && (
      <div ref={summary} tabIndex={-1} data-testid={testId}>
        <Notice appearance="error" alert title={by === 'save' ? 'The settings were not saved.' : 'The configuration was not checked.'} actions={error?.field ? <Button appearance="subtle" spacing="compact" onClick={focusField}>Go to the field</Button> : undefined}>
          <Text as="p">{inWords(refusal.error)}</Text>
          {(refusal.error.others?.length ?? 0) > 0 && (
            <ul data-testid="other-refusals">
              {refusal.error.others!.map((o) => (
                <li key={o.field}>{o.message}</li>
              ))}
            </ul>
          )}
        </Notice>
      </div>
    );
  const { options, catalogue } = view;

  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} data-testid="settings-form" noValidate>
      <Stack space="space.300">
        {refusalNotice('save', 'settings-status')}
        {saved && (
          <Notice appearance="success" testId="settings-status">
            <Text as="p">Settings saved.</Text>
          </Notice>
        )}
        {saved && afterSave && !afterSave.ok && (
          <Notice appearance="warning" testId="saved-with-problems" title="Saved, but some of what these settings name will not work">
            <ul className="config-findings">
              {afterSave.findings
                .filter((f) => f.status === 'problem')
                .map((f, i) => (
                  <li key={i}>{f.message}</li>
                ))}
            </ul>
            <Text as="p">Check configuration, below, says what to do about each.</Text>
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

        <QualificationSection value={draft} options={options} onChange={set} errorAt={errorAt} invalidField={error?.field} />
        <TiersSection value={draft} onChange={set} errorAt={errorAt} />
        <RolesSection value={draft} onChange={set} errorAt={errorAt} />
        <TimeZoneSection value={draft} onChange={set} errorAt={errorAt} />
        <PlanPagesSection value={draft} issueTypes={options.issueTypes} onChange={set} errorAt={errorAt} />
        <PostmortemsSection value={draft} issueTypes={options.issueTypes} onChange={set} errorAt={errorAt} />
        <DrillsSection value={draft} options={options} onChange={set} errorAt={errorAt} />
        <CostThresholdsSection value={draft.costThresholds} onChange={set} errorAt={errorAt} />
        <CheckConfigurationSection settings={() => fromDraft(draft)} changedSince={(checked) => JSON.stringify(checked) !== JSON.stringify(fromDraft(draft))} onRefused={(e) => refuse('check', e)} refusal={refusalNotice('check', 'config-check-status')} runAfterSave={saves} onChecked={(report) => setAfterSave(report)} />

        <Inline>
          <Button type="submit" appearance="primary" isLoading={busy} testId="save-settings">
            Save
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}
