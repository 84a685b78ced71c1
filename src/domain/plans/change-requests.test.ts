import { eventIssueType, isChangeRequestType, mayAffectServices } from './change-requests';

describe('change requests', () => {
  it('are issues of the types the settings name, compared ignoring case', () => {
    expect(isChangeRequestType('Change', { changeIssueTypeNames: ['change', 'Normal change'] })).toBe(true);
    expect(isChangeRequestType('Incident', { changeIssueTypeNames: ['Change'] })).toBe(false);
    expect(isChangeRequestType('Change', {})).toBe(false);
    expect(isChangeRequestType(undefined, { changeIssueTypeNames: ['Change'] })).toBe(false);
  });

  it('take the issue type from the event, and look again only when services or the type may have changed', () => {
    expect(eventIssueType({ issue: { fields: { issuetype: { name: 'Change' } } } })).toBe('Change');
    expect(eventIssueType({ issue: {} })).toBeUndefined();
    expect(mayAffectServices({ eventType: 'avi:jira:created:issue' })).toBe(true);
    expect(mayAffectServices({ eventType: 'avi:jira:updated:issue', changelog: { items: [{ field: 'summary', fieldId: 'summary' }] } })).toBe(false);
    expect(mayAffectServices({ eventType: 'avi:jira:updated:issue', changelog: { items: [{ fieldId: 'customfield_10041' }] } })).toBe(true);
    expect(mayAffectServices({ eventType: 'avi:jira:updated:issue', changelog: { items: [{ field: 'issuetype', fieldId: 'issuetype' }] } })).toBe(true);
  });
});
