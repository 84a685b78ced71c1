/**
 * The issue context: the incident's compact state for the right-hand column of the issue view (plan,
 * countdown, progress, next update), and the status Jira shows beside its label while it is collapsed.
 * Both only read: the compact view is the panel's view without the permission check (it offers no
 * actions), so it costs no Jira call; the status costs one storage read.
 */
import type { CompactInvocation, ContextStatusProperties, IssueContextView } from '../contract/issue-context';
import type { PanelView } from '../contract/issue-panel';
import type { IncidentRecord } from '../domain/incident-record';
import { rtoClockState } from '../domain/rto';
import type { AppDeps } from '../ports';
import { panelView, type IssueRef, type PanelDeps } from './issue-panel';

export async function loadIssueContext(issue: IssueRef, deps: PanelDeps): Promise<IssueContextView> {
  const context = await deps.store.incidentContext(issue.id);
  const view = await panelView(issue, context.record, context.settings, { browse: true, edit: false, comment: false }, deps);
  if (!context.record) return { serverTime: view.serverTime, version: 0, status: 'not-linked', reason: 'No continuity plan runs on this incident.', invocations: [] };
  return compact(view);
}

function compact(view: PanelView): IssueContextView {
  const invocations: CompactInvocation[] = view.invocations.map((inv) => ({
    id: inv.id,
    state: inv.state,
    plan: { title: inv.plan.title, url: inv.plan.url },
    serviceName: inv.service.name,
    startedAt: inv.startedAt,
    ownRtoMinutes: inv.ownRtoMinutes,
    ownRtoDueAt: inv.ownRtoDueAt,
    rtoMinutes: inv.rtoMinutes,
    rtoDueAt: inv.rtoDueAt,
    ...(inv.limitedBy ? { limitedBy: inv.limitedBy } : {}),
    progress: { total: inv.progress.total, done: inv.progress.done, skipped: inv.progress.skipped, percent: inv.progress.percent },
    ...(inv.nextUpdate ? { nextUpdate: inv.nextUpdate } : {}),
    ...(inv.recovery ? { recovery: { achievedMinutes: inv.recovery.achievedMinutes, rtoMet: inv.recovery.rtoMet, ownRtoMet: inv.recovery.ownRtoMet } } : {}),
  }));
  return { serverTime: view.serverTime, version: view.version, status: view.status, ...(view.reason ? { reason: view.reason } : {}), invocations };
}

/** The collapsed issue context's status: one storage read. */
export async function contextStatus(issueId: string, deps: Pick<AppDeps, 'store' | 'clock'>): Promise<ContextStatusProperties> {
  const record = (await deps.store.incidentContext(issueId)).record;
  return statusFor(record, deps.clock.now());
}

const MINUTE = 60_000;

/** "45 min", "3 h 05 min": what is left on a clock, to the minute (the badge is not refreshed every second). */
function left(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * The most urgent open plan's committed (own) RTO clock: neutral while it runs, amber in its last
 * quarter, red once breached; green once every plan recovered within its RTO. Nothing when no plan runs.
 */
export function statusFor(record: IncidentRecord | undefined, now: number): ContextStatusProperties {
  const invocations = record?.invocations ?? [];
  if (invocations.length === 0) return {};
  const open = invocations.filter((i) => i.state === 'open');
  if (open.length > 0) {
    const due = (i: (typeof open)[number]) => i.startedAt + i.ownRtoMinutes * MINUTE;
    const urgent = [...open].sort((a, b) => due(a) - due(b))[0]!;
    const state = rtoClockState(urgent.startedAt, due(urgent), now);
    if (state === 'breached') return { status: { type: 'lozenge', value: { label: 'RTO breached', type: 'removed' } } };
    return { status: { type: 'lozenge', value: { label: `RTO ${left(due(urgent) - now)} left`, type: state === 'warning' ? 'moved' : 'inprogress' } } };
  }
  const recovered = invocations.filter((i) => i.state === 'recovered');
  if (recovered.length === 0) return { status: { type: 'lozenge', value: { label: 'Stood down', type: 'default' } } };
  const met = recovered.every((i) => i.rtoMet === true);
  return { status: { type: 'lozenge', value: { label: met ? 'Recovered' : 'Recovered, RTO missed', type: met ? 'success' : 'removed' } } };
}
