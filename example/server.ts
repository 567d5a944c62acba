/**
 * `npm start`: the demo on PORT (default 3000), on the PostgreSQL named by DATABASE_URL or, without it, on an
 * embedded PostgreSQL kept under .data/pglite. Migrates, seeds an empty database, prints the logins; Ctrl-C
 * closes everything and exits 0.
 */
import { mkdirSync } from 'node:fs';
import { useContentAddressedAdminBundle } from './admin-bundle.js';
import type { SessionCreatedEvent } from '../src/index.js';
import { DEMO_LOGINS, DemoConfigError, readConfig, type DemoConfig } from './config.js';

const POOL_SIZE = 10;

/** Things to close on shutdown, in reverse order of opening. */
const closers: Array<[string, () => unknown]> = [];
let shuttingDown = false;

/** Closes what was opened, newest first; false if something could not be closed. */
async function closeAll(): Promise<boolean> {
  let ok = true;
  for (const [name, close] of closers.reverse()) {
    try {
      await close();
    } catch (err) {
      ok = false;
      console.error(`Could not close ${name}: ${(err as Error).message}`);
    }
  }
  closers.length = 0;
  return ok;
}

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`\n${signal}: shutting down…`);
  process.exit((await closeAll()) ? 0 : 1);
}

function describeLimit(config: DemoConfig): string {
  const limit = config.singleUserSession === true ? 'one session per user'
    : config.singleUserSession === false ? 'no session limit' : `at most ${config.singleUserSession} sessions per user`;
  const timeout = (value: number | false | undefined, fallback: string) =>
    value === undefined ? fallback : value === false ? 'off' : `${value} ms`;
  return `${limit}; logout ${config.logoutAllSessions ? 'ends all of the user\'s sessions' : 'ends only the current session'}; ` +
    `idle timeout ${timeout(config.idleTimeoutMs, '30 min')}, lifetime ${timeout(config.absoluteTimeoutMs, '12 h')}; ` +
    `fresh sign-in for ending others' sessions ${timeout(config.freshAgeMs, 'off')}`;
}

function describeSignIn({ userId, metadata: { browser, os, device, ip }, knownDevice, endedSessions }: SessionCreatedEvent): string {
  const where = [browser, os, device].filter(Boolean).join(', ') || 'an unknown device';
  const verdict = knownDevice === null ? 'device not recorded' : knownDevice ? 'a known device'
    : 'a NEW device for this user (a real app would mail them: "new sign-in to your account")';
  return `[sign-in] user ${userId} on ${where} from ${ip ?? 'an unknown address'}: ${verdict}; sessions ended: ${endedSessions}`;
}

async function openDatabase(config: DemoConfig): Promise<string> {
  if (config.databaseUrl) return config.databaseUrl;
  mkdirSync(config.pgliteDir, { recursive: true });
  // +2: the setup lock's own connection, and one spare.
  const { startEmbeddedPostgres } = await import('./db/embedded-postgres.js');
  const embedded = await startEmbeddedPostgres({ dataDir: config.pgliteDir, maxConnections: POOL_SIZE + 2 });
  closers.push(['the embedded PostgreSQL', () => embedded.stop()]);
  return embedded.url;
}

async function main(): Promise<void> {
  const config = readConfig();
  useContentAddressedAdminBundle();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

  // The app (AdminJS above all) is imported only now, so that a bad setting fails at once; it loads while the
  // embedded database starts.
  const [{ launchDemo }, url] = await Promise.all([import('./setup.js'), openDatabase(config)]);
  const demo = await launchDemo({
    url,
    port: config.port,
    secret: config.sessionSecret,
    pool: POOL_SIZE,
    trustProxy: config.trustProxy,
    singleUserSession: config.singleUserSession,
    logoutAllSessions: config.logoutAllSessions,
    live: config.liveSignOut,
    ...(config.idleTimeoutMs !== undefined ? { idleTimeoutMs: config.idleTimeoutMs } : {}),
    ...(config.absoluteTimeoutMs !== undefined ? { absoluteTimeoutMs: config.absoluteTimeoutMs } : {}),
    ...(config.freshAgeMs !== undefined ? { freshAgeMs: config.freshAgeMs } : {}),
  });
  closers.push(['the demo (HTTP server, engine, Sequelize)', () => demo.close()]);
  // Every login, and whether its device is new to the user: where a real app would send "new sign-in to your account".
  demo.singleSession.events.on('sessions:created', (event) => console.log(describeSignIn(event)));
  const { migrated, seeded } = demo.setup;

  const port = new URL(demo.baseUrl).port;
  const seconds = (performance.now() / 1000).toFixed(1); // since the process started
  const width = Math.max(...DEMO_LOGINS.map(([email]) => email.length));
  console.log([
    `adminjs-single-session demo ready in ${seconds} s at http://localhost:${port}/  (admin panel: http://localhost:${port}/admin)`,
    `Database: ${config.databaseUrl ? `${config.databaseUrl.startsWith('mariadb:') ? 'MariaDB' : 'PostgreSQL'} from DATABASE_URL` : `embedded PostgreSQL (PGlite) in ${config.pgliteDir}`}` +
      (migrated.length ? `; migrations run: ${migrated.length}` : '') + (seeded.length ? '; demo users seeded' : ''),
    `Policy: ${describeLimit(config)} (SINGLE_USER_SESSION, LOGOUT_ALL_SESSIONS, IDLE_TIMEOUT_MS, ABSOLUTE_TIMEOUT_MS, FRESH_AGE_MS)`,
    ...(config.production ? [`Cookies are Secure (NODE_ENV=production): serve over HTTPS${config.trustProxy ? '' : '; behind a TLS-terminating proxy set TRUST_PROXY=1'}.`] : []),
    'Demo logins, password "password" for all:',
    ...DEMO_LOGINS.map(([email, role]) => `  ${email.padEnd(width)}  ${role}`),
    'Press Ctrl-C to stop.',
  ].join('\n'));
}

main().catch(async (err) => {
  const reason = err instanceof DemoConfigError ? err.message
    : err?.code === 'EADDRINUSE' ? `port ${err.port} is already in use; choose another one with PORT=…` : err;
  console.error('Cannot start the demo:', reason);
  shuttingDown = true;
  await closeAll();
  process.exit(1);
});
