/**
 * The issue context's resolver (one call when it opens) and its `dynamicProperties` function (the
 * status Jira shows while the panel is collapsed). The issue comes from the module context, never from
 * the payload.
 */
import Resolver from '@forge/resolver';
import { ISSUE_CONTEXT } from '../../contract/issue-context';
import type { ContextStatusProperties } from '../../contract/issue-context';
import { contextStatus, loadIssueContext } from '../../services/issue-context';
import { appDeps } from '../deps';
import { issueFromContext, toResolverResult } from './common';
import { panelDeps } from './issue-panel';

const resolver = new Resolver();

resolver.define(ISSUE_CONTEXT.load, ({ context }) => toResolverResult(() => loadIssueContext(issueFromContext(context), panelDeps(context))));

export const issueContextResolver = resolver.getDefinitions();

interface DynamicPropertiesPayload {
  cloudId?: string;
  extension?: { issue?: { id?: string | number } };
}

/**
 * Jira calls this with `{ cloudId, extension }` (the issue and project it renders on) when the issue
 * context first renders and whenever it is collapsed. Answers `{}` (the manifest's properties) when
 * nothing runs or the status cannot be read: a badge must never break the issue view.
 */
export async function issueContextStatus(payload: DynamicPropertiesPayload): Promise<ContextStatusProperties> {
  const issueId = payload?.extension?.issue?.id;
  if (issueId === undefined || !/^\d+$/.test(String(issueId))) return {};
  try {
    return await contextStatus(String(issueId), appDeps());
  } catch (error) {
    console.warn(`Issue context status not read: ${(error as Error).message}`);
    return {};
  }
}
