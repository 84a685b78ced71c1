/**
 * The demo site's fixed structure: a JSM project OPS and a software project ENG, Jira's default
 * priorities, a small service-desk workflow, the JSM custom fields and services. Issues are not
 * part of it (the workbench's demo data creates them through the REST API like anyone else).
 */
import { DEFAULT_USER } from '../users';
import type { CustomFieldRec, JiraState, RequestTypeRec } from './state';

/** Custom type keys of the JSM fields (see README in this folder for where they come from). */
export const AFFECTED_SERVICES_TYPE = 'com.atlassian.jira.plugins.service-entity:service-entity-field-cftype';
export const MAJOR_INCIDENT_TYPE = 'com.atlassian.jira.modules.servicemanagement.major-incident-entity:major-incident-entity-field-cftype';
export const REQUEST_TYPE_TYPE = 'com.atlassian.servicedesk:vp-origin';
/** The value the major-incident field holds when the flag is on (it is `null` when off). */
export const MAJOR_INCIDENT_VALUE = 'MAJOR_INCIDENT';

export const SERVICES = [
  { id: '3f2c1a7e-8b4d-4c6f-9e21-5a0b7c9d1e01', name: 'Payments' },
  { id: '3f2c1a7e-8b4d-4c6f-9e21-5a0b7c9d1e02', name: 'Customer portal' },
  { id: '3f2c1a7e-8b4d-4c6f-9e21-5a0b7c9d1e03', name: 'Reporting' },
] as const;

/** The OPS service desk's request types (JSM's IT service management template names). */
export const REQUEST_TYPES: ReadonlyArray<Omit<RequestTypeRec, 'projectId' | 'serviceDeskId' | 'groupIds'>> = [
  { id: '10', name: 'Get IT help', description: 'Get assistance for general IT problems and questions.', helpText: '', issueTypeId: '10005' },
  { id: '11', name: 'Report a system problem', description: "Let us know if something isn't working properly and we'll aim to get it back up and running quickly.", helpText: '', issueTypeId: '10004' },
  { id: '12', name: 'Report an outage', description: 'Tell us about a service that is down for everyone.', helpText: '', issueTypeId: '10004' },
];
export const OPS_SERVICE_DESK_ID = '1';

/** Picks three distinct custom field numbers in Jira Cloud's usual range, different on every seed. */
export function generateCustomFieldNumbers(random: () => number = Math.random): [number, number, number] {
  const first = 10030 + Math.floor(random() * 60);
  const second = first + 1 + Math.floor(random() * 8);
  const third = second + 1 + Math.floor(random() * 8);
  return [first, second, third];
}

const customField = (numericId: number, name: string, kind: CustomFieldRec['kind'], description: string, schema: Omit<CustomFieldRec['schema'], 'customId'>): CustomFieldRec => ({
  id: `customfield_${numericId}`,
  numericId,
  name,
  kind,
  description,
  schema: { ...schema, customId: numericId },
  projectIds: ['10000'],
});

const requestTypeField = (numericId: number): CustomFieldRec =>
  customField(numericId, 'Request Type', 'requestType', 'The request type the issue was raised with.', { type: 'sd-customerrequesttype', custom: REQUEST_TYPE_TYPE });

const opsRequestTypes = (): RequestTypeRec[] => REQUEST_TYPES.map((t) => ({ ...t, serviceDeskId: OPS_SERVICE_DESK_ID, projectId: '10000', groupIds: ['1'] }));

/** Adds the Request Type field and request types to a site seeded before they existed. */
function upgrade(state: JiraState): boolean {
  if (state.customFields.some((f) => f.kind === 'requestType')) return false;
  state.customFields.push(requestTypeField(Math.max(10029, ...state.customFields.map((f) => f.numericId)) + 1));
  state.requestTypes = opsRequestTypes();
  return true;
}

