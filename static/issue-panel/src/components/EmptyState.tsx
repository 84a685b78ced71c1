/**
 * What the panel says when no plan runs, truthfully and with the way forward: the incident does not
 * qualify (settings), its Affected services field is empty (how to fill it), a service is not in the
 * catalogue (named, with the page where services are added), a service has no plan (where plans are
 * written), the app is still linking it (refresh), or Jira did not answer (retry).
 */
import Button from '@atlaskit/button/new';
import { Text } from '@atlaskit/primitives/compiled';
import type { PanelView } from '../../../../src/contract/issue-panel';
import { Notice, type NoticeAppearance } from '../../../shared/Notice';
import { ConsoleLink, SettingsLink } from './links';

const APPEARANCE: Partial<Record<PanelView['status'], NoticeAppearance>> = { 'jira-unavailable': 'warning', 'no-service': 'warning', 'no-plan': 'warning' };

export function EmptyState({ view, onRefresh, refreshing }: { view: PanelView; onRefresh: () => Promise<void>; refreshing: boolean }) {
  const { status, links } = view;
  const actions = [];
  if (status === 'pending' || status === 'jira-unavailable') {
    actions.push(
      <Button key="refresh" onClick={() => void onRefresh()} isLoading={refreshing} testId={status === 'pending' ? 'refresh' : 'retry'}>
        {status === 'pending' ? 'Refresh' : 'Retry'}
      </Button>,
    );
  }
  if (status === 'not-qualifying' || status === 'not-configured') actions.push(<SettingsLink key="settings" moduleKey={links.settingsModuleKey} />);
  if (status === 'not-configured' || status === 'no-plan' || (status === 'no-service' && view.unknownServices.length > 0)) {
    const label = status === 'no-plan' ? 'Write the plan on the Service continuity page' : 'Add services on the Service continuity page';
    actions.push(
      <ConsoleLink key="console" moduleKey={links.consoleModuleKey}>
        {label}
      </ConsoleLink>,
    );
  }
  return (
    <Notice appearance={APPEARANCE[status] ?? 'information'} testId={`empty-${status}`} title={view.reason} actions={actions.length > 0 ? actions : undefined}>
      {view.toQualify && <Text as="p">{view.toQualify}</Text>}
      {status === 'no-service' && view.unknownServices.length > 0 && (
        <Text as="p" testId="unknown-services">
          Not in the continuity catalogue: {view.unknownServices.join(', ')}.
        </Text>
      )}
    </Notice>
  );
}
