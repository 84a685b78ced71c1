/**
 * Every RTO clock state on demand: puts the demo's P1 (OPS-1) at a given percentage of its RTO by
 * setting the workbench clock relative to the incident's created time, then runs the RTO watch once,
 * as its five-minute schedule would. 80 % shows the amber countdown and the 75 % warning comment;
 * 110 % shows the breach.
 */
import type { Workbench } from '../workbench';
import { APP_USER } from '../products/users';
import type { ProductRequest } from '../products/types';
import { DEMO_SERVICES } from './plans';

export const DEMO_ISSUE = 'OPS-1';
export const RTO_WATCH = 'continuity-rto-watch';

export class DemoControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'DemoControlError';
    this.status = status;
  }
}

export interface RtoDemoResult {
  issueKey: string;
  percent: number;
  createdAt: string;
  rtoDueAt: string;
  now: string;
  watch: unknown;
}

function asApp(p: string): ProductRequest {
  const url = new URL(p, 'http://workbench.local');
  return { method: 'GET', path: url.pathname, query: url.searchParams, headers: {}, body: undefined, principal: { kind: 'user', accountId: APP_USER.accountId } };
}

/** The RTO span of the incident: from the app's issue property when it has one, else the demo's Payments RTO. */
function rtoDueAt(created: number, property: unknown): number {
  const p = (property ?? {}) as { nextRtoDueAt?: unknown; invocations?: Array<{ rtoDueAt?: unknown }> };
  for (const due of [p.nextRtoDueAt, p.invocations?.[0]?.rtoDueAt]) {
    const at = typeof due === 'string' ? Date.parse(due) : NaN;
    if (!Number.isNaN(at) && at > created) return at;
  }
  const payments = DEMO_SERVICES.find((d) => d.service.name === 'Payments') ?? DEMO_SERVICES[0];
  return created + payments.service.rtoMinutes * 60_000;
}

export async function setRtoPercent(wb: Workbench, percent: number, issueKey = DEMO_ISSUE): Promise<RtoDemoResult> {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 1000) {
    throw new DemoControlError(400, `The percentage of the RTO must be a number from 0 to 1000, got ${JSON.stringify(percent)}`);
  }
  await wb.idle();
  const got = await wb.jira.handle(asApp(`/rest/api/3/issue/${encodeURIComponent(issueKey)}?fields=created&properties=service-continuity`));
  if (got.status !== 200) throw new DemoControlError(409, `${issueKey} is not on this site: reset to the demo first (npm run workbench -- reset).`);
  const issue = got.body as { fields: { created?: string }; properties?: Record<string, unknown> };
  const created = Date.parse(String(issue.fields.created ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isNaN(created)) throw new DemoControlError(500, `${issueKey} has no readable created time (${String(issue.fields.created)})`);
  const due = rtoDueAt(created, issue.properties?.['service-continuity']);
  wb.clock.set(Math.round(created + ((due - created) * percent) / 100));
  const watch = (await wb.runtime.invokeScheduled(RTO_WATCH)) ?? null;
  await wb.idle();
  return { issueKey, percent, createdAt: new Date(created).toISOString(), rtoDueAt: new Date(due).toISOString(), now: new Date(wb.clock.now()).toISOString(), watch };
}
