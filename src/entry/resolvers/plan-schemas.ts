/** Input schemas of the plan resolvers, typed against the plans contract so the two cannot drift. */
import { z } from 'zod';
import type { AdoptInput, CreatePageInput, PublishAllInput, SetStatusInput } from '../../contract/plans';
import { PLAN_STATUSES } from '../../domain/plans/lifecycle';

const id = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, `${what} is required.`).max(200, `${what} is too long.`);
const status = (what: string) => z.enum(PLAN_STATUSES as ['draft', 'in-review', 'approved', 'retired'], { error: `${what} must be draft, in-review, approved or retired.` });

export const createPageInput: z.ZodType<CreatePageInput, unknown> = z.object({ serviceId: id('The service') });
export const adoptInput: z.ZodType<AdoptInput, unknown> = z.object({
  serviceId: id('The service'),
  pageUrl: z.string({ error: 'Paste the link of the Confluence page.' }).trim().min(1, 'Paste the link of the Confluence page.').max(2_000, 'The link is too long.'),
});
export const setStatusInput: z.ZodType<SetStatusInput, unknown> = z.object({ planId: id('The plan'), status: status('The status'), expected: status('The expected status').optional() });
export const planIdInput: z.ZodType<{ planId: string }, unknown> = z.object({ planId: id('The plan') });
export const publishAllInput: z.ZodType<PublishAllInput, unknown> = z.object({ serviceIds: z.array(id('A service'), { error: 'Services must be a list.' }).max(5_000, 'At most 5,000 services at a time.').optional() });
export const progressInput: z.ZodType<{ jobId?: string }, unknown> = z.object({ jobId: id('The job').optional() });
export const pageServiceInput: z.ZodType<{ serviceId: string }, unknown> = z.object({ serviceId: id('The service') });
