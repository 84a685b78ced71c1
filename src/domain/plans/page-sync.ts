/**
 * Reading a plan page back into its plan, idempotently by page version. Pure.
 *
 * Page events arrive at least once and in any order, and carry no body: the app reads the page as it
 * is now and applies what it read only when that version is newer than the one it last read. So a
 * duplicate event, an event for an older version, or an event that arrives after the app already read
 * a newer version change nothing.
 *
 * A page whose steps cannot be read (the section was deleted, emptied or turned into something the
 * reader does not know) keeps the plan's last good steps: an incident at 3 a.m. gets the steps that
 * last made sense, and the plan is flagged "no readable recovery steps since version N, edited by X"
 * until a version reads again. Templates follow the page whenever it has a communication section.
 */
import type { CommsTemplate, ContinuityPlan, RecoveryStep, StepsProblem } from '../catalogue';
import { parsePlanPage, type PlanParseResult } from '../pages/plan-parse';

/** A page as read from Confluence (`atlas_doc_format`, parsed). */
export interface PageRead {
  version: number;
  /** Account id of whoever saved this version. */
  editedBy?: string;
  editedAt?: number;
  /** The page's web address, when the read gave one. */
  url?: string;
  body: unknown;
}

export type ReadBackOutcome =
  /** The plan already reflects this version or a newer one: nothing changed. */
  | { kind: 'already-read'; plan: ContinuityPlan }
  /** Steps (and templates, when the page has the section) read from the page. */
  | { kind: 'read'; plan: ContinuityPlan; stepsChanged: boolean; templatesChanged: boolean }
  /** The steps could not be read: the last good steps are kept and the plan is flagged. */
  | { kind: 'steps-unreadable'; plan: ContinuityPlan; problem: StepsProblem; templatesChanged: boolean };

/** Problems kept on the plan (the reader's list is for the owner; the first ones say most). */
export const MAX_PAGE_PROBLEMS = 20;

const stepOf = (s: RecoveryStep): RecoveryStep => ({ id: s.id, title: s.title, role: s.role, expectedMinutes: s.expectedMinutes });

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Whether a read of `version` would change anything on a plan that last read `plan.pageVersion`. A
 * version the plan read of another page (it was bound to a different page since) does not count.
 */
export function isNewer(plan: Pick<ContinuityPlan, 'pageVersion' | 'pageId' | 'lastEdit'>, version: number): boolean {
  if (plan.lastEdit?.pageId !== undefined && plan.lastEdit.pageId !== plan.pageId) return true;
  return plan.pageVersion === undefined || version > plan.pageVersion;
}

/**
 * The plan after reading `page`, or the same plan object when the page is not newer than what the
 * plan last read. `parsed` may be given when the caller parsed the body already.
 */
export function readBack(plan: ContinuityPlan, page: PageRead, parsed: PlanParseResult = parsePlanPage(page.body)): ReadBackOutcome {
  if (!isNewer(plan, page.version)) return { kind: 'already-read', plan };
  const comms: CommsTemplate[] = parsed.commsSectionFound ? parsed.comms : plan.commsTemplates;
  const templatesChanged = !sameJson(comms, plan.commsTemplates);
  const base: ContinuityPlan = {
    ...plan,
    ...(page.url ? { pageUrl: page.url } : {}),
    commsTemplates: comms,
    pageVersion: page.version,
    lastEdit: { version: page.version, pageId: plan.pageId, ...(page.editedBy ? { by: page.editedBy } : {}), ...(page.editedAt !== undefined ? { at: page.editedAt } : {}) },
    pageProblems: parsed.problems.slice(0, MAX_PAGE_PROBLEMS),
  };
  if (parsed.readable) {
    const steps = parsed.steps.map(stepOf);
    const { stepsProblem: _cleared, ...rest } = base;
    return { kind: 'read', plan: { ...rest, steps }, stepsChanged: !sameJson(steps, plan.steps), templatesChanged };
  }
  // A problem already open stays dated from its first version: "since version N" is when the steps were lost
  // (a problem of another page the plan was bound to before does not).
  const sameProblem = plan.stepsProblem && (plan.lastEdit?.pageId === undefined || plan.lastEdit.pageId === plan.pageId) ? plan.stepsProblem : undefined;
  const problem: StepsProblem = sameProblem ?? { sinceVersion: page.version, ...(page.editedBy ? { editedBy: page.editedBy } : {}), reason: parsed.reason };
  return { kind: 'steps-unreadable', plan: { ...base, stepsProblem: problem }, problem, templatesChanged };
}

/**
 * The flag in words, as the registry and the incident panel show it. `name` turns the editor's account
 * id into a name (the account id itself when it cannot).
 */
export function stepsProblemText(problem: StepsProblem, name: (accountId: string) => string | undefined = () => undefined): string {
  const who = problem.editedBy ? (name(problem.editedBy) ?? problem.editedByName ?? problem.editedBy) : undefined;
  return `The plan page has had no readable recovery steps since version ${problem.sinceVersion}${who ? `, edited by ${who}` : ''}. Incidents get the last readable steps.`;
}
