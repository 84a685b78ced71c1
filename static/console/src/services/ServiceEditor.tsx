import { useEffect, useRef, useState, type FormEvent } from 'react';
import Button from '@atlaskit/button/new';
import Checkbox from '@atlaskit/checkbox';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { JsmDirectoryView, Person, ServiceDetail, ServiceFormValues, Tier } from '../../../../src/contract/console';
import type { ResolverError } from '../../../../src/contract/errors';
import { bridgeError, deleteService, getService, jsmDirectory, learnJsm, restoreService, retireService, saveService } from '../api';
import { describedBy, Field } from '../components/Field';
import { formErrors, noErrors, type FormErrors } from '../components/errors';
import { formatDate, listInWords } from '../components/format';
import { Lozenge } from '../components/Lozenge';
import { Message } from '../components/Message';
import { ServicesPicker, UserPicker } from '../components/Pickers';
import { useConsole } from '../context';

const FIELDS = ['name', 'ownerAccountId', 'tier', 'rto', 'rpo', 'dependsOn', 'jsmServiceIds', 'components', 'labels'] as const;

interface Draft {
  name: string;
  owner?: Person;
  tier: Tier;
  rto: string;
  rpo: string;
  dependsOn: Array<{ id: string; name?: string }>;
  jsmServiceIds: string[];
  components: string;
  labels: string;
}

const splitList = (text: string) =>
  text
    .split(/[,;\n]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

function draftOf(detail: ServiceDetail | undefined, prefill?: { name: string; jsmServiceId: string }): Draft {
  if (!detail) return { name: prefill?.name ?? '', tier: 2, rto: '', rpo: '', dependsOn: [], jsmServiceIds: prefill ? [prefill.jsmServiceId] : [], components: '', labels: '' };
  return {
    name: detail.name,
    owner: detail.owner,
    tier: detail.tier,
    rto: detail.rto.text,
    rpo: detail.rpo.text,
    dependsOn: detail.dependsOn,
    jsmServiceIds: detail.jsmServices.map((j) => j.id),
    components: detail.components.join(', '),
    labels: detail.labels.join(', '),
  };
}

type Loaded = { kind: 'loading' } | { kind: 'error'; error: ResolverError } | { kind: 'ready'; detail?: ServiceDetail; directory?: JsmDirectoryView };

/** A service: the form for a Service Continuity Manager, the facts for everyone else. */
export default function ServiceEditor({ id, prefill, onDone }: { id?: string; prefill?: { name: string; jsmServiceId: string }; onDone: (changed?: string) => void }) {
  const { view } = useConsole();
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    void Promise.all([id ? getService(id).catch(bridgeError) : Promise.resolve(undefined), view.role.manager ? jsmDirectory(false).catch(bridgeError) : Promise.resolve(undefined)]).then(([detail, directory]) => {
      if (detail && !detail.ok) return setLoaded({ kind: 'error', error: detail.error });
      setLoaded({ kind: 'ready', detail: detail?.data, directory: directory?.ok ? directory.data : undefined });
    });
  }, [id, view.role.manager]);
  useEffect(() => heading.current?.focus(), [loaded.kind]);

  const back = (
    <Button appearance="subtle" onClick={() => onDone()} testId="back-to-list">
      Back to services
    </Button>
  );
  if (loaded.kind === 'loading') return <p className="subtle">Loading the service…</p>;
  if (loaded.kind === 'error') {
    return (
      <Stack space="space.200">
        {back}
        <Message kind="error">{loaded.error.message}</Message>
      </Stack>
    );
  }
  const title = loaded.detail ? loaded.detail.name : 'Add a service';
  return (
    <Stack space="space.200">
      <div>{back}</div>
      <h2 ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {view.role.manager ? <ServiceForm detail={loaded.detail} directory={loaded.directory} prefill={prefill} onDone={onDone} /> : <ServiceFacts detail={loaded.detail!} />}
    </Stack>
  );
}

