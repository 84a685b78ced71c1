import { stepsChange, stepsChangeInWords } from './steps-change';

// Ids as the page reader gives them: from the wording, so new words are a new id.
const step = (title: string, expectedMinutes = 5, role = 'On-call') => ({ id: `step-${title.toLowerCase().replace(/\W+/g, '-')}`, title, role, expectedMinutes });
const invoked = [step('Fail over'), step('Check queues'), step('Tell the bank')];

describe('how the plan page changed during the incident', () => {
  it('a reworded step reads as reworded, not as one added and one removed', () => {
    const change = stepsChange(invoked, [step('Fail over'), step('Check the payment queues'), step('Tell the bank')]);
    expect(change).toEqual({ stepCount: 3, added: 0, removed: 0, reworded: 1, retimed: 0, reordered: false });
    expect(stepsChangeInWords(change)).toBe('1 step reworded (3 steps now)');
  });

  it('steps added, removed, retimed and moved are each said', () => {
    const change = stepsChange(invoked, [step('Tell the bank'), step('Fail over', 10), step('Drain the retry queue'), step('Confirm with finance')]);
    // Moved as well as changed: nothing pairs by place, so the new wording counts as added and the old as removed.
    expect(change).toEqual({ stepCount: 4, added: 2, removed: 1, reworded: 0, retimed: 1, reordered: true });
    expect(stepsChangeInWords(change)).toBe('2 steps added, 1 step removed, 1 step with another role or time, the order changed (4 steps now)');
    expect(stepsChangeInWords(stepsChange(invoked, invoked.slice(0, 2)))).toBe('1 step removed (2 steps now)');
  });
});
