/**
 * The demo's settings, read from the environment once at start. A wrong value stops the start with a message
 * that names the variable and the values it accepts (nothing is guessed).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DemoConfig {
  port: number;
  /** A real PostgreSQL or MariaDB server, or undefined for the embedded PostgreSQL kept under `pgliteDir`. */
  databaseUrl: string | undefined;
  /** PGLITE_DATA_DIR, default `.data/pglite` (git-ignored). */
  pgliteDir: string;
  /** SINGLE_USER_SESSION: true (one session), false (no limit) or N. */
  singleUserSession: boolean | number;
  logoutAllSessions: boolean;
  /** LIVE_SIGN_OUT: the open tabs of an ended session are told at once (default true). */
  liveSignOut: boolean;
  /** IDLE_TIMEOUT_MS / ABSOLUTE_TIMEOUT_MS: undefined = the library's defaults; false = off. */
  idleTimeoutMs: number | false | undefined;
  absoluteTimeoutMs: number | false | undefined;
  /** FRESH_AGE_MS: actions that end other people's sessions need an admin sign-in at most this old; undefined/false = off. */
  freshAgeMs: number | false | undefined;
  sessionSecret: string;
  production: boolean;
  /** TRUST_PROXY: how many proxies in front to trust (Express's `trust proxy`); undefined = none. */
  trustProxy: number | undefined;
}

/** The seeded accounts (seeders/), as the page and the console present them. */
export const DEMO_LOGINS = [
  ['admin@example.com', 'admin: every action'],
  ['manager@example.com', 'may log out anybody, admins too'],
  ['staff@example.com', 'may log out non-admin users'],
  ['alice@example.com', 'plain user (site only)'],
  ['bob@example.com', 'plain user (site only)'],
] as const;

export class DemoConfigError extends Error {
  override name = 'DemoConfigError';
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const ALLOWED = {
  PORT: 'a port number from 0 to 65535',
  DATABASE_URL: 'a postgres:// (or postgresql://) or mariadb:// URL, or unset for the embedded PostgreSQL',
  SINGLE_USER_SESSION: '`true` (one session per user), `false` (no limit) or a positive integer N (at most N sessions)',
  LOGOUT_ALL_SESSIONS: '`true` (logging out ends all of the user\'s sessions) or `false` (only the current one)',
  LIVE_SIGN_OUT: '`true` (open tabs of an ended session are told at once, with the reason) or `false`',
  IDLE_TIMEOUT_MS: 'a positive number of milliseconds, `false` (no idle timeout) or unset (the library\'s default, 30 minutes)',
  ABSOLUTE_TIMEOUT_MS: 'a positive number of milliseconds, `false` (no lifetime limit) or unset (the library\'s default, 12 hours)',
  TRUST_PROXY: 'the number of proxies in front of the demo whose X-Forwarded-* headers to trust (e.g. `1` behind one TLS-terminating proxy), `false` or unset (none)',
  FRESH_AGE_MS: 'a positive number of milliseconds (actions that end other people\'s sessions need an admin sign-in at most this old), `false` or unset (off)',
} as const;

const invalid = (name: keyof typeof ALLOWED, value: string): never => {
  throw new DemoConfigError(`${name}=${JSON.stringify(value)} is not valid. Allowed values: ${ALLOWED[name]}.`);
};

/** Unset or empty means "use the default". */
const read = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

function parseBoolean(env: NodeJS.ProcessEnv, name: 'LOGOUT_ALL_SESSIONS' | 'LIVE_SIGN_OUT'): boolean {
  const value = read(env, name);
  if (value === undefined) return true;
  if (value === 'true' || value === 'false') return value === 'true';
  return invalid(name, value);
}

function parseLimit(env: NodeJS.ProcessEnv): boolean | number {
  const value = read(env, 'SINGLE_USER_SESSION');
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  if (/^[1-9]\d{0,5}$/.test(value)) return Number(value);
  return invalid('SINGLE_USER_SESSION', value);
}

function parseTimeout(env: NodeJS.ProcessEnv, name: 'IDLE_TIMEOUT_MS' | 'ABSOLUTE_TIMEOUT_MS' | 'FRESH_AGE_MS'): number | false | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  if (value === 'false') return false;
  if (/^[1-9]\d{0,11}$/.test(value)) return Number(value);
  return invalid(name, value);
}

function parseTrustProxy(env: NodeJS.ProcessEnv): number | undefined {
  const value = read(env, 'TRUST_PROXY');
  if (value === undefined || value === 'false') return undefined;
  if (/^[1-9]$/.test(value)) return Number(value);
  return invalid('TRUST_PROXY', value);
}

function parsePort(env: NodeJS.ProcessEnv): number {
  const value = read(env, 'PORT');
  if (value === undefined) return 3000;
  if (/^\d{1,5}$/.test(value) && Number(value) <= 65535) return Number(value);
  return invalid('PORT', value);
}

function parseDatabaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const value = read(env, 'DATABASE_URL');
  if (value === undefined) return undefined;
  if (/^(postgres(ql)?|mariadb):\/\//.test(value)) return value;
  return invalid('DATABASE_URL', value.replace(/\/\/[^@/]*@/, '//…@'));
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const production = env.NODE_ENV === 'production';
  const sessionSecret = read(env, 'SESSION_SECRET');
  if (production && !sessionSecret) throw new DemoConfigError('SESSION_SECRET must be set when NODE_ENV=production.');
  return {
    port: parsePort(env),
    databaseUrl: parseDatabaseUrl(env),
    pgliteDir: path.resolve(read(env, 'PGLITE_DATA_DIR') ?? path.join(root, '.data', 'pglite')),
    singleUserSession: parseLimit(env),
    logoutAllSessions: parseBoolean(env, 'LOGOUT_ALL_SESSIONS'),
    liveSignOut: parseBoolean(env, 'LIVE_SIGN_OUT'),
    idleTimeoutMs: parseTimeout(env, 'IDLE_TIMEOUT_MS'),
    absoluteTimeoutMs: parseTimeout(env, 'ABSOLUTE_TIMEOUT_MS'),
    freshAgeMs: parseTimeout(env, 'FRESH_AGE_MS'),
    sessionSecret: sessionSecret ?? 'demo secret: set SESSION_SECRET in production',
    production,
    trustProxy: parseTrustProxy(env),
  };
}
