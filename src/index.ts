/** Every handler named in manifest.yml, grouped by kind. Nothing else lives here. */

// Resolvers (Custom UI surfaces)
export { issuePanelResolver } from './entry/resolvers/issue-panel';
export { settingsResolver } from './entry/resolvers/settings';
export { consoleResolver } from './entry/resolvers/console';
export { planPageResolver, planBylineProperties } from './entry/resolvers/plans';
export { issueContextResolver, issueContextStatus } from './entry/resolvers/issue-context';

// Product event triggers
export { onIssueEvent } from './entry/triggers/issue-events';
export { onCommentEvent } from './entry/triggers/comment-events';
export { onPageEvent } from './entry/triggers/page-events';

// Scheduled triggers
export { onWatch } from './entry/scheduled/watch';
export { onIndicatorsRebuild } from './entry/scheduled/indicators';
export { onPlanPagesDaily } from './entry/scheduled/plan-pages';

// Queue consumers
export { onOutboxEvent } from './entry/consumers/outbox';
export { onPlanPublishEvent } from './entry/consumers/plan-publish';
export { onLoopEvent } from './entry/consumers/loop';

// Atlassian Automation actions
export { invokePlanAction } from './entry/actions/invoke-plan';
