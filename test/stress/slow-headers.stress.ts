/**
 * Issue 23, finding 5: what anonymous clients that never finish their request head can make the demo's server hold.
 * It accepted 1 MB of headers from anyone (for bulk actions' ids in the query string): 300 such connections raised
 * its RSS from 211 to 531 MB. Now it takes Node's default 16 KB, for 10 s (example/setup.ts's SERVER_LIMITS).
 *
 * One demo process (`npm start`'s server), 300 connections that each send as much of a request head as the server
 * takes — up to 1 MB, then one byte a second — and then 300 that send just under 16 KB and trickle: each time, the
 * process's RSS (from /proc) must grow by less than 50 MB, and the server must close the unfinished connections
 * after its header timeout. The figures are printed.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { testDatabase } from '../support/database.js';
import { startDemoProcesses, type AppProcesses } from './support/processes.js';

const CONNECTIONS = 300;
const BUDGET_MB = 50;
const LINE = Buffer.from(`X-Pad: ${'a'.repeat(1000 - 'X-Pad: \r\n'.length)}\r\n`); // one 1,000-byte header line

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection that sends a request head of up to `bytes` (as much as the server takes), then a byte a second. */
function slowClient(port: number, bytes: number): Promise<{ socket: net.Socket; sent: number; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let sent = 0;
    let open = true;
    const closed = new Promise<void>((done) => socket.once('close', () => { open = false; done(); }));
    socket.on('error', () => undefined); // the server's 431 or its timeout reset the connection: what we measure
    socket.once('connect', async () => {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      while (open && sent + LINE.length <= bytes) {
        sent += LINE.length;
        if (!socket.write(LINE)) await new Promise((drained) => { socket.once('drain', drained); socket.once('close', drained); });
      }
      resolve({ socket, sent, closed });
      // Never the blank line that ends the head: a byte a second, so the connection is never idle.
      const trickle = setInterval(() => (open ? socket.write('b') : clearInterval(trickle)), 1000);
      closed.then(() => clearInterval(trickle));
    });
  });
}

describe(`slow anonymous headers: ${CONNECTIONS} unfinished connections add less than ${BUDGET_MB} MB to the server (issue 23)`, function () {
  this.timeout(300_000);
  let apps: AppProcesses;
  let port: number;
  let pid: number;

  before(async () => {
    apps = await startDemoProcesses(1, { DATABASE_URL: (await testDatabase()).url });
    port = Number(new URL(apps.urls[0]!).port);
    pid = apps.pids[0]!;
    for (let i = 0; i < 20; i++) await (await fetch(`${apps.urls[0]}/me`)).text(); // warm
  });
  after(async () => apps?.stop());

  for (const [what, bytes] of [['as much as the server takes (up to 1 MB)', 1024 * 1024], ['just under 16 KB', 15 * 1024]] as const) {
    it(`${what}, each: RSS grows by less than ${BUDGET_MB} MB; the server closes them after its header timeout`, async () => {
      await sleep(1000);
      const before = rssMb(pid);
      const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => slowClient(port, bytes)));
      await sleep(2000); // the server has read what it will read
      const during = rssMb(pid);
      const open = clients.filter((c) => !c.socket.destroyed).length;
      const sent = clients.reduce((sum, c) => sum + c.sent, 0);
      console.log(`      ${what}: ${CONNECTIONS} connections, ${(sent / 1024 / 1024).toFixed(1)} MB sent, ${open} still open; ` +
        `RSS ${before.toFixed(0)} → ${during.toFixed(0)} MB (+${(during - before).toFixed(1)} MB)`);
      expect(during - before, 'RSS growth in MB').to.be.below(BUDGET_MB);

      // The header timeout (10 s, checked every second) ends every one of them.
      const t0 = performance.now();
      const all = await Promise.race([Promise.all(clients.map((c) => c.closed)).then(() => true), sleep(20_000).then(() => false)]);
      for (const c of clients) c.socket.destroy();
      expect(all, 'the server closed every unfinished connection within 20 s').to.equal(true);
      console.log(`      closed by the server within ${((performance.now() - t0) / 1000).toFixed(1)} s more; RSS after: ${rssMb(pid).toFixed(0)} MB`);
      // Still serving.
      expect((await fetch(`${apps.urls[0]}/me`)).status).to.equal(401);
    });
  }
});
