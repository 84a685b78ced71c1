import { useEffect, useRef, useState, type FormEvent } from 'react';
import Button from '@atlaskit/button/new';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { BiaFormValues, BiaSuggestionView, BiaView, ImpactCategory, ImpactHorizon, ImpactRatings } from '../../../../../src/contract/measure';
import type { ResolverError } from '../../../../../src/contract/errors';
import { bridgeError } from '../../api';
import { describedBy, Field } from '../../components/Field';
import { formErrors, noErrors, type FormErrors } from '../../components/errors';
import { formatDate } from '../../components/format';
import { Message } from '../../components/Message';
import { useConsole } from '../../context';
import { getBia, saveBia, suggestBia } from '../measure-api';

const FIELDS = ['costOfDowntimePerHour', 'currency', 'ratings', 'maximumTolerableDowntime', 'notes'] as const;

interface Draft {
  cost: string;
  currency: string;
  ratings: ImpactRatings;
  mtpd: string;
  notes: string;
}

function draftOf(view: BiaView): Draft {
  const zero = Object.fromEntries(view.choices.horizons.map((h) => [h.id, 0]));
  const ratings = (view.bia?.ratings ?? Object.fromEntries(view.choices.categories.map((c) => [c.id, { ...zero }]))) as ImpactRatings;
  return {
    cost: view.bia ? String(view.bia.costOfDowntimePerHour) : '',
    currency: view.bia?.currency ?? 'EUR',
    ratings: structuredClone(ratings),
    mtpd: view.bia?.maximumTolerableDowntime.text ?? '',
    notes: view.bia?.notes ?? '',
  };
}

const formOf = (d: Draft): BiaFormValues => ({
  costOfDowntimePerHour: d.cost.trim() === '' ? Number.NaN : Number(d.cost),
  currency: d.currency,
  ratings: d.ratings,
  maximumTolerableDowntime: d.mtpd,
  ...(d.notes.trim() ? { notes: d.notes } : {}),
});

/** A service's BIA: cost of downtime, impact ratings over time, MTPD; the suggestion it leads to, with its reasoning, as it is typed. */
export function BiaPanel({ serviceId }: { serviceId: string }) {
  const { view: page, refresh } = useConsole();
  const manager = page.role.manager;
  const [view, setView] = useState<BiaView | undefined>();
  const [error, setError] = useState<ResolverError | undefined>();
  const [draft, setDraft] = useState<Draft | undefined>();
  const [suggestion, setSuggestion] = useState<{ view?: BiaSuggestionView; problem?: string }>({});
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const asked = useRef(0);
  /** The draft as loaded or saved: its suggestion came with it, so it is not asked for again. */
  const settled = useRef<Draft | undefined>(undefined);

  useEffect(() => {
    void getBia(serviceId)
      .catch(bridgeError)
      .then((answer) => {
        if (!answer.ok) return setError(answer.error);
        setView(answer.data);
        settled.current = draftOf(answer.data);
        setDraft(settled.current);
        setSuggestion({ view: answer.data.suggestion });
      });
  }, [serviceId]);

  // The suggestion follows the form as it is typed (after a pause), once the figures it needs are there.
  useEffect(() => {
    if (!draft || !view || draft === settled.current || draft.cost.trim() === '' || draft.mtpd.trim() === '') return;
    const ask = ++asked.current;
    const timer = setTimeout(() => {
      void suggestBia({ serviceId, bia: formOf(draft) })
        .catch(bridgeError)
        .then((answer) => {
          if (ask !== asked.current) return;
          setSuggestion(answer.ok ? { view: answer.data } : { problem: answer.error.message });
        });
    }, 400);
    return () => clearTimeout(timer);
  }, [draft, view, serviceId]);

  if (error) return <Message kind="error" title="The business impact analysis could not be loaded.">{error.message}</Message>;
  if (!view || !draft) return <p className="subtle">Loading the business impact analysis…</p>;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const rate = (c: ImpactCategory, h: ImpactHorizon, value: number) => set({ ratings: { ...draft.ratings, [c]: { ...draft.ratings[c], [h]: value } } as ImpactRatings });
  const field = (name: (typeof FIELDS)[number]) => errors.fields[name];

  const save = async (applySuggestion: boolean) => {
    setBusy(true);
    const answer = await saveBia({ serviceId, expectedVersion: view.bia?.version ?? 0, bia: formOf(draft), applySuggestion }).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setErrors(formErrors(answer.error, FIELDS));
    setErrors(noErrors);
    setView(answer.data.view);
    settled.current = draftOf(answer.data.view);
    setDraft(settled.current);
    setSuggestion({ view: answer.data.view.suggestion });
    const applied = answer.data.applied;
    setNotice(applied ? `Saved. ${view.service.name} is now ${applied.tierName} with an RTO of ${applied.rto.text} and an RPO of ${applied.rpo.text}.` : 'Saved the business impact analysis.');
    if (applied) refresh();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(false);
  };
  const s = suggestion.view;
  const service = view.service;

  return (
    <section aria-labelledby="bia-heading" className="panel" data-testid="bia-panel">
      <Stack space="space.200">
        <h3 id="bia-heading">Business impact analysis of {service.name}</h3>
        <p className="subtle">
          Catalogued as {service.tierName}, RTO {service.rto.text}
          {service.effectiveRto && service.effectiveRto.minutes !== service.rto.minutes ? ` (effective ${service.effectiveRto.text} through its dependencies)` : ''}, RPO {service.rpo.text}.
          {view.bia?.updatedBy && ` Last saved by ${view.bia.updatedBy.displayName ?? 'someone'} on ${formatDate(view.bia.updatedAt, page.timeZone)}.`}
        </p>
        {view.mtpdFlag && (
          <Message kind="error" title="RTO not below the maximum tolerable downtime." testId="mtpd-flag">
            {view.mtpdFlag.message}
          </Message>
        )}
        {notice && (
          <Message kind="success" testId="bia-notice">
            {notice}
          </Message>
        )}
        {errors.form && (
          <Message kind="error" testId="bia-error">
            {errors.form}
          </Message>
        )}
        <form onSubmit={submit} noValidate data-testid="bia-form" aria-busy={busy}>
          <Stack space="space.200">
            <div className="form-grid">
              <Field id="bia-cost" label="Cost of downtime per hour" error={field('costOfDowntimePerHour')}>
                <Textfield id="bia-cost" type="number" min={0} value={draft.cost} onChange={(e) => set({ cost: e.currentTarget.value })} isDisabled={!manager} isInvalid={!!field('costOfDowntimePerHour')} aria-describedby={describedBy('bia-cost', field('costOfDowntimePerHour'))} testId="bia-cost" />
              </Field>
              <Field id="bia-currency" label="Currency" error={field('currency')} help="ISO 4217, such as EUR or USD.">
                <Textfield id="bia-currency" value={draft.currency} maxLength={3} onChange={(e) => set({ currency: e.currentTarget.value })} isDisabled={!manager} isInvalid={!!field('currency')} aria-describedby={describedBy('bia-currency', field('currency'), true)} testId="bia-currency" />
              </Field>
              <Field id="bia-mtpd" label="Maximum tolerable downtime" error={field('maximumTolerableDowntime')} help="How long the business can bear the service down: 4h, 3d.">
                <Textfield id="bia-mtpd" value={draft.mtpd} onChange={(e) => set({ mtpd: e.currentTarget.value })} isDisabled={!manager} isInvalid={!!field('maximumTolerableDowntime')} aria-describedby={describedBy('bia-mtpd', field('maximumTolerableDowntime'), true)} testId="bia-mtpd" />
              </Field>
            </div>
            <RatingsGrid view={view} ratings={draft.ratings} disabled={!manager} onRate={rate} error={field('ratings')} />
            <Field id="bia-notes" label="Notes" error={field('notes')}>
              <TextArea id="bia-notes" value={draft.notes} onChange={(e) => set({ notes: e.currentTarget.value })} isDisabled={!manager} minimumRows={2} resize="vertical" isInvalid={!!field('notes')} aria-describedby={describedBy('bia-notes', field('notes'))} />
            </Field>
            <Suggestion suggestion={s} problem={suggestion.problem} service={service} />
            {manager && (
              <Inline space="space.100">
                <Button appearance="primary" type="submit" isLoading={busy} testId="save-bia">
                  Save
                </Button>
                {s && (s.differs.tier || s.differs.rto || s.differs.rpo) && (
                  <Button onClick={() => void save(true)} isDisabled={busy} testId="apply-suggestion">
                    Save and give the service {s.tierName}, RTO {s.rto.text}
                  </Button>
                )}
              </Inline>
            )}
          </Stack>
        </form>
      </Stack>
    </section>
  );
}

