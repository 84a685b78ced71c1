import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import Button from '@atlaskit/button/new';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { Person, PlanDetail, PlanFormValues, PlanStatus } from '../../../../src/contract/console';
import type { ResolverError } from '../../../../src/contract/errors';
import { bridgeError, getPlan, getService, savePlan, searchServices } from '../api';
import { Combobox, type Option } from '../components/Combobox';
import { describedBy, Field } from '../components/Field';
import { formErrors, noErrors, type FormErrors } from '../components/errors';
import { isoDay } from '../components/format';
import { Message } from '../components/Message';
import { UserPicker } from '../components/Pickers';
import { STATUS_WORDS } from './PlansTab';

const FIELDS = ['serviceId', 'title', 'ownerAccountId', 'status', 'lastReviewedOn', 'lastTestedOn', 'pageUrl', 'stepsText'] as const;
const STATUSES: PlanStatus[] = ['draft', 'in-review', 'approved', 'retired'];

interface Draft {
  service?: { id: string; name: string };
  title: string;
  owner?: Person;
  status: PlanStatus;
  lastReviewedOn: string;
  lastTestedOn: string;
  pageUrl: string;
  stepsText: string;
}

type Loaded = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; detail?: PlanDetail; draft: Draft };

/** A plan record: its service, owner, status, review and test dates, page and recovery steps. */
export default function PlanForm({ id, serviceId, onDone }: { id?: string; serviceId?: string; onDone: (changed?: string) => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    void (async () => {
      if (id) {
        const answer = await getPlan(id).catch(bridgeError);
        if (!answer.ok) return setLoaded({ kind: 'error', error: answer.error });
        const p = answer.data;
        return setLoaded({
          kind: 'ready',
          detail: p,
          draft: { service: { id: p.service.id, name: p.service.name }, title: p.title, owner: p.owner, status: p.status, lastReviewedOn: isoDay(p.lastReviewedAt), lastTestedOn: isoDay(p.lastTestedAt), pageUrl: p.page?.url ?? '', stepsText: p.stepsText },
        });
      }
      const service = serviceId ? await getService(serviceId).catch(bridgeError) : undefined;
      const chosen = service?.ok ? { id: service.data.id, name: service.data.name } : undefined;
      setLoaded({ kind: 'ready', draft: { service: chosen, title: chosen ? `${chosen.name} continuity plan` : '', owner: service?.ok ? service.data.owner : undefined, status: 'draft', lastReviewedOn: '', lastTestedOn: '', pageUrl: '', stepsText: '' } });
    })();
  }, [id, serviceId]);
  useEffect(() => heading.current?.focus(), [loaded.kind]);

  const back = (
    <Button appearance="subtle" onClick={() => onDone()} testId="back-to-plans">
      Back to plans
    </Button>
  );
  if (loaded.kind === 'loading') return <p className="subtle">Loading the plan…</p>;
  if (loaded.kind === 'error') {
    return (
      <Stack space="space.200">
        <div>{back}</div>
        <Message kind="error">{loaded.error.message}</Message>
      </Stack>
    );
  }
  return (
    <Stack space="space.200">
      <div>{back}</div>
      <h2 ref={heading} tabIndex={-1}>
        {loaded.detail ? loaded.detail.title : 'Create a plan'}
      </h2>
      <Form detail={loaded.detail} initial={loaded.draft} onDone={onDone} />
    </Stack>
  );
}

