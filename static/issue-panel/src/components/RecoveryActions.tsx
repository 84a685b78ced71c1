/**
 * Declare recovered, stand down, reopen: each asks for confirmation in a plain inline form (not a
 * dialog), which takes focus when it opens and gives it back to the button that opened it. Declaring
 * recovery with steps still open names them, so nobody declares by mistake.
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import type { InvocationView } from '../../../../src/contract/issue-panel';
import * as api from '../api';
import { useAction, usePanel } from '../panel-context';
import { ActionError } from './Checklist';

type Confirming = 'recover' | 'stand-down' | 'reopen';

function question(inv: InvocationView, what: Confirming): string {
  if (what === 'stand-down') return `Stand down the ${inv.plan.title} as a false alarm? Its clock stops and nothing more is posted.`;
  if (what === 'reopen') return `Reopen the ${inv.plan.title}? Its clock runs again from the incident's start.`;
  const open = inv.steps.filter((s) => s.status === 'pending');
  const base = `Declare ${inv.service.name} recovered? This stops the RTO clock and records the achieved recovery time.`;
  if (open.length === 0) return base;
  const list = open.map((s) => `"${s.title}"`).join(', ');
  return `${open.length === 1 ? '1 step is' : `${open.length} steps are`} still open: ${list}. ${base}`;
}

export function RecoveryActions({ inv }: { inv: InvocationView }) {
  const { canEdit } = usePanel();
  const { perform, busy, error } = useAction();
  const [confirming, setConfirming] = useState<Confirming | undefined>();
  const [reason, setReason] = useState('');
  const opener = useRef<Confirming | undefined>();
  const buttons = { recover: useRef<HTMLButtonElement>(null), 'stand-down': useRef<HTMLButtonElement>(null), reopen: useRef<HTMLButtonElement>(null) };
  const formFirst = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (confirming) formFirst.current?.focus();
    else if (opener.current) buttons[opener.current].current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [confirming]);
  if (!canEdit) return null;

  const open = (what: Confirming) => {
    opener.current = what;
    setReason('');
    setConfirming(what);
  };
  const close = () => setConfirming(undefined);
  const submit = async () => {
    if (!confirming) return;
    const run =
      confirming === 'recover'
        ? () => api.declareRecovered({ invocationId: inv.id })
        : confirming === 'stand-down'
          ? () => api.standDown({ invocationId: inv.id, reason })
          : () => api.reopen({ invocationId: inv.id, reason: reason.trim() || undefined });
    const done = { recover: `${inv.service.name} declared recovered.`, 'stand-down': `${inv.plan.title} stood down.`, reopen: `${inv.plan.title} reopened.` }[confirming];
    // The button that opened the form goes with the state it belonged to: focus moves to the one that
    // replaced it (Reopen after a recovery or stand-down, Declare recovered after a reopen).
    if (await perform(run, done)) {
      opener.current = confirming === 'reopen' ? 'recover' : 'reopen';
      close();
    }
  };

  if (confirming) {
    const textId = `confirm-text-${inv.id}`;
    return (
      <Box backgroundColor="color.background.warning" padding="space.150">
        <form
          aria-labelledby={textId}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          onKeyDown={(e) => e.key === 'Escape' && close()}
        >
          <Stack space="space.100">
            <Text as="p" id={textId} testId="confirm-text">
              {question(inv, confirming)}
            </Text>
            {confirming !== 'recover' && (
              <div>
                <label className="ds-label" htmlFor={`why-${inv.id}`}>
                  {confirming === 'stand-down' ? 'Reason' : 'Reason (optional)'}
                </label>
                <Textfield
                  id={`why-${inv.id}`}
                  ref={(el: HTMLInputElement | null) => (formFirst.current = el)}
                  value={reason}
                  onChange={(e) => setReason((e.target as HTMLInputElement).value)}
                  isRequired={confirming === 'stand-down'}
                  minLength={confirming === 'stand-down' ? 3 : 0}
                  maxLength={500}
                />
              </div>
            )}
            <Inline space="space.100">
              <Button
                type="submit"
                appearance={confirming === 'recover' ? 'primary' : 'warning'}
                isLoading={busy}
                testId="confirm"
                ref={confirming === 'recover' ? (el: HTMLButtonElement | null) => (formFirst.current = el) : undefined}
              >
                {confirming === 'recover' ? 'Declare recovered' : confirming === 'stand-down' ? 'Stand down' : 'Reopen'}
              </Button>
              <Button appearance="subtle" onClick={close}>
                Cancel
              </Button>
            </Inline>
            {error && <ActionError text={error} />}
          </Stack>
        </form>
      </Box>
    );
  }
  return (
    <Stack space="space.050">
      <Inline space="space.100">
        {inv.state === 'open' ? (
          <>
            <Button appearance="primary" onClick={() => open('recover')} testId="declare-recovered" ref={buttons.recover}>
              Declare recovered
            </Button>
            <Button onClick={() => open('stand-down')} testId="stand-down" ref={buttons['stand-down']}>
              Stand down
            </Button>
          </>
        ) : (
          <Button onClick={() => open('reopen')} testId="reopen" ref={buttons.reopen}>
            Reopen
          </Button>
        )}
      </Inline>
      {error && <ActionError text={error} />}
    </Stack>
  );
}