function RatingsGrid({ view, ratings, disabled, onRate, error }: { view: BiaView; ratings: ImpactRatings; disabled: boolean; onRate: (c: ImpactCategory, h: ImpactHorizon, value: number) => void; error?: string }) {
  const { categories, horizons, ratings: choices, major } = view.choices;
  return (
    <div>
      <table className="grid ratings" data-testid="bia-ratings">
        <caption>
          Impact if the service is down for… ({choices.find((c) => c.value === major)?.name} or worse means the outage is no longer bearable)
        </caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            {horizons.map((h) => (
              <th scope="col" key={h.id}>
                {h.text}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.name}</th>
              {horizons.map((h) => (
                <td key={h.id}>
                  <select aria-label={`${c.name} impact at ${h.text}`} value={ratings[c.id][h.id]} disabled={disabled} onChange={(e) => onRate(c.id, h.id, Number(e.target.value))} data-testid={`rating-${c.id}-${h.id}`}>
                    {choices.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.value} – {r.name}
                      </option>
                    ))}
                  </select>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <div className="field-error" data-testid="error-ratings">
          {error}
        </div>
      )}
    </div>
  );
}

function Suggestion({ suggestion, problem, service }: { suggestion?: BiaSuggestionView; problem?: string; service: BiaView['service'] }) {
  if (!suggestion && !problem) return <p className="subtle">Enter the cost of downtime and the maximum tolerable downtime to see the suggested tier and RTO.</p>;
  return (
    <div className="message suggestion" role="status" data-testid="bia-suggestion">
      {problem && !suggestion && <p>No suggestion yet: {problem}</p>}
      {suggestion && (
        <>
          <strong data-testid="suggested">
            Suggested: {suggestion.tierName}, RTO {suggestion.rto.text}, RPO {suggestion.rpo.text}.
          </strong>{' '}
          {suggestion.differs.tier || suggestion.differs.rto || suggestion.differs.rpo ? (
            <span>
              The service is catalogued as {service.tierName} with an RTO of {service.rto.text} and an RPO of {service.rpo.text}.
            </span>
          ) : (
            <span>The service is catalogued that way.</span>
          )}
          {problem && <p className="field-error">The form has changed since: {problem}</p>}
          <ol aria-label="Why" data-testid="bia-reasoning">
            {suggestion.reasoning.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
