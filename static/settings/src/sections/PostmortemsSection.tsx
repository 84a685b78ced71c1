/**
 * Postmortems and follow-ups: where postmortem pages go in Confluence (their own space and parent page,
 * or where plan pages go), whether the postmortem is published on its own at recovery, and the issue
 * type of follow-up actions.
 */
import Checkbox from '@atlaskit/checkbox';
import Textfield from '@atlaskit/textfield';
import { DEFAULT_FOLLOW_UP_ISSUE_TYPE } from '../../../../src/contract/settings';
import type { Draft, DraftPatch } from '../draft';
import { Field, Section, type ErrorAt } from './parts';
import { IssueTypeSelect } from './IssueTypeSelect';

type Values = Pick<Draft, 'postmortemSpaceKey' | 'postmortemParentPageId' | 'postmortemOnRecovery' | 'followUpIssueTypeName' | 'planSpaceKey'>;

export function PostmortemsSection({ value, issueTypes, onChange, errorAt }: { value: Values; issueTypes: string[]; onChange: (patch: DraftPatch) => void; errorAt: ErrorAt }) {
  const planSpace = value.planSpaceKey.trim();
  return (
    <Section id="postmortems" title="Postmortems and follow-ups" help="After an incident the app writes its postmortem as a Confluence page (RTO achieved, timeline, findings); follow-up actions become Jira issues.">
      <Field id="postmortem-space-key" field="postmortemSpaceKey" label="Postmortem space key" help={planSpace ? `Empty: postmortems go where plan pages go (${planSpace}).` : 'Empty: postmortems go where plan pages go.'} errorAt={errorAt}>
        <Textfield id="postmortem-space-key" testId="postmortem-space-key" aria-describedby="postmortem-space-key-help" value={value.postmortemSpaceKey} onChange={(e) => onChange({ postmortemSpaceKey: (e.target as HTMLInputElement).value })} placeholder={planSpace || 'CONT'} />
      </Field>
      <Field id="postmortem-parent-page" field="postmortemParentPageId" label="Parent page id of postmortems (optional)" help="A Confluence page id (digits). Empty: the space's home page (or the plans' parent page, when postmortems go where plans go)." errorAt={errorAt}>
        <Textfield id="postmortem-parent-page" testId="postmortem-parent-page" aria-describedby="postmortem-parent-page-help" value={value.postmortemParentPageId} onChange={(e) => onChange({ postmortemParentPageId: (e.target as HTMLInputElement).value })} placeholder="The space's home page" />
      </Field>
      <div data-field="postmortemOnRecovery">
        <Checkbox label="Publish the postmortem as soon as the incident is recovered" testId="postmortem-on-recovery" isChecked={value.postmortemOnRecovery} onChange={(e) => onChange({ postmortemOnRecovery: e.target.checked })} />
        <div className="ds-subtle field-help">Unticked, someone publishes it from the incident panel when ready. A drill always publishes its own.</div>
        {errorAt('postmortemOnRecovery')}
      </div>
      <Field id="follow-up-issue-type" field="followUpIssueTypeName" label="Issue type of follow-up actions" help="Follow-up actions are created in the incident's project, linked to the incident." errorAt={errorAt}>
        <IssueTypeSelect id="follow-up-issue-type" value={value.followUpIssueTypeName} issueTypes={issueTypes} defaultName={DEFAULT_FOLLOW_UP_ISSUE_TYPE} onChange={(followUpIssueTypeName) => onChange({ followUpIssueTypeName })} />
      </Field>
    </Section>
  );
}
