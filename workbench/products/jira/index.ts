/** The local Jira Cloud + JSM site (see README.md in this folder). */
export { JiraService, type JiraServiceOptions } from './service';
export type { IndexedPropertyDef, IndexedValueType } from './jql';
export { AFFECTED_SERVICES_TYPE, MAJOR_INCIDENT_TYPE, MAJOR_INCIDENT_VALUE } from './seed';
export { ISSUE_COMMENTED, ISSUE_CREATED, ISSUE_UPDATED } from './events';
export { jiraDate } from './site';
