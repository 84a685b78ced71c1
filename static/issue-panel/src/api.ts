/** One function per resolver call; the keys and shapes come from the shared contract. */
import { invoke } from '@forge/bridge';
import {
  ISSUE_PANEL,
  type InvocationInput,
  type LoadPanelResult,
  type PanelActionResult,
  type PostCommsInput,
  type ReopenInput,
  type SkipStepInput,
  type StandDownInput,
  type StepInput,
} from '../../../src/contract/issue-panel';

// Called without metadata, the bridge answers the resolver's return value itself.
const call = async <T>(key: string, payload?: object) => (await invoke(key, payload as Record<string, unknown>)) as T;

export const loadPanel = () => call<LoadPanelResult>(ISSUE_PANEL.load);
export const markStepDone = (input: StepInput) => call<PanelActionResult>(ISSUE_PANEL.stepDone, input);
export const skipStep = (input: SkipStepInput) => call<PanelActionResult>(ISSUE_PANEL.stepSkip, input);
export const reopenStep = (input: StepInput) => call<PanelActionResult>(ISSUE_PANEL.stepReopen, input);
export const adoptSteps = (input: InvocationInput) => call<PanelActionResult>(ISSUE_PANEL.adoptSteps, input);
export const postComms = (input: PostCommsInput) => call<PanelActionResult>(ISSUE_PANEL.postComms, input);
export const declareRecovered = (input: InvocationInput) => call<PanelActionResult>(ISSUE_PANEL.recover, input);
export const standDown = (input: StandDownInput) => call<PanelActionResult>(ISSUE_PANEL.standDown, input);
export const reopen = (input: ReopenInput) => call<PanelActionResult>(ISSUE_PANEL.reopen, input);
