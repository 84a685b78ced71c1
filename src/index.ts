/** Every handler named in manifest.yml, grouped by kind. Nothing else lives here. */

// Resolvers (Custom UI surfaces)
export { issuePanelResolver } from './entry/resolvers/issue-panel';

// Product event triggers
export { onIssueEvent } from './entry/triggers/issue-events';
