/**
 * Appending to an invocation's timeline. The timeline is append-only and ordered by `at`: an entry
 * whose clock reads earlier than the last entry (another runner's clock, a reordered event) takes the
 * last entry's time instead, so entries are never reordered and the postmortem reads top to bottom.
 * The actor's display name is stored with the entry, so reading a timeline needs no user lookups.
 */
import type { Actor, Invocation, TimelineEntry } from './invocation';
import { requireActor } from './text';

export function appendTimeline(invocation: Invocation, entry: Omit<TimelineEntry, 'at' | 'actor' | 'actorName'> & { actor: Actor | string }, now: number): Invocation {
  const actor = typeof entry.actor === 'string' ? { accountId: entry.actor } : entry.actor;
  requireActor(actor.accountId);
  const last = invocation.timeline[invocation.timeline.length - 1];
  const at = last && last.at > now ? last.at : now;
  const written: TimelineEntry = { at, actor: actor.accountId, kind: entry.kind, detail: entry.detail };
  if (actor.displayName) written.actorName = actor.displayName;
  return { ...invocation, timeline: [...invocation.timeline, written], updatedAt: Math.max(invocation.updatedAt, at) };
}
