/** The loop's resolver calls from the issue panel; keys and shapes come from the shared contract. */
import { invoke } from '@forge/bridge';
import type { PanelActionResult } from '../../../../src/contract/issue-panel';
import { LOOP_PANEL, type CreateFollowUpInput, type PublishPostmortemInput } from '../../../../src/contract/loop';

const call = async <T,>(key: string, payload?: object) => (await invoke(key, payload as Record<string, unknown>)) as T;

export const publishPostmortem = (input: PublishPostmortemInput) => call<PanelActionResult>(LOOP_PANEL.publishPostmortem, input);
export const createFollowUp = (input: CreateFollowUpInput) => call<PanelActionResult>(LOOP_PANEL.createFollowUp, input);
