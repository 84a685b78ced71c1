/**
 * The seeded demo as `npm start` first shows it (state kept in a data directory, written as it changes):
 * each incident's history begins when the incident was raised, never before. The seed raises incidents
 * in the past with the workbench clock, so the app must be done with one before the clock moves again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call, panelFor, startWorkbench } from '../support/workbench';
import type { Workbench } from '../../workbench/workbench';

let wb: Workbench;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-demo-'));
  ({ wb } = await startWorkbench({ dataDir }));
});
afterAll(async () => {
  await wb?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("no incident's timeline starts before the incident was created", async () => {
  const found = (await call(wb, 'jira', 'GET', '/rest/api/3/search/jql?jql=project%20%3D%20OPS&fields=created&maxResults=100')).body as { issues: Array<{ id: string; key: string; fields: { created: string } }> };
  const incidents = found.issues;
  expect(incidents.length).toBeGreaterThanOrEqual(3);
  let entries = 0;
  const early: string[] = [];
  for (const issue of incidents) {
    const created = Date.parse(issue.fields.created);
    const panel = await panelFor(wb, issue);
    for (const inv of panel.data?.invocations ?? []) {
      for (const entry of inv.timeline as Array<{ at: number; detail: string }>) {
        entries++;
        if (entry.at < created) early.push(`${issue.key} created ${new Date(created).toISOString()}: ${new Date(entry.at).toISOString()} ${entry.detail}`);
      }
    }
  }
  expect(early).toEqual([]);
  // The demo's two P1s (OPS-1, OPS-2) have plans invoked, so their timelines were read.
  expect(entries).toBeGreaterThanOrEqual(2);
});
