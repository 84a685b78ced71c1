/**
 * A standard client against the local Jira: serves it over HTTP with `handleProductHttp`, then runs
 * `jira-js-check.mjs` (jira.js is ESM-only, so it runs in its own node process) and checks what it saw.
 * jira.js validates every response with zod and is configured to throw on a mismatch.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { handleProductHttp } from '../../workbench/server/product-http';
import { makeJira } from '../../workbench/products/jira/testing';

const run = promisify(execFile);

describe('jira.js against the local Jira over HTTP', () => {
  let server: http.Server;
  let baseUrl: string;
  const { jira, events } = makeJira();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      handleProductHttp(req, res, { jira }).then(
        (handled) => {
          if (!handled) res.writeHead(404).end();
        },
        (e) => res.writeHead(500).end(String(e)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers 401 in Jira shape without credentials', async () => {
    const res = await fetch(`${baseUrl}/rest/api/3/myself`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
  });

  it('serves every call jira.js makes, with responses that pass its schemas', async () => {
    const script = path.join(__dirname, 'jira-js-check.mjs');
    const { stdout } = await run(process.execPath, [script, baseUrl], { cwd: path.resolve(__dirname, '../..'), timeout: 60_000 }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`jira-js-check failed: ${e.message}\n${e.stderr ?? ''}\n${e.stdout ?? ''}`);
    });
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(summary).toEqual({
      deploymentType: 'Cloud',
      baseUrl: 'http://localhost:4411',
      myself: 'Alex Agent',
      projects: ['ENG', 'OPS'],
      opsType: 'service_desk',
      issueTypes: ['Incident', 'Service request', 'Task', 'Change'],
      priorities: ['1:Highest', '2:High', '3:Medium', '4:Low', '5:Lowest'],
      statuses: ['Open', 'Work in progress', 'Resolved', 'Closed'],
      affectedServicesField: jira.fieldIds().affectedServices,
      createdKey: 'OPS-1',
      fetchedSummary: 'Payments down (jira.js)',
      fetchedPriority: 'Highest',
      editedSummary: 'Payments down in EU (jira.js)',
      editedLabels: ['p1', 'eu'],
      changelogFields: ['summary', 'labels'],
      commentJsdPublic: false,
      commentCount: 1,
      property: { planId: 'plan-1', rtoMinutes: 60 },
      remoteLinkIds: [10000, 10000],
      remoteLinkCount: 1,
      remoteLinkTitle: 'Payments plan (v2)',
      searchKeys: ['OPS-1'],
      searchIsLast: true,
      count: 1,
      transitions: ['Start work', 'Resolve', 'Close'],
      statusAfterTransition: 'Work in progress',
      permissions: { EDIT_ISSUES: true, ADD_COMMENTS: true, ADMINISTER: true },
    });
    // The HTTP path reached the service as the demo agent: events carry that account.
    expect(events.map((e) => e.eventType)).toEqual(['avi:jira:created:issue', 'avi:jira:updated:issue', 'avi:jira:commented:issue', 'avi:jira:updated:issue']);
  });
});
