/**
 * The app's UI modules as the host places them: one frame per module of a type, each bound on the
 * server to its module, the signed-in person and its extension context; module icons; and the
 * dynamic properties a module may declare.
 */
import type { Workbench } from '../workbench';
import { CLOUD_ID } from '../workbench';
import type { UiModuleDef } from '../runtime/manifest';
import type { PanelFrame } from '../host/pages';
import type { ContextStatus } from '../host/issue-view';
import { forgeContext, type FrameRegistry } from './bridge';

/** A UI module with the optional manifest properties the host reads. */
export type UiModule = UiModuleDef & {
  icon?: string;
  label?: string;
  status?: ContextStatus;
  dynamicProperties?: { function?: string };
};

export interface ModuleFrame extends PanelFrame {
  module: UiModule;
}

export function modulesOfType(wb: Workbench, type: string): UiModule[] {
  return wb.manifest.uiModules.filter((m) => m.type === type) as UiModule[];
}

/** `resource:<key>;<path>` names a file of a declared resource; an absolute URL is used as it is. */
export function iconUrl(icon: string | undefined): string | undefined {
  if (!icon) return undefined;
  const m = /^resource:([a-zA-Z0-9_-]+);(.+)$/.exec(icon);
  if (m) return `/__forge/resource/${m[1]}/${m[2].split('/').map(encodeURIComponent).join('/')}`;
  return /^https?:\/\//.test(icon) ? icon : undefined;
}

export function moduleFrames(wb: Workbench, frames: FrameRegistry, accountId: string, colorMode: 'light' | 'dark', type: string, extension: Record<string, unknown>): ModuleFrame[] {
  return modulesOfType(wb, type).map((m) => {
    const token = frames.create({ moduleKey: m.key, moduleType: type, resourceKey: m.resource, accountId, extension: { type, ...extension }, colorMode });
    return { module: m, title: m.title ?? m.key, moduleKey: m.key, token, icon: iconUrl(m.icon), src: `/__forge/resource/${m.resource}/index.html?frame=${token}` };
  });
}

export interface DynamicProperties {
  title?: string;
  label?: string;
  status?: ContextStatus;
}

/**
 * Runs a module's `dynamicProperties` function, if it declares one, with the payload Jira documents for
 * an issue context (`{ cloudId, extension }`: the issue and project its frame renders on), and keeps
 * only the properties the host can show. A failing function is logged by the runtime and the module
 * keeps its manifest properties.
 */
export async function dynamicProperties(wb: Workbench, frames: FrameRegistry, f: ModuleFrame): Promise<DynamicProperties | undefined> {
  const fn = f.module.dynamicProperties?.function;
  const frame = frames.get(f.token);
  if (!fn || !frame) return undefined;
  let out: unknown;
  try {
    const { cloudId, extension } = forgeContext(wb, frame);
    out = await wb.runtime.invoke('resolver', f.moduleKey, fn, [{ cloudId, extension }, { principal: { accountId: frame.accountId }, installContext: `ari:cloud:jira::site/${CLOUD_ID}` }], frame.accountId);
  } catch {
    return undefined;
  }
  if (!out || typeof out !== 'object') return undefined;
  const o = out as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.slice(0, 255) : undefined);
  const status = o.status as ContextStatus | undefined;
  return {
    title: text(o.title),
    label: text(o.label),
    status: status && typeof status === 'object' && ['badge', 'lozenge', 'icon'].includes(status.type) && text(status.value?.label) ? status : undefined,
  };
}
