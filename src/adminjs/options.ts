/**
 * The one options checker of the AdminJS factories (feature, resources, page, guards): each option is checked by
 * the same rule wherever it appears, when the admin is built, so a wrong call fails at start-up with the fix.
 */
import type { ComponentLoader } from 'adminjs';
import type { SingleSession } from '../single-session.js';
import { adminMessages as m, fail } from './errors.js';
import { defaultCan, type Can } from './permissions.js';

/** The options the factories share. */
export interface CommonOptions {
  /** The engine from `createSingleSession`. */
  singleSession: SingleSession;
  /** The ComponentLoader given to `new AdminJS({ componentLoader })`. */
  componentLoader?: ComponentLoader;
  /** Does this admin hold this permission? Default: the admin's `permissions` list includes it, or `isAdmin` holds. */
  can?: Can;
}

/**
 * Where a resource of ours sits in AdminJS's menu (AdminJS's `navigation`): a group `{ name, icon? }` (or its name),
 * `{ name: null, icon }` or `null` for the top level, `false` to leave it out of the menu (its pages still work).
 */
export type Navigation = {
  /** The group's name (a label key: translated where the locale has it); `null`: the top level. */
  name?: string | null;
  /** An icon of AdminJS's set (feather icons: `'Shield'`, `'Key'`, `'Users'`, …). */
  icon?: string;
} | string | null | false;

/**
 * The group of the Sessions and audit resources unless `navigation` says otherwise. AdminJS's default would be a group
 * named after the database ("127 0 0 1" for a local server). The name is a label key too (`labels.Sessions`).
 */
export const DEFAULT_NAVIGATION = { name: 'Sessions', icon: 'Shield' } as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isNavigation(v: unknown): boolean {
  if (v === null || v === false) return true;
  if (typeof v === 'string') return v.trim() !== '';
  if (!isObject(v) || Object.keys(v).some((key) => key !== 'name' && key !== 'icon')) return false;
  const nameOk = v.name === undefined || v.name === null || (typeof v.name === 'string' && v.name.trim() !== '');
  const iconOk = v.icon === undefined || (typeof v.icon === 'string' && v.icon !== '');
  return nameOk && iconOk;
}

/** Rules for the options that more than one factory takes (`singleSession` and `componentLoader` every one). */
const RULES: Record<string, (factory: string, value: unknown) => void> = {
  singleSession: (factory, v) => {
    if (v === undefined || v === null) fail(m.missingSingleSession(factory));
    const engine = v as Partial<SingleSession>;
    if (typeof engine.endUserSessions !== 'function' || typeof engine.isAdmin !== 'function') fail(m.notSingleSession(factory, v));
  },
  componentLoader: (factory, v) => {
    if (v !== undefined && typeof (v as Partial<ComponentLoader>).add !== 'function') fail(m.notComponentLoader(factory, v));
  },
  can: (factory, v) => {
    if (v !== undefined && typeof v !== 'function') fail(m.canNotFunction(factory, v));
  },
  maxIds: (factory, v) => {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) > 0)) fail(m.notPositiveInteger(factory, 'maxIds', v));
  },
  exactCountUpTo: (factory, v) => {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) > 0)) fail(m.notPositiveInteger(factory, 'exactCountUpTo', v));
  },
  userResourceId: (factory, v) => {
    if (v !== undefined && (typeof v !== 'string' || v === '')) fail(m.notNonEmptyString(factory, 'userResourceId', v));
  },
  actions: (factory, v) => {
    if (!Array.isArray(v) || v.length === 0 || !v.every((a) => typeof a === 'string' && a !== '')) fail(m.notActionNames(factory, v));
  },
  freshAgeMs: (factory, v) => {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) > 0)) fail(m.notPositiveInteger(factory, 'freshAgeMs', v));
  },
  sessionsPanel: (factory, v) => {
    if (v !== undefined && typeof v !== 'boolean') fail(m.notBoolean(factory, 'sessionsPanel', v));
  },
  navigation: (factory, v) => {
    if (v !== undefined && !isNavigation(v)) fail(m.notNavigation(factory, v));
  },
};

export type OptionName = 'can' | 'maxIds' | 'userResourceId' | 'sessionsPanel' | 'exactCountUpTo' | 'actions' | 'freshAgeMs' | 'navigation';

/**
 * Checks a factory's options: an object, known names only, each by its rule; `componentLoader` present when the
 * factory `needsLoader` (a page: it has no other way to reach AdminJS's loader). Returns them with `can` filled in.
 */
export function checkOptions<T extends CommonOptions>(
  factory: string, options: T, extra: readonly OptionName[], { needsLoader = false } = {},
): T & { can: Can } {
  if (!isObject(options)) fail(m.optionsNotObject(factory, options));
  const known = ['singleSession', 'componentLoader', ...extra];
  for (const name of Object.keys(options)) if (!known.includes(name)) fail(m.unknownOption(factory, name, known));
  for (const name of [...known, 'can']) RULES[name]!(factory, (options as Record<string, unknown>)[name]);
  if (needsLoader && options.componentLoader === undefined) fail(m.missingComponentLoader(factory));
  return { ...options, can: options.can ?? defaultCan(options.singleSession) };
}
