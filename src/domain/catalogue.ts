/** The service catalogue and continuity plans, in the words ITSCM practitioners use. */

export type Tier = 1 | 2 | 3;

export const TIER_NAMES: Record<Tier, string> = { 1: 'Tier 1 (Gold)', 2: 'Tier 2 (Silver)', 3: 'Tier 3 (Bronze)' };

export interface Service {
  id: string;
  name: string;
  tier: Tier;
  /** Recovery time objective: how long the service may be down, in minutes. */
  rtoMinutes: number;
  /** Recovery point objective: how much data (in minutes of writes) may be lost. */
  rpoMinutes: number;
  ownerAccountId?: string;
  /** The JSM service (Affected services field) this catalogue entry stands for. */
  jsmServiceId?: string;
  /** Ids of catalogue services this one cannot recover without. */
  dependsOn: string[];
  /** Fallback matching when an incident has no Affected services value. */
  components: string[];
  labels: string[];
}

export interface RecoveryStep {
  id: string;
  title: string;
  role: string;
  expectedMinutes: number;
}

export interface CommsTemplate {
  id: string;
  name: string;
  audience: 'internal' | 'public';
  /** Text with `{{placeholders}}` filled from the incident's facts. */
  body: string;
}

export type PlanStatus = 'draft' | 'in-review' | 'approved' | 'retired';

export interface ContinuityPlan {
  id: string;
  serviceId: string;
  title: string;
  /** The Confluence page the team edits. */
  pageId: string;
  pageUrl: string;
  ownerAccountId?: string;
  status: PlanStatus;
  steps: RecoveryStep[];
  commsTemplates: CommsTemplate[];
  lastReviewedAt?: number;
  lastTestedAt?: number;
}
