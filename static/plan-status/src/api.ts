/** One function per resolver call; the keys and shapes come from the shared contract. */
import { invoke } from '@forge/bridge';
import { PLAN_PAGE, type PlanPageStatusResult, type PlanResult } from '../../../src/contract/plans';

const call = async <T>(key: string, payload?: object) => (await invoke(key, payload as Record<string, unknown>)) as T;

export const loadStatus = () => call<PlanPageStatusResult>(PLAN_PAGE.status);
export const markReviewed = () => call<PlanResult>(PLAN_PAGE.markReviewed);
