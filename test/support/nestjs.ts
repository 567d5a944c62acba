/**
 * The NestJS example (examples/nestjs-app) as its users run it: its own process, its own tsconfig (Nest and
 * TypeORM need legacy decorators, which the rest of the repository does not use), configured by the environment.
 * It keeps its users in a TypeORM entity and the engine's tables next to them, so it starts from a schema of its
 * own: the tables the other tests leave behind are dropped first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from './database.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP = path.join(root, 'examples', 'nestjs-app');

export interface RunningNestApp {
  baseUrl: string;
  /** Everything the process printed. */
  output(): string;
  /** Milliseconds from spawn to "ready". */
  readyMs: number;
  /** Resolves once the process has printed something matching `pattern`. */
  printed(pattern: RegExp): Promise<void>;
  stop(): Promise<void>;
}

/** Drops the user table and the engine's tables (and with them the ActiveSessions view). */
export async function dropAppSchema(url: string): Promise<void> {
  const sequelize = connect(url, 1);
  await sequelize.query(
    'DROP TABLE IF EXISTS "KnownDevices", "SessionAuditEvents", "EndedSessions", "UserSessions", "Sessions", "Users", "SequelizeMeta" CASCADE',
  );
  await sequelize.close();
}

/** Starts the example on a free port against `url` (an empty schema: TypeORM creates Users, the app seeds it). */
export async function startNestApp(url: string): Promise<RunningNestApp> {
  await dropAppSchema(url);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, PORT: '0', TSX_TSCONFIG_PATH: path.join(APP, 'tsconfig.json'), NO_COLOR: '1' };
  delete env.NODE_ENV;
  // Its own component bundle: AdminJS (re)writes it at start, and its components differ from the demo's.
  if (process.env.ADMIN_JS_TMP_DIR) env.ADMIN_JS_TMP_DIR = `${process.env.ADMIN_JS_TMP_DIR}-nestjs`;
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(APP, 'src', 'main.ts')], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test run, whatever happens to it (a timeout in `before`, a crash).
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const printed = (pattern: RegExp) => new Promise<RegExpExecArray>((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output);
      if (match) resolve(match);
      return match;
    };
    if (check()) return;
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    exited.then((code) => reject(new Error(`the NestJS example exited (${code}) before it printed ${pattern}:\n${output}`)));
  });
  let baseUrl: string | undefined;
  try {
    [, baseUrl] = await printed(/NestJS example ready at (http:\/\/localhost:\d+)\//);
  } finally {
    if (baseUrl === undefined) kill();
  }
  return {
    baseUrl: baseUrl!,
    output: () => output,
    readyMs: performance.now() - t0,
    printed: async (pattern) => { await printed(pattern); },
    async stop() {
      process.off('exit', kill);
      if (child.exitCode === null && child.signalCode === null) kill();
      await exited;
      await dropAppSchema(url);
    },
  };
}
