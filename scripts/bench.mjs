#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only p1,panel,storm,growth,sizes]`: builds the app, bundles the
 * bench (workbench/bench/main.ts, packages left external) and runs it. See workbench/bench/RESULTS.md.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, run } from './ensure-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureNodeModules();
if (process.env.SKIP_BUILD !== '1') run('node scripts/build.mjs');
const outfile = path.join(root, 'dist/bench/bench.js');
await build({ entryPoints: [path.join(root, 'workbench/bench/main.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', sourcemap: 'inline', logLevel: 'warning' });
const bench = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: { ...process.env, BENCH_ROOT: root } });
process.exit(bench.status ?? 1);
