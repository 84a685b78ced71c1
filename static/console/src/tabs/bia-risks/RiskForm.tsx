import { useState, type FormEvent } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { MechanismKind, MechanismState, RiskChoices, RiskFormValues, RiskView, ThreatScenario } from '../../../../../src/contract/measure';
import { bridgeError } from '../../api';
import { describedBy, Field } from '../../components/Field';
import { formErrors, noErrors, type FormErrors } from '../../components/errors';
import { isoDay } from '../../components/format';
import { Message } from '../../components/Message';
import { Select } from '../../components/Select';
import { deleteRisk, saveRisk } from '../measure-api';

const FIELDS = ['threat', 'likelihood', 'impact', 'mechanism', 'identifiedAt', 'mechanismPlannedAt', 'mechanismInPlaceAt', 'serviceId'] as const;
const SCORES = ['1', '2', '3', '4', '5'].map((value) => ({ value, label: value }));

interface Draft {
  scenario: ThreatScenario | 'other';
  description: string;
  likelihood: string;
  impact: string;
  /** '' for no mechanism yet. */
  kind: MechanismKind | '';
  mechanism: string;
  state: MechanismState;
  identifiedAt: string;
  plannedAt: string;
  inPlaceAt: string;
}

const draftOf = (risk: RiskView | undefined, today: string): Draft => ({
  scenario: risk?.threat.scenario ?? 'cloud-region-loss',
  description: risk?.threat.description ?? '',
  likelihood: String(risk?.likelihood ?? 3),
  impact: String(risk?.impact ?? 3),
  kind: risk?.mechanism?.kind ?? '',
  mechanism: risk?.mechanism?.description ?? '',
  state: risk?.mechanism?.state ?? 'planned',
  identifiedAt: risk ? isoDay(risk.identifiedAt) : today,
  plannedAt: isoDay(risk?.mechanismPlannedAt),
  inPlaceAt: isoDay(risk?.mechanismInPlaceAt),
});

