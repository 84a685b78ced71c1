#!/usr/bin/env node
/**
 * One build for everything the manifest points at and for the workbench:
 *   src/index.ts                      -> dist/functions/index.js   (what the local Forge runtime loads;
 *                                                                 `forge deploy` bundles src/ itself)
 *   static/<surface>/src/index.tsx    -> static/<surface>/build/    (each manifest `resources` entry)
 *   workbench/cli.ts                  -> dist/workbench/cli.js
 * Front ends are ES modules with code splitting: what a surface imports dynamically (the bridge's ADF
 * renderer and its iframe resizer, theme files) becomes a chunk loaded only when used. Prints each
 * bundle's size, and for each surface the gzipped size of what its first load fetches (main.js and
 * the chunks it imports statically), which must stay within FIRST_LOAD_BUDGET.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import YAML from 'yaml';

/** Each surface's first-load JavaScript, gzipped (level 9). */
const FIRST_LOAD_BUDGET = 150 * 1024;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2); // optional: functions | ui | workbench
const wants = (part) => only.length === 0 || only.includes(part);
const manifest = YAML.parse(fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8'));
const sizes = [];
const firstLoads = [];

/** Gzipped bytes of an entry and every chunk it imports statically (what the browser fetches before running it). */
function firstLoadGzip(metafile, entryFile) {
  const outputs = Object.fromEntries(Object.entries(metafile.outputs).map(([file, out]) => [path.resolve(root, file), out]));
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !outputs[file]) return;
    seen.add(file);
    for (const i of outputs[file].imports) if (i.kind === 'import-statement') visit(path.resolve(root, i.path));
  };
  visit(path.resolve(entryFile));
  return [...seen].reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length, 0);
}
const kib = (file) => `${(fs.statSync(file).size / 1024).toFixed(1)} KiB`;

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function pageShell(title) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="./main.css" />
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="./main.js"></script>
  </body>
</html>
`;
}

if (wants('functions')) {
  const outfile = path.join(root, 'dist/functions/index.js');
  await build({
    entryPoints: [path.join(root, 'src/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  sizes.push(['functions', outfile]);
}

if (wants('ui')) {
  for (const resource of manifest.resources ?? []) {
    const outdir = path.join(root, resource.path);
    const surface = path.dirname(outdir);
    const entry = path.join(surface, 'src/index.tsx');
    if (!fs.existsSync(entry)) continue;
    fs.rmSync(outdir, { recursive: true, force: true });
    const result = await build({
      entryPoints: { main: entry },
      outdir,
      bundle: true,
      minify: true,
      platform: 'browser',
      target: ['chrome110', 'firefox110', 'safari16'],
      format: 'esm',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      define: { 'process.env.NODE_ENV': '"production"' },
      jsx: 'automatic',
      metafile: true,
      absWorkingDir: root,
      logLevel: 'warning',
    });
    firstLoads.push([resource.key, firstLoadGzip(result.metafile, path.join(outdir, 'main.js'))]);
    // Every surface gets the same page shell and icon; its title comes from the manifest module.
    const module = Object.values(manifest.modules ?? {}).flat().find((m) => m && m.resource === resource.key);
    fs.writeFileSync(path.join(outdir, 'index.html'), pageShell(module?.title ?? resource.key));
    fs.copyFileSync(path.join(root, 'static/shared/icon.svg'), path.join(outdir, 'icon.svg'));
    sizes.push([`ui:${resource.key}`, path.join(outdir, 'main.js')]);
  }
}

if (wants('workbench')) {
  const outfile = path.join(root, 'dist/workbench/cli.js');
  await build({
    entryPoints: [path.join(root, 'workbench/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  sizes.push(['workbench', outfile]);
}

for (const [name, file] of sizes) console.log(`built ${name.padEnd(22)} ${kib(file).padStart(10)}  ${path.relative(root, file)}`);
let over = false;
for (const [name, bytes] of firstLoads) {
  const fits = bytes <= FIRST_LOAD_BUDGET;
  over ||= !fits;
  console.log(`first load ui:${name.padEnd(13)} ${`${(bytes / 1024).toFixed(1)} KiB gz`.padStart(13)}  ${fits ? 'within' : 'OVER'} the ${FIRST_LOAD_BUDGET / 1024} KiB budget`);
}
if (over) process.exitCode = 1;
