/** Reads manifest.yml into the shapes the local runtime needs. */
import fs from 'node:fs';
import YAML from 'yaml';
import type { EntityDefinition } from '../storage/kvs-service';

export interface FunctionDef {
  key: string;
  handler: string;
  timeoutSeconds?: number;
}
export interface TriggerDef {
  key: string;
  function: string;
  events: string[];
  filter?: { ignoreSelf?: boolean };
}
export interface UiModuleDef {
  type: string;
  key: string;
  resource: string;
  resolver?: { function: string };
  title?: string;
}
export interface ConsumerDef {
  key: string;
  queue: string;
  function: string;
}
export interface ScheduledDef {
  key: string;
  function: string;
  interval: 'fiveMinute' | 'hour' | 'day' | 'week';
}
export interface ActionDef {
  key: string;
  function: string;
  inputs?: Record<string, { type: string; required?: boolean }>;
}
export interface EntityPropertyDef {
  key: string;
  propertyKey: string;
  entityType?: string;
  values: Array<{ path: string; type: 'number' | 'string' | 'text' | 'user' | 'date'; searchAlias?: string }>;
}

export interface AppManifest {
  appId: string;
  runtime: string;
  scopes: string[];
  functions: Map<string, FunctionDef>;
  triggers: TriggerDef[];
  uiModules: UiModuleDef[];
  consumers: ConsumerDef[];
  scheduled: ScheduledDef[];
  actions: ActionDef[];
  entityProperties: EntityPropertyDef[];
  resources: Map<string, string>;
  entities: EntityDefinition[];
}

const UI_MODULE_TYPES = ['jira:issuePanel', 'jira:globalPage', 'jira:adminPage', 'jira:issueContext', 'jira:projectPage', 'macro', 'confluence:contentBylineItem', 'confluence:contentAction', 'confluence:globalPage'];

export function loadManifest(file: string): AppManifest {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
  const modules = (doc.modules ?? {}) as Record<string, any[]>;
  const uiModules: UiModuleDef[] = [];
  for (const type of UI_MODULE_TYPES) for (const m of modules[type] ?? []) uiModules.push({ type, ...m });
  return {
    appId: doc.app?.id,
    runtime: doc.app?.runtime?.name,
    scopes: doc.permissions?.scopes ?? [],
    functions: new Map((modules.function ?? []).map((f: FunctionDef) => [f.key, f])),
    triggers: modules.trigger ?? [],
    uiModules,
    consumers: modules.consumer ?? [],
    scheduled: modules.scheduledTrigger ?? [],
    actions: modules.action ?? [],
    entityProperties: modules['jira:entityProperty'] ?? [],
    resources: new Map((doc.resources ?? []).map((r: { key: string; path: string }) => [r.key, r.path])),
    entities: doc.app?.storage?.entities ?? [],
  };
}
