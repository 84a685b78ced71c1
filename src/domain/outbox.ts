/**
 * The outbox's time slots. Jira writes are performed by a queue consumer, not by the trigger; to keep a
 * storm of incidents from needing one queue event each (Forge allows 500 a minute per installation),
 * records wait in the slot of the second they were stored, and one event drains each slot once the slot
 * has closed. The drain also looks back a few slots, because index queries may lag writes briefly.
 */
export const SLOT_MS = 1_000;
/** How long a drain waits after its slot closes before it looks (index queries lag writes briefly). */
export const DRAIN_DELAY_MS = 500;
/** How many earlier slots a drain also looks at, for records that showed up late in the index. */
export const DRAIN_LOOKBACK_SLOTS = 3;
/** A record still waiting this long after its slot is presumed missed (a refused push, a dead drain). */
export const STALE_AFTER_MS = 120_000;

export function slotAt(now: number): number {
  return Math.floor(now / SLOT_MS);
}

/** When a drain of `slot` may start: the slot has closed and the index has had time to catch up. */
export function drainStartsAt(slot: number): number {
  return (slot + 1) * SLOT_MS + DRAIN_DELAY_MS;
}

/** The newest slot whose records are presumed missed at `now`. */
export function staleSlotBefore(now: number): number {
  return slotAt(now - STALE_AFTER_MS);
}
