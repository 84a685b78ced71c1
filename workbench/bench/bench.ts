/**
 * The performance bench: drives the real app through an in-process workbench and headless Chromium,
 * and measures each figure against its budget (see report.ts). `runBench({ quick })` is what
 * `npm run bench [-- --quick]` and the quick bench's jest test run.
 */
import os from 'node:os';
import { startBenchWorkbench, type BenchWorkbench } from './env';
import { p1Figures } from './p1';
import { panelFigures } from './panel';
import { stormFigures } from './storm';
import { growthFigures } from './growth';
import { sizeFigures } from './sizes';
import type { Figure } from './report';

export interface BenchOptions {
  root: string;
  quick: boolean;
  /** Which figures to run (all by default): p1, panel, storm, growth, sizes. */
  only?: string[];
  log?: (line: string) => void;
}

export interface BenchResult {
  mode: 'quick' | 'full';
  startedAt: string;
  durationMs: number;
  machine: { node: string; cpus: number; arch: string; platform: string };
  figures: Figure[];
}

async function withWorkbench(root: string, run: (b: BenchWorkbench) => Promise<unknown>): Promise<void> {
  const b = await startBenchWorkbench(root);
  try {
    await run(b);
  } finally {
    await b.stop();
  }
}

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const wants = (f: string) => !opts.only || opts.only.length === 0 || opts.only.includes(f);
  const figures: Figure[] = [];

  // Each part gets a workbench of its own, so one's data and queues do not slow another down.
  if (wants('p1') || wants('panel')) {
    await withWorkbench(opts.root, async (b) => {
      if (wants('p1')) {
        log('P1 linking…');
        figures.push(...(await p1Figures(b, opts.quick ? 5 : 20)));
      }
      if (wants('panel')) {
        log('Panel open…');
        figures.push(...(await panelFigures(b, opts.quick ? 3 : 30)));
      }
    });
  }
  if (wants('storm')) {
    const size = opts.quick ? { incidents: 60, services: 10, windowMs: 2_000, outboxTimeoutMs: 120_000 } : { incidents: 500, services: 50, windowMs: 10_000 };
    log(`Storm: ${size.incidents} P1s across ${size.services} services within ${size.windowMs / 1000} s…`);
    await withWorkbench(opts.root, async (b) => figures.push(...(await stormFigures(b, size, log))));
  }
  if (wants('growth')) {
    const sizes = opts.quick ? [100, 1_000] : [100, 1_000, 10_000];
    log(`Growth: ${sizes.join(', ')} services…`);
    await withWorkbench(opts.root, async (b) => figures.push(...(await growthFigures(b, sizes, log))));
  }
  if (wants('sizes')) {
    log('Sizes…');
    figures.push(...sizeFigures(opts.root));
  }

  return {
    mode: opts.quick ? 'quick' : 'full',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine: { node: process.version, cpus: os.cpus().length, arch: os.machine(), platform: os.platform() },
    figures,
  };
}
