/**
 * Resolvers of the Service continuity page (`jira:globalPage`). Every payload is parsed with zod and
 * refused with a typed error naming the field; the user is the context's accountId, never the
 * payload's; changes check the Service Continuity Manager role server-side (services/roles.ts).
 */
import Resolver from '@forge/resolver';
import { definePlanResolvers } from './plans';
import { z } from 'zod';
import {
  CONSOLE,
  type CsvInput,
  type JsmDirectoryInput,
  type PlanListInput,
  type PlanRefInput,
  type SavePlanInput,
  type SaveServiceInput,
  type ServiceQuery,
  type ServiceRefInput,
  type ServiceSearchInput,
  type UserSearchInput,
} from '../../contract/console';
import { invalidInput } from '../../domain/errors';
import { personText } from '../../domain/text';
import { exportCsv, importCsv, previewCsv } from '../../services/catalogue-csv';
import { deleteService, restoreService, retireService, saveService } from '../../services/catalogue-edit';
import { jsmDirectoryView, learnJsmServices } from '../../services/catalogue-jsm';
import { planDetail, planRegistry, savePlan } from '../../services/catalogue-plans';
import { listServices, loadConsole, searchPeople, searchServices, serviceDetail } from '../../services/catalogue-views';
import { appDeps } from '../deps';
import { toResolverResult } from './common';
import { LOOP_CONSOLE } from '../../contract/loop';
import { loopConsole } from './loop';
import { defineMeasure } from './measure';
import { parseInput } from './schemas';

const id = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, { error: `${what} is required.` }).max(200, { error: `${what} is too long.` });
const updatedAt = z.number({ error: 'The time the form was loaded must be a number.' }).int().nonnegative().optional();
const cursor = z.string({ error: 'The page cursor must be text.' }).max(2_000, { error: 'The page cursor is too long.' }).optional();

const serviceQuery: z.ZodType<ServiceQuery, unknown> = z.object({
  view: z.enum(['active', 'no-approved-plan', 'retired'], { error: 'The view must be active, no-approved-plan or retired.' }).default('active'),
  sort: z.enum(['name', 'tier', 'rto'], { error: 'Sort by name, tier or RTO.' }).default('name'),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'The tier filter must be 1, 2 or 3.' }).optional(),
  search: personText('The search', 0, 120)
    .optional()
    .transform((s) => (s === '' ? undefined : s)),
  cursor,
});

const saveServiceInput: z.ZodType<SaveServiceInput, unknown> = z.object({
  id: id('The service').optional(),
  expectedUpdatedAt: updatedAt,
  // The service's own fields are checked by the domain's schema (domain/service-input.ts), field by field.
  service: z.custom<SaveServiceInput['service']>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { error: 'A service must be an object.' }),
});

const serviceRef: z.ZodType<ServiceRefInput, unknown> = z.object({ id: id('The service'), expectedUpdatedAt: updatedAt });
const serviceSearch: z.ZodType<ServiceSearchInput, unknown> = z.object({ prefix: personText('The search', 0, 120).default('') });
const userSearch: z.ZodType<UserSearchInput, unknown> = z.object({ query: personText('The name or email to search for', 1, 100) });
const csvInput: z.ZodType<CsvInput, unknown> = z.object({ csv: z.string({ error: 'Choose a CSV file to import.' }) });
const planList: z.ZodType<PlanListInput, unknown> = z.object({ cursor });
const jsmDirectoryInput: z.ZodType<JsmDirectoryInput, unknown> = z.object({ mappings: z.boolean({ error: 'Mappings must be true or false.' }).optional() });
const planRef: z.ZodType<PlanRefInput, unknown> = z.object({ id: id('The plan') });
const savePlanInput: z.ZodType<SavePlanInput, unknown> = z.object({
  id: id('The plan').optional(),
  expectedUpdatedAt: updatedAt,
  plan: z.custom<SavePlanInput['plan']>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { error: 'A plan must be an object.' }),
});

interface ConsoleContext {
  accountId?: string;
  siteUrl?: string;
}

function actorOf(context: ConsoleContext): string {
  if (!context?.accountId) throw invalidInput('Changing the catalogue needs a signed-in user.', 'context.accountId');
  return context.accountId;
}

const resolver = new Resolver();
const define = (key: string, run: (payload: unknown, context: ConsoleContext) => Promise<unknown>) =>
  resolver.define(key, ({ payload, context }) => toResolverResult(() => run(payload, context as ConsoleContext)));

// The plan pages (contract/plans.ts): a new page, adopting one, the lifecycle, reviews, problems, bulk
// publishing and whether Confluence is connected.
definePlanResolvers(resolver);

define(CONSOLE.load, () => loadConsole(appDeps()));
define(CONSOLE.listServices, (p) => listServices(parseInput(serviceQuery, p), appDeps()));
define(CONSOLE.getService, (p) => serviceDetail(parseInput(serviceRef, p).id, appDeps()));
define(CONSOLE.searchServices, async (p) => ({ services: await searchServices(parseInput(serviceSearch, p).prefix, appDeps()) }));
define(CONSOLE.saveService, (p, c) => saveService(parseInput(saveServiceInput, p), actorOf(c), appDeps()));
define(CONSOLE.retireService, (p, c) => retireService(parseInput(serviceRef, p), actorOf(c), appDeps()));
define(CONSOLE.restoreService, (p, c) => restoreService(parseInput(serviceRef, p), actorOf(c), appDeps()));
define(CONSOLE.deleteService, (p) => deleteService(parseInput(serviceRef, p), appDeps()));
define(CONSOLE.searchUsers, async (p) => ({ users: await searchPeople(parseInput(userSearch, p).query, appDeps()) }));
define(CONSOLE.jsmDirectory, (p) => jsmDirectoryView(appDeps(), undefined, parseInput(jsmDirectoryInput, p)));
define(CONSOLE.learnJsm, () => learnJsmServices(appDeps()));
define(CONSOLE.previewCsv, (p, c) => previewCsv(parseInput(csvInput, p), actorOf(c), appDeps()));
define(CONSOLE.importCsv, (p, c) => importCsv(parseInput(csvInput, p), actorOf(c), appDeps()));
define(CONSOLE.exportCsv, () => exportCsv(appDeps()));
define(CONSOLE.listPlans, (p) => planRegistry(parseInput(planList, p).cursor, appDeps()));
define(CONSOLE.getPlan, (p) => planDetail(parseInput(planRef, p).id, appDeps()));
define(CONSOLE.savePlan, (p, c) => savePlan(parseInput(savePlanInput, p), actorOf(c), c?.siteUrl, appDeps()));
// BIA and risks, indicators, the practice review and the configuration check.
defineMeasure(define);

// Drills and findings (contract/loop.ts).
define(LOOP_CONSOLE.listDrills, (p) => loopConsole.listDrills(p));
define(LOOP_CONSOLE.scheduleDrill, (p, c) => loopConsole.scheduleDrill(p, c));
define(LOOP_CONSOLE.runDrill, (p, c) => loopConsole.runDrill(p, c));
define(LOOP_CONSOLE.cancelDrill, (p, c) => loopConsole.cancelDrill(p, c));
define(LOOP_CONSOLE.completeDrill, (p, c) => loopConsole.completeDrill(p, c));
define(LOOP_CONSOLE.markFindingsHandled, (p, c) => loopConsole.markFindingsHandled(p, c));

export const consoleResolver = resolver.getDefinitions();
