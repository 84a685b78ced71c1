/**
 * Builds the Confluence page view with the app's modules (host/confluence-view.ts), as the signed-in
 * person. Each module frame gets the context Confluence gives it: `extension: { type, content: { id,
 * type: 'page' }, space: { id, key } }` (macros also `localId` and their `config`). Byline items get
 * their title from the module's dynamicProperties function, called as Atlassian documents it: payload
 * `{ cloudId, localId, extension }`, and the invocation's principal. The app's macros are the ADF
 * `extension` nodes whose extensionKey ends in `/static/<macro key>` (the form Forge writes:
 * `<app id>/<environment id>/static/<key>`). When the app is not connected to Confluence, none of its
 * modules are on the page.
 */
import type { Workbench } from '../workbench';
import { CLOUD_ID } from '../workbench';
import { APP_USER, findUser } from '../products/users';
import { confluencePageView, type BylineItem } from '../host/confluence-view';
import { frameElement, type Chrome } from '../host/pages';
import type { FrameRegistry } from './bridge';
import { moduleFrames, modulesOfType } from './module-frames';

/** The extensionKey Forge gives a macro of this app in this environment. */
export function macroExtensionKey(wb: Workbench, macroKey: string): string {
  const appUuid = wb.manifest.appId.split('/').pop() ?? 'app';
  return `${appUuid}/workbench/static/${macroKey}`;
}

/** The ADF node the editor inserts for an app macro. */
export function macroNode(wb: Workbench, macroKey: string, title: string, localId: string): Record<string, unknown> {
  const key = macroExtensionKey(wb, macroKey);
  return {
    type: 'extension',
    attrs: {
      extensionType: 'com.atlassian.ecosystem',
      extensionKey: key,
      text: title,
      parameters: { localId, extensionId: `ari:cloud:ecosystem::extension/${key}`, extensionTitle: title, forgeEnvironment: 'DEVELOPMENT', render: 'native', guestParams: {} },
      layout: 'default',
      localId,
    },
  };
}

async function bylineTitle(wb: Workbench, fn: string | undefined, moduleKey: string, extension: Record<string, unknown>, accountId: string): Promise<{ title?: string; tooltip?: string }> {
  if (!fn) return {};
  try {
    const out = (await wb.runtime.invoke('resolver', moduleKey, fn, [{ cloudId: CLOUD_ID, localId: moduleKey, extension }, { principal: { accountId }, installContext: `ari:cloud:confluence::site/${CLOUD_ID}` }], accountId)) as Record<string, unknown> | undefined;
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.slice(0, 255) : undefined);
    return { title: text(out?.title), tooltip: text(out?.tooltip) };
  } catch {
    return {};
  }
}

export async function renderConfluencePage(wb: Workbench, frames: FrameRegistry, chrome: Chrome, pageId: string, spaceKey: string): Promise<string | undefined> {
  const page = wb.confluence.page(pageId);
  if (!page) return undefined;
  const accountId = chrome.user.accountId;
  const extension = { content: { id: page.id, type: 'page' }, space: { id: page.spaceId, key: page.spaceKey } };
  let bodyHtml = wb.confluence.renderPageHtml(pageId);
  const comments = wb.confluence.pageComments(pageId).map((c) => ({ id: c.id, author: findUser(c.authorId)?.displayName ?? (c.authorId === APP_USER.accountId ? APP_USER.displayName : c.authorId), created: c.createdAt, html: c.html }));
  const connected = wb.confluenceConnected;
  const bylines: BylineItem[] = connected
    ? await Promise.all(
        moduleFrames(wb, frames, accountId, chrome.colorMode, 'confluence:contentBylineItem', extension).map(async (f) => {
          const module = f.module as typeof f.module & { tooltip?: string };
          const dynamic = await bylineTitle(wb, module.dynamicProperties?.function, f.moduleKey, { type: 'confluence:contentBylineItem', ...extension }, accountId);
          return { ...f, heading: dynamic.title ?? f.title, tooltip: dynamic.tooltip ?? module.tooltip };
        }),
      )
    : [];
  const actions = connected ? moduleFrames(wb, frames, accountId, chrome.colorMode, 'confluence:contentAction', extension) : [];
  const macros = connected ? modulesOfType(wb, 'macro') : [];
  if (connected) {
    bodyHtml = bodyHtml.replace(/<div class="wb-forge-macro" data-forge-macro="([^"]*)"([^>]*)><span class="wb-macro-label">[^<]*<\/span><\/div>/g, (whole, key: string, rest: string) => {
      const macro = macros.find((m) => key === m.key || key.endsWith(`/static/${m.key}`));
      if (!macro) return whole;
      const localId = /data-local-id="([^"]*)"/.exec(rest)?.[1] ?? macro.key;
      const [frame] = moduleFrames(wb, frames, accountId, chrome.colorMode, 'macro', { ...extension, localId, config: {} }).filter((f) => f.moduleKey === macro.key);
      return `<div class="wb-forge-macro-frame" data-macro="${macro.key}">${frameElement(frame)}</div>`;
    });
  }
  return confluencePageView(chrome, {
    id: page.id,
    title: page.title,
    version: page.version,
    spaceKey: spaceKey || page.spaceKey,
    bodyHtml,
    bylines,
    actions,
    macros: macros.map((m) => ({ moduleKey: m.key, title: m.title ?? m.key })),
    comments,
    ...(connected ? {} : { appMissing: true }),
  });
}
