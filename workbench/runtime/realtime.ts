/**
 * Forge Realtime, emulated (GA since June 2026; developer.atlassian.com/platform/forge/realtime/).
 * The app's back end publishes through `@forge/realtime`, which posts a GraphQL mutation to
 * `__forge_fetch__({ type: 'realtime' })`; front ends subscribe and publish through `@forge/bridge`'s
 * `realtime`, which the host's bridge serves (server/bridge.ts, host/bridge-client.js long-polls).
 *
 * What the hub does, as the documentation describes it:
 *   - A channel is its name plus its context. By default the context is the module's full product
 *     context (the same module on the same issue); `contextOverrides` (e.g. ['issue']) replace it with
 *     just those properties of the extension, so an issue panel and an issue context on one issue can
 *     share a channel. Global channels (`publishGlobal`/`subscribeGlobal`) have no context.
 *   - A token (signRealtimeToken) further restricts a channel: only the same token's channel matches.
 *   - `publish` from the back end works only for functions the front end invoked (they carry a context
 *     token); from triggers, consumers or scheduled functions it is refused.
 *   - The event id and timestamp are null when nobody is subscribed.
 *   - At most 50 operations a second per installation (subscribe, publish, sign), then RATE_LIMIT_EXCEEDED.
 *   - `replaySeconds` delivers the channel's events of the last N seconds on subscribing (kept 5 min).
 * Subscribers receive the payload as published: the JSON text `@forge/realtime` sends.
 */
import { randomUUID } from 'node:crypto';

/** The module context a channel is scoped to: the module's key and the extension Jira gave its frame. */
export interface RealtimeContext {
  moduleKey: string;
  extension: Record<string, unknown>;
}

export interface ChannelOptions {
  contextOverrides?: unknown;
  token?: string;
  replaySeconds?: number;
}

interface Subscription {
  id: string;
  /** The frame (its localId) that polls for this subscription's events. */
  frame: string;
  channel: string;
}

interface Delivery {
  subscriptionId: string;
  payload: string;
}

interface FrameMailbox {
  queue: Delivery[];
  waiter?: (events: Delivery[]) => void;
  lastPollAt: number;
}

export const REALTIME_OPS_PER_SECOND = 50;
const REPLAY_KEEP_MS = 5 * 60_000;
/** A frame that has not polled for this long is gone (its page was closed): its subscriptions go too. */
const FRAME_IDLE_MS = 60_000;

export class RealtimeRateLimitError extends Error {
  constructor() {
    super('RATE_LIMIT_EXCEEDED');
    this.name = 'RealtimeRateLimitError';
  }
}

export class RealtimeHub {
  private subscriptions = new Map<string, Subscription>();
  private mailboxes = new Map<string, FrameMailbox>();
  private recent = new Map<string, Array<{ at: number; payload: string }>>();
  private opTimes: number[] = [];
  /** Context tokens of running UI-invoked functions (what `x-forge-context-token` names). */
  private contextTokens = new Map<string, RealtimeContext>();
  readonly stats = { published: 0, delivered: 0, subscribed: 0, refused: 0 };

  /** A context token for a function the front end invoked; forgotten when the invocation ends. */
  issueContextToken(context: RealtimeContext): { token: string; release: () => void } {
    const token = randomUUID();
    this.contextTokens.set(token, context);
    return { token, release: () => this.contextTokens.delete(token) };
  }

  contextOfToken(token: string | undefined): RealtimeContext | undefined {
    return token ? this.contextTokens.get(token) : undefined;
  }

  /** The channel's identity: name, context (unless global) and token. */
  channelKey(name: string, context: RealtimeContext | undefined, options: ChannelOptions = {}, isGlobal = false): string {
    const scope = isGlobal ? 'global' : JSON.stringify(scopeOf(context, options.contextOverrides));
    return JSON.stringify([name, scope, options.token ?? null]);
  }

  /** Counts one operation against the installation's rate limit; throws when over it. */
  private spend(now = Date.now()): void {
    this.opTimes = this.opTimes.filter((t) => now - t < 1000);
    if (this.opTimes.length >= REALTIME_OPS_PER_SECOND) {
      this.stats.refused++;
      throw new RealtimeRateLimitError();
    }
    this.opTimes.push(now);
  }

