/**
 * The local Jira's state: plain JSON records, journalled after every mutating request (the issues it
 * changed and any other part whose JSON changed; see storage/document-store.ts).
 * Records keep ids and raw values only; the REST shapes are built from them in `format.ts`.
 */
import { DocumentStore } from '../../storage/document-store';

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
  /** The issue security level (SECURITY_LEVELS in permissions.ts); null or absent: everyone who may browse the project sees it. */
  securityLevelId?: string | null;
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

/** Loads the state (snapshot + journal) and journals each change atomically (see DocumentStore). */
export class JiraStore {
  private readonly doc: DocumentStore<JiraState>;
  state: JiraState;

  constructor(path: string | undefined) {
    this.doc = new DocumentStore<JiraState>(path, { arrays: { issues: (issue: IssueRec) => issue.id } });
    const loaded = this.doc.load();
    // Lists added since a site was saved (request types) start empty; seedBase() fills them.
    this.state = loaded && loaded.version === 1 ? { ...emptyState(), ...loaded } : emptyState();
    this.doc.attach(this.state);
  }

  /** `touched`: the issues the request reached (and may have changed in place); every issue is compared when absent. */
  save(touched?: ReadonlySet<object>): void {
    this.doc.save(this.state, touched);
  }

  /** Resolves once every save so far is on disk. */
  durable(): Promise<void> {
    return this.doc.durable();
  }

  reset(): void {
    this.doc.remove();
    this.state = emptyState();
    this.doc.attach(this.state);
    this.save();
  }

  /** A clean shutdown: one snapshot, no journal. */
  close(): void {
    this.doc.close();
  }
}
