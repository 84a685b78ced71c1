/**
 * "Check configuration": asks Jira and Confluence, as the app, whether what the settings name exists
 * and works, and says what it found in plain words, one finding per thing checked:
 *   - JSM's fields (Affected services, Major incident, Request type) are found on this site;
 *   - the projects and issue types that qualify incidents exist;
 *   - Confluence answers (it is an optional app of the installation);
 *   - the plans' space and parent page, and the space of the latest practice review, exist and the app
 *     may write there (GET /wiki/api/v2/pages/{id}/operations);
 *   - the drill project and issue type exist;
 *   - the Service Continuity Manager groups exist.
 * Each check stands alone: one that cannot be made (Jira rate limit, Confluence down) becomes a finding
 * saying so, never a failure of the whole check. Read-only; the Service Continuity Manager's.
 */
import type { ConfigCheckReport, ConfigFinding } from '../contract/measure';
import { ContinuityError } from '../domain/errors';
import type { ContinuitySettings } from '../domain/incident';
import { suggestedPeriods } from '../domain/review-period';
import type { ReviewDeps } from './review';
import { requireManager } from './roles';

/** Settings the check reads that drills will add; absent ones are "not set". */
export type CheckedSettings = ContinuitySettings & {
  drillProjectKey?: string;
  drillIssueTypeName?: string;
};

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

async function jsmFields(deps: ReviewDeps): Promise<ConfigFinding[]> {
  try {
    const ids = await deps.jira.readFieldIds();
    const field = (id: string | undefined, name: string, without: string): ConfigFinding =>
      id ? { area: 'jsm-fields', status: 'ok', message: `JSM's ${name} field was found (${id}).` } : { area: 'jsm-fields', status: 'warning', message: `JSM's ${name} field was not found on this site: ${without}`, fix: 'Check that Jira Service Management is installed and the field is on the incident screens.' };
    return [
      field(ids.affectedServices, 'Affected services', 'incidents are matched to services through components and labels only.'),
      field(ids.majorIncident, 'Major incident', 'only the priority qualifies an incident.'),
      field(ids.requestType, 'Request type', 'request types cannot be used to qualify incidents.'),
    ];
  } catch (error) {
    return [{ area: 'jsm-fields', status: 'problem', message: `Jira's fields could not be read: ${reason(error)}`, fix: 'Run the check again in a moment.' }];
  }
}

async function qualification(settings: CheckedSettings, deps: ReviewDeps): Promise<ConfigFinding[]> {
  const out: ConfigFinding[] = [];
  try {
    const [projects, types] = await Promise.all([deps.jira.listProjects(), deps.jira.listIssueTypeNames()]);
    const missingProjects = settings.projectKeys.filter((k) => !projects.some((p) => same(p.key, k)));
    out.push(
      settings.projectKeys.length === 0
        ? { area: 'qualification', status: 'ok', message: 'Incidents of every project qualify (no project is named).' }
        : missingProjects.length === 0
          ? { area: 'qualification', status: 'ok', message: `The projects that qualify incidents exist: ${settings.projectKeys.join(', ')}.` }
          : { area: 'qualification', status: 'problem', message: `No project with the key ${missingProjects.join(', ')} exists (or the app cannot see it): its incidents never qualify.`, fix: 'Correct the project keys in the settings.' },
    );
    const missingTypes = settings.issueTypeNames.filter((n) => !types.some((t) => same(t, n)));
    if (settings.issueTypeNames.length > 0) {
      out.push(
        missingTypes.length === 0
          ? { area: 'qualification', status: 'ok', message: `The issue types that qualify exist: ${settings.issueTypeNames.join(', ')}.` }
          : { area: 'qualification', status: 'problem', message: `No issue type is called ${missingTypes.join(', ')}: incidents of that type never qualify.`, fix: 'Correct the issue types in the settings.' },
      );
    }
  } catch (error) {
    out.push({ area: 'qualification', status: 'problem', message: `Jira's projects and issue types could not be read: ${reason(error)}`, fix: 'Run the check again in a moment.' });
  }
  return out;
}

