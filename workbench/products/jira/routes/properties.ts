/**
 * Issue properties (`/issue/{key}/properties[/{propertyKey}]`) and comment properties
 * (`/comment/{commentId}/properties[/{propertyKey}]`, where JSM keeps `sd.public.comment`).
 * Values are any JSON up to 32,768 characters; setting one answers 201 when created, 200 when updated.
 * Properties are not issue fields: writing one changes neither `updated` nor the changelog.
 */
import { badRequest, JiraError, notFound } from '../errors';
import { requirePermission } from '../permissions';
import type { RouteContext, Router } from '../router';
import { hasOwn, noContent, ok, setOwn } from './util';

export const PROPERTY_VALUE_LIMIT = 32_768;

/** The problem with a property key/value, or undefined when it may be stored. */
export function validateProperty(key: string, value: unknown): string | undefined {
  if (!key) return 'The property key cannot be empty.';
  if (key.length > 255) return 'The property key cannot be longer than 255 characters.';
  if (value === undefined) return 'The property value cannot be empty.';
  const size = JSON.stringify(value).length;
  if (size > PROPERTY_VALUE_LIMIT) return `The property value is ${size} characters long; the maximum length is ${PROPERTY_VALUE_LIMIT} characters.`;
  return undefined;
}

const propertyMissing = (key: string): JiraError => notFound(`The property with key '${key}' does not exist.`);

/** The body of a property PUT: any JSON, but not nothing. */
function propertyValue(ctx: RouteContext): unknown {
  const value = ctx.body();
  if (value === undefined) throw badRequest('The property value cannot be empty.');
  return value;
}

type PropertyBag = Record<string, unknown>;

/** GET of one property of an issue or a comment. */
function getProperty(ctx: RouteContext, properties: PropertyBag) {
  if (!hasOwn(properties, ctx.params.propertyKey)) throw propertyMissing(ctx.params.propertyKey);
  return ok({ key: ctx.params.propertyKey, value: properties[ctx.params.propertyKey] });
}

/** PUT of one property: 201 when created, 200 when replaced. */
function putProperty(ctx: RouteContext, properties: PropertyBag) {
  const value = propertyValue(ctx);
  const problem = validateProperty(ctx.params.propertyKey, value);
  if (problem) throw badRequest(problem);
  const existed = hasOwn(properties, ctx.params.propertyKey);
  setOwn(properties, ctx.params.propertyKey, value);
  ctx.mutated();
  return { status: existed ? 200 : 201 };
}

function deleteProperty(ctx: RouteContext, properties: PropertyBag) {
  if (!hasOwn(properties, ctx.params.propertyKey)) throw propertyMissing(ctx.params.propertyKey);
  delete properties[ctx.params.propertyKey];
  ctx.mutated();
  return noContent();
}

export function registerPropertyRoutes(router: Router): void {
  // ---- issue properties ----
  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}/properties', ({ site, params }) => {
    const issue = site.issue(params.issueIdOrKey);
    return ok({ keys: Object.keys(issue.properties).map((key) => ({ self: site.api(`issue/${issue.id}/properties/${encodeURIComponent(key)}`), key })) });
  });

  router.add('GET', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (ctx) => getProperty(ctx, ctx.site.issue(ctx.params.issueIdOrKey).properties));

  router.add('PUT', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (ctx) => {
    const issue = ctx.site.issue(ctx.params.issueIdOrKey);
    requirePermission(ctx.user, 'EDIT_ISSUES');
    return putProperty(ctx, issue.properties);
  });

  router.add('DELETE', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (ctx) => {
    const issue = ctx.site.issue(ctx.params.issueIdOrKey);
    requirePermission(ctx.user, 'EDIT_ISSUES');
    return deleteProperty(ctx, issue.properties);
  });

  // ---- comment properties ----
  const comment = (ctx: RouteContext) => {
    const found = ctx.site.findComment(ctx.params.commentId);
    if (!found) throw notFound(`Can not find a comment for the id: ${ctx.params.commentId}.`);
    return found;
  };

  router.add('GET', '/rest/api/3/comment/{commentId}/properties', (ctx) => {
    const { comment: c } = comment(ctx);
    return ok({ keys: Object.keys(c.properties).map((key) => ({ self: ctx.site.api(`comment/${c.id}/properties/${encodeURIComponent(key)}`), key })) });
  });

  router.add('GET', '/rest/api/3/comment/{commentId}/properties/{propertyKey}', (ctx) => {
    return getProperty(ctx, comment(ctx).comment.properties);
  });

  router.add('PUT', '/rest/api/3/comment/{commentId}/properties/{propertyKey}', (ctx) => {
    const { comment: c } = comment(ctx);
    requirePermission(ctx.user, 'ADD_COMMENTS');
    return putProperty(ctx, c.properties);
  });

  router.add('DELETE', '/rest/api/3/comment/{commentId}/properties/{propertyKey}', (ctx) => {
    const { comment: c } = comment(ctx);
    requirePermission(ctx.user, 'ADD_COMMENTS');
    return deleteProperty(ctx, c.properties);
  });
}
