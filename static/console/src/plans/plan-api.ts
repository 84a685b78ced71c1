/** One function per plan-page call of the registry (contract/plans.ts, on the console's resolver). */
import { invoke } from '@forge/bridge';
import type { ResolverResult } from '../../../../src/contract/errors';
import { PLANS, type AdoptInput, type ConfluenceState, type PlanView, type PublishAllInput, type PublishProgress, type SetStatusInput } from '../../../../src/contract/plans';

const call = async <T>(key: string, payload?: object) => (await invoke(key, payload as Record<string, unknown>)) as ResolverResult<T>;

export const confluenceState = () => call<ConfluenceState>(PLANS.confluence);
export const createPlanPage = (serviceId: string) => call<PlanView>(PLANS.createPage, { serviceId });
export const adoptPage = (input: AdoptInput) => call<PlanView>(PLANS.adopt, input);
export const setPlanStatus = (input: SetStatusInput) => call<PlanView>(PLANS.setStatus, input);
export const markPlanReviewed = (planId: string) => call<PlanView>(PLANS.markReviewed, { planId });
export const publishAll = (input: PublishAllInput = {}) => call<PublishProgress>(PLANS.publishAll, input);
export const publishProgress = (jobId?: string) => call<PublishProgress | null>(PLANS.publishProgress, jobId ? { jobId } : {});
