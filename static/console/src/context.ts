import { createContext, useContext } from 'react';
import type { ConsoleView } from '../../../src/contract/console';

/** What every tab reads: the page's first answer (role, bands, time zone), and how to refresh its counts. */
export interface ConsoleState {
  view: ConsoleView;
  /** Reload the counts and first page after a change (the tab keeps its own state). */
  refresh: () => void;
  /** Switch to another tab, with what it should open. */
  openTab: (id: string, intent?: TabIntent) => void;
}

/** A request from one tab to another: open the plan form for a service, show a service, or its BIA and risks. */
export type TabIntent = { kind: 'create-plan'; serviceId: string } | { kind: 'show-service'; serviceId: string } | { kind: 'measure-service'; serviceId: string };

export const ConsoleContext = createContext<ConsoleState | undefined>(undefined);

export function useConsole(): ConsoleState {
  const state = useContext(ConsoleContext);
  if (!state) throw new Error('useConsole outside the console');
  return state;
}
