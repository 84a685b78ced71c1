/**
 * The sections of a continuity plan page: the headings the template writes, and the wordings under
 * which the parser and the app's edits still recognise them after people rename them. Names are
 * compared as page-text.headingName reads them (lower case, no emoji, punctuation or numbering).
 */

export const PLAN_SECTIONS = {
  scope: 'Scope and services',
  objectives: 'Objectives',
  roles: 'Roles and contacts',
  steps: 'Recovery steps',
  comms: 'Communication plan',
  vendors: 'Vendors and dependencies',
  reviews: 'Review history',
} as const;

/**
 * "Recovery steps", "Recovery Steps (v2)", "Steps to recover", "Recovery procedure", "Runbook", "Steps".
 * Not "Recovery" or "Recovery plan" alone: those usually title the whole page.
 */
export function isStepsHeading(name: string): boolean {
  return (
    /\brecovery (steps?|procedures?|tasks?|actions?|runbook|checklist|process)\b/u.test(name) ||
    /\bsteps (to|for) (recover|recovery|restore|restoring|recovering)\b/u.test(name) ||
    /^(steps|runbook|procedure|recovery runbook)$/u.test(name)
  );
}

/** "Communication plan", "Communications", "Comms", "Message templates", "Stakeholder updates". */
export function isCommsHeading(name: string): boolean {
  return (
    /\bcomm(unication)?s?( plan)?\b/u.test(name) ||
    /\bmessage templates?\b/u.test(name) ||
    /\bstakeholder (updates?|communications?|messages?)\b/u.test(name)
  );
}

/** "Review history", "Revision history", "Change log", "Document history", "Version history". */
export function isReviewHeading(name: string): boolean {
  return /\b(review|revision|change|document|version|edit) (history|log)\b/u.test(name) || /^(changelog|reviews|history)$/u.test(name);
}