/** Seeds an empty site (or upgrades an older one); answers whether the state changed. */
export function seedBase(state: JiraState, random: () => number = Math.random): boolean {
  if (state.seeded) return upgrade(state);
  state.issueTypes = [
    { id: '10004', name: 'Incident', description: 'For system outages or incidents. Created by Jira Service Management.', avatarId: 10553, hierarchyLevel: 0 },
    { id: '10005', name: 'Service request', description: 'For requests that require no approval. Created by Jira Service Management.', avatarId: 10562, hierarchyLevel: 0 },
    { id: '10002', name: 'Task', description: 'A small, distinct piece of work.', avatarId: 10318, hierarchyLevel: 0 },
    // JSM's change management: a change request names the services it affects (plans are flagged for review).
    { id: '10006', name: 'Change', description: 'For changes to services, systems or infrastructure. Created by Jira Service Management.', avatarId: 10551, hierarchyLevel: 0 },
  ];
  state.priorities = [
    { id: '1', name: 'Highest', description: 'This problem will block progress.', iconName: 'highest', statusColor: '#d04437', isDefault: false, rank: 5 },
    { id: '2', name: 'High', description: 'Serious problem that could block progress.', iconName: 'high', statusColor: '#f15C75', isDefault: false, rank: 4 },
    { id: '3', name: 'Medium', description: 'Has the potential to affect progress.', iconName: 'medium', statusColor: '#f79232', isDefault: true, rank: 3 },
    { id: '4', name: 'Low', description: 'Minor problem or easily worked around.', iconName: 'low', statusColor: '#707070', isDefault: false, rank: 2 },
    { id: '5', name: 'Lowest', description: 'Trivial problem with little or no impact on progress.', iconName: 'lowest', statusColor: '#999999', isDefault: false, rank: 1 },
  ];
  state.statuses = [
    { id: '1', name: 'Open', description: 'The issue is open and ready for the assignee to start work on it.', category: 'new', iconName: 'open.png' },
    { id: '10001', name: 'Work in progress', description: 'This request is being worked on.', category: 'indeterminate', iconName: 'inprogress.png' },
    { id: '5', name: 'Resolved', description: 'A resolution has been taken, and it is awaiting verification by reporter.', category: 'done', iconName: 'resolved.png' },
    { id: '6', name: 'Closed', description: 'The issue is considered finished, the resolution is correct.', category: 'done', iconName: 'closed.png' },
  ];
  state.transitions = [
    { id: '11', name: 'Start work', from: ['1'], to: '10001' },
    { id: '21', name: 'Resolve', from: ['1', '10001'], to: '5' },
    { id: '31', name: 'Stop work', from: ['10001'], to: '1' },
    { id: '41', name: 'Close', from: ['1', '10001', '5'], to: '6' },
    { id: '51', name: 'Reopen', from: ['5', '6'], to: '1' },
  ];
  state.resolutions = [
    { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
    { id: '10001', name: "Won't Do", description: 'This issue won\'t be actioned.' },
    { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
  ];
  state.projects = [
    {
      id: '10000',
      key: 'OPS',
      name: 'IT Operations',
      description: 'Incidents and service requests for the IT services.',
      projectTypeKey: 'service_desk',
      leadAccountId: DEFAULT_USER.accountId,
      issueTypeIds: ['10004', '10005', '10002', '10006'],
      components: [
        { id: '10000', name: 'Payments', description: 'Card payments and payouts.' },
        { id: '10001', name: 'Customer portal', description: 'The customer-facing web portal.' },
        { id: '10002', name: 'Reporting', description: 'Reporting and analytics.' },
      ],
      nextIssueNumber: 1,
    },
    {
      id: '10001',
      key: 'ENG',
      name: 'Engineering',
      description: 'Engineering work.',
      projectTypeKey: 'software',
      leadAccountId: DEFAULT_USER.accountId,
      issueTypeIds: ['10002'],
      components: [],
      nextIssueNumber: 1,
    },
  ];
  const [servicesNo, majorNo, requestTypeNo] = generateCustomFieldNumbers(random);
  state.customFields = [
    customField(servicesNo, 'Affected services', 'affectedServices', 'Services affected by this request.', { type: 'array', items: 'service-entity-field-cftype', custom: AFFECTED_SERVICES_TYPE }),
    customField(majorNo, 'Major incident', 'majorIncident', 'Whether the incident is a major incident.', { type: 'string', custom: MAJOR_INCIDENT_TYPE }),
    requestTypeField(requestTypeNo),
  ];
  state.services = SERVICES.map((s) => ({ ...s }));
  state.requestTypes = opsRequestTypes();
  state.seeded = true;
  return true;
}
