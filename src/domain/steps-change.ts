/**
 * How a plan's steps changed since an incident invoked them (the page was edited meanwhile), in numbers
 * and in words. A step's id comes from its wording (pages/ids.ts), so a reworded step has a new id: a
 * step gone and a step new at the same place read as one step reworded. Pure, and small enough for the
 * panel to import.
 */
import type { RecoveryStep } from './catalogue';

export interface StepsChange {
  stepCount: number;
  added: number;
  removed: number;
  /** Gone and new at the same place: the same step in other words. */
  reworded: number;
  /** Same wording, another role or expected duration. */
  retimed: number;
  /** The steps kept are in another order. */
  reordered: boolean;
}

export function stepsChange(before: readonly RecoveryStep[], after: readonly RecoveryStep[]): StepsChange {
  const beforeIds = new Map(before.map((s) => [s.id, s]));
  const afterIds = new Set(after.map((s) => s.id));
  const gone = before.filter((s) => !afterIds.has(s.id)).length;
  const fresh = after.filter((s) => !beforeIds.has(s.id)).length;
  let reworded = 0;
  for (let i = 0; i < Math.min(before.length, after.length); i++) {
    if (!afterIds.has(before[i].id) && !beforeIds.has(after[i].id)) reworded++;
  }
  const kept = after.filter((s) => beforeIds.has(s.id));
  const retimed = kept.filter((s) => {
    const was = beforeIds.get(s.id)!;
    return was.role !== s.role || was.expectedMinutes !== s.expectedMinutes;
  }).length;
  const keptIds = new Set(kept.map((s) => s.id));
  const order = (list: readonly RecoveryStep[]) => list.filter((s) => keptIds.has(s.id)).map((s) => s.id).join('\n');
  return { stepCount: after.length, added: fresh - reworded, removed: gone - reworded, reworded, retimed, reordered: order(before) !== order(after) };
}

/** "1 step reworded, 1 step added (6 steps now)": what an agent needs to decide whether to take the edit. */
export function stepsChangeInWords(c: StepsChange): string {
  const n = (count: number, what: string) => (count > 0 ? [`${count} step${count === 1 ? '' : 's'} ${what}`] : []);
  const parts = [...n(c.reworded, 'reworded'), ...n(c.added, 'added'), ...n(c.removed, 'removed'), ...n(c.retimed, 'with another role or time')];
  if (c.reordered) parts.push('the order changed');
  return `${parts.length > 0 ? parts.join(', ') : 'its steps changed'} (${c.stepCount} step${c.stepCount === 1 ? '' : 's'} now)`;
}
