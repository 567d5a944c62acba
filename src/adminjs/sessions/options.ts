/**
 * The options the session admin factories share, checked when the admin is built (a wrong call fails at start-up
 * with the fix), and their error texts, written together.
 */
import type { ComponentLoader } from 'adminjs';
import { SingleSessionConfigError } from '../../errors.js';
import type { SingleSession } from '../../single-session.js';
import { defaultCan, type Can } from '../permissions.js';

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'function' ? 'a function' : typeof v);

export const sessionsMessages = {
  optionsNotObject: (factory: string, got: unknown) =>
    `${factory}(options): options must be an object such as { singleSession, componentLoader }; got ${describe(got)}.`,
  unknownOption: (factory: string, name: string, known: readonly string[]) =>
    `${factory}: unknown option \`${name}\`. Known options: ${known.join(', ')}.`,
  missingSingleSession: (factory: string) =>
    `${factory}: \`singleSession\` is required — pass the engine from \`await createSingleSession({ sequelize, ... })\`.`,
  notSingleSession: (factory: string, got: unknown) =>
    `${factory}: \`singleSession\` must be the object returned by createSingleSession(); got ${describe(got)} without endSessionsByHandle().`,
  missingComponentLoader: (factory: string) =>
    `${factory}: \`componentLoader\` is required — create one with \`new ComponentLoader()\` (from adminjs), pass it here ` +
    'and to `new AdminJS({ componentLoader })`: its pages are custom components AdminJS must bundle.',
  notComponentLoader: (factory: string, got: unknown) =>
    `${factory}: \`componentLoader\` must be an AdminJS ComponentLoader (new ComponentLoader()); got ${describe(got)} without add().`,
  canNotFunction: (factory: string, got: unknown) =>
    `${factory}: \`can\` must be a function (currentAdmin, permission) => boolean; got ${describe(got)}.`,
  badString: (factory: string, name: string, got: unknown) =>
    `${factory}: \`${name}\` must be a non-empty string; got ${describe(got)}.`,
  maxIdsInvalid: (factory: string, got: unknown) =>
    `${factory}: \`maxIds\` must be a positive integer (how many sessions one request may select); got ${describe(got)} ${String(got)}.`,
  noUserModel: (factory: string) =>
    `${factory}: the engine knows no user model, so it cannot tell an admin user's session (which needs single_session.logout_all) ` +
    'from another. Pass your user model: createSingleSession({ sequelize, userModel: User, ... }).',
  auditOff:
    'auditResource: the engine was created without `audit: true`, so nothing is ever written to "SessionAuditEvents". ' +
    'Turn the audit trail on: createSingleSession({ sequelize, audit: true, ... }).',
  missingView: (view: string) =>
    `adminjs-single-session: the view "${view}" (behind the AdminJS "Sessions" resource) does not exist. Run the pending ` +
    'migrations: `await migrate({ sequelize })` (exported by adminjs-single-session), or with sequelize-cli take ' +
    '`migrations/20261126000001-active-sessions-view.cjs` into your migrations folder and run `npx sequelize-cli db:migrate`.',
} as const;

export interface CommonOptions {
  /** The engine from `createSingleSession`. */
  singleSession: SingleSession;
  /** The ComponentLoader also given to `new AdminJS({ componentLoader })`. */
  componentLoader?: ComponentLoader;
  /** Does this admin hold this permission? Default: as singleSessionFeature (`permissions` list, or isAdmin). */
  can?: Can;
}

const fail = (message: string): never => {
  throw new SingleSessionConfigError(message);
};

/**
 * Checks a factory's options: known names only, a real engine, a ComponentLoader where `needs` says so, a
 * function for `can`. Returns the options with `can` filled in.
 */
export function checkOptions<T extends CommonOptions>(
  factory: string, options: T, known: readonly string[], needs: { componentLoader: boolean },
): T & { can: Can } {
  const m = sessionsMessages;
  if (options === null || typeof options !== 'object') fail(m.optionsNotObject(factory, options));
  for (const name of Object.keys(options)) if (!known.includes(name)) fail(m.unknownOption(factory, name, known));
  const { singleSession, componentLoader, can } = options;
  if (singleSession === undefined || singleSession === null) fail(m.missingSingleSession(factory));
  if (typeof (singleSession as Partial<SingleSession>).endSessionsByHandle !== 'function') fail(m.notSingleSession(factory, singleSession));
  if (needs.componentLoader) {
    if (componentLoader === undefined || componentLoader === null) fail(m.missingComponentLoader(factory));
    if (typeof (componentLoader as Partial<ComponentLoader>).add !== 'function') fail(m.notComponentLoader(factory, componentLoader));
  }
  if (can !== undefined && typeof can !== 'function') fail(m.canNotFunction(factory, can));
  return { ...options, can: can ?? defaultCan(singleSession) };
}

export const failConfig = fail;
