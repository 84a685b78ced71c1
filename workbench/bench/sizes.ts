/**
 * Figure 5: bytes. Each Custom UI surface's JavaScript loaded on first load, gzipped, against 150 KB:
 * the scripts its page names and every chunk they import statically, as the browser fetches them
 * (esbuild emits ES modules with code splitting; chunks reached only through `import()` load later and
 * are not counted). And the back-end bundle (minified, its source map in a separate file), reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadManifest } from '../runtime/manifest';
import { judge, type Figure } from './report';

/** 150 KB, counted in thousands of bytes (the stricter reading). */
export const SURFACE_BUDGET_BYTES = 150_000;
/** gzip's default level, as CDNs commonly serve. */
const gzipped = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length;
const kb = (bytes: number) => Math.round(bytes / 100) / 10;

/** A module's static imports (`import … from "./x.js"`, `import "./x.js"`), not its dynamic `import("./x.js")`. */
export function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)].map((m) => m[1]);
}

/** The files a first load fetches: the entries and, transitively, what they import statically. */
export function firstLoadFiles(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !fs.existsSync(file)) return;
    seen.add(file);
    for (const spec of staticImports(fs.readFileSync(file, 'utf8'))) visit(path.resolve(path.dirname(file), spec));
  };
  entries.forEach(visit);
  return [...seen];
}

const jsUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsUnder(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));

export function sizeFigures(root: string): Figure[] {
  const manifest = loadManifest(path.join(root, 'manifest.yml'));
  const figures: Figure[] = [];
  for (const [key, dir] of manifest.resources) {
    const build = path.resolve(root, dir);
    const html = path.join(build, 'index.html');
    if (!fs.existsSync(html)) {
      figures.push(judge({ id: `size.${key}`, group: 'Sizes', name: `${key}: gzipped JS on first load`, budget: { kind: 'max', value: SURFACE_BUDGET_BYTES / 1000 }, measured: null, unit: 'KB', deterministic: true, status: 'fail', note: 'not built' }));
      continue;
    }
    const scripts = [...fs.readFileSync(html, 'utf8').matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]).filter((src) => !/^(https?:)?\/\//.test(src));
    const files = firstLoadFiles(scripts.map((src) => path.resolve(build, src)));
    const others = jsUnder(build).filter((f) => !files.includes(f)).map((f) => path.relative(build, f));
    const gz = files.reduce((n, f) => n + gzipped(f), 0);
    const raw = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    figures.push(
      judge({
        id: `size.${key}`,
        group: 'Sizes',
        name: `${key}: gzipped JS on first load (${scripts.join(', ')} and ${files.length - scripts.length} chunk(s) it imports; ${kb(raw)} KB raw)`,
        budget: { kind: 'max', value: SURFACE_BUDGET_BYTES / 1000 },
        measured: kb(gz),
        unit: 'KB',
        deterministic: true,
        detail: { gzBytes: gz, rawBytes: raw, scripts, files: files.map((f) => path.relative(build, f)), jsNotLoadedFirst: others },
      }),
    );
  }
  const bundle = path.join(root, 'dist/functions/index.js');
  const map = `${bundle}.map`;
  const inlineMap = fs.existsSync(bundle) && /sourceMappingURL=data:/.test(fs.readFileSync(bundle, 'utf8').slice(-200));
  figures.push(
    judge({
      id: 'size.functions',
      group: 'Sizes',
      name: `back end: dist/functions/index.js gzipped (${kb(fs.statSync(bundle).size)} KB raw, minified)`,
      measured: kb(gzipped(bundle)),
      unit: 'KB',
      deterministic: true,
      note: fs.existsSync(map) && !inlineMap ? 'no budget; source map in index.js.map' : 'no budget; source map NOT external',
      detail: { gzBytes: gzipped(bundle), rawBytes: fs.statSync(bundle).size, mapBytes: fs.existsSync(map) ? fs.statSync(map).size : 0, inlineMap },
    }),
  );
  return figures;
}
