// The app with adminjs-single-session installed: the same site routes, AdminJS with the bulk logout, and the
// sessions from before brought under the policy at start-up (CUT_OVER=adopt or end).
import AdminJSExpress from '@adminjs/express';
import { Database, Resource } from '@adminjs/sequelize';
import AdminJS, { ComponentLoader } from 'adminjs';
import express from 'express';
import { createSingleSession } from 'adminjs-single-session';
import { guardedAdminRouter, sessionsResource, SingleSessionAuthProvider, singleSessionFeature } from 'adminjs-single-session/adminjs';
import { Account, sequelize } from './models.js';
import { checkPassword, errorHandler, listen, siteRoutes } from './site.js';

const secret = process.env.SESSION_SECRET;
if (!secret) throw new Error('Set SESSION_SECRET (a long random string): it signs the session cookie.');

const singleSession = await createSingleSession({ sequelize, userModel: Account, isAdmin: (account) => account.role === 'admin' });

// The sessions from before the install: linked to their accounts (adopt) or ended. Idempotent: only unlinked ones are read.
if (process.env.CUT_OVER) {
  const result = await singleSession.cutOverSessions({ userIdOf: (data) => data.accountId, mode: process.env.CUT_OVER });
  console.log(`Cut-over: ${JSON.stringify(result)}`);
}

const app = express();
app.use(singleSession.sessionMiddleware({ secret, name: 'sid' }));

AdminJS.registerAdapter({ Database, Resource });
const componentLoader = new ComponentLoader();
const can = (currentAdmin) => currentAdmin?.role === 'admin';
const admin = new AdminJS({
  rootPath: '/admin',
  componentLoader,
  resources: [
    {
      resource: Account,
      options: { id: 'User', titleProperty: 'email', properties: { passwordDigest: { isVisible: false } } },
      features: [singleSessionFeature({ singleSession, componentLoader, can })],
    },
    sessionsResource({ singleSession, componentLoader, can }),
  ],
});
const provider = new SingleSessionAuthProvider({
  singleSession,
  componentLoader,
  authenticate: async ({ email, password }) => {
    const account = await checkPassword(email, password);
    return account && account.role === 'admin' ? { id: account.id, email: account.email, role: account.role } : null;
  },
});
const adminRouter = AdminJSExpress.buildAuthenticatedRouter(
  admin, { provider, cookieName: 'sid', cookiePassword: secret }, null, singleSession.sessionOptions({ secret, name: 'sid' }),
);
app.use(admin.options.rootPath, guardedAdminRouter({ admin, singleSession, router: adminRouter }));

app.use(siteRoutes({
  signIn: (req, account) => singleSession.userLoggedIn(req, account),
  signOut: (req) => singleSession.userLoggedOut(req),
}));
app.use(errorHandler);
listen(app);
