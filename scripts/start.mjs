#!/usr/bin/env node
/** `npm start`: install what is missing, build, start the workbench with demo data, print the URL. */
import { ensureNodeModules, run } from './ensure-deps.mjs';

ensureNodeModules();
run('node scripts/build.mjs');
run(`node dist/workbench/cli.js start ${process.argv.slice(2).map((a) => JSON.stringify(a)).join(' ')}`);
