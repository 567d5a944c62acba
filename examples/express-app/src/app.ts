import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import AdminJS, { ComponentLoader, type CurrentAdmin } from 'adminjs';
import AdminJSExpress from '@adminjs/express';
import { Database, Resource } from '@adminjs/sequelize';
import bcrypt from 'bcryptjs';
import { createSingleSession, guardCrossSite, LoginDeniedError } from 'adminjs-single-session';
import {
  guardedAdminRouter, mySessionsPage, sessionsResource, SingleSessionAuthProvider, singleSessionFeature,
  withSingleSessionTranslations, type Can,
} from 'adminjs-single-session/adminjs';
import { sequelize, User } from './models.js'; // your Sequelize instance and user model

const secret = process.env.SESSION_SECRET;
if (!secret) throw new Error('Set SESSION_SECRET (a long random string): it signs the session cookie.');

const singleSession = await createSingleSession({
  sequelize,
  userModel: User,
  isAdmin: (user) => user.role === 'admin', // who counts as an admin user
});

// In production the cookie is `__Host-sid`: browsers take it only Secure, for Path=/, without Domain, so a sibling
// subdomain cannot toss one for the parent domain. Plain-HTTP development keeps `sid` (a __Host- cookie is Secure).
const cookieName = process.env.NODE_ENV === 'production' ? '__Host-sid' : 'sid';
const app = express();
app.use(singleSession.sessionMiddleware({ secret, name: cookieName })); // one session for the site and AdminJS
app.use(guardCrossSite()); // POST/PUT/PATCH/DELETE that a browser says another site sent: 403 (login CSRF)

AdminJS.registerAdapter({ Database, Resource });
// One ComponentLoader for AdminJS and for every feature, resource and page below: AdminJS bundles only its own.
const componentLoader = new ComponentLoader();
// Who may end whose sessions (default without `can`: `currentAdmin.permissions` lists the permission).
const can: Can = (currentAdmin, permission) =>
  currentAdmin?.role === 'admin' || (currentAdmin?.role === 'support' && permission === 'single_session.logout');
// AdminJS opens its stock actions to every panel user: without this, support could edit their own role to admin.
const adminsOnly = { isAccessible: ({ currentAdmin }: { currentAdmin?: CurrentAdmin }) => currentAdmin?.role === 'admin' };

const admin = new AdminJS({
  rootPath: '/admin',
  componentLoader,
  locale: withSingleSessionTranslations({ language: 'en' }),
  pages: { mySessions: mySessionsPage({ singleSession, componentLoader }) },
  resources: [
    {
      resource: User,
      options: {
        id: 'User', // the bulk actions' API: /admin/api/resources/User/bulk/…
        titleProperty: 'email',
        listProperties: ['id', 'email', 'fullName', 'role'],
        properties: { passwordDigest: { isVisible: false }, apiToken: { isVisible: false } },
        actions: { new: adminsOnly, edit: adminsOnly, delete: adminsOnly, bulkDelete: adminsOnly }, // who may change users
      },
      features: [singleSessionFeature({ singleSession, componentLoader, can })], // actions + the user's sessions panel
    },
    sessionsResource({ singleSession, componentLoader, can }), // resource id 'ActiveSessions'
  ],
});

// A hash of nobody's password: an unknown email costs the same bcrypt run as a known one (no timing oracle).
const NOBODY = await bcrypt.hash(crypto.randomUUID(), 10);

async function checkPassword(email: unknown, password: unknown): Promise<User | null> {
  if (typeof email !== 'string' || typeof password !== 'string') return null;
  const user = await User.findOne({ where: { email } });
  const ok = await bcrypt.compare(password, user?.passwordDigest ?? NOBODY); // runs either way
  return ok && user ? user : null;
}

const provider = new SingleSessionAuthProvider({
  singleSession,
  componentLoader,
  authenticate: async ({ email, password }): Promise<CurrentAdmin | null> => {
    const user = await checkPassword(email, password);
    if (!user || user.role === 'member') return null; // members use the site, not the admin panel
    return { id: String(user.id), email: user.email, role: user.role };
  },
});
const adminRouter = AdminJSExpress.buildAuthenticatedRouter(
  admin,
  { provider, cookieName, cookiePassword: secret },
  null,
  singleSession.sessionOptions({ secret, name: cookieName }), // the same session: AdminJS mounts no second one
  { maxFileSize: 10 * 1024 * 1024, maxFieldsSize: 1024 * 1024, maxFields: 200 }, // formidable, signed-in admins only
);
// AdminJS's router inside the package's guards: cross-site requests refused, nothing on disk before sign-in, the
// login page says why a session ended, bad API requests (and filters or sorts on hidden fields) get a clear 4xx;
// mounting it checks that the session middleware came first.
app.use(admin.options.rootPath, guardedAdminRouter({ admin, singleSession, router: adminRouter }));

app.post('/login', express.json(), async (req, res, next) => {
  try {
    const user = await checkPassword(req.body?.email, req.body?.password);
    if (!user) return res.status(401).json({ error: 'Wrong email or password.' });
    await singleSession.userLoggedIn(req, user); // new session id, link, policy: one transaction per user
    res.json({ id: user.id });
  } catch (err) {
    if (err instanceof LoginDeniedError) return res.status(409).json({ error: err.message }); // whenExceeded: 'deny'
    next(err); // Express 4 does not catch a rejected promise: without this, one error ends the process
  }
});

app.get('/me', (req, res) => {
  const userId = singleSession.getUserId(req); // the key as a string ("3"), or null
  if (userId === null) return res.status(401).json({ error: 'Not logged in.', reason: singleSession.getEndReason(req) });
  res.json({ id: userId });
});

app.post('/logout', async (req, res, next) => {
  try {
    await singleSession.userLoggedOut(req); // with logoutAllSessions (default): every session of the user
    res.json({ ok: true });
  } catch (err) {
    next(err);
  }
});

const onError: ErrorRequestHandler = (err, _req, res, _next) => {
  // The client's mistake (a malformed JSON body: express.json() sets status 400) gets its 4xx, not a 500.
  const status = Number(err?.status ?? err?.statusCode);
  if (status >= 400 && status < 500) res.status(status).json({ error: err.expose ? err.message : 'Bad request.' });
  else {
    console.error(err);
    res.status(500).json({ error: 'Something went wrong; please retry.' });
  }
};
app.use(onError);

// Node's default 16 KB of headers, for 10 s at most: no client holds more before it has sent a whole request head.
// A bulk action with more ids than a query string of 16 KB holds (50,000 at most) sends them in its POST body.
const server = http.createServer({ maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 120_000 }, app);
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`Listening on http://localhost:${(server.address() as AddressInfo).port}/ (admin: /admin)`);
});
