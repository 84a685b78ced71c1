/** One function per resolver call; the keys and shapes come from the shared contract. */
import { invoke } from '@forge/bridge';
import { PLAN_PAGE, type AdoptOptionsResult, type PlanResult } from '../../../src/contract/plans';

const call = async <T>(key: string, payload?: object) => (await invoke(key, payload as Record<string, unknown>)) as T;

export const loadOptions = () => call<AdoptOptionsResult>(PLAN_PAGE.adoptOptions);
export const adopt = (serviceId: string) => call<PlanResult>(PLAN_PAGE.adopt, { serviceId });
