/** What every part of the panel shares: the clock, the viewer's time zone, what they may do, and how to act. */
import { createContext, useContext, useState } from 'react';
import type { PanelActionResult } from '../../../src/contract/issue-panel';
import type { ResolverError } from '../../../src/contract/errors';
import { useAnnounce } from '../../shared/Announcer';
import { inWords } from '../../shared/errors';

export type Act = (run: () => Promise<PanelActionResult>) => Promise<ResolverError | undefined>;

export interface PanelContextValue {
  /** The server's time, ticking. */
  now: number;
  /** The viewer's time zone (Forge's context), for every time the panel shows. */
  timeZone?: string;
  canEdit: boolean;
  canComment: boolean;
  act: Act;
}

export const PanelContext = createContext<PanelContextValue>({ now: 0, canEdit: false, canComment: false, act: async () => undefined });

export const usePanel = () => useContext(PanelContext);

/**
 * The one hook for actions: runs a resolver call (which answers the refreshed panel), keeps the part
 * busy meanwhile, says a failure in words next to the control, and announces success when asked to.
 */
export function useAction() {
  const { act } = usePanel();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const perform = async (run: () => Promise<PanelActionResult>, success?: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    const failure = await act(run);
    setBusy(false);
    if (failure) {
      setError(inWords(failure));
      return false;
    }
    if (success) announce(success);
    return true;
  };
  return { perform, busy, error, clearError: () => setError(undefined) };
}
