/**
 * Forge product events for Jira issues, in the payload shape of Forge's "Jira events" reference
 * (developer.atlassian.com/platform/forge/events-reference/jira): `issue { id, key, fields { summary,
 * issuetype, project, status, reporter, assignee, creator, created, updated } }`, `atlassianId` (the
 * actor), `associatedUsers: [{ accountId }]`, plus `eventType`; updates add `changelog { id, items }`
 * and comments add `comment`. Users in the payload are `{ accountId }` only, and the issue type and
 * project carry v2 `self` URLs, as the reference's example shows. Unlike the REST changelog, event
 * changelog items keep `null` for absent from/to values.
 */
import type { ProductEvent } from '../types';
import { jiraDate, type Site } from './site';
import type { ChangelogRec, CommentRec, IssueRec } from './state';
import { isInternal } from './site';

export const ISSUE_CREATED = 'avi:jira:created:issue';
export const ISSUE_UPDATED = 'avi:jira:updated:issue';
export const ISSUE_COMMENTED = 'avi:jira:commented:issue';

const userRef = (accountId: string | null): { accountId: string } | null => (accountId ? { accountId } : null);

function v2(site: Site, path: string): string {
  return `${site.siteUrl}/rest/api/2/${path}`;
}

function issuePayload(site: Site, issue: IssueRec): Record<string, unknown> {
  const type = site.issueType(issue.issueTypeId);
  const project = site.projectById(issue.projectId);
  const status = site.status(issue.statusId);
  return {
    id: issue.id,
    key: issue.key,
    fields: {
      summary: issue.summary,
      issuetype: {
        self: v2(site, `issuetype/${type.id}`),
        id: type.id,
        description: type.description,
        iconUrl: `${site.siteUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${type.avatarId}?size=medium`,
        name: type.name,
        subtask: false,
        avatarId: type.avatarId,
        hierarchyLevel: type.hierarchyLevel,
      },
      creator: userRef(issue.creatorId),
      created: jiraDate(issue.created),
      project: {
        self: v2(site, `project/${project.id}`),
        id: project.id,
        key: project.key,
        name: project.name,
        projectTypeKey: project.projectTypeKey,
        simplified: false,
        avatarUrls: site.avatarUrls('project', project.id),
      },
      reporter: userRef(issue.reporterId),
      assignee: userRef(issue.assigneeId),
      updated: jiraDate(issue.updated),
      status: {
        self: v2(site, `status/${status.id}`),
        description: status.description,
        iconUrl: `${site.siteUrl}/images/icons/statuses/${status.iconName}`,
        name: status.name,
        id: status.id,
        statusCategory: site.statusCategory(status.category),
      },
    },
  };
}

function base(eventType: string, site: Site, issue: IssueRec, actorId: string): Record<string, unknown> {
  return {
    eventType,
    issue: issuePayload(site, issue),
    atlassianId: actorId,
    associatedUsers: [{ accountId: actorId }],
  };
}

export function issueCreatedEvent(site: Site, issue: IssueRec, actorId: string): ProductEvent {
  return { eventType: ISSUE_CREATED, payload: base(ISSUE_CREATED, site, issue, actorId) };
}

export function issueUpdatedEvent(site: Site, issue: IssueRec, actorId: string, changelog: ChangelogRec): ProductEvent {
  return {
    eventType: ISSUE_UPDATED,
    payload: {
      ...base(ISSUE_UPDATED, site, issue, actorId),
      changelog: { id: changelog.id, items: changelog.items.map((i) => ({ ...i })) },
    },
  };
}

export function issueCommentedEvent(site: Site, issue: IssueRec, actorId: string, comment: CommentRec): ProductEvent {
  return {
    eventType: ISSUE_COMMENTED,
    payload: {
      ...base(ISSUE_COMMENTED, site, issue, actorId),
      comment: {
        id: comment.id,
        self: site.api(`issue/${issue.id}/comment/${comment.id}`),
        author: userRef(comment.authorId),
        body: comment.body,
        updateAuthor: userRef(comment.updateAuthorId),
        created: jiraDate(comment.created),
        updated: jiraDate(comment.updated),
        jsdPublic: !isInternal(comment),
      },
    },
  };
}
