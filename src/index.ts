/** Every handler named in manifest.yml, grouped by kind. Nothing else lives here. */

// Resolvers (Custom UI surfaces)
export { issuePanelResolver } from './entry/resolvers/issue-panel';
export { settingsResolver } from './entry/resolvers/settings';
export { consoleResolver } from './entry/resolvers/console';
export { issueContextResolver, issueContextStatus } from './entry/resolvers/issue-context';

// Product event triggers
export { onIssueEvent } from './entry/triggers/issue-events';
export { onCommentEvent } from './entry/triggers/comment-events';

// Scheduled triggers
export { onWatch } from './entry/scheduled/watch';

// Queue consumers
export { onOutboxEvent } from './entry/consumers/outbox';

// Atlassian Automation actions
export { invokePlanAction } from './entry/actions/invoke-plan';
