/**
 * The issue panel's use cases. Loading is read-only and cheap whatever happens on the incident: one
 * Jira call (the user's permissions) and two storage reads (the incident's record with the settings,
 * and the current plans, to tell when a plan page changed during the incident; with several affected
 * services, the services' dependencies too, read at the same time); display names come stored with the
 * timeline. A Jira that does not answer never hides the plan: the record is shown read-only. Actions check, server-side, that the signed-in user may edit (or comment
 * on) the issue; the invocation must belong to the panel's issue because it is looked up inside that
 * issue's record. Actions store, then hand Jira writes to the outbox; an agent's update is posted as
 * the agent (a queue consumer has no user to act as).
 */
import { randomUUID } from 'node:crypto';
import type { InvocationView, PanelView } from '../contract/issue-panel';
import { TIER_NAMES, type ContinuityPlan } from '../domain/catalogue';
import { adoptPlanSteps, checklistProgress, markStepDone, reopenStep, sameSteps, skipStep } from '../domain/checklist';
import { stepsChange } from '../domain/steps-change';
import { commsComment } from '../domain/adf';
import { composeUpdate, fillTemplate, updateDue, usesImpact } from '../domain/comms';
import { ContinuityError, conflict, forbidden, invalidInput, notFound } from '../domain/errors';
import { COMMENT_MARKER_KEY, commsPostedCount, parseCommentKind, requestedCommsKind } from '../domain/idempotency';
import { CLAIM_TTL_MS, commentWrite, enqueue, findInvocation, putInvocation, recordPersonComment, recordUpdate, withCommentWrite, type IncidentRecord } from '../domain/incident-record';
import { planSnapshot } from '../domain/catalogue';
import type { Actor, Invocation } from '../domain/invocation';
import { slotAt } from '../domain/outbox';
import { parseImpact } from '../domain/text';
import { declareRecovered, reopen, standDown } from '../domain/recovery';
import type { AppDeps, IncidentContext, IssuePermissions } from '../ports';
import { assess } from '../domain/assessment';
import { qualify, type ContinuitySettings } from '../domain/incident';
import { DEFAULT_COMMS_CADENCE } from '../domain/tiers';
import { recoveryOrder, type DependencyNode } from '../domain/dependencies';
import type { Service } from '../domain/catalogue';
import { matchedServices, matchKeys, unmatchedValues } from '../domain/matching';
import { stepsProblemText } from '../domain/plans/page-sync';
import { reviewDueText } from '../domain/plans/review';
import { postOnce } from './jira-writes';
import { requestDrain, saveWithRetry } from './outbox';
import { afterRecovery, loopPanelView } from './loop-panel';

export interface PanelDeps extends AppDeps {
  /** Where plans are written, the app's settings module and its Service continuity page, for the empty states. */
  links: PanelView['links'];
  /** The site's address (from the module context), for links the loop writes to pages. */
  siteUrl?: string;
}

/** Jira did not answer (an outage, a rate limit, the network): worth a retry, not an error to show. */
export function jiraDidNotAnswer(error: unknown): boolean {
  if (error instanceof ContinuityError) return error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'RATE_LIMITED';
  // Anything else from the gateway is a failure below the API (a network error), except the platform's
  // own errors, such as "the user has not allowed the app to act for them", which Forge must see.
  return !(error instanceof Error && (error as { name?: string }).name === 'NEEDS_AUTHENTICATION_ERR');
}

const NO_PERMISSIONS: IssuePermissions = { browse: true, edit: false, comment: false };

export interface IssueRef {
  id: string;
  key: string;
}

/**
 * One Jira call either way: for an incident the app holds, the user's permissions (for the actions);
 * for one it does not, the issue itself, read as the user (which also proves they may browse it), to
 * say truthfully why nothing is invoked. Nothing is written: a viewer opening the panel changes nothing.
 * When Jira does not answer, what the app holds is still shown, read-only (Jira renders the panel only
 * for people who may browse the issue, so the plan is theirs to see); actions wait for a retry.
 */
