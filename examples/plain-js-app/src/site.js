// The app's own site routes, the same before and after the install: `req.session.accountId` says who is signed in.
import bcrypt from 'bcryptjs';
import express from 'express';
import http from 'node:http';
import { Account } from './models.js';

// A hash of nobody's password: an unknown email costs the same bcrypt run as a known one.
const NOBODY = bcrypt.hashSync(crypto.randomUUID(), 10);

export async function checkPassword(email, password) {
  if (typeof email !== 'string' || typeof password !== 'string') return null;
  const account = await Account.findOne({ where: { email } });
  const ok = await bcrypt.compare(password, account?.passwordDigest ?? NOBODY);
  return ok && account ? account : null;
}

/** `signIn(req, account)` and `signOut(req)`: what happens at login and logout (before: nothing more than the session). */
export function siteRoutes({ signIn, signOut }) {
  const router = express.Router();
  router.post('/login', express.json(), async (req, res) => {
    const account = await checkPassword(req.body?.email, req.body?.password);
    if (!account) return res.status(401).json({ error: 'Wrong email or password.' });
    await signIn(req, account);
    req.session.accountId = account.id;
    res.json({ id: account.id });
  });
  router.get('/me', (req, res) => {
    if (!req.session.accountId) return res.status(401).json({ error: 'Not logged in.' });
    res.json({ id: req.session.accountId });
  });
  router.post('/logout', async (req, res) => {
    res.json((await signOut(req)) ?? { ok: true });
  });
  return router;
}

/** Express 5 passes a rejected promise here; a body that is not JSON is the client's mistake (4xx), the rest is ours. */
export function errorHandler(err, _req, res, _next) {
  if (err.type === 'entity.parse.failed' || (err.status >= 400 && err.status < 500)) {
    return res.status(err.status ?? 400).json({ error: 'Bad request.' });
  }
  console.error(err);
  res.status(500).json({ error: 'Something went wrong; please retry.' });
}

export function listen(app) {
  // A bulk action carries its ids in the query string: 50,000 ids need more than Node's default 16 KB of headers.
  const server = http.createServer({ maxHeaderSize: 1024 * 1024 }, app);
  server.listen(Number(process.env.PORT ?? 3000), () => {
    console.log(`Listening on http://localhost:${server.address().port}/`);
  });
}
