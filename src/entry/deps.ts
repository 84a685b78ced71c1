/** Wires the ports to their Forge adapters; entry points call this once per invocation. */
import { ForgeConfluenceGateway } from '../adapters/confluence-gateway';
import { ForgeJiraGateway } from '../adapters/jira-gateway';
import { ForgePlanQueue } from '../adapters/forge-plan-queue';
import { KvsPlanPageStore } from '../adapters/kvs-plan-pages';
import { ForgeOutboxQueue } from '../adapters/forge-queue';
import { KvsCatalogueStore } from '../adapters/kvs-catalogue';
import { KvsContinuityStore } from '../adapters/kvs-store';
import { KvsDrillStore } from '../adapters/kvs-drills';
import { ForgeLoopQueue } from '../adapters/forge-loop-queue';
import { KvsIndicatorStore, KvsMeasureStore } from '../adapters/kvs-measure';
import { invocationRemainingMs } from '../adapters/product-request';
import type { AppDeps, Clock } from '../ports';

export const systemClock: Clock = { now: () => Date.now() };

export function appDeps(): AppDeps {
  return {
    store: new KvsContinuityStore(),
    catalogue: new KvsCatalogueStore(),
    jira: new ForgeJiraGateway(),
    queue: new ForgeOutboxQueue(),
    indicators: new KvsIndicatorStore(),
    measure: new KvsMeasureStore(),
    confluence: new ForgeConfluenceGateway(),
    planPages: new KvsPlanPageStore(),
    planQueue: new ForgePlanQueue(),
    drills: new KvsDrillStore(),
    loopQueue: new ForgeLoopQueue(),
    clock: systemClock,
    remainingMs: invocationRemainingMs,
  };
}
