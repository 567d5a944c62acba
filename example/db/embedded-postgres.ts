/**
 * Embedded PostgreSQL for the demo and the tests when no DATABASE_URL is given: PGlite (Postgres compiled to
 * WASM) served over the wire protocol, so `pg` and Sequelize talk to it unchanged. It runs one transaction at a
 * time, which is why concurrency tests use a real server.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { embeddedUrls } from './embedded-urls.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** `dataDir` keeps the data between runs; without it the database lives in memory. */
export async function startEmbeddedPostgres({ dataDir, port = 0, maxConnections = 32 }: {
  dataDir?: string; port?: number; maxConnections?: number;
} = {}): Promise<EmbeddedPostgres> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  // pg_trgm: the package's migration indexes the Sessions page's text filters with it, as on a server.
  const db = new PGlite({ dataDir, extensions: { pg_trgm } });
  await db.waitReady;
  // maxConnections must be at least the Sequelize pool size, or extra connections are reset.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
  await server.start();
  const [, boundPort] = server.getServerConn().split(':');
  const url = `postgres://postgres@127.0.0.1:${boundPort}/postgres`;
  embeddedUrls.add(url);
  return {
    url,
    async stop() {
      embeddedUrls.delete(url);
      await server.stop();
      await db.close();
      unlock();
    },
  };
}

/**
 * PGlite is one PostgreSQL backend inside this process: a second process opening the same folder would corrupt it.
 * A lock file with our pid keeps it to one; a lock left by a process that is gone is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`The embedded PostgreSQL in ${dataDir} is in use by process ${holder}. Stop that process, or set DATABASE_URL to use a PostgreSQL server.`);
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

/** Is a process with this pid running (ours or another user's)? */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
