/** Below the running plans: affected services that have no plan, or that the catalogue does not know. */
import { Text } from '@atlaskit/primitives/compiled';
import type { PanelView } from '../../../../src/contract/issue-panel';
import { Notice } from '../../../shared/Notice';
import { ConsoleLink } from './links';

export function PanelNotes({ view }: { view: PanelView }) {
  if (view.missingPlans.length === 0 && view.unknownServices.length === 0) return null;
  return (
    <Notice appearance="warning" testId="missing-plans" actions={<ConsoleLink moduleKey={view.links.consoleModuleKey}>Open the Service continuity page</ConsoleLink>}>
      {view.missingPlans.length > 0 && <Text as="p">No continuity plan for {view.missingPlans.join(', ')} yet: its recovery is not on this incident.</Text>}
      {view.unknownServices.length > 0 && <Text as="p">Not in the continuity catalogue: {view.unknownServices.join(', ')}.</Text>}
    </Notice>
  );
}
