/**
 * The workbench's command line: `start` runs it; every other command controls the running one, found
 * through the record `start` leaves in the data directory (or --url). `help` lists them all
 * (commands/help.ts).
 */
import path from 'node:path';
import { Workbench } from './workbench';
import type { FaultRule } from './control/faults';
import { helpText } from './commands/help';
import { NoWorkbenchError, recordRunning, runningUrl } from './commands/running';
import { applyFaultFlags, platformCommand } from './cli-platform';

const DEFAULT_PORT = 4411;


/** Options every command takes, wherever they stand in the arguments: `--url URL`, `--data-dir DIR` (or `--url=URL`). */
export const GLOBAL_OPTIONS = ['url', 'data-dir'] as const;

/**
 * The arguments with the global options moved after the command and its own arguments, so that
 * `--url http://127.0.0.1:4520 help` and `help --url http://127.0.0.1:4520` mean the same.
 */
export function globalOptionsLast(argv: string[]): string[] {
  const rest: string[] = [];
  const globals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !(GLOBAL_OPTIONS as readonly string[]).includes(m[1])) {
      rest.push(argv[i]);
      continue;
    }
    const value = m[2] ?? argv[i + 1];
    if (value === undefined || value === '' || (m[2] === undefined && value.startsWith('--'))) throw new Error(`--${m[1]} needs a value, e.g. ${m[1] === 'url' ? '--url http://127.0.0.1:4411' : '--data-dir .workbench-data'}`);
    if (m[2] === undefined) i++;
    globals.push(`--${m[1]}`, value);
  }
  return [...rest, ...globals];
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function parseDuration(text: string): number {
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new Error(`Not a duration: ${text} (try 90s, 30m, 2h, 1d)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}

/** `jira:429:retry-after=2:count=3`, `confluence:503`, `jira:latency=500`, `kvs:timeout`, `jira:503:all-callers` */
export function parseFaultSpec(spec: string): FaultRule {
  const [product, ...parts] = spec.split(':');
  if (!['jira', 'confluence', 'kvs'].includes(product)) throw new Error(`Fault product must be jira, confluence or kvs: ${spec}`);
  const rule: FaultRule = { product: product as FaultRule['product'] };
  for (const part of parts) {
    const [k, v] = part.split('=');
    if (/^\d{3}$/.test(k)) rule.status = Number(k);
    else if (k === 'timeout') rule.timeout = true;
    else if (k === 'latency') rule.latencyMs = Number(v);
    else if (k === 'retry-after') rule.retryAfterSeconds = Number(v);
    else if (k === 'rate-limit-reset') rule.rateLimitReset = true;
    else if (k === 'count') rule.count = Number(v);
    else if (k === 'probability') rule.probability = Number(v);
    else if (k === 'path') rule.pathPrefix = v;
    else if (k === 'path-suffix') rule.pathSuffix = v;
    else if (k === 'timeout-ms') rule.timeoutMs = Number(v);
    else if (k === 'after-serve') rule.afterServe = true;
    else if (k === 'for') rule.forMs = parseDuration(v);
    else if (k === 'method') rule.method = v;
    else if (k === 'all-callers') rule.callers = 'all';
    else throw new Error(`Unknown fault option '${part}' in ${spec}`);
  }
  return rule;
}

const dataDirOf = (args: string[]) => path.resolve(__dirname, '..', '..', flag(args, 'data-dir') ?? '.workbench-data');

async function start(args: string[]): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const port = Number(flag(args, 'port') ?? process.env.PORT ?? DEFAULT_PORT);
  const dataDir = dataDirOf(args);
  const wb = new Workbench({
    root,
    dataDir,
    port,
    seed: true,
    onLog: (e) => process.stdout.write(`${e.at.slice(11, 19)} [${e.level}] ${e.functionKey ?? ''}${e.functionKey ? ': ' : ''}${e.message}\n`),
  });
  for (let i = 0; i < args.length; i++) if (args[i] === '--fault') wb.faults.add(parseFaultSpec(args[++i]));
  if (args.includes('--duplicate-events')) wb.events.configure({ copies: 2 });
  const reorder = flag(args, 'reorder-events');
  if (reorder) wb.events.configure({ reorderWindow: Number(reorder) });
  const url = await wb.start();
  const forget = recordRunning(dataDir, url);
  process.on('exit', forget);
  if (args.includes('--reset')) await wb.reset({ empty: args.includes('--empty') });
  await wb.idle();
  wb.startSchedules();
  console.log(`\nService Continuity workbench is running.\n  Open ${url}/  (incidents; open OPS-1 to see the continuity panel)\n  Plans: ${url}/wiki/spaces/CONT   Controls: ${url}/__workbench\n  Data: ${path.relative(process.cwd(), dataDir) || dataDir}  (npm run workbench -- help lists the controls; reset restores the demo)\n`);
  const stop = async () => {
    forget();
    await wb.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function control(args: string[]): Promise<void> {
  const post = async (route: string, body?: unknown, method = 'POST') => {
    const base = flag(args, 'url') ?? runningUrl(dataDirOf(args));
    const res = await fetch(`${base}/__workbench/api/${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).catch(() => {
      throw new NoWorkbenchError(`No workbench answers at ${base}: start one with \`npm start\`.`);
    });
    const out = await res.json();
    if (!res.ok) throw new Error(JSON.stringify(out));
    console.log(JSON.stringify(out, null, 2));
  };
  const [cmd, a, b] = args;
  switch (cmd) {
    case 'state':
      return post('state', undefined, 'GET');
    case 'reset':
      return post('reset', args.includes('--empty') ? { empty: true } : undefined);
    case 'demo':
      if (a === 'rto' && b !== undefined) return post('demo/rto', { percent: Number(b) });
      break;
    case 'clock':
      if (a === 'advance') return post('clock', { advanceMs: parseDuration(b) });
      if (a === 'set') return post('clock', { set: b });
      if (a === 'reset') return post('clock', { reset: true });
      break;
    case 'fault': {
      const rule: FaultRule = { product: a as FaultRule['product'] };
      if (b === 'latency') rule.latencyMs = Number(args[3]);
      else if (b === 'timeout') rule.timeout = true;
      else rule.status = Number(b);
      if (flag(args, 'retry-after')) rule.retryAfterSeconds = Number(flag(args, 'retry-after'));
      if (args.includes('--rate-limit-reset')) rule.rateLimitReset = true;
      if (flag(args, 'count')) rule.count = Number(flag(args, 'count'));
      if (flag(args, 'path')) rule.pathPrefix = flag(args, 'path');
      if (flag(args, 'path-suffix')) rule.pathSuffix = flag(args, 'path-suffix');
      if (flag(args, 'timeout-ms')) rule.timeoutMs = Number(flag(args, 'timeout-ms'));
      if (flag(args, 'method')) rule.method = flag(args, 'method');
      if (args.includes('--after-serve')) rule.afterServe = true;
      if (args.includes('--all-callers')) rule.callers = 'all';
      return post('faults', applyFaultFlags(rule, args));
    }
    case 'faults':
      if (a === 'clear') return post('faults', undefined, 'DELETE');
      return post('faults', undefined, 'GET');
    case 'events':
      if (a === 'duplicate') return post('delivery', { copies: 2 });
      if (a === 'reorder') return post('delivery', { reorderWindow: Number(b ?? 5) });
      if (a === 'normal') return post('delivery', { copies: 1, reorderWindow: 0, loseNext: 0 });
      if (a === 'lose') return post('delivery', { loseNext: Number(b ?? 1) });
      break;
    case 'run-scheduled':
      return post(`scheduled/${a}/run`);
    case 'confluence':
      if (a === 'disconnect') return post('confluence/connection', { connected: false });
      if (a === 'connect') return post('confluence/connection', { connected: true });
      if (a === undefined) return post('confluence', undefined, 'GET');
      break;
  }
  if (await platformCommand(args, post)) return;
  console.error(`Unknown command: ${args.join(' ')}\n\n${helpText()}`);
  process.exitCode = 2;
}

async function main(): Promise<void> {
  const argv = globalOptionsLast(process.argv.slice(2));
  if (GLOBAL_OPTIONS.some((o) => argv[0] === `--${o}`)) {
    // Global options and no command (they were moved last, so nothing else was given).
    console.error(`Name a command after the options.\n\n${helpText()}`);
    process.exitCode = 2;
    return;
  }
  const [command = 'start', ...rest] = argv;
  if (command === 'start') return start(rest);
  if (['help', '--help', '-h'].includes(command)) return void process.stdout.write(helpText());
  return control([command, ...rest]);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