  subscribe(frame: string, channel: string, replaySeconds?: number): string {
    this.spend();
    this.sweep();
    const id = randomUUID();
    this.subscriptions.set(id, { id, frame, channel });
    this.stats.subscribed++;
    const box = this.mailbox(frame);
    if (replaySeconds && replaySeconds > 0) {
      const since = Date.now() - replaySeconds * 1000;
      for (const e of this.recent.get(channel) ?? []) if (e.at >= since) box.queue.push({ subscriptionId: id, payload: e.payload });
      this.flush(frame);
    }
    return id;
  }

  unsubscribe(frame: string, subscriptionId: string): void {
    const sub = this.subscriptions.get(subscriptionId);
    if (sub && sub.frame === frame) this.subscriptions.delete(subscriptionId);
  }

  /** Delivers to every subscription of the channel; the event id is null when there is none. */
  publish(channel: string, payload: string): { eventId: string | null; eventTimestamp: string | null } {
    this.spend();
    this.sweep();
    const now = Date.now();
    const kept = (this.recent.get(channel) ?? []).filter((e) => now - e.at < REPLAY_KEEP_MS);
    kept.push({ at: now, payload });
    this.recent.set(channel, kept);
    const targets = [...this.subscriptions.values()].filter((s) => s.channel === channel);
    this.stats.published++;
    if (targets.length === 0) return { eventId: null, eventTimestamp: null };
    for (const sub of targets) {
      this.mailbox(sub.frame).queue.push({ subscriptionId: sub.id, payload });
      this.stats.delivered++;
      this.flush(sub.frame);
    }
    return { eventId: randomUUID(), eventTimestamp: String(now) };
  }

  /** A frame's long poll: answers its pending events at once, or waits up to `timeoutMs` for some. */
  poll(frame: string, timeoutMs: number): Promise<Delivery[]> {
    const box = this.mailbox(frame);
    box.lastPollAt = Date.now();
    box.waiter?.([]); // a newer poll replaces an older one
    box.waiter = undefined;
    if (box.queue.length > 0) return Promise.resolve(box.queue.splice(0));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (box.waiter === done) box.waiter = undefined;
        resolve([]);
      }, timeoutMs);
      timer.unref?.();
      const done = (events: Delivery[]) => {
        clearTimeout(timer);
        resolve(events);
      };
      box.waiter = done;
    });
  }

  /** Ends every wait (the workbench stops). */
  close(): void {
    for (const box of this.mailboxes.values()) box.waiter?.([]);
    this.mailboxes.clear();
    this.subscriptions.clear();
  }

  private mailbox(frame: string): FrameMailbox {
    let box = this.mailboxes.get(frame);
    if (!box) {
      box = { queue: [], lastPollAt: Date.now() };
      this.mailboxes.set(frame, box);
    }
    return box;
  }

  private flush(frame: string): void {
    const box = this.mailboxes.get(frame);
    if (!box?.waiter || box.queue.length === 0) return;
    const waiter = box.waiter;
    box.waiter = undefined;
    waiter(box.queue.splice(0));
  }

  private sweep(): void {
    const now = Date.now();
    for (const [frame, box] of this.mailboxes) {
      if (box.waiter || now - box.lastPollAt < FRAME_IDLE_MS) continue;
      this.mailboxes.delete(frame);
      for (const [id, sub] of this.subscriptions) if (sub.frame === frame) this.subscriptions.delete(id);
    }
  }
}

/**
 * The channel context: the module and its whole extension by default; with contextOverrides, only the
 * named extension properties (by id where they have one), whatever the module.
 */
function scopeOf(context: RealtimeContext | undefined, overrides: unknown): Record<string, unknown> {
  const extension = context?.extension ?? {};
  if (Array.isArray(overrides)) {
    const scope: Record<string, unknown> = {};
    for (const key of overrides.map(String).sort()) {
      const value = extension[key] as { id?: unknown } | undefined;
      scope[key] = value && typeof value === 'object' && 'id' in value ? String(value.id) : (value ?? null);
    }
    return scope;
  }
  const { type: _type, ...rest } = extension;
  return { module: context?.moduleKey ?? null, ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : v])) };
}
