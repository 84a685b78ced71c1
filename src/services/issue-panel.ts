/**
 * The issue panel's use cases: load everything the panel shows in one call, and the agent's actions
 * (checklist, communications, recovery). Every action checks, server-side, that the signed-in user may
 * edit (or comment on) the issue, and that the invocation belongs to the panel's issue.
 */
import type { InvocationView, PanelView } from '../contract/issue-panel';
import { TIER_NAMES, type ContinuityPlan, type Service } from '../domain/catalogue';
import { checklistProgress, markStepDone, reopenStep, skipStep } from '../domain/checklist';
import { fillTemplate, nextUpdateDue, recordCommsPosted } from '../domain/comms';
import { commsComment } from '../domain/adf';
import { commsPostedCount, nextCommsKind } from '../domain/idempotency';
import { declareRecovered, reopen, standDown } from '../domain/recovery';
import { conflict, forbidden, invalidInput, notFound } from '../domain/errors';
import type { Invocation } from '../domain/invocation';
import type { IssuePermissions } from '../ports';
import { linkIncidentToPlans, needsJiraRepair, repairJiraWrites, syncIssueProperty, type LinkDeps } from './link-incident';
import { postCommentOnce } from './post-once';

export interface PanelDeps extends LinkDeps {
  /** Where plans are written and the app's settings module, for the empty states. */
  links: { plans: string; settingsModuleKey: string };
}

export interface IssueRef {
  id: string;
  key: string;
}

export async function loadPanel(issue: IssueRef, deps: PanelDeps, can?: IssuePermissions): Promise<PanelView> {
  const { store, clock } = deps;
  const permissions = can ?? (await deps.jira.permissionsOfCurrentUser(issue.key));
  let invocations = await store.invocationsForIssue(issue.id);
  let missingPlans: string[] = [];
  const base = { serverTime: clock.now(), issueKey: issue.key, invocations: [], missingPlans: [], links: deps.links, can: { edit: permissions.edit, comment: permissions.comment } };
  if (invocations.length === 0) {
    // Not linked yet (the trigger may still be on its way, or failed): link now. It is idempotent, so
    // the trigger arriving later converges on the same invocations. Someone who cannot edit the issue
    // only looks: their opening the panel must not make the app write to the issue.
    const outcome = await linkIncidentToPlans(issue.id, deps, { dryRun: !permissions.edit });
    if (outcome.kind === 'would-link' && outcome.plans.length > 0) {
      const titles = outcome.plans.map((p) => p.title).join(', ');
      return { ...base, status: 'pending', missingPlans: outcome.servicesWithoutPlan.map((s) => s.name), reason: `This incident qualifies: ${titles} is being invoked.`, toQualify: 'Refresh in a moment to see the plan and its RTO.' };
    }
    if (outcome.kind === 'not-qualifying') {
      return { ...base, status: 'not-qualifying', reason: outcome.qualification.reason, toQualify: outcome.qualification.toQualify };
    }
    if (outcome.kind === 'no-service' && outcome.catalogueEmpty) {
      return { ...base, status: 'not-configured', reason: 'Service continuity is not set up yet: the service catalogue is empty.', toQualify: 'Add services and their plans, and check the settings.' };
    }
    if (outcome.kind === 'no-service') {
      return { ...base, status: 'no-service', reason: 'None of the affected services is in the continuity catalogue.', toQualify: 'Set the Affected services field to a catalogued service.' };
    }
    missingPlans = outcome.servicesWithoutPlan.map((s) => s.name);
    if (outcome.kind === 'would-link' || outcome.invocations.length === 0) {
      return { ...base, status: 'no-plan', missingPlans, reason: `No continuity plan exists for ${missingPlans.join(', ')}.`, toQualify: 'Write a continuity plan for the service.' };
    }
    invocations = outcome.invocations;
  } else if (permissions.edit && invocations.some((i) => i.state === 'open' && needsJiraRepair(i))) {
    invocations = await repairOpen(invocations, deps);
  }
  return { ...base, status: 'invoked', invocations: await views(invocations, deps), missingPlans };
}

