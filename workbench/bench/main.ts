/**
 * `npm run bench [-- --quick] [-- --only p1,storm]`: runs the bench, prints the table, writes
 * dist/bench/results.json (and results-full.json for a full run) and the table in markdown, and exits
 * non-zero when a deterministic budget is exceeded. Timings are reported, never failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runBench } from './bench';
import { failures, table } from './report';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? (args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined);
  const root = process.env.BENCH_ROOT ?? path.resolve(__dirname, '../..');
  const result = await runBench({ root, quick, only: onlyArg?.split(',').filter(Boolean), log: (l) => console.log(l) });
  console.log(`\n${quick ? 'Quick' : 'Full'} bench, ${(result.durationMs / 1000).toFixed(1)} s (node ${result.machine.node}, ${result.machine.cpus} CPUs, ${result.machine.arch})\n`);
  console.log(table(result.figures));
  const out = path.join(root, 'dist/bench');
  fs.mkdirSync(out, { recursive: true });
  const json = JSON.stringify(result, null, 2);
  fs.writeFileSync(path.join(out, 'results.json'), json);
  if (!quick) fs.writeFileSync(path.join(out, 'results-full.json'), json);
  // The same table in markdown, with the machine, for workbench/bench/RESULTS.md.
  const m = result.machine;
  const md = `${quick ? 'Quick' : 'Full'} bench, ${result.startedAt}, ${(result.durationMs / 1000).toFixed(0)} s: node ${m.node}, ${m.cpus} CPUs, ${m.arch} (${m.platform})\n\n${table(result.figures, true)}\n`;
  fs.writeFileSync(path.join(out, quick ? 'results.md' : 'results-full.md'), md);
  const failed = failures(result.figures);
  if (failed.length > 0) {
    console.log(`\n${failed.length} deterministic budget(s) exceeded: ${failed.map((f) => f.id).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