function Form({ detail, initial, onDone }: { detail?: PlanDetail; initial: Draft; onDone: (changed?: string) => void }) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const field = (name: (typeof FIELDS)[number]) => errors.fields[name];
  const findService = useCallback(async (text: string): Promise<Option[] | string> => {
    const answer = await searchServices(text).catch(bridgeError);
    if (!answer.ok) return answer.error.message;
    return answer.data.services.map((s) => ({ id: s.id, label: s.name, detail: `Tier ${s.tier}` }));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const plan: PlanFormValues = {
      serviceId: draft.service?.id ?? '',
      title: draft.title,
      ownerAccountId: draft.owner?.accountId,
      status: draft.status,
      lastReviewedOn: draft.lastReviewedOn,
      lastTestedOn: draft.lastTestedOn,
      pageUrl: draft.pageUrl.trim(),
      // Steps are sent only when edited here: otherwise the plan keeps them, ids and all.
      ...(draft.stepsText !== initial.stepsText || !detail ? { stepsText: draft.stepsText } : {}),
    };
    const answer = await savePlan({ ...(detail ? { id: detail.id, expectedUpdatedAt: detail.updatedAt } : {}), plan }).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setErrors(formErrors(answer.error, FIELDS));
    onDone(`${detail ? 'Saved' : 'Created'} ${answer.data.title}.`);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="plan-form" aria-busy={busy}>
      <Stack space="space.200">
        {errors.form && (
          <Message kind="error" testId="form-error">
            {errors.form}
          </Message>
        )}
        <div className="form-grid">
          <Field id="plan-service" label="Service (required)" error={field('serviceId')}>
            {draft.service ? (
              <ul className="chips" aria-label="Service">
                <li className="chip" data-testid="plan-service-chip">
                  {draft.service.name}
                  <button type="button" aria-label={`Choose another service than ${draft.service.name}`} onClick={() => set({ service: undefined })}>
                    ×
                  </button>
                </li>
              </ul>
            ) : (
              <Combobox id="plan-service" search={findService} placeholder="Search services by name" onChoose={(o) => set({ service: { id: o.id, name: o.label } })} invalid={!!field('serviceId')} describedBy={describedBy('plan-service', field('serviceId'))} testId="plan-service-search" />
            )}
          </Field>
          <Field id="plan-title" label="Title (required)" error={field('title')}>
            <Textfield id="plan-title" value={draft.title} onChange={(e) => set({ title: e.currentTarget.value })} isInvalid={!!field('title')} aria-describedby={describedBy('plan-title', field('title'))} testId="plan-title" />
          </Field>
          <Field id="plan-owner" label="Owner" error={field('ownerAccountId')}>
            <UserPicker id="plan-owner" value={draft.owner} onChange={(owner) => set({ owner })} invalid={!!field('ownerAccountId')} describedBy={describedBy('plan-owner', field('ownerAccountId'))} />
          </Field>
        </div>
        <fieldset className="plain">
          <legend>Status</legend>
          <div className="radios">
            {STATUSES.map((s) => (
              <label key={s}>
                <input type="radio" name="status" value={s} checked={draft.status === s} onChange={() => set({ status: s })} data-testid={`status-${s}`} />
                {STATUS_WORDS[s]}
              </label>
            ))}
          </div>
          {field('status') && <div className="field-error">{field('status')}</div>}
        </fieldset>
        <div className="form-grid">
          <Field id="plan-reviewed" label="Last review" error={field('lastReviewedOn')} help="The next review falls due after the tier's review cadence.">
            <input id="plan-reviewed" type="date" value={draft.lastReviewedOn} onChange={(e) => set({ lastReviewedOn: e.target.value })} aria-invalid={!!field('lastReviewedOn')} aria-describedby={describedBy('plan-reviewed', field('lastReviewedOn'), true)} data-testid="plan-reviewed" />
          </Field>
          <Field id="plan-tested" label="Last test" error={field('lastTestedOn')} help="The last exercise or fail-over that tested the plan.">
            <input id="plan-tested" type="date" value={draft.lastTestedOn} onChange={(e) => set({ lastTestedOn: e.target.value })} aria-invalid={!!field('lastTestedOn')} aria-describedby={describedBy('plan-tested', field('lastTestedOn'), true)} data-testid="plan-tested" />
          </Field>
        </div>
        <Field id="plan-page" label="Plan page" error={field('pageUrl')} help="A Confluence page on this site that holds the plan (…/wiki/spaces/KEY/pages/123/…), or empty. To have its steps read at once, use “Adopt a page” in the list instead.">
          <Textfield id="plan-page" value={draft.pageUrl} onChange={(e) => set({ pageUrl: e.currentTarget.value })} isInvalid={!!field('pageUrl')} aria-describedby={describedBy('plan-page', field('pageUrl'), true)} />
        </Field>
        {detail?.page ? (
          // The steps of a plan with a page are the page's: people edit them in Confluence and the app reads them back.
          <div data-testid="plan-page-steps">
            <div className="field-label">Recovery steps</div>
            <p className="subtle">
              The recovery steps are on the <a href={detail.page.url} target="_blank" rel="noreferrer">plan page</a>: edit them in Confluence, and incidents get them once the page is saved.
            </p>
            <pre className="steps-text">{detail.stepsText}</pre>
          </div>
        ) : (
          <Field id="plan-steps" label="Recovery steps" error={field('stepsText')} help="One step per line: what to do — who does it — how long it takes (e.g. “Fail over the database — DBA — 20 min”).">
            <TextArea id="plan-steps" value={draft.stepsText} onChange={(e) => set({ stepsText: e.currentTarget.value })} minimumRows={5} resize="vertical" isInvalid={!!field('stepsText')} aria-describedby={describedBy('plan-steps', field('stepsText'), true)} testId="plan-steps" />
          </Field>
        )}
        {detail && detail.commsTemplateCount > 0 && <p className="subtlest">The plan's {detail.commsTemplateCount} communication templates are kept as they are.</p>}
        <Inline space="space.100">
          <Button appearance="primary" type="submit" isLoading={busy} testId="save-plan">
            {detail ? 'Save changes' : 'Create plan'}
          </Button>
          <Button appearance="subtle" onClick={() => onDone()}>
            Cancel
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}
