/** Wires the ports to their Forge adapters; entry points call this once per invocation. */
import { ForgeJiraGateway } from '../adapters/jira-gateway';
import { KvsContinuityStore } from '../adapters/kvs-store';
import type { Clock } from '../ports';

export const systemClock: Clock = { now: () => Date.now() };

export function appDeps() {
  return { store: new KvsContinuityStore(), jira: new ForgeJiraGateway(), clock: systemClock };
}
