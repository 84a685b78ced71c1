/** Every handler named in manifest.yml, grouped by kind. Nothing else lives here. */

// Resolvers (Custom UI surfaces)
export { issuePanelResolver } from './entry/resolvers/issue-panel';
export { settingsResolver } from './entry/resolvers/settings';
export { consoleResolver } from './entry/resolvers/console';

// Product event triggers
export { onIssueEvent } from './entry/triggers/issue-events';

// Scheduled triggers
export { onWatch } from './entry/scheduled/watch';
export { onIndicatorsRebuild } from './entry/scheduled/indicators';

// Queue consumers
export { onOutboxEvent } from './entry/consumers/outbox';

// Atlassian Automation actions
export { invokePlanAction } from './entry/actions/invoke-plan';
