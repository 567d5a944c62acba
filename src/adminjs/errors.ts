/**
 * The AdminJS side's texts, written together. Start-up errors (a wrongly built feature, resource, page or guard)
 * are thrown as SingleSessionConfigError and say how to fix the call; what an admin sees at run time is a
 * translation key of `locales/` (AdminJS translates notices in the browser, in the admin's language).
 */
import { describe, SingleSessionConfigError } from '../errors.js';

export const adminMessages = {
  optionsNotObject: (factory: string, got: unknown) =>
    `${factory}(options): options must be an object such as { singleSession }; got ${describe(got)}.`,
  unknownOption: (factory: string, name: string, known: readonly string[]) =>
    `${factory}: unknown option \`${name}\`. Known options: ${known.join(', ')}.`,
  missingSingleSession: (factory: string) =>
    `${factory}: \`singleSession\` is required — pass the engine from \`await createSingleSession({ sequelize, ... })\`.`,
  notSingleSession: (factory: string, got: unknown) =>
    `${factory}: \`singleSession\` must be the object returned by createSingleSession(); got ${describe(got)}.`,
  missingComponentLoader: (factory: string) =>
    `${factory}: \`componentLoader\` is required — create one with \`new ComponentLoader()\` (from adminjs), pass it here ` +
    'and to `new AdminJS({ componentLoader })`: this page is a custom component AdminJS must bundle.',
  notComponentLoader: (factory: string, got: unknown) =>
    `${factory}: \`componentLoader\` must be an AdminJS ComponentLoader (new ComponentLoader()); got ${describe(got)}.`,
  componentLoaderMismatch: (factory: string) =>
    `${factory}: it was given a different \`componentLoader\` than the AdminJS instance, so AdminJS would not bundle its page ` +
    'and would show "You have to implement action component". Pass the same loader to both: ' +
    '`const componentLoader = new ComponentLoader(); new AdminJS({ componentLoader, ... })` — or leave it out of this call.',
  componentsNotBundled: (names: readonly string[]) =>
    `adminjs-single-session: the AdminJS instance's componentLoader lacks ${names.join(', ')}: a page or resource of this ` +
    'package was built with another ComponentLoader. Pass the one you give `new AdminJS({ componentLoader })` to ' +
    'mySessionsPage({ singleSession, componentLoader }) and sessionsDashboard({ singleSession, componentLoader }) (and to any ' +
    'factory you pass one to).',
  canNotFunction: (factory: string, got: unknown) =>
    `${factory}: \`can\` must be a function (currentAdmin, permission) => boolean; got ${describe(got)}.`,
  notPositiveInteger: (factory: string, name: string, got: unknown) =>
    `${factory}: \`${name}\` must be a positive integer; got ${describe(got)}.`,
  notNonEmptyString: (factory: string, name: string, got: unknown) =>
    `${factory}: \`${name}\` must be a non-empty string; got ${describe(got)}.`,
  notBoolean: (factory: string, name: string, got: unknown) =>
    `${factory}: \`${name}\` must be a boolean; got ${describe(got)}.`,
  notActionNames: (factory: string, got: unknown) =>
    `${factory}: \`actions\` must be a non-empty list of action names, e.g. ['new', 'edit', 'delete', 'bulkDelete']; got ${describe(got)}.`,
  stepUpWithoutHandler: (name: string) =>
    `stepUpFeature: the resource has no action \`${name}\` with a handler (AdminJS's stock actions are new, edit, delete, ` +
    'bulkDelete, show, list, search): check the name, or put stepUpFeature after the feature that adds that action.',
  badLiveRights: (got: unknown) =>
    `guardedAdminRouter: \`liveRights\` must be true, false or a function (user, storedCurrentAdmin) => currentAdmin | null; got ${describe(got)}.`,
  liveRightsWithoutUserModel:
    'guardedAdminRouter: live rights read the signed-in user from the database on each panel request and need the engine\'s ' +
    'user model: createSingleSession({ sequelize, userModel: User }). (`liveRights: false` keeps AdminJS\'s sign-in copy ' +
    'instead: a right taken away then keeps working until the session ends.)',
  notNavigation: (factory: string, got: unknown) =>
    `${factory}: \`navigation\` must be where the resource goes in AdminJS's menu: a group { name: 'Sessions', icon: 'Shield' } ` +
    `(or just its name), { name: null, icon } or null for the top level, or false to leave it out of the menu; got ${describe(got)}.`,
  notAdmin: (factory: string, got: unknown) =>
    `${factory}: \`admin\` must be your AdminJS instance (new AdminJS({ ... })); got ${describe(got)}.`,
  notRouter: (factory: string, got: unknown) =>
    `${factory}: \`router\` must be the router of @adminjs/express (buildAuthenticatedRouter(admin, ...)); got ${describe(got)}.`,
  auditOff:
    'auditResource: the engine was created without `audit: true`, so nothing is ever written to "SessionAuditEvents". ' +
    'Turn the audit trail on: createSingleSession({ sequelize, audit: true, ... }).',
  userResourceMissing: (resourceId: string, known: readonly string[], factory = 'sessionsResource') =>
    `${factory}: there is no AdminJS resource with the id "${resourceId}" to show the ${factory === 'sessionsResource' ? 'sessions\'' : 'events\''} users. Give your user ` +
    `resource that id (\`options: { id: '${resourceId}' }\`) or pass its id: ${factory}({ singleSession, userResourceId }). ` +
    `Resources: ${known.join(', ')}.`,
  sessionNotMounted:
    'adminjs-single-session: the AdminJS router was reached without the session middleware of this engine. Mount it app-wide ' +
    'BEFORE the admin router: `app.use(singleSession.sessionMiddleware({ secret, name }))`, then `app.use(admin.options.rootPath, ...)`. ' +
    'Otherwise @adminjs/express starts a session store of its own, which knows nothing of single sessions.',
  pathOutsideRoot: (rootPath: string, name: 'loginPath' | 'logoutPath', path: string) =>
    `adminjs-single-session: AdminJS's \`rootPath\` is "${rootPath}" but its \`${name}\` is "${path}"` +
    (path === `/admin/${name === 'loginPath' ? 'login' : 'logout'}` ? ' (AdminJS\'s default: neither AdminJS nor @adminjs/express derives it from rootPath)' : '') +
    `, outside it: @adminjs/express would serve that page under "${rootPath}" and ${name === 'loginPath' ? 'send every signed-out visitor to' : 'link the logout button to'} "${path}", ` +
    `a page that does not exist (404). Give all three: new AdminJS({ rootPath: '${rootPath}', loginPath: '${joinPath(rootPath, 'login')}', ` +
    `logoutPath: '${joinPath(rootPath, 'logout')}', ... }).`,
  notFrameAncestors: (got: unknown) =>
    'guardedAdminRouter: `frameAncestors` lists who may show the panel in a frame: a non-empty array of "\'self\'", ' +
    'origins such as "https://intranet.example" (scheme and host, optionally a port or a "*." subdomain wildcard, no path), ' +
    `or "'none'" alone (nobody, not even the panel itself); got ${describe(got)}.`,
  guardLogoutOptions: (got: unknown) =>
    `guardAdminLogout(admin, options?): \`admin\` must be your AdminJS instance (it reads admin.options.logoutPath) and ` +
    `\`allowedOrigins\` a list of origins such as "https://admin.example.com"; got ${describe(got)}.`,
  /** Run time, to the browser (plain text: an <img> or a link from another site). */
  crossSiteLogout: 'Refused: a logout must come from this site, not from another one.',
  /** Run time, API clients only (the admin UI never sends a malformed body). */
  badBody: 'The request body could not be read: it is not valid JSON or form data.',
  /** Run time: a body sent to the admin without an admin session (only the login form's is accepted). */
  anonymousBodyType:
    'Sign in first: before signing in, the admin accepts only a login form (application/x-www-form-urlencoded or JSON), no file or other body.',
  anonymousBodyTooLarge: (limit: number) =>
    `The request body is too large: before signing in, the admin accepts at most ${Math.round(limit / 1024)} KB.`,
  /** Run time: formidable refused a signed-in admin's body over the limits given to buildAuthenticatedRouter. */
  bodyTooLarge: 'The request body is too large for this admin (see the upload limits configured on the server).',
} as const;