interface Location {
  what: string;
  spaceKey: string;
  /** A page the app writes under, or the page it writes. */
  pageId?: string;
}

/** Confluence: connected, and each configured place exists and takes the app's writes. */
async function confluence(settings: CheckedSettings, deps: ReviewDeps): Promise<ConfigFinding[]> {
  const locations: Location[] = [];
  if (settings.planSpaceKey) locations.push({ what: 'Plan pages', spaceKey: settings.planSpaceKey, ...(settings.planParentPageId ? { pageId: settings.planParentPageId } : {}) });
  const reviews = await Promise.all(suggestedPeriods(deps.clock.now()).map((p) => deps.measure.getReview(p).catch(() => undefined)));
  const review = reviews.find((r) => r?.pageId) ?? reviews.find((r) => r);
  if (review) locations.push({ what: `The practice review ${review.period}`, spaceKey: review.spaceKey, ...(review.pageId ? { pageId: review.pageId } : review.parentId ? { pageId: review.parentId } : {}) });
  // The installation says whether Confluence is connected; when it cannot tell, the calls below do.
  const connection = deps.confluence.connection();
  if (connection === 'not-connected') {
    return [{ area: 'confluence', status: 'problem', message: 'Confluence is not connected to the app on this site: plan pages and the practice review cannot be written.', fix: 'A site administrator connects Confluence to the app in Atlassian Administration (Apps).' }];
  }
  if (locations.length === 0) {
    return [
      connection === 'connected'
        ? { area: 'confluence', status: 'ok', message: 'Confluence is connected to the app.' }
        : { area: 'confluence', status: 'not-set', message: 'No Confluence space is set for plan pages, and no practice review was published: the connection to Confluence was not tried.', fix: 'Set the plans\u2019 space in the settings.' },
      { area: 'spaces', status: 'not-set', message: 'No Confluence space is set for plan pages.', fix: 'Set the plans\u2019 space in the settings.' },
    ];
  }
  const out: ConfigFinding[] = [];
  let answered = false;
  let unreachable: string | undefined;
  for (const place of locations) {
    try {
      const space = await deps.confluence.spaceByKey(place.spaceKey);
      answered = true;
      if (!space) {
        out.push({ area: 'spaces', status: 'problem', message: `${place.what}: Confluence has no space with the key ${place.spaceKey} that the app can see.`, fix: 'Correct the space key, or give the app access to the space.' });
        continue;
      }
      if (!place.pageId) {
        out.push({ area: 'spaces', status: 'ok', message: `${place.what}: the space ${space.name} (${space.key}) exists.` });
        continue;
      }
      let page;
      try {
        page = await deps.confluence.getPage(place.pageId);
      } catch (error) {
        if (error instanceof ContinuityError && error.code === 'NOT_FOUND') {
          out.push({ area: 'spaces', status: 'problem', message: `${place.what}: the page ${place.pageId} does not exist (or the app cannot see it).`, fix: 'Choose another page, or give the app access to it.' });
          continue;
        }
        throw error;
      }
      const operations = await deps.confluence.pageOperations(page.id, 'app');
      const writable = operations.includes('update');
      const where = page.spaceId === space.id ? `the page "${page.title}" in ${space.name}` : `the page "${page.title}", which is not in ${space.name}`;
      out.push(
        writable && page.spaceId === space.id
          ? { area: 'spaces', status: 'ok', message: `${place.what}: ${where} exists and the app may write there.` }
          : writable
            ? { area: 'spaces', status: 'warning', message: `${place.what}: ${where}.`, fix: 'Choose a page in the configured space.' }
            : { area: 'spaces', status: 'problem', message: `${place.what}: the app may read ${where} but not write there.`, fix: 'Give the app permission to edit in the space.' },
      );
    } catch (error) {
      if (error instanceof ContinuityError && (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'CONFLUENCE_NOT_CONNECTED')) unreachable ??= reason(error);
      out.push({ area: 'spaces', status: 'problem', message: `${place.what}: could not be checked (${reason(error)}).`, fix: 'Run the check again in a moment.' });
    }
  }
  const connected: ConfigFinding = answered
    ? { area: 'confluence', status: 'ok', message: 'Confluence is connected: it answered the app.' }
    : { area: 'confluence', status: 'problem', message: `Confluence did not answer the app: ${unreachable ?? 'every call failed'}`, fix: 'Connect Confluence to the app in Atlassian Administration, or run the check again in a moment.' };
  return [connected, ...out];
}

