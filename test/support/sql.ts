/**
 * Raw SQL in the tests, written once for both databases. The tests read and change the tables directly (to check
 * what a request did, or to age a session); they write PostgreSQL's spelling and these helpers adapt it:
 *
 * - identifiers in double quotes ("Sessions") become MariaDB's backticks — test SQL never uses double quotes for
 *   strings, so the swap is exact, and the library's own connections keep MariaDB's default SQL mode;
 * - `ago(ms)` / `later(ms)` are the database's clock moved by a number of milliseconds.
 *
 * Casts (`::int`) have no common spelling: convert in JavaScript instead (`Number(row.n)`).
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

export const isMariaDb = (sequelize: Sequelize) => sequelize.getDialect() === 'mariadb';

/** The SQL text for the connection's dialect. */
export function sql(sequelize: Sequelize, text: string): string {
  return isMariaDb(sequelize) ? text.replace(/"/g, '`') : text;
}

export interface QueryOptions {
  bind?: Record<string, unknown> | unknown[];
  replacements?: Record<string, unknown> | unknown[];
  transaction?: Transaction;
}

/** Runs a SELECT; returns its rows. */
export function rows<T extends object = Record<string, unknown>>(sequelize: Sequelize, text: string, options: QueryOptions = {}): Promise<T[]> {
  return sequelize.query<T>(sql(sequelize, text), { ...options, type: QueryTypes.SELECT });
}

/** Runs a statement that returns nothing the test needs. */
export async function run(sequelize: Sequelize, text: string, options: QueryOptions = {}): Promise<void> {
  await sequelize.query(sql(sequelize, text), { ...options, type: QueryTypes.RAW });
}

/** `SELECT count(*) … `: the first column of the first row, as a number. */
export async function count(sequelize: Sequelize, text: string, options: QueryOptions = {}): Promise<number> {
  const [row] = await rows(sequelize, text, options);
  return Number(Object.values(row!)[0]);
}

/** The database's clock `ms` milliseconds ago (an SQL expression). */
export function ago(sequelize: Sequelize, ms: number): string {
  return isMariaDb(sequelize) ? `(NOW(3) - INTERVAL ${Math.round(ms) * 1000} MICROSECOND)` : `(now() - interval '${Math.round(ms)} milliseconds')`;
}

/** The database's clock `ms` milliseconds from now (an SQL expression). */
export function later(sequelize: Sequelize, ms: number): string {
  return isMariaDb(sequelize) ? `(NOW(3) + INTERVAL ${Math.round(ms) * 1000} MICROSECOND)` : `(now() + interval '${Math.round(ms)} milliseconds')`;
}

/** The database's clock (an SQL expression), to the millisecond on both. */
export const now = (sequelize: Sequelize) => (isMariaDb(sequelize) ? 'NOW(3)' : 'now()');

/** Empties tables and restarts their ids (PostgreSQL's TRUNCATE … RESTART IDENTITY CASCADE). */
export async function truncate(sequelize: Sequelize, tables: string[]): Promise<void> {
  if (!isMariaDb(sequelize)) {
    await run(sequelize, `TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
    return;
  }
  // MariaDB cannot TRUNCATE a table others reference: delete (cascades follow the foreign keys) and reset the counters.
  await sequelize.transaction(async (transaction) => {
    for (const table of tables) await run(sequelize, `DELETE FROM "${table}"`, { transaction });
  });
  for (const table of tables) await run(sequelize, `ALTER TABLE "${table}" AUTO_INCREMENT = 1`);
}

/** Refreshes the planner's statistics of `tables` (PostgreSQL's `ANALYZE`, MariaDB's `ANALYZE TABLE`). */
export function analyze(sequelize: Sequelize, tables: string[]): Promise<void> {
  return run(sequelize, `ANALYZE ${isMariaDb(sequelize) ? 'TABLE ' : ''}${tables.map((t) => `"${t}"`).join(', ')}`);
}

/**
 * The SQL statements Sequelize sent on this connection while `fn` ran (its own query log; the servers the tests
 * talk to run in the test's process), and what `fn` returned.
 */
export async function statementsOf<T>(sequelize: Sequelize, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const options = (sequelize as unknown as { options: { logging: unknown } }).options;
  const logging = options.logging;
  options.logging = (text: string) => { statements.push(text); };
  try {
    return { result: await fn(), statements };
  } finally {
    options.logging = logging;
  }
}
