/**
 * Live updates: subscribes to the incident's realtime channel (scoped to the issue, so the panel and
 * the issue context on it share it) and calls `onChange` when a message says the incident moved past
 * the version shown. Where realtime is unavailable the surface simply shows what it loaded.
 */
import { useEffect, useRef } from 'react';
import { realtime, type Jira } from '@forge/bridge';
import { INCIDENT_CHANNEL, INCIDENT_CHANNEL_CONTEXT, type IncidentChangedMessage } from '../../src/contract/issue-panel';

function parse(payload: unknown): Partial<IncidentChangedMessage> {
  if (typeof payload === 'string') {
    try {
      return JSON.parse(payload) as Partial<IncidentChangedMessage>;
    } catch {
      return {};
    }
  }
  return (payload ?? {}) as Partial<IncidentChangedMessage>;
}

export function useIncidentChannel(version: number | undefined, onChange: () => void): void {
  const latest = useRef({ version, onChange });
  latest.current = { version, onChange };
  const ready = version !== undefined;
  useEffect(() => {
    if (!ready) return;
    let closed = false;
    const subscription = realtime
      .subscribe(
        INCIDENT_CHANNEL,
        (payload: unknown) => {
          const message = parse(payload);
          const shown = latest.current.version ?? 0;
          // A surface's own change comes back too: skip what it already shows.
          if (!closed && (typeof message.version !== 'number' || message.version > shown)) latest.current.onChange();
        },
        { contextOverrides: [...INCIDENT_CHANNEL_CONTEXT] as unknown as Jira[] },
      )
      .catch(() => undefined);
    return () => {
      closed = true;
      void subscription.then((s) => s?.unsubscribe()).catch(() => undefined);
    };
  }, [ready]);
}