export async function loadPanel(issue: IssueRef, deps: PanelDeps): Promise<PanelView> {
  const context = await deps.store.incidentContext(issue.id);
  if (context.record) {
    const permissions = await deps.jira.permissionsOfCurrentUser(issue.key).catch((error: unknown) => {
      if (jiraDidNotAnswer(error)) return undefined;
      throw error;
    });
    return panelView(issue, context.record, context.settings, permissions, deps);
  }
  try {
    return await unlinkedView(issue, context, deps);
  } catch (error) {
    if (!jiraDidNotAnswer(error)) throw error;
    const base = await panelView(issue, undefined, context.settings, undefined, deps);
    return { ...base, status: 'jira-unavailable', reason: 'Jira did not answer, so the app cannot tell yet whether this incident invokes a continuity plan.', toQualify: 'Try again in a moment.' };
  }
}

async function unlinkedView(issue: IssueRef, context: IncidentContext, deps: PanelDeps): Promise<PanelView> {
  const fields = context.fields ?? (await deps.jira.readFieldIds());
  const facts = await deps.jira.getIncident(issue.key, fields, { asUser: true });
  const base = await panelView(issue, undefined, context.settings, NO_PERMISSIONS, deps);
  const qualification = qualify(facts, context.settings);
  if (!qualification.qualifies) {
    return { ...base, status: qualification.resolved ? 'not-linked' : 'not-qualifying', reason: qualification.reason, toQualify: qualification.toQualify };
  }
  const keys = matchKeys(facts, context.settings);
  const found = keys.length > 0 ? await deps.store.lookupMatches(keys) : new Map();
  const matches = matchedServices(keys, found);
  const assessment = assess(facts, matches, unmatchedValues(keys, found), context.catalogueSize, deps.clock.now());
  if (assessment.status === 'linked') {
    const plans = matches.filter((m) => m.plan).map((m) => m.plan!.title);
    return { ...base, status: 'pending', missingPlans: assessment.servicesWithoutPlan ?? [], reason: `This incident qualifies: ${plans.join(', ')} is being invoked.`, toQualify: 'Refresh in a moment to see the plan and its RTO.' };
  }
  return { ...base, status: assessment.status, reason: assessment.reason, toQualify: assessment.toQualify, missingPlans: assessment.servicesWithoutPlan ?? [], unknownServices: assessment.unknownServices ?? [] };
}

/** `permissions` undefined: Jira did not answer, so nothing may be changed until it does. */
export async function panelView(issue: IssueRef, record: IncidentRecord | undefined, settings: ContinuitySettings, permissions: IssuePermissions | undefined, deps: PanelDeps): Promise<PanelView> {
  const now = deps.clock.now();
  const can = permissions ?? NO_PERMISSIONS;
  const base: PanelView = {
    serverTime: now,
    issueKey: issue.key,
    version: record?.version ?? 0,
    status: 'not-linked',
    invocations: [],
    missingPlans: record?.assessment?.servicesWithoutPlan ?? [],
    unknownServices: record?.assessment?.unknownServices ?? [],
    jiraPending: (record?.outboxSlot ?? 0) > 0,
    links: deps.links,
    can: { edit: can.edit, comment: can.comment },
    jiraUnavailable: permissions === undefined,
    siteTimeZone: settings.siteTimeZone ?? 'UTC',
    ...(deps.confluence.connection() === 'not-connected' ? { confluenceNotConnected: true } : {}),
  };
  if (!record) return base;
  if (record.invocations.length === 0) {
    const assessment = record.assessment;
    if (!assessment || assessment.status === 'linked' || record.outbox?.needsLink) {
      return { ...base, status: 'pending', reason: 'This incident is being checked against the continuity catalogue.', toQualify: 'Refresh in a moment.' };
    }
    return { ...base, status: assessment.status, reason: assessment.reason, toQualify: assessment.toQualify };
  }
  const [current, order] = await Promise.all([deps.catalogue.getPlans(record.invocations.map((i) => i.planId)), orderOf(record.invocations, deps)]);
  const views = record.invocations.map((inv) => toView(record, inv, current.get(inv.planId), settings, now, order.get(inv.serviceId)));
  const ordered = order.size > 0 ? [...views].sort((a, b) => (a.order?.position ?? 1e9) - (b.order?.position ?? 1e9)) : views;
  return {
    ...base,
    status: 'invoked',
    invocations: ordered,
    ...(order.size > 1 ? { recoveryOrder: 'Plans are listed in recovery order: a service comes after the services it depends on.' } : {}),
    loop: loopPanelView(record, now),
  };
}

