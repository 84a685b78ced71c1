/**
 * Control API routes for the demo (`/__workbench/api/...`): `POST reset` (`{ empty: true }` for a site
 * without the demo) and `POST demo/rto` (`{ percent }`, see demo/rto-demo.ts). Answers `[status, body]`,
 * or undefined for routes that are not these.
 */
import type { Workbench } from '../workbench';
import { DemoControlError, setRtoPercent } from '../demo/rto-demo';

export async function demoControl(wb: Workbench, method: string, route: string, body: Record<string, any> | undefined): Promise<[number, unknown] | undefined> {
  if (method !== 'POST') return undefined;
  if (route === 'reset') {
    const empty = body?.empty === true;
    await wb.reset({ empty });
    return [200, empty ? { reset: true, empty: true } : { reset: true }];
  }
  if (route === 'demo/rto') {
    try {
      return [200, await setRtoPercent(wb, body?.percent)];
    } catch (error) {
      if (error instanceof DemoControlError) return [error.status, { error: error.message }];
      throw error;
    }
  }
  return undefined;
}
