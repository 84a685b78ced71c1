/** One function per resolver call of the settings page. */
import { invoke } from '@forge/bridge';
import { SETTINGS, type LoadSettingsResult, type SaveSettingsResult, type SettingsData } from '../../../src/contract/settings';

export const loadSettings = async () => (await invoke(SETTINGS.load)) as LoadSettingsResult;
export const saveSettings = async (settings: SettingsData) => (await invoke(SETTINGS.save, { settings } as never)) as SaveSettingsResult;
