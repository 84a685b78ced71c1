/** Resolver of the admin settings page (`jira:adminPage`). The server checks Jira admin on every call. */
import Resolver from '@forge/resolver';
import { SETTINGS } from '../../contract/settings';
import { loadSettings, saveSettings } from '../../services/settings';
import { appDeps } from '../deps';
import { toResolverResult } from './common';

const resolver = new Resolver();

resolver.define(SETTINGS.load, () => toResolverResult(() => loadSettings(appDeps())));
resolver.define(SETTINGS.save, ({ payload }) => toResolverResult(() => saveSettings((payload as { settings?: unknown })?.settings, appDeps())));

export const settingsResolver = resolver.getDefinitions();
