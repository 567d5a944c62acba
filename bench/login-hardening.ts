/**
 * The figures of docs/security.md, "Login timing and throttling" (issue 16, findings 6 and 7), measured side by side
 * in one run on the demo's site login (example/site.ts) with the demo's bcrypt cost (10):
 *
 * 1. a wrong password for an existing email vs an unknown email: median of N alternating samples each (throttling
 *    generous enough never to trigger, so only the password check is measured);
 * 2. bob's login while 200 wrong-password logins for alice run in parallel, with the demo's throttle and without
 *    it (every attempt runs bcrypt at once, nothing waits its turn: what the demo did before).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/login-hardening.ts [samples]
 */
import bcrypt from 'bcryptjs';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createSingleSession } from '../src/index.js';
import { defineUser } from '../example/db/users.js';
import { LoginThrottle, PASSWORD_COST } from '../example/login.js';
import { siteRouter } from '../example/site.js';
import { connect, stopTestDatabase, testDatabase } from '../test/support/database.js';
import { resetSchema, USERS } from '../test/support/fixture.js';
import { describeMachine } from './machine.js';

const SAMPLES = Number(process.argv[2] ?? 60);
const OFF = { failures: 1e9, withinSeconds: 1, blockSeconds: 1 };
/** The demo before issue 16: every attempt checked at once, nothing counted. */
const NO_THROTTLE = { attempt: (_account: string, _client: string, check: () => Promise<boolean>) => check() } as unknown as LoginThrottle;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const db = await testDatabase();
const sequelize = connect(db.url, 10);
await resetSchema(sequelize);
const User = defineUser(sequelize);
const hash = await bcrypt.hash('password', PASSWORD_COST);
await User.bulkCreate(USERS.map((u) => ({ ...u, passwordHash: hash })));
const singleSession = await createSingleSession({ sequelize, userModel: User, purgeIntervalMs: false });

async function serve(throttle: LoginThrottle) {
  const app = express();
  app.use(singleSession.sessionMiddleware({ secret: 'bench', name: 'sid' }));
  app.use(siteRouter({ singleSession, User, throttle }));
  const server = await new Promise<import('node:http').Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = async (email: string, password: string) => {
    const started = performance.now();
    const res = await fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    await res.text();
    return { status: res.status, ms: performance.now() - started };
  };
  return { login, close: () => { server.closeAllConnections(); server.close(); } };
}

// 1. Timing: known vs unknown email, alternating.
const generous = await serve(new LoginThrottle({ perAccount: OFF, perClient: OFF }));
await generous.login('bob@example.com', 'warm-up');
const known: number[] = [];
const unknown: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  known.push((await generous.login('bob@example.com', 'wrong')).ms);
  unknown.push((await generous.login(`nobody${i}@example.com`, 'wrong')).ms);
}
generous.close();

// 2. bob during alice's burst, throttled and not.
async function burst(throttle: LoginThrottle) {
  const app = await serve(throttle);
  const alice = Array.from({ length: 200 }, () => app.login('alice@example.com', 'wrong'));
  const bob = await app.login('bob@example.com', 'password');
  const all = await Promise.all(alice);
  app.close();
  return { bobMs: bob.ms, bobStatus: bob.status, refused: all.filter((r) => r.status === 429).length, burstMs: Math.max(...all.map((r) => r.ms)) };
}
const throttled = await burst(new LoginThrottle());
const unthrottled = await burst(NO_THROTTLE);

const [[{ version }]] = (await sequelize.query('SELECT version()')) as unknown as [[{ version: string }]];
console.log(JSON.stringify({
  machine: describeMachine(version),
  samples: SAMPLES,
  timing: { knownEmailMedianMs: +median(known).toFixed(1), unknownEmailMedianMs: +median(unknown).toFixed(1) },
  burst: { throttled, unthrottled },
}, null, 2));
singleSession.close();
await sequelize.close();
await stopTestDatabase();
