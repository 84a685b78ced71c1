/**
 * Plan pages in Confluence: the space and parent page new plan pages go to, with "Check where plans go"
 * (the space and page exist and the app may write there, in plain words, for what is typed, saved or
 * not), and the issue types that are change requests (one affecting a catalogued service makes its plan
 * due for review).
 */
import { useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import Checkbox from '@atlaskit/checkbox';
import Textfield from '@atlaskit/textfield';
import { Inline, Text } from '@atlaskit/primitives/compiled';
import type { PlanLocationCheck, SettingsData } from '../../../../src/contract/settings';
import { inWords, UNREACHABLE } from '../../../shared/errors';
import { Notice } from '../../../shared/Notice';
import { checkPlanLocation } from '../api';
import { Section } from './parts';

type Values = Pick<SettingsData, 'planSpaceKey' | 'planParentPageId' | 'changeIssueTypeNames'>;

interface Props {
  value: Values;
  issueTypes: string[];
  onChange: (patch: Partial<Values>) => void;
  /** The save's refusal beside the field it names. */
  errorAt: (field: string) => ReactNode;
}

export function PlanPagesSection({ value, issueTypes, onChange, errorAt }: Props) {
  const [check, setCheck] = useState<PlanLocationCheck | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const r = await checkPlanLocation({ planSpaceKey: value.planSpaceKey, planParentPageId: value.planParentPageId });
      setCheck(r.ok ? r.data : { ok: false, message: inWords(r.error) });
    } catch {
      setCheck({ ok: false, message: inWords(UNREACHABLE) });
    }
    setBusy(false);
  };
  const change = (patch: Partial<Values>) => {
    setCheck(undefined);
    onChange(patch);
  };
  const toggle = (name: string, on: boolean) => change({ changeIssueTypeNames: on ? [...new Set([...value.changeIssueTypeNames, name])] : value.changeIssueTypeNames.filter((n) => n !== name) });
  return (
    <Section id="plan-pages" title="Plan pages and change requests">
      <fieldset>
        <legend>Plan pages in Confluence</legend>
        <Text as="p" color="color.text.subtlest">
          New plan pages are published in this space, under the parent page (the space's home page when empty).
        </Text>
        <div data-field="planSpaceKey">
          <label className="ds-label" htmlFor="plan-space-key">
            Space key
          </label>
          <Textfield id="plan-space-key" testId="plan-space-key" value={value.planSpaceKey} onChange={(e) => change({ planSpaceKey: (e.target as HTMLInputElement).value })} placeholder="CONT" />
          {errorAt('planSpaceKey')}
        </div>
        <div data-field="planParentPageId">
          <label className="ds-label" htmlFor="plan-parent-page">
            Parent page id (optional)
          </label>
          <Textfield id="plan-parent-page" testId="plan-parent-page" value={value.planParentPageId} onChange={(e) => change({ planParentPageId: (e.target as HTMLInputElement).value })} placeholder="The space's home page" />
          {errorAt('planParentPageId')}
        </div>
        <Inline space="space.100" alignBlock="center">
          <Button onClick={() => void run()} isLoading={busy} testId="check-plan-location">
            Check where plans go
          </Button>
        </Inline>
        {check && (
          <Notice appearance={check.ok ? 'success' : 'warning'} testId="plan-location-check">
            <Text as="p">{check.message}</Text>
          </Notice>
        )}
      </fieldset>

      <fieldset data-field="changeIssueTypeNames">
        <legend>Change requests</legend>
        <Text as="p" color="color.text.subtlest">
          An issue of these types whose affected services include a catalogued service marks that service's plan “review due”.
        </Text>
        <div className="choices">
          {issueTypes.map((t) => (
            <Checkbox key={t} label={t} testId={`change-type-${t}`} isChecked={value.changeIssueTypeNames.includes(t)} onChange={(e) => toggle(t, e.target.checked)} />
          ))}
        </div>
        {errorAt('changeIssueTypeNames')}
      </fieldset>
    </Section>
  );
}
