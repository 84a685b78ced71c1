#!/usr/bin/env node
/** Builds and runs workbench/bench/kvs-persistence.ts: `node scripts/bench-persistence.mjs [sets]`. */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-build-'));
const outfile = path.join(dir, 'bench.js');
await build({ entryPoints: [path.join(root, 'workbench/bench/kvs-persistence.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
fs.rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);
