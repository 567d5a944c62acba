// The app as it was before the install: connect-session-sequelize keeps the sessions.
import SequelizeStoreInit from 'connect-session-sequelize';
import express from 'express';
import session from 'express-session';
import { sequelize } from './models.js';
import { errorHandler, listen, siteRoutes } from './site.js';

const SequelizeStore = SequelizeStoreInit(session.Store);
const store = new SequelizeStore({ db: sequelize });
await store.sync();

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, store, name: 'sid', resave: false, saveUninitialized: false }));
app.use(siteRoutes({
  signIn: async () => {},
  signOut: (req) => new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve()))),
}));
app.use(errorHandler);
listen(app);
