/**
 * The bench's own databases on the servers named by DATABASE_URL (PostgreSQL) and `--mariadb` (MariaDB): created
 * for the run, dropped at its end (and dropped first if a killed run left them behind), so nothing else on those
 * servers is disturbed.
 */
import pg from 'pg';
import { QueryTypes, Sequelize } from 'sequelize';

export const DEFAULT_URL_HINT = 'postgres://postgres@127.0.0.1:5432/test';
export const MARIADB_URL_HINT = 'mariadb://root@127.0.0.1:3306/test';

export type Dialect = 'postgres' | 'mariadb';
export const DIALECT_NAMES: Record<Dialect, string> = { postgres: 'PostgreSQL', mariadb: 'MariaDB' };

export function dialectOf(url: string): Dialect {
  const scheme = new URL(url).protocol.replace(/:$/, '');
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mariadb') return 'mariadb';
  throw new BenchSetupError(`unsupported database URL scheme ${scheme}:// (postgres:// or mariadb://)`);
}

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    throw new BenchSetupError(
      'npm run bench needs a real PostgreSQL server: set DATABASE_URL, e.g.\n' +
        `  DATABASE_URL=${DEFAULT_URL_HINT} npm run bench\n` +
        'It creates its own databases (single_session_bench_*) on that server and drops them at the end.',
    );
  }
  if (!/^postgres(ql)?:\/\//.test(url)) throw new BenchSetupError(`DATABASE_URL must be a postgres:// URL, got ${JSON.stringify(url)}.`);
  return url;
}

/** `--mariadb`'s value: a mariadb:// URL naming the server (any existing database on it). */
export function mariadbUrl(value: string): string {
  if (!/^mariadb:\/\/[^/]/.test(value)) throw new BenchSetupError(`--mariadb must be a mariadb:// URL, e.g. ${MARIADB_URL_HINT}; got ${JSON.stringify(value)}`);
  return value;
}

export class BenchSetupError extends Error {
  override name = 'BenchSetupError';
}

/** The server's administration, as the bench needs it: one connection, SQL in, rows out. */
type ServerQuery = (sql: string) => Promise<Array<Record<string, unknown>>>;

async function withServer<T>(baseUrl: string, fn: (query: ServerQuery) => Promise<T>): Promise<T> {
  const fail = (err: unknown) => new BenchSetupError(`Cannot connect to ${redact(baseUrl)}: ${(err as Error).message}`);
  if (dialectOf(baseUrl) === 'postgres') {
    const client = new pg.Client({ connectionString: baseUrl });
    try {
      await client.connect();
    } catch (err) {
      throw fail(err);
    }
    try {
      return await fn(async (sql) => (await client.query(sql)).rows);
    } finally {
      await client.end();
    }
  }
  const sequelize = new Sequelize(baseUrl, { logging: false, pool: { max: 1, min: 0 } });
  try {
    await sequelize.authenticate();
  } catch (err) {
    await sequelize.close();
    throw fail(err);
  }
  try {
    // Rows from a SELECT; nothing from the rest (the driver answers them with an OK packet, not rows).
    return await fn(async (sql) => (/^\s*SELECT\b/i.test(sql)
      ? sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT })
      : sequelize.query(sql, { type: QueryTypes.RAW }).then(() => [])));
  } finally {
    await sequelize.close();
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

const dropStatement = (dialect: Dialect, name: string) =>
  (dialect === 'postgres' ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${name}\``);

/** Creates a fresh, empty database (dropping a leftover of the same name) and returns its URL. */
export async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const dialect = dialectOf(baseUrl);
  await withServer(baseUrl, async (query) => {
    await query(dropStatement(dialect, name));
    await query(dialect === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabases(baseUrl: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await withServer(baseUrl, async (query) => {
    for (const name of names) await query(dropStatement(dialectOf(baseUrl), name));
  });
}

/** "PostgreSQL 15.8", "MariaDB 10.11.19". */
export async function serverVersion(baseUrl: string): Promise<string> {
  const version = await withServer(baseUrl, async (query) => String((await query('SELECT version() AS v'))[0]!.v));
  return dialectOf(baseUrl) === 'postgres' ? version : `MariaDB ${version.replace(/-MariaDB.*$/, '')}`;
}

/** A Sequelize instance on a bench database; the dialect comes from the URL, as in any app. */
export function connect(url: string, pool = 10): Sequelize {
  return new Sequelize(url, { dialect: dialectOf(url), logging: false, pool: { max: pool, min: 0, idle: 60_000 } });
}

export const isMariaDb = (sequelize: Sequelize) => sequelize.getDialect() === 'mariadb';

/** SQL written with PostgreSQL's "quoted identifiers", for the connection's dialect (MariaDB's are `backticks`). */
export const quoted = (sequelize: Sequelize, text: string) => (isMariaDb(sequelize) ? text.replace(/"/g, '`') : text);

export interface Statement {
  sql: string;
  /** Milliseconds from sending it to its answer, as Sequelize's `benchmark` option measures them (whole ms). */
  ms: number;
}

/**
 * Runs `fn` and returns the SQL statements Sequelize sent meanwhile, with their times (through its `logging`
 * hook with `benchmark` on, which sees every query including BEGIN/COMMIT, once answered). Only meaningful while
 * nothing else uses `sequelize`.
 */
export async function countStatements<T>(sequelize: Sequelize, fn: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  const statements: Statement[] = [];
  const { options } = sequelize as unknown as { options: { logging: unknown; benchmark: boolean } };
  const before = { logging: options.logging, benchmark: options.benchmark };
  // Kept short: a bulk action's statements name 10,000 ids.
  options.logging = (sql: string, ms: number) => statements.push({ sql: sql.replace(/^Execut(ing|ed) \([^)]*\): /, '').slice(0, 1000), ms });
  options.benchmark = true;
  try {
    return { result: await fn(), statements };
  } finally {
    Object.assign(options, before);
  }
}

/**
 * The time of the last transaction among `statements` (START TRANSACTION … COMMIT, both included): what an
 * action's own SQL took, apart from the reads before it.
 */
export function lastTransactionMs(statements: readonly Statement[]): number {
  const begin = statements.map((s) => s.sql).lastIndexOf('START TRANSACTION;');
  if (begin < 0) throw new Error(`no transaction among the ${statements.length} statements`);
  return statements.slice(begin).reduce((sum, s) => sum + s.ms, 0);
}
