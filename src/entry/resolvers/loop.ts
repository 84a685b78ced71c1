/**
 * The loop's resolver functions: parsed, checked and handed to one service each. They are defined on
 * the surfaces' own resolvers (issue-panel.ts and console.ts name each key once), so a surface keeps one
 * resolver function and one context. The issue comes from the module context, the user from its
 * accountId; never from the payload.
 */
import { z } from 'zod';
import type { PanelView } from '../../contract/issue-panel';
import type { CancelDrillInput, CreateFollowUpInput, DrillListInput, DrillRefInput, PlanFindingsInput, PublishPostmortemInput, ScheduleDrillInput } from '../../contract/loop';
import { DRILL_KINDS } from '../../domain/drill-kinds';
import { invalidInput } from '../../domain/errors';
import type { Actor } from '../../domain/invocation';
import { IMPACT_MAX, personText, REASON_MAX } from '../../domain/text';
import { cancelDrill, completeDrillNow, listDrills, runDrill, scheduleDrill } from '../../services/drills';
import { markFindingsHandled } from '../../services/findings-handled';
import { createFollowUp } from '../../services/follow-ups';
import { loadPanel, type PanelDeps } from '../../services/issue-panel';
import { publishForPerson } from '../../services/loop-panel';
import { appDeps } from '../deps';
import { issueFromContext } from './common';
import { parseInput } from './schemas';

const id = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, `${what} is required.`).max(200, `${what} is too long.`);

export const publishPostmortemInput: z.ZodType<PublishPostmortemInput, unknown> = z.object({
  impact: personText('The impact', 0, IMPACT_MAX).optional(),
});
export const createFollowUpInput: z.ZodType<CreateFollowUpInput, unknown> = z.object({ summary: personText('The follow-up action', 3, 255) });
const drillListInput: z.ZodType<DrillListInput, unknown> = z.object({ pastCursor: z.string({ error: 'The page cursor must be text.' }).max(2_000).optional() });
// The drill's own fields are checked by the domain's schema (domain/drills.ts), field by field.
const scheduleDrillInput: z.ZodType<ScheduleDrillInput, unknown> = z.object({
  planId: id('The plan'),
  kind: z.enum(DRILL_KINDS, { error: 'The kind is tabletop, simulation or fail-over.' }),
  scheduledFor: z.number({ error: 'The date must be a time.' }),
  participants: z.array(z.string({ error: 'A participant must be an account id.' }), { error: 'Participants must be a list.' }).max(100).optional(),
  notes: z.string({ error: 'The notes must be text.' }).max(10_000).optional(),
});
const drillRefInput: z.ZodType<DrillRefInput, unknown> = z.object({ drillId: id('The drill') });
const cancelDrillInput: z.ZodType<CancelDrillInput, unknown> = z.object({
  drillId: id('The drill'),
  reason: personText('The reason', 0, REASON_MAX)
    .optional()
    .transform((s) => (s === '' ? undefined : s)),
});
const planFindingsInput: z.ZodType<PlanFindingsInput, unknown> = z.object({ planId: id('The plan') });

interface Context {
  accountId?: string;
  siteUrl?: string;
}

function accountOf(context: Context): string {
  if (!context?.accountId) throw invalidInput('This action needs a signed-in user.', 'context.accountId');
  return context.accountId;
}

async function actorOf(context: Context, deps: { jira: { currentUserName(): Promise<string | undefined> } }): Promise<Actor> {
  const accountId = accountOf(context);
  const displayName = await deps.jira.currentUserName().catch(() => undefined);
  return { accountId, ...(displayName ? { displayName } : {}) };
}

// ---- The issue panel (each answers the refreshed panel) ----

export async function publishPostmortemForPanel(payload: unknown, context: Context, deps: PanelDeps): Promise<PanelView> {
  const input = parseInput(publishPostmortemInput, payload);
  const issue = issueFromContext(context);
  await publishForPerson(issue, await actorOf(context, deps), input, context.siteUrl, deps);
  return loadPanel(issue, deps);
}

export async function createFollowUpForPanel(payload: unknown, context: Context, deps: PanelDeps): Promise<PanelView> {
  const { summary } = parseInput(createFollowUpInput, payload);
  const issue = issueFromContext(context);
  await createFollowUp(issue, await actorOf(context, deps), summary, context.siteUrl, deps);
  return loadPanel(issue, deps);
}

// ---- The Service continuity page ----

export const loopConsole = {
  listDrills: (payload: unknown) => listDrills(parseInput(drillListInput, payload).pastCursor, appDeps()),
  scheduleDrill: async (payload: unknown, context: Context) => {
    const deps = appDeps();
    return scheduleDrill(parseInput(scheduleDrillInput, payload), await actorOf(context, deps), deps);
  },
  runDrill: async (payload: unknown, context: Context) => {
    const deps = appDeps();
    return runDrill(parseInput(drillRefInput, payload).drillId, await actorOf(context, deps), deps);
  },
  cancelDrill: async (payload: unknown, context: Context) => {
    const deps = appDeps();
    const input = parseInput(cancelDrillInput, payload);
    return cancelDrill(input.drillId, await actorOf(context, deps), input.reason, deps);
  },
  completeDrill: async (payload: unknown, context: Context) => {
    const deps = appDeps();
    return completeDrillNow(parseInput(drillRefInput, payload).drillId, await actorOf(context, deps), context.siteUrl, deps);
  },
  markFindingsHandled: (payload: unknown, context: Context) => markFindingsHandled(parseInput(planFindingsInput, payload).planId, accountOf(context), appDeps()),
};
