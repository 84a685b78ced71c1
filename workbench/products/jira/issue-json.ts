/**
 * The `IssueBean` shape for `GET /issue/{key}` and `/search/jql`: the selected `fields`, the selected
 * issue `properties`, and the `expand` sections (names, schema, renderedFields, changelog, transitions).
 */
import { allFields, fieldValue, renderedValue, selectFields } from './fields';
import type { Site } from './site';
import { setOwn } from './routes/util';
import type { IssueRec } from './state';

export interface IssueView {
  fields: Set<string>;
  /** Property keys to include (`*all`, keys, `-key`); undefined when none were asked for. */
  properties?: string[];
  expand: Set<string>;
  /** `/search/jql` answers `{ id }` alone when no field, property or expansion was asked for. */
  idOnlyWhenEmpty: boolean;
}

export const ISSUE_EXPAND = 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

export function issueView(site: Site, fieldSpecs: string[] | undefined, fallback: '*all' | 'id', properties: string[] | undefined, expand: string | string[] | undefined): IssueView {
  const expandList = (Array.isArray(expand) ? expand : expand ? [expand] : []).flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean);
  return { fields: selectFields(site, fieldSpecs, fallback), properties, expand: new Set(expandList), idOnlyWhenEmpty: fallback === 'id' && (fieldSpecs ?? []).flatMap((f) => f.split(',')).every((f) => f.trim() === 'id' || f.trim() === '') };
}

function selectedProperties(issue: IssueRec, specs: string[]): Record<string, unknown> {
  const keys = Object.keys(issue.properties);
  const picked = new Set<string>();
  for (const s of specs) {
    if (s === '*all') keys.forEach((k) => picked.add(k));
    else if (s.startsWith('-')) picked.delete(s.slice(1));
    else if (keys.includes(s)) picked.add(s);
  }
  const out: Record<string, unknown> = {};
  for (const k of picked) setOwn(out, k, issue.properties[k]);
  return out;
}

export function issueJson(site: Site, issue: IssueRec, view: IssueView, transitions?: () => unknown[]): Record<string, unknown> {
  const idOnly = view.idOnlyWhenEmpty && view.fields.size === 0 && !view.properties && view.expand.size === 0;
  if (idOnly) return { id: issue.id };
  const out: Record<string, unknown> = { expand: ISSUE_EXPAND, id: issue.id, self: site.api(`issue/${issue.id}`), key: issue.key };
  const fields: Record<string, unknown> = {};
  for (const id of view.fields) fields[id] = fieldValue(site, issue, id);
  out.fields = fields;
  if (view.properties) out.properties = selectedProperties(issue, view.properties);
  if (view.expand.has('renderedFields')) {
    const rendered: Record<string, unknown> = {};
    for (const id of view.fields) rendered[id] = renderedValue(site, issue, id);
    out.renderedFields = rendered;
  }
  const defs = allFields(site).filter((f) => view.fields.has(f.id));
  if (view.expand.has('names')) out.names = Object.fromEntries(defs.map((f) => [f.id, f.name]));
  if (view.expand.has('schema')) out.schema = Object.fromEntries(defs.filter((f) => f.schema).map((f) => [f.id, f.schema]));
  if (view.expand.has('changelog')) {
    const histories = [...issue.changelog].reverse().map((c) => site.changelog_(c));
    out.changelog = { startAt: 0, maxResults: histories.length, total: histories.length, histories };
  }
  if (view.expand.has('transitions') && transitions) out.transitions = transitions();
  return out;
}
