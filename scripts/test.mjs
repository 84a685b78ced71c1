#!/usr/bin/env node
/**
 * `npm test`: install what is missing (npm packages; Debian's chromium for the browser tests when
 * running as root), build, type-check, then run every test suite with jest.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { ensureNodeModules, run } from './ensure-deps.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    console.error(`The browser tests need Chromium at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
    process.exit(1);
  }
  console.log('Installing Debian chromium for the browser tests…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
}

ensureNodeModules();
ensureChromium();
run('node scripts/build.mjs');
run('npx tsc --noEmit -p .');
run(`npx jest ${process.argv.slice(2).map((a) => JSON.stringify(a)).join(' ')}`.trim());
