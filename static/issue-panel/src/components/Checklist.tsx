/**
 * The recovery checklist: progress, the projection against the RTO, and each step with who resolved it
 * and when. Done, Skip and Undo carry the step in their accessible names (a screen reader lists "Done:
 * Fail payment traffic over…", not five "Done" buttons). Skipping asks why in a plain inline form, with
 * focus moved into it and back to the step's Skip button when it closes.
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import type { InvocationView, StepView } from '../../../../src/contract/issue-panel';
import { stepsChangeInWords } from '../../../../src/domain/steps-change';
import { formatMinutes, formatTime } from '../../../shared/time';
import * as api from '../api';
import { useAction, usePanel } from '../panel-context';

export function Checklist({ inv }: { inv: InvocationView }) {
  const { now, timeZone, canEdit } = usePanel();
  const p = inv.progress;
  const projected = now + p.remainingMinutes * 60_000;
  const withinRto = projected <= inv.ownRtoDueAt;
  const editable = canEdit && inv.state === 'open';
  return (
    <Stack space="space.100">
      <Inline space="space.100" alignBlock="baseline" shouldWrap>
        <h3 className="ds-heading-xsmall">Recovery checklist</h3>
        <Text size="small" color="color.text.subtlest" testId="progress">
          {p.done + p.skipped} of {p.total} steps ({p.percent} %)
        </Text>
      </Inline>
      <div className="ds-progress" role="progressbar" aria-valuenow={p.percent} aria-valuemin={0} aria-valuemax={100} aria-label="Checklist progress">
        <span style={{ width: `${p.percent}%` }} />
      </div>
      {inv.state === 'open' && p.remainingMinutes > 0 && (
        <span data-testid="projection" data-within-rto={withinRto}>
          <Text size="small" color={withinRto ? 'color.text.subtlest' : 'color.text.warning'}>
            Projected recovery {formatTime(projected, timeZone)} ({formatMinutes(p.remainingMinutes)} of steps left): {withinRto ? 'within' : 'after'} the committed RTO.
          </Text>
        </span>
      )}
      {inv.planChanged && editable && <PlanChanged inv={inv} />}
      <ol className="steps">
        {inv.steps.map((step, i) => (
          <Step key={step.id} step={step} number={i + 1} invocationId={inv.id} editable={editable} />
        ))}
      </ol>
    </Stack>
  );
}

function PlanChanged({ inv }: { inv: InvocationView }) {
  const { perform, busy, error } = useAction();
  return (
    <Stack space="space.050">
      <Text size="small" color="color.text.subtle" testId="plan-changed">
        The plan page changed during the incident: {stepsChangeInWords(inv.planChanged!)}.
      </Text>
      <Inline>
        <Button spacing="compact" isLoading={busy} onClick={() => void perform(() => api.adoptSteps({ invocationId: inv.id }), 'The checklist now follows the edited plan.')}>
          Use the edited steps
        </Button>
      </Inline>
      {error && <ActionError text={error} />}
    </Stack>
  );
}

function Step({ step, number, invocationId, editable }: { step: StepView; number: number; invocationId: string; editable: boolean }) {
  const { timeZone } = usePanel();
  const { perform, busy, error } = useAction();
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const skipButton = useRef<HTMLButtonElement>(null);
  const reasonField = useRef<HTMLInputElement>(null);
  const wasSkipping = useRef(false);
  useEffect(() => {
    // Focus follows the form: into its field when it opens, back to "Skip" when it closes unsubmitted.
    if (skipping) reasonField.current?.focus();
    else if (wasSkipping.current && step.status === 'pending') skipButton.current?.focus();
    wasSkipping.current = skipping;
  }, [skipping, step.status]);
  const name = `step ${number}, ${step.title}`;
  return (
    <li className={`step-${step.status}`} data-testid="step" data-step={step.id} data-status={step.status}>
      <Stack space="space.050">
        <span className="step-title">{step.title}</span>
        <Text size="small" color="color.text.subtlest">
          {step.role} · ~{formatMinutes(step.expectedMinutes)}
          {step.status !== 'pending' && step.by && step.at && (
            <span data-testid="step-record">
              {' '}· {step.status === 'done' ? 'Done' : 'Skipped'} by {step.by.displayName} at {formatTime(step.at, timeZone)}
              {step.reason ? ` (${step.reason})` : ''}
            </span>
          )}
        </Text>
        {editable && step.status === 'pending' && !skipping && (
          <Inline space="space.050">
            <Button spacing="compact" isDisabled={busy} aria-label={`Done: ${name}`} onClick={() => void perform(() => api.markStepDone({ invocationId, stepId: step.id }), `Step ${number} marked done.`)}>
              Done
            </Button>
            <Button spacing="compact" appearance="subtle" isDisabled={busy} aria-label={`Skip: ${name}`} ref={skipButton} onClick={() => setSkipping(true)}>
              Skip…
            </Button>
          </Inline>
        )}
        {editable && skipping && (
          <form
            aria-label={`Skip ${name}`}
            onSubmit={(e) => {
              e.preventDefault();
              void perform(() => api.skipStep({ invocationId, stepId: step.id, reason }), `Step ${number} skipped.`).then((ok) => ok && setSkipping(false));
            }}
          >
            <Stack space="space.050">
              <label className="ds-label" htmlFor={`reason-${invocationId}-${step.id}`}>
                Why skip this step?
              </label>
              <Textfield
                id={`reason-${invocationId}-${step.id}`}
                ref={reasonField}
                value={reason}
                onChange={(e) => setReason((e.target as HTMLInputElement).value)}
                isRequired
                minLength={3}
                maxLength={500}
                isCompact
                onKeyDown={(e) => e.key === 'Escape' && setSkipping(false)}
              />
              <Inline space="space.050">
                <Button type="submit" spacing="compact" appearance="primary" isLoading={busy}>
                  Skip step
                </Button>
                <Button spacing="compact" appearance="subtle" onClick={() => setSkipping(false)}>
                  Cancel
                </Button>
              </Inline>
            </Stack>
          </form>
        )}
        {editable && step.status !== 'pending' && (
          <Inline>
            <Button spacing="compact" appearance="subtle" isDisabled={busy} aria-label={`Undo: ${name}`} onClick={() => void perform(() => api.reopenStep({ invocationId, stepId: step.id }), `Step ${number} reopened.`)}>
              Undo
            </Button>
          </Inline>
        )}
        {error && <ActionError text={error} />}
      </Stack>
    </li>
  );
}

export function ActionError({ text }: { text: string }) {
  return (
    <span role="alert" data-testid="action-error">
      <Text size="small" color="color.text.danger">
        {text}
      </Text>
    </span>
  );
}
