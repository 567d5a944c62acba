/**
 * N app processes (bench/app-server.ts, the demo app) on one bench database, for the soak and capacity runs:
 * real child processes, each with its own event loop, Sequelize pool and engine, sharing only PostgreSQL — as a
 * deployment behind a load balancer would. Their memory and CPU are read from /proc.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppMessage, AppQuestion, EngineOptions, EngineStats } from './app-server.js';
import { ChildServer } from './child.js';
import { cpuSeconds, rssMiB } from './proc.js';

const serverFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'app-server.ts');

export interface AppProcess {
  url: string;
  pid: number;
  rssMiB(): number;
  cpuSeconds(): number;
  /** What its engine did since the last call. */
  stats(): Promise<EngineStats>;
}

export interface AppProcesses {
  apps: AppProcess[];
  stop(): Promise<void>;
}

export async function startAppProcesses(count: number, dbUrl: string, engine: EngineOptions): Promise<AppProcesses> {
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => ChildServer.start<AppMessage, AppQuestion>(
    serverFile, { BENCH_DB_URL: dbUrl, BENCH_ENGINE_OPTIONS: JSON.stringify(engine) }, `app process ${i + 1} (bench/app-server.ts)`,
  )));
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.server] : []));
  const stop = async () => { await Promise.all(servers.map((s) => s.stop())); };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const apps = started.map((s) => {
    const { server, ready } = (s as PromiseFulfilledResult<{ server: ChildServer<AppMessage, AppQuestion>; ready: AppMessage }>).value;
    return {
      url: (ready as Extract<AppMessage, { type: 'ready' }>).url,
      pid: server.pid,
      rssMiB: () => rssMiB(server.pid),
      cpuSeconds: () => cpuSeconds(server.pid),
      stats: async () => {
        const { type: _, ...stats } = await server.ask({ type: 'stats' }, 'stats');
        return stats;
      },
    };
  });
  return { apps, stop };
}
