/**
 * Follow-up actions as Jira issues linked to the incident: the ones created (with their keys), the
 * ones people wrote on the published page (one click each), and a field for a new one. Each is created
 * once: asking again for the same words answers who created it.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import { router } from '@forge/bridge';
import type { LoopPanelView } from '../../../../src/contract/loop';
import * as api from './api';
import type { Act } from './types';

const STATE_WORDS = { created: '', creating: ' (being created)', 'not-linked': ' (not linked to this incident yet: create it again to link it)' } as const;

export function FollowUps({ loop, canEdit, act }: { loop: LoopPanelView; canEdit: boolean; act: Act }) {
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  const create = async (text: string) => {
    setBusy(text);
    setError(undefined);
    const failure = await act(() => api.createFollowUp({ summary: text }));
    setBusy(undefined);
    if (failure) setError(failure.message);
    else if (text === summary) setSummary('');
  };
  const open = (key: string) => void router.open({ target: 'issue', issueKey: key } as never);

  if (!loop.canPublish) return null;
  return (
    <section aria-labelledby="follow-ups-title" data-testid="follow-ups">
      <Stack space="space.100">
        <h4 id="follow-ups-title">Follow-up actions</h4>
        {loop.followUps.length > 0 ? (
          <ul data-testid="follow-up-list">
            {loop.followUps.map((f) => (
              <li key={f.key} data-testid="follow-up" data-state={f.state}>
                {f.issueKey && (
                  <>
                    <Button appearance="subtle" spacing="compact" onClick={() => open(f.issueKey!)}>
                      {f.issueKey}
                    </Button>{' '}
                  </>
                )}
                {f.summary}
                <span className="muted">{STATE_WORDS[f.state]}</span>
              </li>
            ))}
          </ul>
        ) : (
          <Text color="color.text.subtle">None yet.</Text>
        )}
        {canEdit && loop.suggestedFollowUps.length > 0 && (
          <Stack space="space.050">
            <Text size="small" color="color.text.subtle">
              Written under "Follow-up actions" on the page:
            </Text>
            {loop.suggestedFollowUps.map((line) => (
              <Inline key={line} space="space.100" alignBlock="center" shouldWrap>
                <Text>{line}</Text>
                <Button spacing="compact" onClick={() => void create(line)} isLoading={busy === line} testId="create-suggested-follow-up">
                  Create issue
                </Button>
              </Inline>
            ))}
          </Stack>
        )}
        {canEdit && (
          <Inline space="space.100" alignBlock="end" shouldWrap>
            <Stack space="space.050">
              <label htmlFor="follow-up-summary">New follow-up action</label>
              <Textfield id="follow-up-summary" value={summary} onChange={(e) => setSummary(e.currentTarget.value)} maxLength={255} width={320} testId="follow-up-summary" />
            </Stack>
            <Button onClick={() => void create(summary)} isDisabled={summary.trim().length < 3} isLoading={busy === summary && summary !== ''} testId="create-follow-up">
              Create follow-up action
            </Button>
          </Inline>
        )}
        {error && (
          <p className="message error" role="alert" data-testid="follow-up-error">
            {error}
          </p>
        )}
      </Stack>
    </section>
  );
}
