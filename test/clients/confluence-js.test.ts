/**
 * Atlassian's community client confluence.js 3 against the workbench Confluence over real HTTP.
 * confluence.js is ESM-only and jest runs CommonJS, so the client runs in a child `node` process
 * (test/clients/confluence-js-check.mjs) that prints a JSON summary; every response it receives is
 * validated by the library's zod schemas, so a wrong shape fails the run.
 */
import http from 'node:http';
import path from 'node:path';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { handleProductHttp } from '../../workbench/server/product-http';
import { ConfluenceService } from '../../workbench/products/confluence';

function run(base: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = path.join(__dirname, 'confluence-js-check.mjs');
  return new Promise((resolve) => {
    execFile(process.execPath, [script, base], { cwd: path.resolve(__dirname, '../..'), timeout: 60_000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ code: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
    });
  });
}

describe('confluence.js 3 (v2 client) against the workbench Confluence', () => {
  let server: http.Server;
  let base: string;
  let confluence: ConfluenceService;

  beforeAll(async () => {
    confluence = new ConfluenceService({ clock: { now: () => Date.now() }, siteUrl: 'http://127.0.0.1' });
    confluence.seedBase();
    server = http.createServer((req, res) => {
      handleProductHttp(req, res, { confluence }).then(
        (handled) => {
          if (!handled) res.writeHead(404).end();
        },
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('lists spaces, creates/reads/updates a page, gets a 409 for a stale update, and manages a content property', async () => {
    const { code, stdout, stderr } = await run(base);
    if (code !== 0) throw new Error(`confluence-js-check failed (exit ${code}): ${stderr || stdout}`);
    const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    expect(summary).toEqual({
      spaceKeys: ['CONT'],
      spaceName: 'Service Continuity',
      spaceCreatedAtIsDate: true,
      created: { title: expect.stringMatching(/^confluence\.js plan \d+$/), status: 'current', version: 1, parentIsHomepage: true },
      gotStorage: '<p>Created by <strong>confluence.js</strong></p>',
      gotAdfType: 'doc',
      updated: { version: 2, message: 'from confluence.js', storage: '<p>Second version</p>' },
      stale: {
        rejected: true,
        status: 409,
        error: { status: 409, code: 'CONFLICT', title: 'Version must be incremented on update. Current version is: 2', detail: null },
      },
      property: { key: 'continuity.plan', value: { serviceId: 'payments', tier: 1 }, version: 1 },
      propertyUpdated: { value: { serviceId: 'payments', tier: 2 }, version: 2 },
      propertyKeys: ['continuity.plan'],
      pagedIds: 2,
      pagedDistinct: 2,
      pagedIncludesCreated: true,
      getPagesByTitle: [summary.created.title],
      versionNumbers: [2, 1],
      homepageHasChild: true,
      labels: 0,
      afterDelete: 404,
    });
    // The emulator state agrees with what the client saw.
    expect(confluence.findPage('CONT', summary.created.title)).toBeUndefined();
  });

  it('answers 401 in the v2 error shape without credentials', async () => {
    const res = await fetch(`${base}/wiki/api/v2/spaces`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: [{ status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized', detail: 'Authentication required' }] });
  });
});
