/**
 * The controls page (`/__workbench`): plain forms for the clock, faults, event delivery, the demo's RTO
 * states and resets. host.js sends each form to the control API as JSON and reloads the page; the
 * current state, the faults and the function log are rendered here, every value escaped.
 */
import { esc } from './html';
import { layout, type Chrome } from './pages';

export interface ControlsState {
  clock: { now: string; offsetMs: number };
  faults: ReadonlyArray<object>;
  delivery: { copies?: number; reorderWindow?: number };
  [more: string]: unknown;
}

export interface LogLine {
  at: string;
  level: string;
  functionKey?: string;
  message: string;
}

function faultText(rule: object): string {
  return Object.entries(rule)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

function offsetText(ms: number): string {
  if (!ms) return 'real time';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `${ms > 0 ? '+' : '−'}${Math.floor(minutes / 60)} h ${minutes % 60} min from real time`;
}

export function controlsPage(chrome: Chrome, state: ControlsState, logs: LogLine[]): string {
  const lines = logs
    .slice(-200)
    .reverse()
    .map((l) => `<tr><td>${esc(l.at)}</td><td>${esc(l.level)}</td><td>${esc(l.functionKey ?? '')}</td><td><pre style="margin:0;white-space:pre-wrap">${esc(l.message)}</pre></td></tr>`)
    .join('');
  const faults = state.faults.map((f, i) => `<li data-fault="${i}"><code>${esc(faultText(f))}</code></li>`).join('');
  const copies = Number(state.delivery.copies ?? 1);
  const reorder = Number(state.delivery.reorderWindow ?? 0);
  const mode = copies > 1 ? 'duplicate' : reorder > 0 ? 'reorder' : 'normal';
  const radio = (value: string, text: string) => `<label class="check"><input type="radio" name="mode" value="${value}"${mode === value ? ' checked' : ''}> ${text}</label>`;
  return layout(
    chrome,
    'Controls',
    `<h1>Workbench controls</h1><p>Everything here is also a command: <code>npm run workbench -- help</code>.</p>
<p id="controls-status" role="status" aria-live="polite"></p>
<div class="controls">
<section class="card" aria-labelledby="clock-heading"><h2 id="clock-heading" class="card-title">Clock</h2>
<p>Now: <time id="clock-now" datetime="${esc(state.clock.now)}">${esc(state.clock.now)}</time> <span class="muted">(${esc(offsetText(state.clock.offsetMs))})</span></p>
<form data-control="clock-advance" class="row"><div><label for="clock-advance">Advance by</label><input type="text" id="clock-advance" name="duration" placeholder="30m" required aria-describedby="clock-advance-hint"></div><button type="submit" class="button">Advance</button></form>
<p class="hint" id="clock-advance-hint">A duration: 90s, 30m, 2h, 1d; negative goes back.</p>
<form data-control="clock-set" class="row"><div><label for="clock-set">Set to (ISO time)</label><input type="text" id="clock-set" name="at" placeholder="2026-11-22T03:00:00Z" required></div><button type="submit" class="button">Set</button></form>
<form data-control="clock-reset"><p><button type="submit" class="button">Back to real time</button></p></form></section>

<section class="card" aria-labelledby="faults-heading"><h2 id="faults-heading" class="card-title">Faults</h2>
${faults ? `<ul id="faults">${faults}</ul>` : '<p class="muted" id="faults">No faults: every request is served.</p>'}
<form data-control="fault-add"><div class="row"><div><label for="fault-product">Product</label><select id="fault-product" name="product"><option>jira</option><option>confluence</option><option>kvs</option></select></div>
<div><label for="fault-kind">Fault</label><select id="fault-kind" name="kind"><option value="status">HTTP status</option><option value="latency">Latency</option><option value="timeout">Timeout</option></select></div></div>
<div class="row"><div><label for="fault-value">Status or latency (ms)</label><input type="number" id="fault-value" name="value" value="503" min="0"></div><div><label for="fault-count">Count</label><input type="number" id="fault-count" name="count" min="1" placeholder="every request"></div></div>
<label for="fault-path">Path prefix</label><input type="text" id="fault-path" name="path" placeholder="/rest/api/3/issue">
<label for="fault-method">Method</label><select id="fault-method" name="method"><option value="">Any</option><option>GET</option><option>POST</option><option>PUT</option><option>DELETE</option></select>
<label class="check"><input type="checkbox" id="fault-all-callers" name="allCallers" value="all" aria-describedby="fault-callers-hint"> Also people's requests</label>
<p class="hint" id="fault-callers-hint">A fault affects the app's requests; checked, also those of people's browsers on these pages and of test clients.</p>
<p><button type="submit" class="button">Add fault</button></p></form>
<form data-control="faults-clear"><button type="submit" class="button">Clear faults</button></form></section>

<section class="card" aria-labelledby="events-heading"><h2 id="events-heading" class="card-title">Event delivery</h2>
<form data-control="delivery"><fieldset><legend>Product events are delivered</legend>${radio('normal', 'Once, in order')}${radio('duplicate', 'Twice (duplicates)')}${radio('reorder', 'Reordered')}</fieldset>
<label for="reorder-window">Events held and delivered newest first</label><input type="number" id="reorder-window" name="window" min="2" value="${esc(reorder || 5)}">
<p><button type="submit" class="button">Apply</button></p></form></section>

<section class="card" aria-labelledby="confluence-heading"><h2 id="confluence-heading" class="card-title">Confluence</h2>
<p id="confluence-state">${(state.confluence as { connected?: boolean } | undefined)?.connected === false ? 'The app is <strong>not connected</strong> to Confluence: its Confluence calls fail and its modules are not on the pages.' : 'The app is connected to Confluence.'}</p>
<form data-control="confluence"><p><button type="submit" class="button" name="connected" value="${(state.confluence as { connected?: boolean } | undefined)?.connected === false ? 'true' : 'false'}">${(state.confluence as { connected?: boolean } | undefined)?.connected === false ? 'Connect Confluence' : 'Disconnect Confluence'}</button></p></form>
<p class="hint">Confluence is an optional app of this installation: disconnected, plan pages say Confluence must be connected while the catalogue and incidents keep working.</p></section>

<section class="card" aria-labelledby="demo-heading"><h2 id="demo-heading" class="card-title">Demo</h2>
<form data-control="demo-rto" class="row"><div><label for="demo-rto">OPS-1 at this % of its RTO</label><input type="number" id="demo-rto" name="percent" min="0" max="1000" value="80" required aria-describedby="demo-rto-hint"></div><button type="submit" class="button primary">Move the clock</button></form>
<p class="hint" id="demo-rto-hint">Sets the clock from OPS-1's created time and runs the RTO watch once: 80 gives the 75 % warning, 110 the breach.</p>
<form data-control="reset"><p><button type="submit" class="button" name="site" value="demo">Reset to the demo</button> <button type="submit" class="button" name="site" value="empty">Reset to an empty site</button></p></form>
<p class="hint">An empty site has the users, projects, JSM services and the CONT space, and no catalogue or incidents.</p></section>
</div>
<h2>State</h2><pre class="card state" id="wb-state">${esc(JSON.stringify(state, null, 2))}</pre>
<h2>Function log</h2><table class="list"><thead><tr><th scope="col">Time</th><th scope="col">Level</th><th scope="col">Function</th><th scope="col">Message</th></tr></thead><tbody>${lines || '<tr><td colspan="4" class="muted">Nothing logged yet.</td></tr>'}</tbody></table>`,
  );
}
