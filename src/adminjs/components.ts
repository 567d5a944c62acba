/**
 * The custom components (in `components/`) and their registration, in one place. AdminJS bundles a component only
 * when it is in the AdminJS instance's own ComponentLoader; a component added to another loader leaves the page
 * showing "You have to implement action component". So:
 * - features and resources register their components with the instance's loader while AdminJS builds its resources
 *   (a feature is called with the instance), and refuse a different loader passed to the factory;
 * - a page (or the dashboard) has no such moment, so it needs the loader passed in, and `assertComponentsBundled(admin)`
 *   — run when the guard is built — finds any component of ours that the instance's loader lacks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { default as AdminJS, ComponentLoader, FeatureType } from 'adminjs';
import { adminMessages as m, fail } from './errors.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'components');

/** Our components: the name AdminJS knows each by, and its file in `components/` (`.tsx` from source, `.js` from dist). */
export const COMPONENTS = {
  confirm: { name: 'SingleSessionLogoutConfirmation', file: 'LogoutConfirmation' },
  userSessions: { name: 'SingleSessionUserSessions', file: 'UserSessions' },
  mySessions: { name: 'SingleSessionMySessions', file: 'MySessions' },
  sessionTime: { name: 'SingleSessionTime', file: 'SessionTime' },
  dashboard: { name: 'SingleSessionDashboard', file: 'Dashboard' },
  sessionsList: { name: 'SingleSessionSessionsList', file: 'SessionsList' },
  userTitles: { name: 'SingleSessionUserTitles', file: 'UserTitles' },
} as const;
export type ComponentKey = keyof typeof COMPONENTS;

/** The live sign-out's watcher, over AdminJS's own `SidebarFooter` (which it still renders): on every panel page. */
const LIVE_OVERRIDE = { name: 'SidebarFooter', file: 'LiveSignOut' } as const;

/** Registers the panel's live sign-out watcher with the loader (harmless twice). */
export function addLiveSignOut(loader: ComponentLoader): void {
  loader.override(LIVE_OVERRIDE.name, path.join(DIR, LIVE_OVERRIDE.file));
}

/** Adds components to a loader (adding the same one twice is harmless); returns the name of the first. */
export function addComponents(loader: ComponentLoader, ...keys: ComponentKey[]): string {
  for (const key of keys) loader.add(COMPONENTS[key].name, path.join(DIR, COMPONENTS[key].file));
  return COMPONENTS[keys[0]!].name;
}

/**
 * A resource feature that registers `keys` with the AdminJS instance's loader when AdminJS builds the resource,
 * after checking that a loader passed to the factory (optional) is that same loader.
 */
export function componentsFeature(factory: string, given: ComponentLoader | undefined, ...keys: ComponentKey[]): FeatureType {
  return (admin, options = {}) => {
    if (given !== undefined && given !== admin.componentLoader) fail(m.componentLoaderMismatch(factory));
    addComponents(admin.componentLoader, ...keys);
    return options;
  };
}

/** Start-up check: every component of ours that a page, an action or a property names is in the instance's loader. */
export function assertComponentsBundled(admin: AdminJS): void {
  const ours = new Set<string>(Object.values(COMPONENTS).map((c) => c.name));
  const named = [
    admin.options.dashboard?.component,
    ...Object.values(admin.options.pages ?? {}).map((page) => page?.component),
    ...admin.resources.flatMap((resource) => {
      const decorated = resource.decorate();
      return [
        ...Object.values(decorated.options.actions ?? {}).map((action) => action?.component),
        ...Object.values(decorated.options.properties ?? {}).flatMap((property) => Object.values(property?.components ?? {}) as unknown[]),
      ];
    }),
  ];
  const registered = admin.componentLoader.getComponents();
  const missing = [...new Set(named.filter((name): name is string => typeof name === 'string' && ours.has(name) && !(name in registered)))];
  if (missing.length > 0) fail(m.componentsNotBundled(missing));
}
