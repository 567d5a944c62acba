import { Database as SequelizeDatabase, Resource as SequelizeResource } from '@adminjs/sequelize';
import { Database as TypeormDatabase, Resource as TypeormResource } from '@adminjs/typeorm';
import type { AdminModuleOptions } from '@adminjs/nestjs';
import AdminJS, { ComponentLoader, type ActionContext, type CurrentAdmin, type ResourceWithOptions } from 'adminjs';
import type { SingleSession } from 'adminjs-single-session';
import {
  mySessionsPage, sessionsResource, SingleSessionAuthProvider, singleSessionFeature, withSingleSessionTranslations,
} from 'adminjs-single-session/adminjs';
import { User } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';

// Users come from TypeORM; the Sessions resource is a Sequelize model over the engine's tables.
AdminJS.registerAdapter({ Database: TypeormDatabase, Resource: TypeormResource });
AdminJS.registerAdapter({ Database: SequelizeDatabase, Resource: SequelizeResource });

/** Admits admin users and anyone holding some permission; site-only users are refused. */
const adminLogin = (users: UsersService) => async ({ email, password }: { email: string; password: string }): Promise<CurrentAdmin | null> => {
  const user = await users.checkPassword(email, password);
  if (!user || (!user.isAdmin && user.permissions.length === 0)) return null;
  const { id, isAdmin, permissions } = user;
  return { id: String(id), email: user.email, title: isAdmin ? 'Administrator' : permissions.join(', '), isAdmin, permissions };
};

/** AdminJS's own actions that change users: admin users only, refused on the server too. */
const adminsOnly = { isAccessible: ({ currentAdmin }: ActionContext) => currentAdmin?.isAdmin === true };

function userResource(singleSession: SingleSession): ResourceWithOptions {
  return {
    resource: User,
    options: {
      id: 'User',
      titleProperty: 'email',
      navigation: { name: 'Accounts', icon: 'Users' },
      listProperties: ['id', 'email', 'isAdmin'],
      properties: { passwordHash: { isVisible: false }, permissions: { type: 'string', isArray: true } },
      actions: { new: adminsOnly, edit: adminsOnly, delete: adminsOnly, bulkDelete: adminsOnly },
    },
    // "Log out the user on all sessions" (bulk and record actions) and the user's sessions on their show page.
    features: [singleSessionFeature({ singleSession })],
  };
}

/** The options of AdminModule.createAdminAsync. */
export function adminOptions(singleSession: SingleSession, users: UsersService, secret: string): AdminModuleOptions {
  const componentLoader = new ComponentLoader();
  return {
    adminJsOptions: {
      rootPath: '/admin',
      componentLoader,
      branding: { companyName: 'adminjs-single-session on NestJS', withMadeWithLove: false },
      locale: withSingleSessionTranslations({ language: 'en' }),
      pages: { mySessions: mySessionsPage({ singleSession, componentLoader }) },
      resources: [userResource(singleSession), sessionsResource({ singleSession })],
    },
    auth: {
      provider: new SingleSessionAuthProvider({ singleSession, componentLoader, authenticate: adminLogin(users) }),
      cookieName: 'sid',
      cookiePassword: secret,
    },
    // The session middleware of main.ts runs first; AdminJS's own is given the same store, cookie and secret.
    sessionOptions: singleSession.sessionOptions({ secret, name: 'sid' }),
  };
}
