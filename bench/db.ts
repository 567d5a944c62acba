/**
 * The bench's own databases on the server named by DATABASE_URL: created for the run, dropped at its end (and
 * dropped first if a killed run left them behind), so nothing else on that server is disturbed.
 */
import pg from 'pg';
import { Sequelize } from 'sequelize';

export const DEFAULT_URL_HINT = 'postgres://postgres@127.0.0.1:5432/test';

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

export class BenchSetupError extends Error {
  override name = 'BenchSetupError';
}

async function withServer<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  try {
    await client.connect();
  } catch (err) {
    throw new BenchSetupError(`Cannot connect to DATABASE_URL (${redact(baseUrl)}): ${(err as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/** Creates a fresh, empty database (dropping a leftover of the same name) and returns its URL. */
export async function createDatabase(baseUrl: string, name: string): Promise<string> {
  await withServer(baseUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabases(baseUrl: string, names: readonly string[]): Promise<void> {
  await withServer(baseUrl, async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

export async function serverVersion(baseUrl: string): Promise<string> {
  return withServer(baseUrl, async (client) => (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v);
}

export function connect(url: string, pool = 10): Sequelize {
  return new Sequelize(url, { dialect: 'postgres', logging: false, pool: { max: pool, min: 0, idle: 60_000 } });
}

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
