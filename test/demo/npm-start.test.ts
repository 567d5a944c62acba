/**
 * Ctrl-C on `npm start`, as a terminal delivers it: SIGINT to the whole foreground process group (npm, the shell
 * npm runs the script with, node). The demo closes everything and exits 0, and so does `npm start`: the script
 * `exec`s node, so no shell is left to die of the signal (dash, Debian's /bin/sh, would, and npm would then
 * report 130).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDatabase, type TestDatabase } from '../support/database.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('npm start: Ctrl-C', function () {
  this.timeout(180_000);
  let db: TestDatabase;
  before(async () => { db = await scratchDatabase('npm_start'); });
  after(async () => { await db?.stop(); });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to the process group: the demo shuts down and npm start exits 0`, async () => {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|NODE_ENV$|ADMIN_JS_TMP_DIR$)/i.test(k)));
      // detached: its own process group, like a job in a terminal (npm is the group leader).
      const npm = spawn('npm', ['start'], { cwd: root, detached: true, env: { ...env, DATABASE_URL: db.url, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => npm.on('exit', (code, sig) => resolve([code, sig])));
      try {
        await new Promise<void>((resolve, reject) => {
          const onData = (chunk: Buffer) => {
            output += chunk;
            if (output.includes('Press Ctrl-C to stop.')) resolve();
          };
          npm.stdout!.on('data', onData);
          npm.stderr!.on('data', onData);
          void exited.then(([code]) => reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`)));
        });
        process.kill(-npm.pid!, signal);
        expect(await exited, output).to.deep.equal([0, null]);
        expect(output).to.contain(`${signal}: shutting down`);
      } finally {
        try { process.kill(-npm.pid!, 'SIGKILL'); } catch { /* already gone */ }
      }
    });
  }
});
