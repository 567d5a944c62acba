/**
 * Live sign-out at scale (issue 25): `npm run bench:live` (full: 10,000 streams, 1,000 ended) or `--tiny` (CI:
 * 200 streams, 50 ended, seconds). Two demo processes (example/server.ts, live sign-out on) on one fresh database:
 * - every stream is opened on process 1 (one signed-in session each, made directly in the tables, with the cookie
 *   express-session would sign); its resident memory before and after gives the memory per stream;
 * - CPU of process 1 while the streams are open and nothing happens (heartbeats, the periodic check);
 * - one bulk action (`logoutAllUsersOnAllSessions`, over HTTP as the admin) on process 2 ends the sessions of the
 *   first `ended` users; for every affected stream, the time from the action's response (the ending committed
 *   before it) to its `ended` event — p50, p99, max — and that no other stream was told anything.
 * Options: --mariadb URL (on MariaDB instead), --streams N, --ended N, --idle-seconds N, --out FILE (default bench/live-results.json; --tiny: a temp file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connect, createDatabase, dialectOf, dropDatabases, mariadbUrl, requireDatabaseUrl } from './db.js';
import { cpuSeconds, rssMiB } from './proc.js';
import { median, percentile } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'bench live secret';
const READY = /ready in [\d.]+ s at (http:\/\/localhost:\d+)\//;

const { values } = parseArgs({
  options: {
    tiny: { type: 'boolean', default: false }, streams: { type: 'string' }, ended: { type: 'string' },
    'idle-seconds': { type: 'string' }, out: { type: 'string' }, mariadb: { type: 'string' },
  },
});
const tiny = values.tiny!;
const STREAMS = Number(values.streams ?? (tiny ? 200 : 10_000));
const ENDED = Number(values.ended ?? (tiny ? 50 : 1000));
const IDLE_SECONDS = Number(values['idle-seconds'] ?? (tiny ? 3 : 30));
const OUT = values.out ?? (tiny ? path.join(os.tmpdir(), 'live-results.json') : path.join(root, 'bench', 'live-results.json'));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A demo process; resolves with its URL once it printed that it is ready. */
function startDemo(url: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'example/server.ts'], {
    cwd: root, env: { ...process.env, DATABASE_URL: url, PORT: '0', NODE_ENV: 'test', SESSION_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      if (output.length > 100_000) return;
      output += chunk;
      const match = READY.exec(output);
      if (match) resolve({ child, url: match[1]!.replace('localhost', '127.0.0.1') });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`demo exited (${code}):\n${output}`)));
  });
}

/** express-session's cookie value for `sid` (cookie-signature: HMAC-SHA256, base64 without padding). */
const cookieOf = (sid: string) => `sid=${encodeURIComponent(`s:${sid}.${createHmac('sha256', SECRET).update(sid).digest('base64').replace(/=+$/, '')}`)}`;

interface Watcher {
  userId: number;
  connected: Promise<void>;
  endedAt: number | null;
  events: number;
}

function watch(base: string, sid: string, userId: number, agent: http.Agent): Watcher {
  const watcher: Watcher = { userId, connected: Promise.resolve(), endedAt: null, events: 0 };
  watcher.connected = new Promise((resolve, reject) => {
    const req = http.get(`${base}/session/live`, { agent, headers: { cookie: cookieOf(sid), accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (chunk.includes(': connected')) resolve();
        if (chunk.includes('event: ended')) {
          watcher.endedAt ??= performance.now();
          watcher.events++;
        }
      });
    });
    req.on('error', reject);
  });
  return watcher;
}

