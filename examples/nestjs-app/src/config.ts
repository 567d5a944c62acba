/** The app's settings, from the environment; a wrong one stops the start with a message that says what to set. */
export interface AppConfig {
  /** PostgreSQL: TypeORM keeps the users there, the single-session engine its tables (through Sequelize). */
  databaseUrl: string;
  port: number;
  sessionSecret: string;
}

/** The injection token of the AppConfig. */
export const APP_CONFIG = 'APP_CONFIG';

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = env.DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('Set DATABASE_URL to a PostgreSQL database, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/app');
  }
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0 for any free port); got ${env.PORT}`);
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) throw new Error('Set SESSION_SECRET: it signs the session cookie.');
  return { databaseUrl, port, sessionSecret: env.SESSION_SECRET ?? 'nestjs example secret, not for production' };
}
