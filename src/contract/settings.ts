/** The contract of the admin settings page (Jira admins only). */
import type { ResolverResult } from './errors';

export const SETTINGS = {
  load: 'settings/load',
  save: 'settings/save',
} as const;

export interface FallbackMapping {
  kind: 'component' | 'label';
  value: string;
  serviceId: string;
}

export interface SettingsData {
  projectKeys: string[];
  issueTypeNames: string[];
  /** JSM request type names; empty means every request type. */
  requestTypeNames: string[];
  p1Priorities: string[];
  majorIncidentQualifies: boolean;
  fallbackMappings: FallbackMapping[];
}

export interface SettingsView {
  settings: SettingsData;
  /** Choices for the form, read from Jira and the catalogue. */
  options: {
    projects: Array<{ key: string; name: string }>;
    issueTypes: string[];
    /** Empty where JSM is not installed. */
    requestTypes: Array<{ id: string; name: string }>;
    priorities: Array<{ id: string; name: string }>;
    services: Array<{ id: string; name: string }>;
  };
}

export type LoadSettingsResult = ResolverResult<SettingsView>;
export type SaveSettingsResult = ResolverResult<SettingsView>;
