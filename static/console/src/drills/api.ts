/** The Drills tab's and the findings' resolver calls; keys and shapes come from the shared contract. */
import { invoke } from '@forge/bridge';
import {
  LOOP_CONSOLE,
  type CancelDrillInput,
  type DrillsPage,
  type DrillView,
  type FindingsHandledAnswer,
  type LoopResult,
  type RunDrillAnswer,
  type ScheduleDrillInput,
} from '../../../../src/contract/loop';

const call = async <T,>(key: string, payload?: object) => (await invoke(key, payload as Record<string, unknown>)) as LoopResult<T>;

export const listDrills = (pastCursor?: string) => call<DrillsPage>(LOOP_CONSOLE.listDrills, pastCursor ? { pastCursor } : {});
export const scheduleDrill = (input: ScheduleDrillInput) => call<DrillView>(LOOP_CONSOLE.scheduleDrill, input);
export const runDrill = (drillId: string) => call<RunDrillAnswer>(LOOP_CONSOLE.runDrill, { drillId });
export const cancelDrill = (input: CancelDrillInput) => call<DrillView>(LOOP_CONSOLE.cancelDrill, input);
export const completeDrill = (drillId: string) => call<DrillView>(LOOP_CONSOLE.completeDrill, { drillId });
export const markFindingsHandled = (planId: string) => call<FindingsHandledAnswer>(LOOP_CONSOLE.markFindingsHandled, { planId });
