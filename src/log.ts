/**
 * The library's logging, through `debug` namespaces (never the console): turn it on with
 * `DEBUG=adminjs-single-session:*` (or one namespace, e.g. `DEBUG=adminjs-single-session:end`).
 * Messages name users by id and sessions by count, never by sid (a sid is a bearer secret).
 */
import createDebug from 'debug';

const NAMESPACE = 'adminjs-single-session';
const channel = (name: string) => createDebug(`${NAMESPACE}:${name}`);

export const log = {
  /** Logins: who, the limit applied, what they ended. */
  login: channel('login'),
  /** Endings: logout, administrator, self-service; reason and counts. */
  end: channel('end'),
  /** Expired sessions purged. */
  purge: channel('purge'),
  /** Requests refused: a session not served, a login refused, an AdminJS request the guard answered. */
  refused: channel('refused'),
  /** The database: transactions run again after the database chose them as a deadlock's victim. */
  database: channel('database'),
  /** Background failures without an `error` listener. */
  error: channel('error'),
};
