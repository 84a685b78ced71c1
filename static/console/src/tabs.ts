/**
 * The page's tabs. A tab is one folder with a default-exported component (TabProps), loaded only when
 * it is first opened, and one line here. Drills, indicators, BIA and risks come the same way.
 */
import type { ComponentType } from 'react';
import type { TabIntent } from './context';

export interface TabProps {
  /** What another tab asked this one to open (cleared once handled). */
  intent?: TabIntent;
  onIntentHandled: () => void;
}

export interface TabDefinition {
  id: string;
  label: string;
  load: () => Promise<{ default: ComponentType<TabProps> }>;
}

export const TABS: readonly TabDefinition[] = [
  { id: 'services', label: 'Services', load: () => import('./services/ServicesTab') },
  { id: 'plans', label: 'Plans', load: () => import('./plans/PlansTab') },
];
