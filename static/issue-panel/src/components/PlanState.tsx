/**
 * What the invoked plan itself says: DRAFT when it is not yet approved (a draft at 3 a.m. beats nothing,
 * but nobody should take it for an approved plan), and what its page needs fixing, in the words the plan
 * registry uses.
 */
import { Text } from '@atlaskit/primitives/compiled';
import type { InvocationView } from '../../../../src/contract/issue-panel';
import { Lozenge } from '../../../shared/Lozenge';
import { Notice } from '../../../shared/Notice';

export function DraftLozenge({ plan }: { plan: InvocationView['plan'] }) {
  return plan.draft ? (
    <Lozenge appearance="moved" testId="plan-draft">
      Draft
    </Lozenge>
  ) : null;
}

export function PlanProblems({ plan }: { plan: InvocationView['plan'] }) {
  if (plan.problems.length === 0) return null;
  return (
    <Notice appearance="warning" title="The plan needs attention" testId="plan-problems">
      {plan.problems.map((text) => (
        <Text as="p" key={text}>
          {text}
        </Text>
      ))}
    </Notice>
  );
}
