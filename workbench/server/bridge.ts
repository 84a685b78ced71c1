/**
 * The host side of the Custom UI bridge. Each iframe the host renders gets a token bound, on the
 * server, to its module, its extension context and the signed-in user: the front end cannot choose
 * which issue or user a resolver sees, exactly as on Forge.
 */
import { randomUUID } from 'node:crypto';
import type { Workbench } from '../workbench';
import { CLOUD_ID } from '../workbench';
import { findUser } from '../products/users';
import { RealtimeRateLimitError } from '../runtime/realtime';

/** How long a frame's realtime poll waits for an event before answering empty (the client polls again). */
export const REALTIME_POLL_MS = 20_000;

export interface FrameContext {
  moduleKey: string;
  moduleType: string;
  resourceKey: string;
  accountId: string;
  extension: Record<string, unknown>;
  colorMode: 'light' | 'dark';
  localId: string;
}

export class FrameRegistry {
  private frames = new Map<string, FrameContext>();

  create(frame: Omit<FrameContext, 'localId'>): string {
    const token = randomUUID();
    this.frames.set(token, { ...frame, localId: randomUUID() });
    if (this.frames.size > 5000) this.frames.delete(this.frames.keys().next().value!);
    return token;
  }

  get(token: string | undefined): FrameContext | undefined {
    return token ? this.frames.get(token) : undefined;
  }
}

/** The context Forge gives the front end (`view.getContext()`) and the resolver. */
export function forgeContext(wb: Workbench, frame: FrameContext) {
  return {
    accountId: frame.accountId,
    cloudId: CLOUD_ID,
    localId: frame.localId,
    moduleKey: frame.moduleKey,
    siteUrl: wb.siteUrl,
    environmentId: 'workbench',
    environmentType: 'DEVELOPMENT',
    locale: 'en-US',
    // The person's time zone from their Jira profile, as Forge gives it to the front end.
    timezone: findUser(frame.accountId)?.timeZone ?? 'UTC',
    theme: { colorMode: frame.colorMode },
    license: { isActive: true },
    extension: frame.extension,
  };
}

export type BridgeAnswer = { ok: true; result: unknown } | { ok: false; error: { message: string; code?: string } };

export async function handleBridgeCall(wb: Workbench, frame: FrameContext, type: string, payload: any): Promise<BridgeAnswer> {
  switch (type) {
    case 'getContext':
      return { ok: true, result: forgeContext(wb, frame) };
    case 'invoke': {
      if (typeof payload?.functionKey !== 'string') return { ok: false, error: { message: 'functionKey must be a string!' } };
      // The resolver's context comes from the frame's server-side record, never from the browser.
      const { accountId: _a, ...context } = forgeContext(wb, frame);
      try {
        const result = await wb.runtime.invokeResolver(frame.moduleKey, { functionKey: payload.functionKey, payload: payload.payload }, context, frame.accountId);
        return { ok: true, result };
      } catch (error) {
        return { ok: false, error: { message: (error as Error).message, code: (error as Error).name } };
      }
    }
    case 'fetchProduct': {
      const product = payload?.product === 'confluence' ? 'confluence' : 'jira';
      const init = payload?.fetchRequestInit ?? {};
      const url = new URL(String(payload?.restPath ?? '/'), 'http://workbench.local');
      const headers: Record<string, string> = Object.fromEntries((init.headers ?? []) as Array<[string, string]>);
      let body: unknown;
      try {
        body = init.body ? JSON.parse(init.body) : undefined;
      } catch {
        body = undefined;
      }
      const out = await wb.dispatchProduct(product, {
        method: String(init.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers,
        body,
        rawBody: init.body ?? undefined,
        principal: { kind: 'user', accountId: frame.accountId },
      }, 'app'); // the app's Custom UI asking, through @forge/bridge
      return {
        ok: true,
        result: { status: out.status, statusText: String(out.status), headers: { 'content-type': 'application/json', ...(out.headers ?? {}) }, body: out.body === undefined ? '' : JSON.stringify(out.body) },
      };
    }
    case 'subscribeRealtimeChannel': {
      // The frame's context scopes the channel (never a context the browser sends).
      const hub = wb.runtime.realtime;
      const options = (payload?.options ?? {}) as { contextOverrides?: unknown; token?: string; replaySeconds?: number };
      const channel = hub.channelKey(String(payload?.channelName ?? ''), { moduleKey: frame.moduleKey, extension: frame.extension }, options, payload?.isGlobal === true);
      try {
        return { ok: true, result: { subscriptionId: hub.subscribe(frame.localId, channel, Number(options.replaySeconds) || undefined) } };
      } catch (error) {
        return { ok: false, error: { message: (error as Error).message, code: error instanceof RealtimeRateLimitError ? 'RATE_LIMIT_EXCEEDED' : undefined } };
      }
    }
    case 'unsubscribeRealtimeChannel':
      wb.runtime.realtime.unsubscribe(frame.localId, String(payload?.subscriptionId ?? ''));
      return { ok: true, result: null };
    case 'pollRealtime':
      return { ok: true, result: await wb.runtime.realtime.poll(frame.localId, REALTIME_POLL_MS) };
    case 'publishRealtimeChannel': {
      const hub = wb.runtime.realtime;
      const options = (payload?.options ?? {}) as { contextOverrides?: unknown; token?: string };
      const channel = hub.channelKey(String(payload?.channelName ?? ''), { moduleKey: frame.moduleKey, extension: frame.extension }, options, payload?.isGlobal === true);
      // The platform carries payloads as text; an object is sent as its JSON.
      const text = typeof payload?.eventPayload === 'string' ? payload.eventPayload : JSON.stringify(payload?.eventPayload ?? null);
      try {
        return { ok: true, result: hub.publish(channel, text) };
      } catch (error) {
        return { ok: true, result: { eventId: null, eventTimestamp: null, errors: [(error as Error).message] } };
      }
    }
    case 'getUrl':
      return { ok: true, result: String(payload?.target ?? '') };
    case 'enableTheming':
    case 'showFlag':
    case 'emitFrontendCustomMetric':
    case 'resize':
      return { ok: true, result: { id: randomUUID() } };
    default:
      return { ok: false, error: { message: `The workbench bridge does not support '${type}' yet.` } };
  }
}
