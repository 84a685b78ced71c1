import { useCallback } from 'react';
import type { Person } from '../../../../src/contract/console';
import { bridgeError, searchServices, searchUsers } from '../api';
import { Combobox, type Option } from './Combobox';

/** The owner: one Jira user, found with Jira's user search as the signed-in person. */
export function UserPicker({ id, value, onChange, describedBy, invalid }: { id: string; value?: Person; onChange: (person?: Person) => void; describedBy?: string; invalid?: boolean }) {
  const search = useCallback(async (text: string): Promise<Option[] | string> => {
    const answer = await searchUsers(text).catch(bridgeError);
    if (!answer.ok) return answer.error.message;
    return answer.data.users.map((u) => ({ id: u.accountId, label: u.displayName ?? u.accountId }));
  }, []);
  if (value) {
    return (
      <ul className="chips" aria-label="Owner">
        <li className="chip" data-testid="owner-chip">
          {value.displayName ?? value.accountId}
          <button type="button" aria-label={`Remove ${value.displayName ?? 'the owner'}`} onClick={() => onChange(undefined)}>
            ×
          </button>
        </li>
      </ul>
    );
  }
  return <Combobox id={id} search={search} minLength={2} placeholder="Search people by name or email" onChoose={(o) => onChange({ accountId: o.id, displayName: o.label })} describedBy={describedBy} invalid={invalid} testId="owner-search" />;
}

/** Several catalogue services (dependencies), found by the start of their name. */
export function ServicesPicker({
  id,
  value,
  exclude,
  onChange,
  describedBy,
  invalid,
}: {
  id: string;
  value: ReadonlyArray<{ id: string; name?: string }>;
  exclude?: string;
  onChange: (value: Array<{ id: string; name?: string }>) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  const search = useCallback(
    async (text: string): Promise<Option[] | string> => {
      const answer = await searchServices(text).catch(bridgeError);
      if (!answer.ok) return answer.error.message;
      return answer.data.services.filter((s) => s.id !== exclude && !value.some((v) => v.id === s.id)).map((s) => ({ id: s.id, label: s.name, detail: `Tier ${s.tier}, RTO ${s.rto.text}` }));
    },
    [exclude, value],
  );
  return (
    <div>
      {value.length > 0 && (
        <ul className="chips" aria-label="Chosen services">
          {value.map((v) => (
            <li key={v.id} className="chip">
              {v.name ?? v.id}
              <button type="button" aria-label={`Remove ${v.name ?? v.id}`} onClick={() => onChange(value.filter((x) => x.id !== v.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <Combobox id={id} search={search} placeholder="Search services by name" onChoose={(o) => onChange([...value, { id: o.id, name: o.label }])} describedBy={describedBy} invalid={invalid} testId="depends-search" />
    </div>
  );
}
