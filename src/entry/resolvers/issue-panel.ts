/**
 * Resolvers of the issue panel. The issue comes from the module context, never from the payload; the
 * user is the context's accountId. Every answer is the contract's envelope.
 */
import Resolver from '@forge/resolver';
import { CONSOLE_MODULE_KEY, ISSUE_PANEL } from '../../contract/issue-panel';
import { publishIncidentChanged } from '../../adapters/realtime';
import { actOnPanel, loadPanel, type PanelAction, type PanelDeps } from '../../services/issue-panel';
import { invalidInput } from '../../domain/errors';
import { appDeps } from '../deps';
import { issueFromContext, toResolverResult } from './common';
import { invocationInput, parseInput, postCommsInput, reopenInput, skipStepInput, standDownInput, stepInput } from './schemas';

export const SETTINGS_MODULE_KEY = 'continuity-settings';

export function panelDeps(context: { siteUrl?: string }): PanelDeps {
  return { ...appDeps(), links: { plans: `${context.siteUrl ?? ''}/wiki`, settingsModuleKey: SETTINGS_MODULE_KEY, consoleModuleKey: CONSOLE_MODULE_KEY } };
}

function accountOf(context: { accountId?: string }): string {
  if (!context.accountId) throw invalidInput('This action needs a signed-in user.', 'context.accountId');
  return context.accountId;
}

const resolver = new Resolver();

resolver.define(ISSUE_PANEL.load, ({ context }) => toResolverResult(() => loadPanel(issueFromContext(context), panelDeps(context))));

const actions: Array<[string, (payload: unknown) => PanelAction]> = [
  [ISSUE_PANEL.stepDone, (p) => ({ kind: 'step-done', ...parseInput(stepInput, p) })],
  [ISSUE_PANEL.stepSkip, (p) => ({ kind: 'step-skip', ...parseInput(skipStepInput, p) })],
  [ISSUE_PANEL.stepReopen, (p) => ({ kind: 'step-reopen', ...parseInput(stepInput, p) })],
  [ISSUE_PANEL.adoptSteps, (p) => ({ kind: 'adopt-steps', ...parseInput(invocationInput, p) })],
  [ISSUE_PANEL.recover, (p) => ({ kind: 'recover', ...parseInput(invocationInput, p) })],
  [ISSUE_PANEL.standDown, (p) => ({ kind: 'stand-down', ...parseInput(standDownInput, p) })],
  [ISSUE_PANEL.reopen, (p) => ({ kind: 'reopen', ...parseInput(reopenInput, p) })],
  [ISSUE_PANEL.postComms, (p) => ({ kind: 'post-comms', ...parseInput(postCommsInput, p) })],
];

for (const [key, parse] of actions) {
  resolver.define(key, ({ payload, context }) =>
    toResolverResult(async () => {
      const issue = issueFromContext(context);
      const view = await actOnPanel(issue, accountOf(context), parse(payload), panelDeps(context));
      // Every other open panel and issue context on this issue reloads (see adapters/realtime).
      await publishIncidentChanged({ issueId: issue.id, version: view.version });
      return view;
    }),
  );
}

export const issuePanelResolver = resolver.getDefinitions();
