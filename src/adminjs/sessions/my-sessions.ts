/**
 * `mySessionsPage({ singleSession, componentLoader })`: the AdminJS page "My sessions" — the current admin's own
 * sessions and a "Log out my other sessions" button (POST), which keeps the session in use. Any logged-in admin.
 *
 *   new AdminJS({ pages: { mySessions: mySessionsPage({ singleSession, componentLoader }) }, ... })
 */
import path from 'node:path';
import type { Request } from 'express';
import type { AdminPage, ComponentLoader } from 'adminjs';
import { listWithCurrent } from './list.js';
import { checkOptions, type CommonOptions } from './options.js';
import { COMPONENTS_DIR } from './user-sessions.js';

export type MySessionsPageOptions = Omit<CommonOptions, 'can'> & { componentLoader: ComponentLoader };

export const MY_SESSIONS = { page: 'mySessions', component: 'SingleSessionMySessions' } as const;
export const MY_SESSIONS_NOTICES = { ended: 'singleSessionOthersEnded', none: 'singleSessionNoOtherSessions' } as const;

const KNOWN = ['singleSession', 'componentLoader'] as const;

export function mySessionsPage(options: MySessionsPageOptions): AdminPage {
  const { singleSession, componentLoader } = checkOptions('mySessionsPage', options, KNOWN, { componentLoader: true });
  componentLoader!.add(MY_SESSIONS.component, path.join(COMPONENTS_DIR, 'MySessions'));
  return {
    component: MY_SESSIONS.component,
    icon: 'Monitor',
    // GET: { linked, sessions }. POST: ends the admin's other sessions first and adds a notice.
    handler: async (request: Request & { method: string }) => {
      const userId = singleSession.getUserId(request);
      if (userId === null) return { linked: false, sessions: [] };
      let notice;
      if (request.method === 'post') {
        const { sessions } = await singleSession.logoutOtherSessions(request);
        notice = sessions > 0
          ? { message: MY_SESSIONS_NOTICES.ended, type: 'success', options: { sessions } }
          : { message: MY_SESSIONS_NOTICES.none, type: 'info', options: {} };
      }
      return { linked: true, sessions: await listWithCurrent(singleSession, userId, request), ...(notice ? { notice } : {}) };
    },
  };
}