/**
 * Where each service's plan sits when several services are being recovered: dependencies first (see
 * domain/dependencies recoveryOrder). The services are read with their dependencies, and the
 * dependencies' dependencies (a chain through services that are not down still orders the ones that
 * are), a few rounds at most. One service alone needs no order and no read.
 */
async function orderOf(invocations: readonly Invocation[], deps: PanelDeps): Promise<Map<string, { position: number; reason: string }>> {
  const ids = [...new Set(invocations.map((i) => i.serviceId))];
  if (ids.length < 2) return new Map();
  // Each invocation carries the services its own depends on (kept with the match entries): no reads.
  if (invocations.every((i) => i.dependsOnServices)) {
    const nodes: DependencyNode[] = invocations.map((i) => ({ id: i.serviceId, name: i.service.name, dependsOn: i.dependsOnServices!.filter((d) => ids.includes(d)) }));
    return new Map(recoveryOrder(ids, nodes).map((entry, i) => [entry.serviceId, { position: i + 1, reason: entry.reason }]));
  }
  // Invocations stored before they carried it: read the services and their dependencies (a few rounds).
  const known = new Map<string, Service>();
  let wanted = ids;
  for (let round = 0; round < 4 && wanted.length > 0; round++) {
    const found = await deps.catalogue.getServices(wanted).catch(() => new Map<string, Service>());
    for (const [id, service] of found) known.set(id, service);
    wanted = [...new Set([...found.values()].flatMap((s) => s.dependsOn))].filter((id) => !known.has(id));
  }
  const nodes: DependencyNode[] = [...known.values()].map((s) => ({ id: s.id, name: s.name, dependsOn: s.dependsOn }));
  return new Map(recoveryOrder(ids, nodes).map((entry, i) => [entry.serviceId, { position: i + 1, reason: entry.reason }]));
}

/**
 * The invoked plan as the panel shows it: its status now (the snapshot's when the plan is gone), DRAFT
 * for a draft, and the problems its page has, in the plans service's words (names as stored with them:
 * the load asks no one).
 */
function planOf(inv: Invocation, current: ContinuityPlan | undefined): InvocationView['plan'] {
  const status = current?.status ?? inv.plan.status;
  const problems = current && current.status !== 'retired' ? [...(current.stepsProblem ? [stepsProblemText(current.stepsProblem)] : []), ...(current.reviewDue ? [reviewDueText(current.reviewDue)] : [])] : [];
  return { id: inv.planId, title: inv.plan.title, url: inv.plan.pageUrl, status, draft: status === 'draft', problems };
}

const nameOf = (accountId: string, stored?: string) => stored ?? (accountId === 'app' ? 'Service Continuity' : accountId);

const MINUTE = 60_000;

