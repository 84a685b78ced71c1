/**
 * Scheduling an exercise: which plan, what kind (tabletop, simulation, fail-over), when, who takes part,
 * and notes. The server checks everything again; its message goes next to the field it names.
 */
import { useCallback, useState } from 'react';
import Button from '@atlaskit/button/new';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import { DRILL_KINDS, DRILL_KIND_NAMES, type DrillKind, type DrillsPage, type DrillView } from '../../../../src/contract/loop';
import type { ResolverError } from '../../../../src/contract/errors';
import { bridgeError, searchUsers } from '../api';
import { Combobox, type Option } from '../components/Combobox';
import { describedBy, Field } from '../components/Field';
import { Select } from '../components/Select';
import * as api from './api';

interface Person {
  accountId: string;
  displayName?: string;
}

/** Several people, found with Jira's user search as the signed-in person. */
function ParticipantsPicker({ value, onChange, invalid }: { value: Person[]; onChange: (people: Person[]) => void; invalid?: boolean }) {
  const search = useCallback(
    async (text: string): Promise<Option[] | string> => {
      const answer = await searchUsers(text).catch(bridgeError);
      if (!answer.ok) return answer.error.message;
      return answer.data.users.filter((u) => !value.some((v) => v.accountId === u.accountId)).map((u) => ({ id: u.accountId, label: u.displayName ?? u.accountId }));
    },
    [value],
  );
  return (
    <div>
      {value.length > 0 && (
        <ul className="chips" aria-label="Participants">
          {value.map((p) => (
            <li key={p.accountId} className="chip" data-testid="participant-chip">
              {p.displayName ?? p.accountId}
              <button type="button" aria-label={`Remove ${p.displayName ?? p.accountId}`} onClick={() => onChange(value.filter((x) => x.accountId !== p.accountId))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <Combobox id="drill-participants" search={search} minLength={2} placeholder="Search people by name or email" onChoose={(o) => onChange([...value, { accountId: o.id, displayName: o.label }])} invalid={invalid} testId="participant-search" />
    </div>
  );
}

/** "YYYY-MM-DDTHH:mm" in the browser's time zone, as a datetime-local field shows it. */
function localInput(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function ScheduleDrill({ page, onDone, onCancel }: { page: DrillsPage; onDone: (drill: DrillView) => void; onCancel: () => void }) {
  const [planId, setPlanId] = useState(page.plans[0]?.id ?? '');
  const [kind, setKind] = useState<DrillKind>('tabletop');
  const [when, setWhen] = useState(localInput(page.serverTime + 7 * 24 * 60 * 60_000));
  const [participants, setParticipants] = useState<Person[]>([]);
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<ResolverError | undefined>();
  const [busy, setBusy] = useState(false);
  const field = (name: string) => (error?.field === name || error?.field?.startsWith(`${name}.`) ? error.message : undefined);

  const submit = async () => {
    const scheduledFor = new Date(when).getTime();
    if (Number.isNaN(scheduledFor)) {
      setError({ code: 'INVALID_INPUT', message: 'Choose the date and time of the drill.', field: 'scheduledFor' });
      return;
    }
    setBusy(true);
    const answer = await api.scheduleDrill({ planId, kind, scheduledFor, participants: participants.map((p) => p.accountId), ...(notes.trim() ? { notes } : {}) }).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) setError(answer.error);
    else onDone(answer.data);
  };

  if (page.plans.length === 0) return <p className="subtle">There is no plan to exercise yet: create one on the Plans tab.</p>;
  return (
    <form
      className="panel"
      aria-labelledby="schedule-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="schedule-drill"
    >
      <Stack space="space.150">
        <h3 id="schedule-title">Schedule a drill</h3>
        <Select id="drill-plan" label="Plan" value={planId} options={page.plans.map((p) => ({ value: p.id, label: `${p.title} (${p.serviceName})` }))} onChange={setPlanId} />
        {field('planId') && <div className="field-error">{field('planId')}</div>}
        <Select id="drill-kind" label="Kind" value={kind} options={DRILL_KINDS.map((k) => ({ value: k, label: DRILL_KIND_NAMES[k] }))} onChange={setKind} />
        <Field id="drill-when" label="Date and time" error={field('scheduledFor')}>
          <Textfield id="drill-when" type="datetime-local" value={when} onChange={(e) => setWhen(e.currentTarget.value)} isInvalid={!!field('scheduledFor')} aria-describedby={describedBy('drill-when', field('scheduledFor'))} testId="drill-when" />
        </Field>
        <Field id="drill-participants" label="Participants" error={field('participants')} help="They are mentioned on the exercise issue, and may run the drill.">
          <ParticipantsPicker value={participants} onChange={setParticipants} invalid={!!field('participants')} />
        </Field>
        <Field id="drill-notes" label="Notes" error={field('notes')}>
          <TextArea id="drill-notes" value={notes} onChange={(e) => setNotes(e.currentTarget.value)} minimumRows={2} resize="vertical" testId="drill-notes" />
        </Field>
        {error && !error.field && (
          <div className="message error" role="alert">
            {error.message}
          </div>
        )}
        <Inline space="space.100">
          <Button appearance="primary" type="submit" isLoading={busy} testId="schedule-submit">
            Schedule drill
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </Inline>
      </Stack>
    </form>
  );
}