async function drills(settings: CheckedSettings, deps: ReviewDeps): Promise<ConfigFinding[]> {
  if (!settings.drillProjectKey) return [{ area: 'drills', status: 'not-set', message: 'No drill project is set: drills cannot be run as incidents yet.', fix: 'Set the drill project and issue type in the settings.' }];
  try {
    const [projects, types] = await Promise.all([deps.jira.listProjects(), deps.jira.listIssueTypeNames()]);
    const project = projects.find((p) => same(p.key, settings.drillProjectKey!));
    const out: ConfigFinding[] = [
      project
        ? { area: 'drills', status: 'ok', message: `The drill project ${project.name} (${project.key}) exists.` }
        : { area: 'drills', status: 'problem', message: `No project with the key ${settings.drillProjectKey} exists (or the app cannot see it): drills cannot be raised.`, fix: 'Correct the drill project in the settings.' },
    ];
    if (settings.drillIssueTypeName) {
      out.push(
        types.some((t) => same(t, settings.drillIssueTypeName!))
          ? { area: 'drills', status: 'ok', message: `The drill issue type ${settings.drillIssueTypeName} exists.` }
          : { area: 'drills', status: 'problem', message: `No issue type is called ${settings.drillIssueTypeName}: drills cannot be raised.`, fix: 'Correct the drill issue type in the settings.' },
      );
    } else out.push({ area: 'drills', status: 'not-set', message: 'No drill issue type is set.', fix: 'Set the drill issue type in the settings.' });
    return out;
  } catch (error) {
    return [{ area: 'drills', status: 'problem', message: `Jira's projects could not be read: ${reason(error)}`, fix: 'Run the check again in a moment.' }];
  }
}

async function managers(settings: CheckedSettings, deps: ReviewDeps): Promise<ConfigFinding[]> {
  const groups = settings.managerGroups ?? [];
  if (groups.length === 0) return [{ area: 'managers', status: 'not-set', message: 'No Service Continuity Manager group is named: only Jira administrators can change the catalogue, BIAs, risks and plans.', fix: 'Name the group of your continuity managers in the settings.' }];
  return Promise.all(
    groups.map(async (group): Promise<ConfigFinding> => {
      try {
        return (await deps.jira.groupExists(group))
          ? { area: 'managers', status: 'ok', message: `The Service Continuity Manager group ${group} exists.` }
          : { area: 'managers', status: 'problem', message: `Jira has no group called ${group}: nobody is a Service Continuity Manager through it.`, fix: 'Correct the group name in the settings, or create the group in Jira.' };
      } catch (error) {
        return { area: 'managers', status: 'problem', message: `The group ${group} could not be checked: ${reason(error)}`, fix: 'Run the check again in a moment.' };
      }
    }),
  );
}

export async function checkConfiguration(deps: ReviewDeps): Promise<ConfigCheckReport> {
  const settings = (await deps.store.getSettings()) as CheckedSettings;
  await requireManager(deps, 'check the configuration', settings);
  const parts = await Promise.all([jsmFields(deps), qualification(settings, deps), confluence(settings, deps), drills(settings, deps), managers(settings, deps)]);
  const findings = parts.flat();
  return { checkedAt: deps.clock.now(), findings, ok: findings.every((f) => f.status !== 'problem') };
}
