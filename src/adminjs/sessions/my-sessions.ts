/**
 * `mySessionsPage({ singleSession, componentLoader })`: the AdminJS page "My sessions" — the current admin's own
 * sessions and a "Log out my other sessions" button (POST), which keeps the session in use. Any logged-in admin.
 *
 *   new AdminJS({ componentLoader, pages: { mySessions: mySessionsPage({ singleSession, componentLoader }) }, ... })
 */
import type { Request } from 'express';
import type { AdminPage } from 'adminjs';
import { addComponents } from '../components.js';
import { NOTICES } from '../errors.js';
import { checkOptions, type CommonOptions } from '../options.js';
import { listWithCurrent } from './list.js';

export type MySessionsPageOptions = Omit<CommonOptions, 'can'> & Required<Pick<CommonOptions, 'componentLoader'>>;

export function mySessionsPage(options: MySessionsPageOptions): AdminPage {
  // A page has no moment at which it meets the AdminJS instance: it needs the instance's loader passed in.
  const { singleSession, componentLoader } = checkOptions('mySessionsPage', options, [], { needsLoader: true });
  return {
    component: addComponents(componentLoader!, 'mySessions'),
    icon: 'Monitor',
    // GET: { linked, sessions }. POST: ends the admin's other sessions first and adds a notice.
    handler: async (request: Request & { method: string }) => {
      const userId = singleSession.getUserId(request);
      if (userId === null) return { linked: false, sessions: [] };
      let notice;
      if (request.method === 'post') {
        const { sessions } = await singleSession.logoutOtherSessions(request);
        notice = sessions > 0
          ? { message: NOTICES.othersEnded, type: 'success', options: { sessions } }
          : { message: NOTICES.noOtherSessions, type: 'info', options: {} };
      }
      return { linked: true, sessions: await listWithCurrent(singleSession, userId, request), ...(notice ? { notice } : {}) };
    },
  };
}
