/** Drills: the project and issue type of the exercise issues a drill raises (it then runs like an incident). */
import { DEFAULT_DRILL_ISSUE_TYPE, type SettingsView } from '../../../../src/contract/settings';
import type { Draft, DraftPatch } from '../draft';
import { Field, Section, type ErrorAt } from './parts';
import { IssueTypeSelect } from './IssueTypeSelect';

type Values = Pick<Draft, 'drillProjectKey' | 'drillIssueTypeName' | 'projectKeys'>;

export function DrillsSection({ value, options, onChange, errorAt }: { value: Values; options: SettingsView['options']; onChange: (patch: DraftPatch) => void; errorAt: ErrorAt }) {
  // Without a drill project, drills use the one project that qualifies incidents, when exactly one does.
  const only = value.projectKeys.length === 1 ? value.projectKeys[0] : undefined;
  const projects = value.drillProjectKey && !options.projects.some((p) => p.key === value.drillProjectKey) ? [...options.projects, { key: value.drillProjectKey, name: value.drillProjectKey }] : options.projects;
  return (
    <Section id="drills" title="Drills" help="A drill raises an exercise issue that runs through the same pipeline as an incident, marked as a drill.">
      <Field id="drill-project" field="drillProjectKey" label="Drill project" help="The project exercise issues are created in." errorAt={errorAt}>
        <select className="ds-select" id="drill-project" data-testid="drill-project" aria-describedby="drill-project-help" value={value.drillProjectKey} onChange={(e) => onChange({ drillProjectKey: e.target.value })}>
          <option value="">{only ? `The one project that qualifies incidents (${only})` : 'None (drills cannot run until one is chosen)'}</option>
          {projects.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name} ({p.key})
            </option>
          ))}
        </select>
      </Field>
      <Field id="drill-issue-type" field="drillIssueTypeName" label="Drill issue type" help="The issue type of exercise issues; it must exist in the drill project." errorAt={errorAt}>
        <IssueTypeSelect id="drill-issue-type" value={value.drillIssueTypeName} issueTypes={options.issueTypes} defaultName={DEFAULT_DRILL_ISSUE_TYPE} onChange={(drillIssueTypeName) => onChange({ drillIssueTypeName })} />
      </Field>
    </Section>
  );
}