/** Records a risk, or changes or deletes one: the threat, its scores, the mechanism answering it and its dates. */
export function RiskForm({ serviceId, risk, choices, onDone }: { serviceId: string; risk?: RiskView; choices: RiskChoices; onDone: (changed?: string) => void }) {
  const [draft, setDraft] = useState(() => draftOf(risk, new Date().toISOString().slice(0, 10)));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const field = (name: (typeof FIELDS)[number]) => errors.fields[name];
  const inPlace = draft.kind !== '' && (draft.state === 'in-place' || draft.state === 'tested');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const values: RiskFormValues = {
      serviceId,
      threat: draft.scenario === 'other' ? { scenario: 'other', description: draft.description } : { scenario: draft.scenario },
      likelihood: Number(draft.likelihood),
      impact: Number(draft.impact),
      ...(draft.kind !== '' ? { mechanism: { kind: draft.kind, description: draft.mechanism, state: draft.state } } : {}),
      identifiedAt: draft.identifiedAt,
      mechanismPlannedAt: draft.kind !== '' && draft.plannedAt ? draft.plannedAt : null,
      mechanismInPlaceAt: inPlace ? draft.inPlaceAt : null,
    };
    const answer = await saveRisk({ ...(risk ? { id: risk.id, expectedVersion: risk.version } : {}), risk: values }).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setErrors(formErrors(answer.error, FIELDS));
    onDone(`${risk ? 'Saved' : 'Recorded'} the risk “${answer.data.threat.name}”.`);
  };
  const remove = async () => {
    if (!risk) return;
    setBusy(true);
    const answer = await deleteRisk(risk.id, risk.version).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setErrors(formErrors(answer.error, FIELDS));
    onDone(`Deleted the risk “${risk.threat.name}”.`);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="risk-form" aria-busy={busy} className="panel">
      <Stack space="space.200">
        <h4>{risk ? `Change the risk “${risk.threat.name}”` : 'Record a risk'}</h4>
        {errors.form && (
          <Message kind="error" testId="risk-form-error">
            {errors.form}
          </Message>
        )}
        <div className="form-grid">
          <Select id="risk-threat" label="Threat scenario" value={draft.scenario} options={choices.threats.map((t) => ({ value: t.id, label: t.name }))} onChange={(scenario) => set({ scenario })} />
          {draft.scenario === 'other' && (
            <Field id="risk-description" label="The threat, in a few words" error={field('threat')}>
              <Textfield id="risk-description" value={draft.description} onChange={(e) => set({ description: e.currentTarget.value })} isInvalid={!!field('threat')} aria-describedby={describedBy('risk-description', field('threat'))} testId="risk-description" />
            </Field>
          )}
          <Select id="risk-likelihood" label="Likelihood (1 rare – 5 almost certain)" value={draft.likelihood} options={SCORES} onChange={(likelihood) => set({ likelihood })} />
          <Select id="risk-impact" label="Impact (1 minor – 5 severe)" value={draft.impact} options={SCORES} onChange={(impact) => set({ impact })} />
          <Field id="risk-identified" label="Identified on" error={field('identifiedAt')}>
            <input id="risk-identified" type="date" value={draft.identifiedAt} onChange={(e) => set({ identifiedAt: e.target.value })} aria-invalid={!!field('identifiedAt')} aria-describedby={describedBy('risk-identified', field('identifiedAt'))} data-testid="risk-identified" />
          </Field>
        </div>
        <div className="form-grid">
          <Select
            id="risk-mechanism-kind"
            label="Continuity mechanism"
            value={draft.kind}
            options={[{ value: '' as const, label: 'None yet' }, ...choices.mechanismKinds.map((k) => ({ value: k.id, label: k.name }))]}
            onChange={(kind) => set({ kind })}
          />
          {draft.kind !== '' && (
            <>
              <Field id="risk-mechanism" label="What it is" error={field('mechanism')}>
                <Textfield id="risk-mechanism" value={draft.mechanism} onChange={(e) => set({ mechanism: e.currentTarget.value })} isInvalid={!!field('mechanism')} aria-describedby={describedBy('risk-mechanism', field('mechanism'))} testId="risk-mechanism" />
              </Field>
              <Select id="risk-state" label="State" value={draft.state} options={choices.mechanismStates.filter((s) => s.id !== 'none').map((s) => ({ value: s.id, label: s.name }))} onChange={(state) => set({ state })} />
              <Field id="risk-planned" label="Planned on" error={field('mechanismPlannedAt')} help={`A mechanism planned for more than ${choices.plannedLimitDays} days is flagged.`}>
                <input id="risk-planned" type="date" value={draft.plannedAt} onChange={(e) => set({ plannedAt: e.target.value })} aria-invalid={!!field('mechanismPlannedAt')} aria-describedby={describedBy('risk-planned', field('mechanismPlannedAt'), true)} />
              </Field>
              {inPlace && (
                <Field id="risk-in-place" label="In place on" error={field('mechanismInPlaceAt')} help="From the date identified to this date is the implementation duration.">
                  <input id="risk-in-place" type="date" value={draft.inPlaceAt} onChange={(e) => set({ inPlaceAt: e.target.value })} aria-invalid={!!field('mechanismInPlaceAt')} aria-describedby={describedBy('risk-in-place', field('mechanismInPlaceAt'), true)} data-testid="risk-in-place" />
                </Field>
              )}
            </>
          )}
        </div>
        <Inline space="space.100">
          <Button appearance="primary" type="submit" isLoading={busy} testId="save-risk">
            {risk ? 'Save changes' : 'Record risk'}
          </Button>
          <Button appearance="subtle" onClick={() => onDone()}>
            Cancel
          </Button>
          {risk && (
            <Button appearance="danger" onClick={() => void remove()} isDisabled={busy} testId="delete-risk">
              Delete risk
            </Button>
          )}
        </Inline>
      </Stack>
    </form>
  );
}
