/** The contract suites may skip themselves on a developer's machine without ../shared, never in CI. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApiAvailable } from './openapi';

describe('when the OpenAPI documents are missing', () => {
  const saved = process.env.ATLASSIAN_OPENAPI_DIR;
  let empty: string;
  beforeAll(() => {
    empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-openapi-'));
    process.env.ATLASSIAN_OPENAPI_DIR = empty;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.ATLASSIAN_OPENAPI_DIR;
    else process.env.ATLASSIAN_OPENAPI_DIR = saved;
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('fails in CI', () => {
    expect(() => openApiAvailable({ CI: 'true' })).toThrow(/Contract tests cannot run in CI: jira-platform-v3.json not found/);
  });

  it('lets the suites skip, saying why, elsewhere', () => {
    expect(openApiAvailable({})).toEqual({ ok: false, why: expect.stringContaining('jira-platform-v3.json not found') });
  });
});