function toView(record: IncidentRecord, inv: Invocation, currentPlan: ContinuityPlan | undefined, settings: ContinuitySettings, now: number, order?: { position: number; reason: string }): InvocationView {
  const progress = checklistProgress(inv, now);
  const cadence = settings.commsCadence ?? DEFAULT_COMMS_CADENCE;
  const due = updateDue(inv.startedAt, record.lastUpdate?.at, inv.service.tier, now, cadence);
  const timeZone = settings.siteTimeZone ?? 'UTC';
  const planChanged = currentPlan && inv.state === 'open' && !sameSteps(inv.plan.steps, currentPlan.steps) ? stepsChange(inv.plan.steps, currentPlan.steps) : undefined;
  const ownRtoDueAt = inv.startedAt + inv.ownRtoMinutes * MINUTE;
  const slowest = [...inv.inversions].sort((a, b) => b.dependencyRtoMinutes - a.dependencyRtoMinutes)[0];
  // An update posted now makes the next one due a cadence from now: that is what the preview says.
  const nextIfPostedNow = now + cadence[inv.service.tier] * MINUTE;
  return {
    id: inv.id,
    state: inv.state,
    drill: inv.isDrill === true,
    plan: planOf(inv, currentPlan),
    service: { id: inv.serviceId, name: inv.service.name, tier: inv.service.tier, tierName: TIER_NAMES[inv.service.tier] ?? '' },
    rtoMinutes: inv.rtoMinutes,
    ownRtoMinutes: inv.ownRtoMinutes,
    rpoMinutes: inv.rpoMinutes,
    startedAt: inv.startedAt,
    rtoDueAt: inv.rtoDueAt,
    ownRtoDueAt,
    inversions: inv.inversions.map((i) => ({ dependencyName: i.dependencyName, dependencyRtoMinutes: i.dependencyRtoMinutes })),
    ...(slowest && inv.rtoMinutes > inv.ownRtoMinutes ? { limitedBy: { name: slowest.dependencyName, rtoMinutes: slowest.dependencyRtoMinutes } } : {}),
    ...(order ? { order } : {}),
    steps: progress.steps.map((s) => ({
      id: s.id,
      title: s.title,
      role: s.role,
      expectedMinutes: s.expectedMinutes,
      status: s.record ? s.record.status : 'pending',
      by: s.record ? { accountId: s.record.by, displayName: nameOf(s.record.by, s.record.byName) } : undefined,
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
    ...(planChanged ? { planChanged } : {}),
    comms: inv.plan.commsTemplates.map((t) => ({
      templateId: t.id,
      name: t.name,
      audience: t.audience,
      text: fillTemplate(t, { service: inv.service.name, impact: '{{impact}}', startTime: inv.startedAt, nextUpdate: nextIfPostedNow, incidentKey: inv.issueKey, rtoDueAt: inv.rtoDueAt, timeZone }).text,
      postedCount: commsPostedCount(record, inv.id, t.id),
      usesImpact: usesImpact(t),
    })),
    ...(inv.state === 'open' ? { nextUpdate: { dueAt: due.dueAt, ...(due.lastUpdateAt !== undefined ? { lastUpdateAt: due.lastUpdateAt } : {}), cadenceMinutes: due.cadenceMinutes, state: due.state, dueSoonFrom: due.dueAt - (due.cadenceMinutes * MINUTE) / 4 } } : {}),
    recovery:
      inv.state === 'recovered' && inv.recoveredAt !== undefined
        ? { at: inv.recoveredAt, achievedMinutes: inv.achievedMinutes ?? 0, rtoMet: inv.rtoMet === true, ownRtoMet: inv.recoveredAt <= ownRtoDueAt }
        : undefined,
    standDownReason: inv.state === 'stood-down' ? inv.standDownReason : undefined,
    timeline: inv.timeline.map((t) => ({ at: t.at, actor: t.actor, actorName: nameOf(t.actor, t.actorName), kind: t.kind, detail: t.detail })),
  };
}

export type PanelAction =
  | { kind: 'step-done'; invocationId: string; stepId: string }
  | { kind: 'step-skip'; invocationId: string; stepId: string; reason: string }
  | { kind: 'step-reopen'; invocationId: string; stepId: string }
  | { kind: 'adopt-steps'; invocationId: string }
  | { kind: 'recover'; invocationId: string }
  | { kind: 'stand-down'; invocationId: string; reason: string }
  | { kind: 'reopen'; invocationId: string; reason?: string }
  | { kind: 'post-comms'; invocationId: string; templateId: string; audience: 'internal' | 'public'; impact?: string; seen: number };

/** Performs one panel action for the signed-in user and answers the refreshed panel. */
export async function actOnPanel(issue: IssueRef, accountId: string, action: PanelAction, deps: PanelDeps): Promise<PanelView> {
  const [permissions, displayName, context] = await Promise.all([
    deps.jira.permissionsOfCurrentUser(issue.key).catch((error: unknown) => {
      if (!jiraDidNotAnswer(error)) throw error;
      throw new ContinuityError('UPSTREAM_UNAVAILABLE', 'Jira did not answer, so the app cannot check what you may do; nothing was changed. Try again in a moment.');
    }),
    deps.jira.currentUserName().catch(() => undefined),
    deps.store.incidentContext(issue.id),
  ]);
  const needs = action.kind === 'post-comms' ? 'comment' : 'edit';
  if (!permissions[needs]) throw forbidden(needs === 'comment' ? 'You cannot comment on this issue.' : 'You cannot edit this issue, so you cannot change its recovery.');
  const actor: Actor = { accountId, displayName };

  // The invocation is looked up inside this issue's record: an id from another issue is simply not found.
  const record = context.record;
  const invocation = record && findInvocation(record, action.invocationId);
  if (!record || !invocation) throw notFound('Invocation', 'invocationId');

  let stored: IncidentRecord;
  if (action.kind === 'post-comms') {
    stored = await postComms(record, invocation, action, actor, context.settings, deps);
  } else {
    const current = action.kind === 'adopt-steps' ? await deps.catalogue.getPlan(invocation.planId) : undefined;
    if (action.kind === 'adopt-steps' && !current) throw notFound('Continuity plan', 'invocationId');
    stored = await saveWithRetry(issue.id, record, deps, (cur) => {
      const inv = findInvocation(cur, action.invocationId);
      if (!inv) throw notFound('Invocation', 'invocationId');
      const now = deps.clock.now();
      const changed = applyAction(inv, action, actor, now, current);
      if (changed === inv) return null;
      // The state changed the issue property (recovery, stand-down, reopen): the outbox rewrites it.
      return enqueue(putInvocation(cur, changed), slotAt(now), now);
    });
    // The change is stored; a refused push is swept by the watch, not reported as a failure.
    await requestDrain(stored, deps).catch((error) => console.warn(`Outbox push refused (${(error as Error).message}); the watch will write it.`));
    // The last open invocation recovered: the postmortem (a drill's report) is published by the loop's queue.
    if (action.kind === 'recover') await afterRecovery(stored, context.settings, deps.siteUrl, deps);
  }
  return panelView(issue, stored, context.settings, permissions, deps);
}

function applyAction(inv: Invocation, action: Exclude<PanelAction, { kind: 'post-comms' }>, actor: Actor, now: number, current?: ContinuityPlan): Invocation {
  switch (action.kind) {
    case 'step-done':
      return markStepDone(inv, action.stepId, actor, now);
    case 'step-skip':
      return skipStep(inv, action.stepId, action.reason, actor, now);
    case 'step-reopen':
      return reopenStep(inv, action.stepId, actor, now);
    case 'adopt-steps':
      return adoptPlanSteps(inv, planSnapshot(current!), actor, now);
    case 'recover':
      return declareRecovered(inv, actor, now);
    case 'stand-down':
      return standDown(inv, action.reason, actor, now);
    case 'reopen':
      return reopen(inv, actor, now, action.reason);
  }
}

/**
 * Posts an agent's update as the agent, at most once per update number: the number is claimed in the
 * record first (a conditional write), so two agents pressing "Post" on the same panel get one comment
 * and the second is told who posted it.
 */
async function postComms(
  record: IncidentRecord,
  invocation: Invocation,
  action: Extract<PanelAction, { kind: 'post-comms' }>,
  actor: Actor,
  settings: ContinuitySettings,
  deps: PanelDeps,
): Promise<IncidentRecord> {
  const template = invocation.plan.commsTemplates.find((t) => t.id === action.templateId);
  if (!template) throw notFound('Communication template', 'templateId');
  // An internal update must never reach customers by a slip of the mouse.
  if (action.audience === 'public' && template.audience === 'internal') throw invalidInput('This template is for internal updates only.', 'audience');
  // A drill is an exercise: customers must never hear of it as an outage.
  if (action.audience === 'public' && invocation.isDrill) throw invalidInput('This is a drill: updates stay internal, nothing is posted to customers.', 'audience');
  // Checked here too, not only by the resolver's schema: whatever calls this posts the text to Jira as the agent.
  const impact = parseImpact(action.impact);
  const kind = requestedCommsKind(template.id, action.seen);
  const token = randomUUID();
  const taken = (r: IncidentRecord) => {
    const write = commentWrite(r, invocation.id, kind);
    if (!write) return undefined;
    if (write.id) return write;
    return write.claim && deps.clock.now() - write.claim.at < CLAIM_TTL_MS && write.claim.token !== token ? write : undefined;
  };
  // Taking over an abandoned claim (its request died, or Jira's answer was lost): that update may have been
  // posted, so its marker is looked for before posting again.
  let takeover = false;
  const claimed = await saveWithRetry(record.issueId, record, deps, (cur) => {
    const other = taken(cur);
    takeover = commentWrite(cur, invocation.id, kind)?.claim !== undefined;
    if (other) throw conflict(`"${template.name}" update ${parseCommentKind(kind)?.kind === 'comms' ? action.seen + 1 : ''} was just posted by ${other.claim?.by ?? other.by ?? 'someone else'}. Check the issue's comments before posting another.`, 'templateId');
    return withCommentWrite(cur, invocation.id, kind, { claim: { token, at: deps.clock.now(), by: actor.displayName ?? actor.accountId } });
  });
  const now = deps.clock.now();
  const cadence = settings.commsCadence ?? DEFAULT_COMMS_CADENCE;
  // This update restarts the cadence: the next one is due a cadence from now.
  const filled = composeUpdate(template, {
    service: invocation.service.name,
    // Validated (parseImpact above); composeUpdate fills {{impact}} or appends it, and never drops it.
    impact: impact ?? '',
    startTime: invocation.startedAt,
    nextUpdate: now + cadence[invocation.service.tier] * 60_000,
    incidentKey: invocation.issueKey,
    rtoDueAt: invocation.rtoDueAt,
    timeZone: settings.siteTimeZone ?? 'UTC',
  });
  const marker = { key: COMMENT_MARKER_KEY, value: { invocationId: invocation.id, kind } };
  let commentId: string;
  try {
    commentId = await postOnce(record.issueId, commsComment(template.name, filled.text, invocation.isDrill === true), marker, deps.jira, takeover, () => undefined, { internal: action.audience === 'internal', asUser: true });
  } catch (error) {
    // An ambiguous failure keeps the claim (the comment may exist; the claim expires on its own, and
    // whoever takes it over looks for the comment first), and says so.
    if (error instanceof ContinuityError && error.code === 'UPSTREAM_UNAVAILABLE') {
      throw new ContinuityError('UPSTREAM_UNAVAILABLE', `Jira did not confirm the update "${template.name}": it may have been posted. Check the issue's comments before posting it again.`, 'templateId');
    }
    // Jira refused: give the number back so the agent can post again at once.
    await saveWithRetry(record.issueId, claimed, deps, (cur) => (commentWrite(cur, invocation.id, kind)?.claim?.token === token ? withCommentWrite(cur, invocation.id, kind, undefined) : null)).catch(() => undefined);
    throw error;
  }
  const what = action.audience === 'public' ? 'a public update' : 'an internal update';
  return saveWithRetry(record.issueId, claimed, deps, (cur) => {
    const at = deps.clock.now();
    const posted = recordPersonComment(cur, invocation.id, kind, commentId, `Posted ${what}: "${template.name}".`, actor, at, action.audience);
    return recordUpdate(posted, { at, commentId, by: actor.displayName ?? actor.accountId, source: 'panel' });
  });
}
