/**
 * Embedded PostgreSQL for the demo and the tests when no DATABASE_URL is given: PGlite (Postgres compiled to
 * WASM) served over the wire protocol, so `pg` and Sequelize talk to it unchanged. It runs one transaction at a
 * time, which is why concurrency tests use a real server.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** `dataDir` keeps the data between runs; without it the database lives in memory. */
export async function startEmbeddedPostgres({ dataDir, port = 0, maxConnections = 32 }: {
  dataDir?: string; port?: number; maxConnections?: number;
} = {}): Promise<EmbeddedPostgres> {
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  // maxConnections must be at least the Sequelize pool size, or extra connections are reset.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
  await server.start();
  const [, boundPort] = server.getServerConn().split(':');
  return {
    url: `postgres://postgres@127.0.0.1:${boundPort}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
