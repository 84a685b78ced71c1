/**
 * The command line follows the running workbench: `start` records where it runs in its data directory,
 * control commands find it there (or take --url), and say plainly when none is running. `help` lists
 * every command, one line each.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/workbench';
import { COMMANDS } from '../../workbench/commands/help';
import { RUNNING_FILE } from '../../workbench/commands/running';

const CLI = path.join(ROOT, 'dist/workbench/cli.js');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

async function waitFor<T>(check: () => T | undefined, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('help prints every command, one line each', async () => {
  const { code, stdout } = await cli('help');
  expect(code).toBe(0);
  const lines = stdout.split('\n');
  for (const [usage, what] of COMMANDS) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ${usage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +${what.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)));
  for (const command of ['start', 'state', 'reset --empty', 'demo rto PERCENT', 'clock advance', 'fault PRODUCT STATUS', 'faults clear', 'events reorder N', 'run-scheduled KEY']) {
    expect(COMMANDS.some(([usage]) => usage.startsWith(command))).toBe(true);
  }
});

test('with no workbench running, a command says so and how to start one', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-cli-'));
  const none = await cli('state', '--data-dir', dataDir);
  expect(none.code).toBe(1);
  expect(none.stderr).toContain(`No workbench is running for ${dataDir}. Start one with \`npm start\``);

  // A record left by a workbench that has stopped (its process is gone) is not taken for a running one.
  fs.writeFileSync(path.join(dataDir, RUNNING_FILE), JSON.stringify({ url: 'http://127.0.0.1:1', pid: 2 ** 22 + 12345, startedAt: new Date().toISOString() }));
  const stale = await cli('state', '--data-dir', dataDir);
  expect(stale.code).toBe(1);
  expect(stale.stderr).toContain('No workbench is running: the one at http://127.0.0.1:1');

  const refused = await cli('state', '--url', 'http://127.0.0.1:1');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('No workbench answers at http://127.0.0.1:1');
});

test('npm start records its URL and pid; commands find it there; the record goes when it stops', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-cli-'));
  const record = path.join(dataDir, RUNNING_FILE);
  let child: ChildProcess | undefined = spawn('node', [CLI, 'start', '--port', '0', '--data-dir', dataDir], { stdio: 'ignore' });
  try {
    const running = await waitFor(() => (fs.existsSync(record) ? (JSON.parse(fs.readFileSync(record, 'utf8')) as { url: string; pid: number }) : undefined));
    expect(running.pid).toBe(child.pid);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.url).not.toBe('http://127.0.0.1:0');

    const state = await cli('state', '--data-dir', dataDir);
    expect(state.code).toBe(0);
    expect(JSON.parse(state.stdout).siteUrl).toBe(running.url);

    const demo = await cli('demo', 'rto', '80', '--data-dir', dataDir);
    expect(demo.code).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({ issueKey: 'OPS-1', percent: 80 });
    expect(JSON.parse((await cli('reset', '--empty', '--data-dir', dataDir)).stdout)).toEqual({ reset: true, empty: true });

    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    child = undefined;
    expect(fs.existsSync(record)).toBe(false);
    const after = await cli('state', '--data-dir', dataDir);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('No workbench is running');
  } finally {
    child?.kill('SIGKILL');
  }
});
