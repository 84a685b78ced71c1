/** Roles: the Jira groups whose members are Service Continuity Managers. */
import Textfield from '@atlaskit/textfield';
import type { Draft, DraftPatch } from '../draft';
import { Field, Section, type ErrorAt } from './parts';

export function RolesSection({ value, onChange, errorAt }: { value: Pick<Draft, 'managerGroups'>; onChange: (patch: DraftPatch) => void; errorAt: ErrorAt }) {
  return (
    <Section id="roles" title="Roles" help="Service Continuity Managers change the catalogue, plans, BIAs, risks and drills; everyone who can open the app may read them.">
      <Field id="manager-groups" field="managerGroups" label="Service Continuity Manager groups" help="Jira groups, comma-separated. Jira administrators are always managers." errorAt={errorAt}>
        <Textfield id="manager-groups" testId="manager-groups" aria-describedby="manager-groups-help" value={value.managerGroups} onChange={(e) => onChange({ managerGroups: (e.target as HTMLInputElement).value })} placeholder="continuity-managers" />
      </Field>
    </Section>
  );
}
