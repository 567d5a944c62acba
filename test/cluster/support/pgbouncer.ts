/**
 * PgBouncer (Debian's `pgbouncer`) started by the test itself, in transaction pooling, on a free loopback port in
 * front of the PostgreSQL of DATABASE_URL: its own config and auth file in a temporary directory, stopped (and the
 * directory removed) by `stop()`. Every database name is passed through (`* = host=… port=…`), so the tests'
 * scratch databases are reachable through it under their own names.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PGBOUNCER = '/usr/sbin/pgbouncer';

export interface PgBouncer {
  port: number;
  /** `url` with its host and port replaced by PgBouncer's (same user, database and parameters). */
  pooled(url: string): string;
  /** What PgBouncer itself counts (`SHOW STATS` of its admin console): transactions and queries it passed on. */
  stats(): Promise<{ transactions: number; queries: number }>;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** The PostgreSQL server to pool, as a URL (its user is the one PgBouncer logs in as, trusted). */
  server: string;
  /** Server connections per database/user pair (`default_pool_size`). */
  poolSize?: number;
  maxClients?: number;
}

/** A port nobody listens on at this instant (the OS's pick for port 0). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPgBouncer({ server, poolSize = 20, maxClients = 400 }: PgBouncerOptions): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER)) throw new Error(`no PgBouncer at ${PGBOUNCER}: install it (apt-get install -y pgbouncer)`);
  const target = new URL(server);
  const user = decodeURIComponent(target.username || 'postgres');
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'single-session-pgbouncer-'));
  const ini = path.join(dir, 'pgbouncer.ini');
  const log = path.join(dir, 'pgbouncer.log');
  writeFileSync(path.join(dir, 'userlist.txt'), `"${user}" "${decodeURIComponent(target.password)}"\n`);
  writeFileSync(ini, [
    '[databases]',
    `* = host=${target.hostname} port=${target.port || 5432}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    "unix_socket_dir = ''",
    'pool_mode = transaction',
    `default_pool_size = ${poolSize}`,
    `max_client_conn = ${maxClients}`,
    // The tests' PostgreSQL trusts loopback; a production PgBouncer uses scram-sha-256 with its own auth file.
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    `admin_users = ${user}`,
    `logfile = ${log}`,
    `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    // Scratch databases are dropped WITH (FORCE) while PgBouncer may still hold server connections to them.
    'server_login_retry = 1',
    'stats_period = 1',
    '',
  ].join('\n'));
  // PgBouncer refuses to run as root: as root, run it as the postgres system user (which must read the config).
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chmodSync(dir, 0o777);
    execFileSync('chown', ['-R', 'postgres', dir]);
  }
  const child: ChildProcess = spawn(PGBOUNCER, asRoot ? ['-u', 'postgres', ini] : [ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => { output += c; });
  child.stderr!.on('data', (c) => { output += c; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Also when the test process ends without its after hooks (an uncaught error, process.exit): never left running.
  const onExit = () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); };
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // immediate shutdown: the test is over
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitListening(port, child, () => output + (existsSync(log) ? readFileSync(log, 'utf8') : ''));
  } catch (err) {
    await stop();
    throw err;
  }
  const pooled = (url: string) => {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    return u.toString();
  };
  return {
    port,
    pooled,
    async stats() {
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: pooled(`postgres://${encodeURIComponent(user)}@x/pgbouncer`) });
      await admin.connect();
      try {
        // The admin console speaks the simple query protocol only.
        const { rows } = await admin.query<{ database: string; total_xact_count: string; total_query_count: string }>('SHOW STATS');
        const ours = rows.filter((r) => r.database !== 'pgbouncer');
        return {
          transactions: ours.reduce((n, r) => n + Number(r.total_xact_count), 0),
          queries: ours.reduce((n, r) => n + Number(r.total_query_count), 0),
        };
      } finally {
        await admin.end();
      }
    },
    stop,
  };
}

async function waitListening(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}) at start:\n${output()}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`pgbouncer not listening on ${port} after ${timeoutMs} ms:\n${output()}`);
}
