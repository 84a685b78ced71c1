/**
 * The JSM services the catalogue maps to. Reading the site's incidents (as the signed-in manager, a
 * bounded number of pages, newest first) gives the Affected services ids exactly as incidents carry
 * them; when the site has Assets the user may read, its service objects are added (untested against a
 * real site: the workbench has no Assets). The directory is stored, so the service form offers it
 * without reading Jira again, and the mapping view says which mapped ids no incident carries.
 */
import type { JsmDirectoryView } from '../contract/console';
import { ContinuityError } from '../domain/errors';
import { affectedServicesJql, mergeDirectory, servicesSeen } from '../domain/jsm-services';
import type { JsmDirectory } from '../ports';
import { loadCatalogue } from './catalogue';
import type { ConsoleDeps } from './catalogue-views';
import { requireManager } from './roles';

/** 5 pages of 100 incidents, newest first: enough to meet every service in use, cheap to read. */
export const LEARN_PAGES = 5;
const ASSETS_MAX = 200;

/**
 * The directory with, for each JSM service, the catalogue services mapped to it and the mapped ids no
 * incident carries. Those need the whole catalogue (an administrator's view, opened on purpose);
 * `mappings: false` answers the directory alone, for the service form.
 */
export async function jsmDirectoryView(deps: ConsoleDeps, directory?: JsmDirectory, { mappings = true } = {}): Promise<JsmDirectoryView> {
  const [stored, context, catalogue] = await Promise.all([
    directory ? Promise.resolve(directory) : deps.catalogue.getJsmDirectory(),
    deps.store.incidentContext(),
    mappings ? loadCatalogue(deps.catalogue) : Promise.resolve({ services: [], plans: [] }),
  ]);
  const active = catalogue.services.filter((s) => s.status !== 'retired');
  const seen = new Set((stored?.services ?? []).map((s) => s.id));
  return {
    fieldFound: context.fields ? Boolean(context.fields.affectedServices) : true,
    ...(stored ? { learnedAt: stored.learnedAt, incidentsRead: stored.incidentsRead, bounded: stored.bounded } : {}),
    services: (stored?.services ?? []).map((entry) => ({
      id: entry.id,
      name: entry.name,
      source: entry.source,
      incidents: entry.incidents,
      ...(entry.lastSeenAt !== undefined ? { lastSeenAt: entry.lastSeenAt } : {}),
      mappedTo: active.filter((s) => s.jsmServiceIds.includes(entry.id)).map((s) => ({ id: s.id, name: s.name })),
    })),
    unseenMappings: active.flatMap((s) => s.jsmServiceIds.filter((id) => !seen.has(id)).map((jsmServiceId) => ({ serviceId: s.id, serviceName: s.name, jsmServiceId }))),
    assets: stored?.assets ?? { state: 'not-tried' },
  };
}

/** Reads the site's incidents (and Assets, when it can) for JSM services and stores what it found. */
export async function learnJsmServices(deps: ConsoleDeps): Promise<JsmDirectoryView> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, "read the site's JSM services for the catalogue", settings);
  const fields = await deps.jira.readFieldIds();
  await deps.store.putJiraFields(fields);
  const incidents: Array<{ created: number; value: unknown }> = [];
  let bounded = false;
  if (fields.affectedServices) {
    const jql = affectedServicesJql(fields.affectedServices, settings.projectKeys);
    let token: string | undefined;
    for (let page = 0; page < LEARN_PAGES; page += 1) {
      const got = await deps.jira.searchFieldValues(jql, fields.affectedServices, token);
      incidents.push(...got.issues);
      token = got.nextPageToken;
      if (!token) break;
      if (page === LEARN_PAGES - 1) bounded = true;
    }
  }
  let assets: JsmDirectory['assets'];
  let assetServices: Array<{ id: string; name: string }> = [];
  try {
    const read = await deps.jira.assetsServices(ASSETS_MAX);
    if (read.state === 'read') {
      assetServices = read.services;
      assets = { state: 'read', count: read.services.length };
    } else assets = { state: 'unavailable', reason: read.reason };
  } catch (error) {
    // Assets is a bonus: a failure there must not lose what the incidents taught.
    if (!(error instanceof ContinuityError)) throw error;
    assets = { state: 'unavailable', reason: error.message };
  }
  const previous = await deps.catalogue.getJsmDirectory();
  const directory: JsmDirectory = {
    learnedAt: deps.clock.now(),
    incidentsRead: incidents.length,
    bounded,
    services: mergeDirectory(previous, servicesSeen(incidents), assetServices),
    assets,
  };
  await deps.catalogue.putJsmDirectory(directory);
  return jsmDirectoryView(deps, directory);
}
