/**
 * Appending to an invocation's timeline. The timeline is append-only and ordered by `at`: an entry
 * whose clock reads earlier than the last entry (another runner's clock, a reordered event) takes the
 * last entry's time instead, so entries are never reordered and the postmortem reads top to bottom.
 */
import type { Invocation, TimelineEntry } from './invocation';
import { requireActor } from './text';

export function appendTimeline(invocation: Invocation, entry: Omit<TimelineEntry, 'at'>, now: number): Invocation {
  const actor = requireActor(entry.actor);
  const last = invocation.timeline[invocation.timeline.length - 1];
  const at = last && last.at > now ? last.at : now;
  return {
    ...invocation,
    timeline: [...invocation.timeline, { at, actor, kind: entry.kind, detail: entry.detail }],
    updatedAt: Math.max(invocation.updatedAt, at),
  };
}
