/**
 * Scheduled trigger (daily) for plan pages: first the pages that changed without the app hearing of it
 * (a lost event, Confluence disconnected at the time) are read back, then each overdue plan gets one
 * review reminder per overdue period.
 */
import { sendReviewReminders } from '../../services/plans/reminders';
import { resyncPlanPages } from '../../services/plans/resync';
import { appDeps } from '../deps';

export async function onPlanPagesDaily(): Promise<{ statusCode: number; body: string }> {
  const deps = appDeps();
  const resync = await resyncPlanPages(deps);
  const reminders = await sendReviewReminders(deps);
  console.log(
    `Plan pages: ${resync.checked} checked, ${resync.read} read back, ${resync.failed} failed; reminders: ${reminders.overdue} overdue, ${reminders.posted} posted, ${reminders.alreadyReminded} already reminded, ${reminders.failed.length} failed${reminders.confluence === 'not-connected' ? ' (Confluence not connected)' : ''}`,
  );
  return { statusCode: 200, body: JSON.stringify({ resync, reminders }) };
}
