/**
 * `sessionsDashboard({ singleSession, componentLoader })`: "who is signed in right now, and what has been ending
 * sessions today?" at a glance — live sessions and signed-in users, sign-ins and endings per hour by reason over the
 * last 24 hours (these two from the audit trail: `audit: true`), the most common browsers, devices and systems.
 * For holders of a single_session permission (others see a note). Mount it as AdminJS's home page or as a page:
 *
 *   new AdminJS({ componentLoader, dashboard: sessionsDashboard({ singleSession, componentLoader }), ... })
 *   new AdminJS({ componentLoader, pages: { sessionsDashboard: sessionsDashboard({ singleSession, componentLoader }) }, ... })
 *
 * Its data: `GET /admin/api/dashboard` (or `/admin/api/pages/<name>`) → `{ allowed, at, statistics }`, where
 * statistics is `singleSession.sessionStatistics()`.
 */
import type { ActionContext, AdminPage } from 'adminjs';
import type { SessionStatistics } from '../../single-session.js';
import { addComponents } from '../components.js';
import { checkOptions, type CommonOptions } from '../options.js';
import { holdsAny } from '../permissions.js';

/** Options of `sessionsDashboard`: the engine, the loader given to `new AdminJS` (required), and `can`. */
export type SessionsDashboardOptions = CommonOptions & Required<Pick<CommonOptions, 'componentLoader'>>;

/** What the dashboard's handler answers (`GET /admin/api/dashboard`, or the page's API). */
export type DashboardData =
  | {
    /** The admin holds no single_session permission: no figures. */
    allowed: false;
  }
  | {
    /** The admin may see the figures. */
    allowed: true;
    /** When they were computed. */
    at: Date;
    /** `singleSession.sessionStatistics()`. */
    statistics: SessionStatistics;
  };

/** What `sessionsDashboard` returns: for `dashboard` (AdminJS's home page) or `pages` alike. */
export type SessionsDashboard = Required<Pick<AdminPage, 'component' | 'handler'>> & Pick<AdminPage, 'icon'>;

/** The sessions dashboard: `{ component, handler, icon }` for AdminJS's `dashboard` option or an entry of `pages`. */
export function sessionsDashboard(options: SessionsDashboardOptions): SessionsDashboard {
  // Like a page, the dashboard has no moment at which it meets the AdminJS instance: it needs the instance's loader.
  const { singleSession, componentLoader, can } = checkOptions('sessionsDashboard', options, ['can'], { needsLoader: true });
  return {
    component: addComponents(componentLoader!, 'dashboard'),
    icon: 'Activity',
    handler: async (_request: unknown, _response: unknown, context?: Pick<ActionContext, 'currentAdmin'>): Promise<DashboardData> => {
      if (!holdsAny(can, context?.currentAdmin)) return { allowed: false };
      return { allowed: true, at: new Date(), statistics: await singleSession.sessionStatistics() };
    },
  };
}
