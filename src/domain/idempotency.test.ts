import { withCommentWrite } from './incident-record';
import { commsKind, commsPostedCount, invocationId, parseCommentKind, remoteLinkGlobalId, requestedCommsKind } from './idempotency';
import { aRecord, deepFreeze, thrown } from './testing';

describe('comment kinds', () => {



  it('builds comms kinds, encoding a template id that contains the separator, and reads them back', () => {
    expect(commsKind('tpl-status', 1)).toBe('comms:tpl-status:1');
    expect(commsKind('a:b/c', 12)).toBe('comms:a%3Ab%2Fc:12');
    expect(parseCommentKind('comms:a%3Ab%2Fc:12')).toEqual({ kind: 'comms', templateId: 'a:b/c', n: 12 });
    expect(parseCommentKind('invoked')).toEqual({ kind: 'invoked' });
    expect(parseCommentKind('rto-breached')).toEqual({ kind: 'warning', threshold: 'rto-breached' });
  });

  it.each(['comms:tpl:0', 'comms:tpl:-1', 'comms:tpl:x', 'comms::1', 'comms:a:b:1', 'comms:%E0%A4%A:1', 'other', ''])('does not recognise %p', (kind) => {
    expect(parseCommentKind(kind)).toBeUndefined();
  });

  it('refuses an empty template id and an update number below 1 or fractional', () => {
    expect(thrown(() => commsKind('', 1))).toMatchObject({ code: 'INVALID_INPUT', field: 'templateId' });
    expect(thrown(() => commsKind('tpl', 0))).toMatchObject({ code: 'INVALID_INPUT', field: 'n' });
    expect(thrown(() => commsKind('tpl', 1.5))).toMatchObject({ code: 'INVALID_INPUT', field: 'n' });
  });

  it('re-exports the existing derived ids unchanged', () => {
    expect(invocationId('10001', 'plan-1')).toBe('10001.plan-1');
    expect(remoteLinkGlobalId({ issueId: '10001', planId: 'plan-1' })).toBe('service-continuity:plan=plan-1:issue=10001');
  });
});

describe('commsPostedCount and requestedCommsKind', () => {
  it('counts only posted updates of that template on that invocation', () => {
    let record = aRecord();
    record = withCommentWrite(record, '10001.plan-1', 'invoked', { id: 'c1' });
    record = withCommentWrite(record, '10001.plan-1', commsKind('tpl-status', 1), { id: 'c3' });
    record = withCommentWrite(record, '10001.plan-1', commsKind('tpl-status', 2), { claim: { token: 't', at: 1, by: 'Alex' } });
    record = withCommentWrite(record, '10001.plan-1', commsKind('tpl-internal', 5), { id: 'c4' });
    record = withCommentWrite(record, '10001.plan-2', commsKind('tpl-status', 1), { id: 'c5' });
    deepFreeze(record);
    expect(commsPostedCount(record, '10001.plan-1', 'tpl-status')).toBe(1); // the claimed one is not posted yet
    expect(commsPostedCount(record, '10001.plan-1', 'tpl-internal')).toBe(1);
    expect(commsPostedCount(record, '10001.plan-1', 'never')).toBe(0);
  });

  it('asks for the update after the ones the agent saw: two agents who saw the same panel ask for the same one', () => {
    expect(requestedCommsKind('tpl-status', 0)).toBe('comms:tpl-status:1');
    expect(requestedCommsKind('tpl-status', 3)).toBe('comms:tpl-status:4');
    expect(thrown(() => requestedCommsKind('', 0))).toMatchObject({ code: 'INVALID_INPUT', field: 'templateId' });
  });
});
