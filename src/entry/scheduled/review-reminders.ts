/** Scheduled trigger (daily): one review reminder per overdue period on each overdue plan's page. */
import { sendReviewReminders } from '../../services/plans/reminders';
import { appDeps } from '../deps';

export async function onReviewReminders(): Promise<{ statusCode: number; body: string }> {
  const run = await sendReviewReminders(appDeps());
  console.log(`Review reminders: ${run.overdue} overdue, ${run.posted} posted, ${run.alreadyReminded} already reminded, ${run.failed.length} failed${run.confluence === 'not-connected' ? ' (Confluence not connected)' : ''}${run.stoppedEarly ? ', stopped early (time)' : ''}`);
  return { statusCode: 200, body: JSON.stringify(run) };
}
