/**
 * The page's tabs. A tab is one folder with a default-exported component (TabProps), loaded only when
 * it is first opened, and one line here. Drills, indicators, BIA and risks come the same way. The first
 * tab is part of the first load (the page opens on it: no second round trip before the list shows).
 */
import type { ComponentType } from 'react';
import type { TabIntent } from './context';
import ServicesTab from './services/ServicesTab';

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
  { id: 'services', label: 'Services', load: async () => ({ default: ServicesTab }) },
  { id: 'plans', label: 'Plans', load: () => import('./plans/PlansTab') },
  { id: 'drills', label: 'Drills', load: () => import('./drills/DrillsTab') },
  { id: 'bia-risks', label: 'BIA and risks', load: () => import('./tabs/bia-risks/BiaRisksTab') },
  { id: 'indicators', label: 'Indicators', load: () => import('./tabs/indicators/IndicatorsTab') },
];
