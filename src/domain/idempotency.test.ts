import {
  APP_KEY,
  commentKey,
  commentMarker,
  commsKind,
  commsPostedCount,
  COMMENT_MARKER_KEY,
  ISSUE_PROPERTY_KEY,
  invocationId,
  nextCommsKind,
  parseCommentKind,
  remoteLinkGlobalId,
  type CommentKind,
} from './idempotency';
import { anInvocation, deepFreeze, thrown } from './testing';

describe('comment kinds and markers', () => {
  it('uses one app key for the issue property and the comment markers', () => {
    expect(APP_KEY).toBe('service-continuity');
    expect(ISSUE_PROPERTY_KEY).toBe('service-continuity');
    expect(COMMENT_MARKER_KEY).toBe('service-continuity');
  });

  it('derives the same marker every time for the same invocation and kind', () => {
    for (const kind of ['invoked', 'rto-75', 'rto-breached', 'comms:tpl-status:3'] as CommentKind[]) {
      expect(commentMarker('10001.plan-1', kind)).toEqual({ key: 'service-continuity', value: { invocationId: '10001.plan-1', kind } });
      expect(commentMarker('10001.plan-1', kind)).toEqual(commentMarker('10001.plan-1', kind));
    }
    expect(commentKey('10001.plan-1', 'rto-75')).toBe('service-continuity:invocation=10001.plan-1:comment=rto-75');
    expect(commentKey('10001.plan-1', 'rto-75')).not.toBe(commentKey('10001.plan-2', 'rto-75'));
  });

  it('refuses kinds the app does not write and an empty invocation id', () => {
    expect(thrown(() => commentMarker('10001.plan-1', 'rto-50' as CommentKind))).toMatchObject({ code: 'INVALID_INPUT', field: 'kind' });
    expect(thrown(() => commentMarker('', 'invoked'))).toMatchObject({ code: 'INVALID_INPUT', field: 'invocationId' });
  });

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

describe('nextCommsKind and commsPostedCount', () => {
  it('starts at 1 for a template never posted', () => {
    expect(nextCommsKind(anInvocation(), 'tpl-status')).toBe('comms:tpl-status:1');
    expect(commsPostedCount(anInvocation(), 'tpl-status')).toBe(0);
  });

  it('follows the highest number claimed or posted for that template only', () => {
    const inv = deepFreeze(
      anInvocation({
        jiraWrites: {
          comments: {
            invoked: { id: 'c1' },
            'rto-75': { id: 'c2' },
            'comms:tpl-status:1': { id: 'c3' },
            'comms:tpl-status:2': { claim: { token: 't', at: 1 } },
            'comms:tpl-internal:5': { id: 'c4' },
          },
        },
      }),
    );
    expect(nextCommsKind(inv, 'tpl-status')).toBe('comms:tpl-status:3');
    expect(nextCommsKind(inv, 'tpl-internal')).toBe('comms:tpl-internal:6');
    expect(commsPostedCount(inv, 'tpl-status')).toBe(1);
    expect(commsPostedCount(inv, 'tpl-internal')).toBe(1);
  });

  it('gives two requests that read the same invocation the same kind, so only one can claim it', () => {
    const inv = deepFreeze(anInvocation({ jiraWrites: { comments: { 'comms:tpl-status:1': { id: 'c3' } } } }));
    expect(nextCommsKind(inv, 'tpl-status')).toBe(nextCommsKind(inv, 'tpl-status'));
  });
});
