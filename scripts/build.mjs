#!/usr/bin/env node
/**
 * One build for everything the manifest points at and for the workbench:
 *   src/index.ts                      -> dist/functions/index.js   (minified, source map in index.js.map;
 *                                                                 what the local Forge runtime loads;
 *                                                                 `forge deploy` bundles src/ itself)
 *   static/<surface>/src/index.tsx    -> static/<surface>/build/    (each manifest `resources` entry)
 *   workbench/cli.ts                  -> dist/workbench/cli.js
 * Prints each bundle's size, and for each surface the JavaScript its first load fetches (the entry and
 * every chunk it imports statically), gzipped: the budget is FIRST_LOAD_BUDGET.
 *
 * Surfaces are ES modules with code splitting: `import()` in a surface becomes a chunk fetched when
 * needed (charts, forms, tabs). esbuild leaves a lazy chunk's CSS in a file of its own that nothing
 * loads, so each such chunk is given a first statement that links its stylesheet and waits for it
 * (a top-level await: the chunk's components never render unstyled).
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

/** Gzipped JavaScript a surface may fetch before it can show anything. */
const FIRST_LOAD_BUDGET = 150 * 1024;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2); // optional: functions | ui | workbench
const wants = (part) => only.length === 0 || only.includes(part);
const manifest = YAML.parse(fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8'));
const sizes = [];

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
    // Minified for deploy, with the source map beside it (index.js.map), not inlined into the bundle.
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  sizes.push(['functions', outfile]);
}

/** The output file of a metafile path (esbuild reports them relative to the working directory). */
const outputPath = (p) => path.resolve(root, p);

/** Lazy chunks' CSS: prepend a statement that links the stylesheet and waits for it to load. */
function linkChunkStylesheets(metafile, outdir) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!file.endsWith('.js') || output.entryPoint || !output.cssBundle) continue;
    const js = outputPath(file);
    const css = path.relative(path.dirname(js), outputPath(output.cssBundle)).split(path.sep).join('/');
    const loader =
      `await new Promise((r)=>{const l=document.createElement("link");l.rel="stylesheet";` +
      `l.href=new URL(${JSON.stringify(`./${css}`)},import.meta.url).href;l.onload=l.onerror=r;document.head.appendChild(l)});\n`;
    fs.writeFileSync(js, loader + fs.readFileSync(js, 'utf8'));
  }
}

/** The entry and every chunk reachable from it through static imports: what the first load fetches. */
function firstLoadFiles(metafile, entryFile) {
  const outputs = new Map(Object.entries(metafile.outputs).map(([p, o]) => [outputPath(p), o]));
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs.get(file)?.imports ?? []) if (imported.kind === 'import-statement') visit(outputPath(imported.path));
  };
  visit(entryFile);
  return [...seen];
}

const firstLoads = [];

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
      metafile: true,
      absWorkingDir: root,
      define: { 'process.env.NODE_ENV': '"production"' },
      jsx: 'automatic',
      logLevel: 'warning',
    });
    linkChunkStylesheets(result.metafile, outdir);
    const firstLoad = firstLoadFiles(result.metafile, path.join(outdir, 'main.js'));
    const gzipped = firstLoad.reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length, 0);
    firstLoads.push([resource.key, gzipped, firstLoad.length]);
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
for (const [name, bytes, files] of firstLoads) {
  const within = bytes <= FIRST_LOAD_BUDGET;
  over ||= !within;
  console.log(`first load ${name.padEnd(17)} ${`${(bytes / 1024).toFixed(1)} KiB`.padStart(10)}  gzipped JS in ${files} file(s), budget ${FIRST_LOAD_BUDGET / 1024} KiB${within ? '' : '  OVER BUDGET'}`);
}
if (over) process.exitCode = 1;
