/**
 * The feature's own error texts, written together. Start-up errors (a wrongly configured feature) are thrown as
 * SingleSessionConfigError and say how to fix the call; what an admin sees at run time is a translation key in
 * `locales/` (AdminJS translates notices in the browser, in the admin's language).
 */
import { SingleSessionConfigError } from '../errors.js';

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'function' ? 'a function' : typeof v);

export const featureMessages = {
  optionsNotObject: (got: unknown) =>
    `singleSessionFeature(options): options must be an object such as { singleSession, componentLoader }; got ${describe(got)}.`,
  missingSingleSession:
    'singleSessionFeature: `singleSession` is required — pass the engine from `await createSingleSession({ sequelize, ... })`.',
  notSingleSession: (got: unknown) =>
    `singleSessionFeature: \`singleSession\` must be the object returned by createSingleSession(); got ${describe(got)} without endUserSessions().`,
  missingComponentLoader:
    'singleSessionFeature: `componentLoader` is required — create one with `new ComponentLoader()` (from adminjs), pass it here ' +
    'and to `new AdminJS({ componentLoader })`: the confirmation page is a custom component AdminJS must bundle.',
  notComponentLoader: (got: unknown) =>
    `singleSessionFeature: \`componentLoader\` must be an AdminJS ComponentLoader (new ComponentLoader()); got ${describe(got)} without add().`,
  canNotFunction: (got: unknown) =>
    `singleSessionFeature: \`can\` must be a function (currentAdmin, permission) => boolean; got ${describe(got)}.`,
  maxIdsInvalid: (got: unknown) =>
    `singleSessionFeature: \`maxIds\` must be a positive integer (how many records one request may select); got ${describe(got)} ${String(got)}.`,
  unknownOption: (name: string, known: readonly string[]) =>
    `singleSessionFeature: unknown option \`${name}\`. Known options: ${known.join(', ')}.`,
  guardOptions:
    'singleSessionAdminGuard({ admin, singleSession }): pass the AdminJS instance and the engine from createSingleSession().',
  /** Run time, API clients only (the admin UI never sends a malformed body). */
  badBody: 'The request body could not be read: it is not valid JSON or form data.',
} as const;

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
} as const;