function ServiceFacts({ detail }: { detail: ServiceDetail }) {
  const { view } = useConsole();
  return (
    <Stack space="space.200">
      <dl className="facts" data-testid="service-facts">
        <dt>Tier</dt>
        <dd>{detail.tierName}</dd>
        <dt>RTO</dt>
        <dd>
          {detail.rto.text}
          {detail.effectiveRto && detail.effectiveRto.minutes !== detail.rto.minutes ? ` (effective ${detail.effectiveRto.text} through its dependencies)` : ''}
        </dd>
        <dt>RPO</dt>
        <dd>{detail.rpo.text}</dd>
        <dt>Owner</dt>
        <dd>{detail.owner?.displayName ?? '—'}</dd>
        <dt>Depends on</dt>
        <dd>{detail.dependsOn.length ? listInWords(detail.dependsOn.map((d) => d.name ?? d.id)) : '—'}</dd>
        <dt>JSM services</dt>
        <dd>{detail.jsmServices.length ? listInWords(detail.jsmServices.map((j) => j.name ?? j.id)) : '—'}</dd>
        <dt>Components</dt>
        <dd>{detail.components.join(', ') || '—'}</dd>
        <dt>Labels</dt>
        <dd>{detail.labels.join(', ') || '—'}</dd>
        <dt>Status</dt>
        <dd>{detail.status === 'retired' ? 'Retired' : 'Active'}</dd>
        <dt>Last changed</dt>
        <dd>{formatDate(detail.updatedAt, view.timeZone)}</dd>
      </dl>
      <Flags detail={detail} />
      <PlanList detail={detail} />
    </Stack>
  );
}

function Flags({ detail }: { detail: ServiceDetail }) {
  return (
    <>
      {detail.band && <Message kind="warning">{detail.band.message}</Message>}
      {detail.inversions.length > 0 && (
        <Message kind="warning" title="Tier inversion:">
          {detail.inversions.map((i) => `${i.dependencyName} needs ${i.dependencyRto.text} to recover`).join('; ')}, slower than this service's RTO of {detail.rto.text}.
        </Message>
      )}
    </>
  );
}

function PlanList({ detail }: { detail: ServiceDetail }) {
  const { view, openTab } = useConsole();
  return (
    <section aria-labelledby="service-plans">
      <h3 id="service-plans">Plans</h3>
      {detail.plans.length === 0 ? (
        <p className="subtle">No plan yet.</p>
      ) : (
        <ul>
          {detail.plans.map((p) => (
            <li key={p.id}>
              {p.title} <Lozenge appearance={p.status === 'approved' ? 'success' : p.status === 'retired' ? 'default' : 'inprogress'}>{p.status}</Lozenge>
            </li>
          ))}
        </ul>
      )}
      {view.role.manager && detail.status === 'active' && (
        <Button onClick={() => openTab('plans', { kind: 'create-plan', serviceId: detail.id })} testId="create-plan-for-service">
          Create a plan for {detail.name}
        </Button>
      )}
    </section>
  );
}

