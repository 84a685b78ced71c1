/** Resolver of the issue panel. The issue comes from the module context, never from the payload. */
import Resolver from '@forge/resolver';
import { ISSUE_PANEL, type LoadPanelResult } from '../../contract/issue-panel';
import { loadPanel } from '../../services/issue-panel';
import { appDeps } from '../deps';
import { issueFromContext, toResolverResult } from './common';

const resolver = new Resolver();

resolver.define(ISSUE_PANEL.load, async ({ context }): Promise<LoadPanelResult> =>
  toResolverResult(async () => {
    const issue = issueFromContext(context);
    return loadPanel(issue.id, appDeps());
  }),
);

export const issuePanelResolver = resolver.getDefinitions();
