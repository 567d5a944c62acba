/**
 * `singleSessionFeature({ singleSession })`: adds to a user resource the "Log out on all sessions" actions and the
 * panel of the user's live sessions on the show page — in the style of @adminjs/passwords and @adminjs/upload: a
 * factory that checks its options when the admin is built (a wrong call fails at start-up with the fix).
 */
import { buildFeature, type FeatureType, type ResourceOptions } from 'adminjs';
import { MAX_IDS } from '../ids.js';
import { buildActions } from './actions.js';
import { componentsFeature, type ComponentKey } from './components.js';
import { resourceTranslations } from './locales/index.js';
import { checkOptions, type CommonOptions } from './options.js';
import { sessionsPanel } from './sessions/user-sessions.js';

/** Options of `singleSessionFeature`. */
export interface SingleSessionFeatureOptions extends CommonOptions {
  /** Most records one request may select. Default 50,000 (the engine's own limit). */
  maxIds?: number;
  /** Show the user's live sessions on their show page. Default `true`. */
  sessionsPanel?: boolean;
}

export function singleSessionFeature(options: SingleSessionFeatureOptions): FeatureType {
  const { singleSession, componentLoader, can, maxIds = MAX_IDS, sessionsPanel: panel = true } =
    checkOptions('singleSessionFeature', options, ['can', 'maxIds', 'sessionsPanel']);
  const components: ComponentKey[] = panel ? ['confirm', 'userSessions'] : ['confirm'];
  const registerComponents = componentsFeature('singleSessionFeature', componentLoader, ...components);
  const actions = buildActions({ singleSession, can, maxIds });
  const panelOptions = panel ? sessionsPanel({ singleSession, can }) : { actions: {}, properties: {} };
  const feature = buildFeature({ actions: { ...actions, ...panelOptions.actions }, properties: panelOptions.properties } as ResourceOptions);
  return (admin, previous: ResourceOptions = {}) => {
    const merged = feature(admin, registerComponents(admin, previous));
    // Resource-scoped texts, so the feature speaks every language even without withSingleSessionTranslations().
    // buildFeature would replace `translations` whole: merge, the host's texts win.
    merged.translations = resourceTranslations(['feature', 'pages'], previous.translations);
    return merged;
  };
}

/**
 * @deprecated since 0.2.0: `singleSessionFeature` shows the sessions panel itself (option `sessionsPanel`). This
 * alias adds the panel alone and goes in the next release.
 */
export function userSessionsFeature(options: Omit<SingleSessionFeatureOptions, 'maxIds' | 'sessionsPanel'>): FeatureType {
  const { singleSession, componentLoader, can } = checkOptions('userSessionsFeature', options, ['can']);
  const registerComponents = componentsFeature('userSessionsFeature', componentLoader, 'userSessions');
  const feature = buildFeature(sessionsPanel({ singleSession, can }) as ResourceOptions);
  return (admin, previous: ResourceOptions = {}) => ({
    ...feature(admin, registerComponents(admin, previous)),
    translations: resourceTranslations(['pages'], previous.translations),
  });
}
