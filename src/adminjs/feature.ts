/**
 * `singleSessionFeature({ singleSession, componentLoader, can? })`: adds the "Log out on all sessions" actions
 * to a user resource, in the style of @adminjs/passwords and @adminjs/upload — a factory that checks its options
 * when the admin is built (a wrong call fails at start-up with the fix, not later in a request).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFeature, type ComponentLoader, type FeatureType, type ResourceOptions } from 'adminjs';
import { SessionRegistry } from '../registry.js';
import type { SingleSession } from '../single-session.js';
import { buildActions, COMPONENT_NAME } from './actions.js';
import { fail, featureMessages as m } from './errors.js';
import { singleSessionTranslations } from './locales/index.js';
import { defaultCan, type Can } from './permissions.js';

export interface SingleSessionFeatureOptions {
  /** The engine from `createSingleSession`. */
  singleSession: SingleSession;
  /** The ComponentLoader also given to `new AdminJS({ componentLoader })`: the confirmation page is bundled with it. */
  componentLoader: ComponentLoader;
  /**
   * Does this admin hold this permission? Default: `currentAdmin.permissions` includes it, or the engine's
   * `isAdmin(currentAdmin)` holds (admins hold all).
   */
  can?: Can;
  /** Most records one request may select. Default 50,000 (the engine's own limit). */
  maxIds?: number;
}

const KNOWN = ['singleSession', 'componentLoader', 'can', 'maxIds'] as const;

/** The confirmation page, next to this file (`.tsx` from source, `.js` from dist). AdminJS bundles it itself. */
export const COMPONENT_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'components', 'LogoutConfirmation');

export function singleSessionFeature(options: SingleSessionFeatureOptions): FeatureType {
  const { singleSession, componentLoader, can, maxIds } = validate(options);
  componentLoader.add(COMPONENT_NAME, COMPONENT_PATH);
  const actions = buildActions({ singleSession, can: can ?? defaultCan(singleSession), maxIds: maxIds ?? SessionRegistry.MAX_IDS });
  const feature = buildFeature({ actions } as ResourceOptions);
  return (admin, previous: ResourceOptions = {}) => {
    const merged = feature(admin, previous);
    // Resource-scoped texts, so the feature speaks every language even without withSingleSessionTranslations().
    // buildFeature would replace `translations` whole: merge, the host's texts win.
    merged.translations = mergeTranslations(previous.translations ?? {});
    return merged;
  };
}

function mergeTranslations(host: NonNullable<ResourceOptions['translations']>): NonNullable<ResourceOptions['translations']> {
  const out: Record<string, any> = {};
  for (const language of new Set([...Object.keys(singleSessionTranslations), ...Object.keys(host)])) {
    const ours = (singleSessionTranslations as Record<string, any>)[language] ?? {};
    const theirs = host[language] ?? {};
    out[language] = Object.fromEntries(
      [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].map((block) => [block, { ...ours[block], ...(theirs as any)[block] }]),
    );
  }
  return out;
}

function validate(options: SingleSessionFeatureOptions): SingleSessionFeatureOptions {
  if (options === null || typeof options !== 'object') fail(m.optionsNotObject(options));
  for (const name of Object.keys(options)) if (!(KNOWN as readonly string[]).includes(name)) fail(m.unknownOption(name, KNOWN));
  const { singleSession, componentLoader, can, maxIds } = options;
  if (singleSession === undefined || singleSession === null) fail(m.missingSingleSession);
  if (typeof (singleSession as Partial<SingleSession>).endUserSessions !== 'function') fail(m.notSingleSession(singleSession));
  if (componentLoader === undefined || componentLoader === null) fail(m.missingComponentLoader);
  if (typeof (componentLoader as Partial<ComponentLoader>).add !== 'function') fail(m.notComponentLoader(componentLoader));
  if (can !== undefined && typeof can !== 'function') fail(m.canNotFunction(can));
  if (maxIds !== undefined && !(Number.isInteger(maxIds) && maxIds > 0)) fail(m.maxIdsInvalid(maxIds));
  return options;
}
