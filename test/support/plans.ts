/** Plan-page helpers for integration and browser tests: resolvers on a page, people editing pages through REST. */
import { KvsCatalogueStore } from '../../src/adapters/kvs-catalogue';
import { PLAN_PAGE_MODULES } from '../../src/contract/plans';
import type { ContinuityPlan, Service } from '../../src/domain/catalogue';
import { saveCatalogue } from '../../src/services/catalogue';
import { DEFAULT_USER, USERS } from '../../workbench/products/users';
import type { Workbench } from '../../workbench/workbench';
import { call } from './workbench';

export const ALEX = DEFAULT_USER;
export const CASEY = USERS.find((u) => u.displayName === 'Casey Continuity')!;

export type Answer<T = any> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } };

/** A resolver of the plan-page modules, as a module on page `pageId` calls it (the macro unless told). */
export async function onPage<T = any>(wb: Workbench, functionKey: string, payload: unknown, options: { pageId?: string; accountId?: string; moduleKey?: string } = {}): Promise<Answer<T>> {
  const moduleKey = options.moduleKey ?? PLAN_PAGE_MODULES.macro;
  const type = wb.manifest.uiModules.find((m) => m.key === moduleKey)!.type;
  const page = options.pageId ? wb.confluence.page(options.pageId) : undefined;
  const extension = page ? { type, content: { id: page.id, type: 'page' }, space: { id: page.spaceId, key: page.spaceKey } } : { type };
  const accountId = options.accountId ?? ALEX.accountId;
  return (await wb.runtime.invokeResolver(moduleKey, { functionKey, payload }, { extension, moduleKey, siteUrl: wb.siteUrl, cloudId: 'workbench' }, accountId)) as Answer<T>;
}

export async function ok<T = any>(answer: Promise<Answer<T>>): Promise<T> {
  const a = await answer;
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a.data;
}

/** Settings saved through the settings page (a Jira admin). */
export async function saveSettings(wb: Workbench, change: Record<string, unknown>): Promise<void> {
  const loaded = (await wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/load' }, { extension: { type: 'jira:adminPage' } }, ALEX.accountId)) as Answer;
  if (!loaded.ok) throw new Error(loaded.error.message);
  const saved = (await wb.runtime.invokeResolver('continuity-settings', { functionKey: 'settings/save', payload: { settings: { ...loaded.data.settings, ...change } } }, { extension: { type: 'jira:adminPage' } }, ALEX.accountId)) as Answer;
  if (!saved.ok) throw new Error(saved.error.message);
}

export async function addServices(services: Service[]): Promise<void> {
  await saveCatalogue({ services }, new KvsCatalogueStore());
}

export async function addPlans(plans: ContinuityPlan[]): Promise<void> {
  await saveCatalogue({ plans }, new KvsCatalogueStore());
}

export async function planById(id: string): Promise<ContinuityPlan | undefined> {
  return new KvsCatalogueStore().getPlan(id);
}

/** The live plan of the service with this name (the demo's ids are made by the Service continuity page). */
export async function planOfServiceNamed(name: string): Promise<ContinuityPlan | undefined> {
  const service = await new KvsCatalogueStore().serviceByName(name);
  return service && planOfService(service.id);
}

export async function planOfService(serviceId: string): Promise<ContinuityPlan | undefined> {
  return (await new KvsCatalogueStore().plansForService(serviceId)).find((p) => p.status !== 'retired');
}

/** The page's body as the app would read it (ADF). */
export function pageAdf(wb: Workbench, pageId: string): any {
  const page = wb.confluence.page(pageId)!;
  return JSON.parse(page.adf ?? '{}');
}

/** A person saves a new version of the page through Confluence's REST API (the page event is theirs). */
export async function editPage(wb: Workbench, pageId: string, change: (doc: any) => any, accountId = CASEY.accountId, wait = true): Promise<number> {
  const got = await call(wb, 'confluence', 'GET', `/wiki/api/v2/pages/${pageId}?body-format=atlas_doc_format`, undefined, accountId);
  const page = got.body as { title: string; version: { number: number }; body: { atlas_doc_format: { value: string } } };
  const doc = change(JSON.parse(page.body.atlas_doc_format.value));
  const put = await call(wb, 'confluence', 'PUT', `/wiki/api/v2/pages/${pageId}`, { id: pageId, status: 'current', title: page.title, version: { number: page.version.number + 1 }, body: { representation: 'atlas_doc_format', value: JSON.stringify(doc) } }, accountId);
  if (put.status !== 200) throw new Error(`edit refused: ${put.status} ${JSON.stringify(put.body)}`);
  if (wait) await wb.idle();
  return page.version.number + 1;
}

const cell = (text: string) => ({ type: 'tableCell', content: [{ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] }] });

function stepsTableIndex(doc: any): number {
  const heading = doc.content.findIndex((n: any) => n.type === 'heading' && (n.content ?? []).some((t: any) => t.text === 'Recovery steps'));
  return doc.content.findIndex((n: any, i: number) => i > heading && n.type === 'table');
}

/** A change to the page: the steps table's rows become `rows` (# | Step | Role | Expected duration). */
export const withSteps = (rows: string[][]) => (doc: any) => {
  const table = doc.content[stepsTableIndex(doc)];
  table.content = [table.content[0], ...rows.map((row) => ({ type: 'tableRow', content: row.map(cell) }))];
  return doc;
};

/** A change to the page: the Recovery steps heading and its table are deleted. */
export const withoutSteps = (doc: any) => {
  const heading = doc.content.findIndex((n: any) => n.type === 'heading' && (n.content ?? []).some((t: any) => t.text === 'Recovery steps'));
  doc.content.splice(heading, stepsTableIndex(doc) - heading + 1);
  return doc;
};

/** A P1 incident (Highest) created through Jira's REST API as Alex, with labels or affected services. */
export async function raiseP1(wb: Workbench, fields: { summary: string; labels?: string[]; services?: string[]; security?: string; issueType?: string }) {
  const ids = wb.jira.fieldIds();
  const body: Record<string, unknown> = { project: { key: 'OPS' }, issuetype: { name: fields.issueType ?? 'Incident' }, summary: fields.summary, priority: { id: '1' } };
  if (fields.labels) body.labels = fields.labels;
  if (fields.services) body[ids.affectedServices] = fields.services.map((name) => ({ id: wb.jira.services().find((s) => s.name === name)!.id }));
  if (fields.security) body.security = { id: fields.security };
  const res = await call(wb, 'jira', 'POST', '/rest/api/3/issue', { fields: body });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  await wb.idle();
  return res.body as { id: string; key: string };
}
