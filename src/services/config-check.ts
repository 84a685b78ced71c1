/**
 * "Check configuration": asks Jira and Confluence, as the app, whether what the settings name exists
 * and works, and says what it found in plain words, one finding per thing checked:
 *   - JSM's fields (Affected services, Major incident, Request type) are found on this site;
 *   - the projects and issue types that qualify incidents exist;
 *   - Confluence answers (it is an optional app of the installation);
 *   - where plan pages and postmortems go (space and parent page, as the features resolve them: the
 *     postmortems' own place or the plans', the space's home page without a parent), and the space of
 *     the latest practice review, exist and the app may write there (GET /wiki/api/v2/pages/{id}/operations);
 *   - the project and issue type drills raise their exercise issues with, and the follow-ups' issue type;
 *   - the Service Continuity Manager groups exist.
 * Each check stands alone: one that cannot be made (Jira rate limit, Confluence down) becomes a finding
 * saying so, never a failure of the whole check. Read-only. `checkSettings` checks any settings (the
 * admin page's, as typed); `checkConfiguration` the saved ones, for a Service Continuity Manager.
 */
import type { ConfigCheckReport, ConfigFinding } from '../contract/measure';
import { ContinuityError } from '../domain/errors';
import { DEFAULT_FOLLOW_UP_ISSUE_TYPE, type ContinuitySettings } from '../domain/incident';
import { suggestedPeriods } from '../domain/review-period';
import type { AppDeps } from '../ports';
import { drillIssueLocation } from './drills';
import { requireManager } from './roles';

export type CheckDeps = Pick<AppDeps, 'jira' | 'confluence' | 'measure' | 'clock'>;

/** Jira's projects and issue types, read once per check for every part that needs them. */
type SiteLists = () => Promise<{ projects: Array<{ key: string; name: string }>; types: string[] }>;

