// Drives the workbench's Confluence through confluence.js 3 (ESM-only, so jest spawns this file with node).
// confluence.js validates every response against its zod schemas: a shape the emulator gets wrong throws here.
// Usage: node test/clients/confluence-js-check.mjs <baseUrl>; prints one JSON summary line, exits 1 on any error.
import { createV2Client, isApiError, isSchemaMismatchError } from 'confluence.js';

const host = process.argv[2];
if (!host) {
  console.error('usage: node confluence-js-check.mjs <baseUrl>');
  process.exit(2);
}

const client = createV2Client({
  host,
  auth: { type: 'basic', email: 'alex.agent@example.com', apiToken: 'workbench-token' },
  retry: { maxAttempts: 1 },
});

const cursorOf = (next) => (next ? new URL(next, host).searchParams.get('cursor') ?? undefined : undefined);

async function main() {
  const summary = {};

  const spaces = await client.space.getSpaces({ keys: ['CONT'] });
  summary.spaceKeys = spaces.results.map((s) => s.key);
  const space = spaces.results[0];
  const spaceById = await client.space.getSpaceById({ id: Number(space.id), descriptionFormat: 'plain' });
  summary.spaceName = spaceById.name;
  summary.spaceCreatedAtIsDate = spaceById.createdAt instanceof Date;

  const title = `confluence.js plan ${process.pid}`;
  const created = await client.page.createPage({
    body: { spaceId: space.id, status: 'current', title, body: { representation: 'storage', value: '<p>Created by <strong>confluence.js</strong></p>' } },
  });
  summary.created = { title: created.title, status: created.status, version: created.version?.number, parentIsHomepage: created.parentId === space.homepageId };

  const got = await client.page.getPageById({ id: Number(created.id), bodyFormat: 'storage' });
  summary.gotStorage = got.body?.storage?.value;
  const asAdf = await client.page.getPageById({ id: Number(created.id), bodyFormat: 'atlas_doc_format' });
  summary.gotAdfType = JSON.parse(asAdf.body?.atlas_doc_format?.value ?? '{}').type;

  const updated = await client.page.updatePage({
    id: Number(created.id),
    body: { id: created.id, status: 'current', title, body: { representation: 'storage', value: '<p>Second version</p>' }, version: { number: got.version.number + 1, message: 'from confluence.js' } },
  });
  summary.updated = { version: updated.version?.number, message: updated.version?.message, storage: updated.body?.storage?.value };

  try {
    await client.page.updatePage({
      id: Number(created.id),
      body: { id: created.id, status: 'current', title, body: { representation: 'storage', value: '<p>stale</p>' }, version: { number: got.version.number + 1 } },
    });
    summary.stale = { rejected: false };
  } catch (e) {
    if (!isApiError(e)) throw e;
    summary.stale = { rejected: true, status: e.status, error: e.body?.errors?.[0] };
  }

  const prop = await client.contentProperties.createPageProperty({ pageId: Number(created.id), key: 'continuity.plan', value: { serviceId: 'payments', tier: 1 } });
  const propGot = await client.contentProperties.getPageContentPropertiesById({ pageId: Number(created.id), propertyId: Number(prop.id) });
  summary.property = { key: propGot.key, value: propGot.value, version: propGot.version?.number };
  const propUpdated = await client.contentProperties.updatePagePropertyById({
    pageId: Number(created.id),
    propertyId: Number(prop.id),
    key: 'continuity.plan',
    value: { serviceId: 'payments', tier: 2 },
    version: { number: 2 },
  });
  summary.propertyUpdated = { value: propUpdated.value, version: propUpdated.version?.number };
  const props = await client.contentProperties.getPageContentProperties({ pageId: Number(created.id), key: 'continuity.plan' });
  summary.propertyKeys = props.results.map((p) => p.key);

  // Paging through every page of the space with the cursor from `_links.next`.
  const seen = [];
  let cursor;
  let rounds = 0;
  do {
    const page = await client.page.getPagesInSpace({ id: Number(space.id), limit: 1, cursor, bodyFormat: 'storage' });
    seen.push(...page.results.map((p) => p.id));
    cursor = cursorOf(page._links?.next);
    rounds += 1;
  } while (cursor && rounds < 100);
  summary.pagedIds = seen.length;
  summary.pagedDistinct = new Set(seen).size;
  summary.pagedIncludesCreated = seen.includes(created.id);

  const all = await client.page.getPages({ spaceId: [Number(space.id)], title });
  summary.getPagesByTitle = all.results.map((p) => p.title);
  const versions = await client.version.getPageVersions({ id: Number(created.id) });
  summary.versionNumbers = versions.results.map((v) => v.number);
  const children = await client.children.getChildPages({ id: Number(space.homepageId) });
  summary.homepageHasChild = children.results.some((c) => c.id === created.id);
  const labels = await client.label.getPageLabels({ id: Number(created.id) });
  summary.labels = labels.results.length;

  await client.contentProperties.deletePagePropertyById({ pageId: Number(created.id), propertyId: Number(prop.id) });
  await client.page.deletePage({ id: Number(created.id) });
  try {
    await client.page.getPageById({ id: Number(created.id) });
    summary.afterDelete = 'still there';
  } catch (e) {
    if (!isApiError(e)) throw e;
    summary.afterDelete = e.status;
  }

  return summary;
}

main().then(
  (summary) => {
    console.log(JSON.stringify(summary));
  },
  (e) => {
    const detail = isSchemaMismatchError(e) ? { schemaMismatch: e.message, cause: String(e.cause?.message ?? e.cause), body: e.body } : { message: e?.message, status: e?.status, body: e?.body };
    console.error(JSON.stringify({ error: detail }));
    process.exit(1);
  },
);