function ServiceForm({ detail, directory, prefill, onDone }: { detail?: ServiceDetail; directory?: JsmDirectoryView; prefill?: { name: string; jsmServiceId: string }; onDone: (changed?: string) => void }) {
  const { view } = useConsole();
  const [draft, setDraft] = useState<Draft>(() => draftOf(detail, prefill));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'retire' | 'delete' | undefined>();
  const [jsm, setJsm] = useState(directory);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const band = view.tierBands.find((b) => b.tier === draft.tier)!;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const service: ServiceFormValues = {
      name: draft.name,
      ownerAccountId: draft.owner?.accountId,
      tier: draft.tier,
      rto: draft.rto,
      rpo: draft.rpo,
      dependsOn: draft.dependsOn.map((d) => d.id),
      jsmServiceIds: draft.jsmServiceIds,
      components: splitList(draft.components),
      labels: splitList(draft.labels),
    };
    const answer = await saveService({ ...(detail ? { id: detail.id, expectedUpdatedAt: detail.updatedAt } : {}), service }).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setErrors(formErrors(answer.error, FIELDS));
    onDone([`${detail ? 'Saved' : 'Created'} ${answer.data.service.name}.`, ...answer.data.warnings].join(' '));
  };

  const change = async (kind: 'retire' | 'restore' | 'delete') => {
    if (!detail) return;
    setBusy(true);
    const input = { id: detail.id, expectedUpdatedAt: detail.updatedAt };
    const answer = kind === 'delete' ? await deleteService(input).catch(bridgeError) : await (kind === 'retire' ? retireService : restoreService)(input).catch(bridgeError);
    setBusy(false);
    setConfirm(undefined);
    if (!answer.ok) return setErrors({ fields: {}, form: answer.error.message });
    const warnings = 'warnings' in answer.data ? answer.data.warnings : [];
    onDone([`${kind === 'delete' ? 'Deleted' : kind === 'retire' ? 'Retired' : 'Restored'} ${detail.name}.`, ...warnings].join(' '));
  };

  const field = (name: (typeof FIELDS)[number]) => errors.fields[name];
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="service-form" aria-busy={busy}>
      <Stack space="space.200">
        {errors.form && (
          <Message kind="error" testId="form-error">
            {errors.form}
          </Message>
        )}
        {detail && <Flags detail={detail} />}
        <div className="form-grid">
          <Field id="name" label="Name (required)" error={field('name')}>
            <Textfield id="name" value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} isInvalid={!!field('name')} aria-describedby={describedBy('name', field('name'))} testId="field-name" />
          </Field>
          <Field id="owner" label="Owner" error={field('ownerAccountId')} help="The person accountable for the service's recovery.">
            <UserPicker id="owner" value={draft.owner} onChange={(owner) => set({ owner })} invalid={!!field('ownerAccountId')} describedBy={describedBy('owner', field('ownerAccountId'), true)} />
          </Field>
        </div>
        <fieldset className="plain" aria-describedby={describedBy('tier', field('tier'), true)}>
          <legend>Tier</legend>
          <div className="radios">
            {view.tierBands.map((b) => (
              <label key={b.tier}>
                <input type="radio" name="tier" value={b.tier} checked={draft.tier === b.tier} onChange={() => set({ tier: b.tier })} data-testid={`tier-${b.tier}`} />
                {b.name} <span className="subtlest">RTO {b.rtoMin.text} – {b.rtoMax.text}</span>
              </label>
            ))}
          </div>
          {field('tier') && (
            <div className="field-error" id="tier-error">
              {field('tier')}
            </div>
          )}
          <div className="field-help" id="tier-help">
            An RTO outside the tier's band is flagged, not refused.
          </div>
        </fieldset>
        <div className="form-grid">
          <Field id="rto" label="RTO (recovery time objective)" error={field('rto')} help={`A duration such as 45m, 4h or 1d. Empty: ${band.rtoMax.text}, the ${band.name} default.`}>
            <Textfield id="rto" value={draft.rto} placeholder={band.rtoMax.text} onChange={(e) => set({ rto: e.currentTarget.value })} isInvalid={!!field('rto')} aria-describedby={describedBy('rto', field('rto'), true)} testId="field-rto" />
          </Field>
          <Field id="rpo" label="RPO (recovery point objective)" error={field('rpo')} help={`How much data may be lost. Empty: ${band.rpo.text}.`}>
            <Textfield id="rpo" value={draft.rpo} placeholder={band.rpo.text} onChange={(e) => set({ rpo: e.currentTarget.value })} isInvalid={!!field('rpo')} aria-describedby={describedBy('rpo', field('rpo'), true)} testId="field-rpo" />
          </Field>
        </div>
        <Field id="depends" label="Depends on" error={field('dependsOn')} help="Services this one cannot recover without. Its effective RTO is the slowest along these chains.">
          <ServicesPicker id="depends" value={draft.dependsOn} exclude={detail?.id} onChange={(dependsOn) => set({ dependsOn })} invalid={!!field('dependsOn')} describedBy={describedBy('depends', field('dependsOn'), true)} />
        </Field>
        <JsmChoice directory={jsm} value={draft.jsmServiceIds} onChange={(jsmServiceIds) => set({ jsmServiceIds })} onLearned={setJsm} error={field('jsmServiceIds')} />
        <div className="form-grid">
          <Field id="components" label="Components (fallback)" error={field('components')} help="Jira components that stand for this service when an incident has no Affected services; separate with commas.">
            <Textfield id="components" value={draft.components} onChange={(e) => set({ components: e.currentTarget.value })} isInvalid={!!field('components')} aria-describedby={describedBy('components', field('components'), true)} />
          </Field>
          <Field id="labels" label="Labels (fallback)" error={field('labels')} help="Jira labels, likewise; separate with commas.">
            <Textfield id="labels" value={draft.labels} onChange={(e) => set({ labels: e.currentTarget.value })} isInvalid={!!field('labels')} aria-describedby={describedBy('labels', field('labels'), true)} testId="field-labels" />
          </Field>
        </div>
        <Inline space="space.100" shouldWrap>
          <Button appearance="primary" type="submit" isLoading={busy} testId="save-service">
            {detail ? 'Save changes' : 'Create service'}
          </Button>
          <Button appearance="subtle" onClick={() => onDone()}>
            Cancel
          </Button>
          {detail?.status === 'active' && (
            <Button appearance="warning" onClick={() => setConfirm('retire')} testId="retire-service">
              Retire
            </Button>
          )}
          {detail?.status === 'retired' && (
            <Button onClick={() => void change('restore')} testId="restore-service">
              Restore
            </Button>
          )}
          {detail && detail.plans.length === 0 && (
            <Button appearance="danger" onClick={() => setConfirm('delete')} testId="delete-service">
              Delete
            </Button>
          )}
        </Inline>
        {confirm && detail && (
          <div className="panel" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text" data-testid="confirm">
            <h3 id="confirm-title">{confirm === 'retire' ? `Retire ${detail.name}?` : `Delete ${detail.name}?`}</h3>
            <p id="confirm-text">
              {confirm === 'retire'
                ? 'Incidents will no longer be matched to it. Its plans and the incidents that invoked them keep their history, and you can restore it later.'
                : 'This removes it for good. A service with plans, dependents or open incidents cannot be deleted: retire it instead.'}
            </p>
            <Inline space="space.100">
              <Button appearance={confirm === 'delete' ? 'danger' : 'warning'} onClick={() => void change(confirm)} isLoading={busy} testId="confirm-yes" autoFocus>
                {confirm === 'retire' ? 'Retire' : 'Delete'}
              </Button>
              <Button appearance="subtle" onClick={() => setConfirm(undefined)}>
                Keep it
              </Button>
            </Inline>
          </div>
        )}
        {detail && <PlanList detail={detail} />}
      </Stack>
    </form>
  );
}

