/** One function per resolver call of the settings page. */
import { invoke } from '@forge/bridge';
import { SETTINGS, type CheckConfigurationResult, type LoadSettingsResult, type PlanLocationInput, type PlanLocationResult, type SaveSettingsResult } from '../../../src/contract/settings';

export const loadSettings = async () => (await invoke(SETTINGS.load)) as LoadSettingsResult;
/** Durations may go as typed ("1h 30m"): the resolver reads them. */
export const saveSettings = async (settings: unknown) => (await invoke(SETTINGS.save, { settings } as never)) as SaveSettingsResult;
/** "Check where plans go", for the space and parent page as typed. */
export const checkPlanLocation = async (input: PlanLocationInput) => (await invoke(SETTINGS.checkPlanLocation, input as never)) as PlanLocationResult;
/** "Check configuration" of the settings as the form holds them (unsaved; validated as a save, nothing saved). */
export const checkConfiguration = async (settings: unknown) => (await invoke(SETTINGS.checkConfiguration, { settings } as never)) as CheckConfigurationResult;