/** `rootPath` + '/' + `page`, without a double slash for a root of '/'. */
const joinPath = (rootPath: string, page: string) => `${rootPath.replace(/\/+$/, '')}/${page}`;

export const fail = (message: string): never => {
  throw new SingleSessionConfigError(message);
};

/** The run-time notices (translation keys, see locales/en.ts). */
export const NOTICES = {
  done: 'singleSessionDone',
  doneKeptOwn: 'singleSessionDoneKeptOwn',
  nothingDone: 'singleSessionNothingDone',
  forbidden: 'singleSessionForbidden',
  unknownRecords: 'singleSessionUnknownRecords',
  invalidIds: 'singleSessionInvalidIds',
  tooManyIds: 'singleSessionTooManyIds',
  emptySelection: 'singleSessionEmptySelection',
  unknownResource: 'singleSessionUnknownResource',
  unknownAction: 'singleSessionUnknownAction',
  requestFailed: 'singleSessionRequestFailed',
  sessionsDone: 'singleSessionSessionsDone',
  sessionsDoneKeptOwn: 'singleSessionSessionsDoneKeptOwn',
  othersEnded: 'singleSessionOthersEnded',
  noOtherSessions: 'singleSessionNoOtherSessions',
  badUserFilter: 'singleSessionBadUserFilter',
  endedGeneric: 'singleSessionEndedGeneric',
  liveGoingToLogin: 'singleSessionLiveGoingToLogin',
  endedReplaced: 'singleSessionEndedReplaced',
  endedRevoked: 'singleSessionEndedRevoked',
  endedIdle: 'singleSessionEndedIdle',
  endedLifetime: 'singleSessionEndedLifetime',
  endedLogout: 'singleSessionEndedLogout',
  endedCredentials: 'singleSessionEndedCredentials',
  endedAccount: 'singleSessionEndedAccount',
  repeatedParameter: 'singleSessionRepeatedParameter',
  badParameter: 'singleSessionBadParameter',
  badFilter: 'singleSessionBadFilter',
  badSort: 'singleSessionBadSort',
  badQuery: 'singleSessionBadQuery',
  // ending one session from the sessions panel or "My sessions"
  sessionGone: 'singleSessionSessionGone',
  currentSession: 'singleSessionCurrentSession',
  // issue 11 (security by default)
  postOnly: 'singleSessionPostOnly',
  signInAgain: 'singleSessionSignInAgain',
  // issue 23: a login hook's failure that is not the user's (a configuration error, the database): no details
  loginFailed: 'singleSessionLoginFailed',
} as const;

export type NoticeKey = (typeof NOTICES)[keyof typeof NOTICES];
