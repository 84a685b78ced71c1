/**
 * Comments (`/issue/{key}/comment[/{id}]`). v3 bodies must be ADF documents (checked against the ADF
 * JSON schema); JSM's internal comments are ordinary comments carrying the `sd.public.comment`
 * property `{ internal: true }`, and answer `jsdPublic: false`.
 */
import { checkAdf, NOT_ADF_MESSAGE } from '../adf';
import { adfText } from '../site';
import { badRequest, fieldErrors, JiraError, notFound } from '../errors';
import { issueCommentedEvent } from '../events';
import { requirePermission } from '../permissions';
import type { Router } from '../router';
import type { CommentRec } from '../state';
import { validateProperty } from './properties';
import { intParam, isObject, ok, setOwn } from './util';

export const COMMENT_TEXT_LIMIT = 32_767;

export function registerCommentRoutes(router: Router): void {
  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}/comment', ({ site, params, req }) => {
    const issue = site.issue(params.issueIdOrKey);
    const startAt = intParam(req.query, 'startAt', 0);
    const maxResults = intParam(req.query, 'maxResults', 5000, 0, 5000);
    const orderBy = req.query.get('orderBy') ?? 'created';
    if (!['created', '+created', '-created'].includes(orderBy)) throw badRequest(`The value '${orderBy}' of the parameter 'orderBy' is not supported. Use 'created' or '-created'.`);
    const expand = new Set((req.query.get('expand') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    const sorted = [...issue.comments].sort((a, b) => (a.created - b.created || Number(a.id) - Number(b.id)) * (orderBy === '-created' ? -1 : 1));
    const page = sorted.slice(startAt, startAt + maxResults);
    return ok({ comments: page.map((c) => site.comment_(issue, c, expand)), maxResults, total: sorted.length, startAt });
  });

  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}/comment/{id}', ({ site, params, req }) => {
    const issue = site.issue(params.issueIdOrKey);
    const comment = issue.comments.find((c) => c.id === params.id);
    if (!comment) throw notFound(`Can not find a comment for the id: ${params.id}.`);
    const expand = new Set((req.query.get('expand') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    return ok(site.comment_(issue, comment, expand));
  });

  router.add('POST', '/rest/api/3/issue/{issueIdOrKey}/comment', (ctx) => {
    const { site, params, user, now, req } = ctx;
    const issue = site.issue(params.issueIdOrKey);
    requirePermission(user, 'ADD_COMMENTS');
    const body = ctx.body();
    if (!isObject(body) || body.body === undefined || body.body === null) throw fieldErrors({ comment: 'Comment body can not be empty!' });
    if (!checkAdf(body.body).ok) throw fieldErrors({ comment: NOT_ADF_MESSAGE });
    const text = adfText(body.body);
    if (!text.trim()) throw fieldErrors({ comment: 'Comment body can not be empty!' });
    if (text.length > COMMENT_TEXT_LIMIT) {
      throw new JiraError(413, [], { comment: `The entered text is too long. It exceeds the allowed limit of ${COMMENT_TEXT_LIMIT.toLocaleString('en-US')} characters.` });
    }
    const properties: Record<string, unknown> = {};
    if (body.properties !== undefined) {
      if (!Array.isArray(body.properties)) throw fieldErrors({ properties: 'The properties must be a list of { key, value } objects.' });
      for (const p of body.properties) {
        if (!isObject(p) || typeof p.key !== 'string') throw fieldErrors({ properties: 'The properties must be a list of { key, value } objects.' });
        const problem = validateProperty(p.key, p.value);
        if (problem) throw fieldErrors({ properties: problem });
        setOwn(properties, p.key, p.value);
      }
    }
    const comment: CommentRec = {
      id: String(site.state.counters.comment++),
      authorId: user.accountId,
      updateAuthorId: user.accountId,
      body: body.body,
      created: now,
      updated: now,
      properties,
    };
    issue.comments.push(comment);
    issue.updated = now;
    ctx.mutated();
    ctx.emit(issueCommentedEvent(site, issue, user.accountId, comment));
    const expand = new Set((req.query.get('expand') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    return ok(site.comment_(issue, comment, expand), 201);
  });
}
