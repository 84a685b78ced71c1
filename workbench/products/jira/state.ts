/**
 * The local Jira's state: plain JSON records, persisted whole after every mutating request.
 * Records keep ids and raw values only; the REST shapes are built from them in `format.ts`.
 */
import { JsonFile } from '../../storage/json-file';

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface ProjectRec {
  id: string;
  key: string;
  name: string;
  description: string;
  projectTypeKey: 'software' | 'service_desk' | 'business';
  leadAccountId: string;
  issueTypeIds: string[];
  components: ComponentRec[];
  /** The number the next issue key gets (OPS-<n>). */
  nextIssueNumber: number;
}

export interface ComponentRec {
  id: string;
  name: string;
  description: string;
}

export interface IssueTypeRec {
  id: string;
  name: string;
  description: string;
  avatarId: number;
  hierarchyLevel: number;
}

export interface PriorityRec {
  id: string;
  name: string;
  description: string;
  iconName: string;
  statusColor: string;
  isDefault: boolean;
  /** Higher is more urgent: JQL `priority > Medium` and `ORDER BY priority` use it. */
  rank: number;
}

export interface StatusRec {
  id: string;
  name: string;
  description: string;
  category: StatusCategoryKey;
  iconName: string;
}

/** One workflow transition: available from any of `from` (empty = from every status), leads to `to`. */
export interface TransitionRec {
  id: string;
  name: string;
  from: string[];
  to: string;
}

export type CustomFieldKind = 'affectedServices' | 'majorIncident' | 'requestType';

export interface CustomFieldRec {
  id: string; // customfield_10041
  numericId: number; // 10041
  name: string;
  kind: CustomFieldKind;
  description: string;
  schema: { type: string; items?: string; custom: string; customId: number };
  /** Project ids whose issues may carry the field (its context). */
  projectIds: string[];
}

export interface ServiceRec {
  id: string;
  name: string;
}

/** A JSM customer request type of a service desk (the Request Type field holds its id). */
export interface RequestTypeRec {
  id: string;
  name: string;
  description: string;
  helpText: string;
  issueTypeId: string;
  serviceDeskId: string;
  /** The project whose service desk it belongs to. */
  projectId: string;
  groupIds: string[];
}

export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangelogRec {
  id: string;
  authorId: string;
  created: number;
  items: ChangeItem[];
}

export interface CommentRec {
  id: string;
  authorId: string;
  updateAuthorId: string;
  body: unknown; // ADF document
  created: number;
  updated: number;
  properties: Record<string, unknown>;
}

export interface RemoteLinkRec {
  id: number;
  globalId?: string;
  application?: Record<string, unknown>;
  relationship?: string;
  object: Record<string, unknown>;
}

export interface IssueRec {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  summary: string;
  description: unknown | null; // ADF document or null
  priorityId: string;
  statusId: string;
  resolution: string | null; // resolution id
  resolutionDate: number | null;
  statusCategoryChangeDate: number;
  labels: string[];
  componentIds: string[];
  reporterId: string | null;
  assigneeId: string | null;
  creatorId: string;
  created: number;
  updated: number;
  /** Custom field values by field id, in their stored form (service ids; the major-incident string; a request type id). */
  custom: Record<string, unknown>;
  properties: Record<string, unknown>;
  comments: CommentRec[];
  changelog: ChangelogRec[];
  remoteLinks: RemoteLinkRec[];
}

export interface JiraState {
  version: 1;
  seeded: boolean;
  counters: { issue: number; comment: number; changelog: number; remoteLink: number };
  projects: ProjectRec[];
  issueTypes: IssueTypeRec[];
  priorities: PriorityRec[];
  statuses: StatusRec[];
  transitions: TransitionRec[];
  resolutions: Array<{ id: string; name: string; description: string }>;
  customFields: CustomFieldRec[];
  services: ServiceRec[];
  requestTypes: RequestTypeRec[];
  issues: IssueRec[];
}

export function emptyState(): JiraState {
  return {
    version: 1,
    seeded: false,
    counters: { issue: 10000, comment: 10000, changelog: 10000, remoteLink: 10000 },
    projects: [],
    issueTypes: [],
    priorities: [],
    statuses: [],
    transitions: [],
    resolutions: [],
    customFields: [],
    services: [],
    requestTypes: [],
    issues: [],
  };
}

/** Loads and saves the whole state atomically (see JsonFile). */
export class JiraStore {
  private readonly file: JsonFile<JiraState>;
  state: JiraState;

  constructor(path: string | undefined) {
    this.file = new JsonFile<JiraState>(path);
    const loaded = this.file.load();
    // Lists added since a site was saved (request types) start empty; seedBase() fills them.
    this.state = loaded && loaded.version === 1 ? { ...emptyState(), ...loaded } : emptyState();
  }

  save(): void {
    this.file.saveSync(this.state);
  }

  reset(): void {
    this.state = emptyState();
    this.save();
  }
}