async function main(): Promise<void> {
  const baseUrl = values.mariadb ? mariadbUrl(values.mariadb) : requireDatabaseUrl();
  const dialect = dialectOf(baseUrl);
  const name = `bench_live_${process.pid}`;
  const url = await createDatabase(baseUrl, name);
  const children: ChildProcess[] = [];
  try {
    console.log(`live sign-out bench on ${dialect}: ${STREAMS} streams on process 1, ${ENDED} ended by one bulk action on process 2`);
    const [p1, p2] = [await startDemo(url), await startDemo(url)];
    children.push(p1.child, p2.child);
    const sequelize = connect(url, 4);
    const q = (text: string) => (dialect === 'mariadb' ? text.replace(/"/g, '`') : text);
    // Users and one signed-in session each, written as the login would (data names the user; the link exists).
    const [{ max }] = (await sequelize.query(q('SELECT max(id) AS max FROM "Users"'), { type: 'SELECT' })) as unknown as [{ max: number }];
    const first = Number(max) + 1;
    const sessions: Array<{ sid: string; userId: number }> = [];
    for (let at = 0; at < STREAMS; at += 1000) {
      const batch = Array.from({ length: Math.min(1000, STREAMS - at) }, (_, i) => ({ userId: first + at + i, sid: randomBytes(24).toString('base64url') }));
      sessions.push(...batch);
      const users = batch.map((s) => `(${s.userId}, 'bench-${s.userId}@example.com', 'x', false, '[]')`).join(',');
      await sequelize.query(q(`INSERT INTO "Users" (id, email, "passwordHash", "isAdmin", permissions) VALUES ${users}`));
      const data = (userId: number) => JSON.stringify({ cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/', sameSite: 'lax' }, singleSessionUserId: String(userId) });
      const expires = dialect === 'mariadb' ? 'NOW(3) + INTERVAL 1 DAY' : `now() + interval '1 day'`;
      const now = dialect === 'mariadb' ? 'NOW(3)' : 'now()';
      // The identifiers quoted for the dialect, not the JSON (its double quotes stay).
      await sequelize.query(q(`INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt") VALUES `) +
        batch.map((s) => `('${s.sid}', ${expires}, '${data(s.userId)}', ${now}, ${now})`).join(','));
      await sequelize.query(q(`INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt") VALUES ${batch.map((s) => `('${s.sid}', ${s.userId}, ${now}, ${now})`).join(',')}`));
    }
    await sleep(2000);
    const pid = p1.child.pid!;
    const rssBefore = rssMiB(pid);

    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const watchers: Watcher[] = [];
    const openedAt = performance.now();
    for (let at = 0; at < sessions.length; at += 500) {
      const batch = sessions.slice(at, at + 500).map((s) => watch(p1.url, s.sid, s.userId, agent));
      watchers.push(...batch);
      await Promise.all(batch.map((w) => w.connected));
    }
    const openSeconds = (performance.now() - openedAt) / 1000;
    await sleep(2000);
    const rssAfter = rssMiB(pid);
    const kbPerStream = ((rssAfter - rssBefore) * 1024) / STREAMS;
    console.log(`  ${STREAMS} streams open in ${openSeconds.toFixed(1)} s; process 1 RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MiB: ${kbPerStream.toFixed(1)} KB per stream`);

    const cpu0 = cpuSeconds(pid);
    await sleep(IDLE_SECONDS * 1000);
    const idleCpuPercent = ((cpuSeconds(pid) - cpu0) / IDLE_SECONDS) * 100;
    console.log(`  idle for ${IDLE_SECONDS} s: process 1 used ${idleCpuPercent.toFixed(2)} % of one core`);

    // The admin signs in on process 2 and ends the first ENDED users' sessions in one bulk action.
    const login = await fetch(`${p2.url}/admin/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'admin@example.com', password: 'password' }).toString(),
    });
    const adminCookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    if (login.status !== 302) throw new Error(`admin login failed: ${login.status}`);
    const ended = watchers.slice(0, ENDED);
    const sentAt = performance.now();
    const res = await fetch(`${p2.url}/admin/api/resources/User/bulk/logoutAllUsersOnAllSessions?recordIds=${ended.map((w) => w.userId).join(',')}`, {
      method: 'POST', headers: { cookie: adminCookie, 'content-type': 'application/json' }, body: '{}',
    });
    const answeredAt = performance.now();
    const body = (await res.json()) as { notice?: { type?: string; options?: { sessions?: number } } };
    if (body.notice?.type !== 'success') throw new Error(`bulk action failed: ${JSON.stringify(body.notice)}`);
    const until = performance.now() + 30_000;
    while (ended.some((w) => w.endedAt === null) && performance.now() < until) await sleep(20);
    await sleep(1000); // anything told to the others would show by now
    const missed = ended.filter((w) => w.endedAt === null).length;
    const wrongly = watchers.slice(ENDED).filter((w) => w.events > 0).length;
    const fromResponse = ended.filter((w) => w.endedAt !== null).map((w) => w.endedAt! - answeredAt);
    const fromRequest = ended.filter((w) => w.endedAt !== null).map((w) => w.endedAt! - sentAt);
    const results = {
      at: new Date().toISOString(), dialect, tiny, streams: STREAMS, ended: ENDED, sessionsEnded: body.notice.options?.sessions,
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg(), note: 'shared machine: other work ran at the same time' },
      openSeconds, rssBeforeMiB: rssBefore, rssAfterMiB: rssAfter, kbPerStream, idleSeconds: IDLE_SECONDS, idleCpuPercent,
      actionMs: answeredAt - sentAt,
      fromResponseMs: { p50: median(fromResponse), p99: percentile(fromResponse, 99), max: Math.max(...fromResponse) },
      fromRequestMs: { p50: median(fromRequest), p99: percentile(fromRequest, 99), max: Math.max(...fromRequest) },
      missed, toldWrongly: wrongly,
      targets: { p99Ms: 2000, kbPerStream: 20 },
    };
    console.log(`  bulk action: ${results.actionMs.toFixed(0)} ms; ended event from its response: p50 ${results.fromResponseMs.p50.toFixed(0)} ms, ` +
      `p99 ${results.fromResponseMs.p99.toFixed(0)} ms, max ${results.fromResponseMs.max.toFixed(0)} ms (from its request: p99 ${results.fromRequestMs.p99.toFixed(0)} ms); ` +
      `missed ${missed}, other streams told ${wrongly}`);
    writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`  written to ${OUT}`);
    agent.destroy();
    await sequelize.close();
    if (missed > 0 || wrongly > 0) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(1000);
    await dropDatabases(baseUrl, [name]).catch((err) => console.error(`could not drop ${name}: ${err.message}`));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