/**
 * An earlier run stored the invocation but failed to write its link or comment to Jira (a rate limit,
 * an outage): write them now. A failure here must not keep the agent from seeing the plan.
 */
async function repairOpen(invocations: Invocation[], deps: PanelDeps): Promise<Invocation[]> {
  const out: Invocation[] = [];
  for (const inv of invocations) {
    if (inv.state !== 'open' || !needsJiraRepair(inv)) {
      out.push(inv);
      continue;
    }
    try {
      out.push(await repairJiraWrites(inv, deps));
    } catch (error) {
      console.warn(`Could not repair the Jira link of ${inv.id} (${(error as Error).message}); the RTO watch will retry.`);
      out.push(inv);
    }
  }
  return out;
}

async function views(invocations: Invocation[], deps: PanelDeps): Promise<InvocationView[]> {
  const { store, clock } = deps;
  const now = clock.now();
  const loaded = await Promise.all(
    invocations.map(async (inv) => ({ inv, plan: await store.getPlan(inv.planId), service: await store.getService(inv.serviceId) })),
  );
  const actors = loaded.flatMap(({ inv }) => [...inv.timeline.map((t) => t.actor), ...Object.values(inv.steps ?? {}).map((s) => s.by)]);
  const names = await deps.jira.displayNames(actors);
  return loaded.map(({ inv, plan, service }) => toView(inv, plan, service, names, now));
}

function toView(inv: Invocation, plan: ContinuityPlan | undefined, service: Service | undefined, names: Record<string, string>, now: number): InvocationView {
  const effectivePlan: ContinuityPlan = plan ?? { id: inv.planId, serviceId: inv.serviceId, title: 'Deleted plan', pageId: '', pageUrl: '', status: 'retired', steps: [], commsTemplates: [] };
  const progress = checklistProgress(inv, effectivePlan, now);
  const tier = service?.tier ?? 3;
  const nextUpdate = nextUpdateDue(inv.startedAt, tier, now);
  return {
    id: inv.id,
    state: inv.state,
    plan: { id: inv.planId, title: effectivePlan.title, url: effectivePlan.pageUrl },
    service: { id: inv.serviceId, name: service?.name ?? 'Deleted service', tier: service?.tier ?? 0, tierName: service ? TIER_NAMES[service.tier] : '' },
    rtoMinutes: inv.rtoMinutes,
    ownRtoMinutes: inv.ownRtoMinutes,
    rpoMinutes: inv.rpoMinutes,
    startedAt: inv.startedAt,
    rtoDueAt: inv.rtoDueAt,
    inversions: inv.inversions.map((i) => ({ dependencyName: i.dependencyName, dependencyRtoMinutes: i.dependencyRtoMinutes })),
    steps: progress.steps.map((s) => ({
      id: s.id,
      title: s.title,
      role: s.role,
      expectedMinutes: s.expectedMinutes,
      status: s.record ? s.record.status : 'pending',
      by: s.record ? { accountId: s.record.by, displayName: names[s.record.by] ?? s.record.by } : undefined,
      at: s.record?.at,
      reason: s.record?.reason,
    })),
    progress: {
      total: progress.total,
      done: progress.done,
      skipped: progress.skipped,
      percent: progress.percent,
      remainingMinutes: progress.remainingMinutes,
      projectedRecoveryAt: progress.projectedRecoveryAt,
      projectedWithinRto: progress.projectedWithinRto,
    },
    comms: effectivePlan.commsTemplates.map((t) => ({
      templateId: t.id,
      name: t.name,
      audience: t.audience,
      text: fillTemplate(t, { service: service?.name ?? '', impact: '{{impact}}', startTime: inv.startedAt, nextUpdate, incidentKey: inv.issueKey, rtoDueAt: inv.rtoDueAt }).text,
      postedCount: commsPostedCount(inv, t.id),
    })),
    nextUpdateDueAt: nextUpdate,
    recovery: inv.state === 'recovered' && inv.recoveredAt !== undefined ? { at: inv.recoveredAt, achievedMinutes: inv.achievedMinutes ?? 0, rtoMet: inv.rtoMet === true } : undefined,
    standDownReason: inv.state === 'stood-down' ? inv.standDownReason : undefined,
    timeline: inv.timeline.map((t) => ({ at: t.at, actor: t.actor, actorName: names[t.actor] ?? t.actor, kind: t.kind, detail: t.detail })),
  };
}

