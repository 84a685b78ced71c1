/**
 * Which incidents qualify: projects, issue types, JSM request types, what makes an incident a P1 (its
 * priority, or JSM's Major incident flag), and the fallback from components and labels to services when
 * Affected services is empty.
 */
import Button from '@atlaskit/button/new';
import Checkbox from '@atlaskit/checkbox';
import Textfield from '@atlaskit/textfield';
import { Inline, Text } from '@atlaskit/primitives/compiled';
import type { FallbackMapping, SettingsView } from '../../../../src/contract/settings';
import type { Draft, DraftPatch } from '../draft';
import { Section, type ErrorAt } from './parts';

type Values = Pick<Draft, 'projectKeys' | 'issueTypeNames' | 'requestTypeNames' | 'p1Priorities' | 'majorIncidentQualifies' | 'fallbackMappings'>;

interface Props {
  value: Values;
  options: SettingsView['options'];
  onChange: (patch: DraftPatch) => void;
  errorAt: ErrorAt;
  /** The field the last refusal named (its control is marked invalid). */
  invalidField?: string;
}

const toggle = (list: string[], value: string, on: boolean) => (on ? [...new Set([...list, value])] : list.filter((v) => v !== value));

export function QualificationSection({ value, options, onChange, errorAt, invalidField }: Props) {
  const setMapping = (i: number, patch: Partial<FallbackMapping>) => onChange({ fallbackMappings: value.fallbackMappings.map((m, j) => (i === j ? { ...m, ...patch } : m)) });
  return (
    <Section id="qualification" title="Which incidents qualify" help="A qualifying incident invokes the continuity plans of the services it affects.">
      <fieldset data-field="projectKeys">
        <legend>Projects</legend>
        <Text as="p" color="color.text.subtlest">Incidents in these projects qualify. None ticked: every project.</Text>
        <div className="choices">
          {options.projects.map((p) => (
            <Checkbox key={p.key} label={`${p.name} (${p.key})`} isChecked={value.projectKeys.includes(p.key)} onChange={(e) => onChange({ projectKeys: toggle(value.projectKeys, p.key, e.target.checked) })} />
          ))}
        </div>
        {errorAt('projectKeys')}
      </fieldset>

      <fieldset data-field="issueTypeNames">
        <legend>Issue types</legend>
        <Text as="p" color="color.text.subtlest">Issues of these types are incidents.</Text>
        <div className="choices">
          {options.issueTypes.map((t) => (
            <Checkbox key={t} label={t} isChecked={value.issueTypeNames.includes(t)} onChange={(e) => onChange({ issueTypeNames: toggle(value.issueTypeNames, t, e.target.checked) })} />
          ))}
        </div>
        {errorAt('issueTypeNames')}
      </fieldset>

      <fieldset data-field="requestTypeNames">
        <legend>Request types</legend>
        <Text as="p" color="color.text.subtlest">Incidents raised with these JSM request types qualify. None ticked: every request type.</Text>
        <div className="choices">
          {options.requestTypes.map((t) => (
            <Checkbox key={t.id} label={t.name} testId={`request-type-${t.name}`} isChecked={value.requestTypeNames.includes(t.name)} onChange={(e) => onChange({ requestTypeNames: toggle(value.requestTypeNames, t.name, e.target.checked) })} />
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
              isChecked={value.p1Priorities.includes(p.name) || value.p1Priorities.includes(p.id)}
              onChange={(e) => onChange({ p1Priorities: toggle(value.p1Priorities.filter((x) => x !== p.id), p.name, e.target.checked) })}
            />
          ))}
        </div>
        <Checkbox label="JSM's Major incident flag qualifies an incident on its own" testId="major-incident" isChecked={value.majorIncidentQualifies} onChange={(e) => onChange({ majorIncidentQualifies: e.target.checked })} />
        {errorAt('p1Priorities')}
        {errorAt('majorIncidentQualifies')}
      </fieldset>

      <fieldset data-field="fallbackMappings">
        <legend>When Affected services is empty</legend>
        <Text as="p" color="color.text.subtlest">An incident's component or label can stand for a catalogued service.</Text>
        {value.fallbackMappings.length > 0 && (
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
              {value.fallbackMappings.map((m, i) => (
                <tr key={i} data-testid="mapping-row">
                  <td data-field={`fallbackMappings.${i}.kind`}>
                    <select className="ds-select" aria-label={`Fallback mapping ${i + 1}: match on`} value={m.kind} onChange={(e) => setMapping(i, { kind: e.target.value as FallbackMapping['kind'] })}>
                      <option value="component">Component</option>
                      <option value="label">Label</option>
                    </select>
                  </td>
                  <td data-field={`fallbackMappings.${i}.value`}>
                    <Textfield aria-label={`Fallback mapping ${i + 1}: component or label`} value={m.value} onChange={(e) => setMapping(i, { value: (e.target as HTMLInputElement).value })} isInvalid={invalidField === `fallbackMappings.${i}.value`} />
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
                    <Button appearance="subtle" aria-label={`Remove fallback mapping ${i + 1}`} onClick={() => onChange({ fallbackMappings: value.fallbackMappings.filter((_, j) => j !== i) })}>
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Inline>
          <Button onClick={() => onChange({ fallbackMappings: [...value.fallbackMappings, { kind: 'component', value: '', serviceId: options.services[0]?.id ?? '' }] })} isDisabled={options.services.length === 0} testId="add-mapping">
            Add mapping
          </Button>
        </Inline>
      </fieldset>
    </Section>
  );
}
