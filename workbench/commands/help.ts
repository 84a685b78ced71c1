/** Every command of `npm run workbench -- <command>`, one line each (`help` prints them). */
export const COMMANDS: ReadonlyArray<[usage: string, what: string]> = [
  ['start', 'run the workbench (npm start): --port 4411, --data-dir DIR, --reset [--empty], --fault SPEC, --duplicate-events, --reorder-events N'],
  ['help', 'this list'],
  ['state', 'clock, faults, event delivery, queues and storage of the running workbench'],
  ['reset', 'back to the demo: catalogue, plans and incidents'],
  ['reset --empty', 'an empty site: users, projects, JSM services and the CONT space only'],
  ['demo rto PERCENT', "put OPS-1 at PERCENT of its RTO (clock from its created time) and run the RTO watch: 80 warns, 110 breaches"],
  ['clock advance 30m', 'move time forward (90s, 30m, 2h, 1d; negative goes back)'],
  ['clock set 2026-11-22T03:00:00Z', 'jump to a time'],
  ['clock reset', 'back to real time'],
  ['fault PRODUCT STATUS', "answer the app's jira, confluence or kvs requests with 429, 503, ...: --count N, --path P, --path-suffix S, --method M, --retry-after S, --rate-limit-reset, --after-serve, --all-callers (people's and test clients' requests too)"],
  ['fault PRODUCT latency MS', 'slow requests to a product down (also takes --count, --path, --method)'],
  ['fault PRODUCT timeout', 'make requests to a product time out: --timeout-ms MS (default 10 s)'],
  ['faults', 'list the injected faults, with how many of each remain'],
  ['faults clear', 'remove every injected fault'],
  ['events duplicate', 'deliver every product event twice'],
  ['events reorder N', 'hold product events and deliver each N newest first'],
  ['events lose N', 'lose the next N product events (never delivered): the watch must find what they announced'],
  ['events normal', 'deliver product events once, in order'],
  ['run-scheduled KEY', 'run a scheduledTrigger now (e.g. continuity-rto-watch, continuity-plan-pages)'],
  ['confluence disconnect | confluence connect | confluence', "take the app out of Confluence (its Confluence calls fail, its modules leave the pages) | put it back | show which"],
  ['fault PRODUCT STATUS --for 8s', 'a fault that lasts 8 s of real time (any fault takes --for; --probability 0.3 hits about 30 %)'],
  ['ratelimit jira 100/s', "Jira Cloud's limits on the app's requests: --burst N, --per-issue-writes N/s, --quota N/h (429 + Retry-After)"],
  ['ratelimit off | ratelimit', 'turn the Jira rate limiter off | show its settings and 429 counts'],
  ['queues rate 100/min | queues delay 2s | queues normal | queues', 'queue push limit (Forge: 500/min), an extra delivery delay, defaults, counters'],
  ['events scale 0.001', 'shrink product-event retry waits (retryAfter up to 900 s)'],
  ['invocations | invocations clear', 'summary of recorded function invocations and their platform calls | forget them'],
];

export const OPTIONS = '--url URL talks to that workbench; otherwise the one `npm start` recorded in --data-dir (default .workbench-data). Both go anywhere: before or after the command.';

export function helpText(): string {
  const width = Math.max(...COMMANDS.map(([u]) => u.length));
  const lines = COMMANDS.map(([usage, what]) => `  ${usage.padEnd(width)}  ${what}`);
  return ['Usage: npm run workbench -- <command>', '', ...lines, '', OPTIONS, ''].join('\n');
}
