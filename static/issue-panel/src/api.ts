/** One function per resolver call; the keys and shapes come from the shared contract. */
import { invoke } from '@forge/bridge';
import { ISSUE_PANEL, type LoadPanelResult } from '../../../src/contract/issue-panel';

// Called without metadata, the bridge answers the resolver's return value itself.
export const loadPanel = async () => (await invoke(ISSUE_PANEL.load)) as LoadPanelResult;
