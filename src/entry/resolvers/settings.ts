/** Resolver of the admin settings page (`jira:adminPage`). The server checks Jira admin on every call. */
import Resolver from '@forge/resolver';
import { SETTINGS } from '../../contract/settings';
import { z } from 'zod';
import type { PlanLocationInput } from '../../contract/settings';
import { checkPlanPlace, checkTypedSettings, loadSettings, saveSettings } from '../../services/settings';
import { appDeps } from '../deps';
import { toResolverResult } from './common';
import { parseInput } from './schemas';

const planLocationInput: z.ZodType<PlanLocationInput, unknown> = z.object({
  planSpaceKey: z.string({ error: 'The plan space key must be text.' }).max(255, 'The plan space key is too long.').optional(),
  planParentPageId: z.string({ error: 'The parent page must be text.' }).max(40, 'The parent page is a page id (digits).').optional(),
});

const resolver = new Resolver();

resolver.define(SETTINGS.load, () => toResolverResult(() => loadSettings(appDeps())));
resolver.define(SETTINGS.checkPlanLocation, ({ payload }) => toResolverResult(() => checkPlanPlace(parseInput(planLocationInput, payload), appDeps())));
resolver.define(SETTINGS.save, ({ payload }) => toResolverResult(() => saveSettings((payload as { settings?: unknown })?.settings, appDeps())));
resolver.define(SETTINGS.checkConfiguration, ({ payload }) => toResolverResult(() => checkTypedSettings((payload as { settings?: unknown })?.settings, appDeps())));

export const settingsResolver = resolver.getDefinitions();
