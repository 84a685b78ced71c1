/**
 * The control API (`/__workbench/api/...`): clock, fault injection, event delivery, reset and the demo's
 * RTO states (demo-controls.ts), running scheduled triggers and automation actions on demand; rate
 * limits, queues and invocation records are in platform-controls.ts. Tests call it over HTTP; so do
 * `npm run workbench -- <command>` and the controls page.
 */
import type http from 'node:http';
import type { Workbench } from '../workbench';
import type { FaultRule } from '../control/faults';
import { parseJson, readBody } from './product-http';
import { controlState } from './server';
import { demoControl } from './demo-controls';
import { platformControl } from './platform-controls';
import { confluenceControl, insertMacro } from './confluence-controls';

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function controlApi(wb: Workbench, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const route = url.pathname.slice('/__workbench/api/'.length);
  const method = req.method ?? 'GET';
  const body = (method === 'GET' ? undefined : parseJson(await readBody(req))) as Record<string, any> | undefined;
  try {
    if (method === 'GET' && route === 'state') return json(res, 200, controlState(wb));
    if (method === 'GET' && route === 'logs') return json(res, 200, wb.runtime.logs);
    const platform = platformControl(wb, method, route, body, url.searchParams) ?? confluenceControl(wb, method, route, body);
    if (platform) return json(res, platform.status, platform.body);
    if (method === 'POST' && route === 'clock') {
      if (body?.reset) wb.clock.reset();
      if (body?.set !== undefined) {
        const at = typeof body.set === 'number' ? body.set : Date.parse(String(body.set));
        if (Number.isNaN(at)) return json(res, 400, { error: `clock.set must be an ISO time or epoch ms, got ${JSON.stringify(body.set)}` });
        wb.clock.set(at);
      }
      if (body?.advanceMs !== undefined) {
        if (typeof body.advanceMs !== 'number') return json(res, 400, { error: 'clock.advanceMs must be a number' });
        wb.clock.advance(body.advanceMs);
      }
      return json(res, 200, controlState(wb).clock);
    }
    if (route === 'faults') {
      if (method === 'DELETE') wb.faults.clear();
      else if (method === 'POST') {
        const rules = (Array.isArray(body?.rules) ? body!.rules : [body]) as FaultRule[];
        for (const rule of rules) {
          if (!rule || !['jira', 'confluence', 'kvs'].includes(rule.product)) return json(res, 400, { error: 'Each fault rule needs product: jira | confluence | kvs' });
          if (rule.callers !== undefined && rule.callers !== 'app' && rule.callers !== 'all') return json(res, 400, { error: "A fault rule's callers is 'app' (the app's requests, the default) or 'all' (people's and test clients' too)" });
        }
        if (body?.replace) wb.faults.set(rules);
        else for (const rule of rules) wb.faults.add(rule);
      }
      return json(res, 200, wb.faults.list());
    }
    if (method === 'POST' && route === 'confluence/insert-macro') {
      const inserted = await insertMacro(wb, body);
      return json(res, inserted.status, inserted.body);
    }
    if (method === 'POST' && route === 'delivery') {
      wb.events.configure(body ?? {});
      return json(res, 200, wb.events.settings);
    }
    const demo = await demoControl(wb, method, route, body);
    if (demo) return json(res, ...demo);
    if (method === 'POST' && route === 'idle') {
      await wb.idle();
      return json(res, 200, { idle: true });
    }
    const scheduled = route.match(/^scheduled\/([a-z0-9-]+)\/run$/);
    if (method === 'POST' && scheduled) return json(res, 200, { result: (await wb.runtime.invokeScheduled(scheduled[1])) ?? null });
    const action = route.match(/^actions\/([a-z0-9-]+)$/);
    if (method === 'POST' && action) return json(res, 200, { result: (await wb.runtime.invokeAction(action[1], body?.inputs ?? {}, body?.accountId)) ?? null });
    return json(res, 404, { error: `Unknown control ${method} ${route}` });
  } catch (error) {
    return json(res, 500, { error: (error as Error).message });
  }
}