function siteLists(deps: CheckDeps): SiteLists {
  let read: ReturnType<SiteLists> | undefined;
  return () => (read ??= Promise.all([deps.jira.listProjects(), deps.jira.listIssueTypeNames()]).then(([projects, types]) => ({ projects, types })));
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

async function jsmFields(deps: CheckDeps): Promise<ConfigFinding[]> {
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

async function qualification(settings: ContinuitySettings, lists: SiteLists): Promise<ConfigFinding[]> {
  const out: ConfigFinding[] = [];
  try {
    const { projects, types } = await lists();
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
  /** A page the app writes under, or the page it writes; the space's home page when absent. */
  pageId?: string;
  /** The same place as another (postmortems where plan pages go): its finding is that one's, not asked again. */
  sameAs?: Location;
}

/** Where the settings put plan pages and postmortems (as postmortem-page.ts resolves it), or what is not set, in that order. */
function configuredPlaces(settings: ContinuitySettings): Array<Location | ConfigFinding> {
  const places: Array<Location | ConfigFinding> = [];
  const plans: Location | undefined = settings.planSpaceKey ? { what: 'Plan pages', spaceKey: settings.planSpaceKey, ...(settings.planParentPageId ? { pageId: settings.planParentPageId } : {}) } : undefined;
  if (plans) places.push(plans);
  else places.push({ area: 'spaces', status: 'not-set', message: 'No Confluence space is set for plan pages: plans cannot be published as pages.', fix: 'Set the plans\u2019 space in the settings.' });
  if (settings.postmortemSpaceKey) {
    places.push({ what: 'Postmortems', spaceKey: settings.postmortemSpaceKey, ...(settings.postmortemParentPageId ? { pageId: settings.postmortemParentPageId } : {}) });
  } else if (plans && settings.postmortemParentPageId) {
    places.push({ what: 'Postmortems (in the plans\u2019 space)', spaceKey: plans.spaceKey, pageId: settings.postmortemParentPageId });
  } else if (plans) {
    // No place of their own: postmortems go where plan pages go.
    places.push({ ...plans, what: 'Postmortems (no space of their own: where plan pages go)', sameAs: plans });
  } else {
    places.push({ area: 'spaces', status: 'not-set', message: 'No Confluence space is set for postmortems or plan pages: postmortems cannot be published.', fix: 'Set the postmortems\u2019 space (or the plans\u2019) in the settings.' });
  }
  return places;
}

const isFinding = (item: Location | ConfigFinding): item is ConfigFinding => 'area' in item;

/** What was found at one place, said after the place's name. */
type PlaceFinding = Omit<ConfigFinding, 'area' | 'message'> & { found: string };

/** One place: the space exists, the page (or the space's home page) exists in it, and the app may write there. */
async function checkPlace(place: Location, deps: CheckDeps, answered: () => void): Promise<PlaceFinding> {
  const space = await deps.confluence.spaceByKey(place.spaceKey);
  answered();
  if (!space) return { status: 'problem', found: `Confluence has no space with the key ${place.spaceKey} that the app can see.`, fix: 'Correct the space key, or give the app access to the space.' };
  const pageId = place.pageId ?? space.homepageId;
  if (!pageId) return { status: 'problem', found: `the space ${space.name} (${space.key}) has no home page to put pages under.`, fix: 'Name a parent page in the settings.' };
  let page;
  try {
    page = await deps.confluence.getPage(pageId);
  } catch (error) {
    if (error instanceof ContinuityError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) {
      return { status: 'problem', found: `the page ${pageId} does not exist (or the app cannot see it).`, fix: 'Choose another page, or give the app access to it.' };
    }
    throw error;
  }
  const operations = await deps.confluence.pageOperations(page.id, 'app');
  const writable = operations.includes('update');
  const where = !place.pageId ? `the home page "${page.title}" of ${space.name}` : page.spaceId === space.id ? `the page "${page.title}" in ${space.name}` : `the page "${page.title}", which is not in ${space.name}`;
  return writable && page.spaceId === space.id
    ? { status: 'ok', found: `${where} exists and the app may write there.` }
    : writable
      ? { status: 'warning', found: `${where}.`, fix: 'Choose a page in the configured space.' }
      : { status: 'problem', found: `the app may read ${where} but not write there.`, fix: 'Give the app permission to edit in the space.' };
}

/** Confluence: connected, and each configured place exists and takes the app's writes. */
async function confluence(settings: ContinuitySettings, deps: CheckDeps): Promise<ConfigFinding[]> {
  const places = configuredPlaces(settings);
  const reviews = await Promise.all(suggestedPeriods(deps.clock.now()).map((p) => deps.measure.getReview(p).catch(() => undefined)));
  const review = reviews.find((r) => r?.pageId) ?? reviews.find((r) => r);
  if (review) places.push({ what: `The practice review ${review.period}`, spaceKey: review.spaceKey, ...(review.pageId ? { pageId: review.pageId } : review.parentId ? { pageId: review.parentId } : {}) });
  // The installation says whether Confluence is connected; when it cannot tell, the calls below do.
  const connection = deps.confluence.connection();
  if (connection === 'not-connected') {
    return [{ area: 'confluence', status: 'problem', message: 'Confluence is not connected to the app on this site: plan pages, postmortems and the practice review cannot be written.', fix: 'A site administrator connects Confluence to the app in Atlassian Administration (Apps).' }];
  }
  const locations = places.filter((p): p is Location => !isFinding(p));
  if (locations.length === 0) {
    return [
      connection === 'connected'
        ? { area: 'confluence', status: 'ok', message: 'Confluence is connected to the app.' }
        : { area: 'confluence', status: 'not-set', message: 'No Confluence space is set for plan pages or postmortems, and no practice review was published: the connection to Confluence was not tried.', fix: 'Set the plans\u2019 space in the settings.' },
      ...places.filter(isFinding),
    ];
  }
  const found = new Map<Location, PlaceFinding>();
  let answered = false;
  let unreachable: string | undefined;
  for (const place of locations) {
    if (place.sameAs) continue;
    try {
      found.set(place, await checkPlace(place, deps, () => (answered = true)));
    } catch (error) {
      if (error instanceof ContinuityError && (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'CONFLUENCE_NOT_CONNECTED')) unreachable ??= reason(error);
      found.set(place, { status: 'problem', found: `could not be checked (${reason(error)}).`, fix: 'Run the check again in a moment.' });
    }
  }
  const out = places.map((place): ConfigFinding => {
    if (isFinding(place)) return place;
    const { found: what, ...rest } = found.get(place.sameAs ?? place)!;
    return { area: 'spaces', ...rest, message: `${place.what}: ${what}` };
  });
  const connected: ConfigFinding = answered
    ? { area: 'confluence', status: 'ok', message: 'Confluence is connected: it answered the app.' }
    : { area: 'confluence', status: 'problem', message: `Confluence did not answer the app: ${unreachable ?? 'every call failed'}`, fix: 'Connect Confluence to the app in Atlassian Administration, or run the check again in a moment.' };
  return [connected, ...out];
}

/** Drills raise their exercise issues where drills.ts says: the drill project, or the one project that qualifies incidents. */
async function drills(settings: ContinuitySettings, lists: SiteLists): Promise<ConfigFinding[]> {
  const location = drillIssueLocation(settings);
  if (!location.ok) return [{ area: 'drills', status: 'not-set', message: 'No drill project is set: drills cannot be run as incidents yet.', fix: 'Set the drill project in the settings (or let exactly one project qualify incidents).' }];
  const own = { project: settings.drillProjectKey !== undefined, type: settings.drillIssueTypeName !== undefined };
  try {
    const { projects, types } = await lists();
    const project = projects.find((p) => same(p.key, location.projectKey));
    const type = location.issueTypeName;
    return [
      project
        ? { area: 'drills', status: 'ok', message: own.project ? `The drill project ${project.name} (${project.key}) exists.` : `Drills raise their issues in ${project.name} (${project.key}), the one project that qualifies incidents (no drill project is set).` }
        : { area: 'drills', status: 'problem', message: `No project with the key ${location.projectKey} exists (or the app cannot see it): drills cannot be raised.`, fix: own.project ? 'Correct the drill project in the settings.' : 'Set the drill project in the settings.' },
      types.some((t) => same(t, type))
        ? { area: 'drills', status: 'ok', message: `The drill issue type ${type}${own.type ? '' : ' (the default)'} exists.` }
        : { area: 'drills', status: 'problem', message: `No issue type is called ${type}${own.type ? '' : ' (the default)'}: drills cannot be raised.`, fix: own.type ? 'Correct the drill issue type in the settings.' : 'Choose the drill issue type in the settings.' },
    ];
  } catch (error) {
    return [{ area: 'drills', status: 'problem', message: `Jira's projects and issue types could not be read: ${reason(error)}`, fix: 'Run the check again in a moment.' }];
  }
}

/** Follow-up actions are created in the incident's project, with the settings' issue type or the default. */
async function followUps(settings: ContinuitySettings, lists: SiteLists): Promise<ConfigFinding[]> {
  const own = settings.followUpIssueTypeName !== undefined;
  const type = settings.followUpIssueTypeName ?? DEFAULT_FOLLOW_UP_ISSUE_TYPE;
  try {
    const { types } = await lists();
    return [
      types.some((t) => same(t, type))
        ? { area: 'follow-ups', status: 'ok', message: `Follow-up actions are created as ${type}${own ? '' : ' (the default)'} issues in the incident's project; the issue type exists.` }
        : { area: 'follow-ups', status: 'problem', message: `No issue type is called ${type}${own ? '' : ' (the default)'}: follow-up actions cannot be created.`, fix: own ? 'Correct the follow-up issue type in the settings.' : 'Choose the follow-up issue type in the settings.' },
    ];
  } catch (error) {
    return [{ area: 'follow-ups', status: 'problem', message: `Jira's issue types could not be read: ${reason(error)}`, fix: 'Run the check again in a moment.' }];
  }
}

async function managers(settings: ContinuitySettings, deps: CheckDeps): Promise<ConfigFinding[]> {
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

/** The findings for these settings, saved or as typed. Checks no role: the callers do. */
export async function checkSettings(settings: ContinuitySettings, deps: CheckDeps): Promise<ConfigCheckReport> {
  const lists = siteLists(deps);
  const parts = await Promise.all([jsmFields(deps), qualification(settings, lists), confluence(settings, deps), drills(settings, lists), followUps(settings, lists), managers(settings, deps)]);
  const findings = parts.flat();
  return { checkedAt: deps.clock.now(), findings, ok: findings.every((f) => f.status !== 'problem') };
}

/** The saved settings checked, for a Service Continuity Manager (the Service continuity page). */
export async function checkConfiguration(deps: CheckDeps & Pick<AppDeps, 'store'>): Promise<ConfigCheckReport> {
  const settings = await deps.store.getSettings();
  await requireManager(deps, 'check the configuration', settings);
  return checkSettings(settings, deps);
}
