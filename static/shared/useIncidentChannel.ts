/**
 * Live updates: subscribes to the incident's realtime channel (scoped to the issue, so the panel and
 * the issue context on it share it) once the surface has loaded, and hands each message's record
 * version to `onMessage`, which decides whether to reload (see shouldReload). Where realtime is
 * unavailable the surface simply shows what it loaded.
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

/** A message names the version it announces; one that is not above what is shown (or about to be) is old news. */
export function shouldReload(messageVersion: number | undefined, shownVersion: number | undefined): boolean {
  return messageVersion === undefined || messageVersion > (shownVersion ?? 0);
}

export function useIncidentChannel(ready: boolean, onMessage: (version: number | undefined) => void): void {
  const latest = useRef(onMessage);
  latest.current = onMessage;
  useEffect(() => {
    if (!ready) return;
    let closed = false;
    const subscription = realtime
      .subscribe(
        INCIDENT_CHANNEL,
        (payload: unknown) => {
          const message = parse(payload);
          if (!closed) latest.current(typeof message.version === 'number' ? message.version : undefined);
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