export type PanelAction =
  | { kind: 'step-done'; invocationId: string; stepId: string }
  | { kind: 'step-skip'; invocationId: string; stepId: string; reason: string }
  | { kind: 'step-reopen'; invocationId: string; stepId: string }
  | { kind: 'recover'; invocationId: string }
  | { kind: 'stand-down'; invocationId: string; reason: string }
  | { kind: 'reopen'; invocationId: string; reason?: string }
  | { kind: 'post-comms'; invocationId: string; templateId: string; audience: 'internal' | 'public'; impact?: string };

/** Performs one panel action for the signed-in user and answers the refreshed panel. */
export async function actOnPanel(issue: IssueRef, accountId: string, action: PanelAction, deps: PanelDeps): Promise<PanelView> {
  const { store, clock } = deps;
  const permissions = await deps.jira.permissionsOfCurrentUser(issue.key);
  const needs = action.kind === 'post-comms' ? 'comment' : 'edit';
  if (!permissions[needs]) throw forbidden(needs === 'comment' ? 'You cannot comment on this issue.' : 'You cannot edit this issue, so you cannot change its recovery.');

  // The invocation must belong to the panel's issue: ids from the browser are never trusted alone.
  const invocation = await store.getInvocation(action.invocationId);
  if (!invocation || invocation.issueId !== issue.id) throw notFound('Invocation', 'invocationId');
  const plan = await store.getPlan(invocation.planId);
  if (!plan) throw notFound('Continuity plan', 'invocationId');

  if (action.kind === 'post-comms') {
    const template = plan.commsTemplates.find((t) => t.id === action.templateId);
    if (!template) throw notFound('Communication template', 'templateId');
    // An internal update must never reach customers by a slip of the mouse.
    if (action.audience === 'public' && template.audience === 'internal') throw invalidInput('This template is for internal updates only.', 'audience');
    const service = await store.getService(invocation.serviceId);
    const now = clock.now();
    const filled = fillTemplate(template, {
      service: service?.name ?? '',
      impact: action.impact?.trim() || 'under assessment',
      startTime: invocation.startedAt,
      nextUpdate: nextUpdateDue(invocation.startedAt, service?.tier ?? 3, now),
      incidentKey: invocation.issueKey,
      rtoDueAt: invocation.rtoDueAt,
    });
    const result = await postCommentOnce(
      invocation.id,
      nextCommsKind(invocation, template.id),
      () => ({ adf: commsComment(template.name, filled.text), internal: action.audience === 'internal' }),
      deps,
      (inv) => recordCommsPosted(inv, template.id, action.audience, accountId, clock.now()),
    );
    // Someone else posted this template's next update a moment ago (or is posting it now): say so,
    // rather than claim this one was posted or post a second, near-identical update.
    if (result.outcome === 'taken') {
      throw conflict(`"${template.name}" was just posted by someone else. Check the issue's comments before posting it again.`, 'templateId');
    }
  } else {
    await store.updateInvocation(invocation.id, (cur) => {
      const now = clock.now();
      switch (action.kind) {
        case 'step-done':
          return markStepDone(cur, plan, action.stepId, accountId, now);
        case 'step-skip':
          return skipStep(cur, plan, action.stepId, action.reason, accountId, now);
        case 'step-reopen':
          return reopenStep(cur, plan, action.stepId, accountId, now);
        case 'recover':
          return declareRecovered(cur, accountId, now);
        case 'stand-down':
          return standDown(cur, action.reason, accountId, now);
        case 'reopen':
          return reopen(cur, accountId, now, action.reason);
      }
    });
    // The change is stored; a failed property write is repaired by the watch, not reported as a failure.
    if (action.kind === 'recover' || action.kind === 'stand-down' || action.kind === 'reopen') await syncIssueProperty(issue.id, deps);
  }
  return loadPanel(issue, deps, permissions);
}