/** The JSM services this catalogue service stands for: chosen from those the app learned, or typed as ids. */
function JsmChoice({ directory, value, onChange, onLearned, error }: { directory?: JsmDirectoryView; value: string[]; onChange: (ids: string[]) => void; onLearned: (d: JsmDirectoryView) => void; error?: string }) {
  const [typed, setTyped] = useState('');
  const [learning, setLearning] = useState<string | undefined>();
  const known = directory?.services ?? [];
  const unknown = value.filter((id) => !known.some((s) => s.id === id));
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((v) => v !== id));
  const learn = async () => {
    setLearning('Reading incidents…');
    const answer = await learnJsm().catch(bridgeError);
    if (!answer.ok) return setLearning(answer.error.message);
    onLearned(answer.data);
    setLearning(`Read ${answer.data.incidentsRead ?? 0} incidents: ${answer.data.services.length} JSM services known.`);
  };
  return (
    <fieldset className="plain" aria-describedby={describedBy('jsm', error, true)} data-testid="jsm-choice">
      <legend>JSM services it stands for</legend>
      {known.length === 0 ? (
        <p className="subtle">The app has not learned this site's JSM services yet.</p>
      ) : (
        <div className="checks">
          {known.map((s) => (
            <Checkbox key={s.id} label={s.name} isChecked={value.includes(s.id)} onChange={(e) => toggle(s.id, e.currentTarget.checked)} name="jsm" value={s.id} testId={`jsm-${s.name}`} />
          ))}
        </div>
      )}
      {unknown.map((id) => (
        <div key={id} className="chip">
          {id} <Lozenge appearance="moved">No incident carries this id</Lozenge>
          <button type="button" aria-label={`Remove ${id}`} onClick={() => toggle(id, false)}>
            ×
          </button>
        </div>
      ))}
      <Inline space="space.100" alignBlock="end" shouldWrap>
        <div>
          <label className="field-label" htmlFor="jsm-id">
            Or add a service id
          </label>
          <Textfield id="jsm-id" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} width={280} />
        </div>
        <Button onClick={() => (typed.trim() && !value.includes(typed.trim()) ? onChange([...value, typed.trim()]) : undefined, setTyped(''))}>Add id</Button>
        <Button onClick={() => void learn()} testId="learn-jsm">
          Learn from incidents
        </Button>
      </Inline>
      {learning && <p className="subtlest" role="status">{learning}</p>}
      {error && (
        <div className="field-error" id="jsm-error">
          {error}
        </div>
      )}
      <div className="field-help" id="jsm-help">
        Incidents are matched through the ids in their Affected services field; the app learns those ids from the site's incidents.
      </div>
    </fieldset>
  );
}
